"""Issue 14, the care flow mended (pages): a helper at capacity sees it before tapping and a refused tap never
makes the card vanish; the request page names the helper asked from the moment of the proposal; "my visits"
says when, whom and how many hours, with a running total; the attestation of volunteer hours.

Pages are read in English (/en/).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.access.models import AccessLogEntry
from apps.care import services
from apps.care.models import CareRequest, HelperOffer, Match
from apps.people.models import Person, Role

from .conftest import CareWorld, begun, grant, make_person, tomorrow_at

pytestmark = pytest.mark.django_db

FULL = "You already help with 1 request, as many as you offered."
CANNOT = "You cannot say “I can help” right now"


def take_buttons(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'action="/en/help/requests/(\d+)/take/"', html)]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ----------------------------------------------------------------------------------------------------------
# at capacity: said before the tap; a refused tap keeps the card


def test_at_capacity_the_cards_stay_and_say_so_instead_of_offering_the_button(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[[Person], Client]
) -> None:
    world = care_world
    services.request_take(actor=world.helper_actor, request=make_request())  # capacity 1: now full
    other = make_request(category="company")
    client = client_for(world.helper)
    html = client.get("/en/help/").content.decode()
    assert f'id="request-{other.pk}"' in html, "the card is still listed"
    assert take_buttons(html) == [], "no button that can only be refused"
    assert CANNOT in html and FULL in text(html)
    assert "You already help with as many requests as you offered." in html  # on the card itself
    summary = client.get(f"/en/help/requests/{other.pk}/").content.decode()
    assert take_buttons(summary) == [] and FULL in text(summary)


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_refused_tap_keeps_the_card_with_the_answer_in_place_of_its_button(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[[Person], Client],
    htmx: bool,
) -> None:  # fmt: skip
    """The page was opened while the helper had room; meanwhile a coordinator's proposal was accepted."""
    world = care_world
    shown = make_request(category="company")
    client = client_for(world.helper)
    assert shown.pk in take_buttons(client.get("/en/help/").content.decode())
    services.request_take(actor=world.helper_actor, request=make_request())  # full now
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(f"/en/help/requests/{shown.pk}/take/", **headers)
    if htmx:
        html = response.content.decode()
        # only the button's form is swapped (hx-target="this"): the card around it stays on the page
        assert html.lstrip().startswith(f'<div class="take-refused" id="take-{shown.pk}">')
        assert "<li" not in html and FULL in text(html) and 'role="alert"' in html
    else:
        assert response.status_code == 302 and response["Location"] == f"/en/help/requests/{shown.pk}/"
        html = client.get(response["Location"]).content.decode()
        assert shown.category.name in html and "Distance" in html, "the card, again"
        assert FULL in text(html)
    assert not shown.matches.exists()


def test_the_take_form_swaps_only_itself() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("care/helper/_take.html", {"card": {"pk": 7, "category": "x", "when": "y"}})
    assert 'hx-target="this"' in html and 'id="take-7"' in html and "closest li" not in html


# ----------------------------------------------------------------------------------------------------------
# "Proposed to Yusuf T., waiting for an answer"


def test_the_request_pages_name_the_helper_asked_as_soon_as_the_proposal_is_made(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[[Person], Client]
) -> None:
    world = care_world
    helper = world.helper
    expected = f"Proposed to {helper.first_name} {helper.last_name[:1]}., waiting for an answer."
    resident = client_for(world.resident)
    coordinator = client_for(world.coordinator)
    assert expected not in resident.get(f"/en/care/requests/{care_request.pk}/").content.decode()
    services.match_propose(actor=world.coordinator_actor, request=care_request, offer=world.offer)
    assert expected in resident.get(f"/en/care/requests/{care_request.pk}/").content.decode()
    assert expected in resident.get("/en/care/").content.decode()
    page = coordinator.get(f"/en/coordinate/requests/{care_request.pk}/").content.decode()
    assert expected in page
    # the status tag agrees with the sentence: no "Looking for a helper" beside "Proposed to ..."
    assert "status-tag--info\">Proposed</span>" in page and "Looking for a helper</span>" not in page
    assert helper.last_name not in resident.get(f"/en/care/requests/{care_request.pk}/").content.decode()


# ----------------------------------------------------------------------------------------------------------
# my visits and the attestation


@pytest.fixture
def two_visits(care_world: CareWorld, make_request: Callable[..., CareRequest]) -> tuple[Match, Match]:
    """One visit done last hour (1.5 hours) and one planned tomorrow 10:00–11:00."""
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    done = begun(services.request_take(actor=world.helper_actor, request=make_request()))
    services.match_done(actor=world.helper_actor, match=done, hours=Decimal("1.5"))
    planned = services.request_take(actor=world.helper_actor, request=make_request(category="company"))
    planned = services.match_plan(actor=world.helper_actor, match=planned, start=tomorrow_at(10), end=tomorrow_at(11))
    done.refresh_from_db()
    return done, planned


