"""Timing: does "exists but forbidden" answer measurably slower or faster than "does not exist"?

A forbidden read writes a refused entry to the access log, a missing one does not: the difference must stay
within the noise of a request (a few milliseconds), or an attacker could count referrals and revisions by their
answer times.  The medians are printed (``-s``) for the report.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable

import pytest
from django.test import Client

from apps.access.actors import actor_for_user
from apps.directory import records

from .records_builders import world
from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld

pytestmark = pytest.mark.django_db
ID_01 = "0a1b2c3d-0000-4000-8000-000000000001"

ROUNDS = 101
LIMIT_MS = 10.0


def _timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code in (403, 404)
    return (time.perf_counter() - start) * 1000


def _compare(client: Client, forbidden: str, missing: str) -> tuple[float, float]:
    """Medians of the two, asked in turns (so that a busy machine slows both alike)."""
    client.get(forbidden), client.get(missing)  # warm up (templates, caches)
    found, absent = [], []
    for _ in range(ROUNDS):
        found.append(_timed(client, forbidden))
        absent.append(_timed(client, missing))
    medians = statistics.median(found), statistics.median(absent)
    print(f"\n{forbidden}: forbidden {medians[0]:.2f} ms, missing {medians[1]:.2f} ms")
    return medians


def test_referral_pages_answer_forbidden_and_missing_in_the_same_time(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    missing = referral.pk + 1000
    for client, forbidden, absent in [
        (client_for(world.other_coordinator), f"/en/referrals/{referral.pk}/", f"/en/referrals/{missing}/"),
        (client_for(world.other_staff), f"/en/referrals/received/{referral.pk}/", f"/en/referrals/received/{missing}/"),
    ]:
        found, gone = _compare(client, forbidden, absent)
        assert abs(found - gone) < LIMIT_MS


def test_revision_pages_answer_forbidden_and_missing_in_the_same_time() -> None:
    w = world()
    revision = records.revision_save(
        actor=actor_for_user(w.other_staff.user), organisation=w.other_org, kind="service",
        target=uuid.UUID(ID_01), document={"id": ID_01, "name": "X",
                                               "status": "active"},
    )  # fmt: skip
    client = Client()
    client.force_login(w.staff.user)
    found, gone = _compare(client, f"/en/records/changes/{revision.pk}/", f"/en/records/changes/{revision.pk + 1000}/")
    assert abs(found - gone) < LIMIT_MS
