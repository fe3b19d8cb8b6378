"""The care pages on a phone (issue 14, item 1: "a request's page wider than the phone"): at 390 × 844 no care
page scrolls sideways, because every table of the care pages is the design system's table (a list of cards on a
phone), and each page is axe-clean (also the "needs review" contrast and broken references)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page

from apps.access.actors import actor_for_user
from apps.care import services
from apps.care.models import CareRequest, HelperOffer, Match
from apps.people.models import Person, Role
from tests.e2e.axe import assert_accessible
from tests.e2e.test_signed_in_pages_are_accessible import signed_in_context

PHONE = {"width": 390, "height": 844}


def on_a_phone(browser: Browser, site: Any, role: str) -> Page:
    context = signed_in_context(browser, site, role)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    return page


def assert_fits_the_phone(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url} is {width} px wide on a {PHONE['width']} px phone"
    assert_accessible(page)


def test_the_coordinators_care_pages_fit_a_phone(browser: Browser, site: Any) -> None:
    coordinator = Person.objects.get(user__username="coordinator@demo.cityofpeople.example")
    district = coordinator.roles.get(role=Role.COORDINATOR).district_id
    care_request = CareRequest.objects.filter(district_id=district, status=CareRequest.Status.OPEN).order_by("pk")[0]
    match = Match.objects.filter(request__district_id=district).order_by("pk")[0]
    offer = HelperOffer.objects.filter(person__district_id=district).order_by("pk")[0]
    actor = actor_for_user(coordinator.user)
    matching_round = services.round_start(actor=actor, district_id=district)
    services.round_run(matching_round.pk, [district])
    page = on_a_phone(browser, site, "coordinator")
    for path in (
        "/nl/coordinate/",
        "/nl/coordinate/worklist/new/",
        f"/nl/coordinate/requests/{care_request.pk}/",
        f"/nl/coordinate/requests/{care_request.pk}/?helper=Yasmine",
        f"/nl/coordinate/matches/{match.pk}/",
        "/nl/coordinate/rounds/",
        f"/nl/coordinate/rounds/{matching_round.pk}/",
        "/nl/coordinate/calls/",
        f"/nl/coordinate/helpers/{offer.pk}/vetting/",
    ):
        assert_fits_the_phone(page, site.url + path)


def test_the_residents_request_and_the_helpers_visits_fit_a_phone(browser: Browser, site: Any) -> None:
    resident = Person.objects.get(user__username="resident@demo.cityofpeople.example")
    care_request = CareRequest.objects.filter(person=resident).order_by("pk")[0]
    page = on_a_phone(browser, site, "resident")
    for path in ("/nl/care/", f"/nl/care/requests/{care_request.pk}/"):
        assert_fits_the_phone(page, site.url + path)
    page = on_a_phone(browser, site, "helper")
    for path in ("/nl/help/", "/nl/help/matches/"):
        assert_fits_the_phone(page, site.url + path)
