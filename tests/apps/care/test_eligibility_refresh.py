"""The worklist's "no helper fits" section stays true between the daily counts (issue 6, items 3 and 7).

Each change that can change how many helpers fit a request queues, once committed, a background count
of the requests concerned: a new request (online, on the phone, through the API), a declined proposal,
a request taken or proposed (the helper has less room; a round's proposals are counted once), a done
visit, a cancelled visit or request (the helper has room again) and a changed offer or time away (the
requests within the helper's old and new reach).  The task worker runs them here, as in production:
it commits and closes its connection, so these tests commit too (``transaction=True``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.care import selectors, services
from apps.care.models import CareRequest, HelperOffer
from apps.people.models import Person

from .conftest import CareWorld, begun, tomorrow_at

pytestmark = pytest.mark.django_db(transaction=True)


def worker() -> None:
    """The task worker runs what is queued."""
    call_command("db_worker", "--batch", verbosity=0)


@pytest.fixture(autouse=True)
def drained(care_world: CareWorld) -> None:
    """What setting up the world queued (the helper's new offer) has run: each test counts its own tasks."""
    worker()


def without_helper(world: CareWorld) -> list[int]:
    return [r.pk for r in selectors.worklist_sections(world.coordinator_actor)["without_helper"]]


def counted(request: CareRequest) -> int | None:
    request.refresh_from_db()
    return request.eligible_helpers


def queued(name: str) -> int:
    return DBTaskResult.objects.filter(task_path__endswith=name, status="READY").count()


@pytest.fixture
def full_helper(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> Iterator[tuple[CareRequest, CareRequest]]:
    """The world's only helper (one place) holds one request; another request then has nobody who fits."""
    held = make_request()
    waiting = make_request(
        category="company", windows=[services.Window(tomorrow_at(14), tomorrow_at(16))], description="Een babbel."
    )
    services.request_take(actor=care_world.helper_actor, request=held)
    services.eligibility_refresh()  # the daily count
    assert counted(waiting) == 0 and waiting.pk in without_helper(care_world)
    yield held, waiting


def test_a_request_asked_online_is_counted_at_once(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    request = make_request()
    assert queued("refresh_eligibility") == 1
    worker()
    assert counted(request) == 1
    gardening = make_request(category="gardening", description="Het gras maaien.")
    worker()
    assert counted(gardening) == 0 and without_helper(care_world) == [gardening.pk]


def test_a_request_asked_through_the_api_is_counted_at_once(
    care_world: CareWorld, client_for: Callable[[Person], Client]
) -> None:
    start, end = tomorrow_at(10), tomorrow_at(12)
    body = {"category": "gardening", "windows": [{"start": start.isoformat(), "end": end.isoformat()}]}
    created = client_for(care_world.resident).post(
        "/api/v1/care/requests", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    worker()
    request = CareRequest.objects.get(pk=created.json()["id"])
    assert counted(request) == 0 and request.pk in without_helper(care_world)


def test_a_declined_proposal_counts_the_request_again(care_world: CareWorld, care_request: CareRequest) -> None:
    match = services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=care_world.offer)
    CareRequest.objects.filter(pk=care_request.pk).update(eligible_helpers=None, eligibility_checked_at=None)
    services.match_decline(actor=care_world.helper_actor, match=match, reason="Ik heb examens.")
    worker()
    care_request.refresh_from_db()
    # the only helper who fitted said no, and is not asked again: nobody fits now
    assert care_request.eligibility_checked_at is not None and care_request.eligible_helpers == 0
    assert without_helper(care_world) == [care_request.pk]


def test_a_cancelled_visit_gives_the_helper_room_for_another_request(
    care_world: CareWorld, full_helper: tuple[CareRequest, CareRequest]
) -> None:
    held, waiting = full_helper
    services.match_cancel(actor=care_world.helper_actor, match=held.matches.get(), reason="Ik ben ziek.")
    worker()
    assert counted(waiting) == 1, "the helper has room again"
    assert counted(held) == 0, "the helper who called it off is not asked again for it"
    assert without_helper(care_world) == [held.pk]


@pytest.fixture
def two_requests(make_request: Callable[..., CareRequest]) -> tuple[CareRequest, CareRequest]:
    """Two requests that the world's helper, who has one place, both fit; counted."""
    first = make_request()
    other = make_request(
        category="company", windows=[services.Window(tomorrow_at(14), tomorrow_at(16))], description="Een babbel."
    )
    services.eligibility_refresh()
    return first, other


def test_a_helper_who_takes_their_last_place_leaves_the_other_request_without_anyone(
    care_world: CareWorld, two_requests: tuple[CareRequest, CareRequest]
) -> None:
    taken, other = two_requests
    assert (counted(taken), counted(other)) == (1, 1) and without_helper(care_world) == []
    services.request_take(actor=care_world.helper_actor, request=taken)
    assert queued("refresh_eligibility_near") == 1
    worker()
    assert counted(other) == 0 and without_helper(care_world) == [other.pk]


def test_a_proposal_takes_the_helpers_last_place_too(
    care_world: CareWorld, two_requests: tuple[CareRequest, CareRequest]
) -> None:
    asked, other = two_requests
    assert counted(other) == 1
    match = services.match_propose(actor=care_world.coordinator_actor, request=asked, offer=care_world.offer)
    worker()
    assert counted(other) == 0 and without_helper(care_world) == [other.pk]
    services.match_accept(actor=care_world.helper_actor, match=match)
    assert queued("refresh_eligibility_near") == 0, "accepting takes no more room than the proposal did"


def test_a_confirmed_round_counts_every_open_request_once(
    care_world: CareWorld, two_requests: tuple[CareRequest, CareRequest]
) -> None:
    asked, other = two_requests
    started = services.round_start(actor=care_world.coordinator_actor, district_id=care_world.district.pk)
    worker()  # the round runs, and proposes one of the two to the helper, who has one place
    worker()
    started.refresh_from_db()
    confirmed = services.round_confirm(actor=care_world.coordinator_actor, matching_round=started, proposal_ids=None)
    assert len(confirmed.matches) == 1
    assert queued("refresh_eligibility") == 1 and queued("refresh_eligibility_near") == 0
    worker()
    left = other if confirmed.matches[0].request_id == asked.pk else asked
    assert counted(left) == 0 and without_helper(care_world) == [left.pk]


def test_a_done_visit_gives_the_helper_room_for_another_request(
    care_world: CareWorld, full_helper: tuple[CareRequest, CareRequest]
) -> None:
    held, waiting = full_helper
    visit = begun(held.matches.get())  # a visit is logged once it was planned and has begun (issue 14)
    services.match_done(actor=care_world.helper_actor, match=visit, hours=Decimal("1.5"))
    worker()
    assert counted(waiting) == 1 and without_helper(care_world) == []


def test_a_cancelled_request_gives_its_helper_room_for_another_request(
    care_world: CareWorld, full_helper: tuple[CareRequest, CareRequest]
) -> None:
    held, waiting = full_helper
    services.care_request_cancel(actor=care_world.resident_actor, request=held, reason="Mijn zoon komt.")
    worker()
    assert counted(waiting) == 1 and without_helper(care_world) == []


def offer_again(world: CareWorld, offer: HelperOffer, **changes: Any) -> HelperOffer:
    values: dict[str, Any] = {
        "kind": offer.kind, "categories": list(offer.categories.all()),
        "slots": [services.Slot(a.weekday, a.start, a.end) for a in offer.availability.all()],
        "max_distance_km": offer.max_distance_km, "requests_per_week": offer.requests_per_week,
        "languages": offer.languages, **changes,
    }  # fmt: skip
    return services.offer_save(actor=world.helper_actor, person=offer.person, **values)


def test_a_changed_offer_counts_the_requests_within_the_old_and_the_new_reach(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    gardening = make_request(category="gardening", description="Het gras maaien.")
    shopping = make_request()
    services.eligibility_refresh()
    assert (counted(gardening), counted(shopping)) == (0, 1)
    world = care_world
    offer_again(world, world.offer, categories=[world.categories["gardening"], world.categories["shopping"]])
    assert queued("refresh_eligibility_near") == 1
    worker()
    assert counted(gardening) == 1 and without_helper(world) == []
    # the helper now travels 100 m only: the resident, 300 m away, is out of reach
    offer_again(world, world.offer, max_distance_km=Decimal("0.1"))
    worker()
    assert (counted(gardening), counted(shopping)) == (0, 0)
    assert sorted(without_helper(world)) == sorted([gardening.pk, shopping.pk])


def test_time_away_counts_the_requests_near_the_helper(care_world: CareWorld, care_request: CareRequest) -> None:
    services.eligibility_refresh()
    assert counted(care_request) == 1
    today = timezone.localdate()
    services.exception_add(
        actor=care_world.helper_actor, offer=care_world.offer, first_day=today, last_day=today + timedelta(days=3)
    )
    worker()
    assert counted(care_request) == 0 and without_helper(care_world) == [care_request.pk]
    services.exception_remove(actor=care_world.helper_actor, exception=care_world.offer.exceptions.get())
    worker()
    assert counted(care_request) == 1


def test_a_planned_visit_takes_the_helpers_time_and_the_count_follows(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    """Issue 14: a request whose only time is when the helper already visits someone has nobody who fits."""
    HelperOffer.objects.filter(pk=care_world.offer.pk).update(requests_per_week=3)
    held = make_request()
    same_time = make_request(category="company", windows=[services.Window(tomorrow_at(10), tomorrow_at(11))])
    match = services.request_take(actor=care_world.helper_actor, request=held)
    worker()
    assert counted(same_time) == 1
    services.match_plan(actor=care_world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    worker()
    assert counted(same_time) == 0 and without_helper(care_world) == [same_time.pk]
