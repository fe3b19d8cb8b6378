"""The coordinator's pages in a real browser: axe-clean on a desktop and a phone, the intake by phone
done with the keyboard only, the call list on paper, and a running round that refreshes itself."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.access.actors import actor_for_user
from apps.care import selectors, services, views_coordinator
from apps.care.models import CareCategory, CareRequest, HelperOffer, Match, MatchingRound
from apps.people.models import Person, Role
from tests.apps.care.conftest import begun
from tests.e2e.axe import assert_accessible
from tests.e2e.test_signed_in_pages_are_accessible import open_checked, signed_in_context

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


def coordinator_context(browser: Browser, site: Any, viewport: str) -> BrowserContext:
    """A browser signed in as the demo coordinator (whose account has its second factor), at a screen size."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator@demo.cityofpeople.example"))
    context = browser.new_context(locale="nl-BE", bypass_csp=True, viewport=VIEWPORTS[viewport])
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])
    return context


def coordinator() -> Person:
    return Person.objects.get(user__username="coordinator@demo.cityofpeople.example")


def home_district_id() -> int:
    district_id = coordinator().roles.get(role=Role.COORDINATOR).district_id
    assert district_id is not None
    return district_id


def caller() -> Person:
    """An older resident of the district without an account and without consent: taken by phone."""
    district = coordinator().roles.get(role=Role.COORDINATOR).district
    assert district is not None
    return Person.objects.create(
        first_name="Georgette", last_name="Vermeersch", phone="+3292661111", street="Korenmarkt", house_number="1",
        postcode="9000", lat=district.interior_lat, lon=district.interior_lon, district=district, languages=["nl"],
    )  # fmt: skip


