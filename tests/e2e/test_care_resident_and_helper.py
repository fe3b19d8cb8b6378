"""The resident's and the helper's care pages in a browser, on a phone (375 × 740): axe-clean, usable with
the keyboard only, and asking for help works without JavaScript.

English pages (/en/) where the test reads texts, so it holds whatever the Dutch translation says.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone, translation
from playwright.sync_api import Browser, Page, expect

from apps.care.models import CareRequest, HelperOffer, Match
from apps.core.formats import day_short
from apps.people.models import Person
from tests.e2e.axe import assert_accessible
from tests.e2e.test_signed_in_pages_are_accessible import open_checked, signed_in_context


def phone(browser: Browser, site: Any, role: str, **options: Any) -> Page:
    return signed_in_context(browser, site, role, **options).new_page()


def test_every_resident_page_passes_axe_on_a_phone(browser: Browser, site: Any) -> None:
    page = phone(browser, site, "resident")
    rosa = Person.objects.get(user__username="resident@demo.cityofpeople.example")
    paths = ["/nl/care/", "/nl/care/ask/", "/nl/care/messages/", "/fr/care/", "/en/care/ask/"]
    paths += [f"/nl/care/requests/{pk}/" for pk in rosa.care_requests.values_list("pk", flat=True)]
    for path in paths:
        open_checked(page, site.url + path)
    # the form with its messages, after sending it empty
    page.goto(site.url + "/en/care/ask/")
    page.get_by_role("button", name="Send my request").click()
    expect(page.locator("#id_category_error")).to_contain_text("Choose what you need help with.")
    assert_accessible(page)
    # someone without consent: the form asks for it
    open_checked(phone(browser, site, "initiative_starter"), site.url + "/nl/care/ask/")


def test_every_helper_page_passes_axe_on_a_phone(browser: Browser, site: Any) -> None:
    page = phone(browser, site, "helper")
    offer = HelperOffer.objects.get(person__user__username="helper@demo.cityofpeople.example")
    open_request = (
        CareRequest.objects.filter(status="open", category__professional=False).exclude(person=offer.person).first()
    )
    assert open_request is not None
    paths = [
        "/nl/help/",
        "/nl/help/offer/",
        "/nl/help/away/",
        "/nl/help/matches/",
        "/en/help/",
        f"/nl/help/requests/{open_request.pk}/",
    ]
    paths += [f"/nl/help/matches/{pk}/" for pk in Match.objects.filter(helper=offer).values_list("pk", flat=True)]
    for path in paths:
        open_checked(page, site.url + path)
    # the match page with a message at a field
    proposal = Match.objects.get(helper=offer, status=Match.Status.PROPOSED)
    page.goto(site.url + f"/en/help/matches/{proposal.pk}/")
    page.get_by_role("button", name="Say no").click()
    # beside the field, and as a link to it in the error summary at the top
    expect(page.locator("p.field-error")).to_contain_text("Say briefly why, so the coordinator can find someone else.")
    expect(page.get_by_role("link", name=re.compile("Say briefly why"))).to_be_visible()
    assert_accessible(page)
    # a time away to remove
    page.goto(site.url + "/en/help/away/")
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    page.get_by_label("From").fill(day)
    page.get_by_label("Until and including").fill(day)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Remove")).to_be_visible()
    assert_accessible(page)
    # not a helper yet: the invitation, and the offer form in a few steps
    newcomer = phone(browser, site, "initiative_starter")
    for path in ("/nl/help/", "/nl/help/offer/", "/nl/care/messages/"):
        open_checked(newcomer, site.url + path)


def test_a_helper_takes_a_request_with_the_keyboard_only(browser: Browser, site: Any) -> None:
    page = phone(browser, site, "helper")
    page.goto(site.url + "/en/help/")
    for _ in range(120):
        page.keyboard.press("Tab")
        name = page.evaluate("() => document.activeElement && document.activeElement.textContent || ''")
        if name.strip().startswith("I can help"):
            break
    else:
        raise AssertionError("no “I can help” button reached with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/help/matches/\d+/$"))
    expect(page.get_by_role("heading", name="What you need to go there")).to_be_visible()
    assert_accessible(page)
    taken = Match.objects.latest("pk")
    assert taken.status == Match.Status.ACCEPTED and taken.helper.person.user.username.startswith("helper@")


def test_asking_for_help_works_without_javascript(browser: Browser, site: Any) -> None:
    page = phone(browser, site, "resident", java_script_enabled=False)
    rosa = Person.objects.get(user__username="resident@demo.cityofpeople.example")
    before = rosa.care_requests.count()
    page.goto(site.url + "/en/care/ask/")
    page.get_by_label("What do you need help with?").select_option(label="Help with paperwork")
    page.get_by_label("Tell us a bit more").fill("Een brief van de belastingen.")
    page.get_by_role("button", name="Send my request").click()  # no morning, afternoon or evening ticked
    expect(page.locator("#id_when_error")).to_contain_text("Tick at least one morning, afternoon or evening")
    assert rosa.care_requests.count() == before
    with translation.override("en"):
        day = day_short(timezone.localdate() + timedelta(days=3))
    box = page.get_by_label(f"{day}, morning")
    page.locator(f"label[for={box.get_attribute('id')}]").click()  # the style guide draws the box on the label
    expect(box).to_be_checked()
    page.get_by_label("How urgent?").select_option(label="Soon")
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_text("We are now looking for a helper.")).to_be_visible()
    created = rosa.care_requests.latest("pk")
    assert (created.category.code, created.urgency, created.windows.count()) == ("administration", 4, 1)
    # (no axe here: it is a script, and scripts are off; the same pages pass axe in the tests above)
