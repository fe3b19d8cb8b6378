"""Twenty at once (attack review of issue 14): the rules of a visit hold under a crowd, not only under two.

Twenty requests held by one helper, each planned in its own thread at the same instant for overlapping hours:
exactly one visit is planned, the nineteen others get the clear "overlap" refusal (never a database error).
Twenty takes of twenty open requests by a helper who offered one: exactly one goes through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.care import services
from apps.care.models import CareRequest, HelperOffer, Match

from .conftest import CareWorld
from .test_lock_order import at_once, needs_postgresql

CROWD = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_overlapping_plans_at_once_plan_one_visit(
    care_world: CareWorld, make_request: Callable[..., CareRequest], settings: Any
) -> None:
    needs_postgresql()
    settings.CARE_TAKES_PER_DAY = CROWD + 1
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=CROWD + 1)
    day = timezone.localdate() + timedelta(days=2)
    start = timezone.make_aware(datetime.combine(day, time(10)))
    windows = [services.Window(start - timedelta(hours=1), start + timedelta(hours=4))]
    categories = ["shopping", "company"]
    matches = [
        services.request_take(
            actor=world.helper_actor, request=make_request(category=categories[n % len(categories)], windows=windows)
        )
        for n in range(CROWD)
    ]

    results = at_once(
        [
            lambda m=match, n=n: services.match_plan(
                actor=world.helper_actor, match=m, start=start + timedelta(minutes=n),
                end=start + timedelta(minutes=n + 60),
            )
            for n, match in enumerate(matches)
        ]
    )  # fmt: skip

    crashes = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert crashes == []
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert all([e.code for e in r.error_list] == ["overlap"] for r in refusals), refusals
    assert len(refusals) == CROWD - 1
    assert Match.objects.filter(helper=world.offer, status=Match.Status.PLANNED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_takes_at_once_by_a_helper_with_room_for_one(
    care_world: CareWorld, make_request: Callable[..., CareRequest], settings: Any
) -> None:
    needs_postgresql()
    settings.CARE_TAKES_PER_DAY = CROWD + 1
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=1)
    categories = ["shopping", "company"]
    requests = [make_request(category=categories[n % len(categories)]) for n in range(CROWD)]

    results = at_once([lambda r=r: services.request_take(actor=world.helper_actor, request=r) for r in requests])

    crashes = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert crashes == []
    assert sum(isinstance(r, Match) for r in results) == 1
    assert Match.objects.filter(helper=world.offer, status__in=Match.HOLDING).count() == 1
