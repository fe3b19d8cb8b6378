"""Issue 12 in a browser: a new helper's "I can help" with the keyboard only, the coordinator's check without
JavaScript, and the auditor's pages on a phone; every page axe-clean.

English pages (/en/) where the test reads texts, so it holds whatever the Dutch translation says.
"""

from __future__ import annotations

import json
import re
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from apps.care.models import CareCategory, Match
from apps.people.models import Person, Role, RoleAssignment
from tests.e2e.axe import assert_accessible
from tests.e2e.test_signed_in_pages_are_accessible import open_checked, signed_in_context


def new_helper() -> Person:
    """An account as sign-up makes it, living beside the demo helper, who then offers help through the API:
    nobody has checked them yet."""
    neighbour = Person.objects.get(user__username="helper@demo.cityofpeople.example")
    email = "nora.nieuw@e2e.example"
    user = get_user_model().objects.create_user(username=email, email=email, password="Nieuwe-helper-77-wachtwoord")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    person = Person.objects.create(
        user=user, first_name="Nora", last_name="Nieuw", email=email, street=neighbour.street, house_number="2",
        postcode=neighbour.postcode, lat=neighbour.lat, lon=neighbour.lon, district=neighbour.district,
        languages=["nl", "en", "fr"],
    )  # fmt: skip
    RoleAssignment.objects.create(person=person, role=Role.RESIDENT)
    client = Client()
    client.force_login(user)
    offer = {
        "kind": "student",
        "categories": list(CareCategory.objects.filter(professional=False, active=True).values_list("code", flat=True)),
        "slots": [{"weekday": day, "start": "08:00", "end": "21:00"} for day in range(7)],
        "max_distance_km": 5,
        "requests_per_week": 3,
        "languages": ["nl", "en", "fr"],
    }
    answer = client.put("/api/v1/care/offer", json.dumps(offer), content_type="application/json")
    assert answer.status_code == 200, answer.content
    return person


def signed_in_page(browser: Browser, site: Any, person: Person, **options: Any) -> Page:
    client = Client()
    client.force_login(person.user)
    context = browser.new_context(locale="en-BE", bypass_csp=True, viewport={"width": 375, "height": 740}, **options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])
    return context.new_page()


def tab_to(page: Page, text: str) -> None:
    for _ in range(150):
        page.keyboard.press("Tab")
        name = page.evaluate("() => document.activeElement && document.activeElement.textContent || ''")
        if name.strip().startswith(text):
            return
    raise AssertionError(f"no “{text}” reached with Tab")


def test_a_new_helpers_take_is_checked_by_a_coordinator_before_any_detail_is_shown(browser: Browser, site: Any) -> None:
    nora = new_helper()
    helper = signed_in_page(browser, site, nora)
    helper.goto(site.url + "/en/help/")
    assert_accessible(helper)
    tab_to(helper, "I can help")
    helper.keyboard.press("Enter")
    expect(helper).to_have_url(re.compile(r"/en/help/matches/\d+/$"))
    expect(helper.get_by_text("A coordinator checks this first", exact=False).first).to_be_visible()
    assert_accessible(helper)
    match = Match.objects.get(helper__person=nora)
    person = match.request.person
    page_text = helper.content()
    assert person.last_name not in page_text and match.request.street not in page_text
    assert match.awaiting_check

    # the coordinator on a phone: the worklist's first section and the match pass axe; then, without
    # JavaScript, the confirmation
    checked = signed_in_context(browser, site, "coordinator").new_page()
    open_checked(checked, site.url + "/en/coordinate/")
    expect(checked.get_by_role("heading", name=re.compile("New helpers to check"))).to_be_visible()
    open_checked(checked, site.url + f"/en/coordinate/matches/{match.pk}/")
    assert checked.evaluate("() => document.documentElement.scrollWidth") <= 375, "no sideways scrolling"
    coordinator = signed_in_context(browser, site, "coordinator", java_script_enabled=False).new_page()
    coordinator.goto(site.url + f"/en/coordinate/matches/{match.pk}/")
    coordinator.get_by_role("button", name="Confirm: show the helper the details").click()
    match.refresh_from_db()
    assert not match.awaiting_check and match.checked_at is not None

    helper.reload()
    expect(helper.get_by_role("heading", name="What you need to go there")).to_be_visible()
    assert match.request.street in helper.content()
    assert_accessible(helper)


def test_the_auditors_pages_on_a_phone(browser: Browser, site: Any) -> None:
    page = signed_in_context(browser, site, "auditor").new_page()
    for path in ("/nl/audit/activity/", "/fr/audit/activity/?days=30&unusual_only=on", "/nl/audit/place-changes/"):
        open_checked(page, site.url + path)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, f"{path}: sideways scrolling"