def local(day: Any, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_coordinator_page_is_accessible(
    browser: Browser, site: Any, viewport: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = home_district_id()
    actor = actor_for_user(coordinator().user)
    request = CareRequest.objects.filter(district_id=home, status=CareRequest.Status.OPEN).order_by("pk").first()
    rosa = Person.objects.get(user__username="resident@demo.cityofpeople.example")
    tomorrow = timezone.localdate() + timedelta(days=1)
    referral = services.care_request_create(
        actor=actor, person=rosa, category=CareCategory.objects.get(code="nursing"),
        windows=[services.Window(local(tomorrow, 10), local(tomorrow, 12))],
    )  # fmt: skip
    match = Match.objects.filter(request__district_id=home).order_by("pk").first()
    offer = HelperOffer.objects.filter(person__district_id=home).order_by("pk").first()
    assert request is not None and match is not None and offer is not None
    matching_round = services.round_start(actor=actor, district_id=home)
    services.round_run(matching_round.pk, [home])
    queued = MatchingRound.objects.create(district_id=home, started_by=coordinator())
    failed = MatchingRound.objects.create(district_id=home, status=MatchingRound.Status.FAILED, error="out of time")
    person = caller()
    page = coordinator_context(browser, site, viewport).new_page()
    for path in (
        "/nl/coordinate/",
        "/en/coordinate/",
        f"/nl/coordinate/persons/{person.pk}/request/",
        f"/nl/coordinate/requests/{request.pk}/",
        f"/nl/coordinate/requests/{request.pk}/?helper=Yasmine",
        f"/nl/coordinate/requests/{request.pk}/?helper=a",
        f"/nl/coordinate/requests/{referral.pk}/",
        f"/nl/coordinate/requests/{request.pk}/cancel/",
        f"/nl/coordinate/matches/{match.pk}/",
        "/nl/coordinate/rounds/",
        f"/nl/coordinate/rounds/{matching_round.pk}/",
        f"/nl/coordinate/rounds/{queued.pk}/",
        f"/nl/coordinate/rounds/{failed.pk}/",
        "/nl/coordinate/calls/",
        f"/nl/coordinate/helpers/{offer.pk}/vetting/",
        f"/fr/coordinate/helpers/{offer.pk}/vetting/",
        f"/nl/persons/{person.pk}/",
    ):
        open_checked(page, site.url + path)
    # each section whole, a page at a time: with one row a page, the worklist links to them and they have pages
    monkeypatch.setattr(selectors, "WORKLIST_LIMIT", 1)
    monkeypatch.setattr(views_coordinator, "SECTION_PAGE_SIZE", 1)
    for path in (
        "/nl/coordinate/",
        "/nl/coordinate/worklist/new/",
        "/nl/coordinate/worklist/new/?page=2",
        "/nl/coordinate/worklist/waiting/",
        "/nl/coordinate/worklist/referrals/",
        "/en/coordinate/worklist/new/?page=2",
    ):
        open_checked(page, site.url + path)
    pages = page.get_by_role("navigation", name="Pages of this list")
    expect(pages.get_by_role("link", name="Previous page")).to_have_attribute("href", "?page=1")
    expect(pages.get_by_role("link", name="Next page")).to_have_attribute("href", "?page=3")
    # the pages with their messages at the fields
    page.goto(site.url + f"/en/coordinate/persons/{person.pk}/request/")
    page.get_by_role("button", name="Record the request").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.goto(site.url + f"/en/coordinate/helpers/{offer.pk}/vetting/")
    page.get_by_role("button", name="Record the check").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)


def test_a_request_taken_by_phone_with_the_keyboard_only(browser: Browser, site: Any) -> None:
    person = caller()
    day = timezone.localdate() + timedelta(days=2)
    page = coordinator_context(browser, site, "desktop").new_page()
    page.goto(site.url + f"/en/persons/{person.pk}/")
    page.get_by_role("link", name="Take a request for help by phone").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("A request for help for Georgette Vermeersch")

    page.get_by_label("The person agreed by phone to this").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # what kind of help
    page.keyboard.type("Shop")
    page.keyboard.press("Tab")  # what is needed
    page.keyboard.type("Boodschappen op vrijdag.")
    page.keyboard.press("Tab")  # another address: left empty, the person's own
    page.keyboard.press("Tab")  # the first time: its day
    expect(page.locator("#id_window_1_date")).to_be_focused()
    # Date and time fields are laid out in the browser's own locale (the test browser's is 12-hour,
    # month first, unlike a Belgian one): their values are set without a mouse, the way Playwright
    # recommends, and the rest of the form is typed.
    page.locator("#id_window_1_date").fill(day.isoformat())
    page.locator("#id_window_1_start").focus()
    page.locator("#id_window_1_start").fill("10:00")
    page.locator("#id_window_1_end").focus()
    page.locator("#id_window_1_end").fill("12:00")
    page.get_by_label("Soon").focus()  # urgency: a radio group, chosen with the arrow keys
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Urgent")).to_be_checked()
    page.get_by_role("button", name="Record the request").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Shopping for Georgette Vermeersch")
    request = CareRequest.objects.get(person=person)
    window = request.windows.get()
    assert (window.start, window.end) == (local(day, 10), local(day, 12))
    assert request.description == "Boodschappen op vrijdag." and request.channel == CareRequest.Channel.PHONE
    assert request.category.code == "shopping" and request.urgency == 5
    assert_accessible(page)


def test_the_call_list_prints_without_the_menu(browser: Browser, site: Any) -> None:
    home = home_district_id()
    match = Match.objects.filter(request__district_id=home, status=Match.Status.PLANNED).select_related("request")
    planned = match.first()
    assert planned is not None
    today = timezone.localdate()
    Match.objects.filter(pk=planned.pk).update(planned_start=local(today, 10), planned_end=local(today, 11))
    page = coordinator_context(browser, site, "desktop").new_page()
    open_checked(page, site.url + "/en/coordinate/calls/")
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # the small script shows it

    page.emulate_media(media="print")

    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".care-subnav")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    table = page.locator("table.care-calls").first
    expect(table).to_be_visible()
    expect(table).to_contain_text(str(planned.request.person))
    expect(table.locator(".care-tick-box").first).to_be_visible()
    colours = page.evaluate(
        "() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('table.care-calls td')).borderTopColor]"
    )
    assert colours[0] == "rgb(0, 0, 0)" and colours[1] == "rgb(255, 255, 255)" and colours[2] == "rgb(0, 0, 0)"


