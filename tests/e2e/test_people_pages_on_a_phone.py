"""The people pages on a phone (issue 14, item 1): each checkbox sits right before its own label, so a
coordinator cannot tick the wrong consent; the persons list fits a phone; an invalid registration says what is
wrong at the top, focused, with a link to each field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Page, expect

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role

PHONE = {"width": 390, "height": 844}

# for each checkbox of the page: where its box is drawn and where the words of its own label are; the style guide
# hides the native input (opacity 0) and draws the box as the label's ::before, so that is where a person sees it
GEOMETRY = """() => [...document.querySelectorAll('main input[type=checkbox]')].map((box) => {
  const label = box.labels[0];
  const range = document.createRange();
  range.selectNodeContents(label);
  const words = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
  const l = label.getBoundingClientRect();
  let b = box.getBoundingClientRect();
  if (getComputedStyle(box).opacity === '0') {
    const drawn = getComputedStyle(label, '::before');
    const left = l.left + parseFloat(drawn.left), top = l.top + parseFloat(drawn.top);
    b = {left, top, right: left + parseFloat(drawn.width), bottom: top + parseFloat(drawn.height)};
  }
  return {id: box.id, text: label.textContent.trim(), checked: box.checked, box: [b.left, b.top, b.right, b.bottom],
          label: [l.left, l.top, l.right, l.bottom], words: words.map((r) => [r.left, r.top, r.right, r.bottom]),
          inside: label.contains(box)};
})"""


def sign_in(page: Page, site: Any, role: str) -> None:
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    client = Client()
    client.force_login(get_user_model().objects.get(username=account.email))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])


def open_on_a_phone(page: Page, site: Any, visit: Callable[[str], Page], role: str, path: str) -> Page:
    page.set_viewport_size(PHONE)
    sign_in(page, site, role)
    return visit(path)


def assert_each_box_sits_before_its_own_label_and_ticks_alone(page: Page) -> int:
    boxes = page.evaluate(GEOMETRY)
    assert boxes, "no checkboxes on the page"
    for item in boxes:
        # the box is a sibling of its words, not wrapped in them with another label's words around it
        assert not item["inside"], f"{item['text']!r}: the box is inside its label"
        _left, top, right, bottom = item["box"]
        middle = (top + bottom) / 2
        first_line = item["words"][0]
        # on the line of its own words, right before them
        assert first_line[1] <= middle <= first_line[3], f"{item['text']!r}: box at {middle}, words at {first_line}"
        assert right <= first_line[0] <= right + 48, f"{item['text']!r}: box ends at {right}, words at {first_line[0]}"
    for item in boxes:
        before = {other["id"]: other["checked"] for other in page.evaluate(GEOMETRY)}
        # tap the middle of the label's first line of words, as a thumb would
        page.locator(f"#{item['id']}").scroll_into_view_if_needed()
        fresh = next(other for other in page.evaluate(GEOMETRY) if other["id"] == item["id"])
        x0, y0, x1, y1 = fresh["words"][0]
        page.mouse.click((x0 + x1) / 2, (y0 + y1) / 2)
        after = {other["id"]: other["checked"] for other in page.evaluate(GEOMETRY)}
        changed = [key for key in after if after[key] != before[key]]
        assert changed == [item["id"]], f"tapping {item['text']!r} changed {changed}"
    return len(boxes)


def test_registration_form_each_consent_and_language_box_belongs_to_its_label(
    page: Page, site: Any, visit: Callable[[str], Page]
) -> None:
    open_on_a_phone(page, site, visit, "coordinator", "/nl/persons/new/")
    count = assert_each_box_sits_before_its_own_label_and_ticks_alone(page)
    assert count >= 7 + 17  # every consent and every language
    expect(page.get_by_label("Een helper zoeken voor mijn hulpvraag")).to_be_checked()


def test_profile_each_language_box_belongs_to_its_label(page: Page, site: Any, visit: Callable[[str], Page]) -> None:
    open_on_a_phone(page, site, visit, "resident", "/nl/me/")
    assert assert_each_box_sits_before_its_own_label_and_ticks_alone(page) >= 17


def test_erase_confirmation_box_belongs_to_its_label(page: Page, site: Any, visit: Callable[[str], Page]) -> None:
    coordinator = Person.objects.get(user__username="coordinator@demo.cityofpeople.example")
    district = coordinator.roles.get(role=Role.COORDINATOR).district_id
    resident = Person.objects.filter(district_id=district, user__isnull=True).first()
    assert resident is not None
    open_on_a_phone(page, site, visit, "coordinator", f"/nl/persons/{resident.pk}/erase/")
    assert assert_each_box_sits_before_its_own_label_and_ticks_alone(page) == 1
    expect(page.get_by_role("button", name="Wissen")).to_have_class("button button-danger")


@pytest.mark.parametrize("path", ["/nl/persons/", "/nl/persons/?q=a", "/nl/persons/?q=straat"])
def test_the_persons_list_fits_a_phone(page: Page, site: Any, visit: Callable[[str], Page], path: str) -> None:
    open_on_a_phone(page, site, visit, "coordinator", path)
    assert page.locator("#person-results tbody tr").count() > 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_invalid_registration_shows_a_focused_summary_with_links(
    page: Page, site: Any, visit: Callable[[str], Page]
) -> None:
    open_on_a_phone(page, site, visit, "coordinator", "/nl/persons/new/")
    page.get_by_label("Voornaam").fill("Georgette")
    page.get_by_role("button", name="Registreren").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Er is een probleem")
    link = summary.get_by_role("link", name="Familienaam: Dit veld is verplicht.")
    expect(link).to_have_attribute("href", "#id_last_name")
    expect(summary.get_by_role("link", name="Adres: Dit veld is verplicht.")).to_have_attribute("href", "#id_address")
    link.click()
    expect(page.get_by_label("Familienaam")).to_be_focused()
    # what was typed stays, and the page with errors passes axe too
    expect(page.get_by_label("Voornaam")).to_have_value("Georgette")
    from tests.e2e.axe import assert_accessible

    assert_accessible(page)


def test_a_withdraw_button_in_a_table_cell_works_on_a_phone(
    page: Page, site: Any, visit: Callable[[str], Page]
) -> None:
    """The organisation's staff table is drawn by ``{% table %}`` (cards on a phone); the withdraw form in a cell
    carries the page's CSRF token, so the browser's POST is accepted and the role is gone."""
    from apps.organisations.demo import DEMO_ORGANISATION

    open_on_a_phone(page, site, visit, "city_staff", f"/nl/organisations/{DEMO_ORGANISATION}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    button = page.get_by_role("button", name="Rol intrekken: Medewerker van een organisatie van", exact=False).first
    expect(button).to_have_class("button button-danger")
    button.click()
    expect(page.get_by_text("Rol ingetrokken: Medewerker van een organisatie.")).to_be_visible()
    expect(page.get_by_role("button", name="Rol intrekken: Medewerker van een organisatie van")).to_have_count(0)


def test_the_message_after_registering_looks_like_every_notice(
    page: Page, site: Any, visit: Callable[[str], Page]
) -> None:
    """"Jozef Claeys is geregistreerd." was grey centred text in a bare box; now the success notice of the design
    system, its check mark drawn, its words left-aligned as in every other notice, and the page passes axe."""
    open_on_a_phone(page, site, visit, "coordinator", "/nl/persons/new/")
    page.get_by_label("Voornaam").fill("Jozef")
    page.get_by_label("Familienaam").fill("Claeys")
    page.get_by_label("Adres").fill("Korenmarkt 1, 9000 Gent")
    page.get_by_label("Telefoon").fill("0485 11 22 33")
    page.get_by_role("button", name="Registreren").click()
    notice = page.locator(".site-messages .notice")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Jozef Claeys is geregistreerd.")
    expect(notice.locator(".icon-checkmark")).to_be_visible()
    assert notice.locator("p").first.evaluate("p => getComputedStyle(p).textAlign") in ("start", "left")
    from tests.e2e.axe import assert_accessible

    assert_accessible(page)