def test_my_visits_say_when_whom_and_the_hours_with_a_running_total(
    care_world: CareWorld, two_visits: tuple[Match, Match], client_for: Callable[[Person], Client]
) -> None:
    done, planned = two_visits
    html = client_for(care_world.helper).get("/en/help/matches/").content.decode()
    shown = text(html)
    first_name = care_world.resident.first_name
    assert "10:00–11:00" in shown and f"with {first_name}" in shown  # the planned visit: day, time, whom
    assert "1.5 hours" in shown, "the done visit's hours"
    assert "You helped 1.5 hours in 1 visit." in shown
    assert "Hours so far" in html
    assert care_world.resident.last_name not in html
    assert 'href="/en/help/hours/' in html, "a real link to the attestation, no JavaScript needed"
    logged = AccessLogEntry.objects.filter(actor_person_id=care_world.helper.pk, action="list")
    assert sorted(int(e.record_id) for e in logged) == sorted([done.request_id, planned.request_id])


def test_the_attestation_lists_each_days_hours_and_the_total_never_whom(
    care_world: CareWorld, two_visits: tuple[Match, Match], client_for: Callable[[Person], Client]
) -> None:
    done, _planned = two_visits
    helper = care_world.helper
    today = timezone.localdate()
    url = f"/en/help/hours/{care_world.offer.pk}/?first_day={today - timedelta(days=30)}&last_day={today}"
    response = client_for(helper).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    shown = text(html)
    assert f"{helper.first_name} {helper.last_name} helped neighbours as a volunteer" in shown
    assert "Total, 1 visit" in shown and "1.5 hours" in shown
    assert "City of People" in shown and "Gent" in shown
    assert care_world.resident.first_name not in html and done.request.category.name not in html
    assert "print command" in html, "how to print without JavaScript"
    assert re.search(r"<button[^>]*data-print[^>]*hidden", html), "the Print button only when the script runs"
    assert not AccessLogEntry.objects.filter(record_type="care.HelperOffer").exists(), "one's own: not logged"
    outside = client_for(helper).get(f"/en/help/hours/{care_world.offer.pk}/?first_day=2001-01-01&last_day=2001-12-31")
    assert "No visits were done in this period." in outside.content.decode()
    wrong = client_for(helper).get(f"/en/help/hours/{care_world.offer.pk}/?first_day={today}&last_day=2001-01-01")
    assert "There is a problem" in wrong.content.decode()
    assert "The last day comes before the first day." in wrong.content.decode()


def test_the_attestation_names_the_organisation_a_city_sets(
    care_world: CareWorld, two_visits: tuple[Match, Match], client_for: Callable[[Person], Client], settings: Any
) -> None:
    settings.CARE_ATTESTATION_ORGANISATION = "Vrijwilligerspunt Gent"
    html = client_for(care_world.helper).get(f"/en/help/hours/{care_world.offer.pk}/").content.decode()
    assert "<strong>Vrijwilligerspunt Gent</strong><br>Gent" in html


def test_only_the_helper_and_their_coordinator_see_the_hours_and_the_reads_are_logged(
    care_world: CareWorld, two_visits: tuple[Match, Match], client_for: Callable[[Person], Client],
    make_helper: Callable[..., HelperOffer],
) -> None:  # fmt: skip
    url = f"/en/help/hours/{care_world.offer.pk}/"
    stranger = make_helper(care_world.district, name="Stefan")
    assert client_for(stranger.person).get(url).status_code == 404
    assert client_for(care_world.resident).get(url).status_code == 404
    assert client_for(care_world.other_coordinator).get(url).status_code == 404
    assert client_for(care_world.coordinator).get(url).status_code == 200
    entries = AccessLogEntry.objects.filter(record_type="care.HelperOffer", record_id=str(care_world.offer.pk))
    assert entries.filter(outcome="denied").count() == 3
    assert entries.filter(outcome="allowed", actor_person_id=care_world.coordinator.pk).count() == 1
    auditor = make_person("Audrey", care_world.district)
    grant(auditor, Role.AUDITOR)
    assert client_for(auditor).get(url).status_code == 404


def test_the_api_says_before_the_tap_too(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[[Person], Client]
) -> None:
    client = client_for(care_world.helper)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.get("/api/v1/care/offer").json()["cannot_take"] is None
    services.request_take(actor=care_world.helper_actor, request=make_request())
    assert client.get("/api/v1/care/offer").json()["cannot_take"] == FULL
    refused = client.post(f"/api/v1/care/requests/{make_request(category='company').pk}/take")
    assert (refused.status_code, refused.json()["detail"]) == (409, FULL)


def test_planning_a_visit_the_helper_sees_the_times_already_taken(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[[Person], Client]
) -> None:
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    first = services.request_take(actor=world.helper_actor, request=make_request())
    services.match_plan(actor=world.helper_actor, match=first, start=tomorrow_at(10), end=tomorrow_at(11))
    second = services.request_take(actor=world.helper_actor, request=make_request(category="company"))
    client = client_for(world.helper)
    shown = text(client.get(f"/en/help/matches/{second.pk}/").content.decode())
    assert "You already have a visit at these times" in shown and "10:00–11:00" in shown
    refused = client.post(
        f"/en/help/matches/{second.pk}/plan/",
        {"plan-day": tomorrow_at(10).date().isoformat(), "plan-start": "10:30", "plan-end": "11:30"},
    )
    assert refused.status_code == 200
    assert "Another visit is already planned at that time" in text(refused.content.decode())
    second.refresh_from_db()
    assert second.status == Match.Status.ACCEPTED
