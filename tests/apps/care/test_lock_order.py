"""One lock order for every write of a match (review of issue 6): the request, then the helper's offer, then
the match.  Before, marking a visit done locked the match and then the request while cancelling locked the
request and then the match: at the same moment on PostgreSQL, each waited for the other and the server
killed one of them (a deadlock error instead of a clear answer).

Each race runs the two writes at the same instant, each in its own thread (so its own database
connection), a few times over: one of them wins, the other gets the clear "already closed" kind of
refusal, and the request and its match end in one consistent state.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from apps.care import services
from apps.care.models import CareRequest, HelperOffer, Match, MatchEvent

from .conftest import CareWorld

ROUNDS = 5


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need the PostgreSQL server of the database suite")


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment, one thread (so one database connection) each; every outcome back."""
    barrier = threading.Barrier(len(calls), timeout=60)
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                results[index] = calls[index]()
        except Exception as error:  # a crash (a deadlock error) included: the test asserts every outcome
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "no thread hangs"
    return results


def visited(world: CareWorld, make_request: Callable[..., CareRequest]) -> Match:
    """A fresh request whose helper came an hour ago: ready to be marked done, or to be called off."""
    request = make_request()
    match = services.request_take(actor=world.helper_actor, request=request)
    start = timezone.now() - timedelta(hours=2)
    Match.objects.filter(pk=match.pk).update(
        status=Match.Status.PLANNED, planned_start=start, planned_end=start + timedelta(hours=1)
    )
    return Match.objects.select_related("request__person", "helper__person").get(pk=match.pk)


def one_winner(results: list[object]) -> int:
    """Exactly one call went through; the other got a clear refusal, not a database error."""
    crashes = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert crashes == [], f"a clear answer, never a crash: {crashes!r}"
    winners = [i for i, r in enumerate(results) if not isinstance(r, Exception)]
    assert len(winners) == 1, results
    return winners[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_done_and_the_request_cancelled_at_once_end_in_one_consistent_state(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    needs_postgresql()
    world = care_world
    for _ in range(ROUNDS):
        match = visited(world, make_request)
        results = at_once(
            [
                lambda m=match: services.match_done(actor=world.helper_actor, match=m, hours=Decimal("1")),
                lambda m=match: services.care_request_cancel(
                    actor=world.resident_actor, request=m.request, reason="Niet meer nodig."
                ),
            ]
        )
        winner = one_winner(results)
        match.refresh_from_db()
        request = CareRequest.objects.get(pk=match.request_id)
        events = list(MatchEvent.objects.filter(match=match).values_list("to_status", flat=True))
        if winner == 0:
            assert (match.status, request.status) == (Match.Status.DONE, CareRequest.Status.DONE)
            assert match.hours == 1 and request.cancel_reason == ""
            assert events[-1] == "done"
        else:
            assert (match.status, request.status) == (Match.Status.CANCELLED, CareRequest.Status.CANCELLED)
            assert match.hours is None and request.cancel_reason == "Niet meer nodig."
            assert events[-1] == "cancelled"
        assert events.count("done") + events.count("cancelled") == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_done_and_the_match_cancelled_at_once_end_in_one_consistent_state(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    needs_postgresql()
    world = care_world
    for _ in range(ROUNDS):
        match = visited(world, make_request)
        results = at_once(
            [
                lambda m=match: services.match_done(actor=world.helper_actor, match=m, hours=Decimal("1.5")),
                lambda m=match: services.match_cancel(actor=world.coordinator_actor, match=m, reason="Ziek."),
                lambda m=match: services.match_resident_feedback(
                    actor=world.resident_actor, match=m, feedback="Goed.", same_helper_again=True
                ),
            ]
        )
        crashes = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
        assert crashes == [], f"a clear answer, never a crash: {crashes!r}"
        winner = one_winner(results[:2])
        match.refresh_from_db()
        request = CareRequest.objects.get(pk=match.request_id)
        if winner == 0:
            assert (match.status, request.status) == (Match.Status.DONE, CareRequest.Status.DONE)
        else:
            assert (match.status, request.status) == (Match.Status.CANCELLED, CareRequest.Status.OPEN)
            assert not isinstance(results[2], Match), "no feedback on a visit that never took place"
            # the request looks for a helper again; close it so the helper has room for the next round
            services.care_request_cancel(actor=world.resident_actor, request=request, reason="Einde van de proef.")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_overlapping_visits_of_one_helper_planned_at_once_never_both_succeed(
    care_world: CareWorld, make_request: Callable[..., CareRequest], settings: Any
) -> None:
    """Issue 14: two requests held by one helper, each planned at the same moment for the same hour (the
    helper on the phone, the coordinator on the worklist): the helper's offer is locked by both plans, so
    the second sees the first and is refused with the clear "already planned" answer."""
    needs_postgresql()
    settings.CARE_TAKES_PER_DAY = 2 * ROUNDS  # two takes a round, more than a day's limit
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=2 * ROUNDS + 2)
    for n in range(ROUNDS):
        day = timezone.localdate() + timedelta(days=2 + n)
        start = timezone.make_aware(datetime.combine(day, time(10)))
        windows = [services.Window(start - timedelta(hours=1), start + timedelta(hours=3))]
        first = services.request_take(actor=world.helper_actor, request=make_request(windows=windows))
        second = services.request_take(
            actor=world.helper_actor, request=make_request(category="company", windows=windows)
        )
        results = at_once(
            [
                lambda m=first, s=start: services.match_plan(
                    actor=world.helper_actor, match=m, start=s, end=s + timedelta(hours=1)
                ),
                lambda m=second, s=start: services.match_plan(
                    actor=world.coordinator_actor, match=m,
                    start=s + timedelta(minutes=30), end=s + timedelta(hours=2),
                ),
            ]
        )  # fmt: skip
        winner = one_winner(results)
        loser = results[1 - winner]
        assert isinstance(loser, ValidationError) and [e.code for e in loser.error_list] == ["overlap"]
        planned = Match.objects.filter(pk__in=[first.pk, second.pk], status=Match.Status.PLANNED)
        assert planned.count() == 1