def test_a_running_round_refreshes_itself(browser: Browser, site: Any) -> None:
    """With JavaScript, htmx asks for the page again every few seconds until the round is ready."""
    home = home_district_id()
    matching_round = MatchingRound.objects.create(district_id=home, started_by=coordinator())
    page: Page = coordinator_context(browser, site, "phone").new_page()
    page.goto(site.url + f"/en/coordinate/rounds/{matching_round.pk}/")
    expect(page.get_by_text("Looking for the best helper for every open request")).to_be_visible()

    services.round_run(matching_round.pk, [home])

    expect(page.get_by_text("Proposed pairs", exact=True)).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Proven optimal")).to_be_hidden()  # folded in "Details of the calculation"
    assert_accessible(page)


def test_without_javascript_a_helper_takes_a_request_and_the_coordinator_logs_the_visit(
    browser: Browser, site: Any
) -> None:
    """The story from a helper's phone to the coordinator's phone call afterwards, scripts off on both sides:
    "I can help" is a plain form, and so is the visit the coordinator records for the helper."""
    home = home_district_id()
    helper = signed_in_context(browser, site, "helper", java_script_enabled=False).new_page()
    helper.goto(site.url + "/en/help/")
    expect(helper.get_by_role("button", name="I can help").first).to_be_visible()
    # a request of the coordinator's district among those offered (which come first depends on the clock)
    in_district = set(
        CareRequest.objects.filter(district_id=home, status=CareRequest.Status.OPEN).values_list("pk", flat=True)
    )
    forms = helper.locator("form[action*='/take/']")
    chosen = next(
        (
            forms.nth(i)
            for i in range(forms.count())
            if int(re.search(r"/requests/(\d+)/take/", forms.nth(i).get_attribute("action") or "/requests/0/take/")[1])
            in in_district
        ),
        None,
    )
    assert chosen is not None, "the demo helper is offered a request in the coordinator's district"
    before = Match.objects.count()
    chosen.get_by_role("button", name="I can help").click()
    expect(helper).to_have_url(re.compile(r"/en/help/matches/\d+/$"))
    taken = Match.objects.latest("pk")
    assert Match.objects.count() == before + 1 and taken.status == Match.Status.ACCEPTED
    assert taken.request.district_id == home

    # the visit is planned and its time has come (a visit is logged only once it has begun, issue 14)
    taken = begun(taken)

    page = signed_in_context(browser, site, "coordinator", java_script_enabled=False).new_page()
    page.goto(site.url + f"/en/coordinate/matches/{taken.pk}/")
    done = page.locator("form", has=page.get_by_role("button", name="Mark the visit done"))
    done.get_by_label("How many hours the helper helped").fill("30")
    done.get_by_role("button", name="Mark the visit done").click()
    expect(page.locator(".field-error", has_text="between 0.25 and 12")).to_be_visible()
    taken.refresh_from_db()
    assert taken.status == Match.Status.PLANNED and taken.hours is None
    done.get_by_label("How many hours the helper helped").fill("1.5")
    done.get_by_label("What the helper said about the visit").fill("Fijne babbel, boodschappen gedaan.")
    done.locator("label", has_text="Yes").click()  # the words are the target; the box is drawn beside them
    expect(done.get_by_label("Yes", exact=True)).to_be_checked()
    done.get_by_role("button", name="Mark the visit done").click()
    expect(page.get_by_text("The visit is recorded as done, with the helper's hours.")).to_be_visible()
    taken.refresh_from_db()
    assert taken.status == Match.Status.DONE and float(taken.hours or 0) == 1.5
    assert taken.helper_feedback == "Fijne babbel, boodschappen gedaan."
