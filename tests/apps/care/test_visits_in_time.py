"""Issue 14, the care flow mended: a visit is logged only once it was planned and has begun; one helper's
planned visits never overlap, and the engine's free time leaves them out (suggestions, "near me", a take).

The rules live in the services, so the pages, the API and any command obey them alike; the API is tested
here too.  Messages are asserted in English.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from apps.care import selectors, services
from apps.care.models import CareRequest, HelperOffer, Match
from apps.care.problem import planned_visits

from .conftest import CareWorld, clock, snapshot, tomorrow_at

pytestmark = pytest.mark.django_db

API = "/api/v1/care"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def refused(call: Callable[[], object], message: str, code: str) -> None:
    """The call raises a ValidationError with this message and code, and the database is exactly as before."""
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        call()
    assert message in " ".join(raised.value.messages)
    assert [e.code for e in raised.value.error_list] == [code]
    assert snapshot() == before, "a refused write changes nothing"


def taken_by(world: CareWorld, request: CareRequest) -> Match:
    return services.request_take(actor=world.helper_actor, request=request)


def plan(world: CareWorld, match: Match, start_hour: int, end_hour: int) -> Match:
    return services.match_plan(
        actor=world.helper_actor, match=match, start=tomorrow_at(start_hour), end=tomorrow_at(end_hour)
    )


def post(client: Client, url: str, body: dict[str, object]) -> object:
    return client.post(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


# ----------------------------------------------------------------------------------------------------------
# logging a visit


def test_a_visit_cannot_be_logged_right_after_saying_yes(care_world: CareWorld, care_request: CareRequest) -> None:
    """The walk-through's defect: 1.5 hours logged right after "I can help", and the request was closed."""
    match = taken_by(care_world, care_request)
    refused(
        lambda: services.match_done(actor=care_world.helper_actor, match=match, hours=Decimal("1.5")),
        "First write down the day and time of the visit.",
        "not_planned",
    )
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.MATCHED


def test_a_planned_visit_is_logged_from_its_start_not_before(care_world: CareWorld, care_request: CareRequest) -> None:
    match = plan(care_world, taken_by(care_world, care_request), 10, 11)
    assert services.done_possible_from(match) == tomorrow_at(10)
    with clock(tomorrow_at(9, 59)):
        refused(
            lambda: services.match_done(actor=care_world.helper_actor, match=match, hours=Decimal("1")),
            "This visit has not taken place yet. You can log it from",
            "too_early",
        )
    with clock(tomorrow_at(10)):
        done = services.match_done(actor=care_world.helper_actor, match=match, hours=Decimal("1"))
    assert done.status == Match.Status.DONE
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.DONE


