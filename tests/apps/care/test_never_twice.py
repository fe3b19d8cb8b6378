"""Never twice (issue 6, item 6): whatever happens at the same moment, a request gets one helper.

Twenty helpers accept the same request, or tap "I can help" on it, at the same instant, each in its
own thread with its own database connection (Django gives every thread its own), started together by
a barrier: exactly one wins, the nineteen others get the clear "already accepted" message, and the
database ends in a sound state.  The same for a helper with one place accepting two, and twenty,
requests at once.
These races need a server that runs transactions side by side, so they run on PostgreSQL (the
database suite of ``bin/test``).  The last line of defence, the partial unique index, is proven on
both databases.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from apps.care import services, tasks
from apps.care.models import CareRequest, HelperOffer, Match, MatchEvent, Message
from apps.care.problem import open_requests

from .conftest import CareWorld, actor, tomorrow_at

RACERS = 20
TAKEN = "Another helper has already accepted this request. Thank you all the same!"
GOOD_NEWS = "Good news: a helper will come for your request."


def nl(msgid: str) -> str:
    """A message as the resident receives it (in the platform's language)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need the PostgreSQL server of the database suite")


def race(calls: list[Callable[[], Match]]) -> list[Match | Exception]:
    """Run the calls at the same moment, one thread (so one database connection) each."""
    barrier = threading.Barrier(len(calls), timeout=60)
    results: list[Match | Exception | None] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            with translation.override("en"):
                barrier.wait()
                results[index] = calls[index]()
        except Exception as error:  # every outcome, a crash included, is asserted by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "no thread hangs (no deadlock)"
    assert all(result is not None for result in results)
    return results  # type: ignore[return-value]


def split(results: list[Match | Exception]) -> tuple[list[Match], list[ValidationError]]:
    wins = [r for r in results if isinstance(r, Match)]
    refusals = [r for r in results if isinstance(r, ValidationError)]
    others = [r for r in results if not isinstance(r, Match | ValidationError)]
    assert others == [], f"only clear refusals, no crash: {others!r}"
    return wins, refusals


def helpers(world: CareWorld, make_helper: Callable[..., HelperOffer], n: int) -> list[HelperOffer]:
    """``n`` helpers around the resident, each of whom fits the request."""
    return [make_helper(world.district, name=f"Racer{i}", lat_offset=0.0005 * (i + 1)) for i in range(n)]


def assert_one_holder(request: CareRequest, winner: Match) -> None:
    request.refresh_from_db()
    assert request.status == CareRequest.Status.MATCHED
    holding = list(Match.objects.filter(request=request, status__in=Match.HOLDING))
    assert holding == [winner]
    assert request not in open_requests()
    assert MatchEvent.objects.filter(match__request=request, to_status=Match.Status.ACCEPTED).count() == 1
    assert Message.objects.filter(person=request.person, text=nl(GOOD_NEWS)).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_helpers_accepting_the_same_request_at_once(
    care_world: CareWorld, care_request: CareRequest, make_helper: Callable[..., HelperOffer]
) -> None:
    needs_postgresql()
    world = care_world
    offers = helpers(world, make_helper, RACERS)
    proposals = [
        services.match_propose(actor=world.coordinator_actor, request=care_request, offer=offer) for offer in offers
    ]
    actors = [actor(offer.person) for offer in offers]
    calls = [(lambda a=a, m=m: services.match_accept(actor=a, match=m)) for a, m in zip(actors, proposals, strict=True)]
    wins, refusals = split(race(calls))
    assert len(wins) == 1
    assert len(refusals) == RACERS - 1
    assert all(r.messages == [TAKEN] for r in refusals), {m for r in refusals for m in r.messages}
    (winner,) = wins
    assert_one_holder(care_request, winner)
    losers = Match.objects.filter(request=care_request).exclude(pk=winner.pk)
    assert set(losers.values_list("status", flat=True)) == {Match.Status.CANCELLED}
    assert losers.count() == RACERS - 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_helpers_tapping_i_can_help_at_once(
    care_world: CareWorld, care_request: CareRequest, make_helper: Callable[..., HelperOffer]
) -> None:
    needs_postgresql()
    world = care_world
    offers = [world.offer, *helpers(world, make_helper, RACERS - 1)]
    actors = [actor(o.person) for o in offers]
    calls = [(lambda a=a: services.request_take(actor=a, request=care_request)) for a in actors]
    wins, refusals = split(race(calls))
    assert len(wins) == 1
    assert len(refusals) == RACERS - 1
    assert all(r.messages == [TAKEN] for r in refusals), {m for r in refusals for m in r.messages}
    (winner,) = wins
    assert_one_holder(care_request, winner)
    assert Match.objects.filter(request=care_request).count() == 1, "a losing tap leaves nothing behind"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_helper_with_one_place_accepting_two_requests_at_once(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    needs_postgresql()
    world = care_world
    first = make_request()
    second = make_request(
        category="company", windows=[services.Window(tomorrow_at(14), tomorrow_at(16))], description="Een babbel."
    )
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=2)  # room to be asked twice
    proposals = [
        services.match_propose(actor=world.coordinator_actor, request=r, offer=world.offer) for r in (first, second)
    ]
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=1)  # then only one place
    helper = world.helper_actor
    calls = [(lambda m=m: services.match_accept(actor=helper, match=m)) for m in proposals]
    wins, refusals = split(race(calls))
    assert len(wins) == 1 and len(refusals) == 1
    assert refusals[0].messages == ["You already help with 1 request, as many as you offered."]
    assert Match.objects.filter(helper=world.offer, status__in=Match.HOLDING).count() == 1
    (winner,) = wins
    lost = next(r for r in (first, second) if r.pk != winner.request_id)
    lost.refresh_from_db()
    assert lost.status == CareRequest.Status.OPEN, "the other request still looks for a helper"
    assert Match.objects.get(request=lost).status == Match.Status.PROPOSED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_helper_with_one_place_accepting_twenty_requests_at_once(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    """Twenty proposals to one helper with one place, accepted at the same moment: one visit, not twenty."""
    needs_postgresql()
    world = care_world
    requests = [make_request(description=f"Boodschappen {i}.") for i in range(RACERS)]
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=RACERS)  # room to be asked 20 times
    proposals = [services.match_propose(actor=world.coordinator_actor, request=r, offer=world.offer) for r in requests]
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=1)  # then only one place
    helper = world.helper_actor
    calls = [(lambda m=m: services.match_accept(actor=helper, match=m)) for m in proposals]
    wins, refusals = split(race(calls))
    assert len(wins) == 1
    assert len(refusals) == RACERS - 1
    assert all(r.messages == ["You already help with 1 request, as many as you offered."] for r in refusals), {
        m for r in refusals for m in r.messages
    }
    (winner,) = wins
    assert list(Match.objects.filter(helper=world.offer, status__in=Match.HOLDING)) == [winner]
    assert MatchEvent.objects.filter(match__helper=world.offer, to_status=Match.Status.ACCEPTED).count() == 1
    statuses = dict(CareRequest.objects.filter(pk__in=[r.pk for r in requests]).values_list("pk", "status"))
    assert statuses.pop(winner.request_id) == CareRequest.Status.MATCHED
    assert set(statuses.values()) == {CareRequest.Status.OPEN}, "the others still look for a helper"
    still_asked = Match.objects.filter(helper=world.offer, status=Match.Status.PROPOSED)
    assert still_asked.count() == RACERS - 1, "a refused acceptance leaves the proposal as it was"
    assert Message.objects.filter(person=world.resident, text=nl(GOOD_NEWS)).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accepting_and_taking_the_same_request_at_once(
    care_world: CareWorld, care_request: CareRequest, make_helper: Callable[..., HelperOffer]
) -> None:
    """Three helpers accept a proposal while three others tap "I can help": still one holder."""
    needs_postgresql()
    world = care_world
    offers = helpers(world, make_helper, 6)
    proposals = [
        services.match_propose(actor=world.coordinator_actor, request=care_request, offer=o) for o in offers[:3]
    ]
    calls: list[Callable[[], Match]] = [
        *((lambda o=o, m=m: services.match_accept(actor=actor(o.person), match=m))
          for o, m in zip(offers[:3], proposals, strict=True)),
        *((lambda o=o: services.request_take(actor=actor(o.person), request=care_request)) for o in offers[3:]),
    ]  # fmt: skip
    wins, refusals = split(race(calls))
    assert len(wins) == 1 and len(refusals) == 5
    assert_one_holder(care_request, wins[0])


