"""The care flow, mended (issue 14), in a browser on a phone (390 × 844): the coordinator's and the resident's
pages that a walk-through found wanting, each axe-checked and no wider than the phone.

- a person's page lists their requests and visits;
- registering a likely duplicate is stopped with a notice and a box to tick;
- the call list leaves out, and lists apart, whoever did not agree to be called, and lists "no helper fits";
- the coordinator's pages keep the engine's numbers behind "Details of the calculation";
- the resident's request form fits in two phone screens;
- "Who read my data" names the coordinator and fits the phone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from apps.access.actors import actor_for_user
from apps.access.services import access_log_write
from apps.care import selectors, services
from apps.care.models import CareRequest
from apps.people.models import Person, Role
from tests.e2e.axe import assert_accessible

PHONE = {"width": 390, "height": 844}


def on_phone(browser: Browser, site: Any, role: str, **options: Any) -> Page:
    """A phone signed in as the demo account of a role (staff accounts have their second factor in the demo)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=f"{role}@demo.cityofpeople.example"))
    context = browser.new_context(locale="nl-BE", bypass_csp=True, viewport=PHONE, **options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])
    return context.new_page()


def opened(page: Page, url: str) -> Page:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{url} is wider than the phone"
    return page


def demo_person(role: str) -> Person:
    return Person.objects.get(user__username=f"{role}@demo.cityofpeople.example")


def test_a_persons_page_lists_their_requests_and_visits(browser: Browser, site: Any) -> None:
    actor = actor_for_user(demo_person("coordinator").user)
    busiest = (
        selectors.requests_in_scope(actor).values("person_id").annotate(n=Count("pk")).order_by("-n", "person_id")
    ).first()
    assert busiest is not None
    person = Person.objects.get(pk=busiest["person_id"])
    page = opened(on_phone(browser, site, "coordinator"), site.url + f"/en/persons/{person.pk}/")
    section = page.get_by_role("region", name="Requests for help and visits")
    expect(section).to_be_visible()
    expect(section.get_by_role("listitem").filter(has=page.get_by_role("heading"))).to_have_count(busiest["n"])


def test_registering_a_likely_duplicate_asks_first(browser: Browser, site: Any) -> None:
    rosa = demo_person("resident")
    page = opened(on_phone(browser, site, "coordinator"), site.url + "/en/persons/new/")
    before = Person.objects.count()
    page.get_by_label("First name").fill("Rosa")
    page.get_by_label("Last name").fill("Tweemaal")
    page.locator("#id_address").fill("Korenmarkt 1")
    national = "0" + rosa.phone.removeprefix("+32")
    page.locator("#id_phone").fill(f"{national[:4]} {national[4:6]} {national[6:8]} {national[8:]}")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("This person may already be registered")).to_be_visible()
    expect(page.get_by_text("same phone number")).to_be_visible()
    assert Person.objects.count() == before
    assert_accessible(page)
    page.locator("label[for=id_different_person]").click()  # the style guide draws the box on the label
    expect(page.get_by_label("This is a different person, register anyway")).to_be_checked()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Tweemaal")
    assert Person.objects.count() == before + 1


def test_the_call_list_leaves_out_who_may_not_be_called(browser: Browser, site: Any) -> None:
    page = opened(on_phone(browser, site, "coordinator"), site.url + "/en/coordinate/calls/")
    expect(page.get_by_role("heading", name="No helper fits")).to_be_visible()
    calls = selectors.call_list(actor_for_user(demo_person("coordinator").user))
    if calls.not_called:
        expect(page.get_by_role("heading", name="Not to be called by phone")).to_be_visible()
        expect(page.get_by_text("Not everyone is on this list to call")).to_be_visible()


def test_the_coordinators_pages_fold_the_engines_numbers(browser: Browser, site: Any) -> None:
    coordinator = demo_person("coordinator")
    actor = actor_for_user(coordinator.user)
    home = coordinator.roles.get(role=Role.COORDINATOR).district_id
    matching_round = services.round_start(actor=actor, district_id=home)
    services.round_run(matching_round.pk, [home])
    page = opened(on_phone(browser, site, "coordinator"), site.url + f"/en/coordinate/rounds/{matching_round.pk}/")
    expect(page.get_by_text("Proven optimal")).to_be_hidden()
    page.get_by_text("Details of the calculation").click()
    expect(page.get_by_text("Proven optimal")).to_be_visible()
    assert_accessible(page)
    open_request = (
        selectors.requests_in_scope(actor).filter(status=CareRequest.Status.OPEN, eligible_helpers__gt=0).first()
    )
    if open_request is not None:
        opened(page, site.url + f"/en/coordinate/requests/{open_request.pk}/")
        expect(page.get_by_text("Details of the calculation")).to_be_visible()
        expect(page.get_by_text(": score ").first).to_be_hidden()


def test_the_request_form_fits_two_phone_screens(browser: Browser, site: Any) -> None:
    rosa = demo_person("resident")
    page = on_phone(browser, site, "resident")
    for language in ("nl", "en", "fr"):
        opened(page, site.url + f"/{language}/care/ask/")
        bottom = page.evaluate(
            "document.querySelector('form.ask-form button[type=submit]').getBoundingClientRect().bottom + scrollY"
        )
        assert bottom <= 2 * PHONE["height"], f"{language}: the button to send is at {bottom} px"
        for code in rosa.languages:
            expect(page.locator(f"input[name=languages][value={code}]")).to_be_checked()
        expect(page.locator("input[type=time]")).to_have_count(0)
    # the other languages are folded, and unfold
    other = next(code for code in ("nl", "fr", "en", "ar", "tr") if code not in rosa.languages)
    expect(page.locator(f"input[name=languages][value={other}]")).to_be_hidden()
    page.locator("summary", has_text="Autres langues").click()
    expect(page.locator(f"label[for={page.locator(f'input[name=languages][value={other}]').get_attribute('id')}]")).to_be_visible()


def test_who_read_my_data_names_the_coordinator_and_fits_a_phone(browser: Browser, site: Any) -> None:
    rosa, coordinator = demo_person("resident"), demo_person("coordinator")
    access_log_write(
        actor=actor_for_user(coordinator.user), subject_person_id=rosa.pk, record_type="care.CareRequest",
        record_id=1, action="read", purpose="care.view_request", allowed=True, via="test",
    )  # fmt: skip
    page = opened(on_phone(browser, site, "resident"), site.url + "/nl/me/reads/")
    expect(page.get_by_text(f"{coordinator.first_name}, ").first).to_be_visible()
    assert coordinator.last_name not in page.locator("main").inner_text()
