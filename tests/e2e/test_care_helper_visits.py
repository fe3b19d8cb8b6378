"""Issue 14, the care flow mended, for the helper's part, in a browser on a phone (375 × 740): a card at
capacity stays with an explanation instead of its button, and a refused tap keeps the card (with JavaScript
and without); "Done" is never shown before the visit; "Proposed to Yasmine H., waiting for an answer" from the
moment of the proposal; "my visits" with the hours and their total; the attestation of volunteer hours opens
and is complete without JavaScript.

English pages (/en/) where the test reads texts.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.access.actors import actor_for_user
from apps.care import selectors, services
from apps.care.models import CareRequest, HelperOffer, Match
from apps.people.models import Person
from tests.e2e.axe import assert_accessible
from tests.e2e.test_signed_in_pages_are_accessible import signed_in_context

TAP = re.compile("^I can help")
CARDS = '[id^="request-"]'
"""The cards of "near me" (each carries its request's number)."""


def phone(browser: Browser, site: Any, role: str, **options: Any) -> Page:
    return signed_in_context(browser, site, role, **options).new_page()


def yasmine() -> HelperOffer:
    return HelperOffer.objects.select_related("person").get(person__user__username="helper@demo.cityofpeople.example")


def full(offer: HelperOffer) -> str:
    """As many requests held as offered (the demo's planned visit is one; proposals do not count): the
    sentence the helper then reads."""
    held = Match.objects.filter(helper=offer, status__in=Match.HOLDING).count()
    HelperOffer.objects.filter(pk=offer.pk).update(requests_per_week=held)
    return f"You already help with {held} request{'s' if held != 1 else ''}, as many as you offered."


def test_at_capacity_the_cards_stay_and_say_so_before_the_tap(browser: Browser, site: Any) -> None:
    offer = yasmine()
    page = phone(browser, site, "helper")
    page.goto(site.url + "/en/help/")
    shown = page.locator(CARDS).count()
    assert shown >= 1
    expect(page.get_by_role("button", name=TAP)).to_have_count(shown)
    said = full(offer)
    page.goto(site.url + "/en/help/")
    expect(page.locator(CARDS)).to_have_count(shown)
    expect(page.get_by_role("button", name=TAP)).to_have_count(0)
    expect(page.get_by_text("You cannot say “I can help” right now")).to_be_visible()
    expect(page.get_by_text(said)).to_be_visible()
    card = page.locator(CARDS).first
    expect(card.get_by_text("You already help with as many requests as you offered.")).to_be_visible()
    assert_accessible(page)


def test_a_refused_tap_keeps_the_card_with_javascript(browser: Browser, site: Any) -> None:
    offer = yasmine()
    page = phone(browser, site, "helper")
    page.goto(site.url + "/en/help/")
    first = page.locator(CARDS).first
    card_id = first.get_attribute("id") or ""
    title = first.locator("h2").inner_text()
    said = full(offer)  # meanwhile (another tab, a coordinator on the phone) her offer became full
    first.get_by_role("button", name=TAP).click()
    card = page.locator(f"#{card_id}")
    expect(card.get_by_role("alert")).to_contain_text(said)
    expect(card.locator("h2")).to_have_text(title)
    expect(card.get_by_text("Distance")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/en/help/$"))
    assert_accessible(page)
    assert not Match.objects.filter(helper=offer, request_id=int(card_id.split("-")[1])).exists()


def test_a_refused_tap_keeps_the_card_without_javascript(browser: Browser, site: Any) -> None:
    offer = yasmine()
    page = phone(browser, site, "helper", java_script_enabled=False)
    page.goto(site.url + "/en/help/")
    first = page.locator(CARDS).first
    pk = int((first.get_attribute("id") or "request-0").split("-")[1])
    title = first.locator("h2").inner_text()
    said = full(offer)
    first.get_by_role("button", name=TAP).click()
    expect(page).to_have_url(re.compile(rf"/en/help/requests/{pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text(said).first).to_be_visible()
    expect(page.get_by_text("Distance")).to_be_visible()
    expect(page.get_by_role("button", name=TAP)).to_have_count(0)
    assert not Match.objects.filter(helper=offer, request_id=pk).exists()


def test_done_is_never_shown_before_the_visit(browser: Browser, site: Any) -> None:
    """The walk-through: a helper said "I can help" and logged 1.5 hours at once; the resident read "Done"."""
    offer = yasmine()
    HelperOffer.objects.filter(pk=offer.pk).update(requests_per_week=5)
    page = phone(browser, site, "helper")
    page.goto(site.url + "/en/help/")
    page.locator(CARDS).first.get_by_role("button", name=TAP).click()
    expect(page).to_have_url(re.compile(r"/en/help/matches/\d+/$"))
    match = Match.objects.filter(helper=offer, status=Match.Status.ACCEPTED).latest("pk")
    expect(page.get_by_role("button", name="Log the visit")).to_have_count(0)
    expect(page.get_by_text(re.compile("Once the visit has begun, you can write down your hours here"))).to_be_visible()
    assert_accessible(page)
    # planned for tomorrow afternoon: still no form, and the page says from when
    start = timezone.localtime(timezone.now() + timedelta(days=1)).replace(hour=15, minute=0, second=0, microsecond=0)
    helper = actor_for_user(offer.person.user)
    services.match_plan(actor=helper, match=match, start=start, end=start + timedelta(hours=1))
    page.reload()
    expect(page.get_by_role("button", name="Log the visit")).to_have_count(0)
    later = re.compile(r"After the visit you can write down your hours here, from .*15:00")
    expect(page.get_by_text(later)).to_be_visible()
    assert CareRequest.objects.get(pk=match.request_id).status == CareRequest.Status.MATCHED
    # the demo resident's own planned visit (tomorrow at 10): her page says who comes when, never "Done"
    rosa = Person.objects.get(user__username="resident@demo.cityofpeople.example")
    visit = Match.objects.get(request__person=rosa, status=Match.Status.PLANNED)
    resident = phone(browser, site, "resident")
    resident.goto(site.url + f"/en/care/requests/{visit.request_id}/")
    expect(resident.locator("#request-status")).to_contain_text("will come on")  # the status notice
    expect(resident.locator("#request-status")).not_to_contain_text("Done")


def test_the_request_pages_say_whom_a_proposal_waits_for(browser: Browser, site: Any) -> None:
    rosa = Person.objects.get(user__username="resident@demo.cityofpeople.example")
    proposal = Match.objects.select_related("helper__person").get(status=Match.Status.PROPOSED, request__person=rosa)
    helper = proposal.helper.person
    expected = f"Proposed to {helper.first_name} {helper.last_name[:1]}., waiting for an answer."
    resident = phone(browser, site, "resident")
    resident.goto(site.url + f"/en/care/requests/{proposal.request_id}/")
    expect(resident.get_by_text(expected)).to_be_visible()
    assert_accessible(resident)
    coordinator = phone(browser, site, "coordinator")
    response = coordinator.goto(site.url + f"/en/coordinate/requests/{proposal.request_id}/")
    assert response is not None and response.status == 200
    expect(coordinator.get_by_text(expected)).to_be_visible()


def test_my_visits_show_the_hours_and_the_attestation_opens_without_javascript(browser: Browser, site: Any) -> None:
    offer = yasmine()
    total, count = selectors.helper_hours_total(offer)
    assert count >= 1 and total > 0
    page = phone(browser, site, "helper")
    page.goto(site.url + "/en/help/matches/")
    expect(page.get_by_text(re.compile(rf"You helped .* in {count} visits?\. Thank you!"))).to_be_visible()
    expect(page.get_by_text("Hours so far").first).to_be_attached()
    planned = Match.objects.select_related("request__person").get(helper=offer, status=Match.Status.PLANNED)
    expect(page.get_by_text(re.compile(rf"10:00–11:00 · with {planned.request.person.first_name}"))).to_be_visible()
    assert_accessible(page)
    # without JavaScript: a plain link and a GET form lead to the attestation
    offline = phone(browser, site, "helper", java_script_enabled=False)
    offline.goto(site.url + "/en/help/matches/")
    offline.get_by_role("link", name="Attestation for this year").click()
    expect(offline).to_have_url(re.compile(rf"/en/help/hours/{offer.pk}/\?first_day="))
    expect(offline.get_by_role("heading", name="Attestation of volunteer hours")).to_be_visible()
    expect(offline.get_by_text(f"{offer.person.first_name} {offer.person.last_name} helped neighbours")).to_be_visible()
    expect(offline.get_by_text(re.compile(r"^Total, \d+ visits?$"))).to_be_visible()
    expect(offline.get_by_text(re.compile("use your browser's print command"))).to_be_visible()
    expect(offline.get_by_role("button", name="Print")).to_be_hidden()  # shown only when the script runs
    today = timezone.localdate()
    offline.get_by_label("From").fill((today - timedelta(days=400)).isoformat())
    offline.get_by_label("Until and including").fill((today - timedelta(days=399)).isoformat())
    offline.get_by_role("button", name="Show this period").click()
    expect(offline.get_by_text("No visits were done in this period.")).to_be_visible()
    # with JavaScript the Print button appears, and the page passes axe
    page.goto(offline.url)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert_accessible(page)