# ----------------------------------------------------------------------------------------------------------
# the database itself: both engines


@pytest.mark.django_db
def test_the_database_refuses_a_second_holding_match_even_without_the_service(
    care_world: CareWorld, care_request: CareRequest, make_helper: Callable[..., HelperOffer]
) -> None:
    world = care_world
    held = services.request_take(actor=world.helper_actor, request=care_request)
    other = make_helper(world.district, name="Sneaky", lat_offset=0.001)
    for status in Match.HOLDING:
        with pytest.raises(IntegrityError), transaction.atomic():
            Match(request=care_request, helper=other, status=status, score=1).save()
    waiting = Match.objects.create(request=care_request, helper=other, status=Match.Status.PROPOSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.filter(pk=waiting.pk).update(status=Match.Status.PLANNED)
    assert list(Match.objects.filter(request=care_request, status__in=Match.HOLDING)) == [held]
    # a done or cancelled match does not count: a recurring request has one done match per visit
    Match.objects.filter(pk=held.pk).update(status=Match.Status.DONE, hours=Decimal("1"))
    Match.objects.create(request=care_request, helper=other, status=Match.Status.ACCEPTED)
    assert Match.objects.filter(request=care_request, status__in=Match.HOLDING).count() == 1


@pytest.mark.django_db
def test_a_late_tap_gets_the_clear_message_and_changes_nothing(
    care_world: CareWorld, care_request: CareRequest, make_helper: Callable[..., HelperOffer]
) -> None:
    """One after the other (no race): the second helper is told, kindly, that someone else goes."""
    world = care_world
    services.request_take(actor=world.helper_actor, request=care_request)
    late = make_helper(world.district, name="Late", lat_offset=0.001)
    fresh = CareRequest.objects.get(pk=care_request.pk)
    for request in (care_request, fresh):  # a page opened before, and one opened after the first tap
        with pytest.raises(ValidationError) as raised:
            services.request_take(actor=actor(late.person), request=request)
        assert raised.value.messages == [TAKEN]
    assert Match.objects.filter(request=care_request).count() == 1
    assert not late.matches.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_remind_each_side_once(care_world: CareWorld, care_request: CareRequest) -> None:
    """The daily task run twice at the same moment (two workers): still one reminder to each side."""
    needs_postgresql()
    match = services.request_take(actor=care_world.helper_actor, request=care_request)
    services.match_plan(actor=care_world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    reminders = Message.objects.filter(text=nl("Reminder: the visit is tomorrow at %(time)s.") % {"time": "10:00"})
    results = race([tasks.send_reminders for _ in range(4)])  # type: ignore[list-item]
    assert sorted(results) == [0, 0, 0, 1]  # type: ignore[type-var]
    assert sorted(reminders.values_list("person_id", flat=True)) == sorted(
        [care_world.helper.pk, care_world.resident.pk]
    )
