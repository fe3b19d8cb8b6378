"""A match from proposal to a done visit, and every way it can end otherwise (issue 6, item 4).

proposed → accepted → planned → done with hours and feedback from both sides; declined with a reason;
cancelled by the helper, the resident or the coordinator; a weekly request that keeps its helper when
both want it, and loses them when the resident does not.  Every transition is recorded (who, from,
to), and bad input gets a clear message and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from apps.care import selectors, services
from apps.care.models import CareRequest, Match, MatchEvent
from apps.care.problem import Horizon, build_problem, open_requests

from .conftest import CareWorld, actor, clock, snapshot, tomorrow_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Messages are asserted by their English text (the translations are checked elsewhere)."""
    with translation.override("en"):
        yield


def events(match: Match) -> list[tuple[str, str, int | None]]:
    """The match's history as (from, to, who)."""
    return [(e.from_status, e.to_status, e.actor_id) for e in MatchEvent.objects.filter(match=match).order_by("pk")]


def engine_request(request: CareRequest) -> object:
    """The request as the engine sees it in a problem built now."""
    problem = build_problem(requests=[request], horizon=Horizon.from_now())
    (found,) = problem.requests
    return found


def propose(world: CareWorld, request: CareRequest) -> Match:
    return services.match_propose(actor=world.coordinator_actor, request=request, offer=world.offer)


def accepted(world: CareWorld, request: CareRequest) -> Match:
    return services.match_accept(actor=world.helper_actor, match=propose(world, request))


def planned(world: CareWorld, request: CareRequest) -> Match:
    return services.match_plan(
        actor=world.helper_actor, match=accepted(world, request), start=tomorrow_at(10), end=tomorrow_at(11)
    )


# ----------------------------------------------------------------------------------------------------------
# the happy path