def test_the_coordinator_logging_for_the_helper_obeys_the_same_rule(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    match = taken_by(care_world, care_request)
    refused(
        lambda: services.match_done(actor=care_world.coordinator_actor, match=match, hours=Decimal("1")),
        "First write down the day and time of the visit.",
        "not_planned",
    )


def test_the_api_refuses_a_visit_logged_before_it_was_planned_or_before_its_time(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[..., Client]
) -> None:
    match = taken_by(care_world, care_request)
    helper = client_for(care_world.helper)
    early = post(helper, f"{API}/matches/{match.pk}/done", {"hours": 1.5})
    assert early.status_code == 422  # type: ignore[attr-defined]
    assert "First write down the day and time of the visit." in early.json()["detail"]  # type: ignore[attr-defined]
    plan(care_world, match, 10, 11)
    early = post(helper, f"{API}/matches/{match.pk}/done", {"hours": 1})
    assert early.status_code == 422  # type: ignore[attr-defined]
    assert "You can log it from" in early.json()["detail"]  # type: ignore[attr-defined]
    match.refresh_from_db()
    assert match.status == Match.Status.PLANNED and match.hours is None


# ----------------------------------------------------------------------------------------------------------
# two visits of one helper never overlap


def test_a_helper_cannot_plan_two_visits_that_overlap(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    first = plan(world, taken_by(world, make_request()), 10, 11)
    second = taken_by(world, make_request(category="company"))
    refused(
        lambda: plan(world, second, 10, 12),
        "Another visit is already planned at that time",
        "overlap",
    )
    refused(lambda: plan(world, second, 9, 11), "Another visit is already planned at that time", "overlap")
    # touching is not overlapping: one after the other is fine
    assert plan(world, second, 11, 12).status == Match.Status.PLANNED
    # moving a visit within its own time is no clash with itself
    assert plan(world, first, 9, 10).planned_start == tomorrow_at(9)


def test_another_helpers_visit_or_a_visit_called_off_takes_no_time(
    care_world: CareWorld, make_request: Callable[..., CareRequest], make_helper: Callable[..., HelperOffer]
) -> None:
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    first = plan(world, taken_by(world, make_request()), 10, 11)
    services.match_cancel(actor=world.helper_actor, match=first, reason="Ziek.")
    assert plan(world, taken_by(world, make_request(category="company")), 10, 11).status == Match.Status.PLANNED


def test_the_api_refuses_an_overlapping_visit_with_a_conflict(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[..., Client]
) -> None:
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    plan(world, taken_by(world, make_request()), 10, 11)
    second = taken_by(world, make_request(category="company"))
    body = {"start": tomorrow_at(10, 30).isoformat(), "end": tomorrow_at(11, 30).isoformat()}
    answer = post(client_for(world.helper), f"{API}/matches/{second.pk}/plan", body)
    assert answer.status_code == 409  # type: ignore[attr-defined]
    assert "Another visit is already planned at that time" in answer.json()["detail"]  # type: ignore[attr-defined]
    second.refresh_from_db()
    assert second.status == Match.Status.ACCEPTED and second.planned_start is None


def test_suggestions_and_near_me_leave_out_the_time_of_a_planned_visit(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    """A request whose only time is when the helper already visits someone else does not fit them: not in
    the coordinator's suggestions, not on their "near me", and their "I can help" is refused."""
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    plan(world, taken_by(world, make_request()), 10, 11)
    busy = make_request(category="company", windows=[services.Window(tomorrow_at(10), tomorrow_at(11))])
    around = make_request(category="company", windows=[services.Window(tomorrow_at(10), tomorrow_at(12))])
    offer = HelperOffer.objects.select_related("person").get(pk=world.offer.pk)
    assert world.offer.pk not in [o.pk for _s, o in selectors.suggestions_for(busy)]
    assert world.offer.pk in [o.pk for _s, o in selectors.suggestions_for(around)]
    near = {summary.pk: fit for fit, summary in selectors.requests_near(offer)}
    assert busy.pk not in near and around.pk in near
    # the free time the engine found starts after the planned visit
    assert near[around.pk].overlap_start.hour == 11
    with pytest.raises(ValidationError) as raised:
        services.request_take(actor=world.helper_actor, request=busy)
    assert "time window" in " ".join(raised.value.messages)
    assert not Match.objects.filter(request=busy).exists()


def test_a_proposal_by_hand_cannot_book_a_helper_twice(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    plan(world, taken_by(world, make_request()), 10, 11)
    busy = make_request(category="company", windows=[services.Window(tomorrow_at(10), tomorrow_at(11))])
    refused(
        lambda: services.match_propose(actor=world.coordinator_actor, request=busy, offer=world.offer),
        "This helper does not fit this request: time window.",
        "not_eligible",
    )


def test_a_visit_that_has_ended_takes_no_time_any_more(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    match = taken_by(world, make_request())
    start = timezone.now() - timedelta(hours=3)
    Match.objects.filter(pk=match.pk).update(
        status=Match.Status.PLANNED, planned_start=start, planned_end=start + timedelta(hours=1)
    )
    assert planned_visits(world.offer.pk) == []
