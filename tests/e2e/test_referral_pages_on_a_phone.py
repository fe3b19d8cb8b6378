"""Referrals in the browser, on a 390 px phone, with the keyboard only (issue 16, point 4).

The coordinator refers a resident of their district to a service of the demo organisation, through the three
steps (keys only: Tab focus, typing, Space to tick, Enter to submit); the organisation's office worker accepts
it; the resident's own page and the panels open.  Every page is axe-clean (WCAG 2.1 AA) and none scrolls
sideways.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page

from apps.directory.models import Referral, Service
from apps.organisations.demo import DEMO_ORGANISATION
from apps.people.models import Person, Role
from tests.e2e.axe import assert_accessible
from tests.e2e.test_signed_in_pages_are_accessible import signed_in_context

PHONE = {"width": 390, "height": 844}


def on_a_phone(browser: Browser, site: Any, role: str) -> Page:
    page = signed_in_context(browser, site, role).new_page()
    page.set_viewport_size(PHONE)
    return page


def checked(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"
    assert_accessible(page)


def open_checked(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    checked(page)


def press(page: Page, selector: str, key: str) -> None:
    page.locator(selector).first.focus()
    page.keyboard.press(key)


def submit(page: Page, selector: str | None = None) -> None:
    """Enter on the focused field (or on ``selector``), and wait for the page it opens."""
    if selector is not None:
        page.locator(selector).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_referral_from_the_coordinator_to_the_organisation_by_keyboard_on_a_phone(
    browser: Browser, site: Any
) -> None:
    coordinator = Person.objects.get(user__username="coordinator@demo.cityofpeople.example")
    district = coordinator.roles.get(role=Role.COORDINATOR).district_id
    person = Person.objects.filter(district_id=district, user__isnull=True, erased_at__isnull=True).order_by("pk")[0]
    service = Service.objects.filter(organisation__slug=DEMO_ORGANISATION, published_at__isnull=False,
                                     status=Service.Status.ACTIVE).order_by("name")[0]  # fmt: skip
    before = set(Referral.objects.values_list("pk", flat=True))

    page = on_a_phone(browser, site, "coordinator")
    open_checked(page, f"{site.url}/en/referrals/")
    # step 1: search with the keyboard
    open_checked(page, f"{site.url}/en/referrals/refer/{person.pk}/")
    page.locator("#id_q").focus()
    page.keyboard.type(service.name.split()[0])
    submit(page)
    checked(page)
    # step 2 for the demo organisation's service
    open_checked(page, f"{site.url}/en/referrals/refer/{person.pk}/?service={service.pk}")
    if page.locator("input[name=location]").count():
        press(page, "input[name=location]", "Space")
    page.locator("#id_need").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Hulp bij het wassen, twee keer per week.")
    press(page, "input[name=shared][value=name]", "Space")
    press(page, "input[name=shared][value=need]", "Space")
    if page.locator("input[name=consent]").count():
        press(page, "input[name=consent_method][value=phone]", "Space")
        press(page, "input[name=consent]", "Space")
    submit(page, "button[value=check]")
    assert "will read" in page.content()
    checked(page)
    # step 3: send
    submit(page, "button[value=send]")
    assert page.url.rstrip("/").split("/")[-2] == "referrals"
    checked(page)
    (new,) = set(Referral.objects.values_list("pk", flat=True)) - before
    referral = Referral.objects.get(pk=new)
    assert sorted(referral.shared) == ["name", "need"]

    # the organisation's office worker accepts it, with the keyboard
    office = on_a_phone(browser, site, "organisation_staff")
    open_checked(office, f"{site.url}/en/referrals/received/")
    open_checked(office, f"{site.url}/en/referrals/received/{referral.pk}/")
    press(office, "input[name=status][value=accepted]", "Space")
    office.locator("#id_note").focus()
    office.keyboard.type("Eerste bezoek volgende week.")
    submit(office, "button:has-text('Save the answer')")
    checked(office)
    referral.refresh_from_db()
    assert referral.status == "accepted"
    open_checked(office, f"{site.url}/en/")

    # back with the coordinator, the person's page with its section, and the home panel
    open_checked(page, f"{site.url}/en/referrals/{referral.pk}/")
    assert "Eerste bezoek volgende week." in page.content()
    open_checked(page, f"{site.url}/en/persons/{person.pk}/")
    open_checked(page, f"{site.url}/en/")


def test_the_residents_referrals_fit_a_phone(browser: Browser, site: Any) -> None:
    page = on_a_phone(browser, site, "resident")
    open_checked(page, f"{site.url}/en/my-referrals/")
    open_checked(page, f"{site.url}/nl/my-referrals/")
    open_checked(page, f"{site.url}/en/")