def test_proposed_accepted_planned_done_with_hours_and_both_feedbacks(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    world = care_world
    match = propose(world, care_request)
    assert (
        match.status == Match.Status.PROPOSED
        and match.score is not None
        and match.distance_km == pytest.approx(0.3, abs=0.01)
    )
    match = services.match_accept(actor=world.helper_actor, match=match)
    care_request.refresh_from_db()
    assert (match.status, care_request.status) == (Match.Status.ACCEPTED, CareRequest.Status.MATCHED)
    assert match.accepted_at is not None
    match = services.match_plan(actor=world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    assert (match.status, match.planned_start, match.planned_end) == (
        Match.Status.PLANNED, tomorrow_at(10), tomorrow_at(11),
    )  # fmt: skip
    with clock(tomorrow_at(12)):
        match = services.match_done(
            actor=world.helper_actor, match=match, hours=Decimal("1.5"), feedback=" Fijne babbel gehad. ",
            would_come_again=True,
        )  # fmt: skip
    match = services.match_resident_feedback(
        actor=world.resident_actor, match=match, feedback="Heel vriendelijk, dank u.", same_helper_again=True
    )
    match.refresh_from_db()
    care_request.refresh_from_db()
    assert match.status == Match.Status.DONE
    assert match.hours == Decimal("1.50")
    assert (match.helper_feedback, match.helper_continues) == ("Fijne babbel gehad.", True)
    assert (match.resident_feedback, match.resident_continues) == ("Heel vriendelijk, dank u.", True)
    assert care_request.status == CareRequest.Status.DONE and care_request.closed_at is not None
    helper, coordinator = world.helper.pk, world.coordinator.pk
    assert events(match) == [
        ("", "proposed", coordinator),
        ("proposed", "accepted", helper),
        ("accepted", "planned", helper),
        ("planned", "done", helper),
    ]


def test_a_helper_who_takes_a_request_is_recorded_as_accepting_it(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    match = services.request_take(actor=care_world.helper_actor, request=care_request)
    care_request.refresh_from_db()
    assert (match.status, care_request.status) == (Match.Status.ACCEPTED, CareRequest.Status.MATCHED)
    assert events(match) == [("", "accepted", care_world.helper.pk)]
    assert MatchEvent.objects.get(match=match).note == "taken by the helper"
    assert care_request not in open_requests()


# ----------------------------------------------------------------------------------------------------------
# declined and cancelled


def test_declined_with_a_reason_and_not_proposed_for_that_request_again(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    world = care_world
    assert world.offer.engine_id not in engine_request(care_request).excluded_helpers  # type: ignore[attr-defined]
    match = services.match_decline(actor=world.helper_actor, match=propose(world, care_request),
                                   reason="Ik ben die week op kamp.")  # fmt: skip
    match.refresh_from_db()
    assert (match.status, match.decline_reason) == (Match.Status.DECLINED, "Ik ben die week op kamp.")
    assert events(match)[-1] == ("proposed", "declined", world.helper.pk)
    assert MatchEvent.objects.filter(match=match).last().note == "Ik ben die week op kamp."  # type: ignore[union-attr]
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.OPEN and care_request in open_requests()
    # the next problem leaves the helper out for this request, and says why
    assert world.offer.engine_id in engine_request(care_request).excluded_helpers  # type: ignore[attr-defined]
    assert selectors.suggestions_for(care_request) == []
    with pytest.raises(ValidationError, match="This helper does not fit this request"):
        propose(world, care_request)


@pytest.mark.parametrize("who", ["helper", "resident", "coordinator"])
def test_cancelled_by_anyone_concerned_opens_the_request_again(
    care_world: CareWorld, care_request: CareRequest, who: str
) -> None:
    world = care_world
    match = planned(world, care_request)
    person = {"helper": world.helper, "resident": world.resident, "coordinator": world.coordinator}[who]
    services.match_cancel(actor=actor(person), match=match, reason="Ziek geworden.")
    match.refresh_from_db()
    care_request.refresh_from_db()
    assert (match.status, match.cancel_reason) == (Match.Status.CANCELLED, "Ziek geworden.")
    assert care_request.status == CareRequest.Status.OPEN
    assert care_request in open_requests(), "the request looks for a helper again"
    assert events(match)[-1] == ("planned", "cancelled", person.pk)


def test_cancelling_the_request_cancels_the_match_and_records_who(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    match = accepted(care_world, care_request)
    services.care_request_cancel(actor=care_world.resident_actor, request=care_request, reason="Mijn zoon komt.")
    match.refresh_from_db()
    care_request.refresh_from_db()
    assert (care_request.status, match.status) == (CareRequest.Status.CANCELLED, Match.Status.CANCELLED)
    assert events(match)[-1] == ("accepted", "cancelled", care_world.resident.pk)


# ----------------------------------------------------------------------------------------------------------
# continuity of a weekly request


@pytest.fixture
def weekly(make_request: Callable[..., CareRequest]) -> CareRequest:
    """Every week, tomorrow 10:00–12:00, three times."""
    until = timezone.localdate() + timedelta(days=15)
    return make_request(recurrence=CareRequest.Recurrence.WEEKLY, repeat_until=until, category="company")


def first_visit_done(world: CareWorld, request: CareRequest) -> Match:
    match = services.request_take(actor=world.helper_actor, request=request)
    match = services.match_plan(actor=world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    with clock(tomorrow_at(12)):
        return services.match_done(actor=world.helper_actor, match=match, hours=Decimal("1"), would_come_again=True)


def test_a_weekly_request_keeps_its_helper_when_both_want_it(
    care_world: CareWorld, weekly: CareRequest, make_request: Callable[..., CareRequest]
) -> None:
    world = care_world
    assert weekly.windows.count() == 3
    first = first_visit_done(world, weekly)
    services.match_resident_feedback(actor=world.resident_actor, match=first, feedback="Top.", same_helper_again=True)
    weekly.refresh_from_db()
    held = Match.objects.get(request=weekly, status__in=Match.HOLDING)
    assert held.pk != first.pk and held.helper == world.offer, "the same helper holds the next visit"
    assert weekly.status == CareRequest.Status.MATCHED
    assert events(held) == [("", "accepted", world.helper.pk)]
    assert MatchEvent.objects.get(match=held).note == "continuity: same helper for the next time"
    # the engine prefers that helper for the person's next request (a bonus in the score)
    later = make_request(category="shopping")
    assert engine_request(later).preferred_helpers == (world.offer.engine_id,)  # type: ignore[attr-defined]
    (suggestion, offer), *_ = selectors.suggestions_for(later)
    assert offer == world.offer and suggestion.preferred


def test_a_weekly_request_loses_its_helper_when_the_resident_says_no(
    care_world: CareWorld, weekly: CareRequest, make_request: Callable[..., CareRequest]
) -> None:
    world = care_world
    first = first_visit_done(world, weekly)
    follow = Match.objects.get(request=weekly, status=Match.Status.ACCEPTED)
    services.match_resident_feedback(
        actor=world.resident_actor, match=first, feedback="Liever iemand anders.", same_helper_again=False
    )
    follow.refresh_from_db()
    weekly.refresh_from_db()
    assert follow.status == Match.Status.CANCELLED
    assert events(follow)[-1] == ("accepted", "cancelled", world.resident.pk)
    assert weekly.status == CareRequest.Status.OPEN and weekly in open_requests()
    assert not Match.objects.filter(request=weekly, status__in=Match.HOLDING).exists()
    # excluded from this request and from the person's later requests
    assert world.offer.engine_id in engine_request(weekly).excluded_helpers  # type: ignore[attr-defined]
    later = make_request(category="shopping")
    assert world.offer.engine_id in engine_request(later).excluded_helpers  # type: ignore[attr-defined]
    assert selectors.suggestions_for(later) == []


# ----------------------------------------------------------------------------------------------------------
# bad input: a clear message, nothing changed


def refused(call: Callable[[], object], message: str) -> None:
    """The call raises a ValidationError with this message and the database is exactly as before."""
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        call()
    assert message in " ".join(raised.value.messages)
    assert snapshot() == before, "bad input changed nothing"


def test_planning_in_the_past_is_refused(care_world: CareWorld, care_request: CareRequest) -> None:
    match = accepted(care_world, care_request)
    now = timezone.now()
    refused(
        lambda: services.match_plan(
            actor=care_world.helper_actor, match=match, start=now - timedelta(hours=2), end=now - timedelta(hours=1)
        ),
        "Choose a moment in the future.",
    )


def test_an_end_before_the_start_is_refused(care_world: CareWorld, care_request: CareRequest) -> None:
    match = accepted(care_world, care_request)
    refused(
        lambda: services.match_plan(
            actor=care_world.helper_actor, match=match, start=tomorrow_at(11), end=tomorrow_at(10)
        ),
        "The end lies before the start.",
    )


@pytest.mark.parametrize("hours", ["0", "0.1", "12.5", "-1"])
def test_hours_out_of_range_are_refused(care_world: CareWorld, care_request: CareRequest, hours: str) -> None:
    match = planned(care_world, care_request)
    with clock(tomorrow_at(12)):
        refused(
            lambda: services.match_done(actor=care_world.helper_actor, match=match, hours=Decimal(hours)),
            "Hours must be between 0.25 and 12.",
        )


def test_a_visit_cannot_be_done_before_it_happened(care_world: CareWorld, care_request: CareRequest) -> None:
    match = planned(care_world, care_request)
    refused(
        lambda: services.match_done(actor=care_world.helper_actor, match=match, hours=Decimal("1")),
        "This visit has not taken place yet. You can log it from",
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_declining_without_a_reason_is_refused(care_world: CareWorld, care_request: CareRequest, reason: str) -> None:
    match = propose(care_world, care_request)
    refused(
        lambda: services.match_decline(actor=care_world.helper_actor, match=match, reason=reason),
        "Say briefly why, so the coordinator can find someone else.",
    )


def test_accepting_twice_is_refused(care_world: CareWorld, care_request: CareRequest) -> None:
    match = accepted(care_world, care_request)
    refused(
        lambda: services.match_accept(actor=care_world.helper_actor, match=match),
        "This proposal has already been answered or withdrawn.",
    )


def test_accepting_after_the_request_was_cancelled_is_refused(care_world: CareWorld, care_request: CareRequest) -> None:
    match = propose(care_world, care_request)
    services.care_request_cancel(actor=care_world.resident_actor, request=care_request, reason="Niet meer nodig.")
    refused(
        lambda: services.match_accept(actor=care_world.helper_actor, match=match),
        "This proposal has already been answered or withdrawn.",
    )
    match.refresh_from_db()
    assert match.status == Match.Status.CANCELLED


def test_cancelling_without_a_reason_is_refused(care_world: CareWorld, care_request: CareRequest) -> None:
    match = accepted(care_world, care_request)
    refused(
        lambda: services.match_cancel(actor=care_world.resident_actor, match=match, reason=" "),
        "Say why the visit is cancelled.",
    )
