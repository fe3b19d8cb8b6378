"""Timing: does "exists but forbidden" answer measurably slower or faster than "does not exist"?

A forbidden read writes a refused entry to the access log, a missing one does not: the difference must stay
within the noise of a request (a few milliseconds), or an attacker could count referrals and revisions by their
answer times.  Tests assert no times (a busy machine makes them flaky; the project measures speed in
``bench/``): they assert what makes the times alike, the same answer and the same database work but for the
one log entry.  The medians are printed (``-s``) for the report: 101 alternating requests on the development
machine gave 9.8 vs 9.2 ms (referral), 9.3 vs 8.8 ms (received referral), 4.2 vs 3.9 ms (change), SQLite.
"""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.access.actors import actor_for_user
from apps.directory import records

from .records_builders import world
from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld

pytestmark = pytest.mark.django_db
ID_01 = "0a1b2c3d-0000-4000-8000-000000000001"

ROUNDS = 21


def _timed(client: Client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code in (403, 404)
    return (time.perf_counter() - start) * 1000


def _work(client: Client, url: str) -> tuple[int, bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, response.content, len(queries)


def _compare(client: Client, forbidden: str, missing: str) -> tuple[float, float]:
    """The same answer for both and the same queries but the refused entry of the access log; then the medians
    of the two times, asked in turns (so that a busy machine slows both alike), printed only."""
    client.get(forbidden), client.get(missing)  # warm up (templates, caches)
    (found_status, found_body, found_queries), (gone_status, gone_body, gone_queries) = (
        _work(client, forbidden),
        _work(client, missing),
    )
    assert (found_status, found_body) == (gone_status, gone_body)
    assert 0 <= found_queries - gone_queries <= 2, (found_queries, gone_queries)
    found, absent = [], []
    for _ in range(ROUNDS):
        found.append(_timed(client, forbidden))
        absent.append(_timed(client, missing))
    medians = statistics.median(found), statistics.median(absent)
    print(f"\n{forbidden}: forbidden {medians[0]:.2f} ms, missing {medians[1]:.2f} ms")
    return medians


def test_referral_pages_answer_forbidden_and_missing_alike(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    missing = referral.pk + 1000
    for client, forbidden, absent in [
        (client_for(world.other_coordinator), f"/en/referrals/{referral.pk}/", f"/en/referrals/{missing}/"),
        (client_for(world.other_staff), f"/en/referrals/received/{referral.pk}/", f"/en/referrals/received/{missing}/"),
    ]:
        _compare(client, forbidden, absent)


def test_revision_pages_answer_forbidden_and_missing_alike() -> None:
    w = world()
    revision = records.revision_save(
        actor=actor_for_user(w.other_staff.user), organisation=w.other_org, kind="service",
        target=uuid.UUID(ID_01), document={"id": ID_01, "name": "X",
                                               "status": "active"},
    )  # fmt: skip
    client = Client()
    client.force_login(w.staff.user)
    _compare(client, f"/en/records/changes/{revision.pk}/", f"/en/records/changes/{revision.pk + 1000}/")
