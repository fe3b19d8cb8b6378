"""Twenty status changes of one referral at the same instant give one consistent history (issue 16).

Two office workers and a coordinator may press a button on the same referral at once.  Each change locks the
referral row and checks the transition again under the lock: of twenty "received", "accepted" and "declined"
at once exactly one goes through, the others get the clear "not possible any more" refusal (never a database
error), and the history has one step per change that happened.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.core.exceptions import ValidationError

from apps.directory import referrals as services
from apps.directory.models import Referral
from tests.apps.care.test_lock_order import at_once, needs_postgresql

from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld

CROWD = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_answers_at_once_give_one_consistent_history(referral_world: ReferralWorld) -> None:
    needs_postgresql()
    world = referral_world
    referral = world.refer()
    steps = ["received", "accepted", "declined", "withdrawn"]
    people = [world.staff, world.staff, world.staff, world.coordinator]

    def change(n: int) -> object:
        status = steps[n % len(steps)]
        return services.referral_set_status(
            actor_person=people[n % len(people)], referral=referral, status=status, reason=f"reden {n}"
        )

    results = at_once([lambda n=n: change(n) for n in range(CROWD)])

    crashes = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert crashes == []
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert all(r.code == "not_now" for r in refusals), refusals
    referral.refresh_from_db()
    history = list(referral.events.order_by("at", "pk").values_list("status", flat=True))
    assert history[0] == "sent" and len(history) == CROWD - len(refusals) + 1
    # the steps that went through form one allowed path, ending in the referral's status
    allowed = {("sent", "received"), ("sent", "accepted"), ("sent", "declined"), ("sent", "withdrawn"),
               ("received", "accepted"), ("received", "declined"), ("received", "withdrawn"),
               ("accepted", "withdrawn")}  # fmt: skip
    assert all(pair in allowed for pair in pairwise(history)), history
    assert history[-1] == referral.status
    assert len(history) == len(set(history)), "no step twice"


@pytest.mark.django_db
def test_a_second_identical_answer_is_refused_not_repeated(referral_world: ReferralWorld) -> None:
    """What the lock guarantees, one after the other (SQLite): the same answer twice is one step."""
    world = referral_world
    referral = world.refer()
    services.referral_set_status(actor_person=world.staff, referral=referral, status="declined", reason="Vol")
    for status in ("declined", "accepted", "received"):
        with pytest.raises(ValidationError) as refused:
            services.referral_set_status(actor_person=world.staff, referral=referral, status=status, reason="Vol")
        assert refused.value.code == "not_now"
    assert list(Referral.objects.get().events.values_list("status", flat=True)) == ["sent", "declined"]
