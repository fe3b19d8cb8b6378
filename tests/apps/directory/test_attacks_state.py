"""State changes pressed twice, or by many at once: a double click on "Send the referral", the same answer
twenty times, "send for review" and "publish" repeated.  Each must happen once.

SQLite serialises writers, so the truly parallel versions run on PostgreSQL (``test_referral_parallel.py``,
``test_records_concurrency.py``, marked ``postgres``); here the repeated requests one after the other, which is
what a double click or a resent form gives on any database.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from apps.access.actors import actor_for_user
from apps.directory import records
from apps.directory.models import Referral, ReferralEvent, Revision, Service
from apps.places.models import District

from .records_builders import world
from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld, text_of

pytestmark = pytest.mark.django_db
ID_02 = "0a1b2c3d-0000-4000-8000-000000000002"
ID_03 = "0a1b2c3d-0000-4000-8000-000000000003"


def test_sending_the_same_referral_twice_sends_it_once(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    coordinator = client_for(world.coordinator)
    url = f"/en/referrals/refer/{world.resident.pk}/?service={world.service.pk}"
    form = {"location": str(world.place.pk), "need": "Wondzorg.", "shared": ["name", "need"],
            "consent_method": "phone", "consent": "on", "step": "send"}  # fmt: skip
    first = coordinator.post(url, form)
    assert first.status_code == 302
    second = coordinator.post(url, form)
    assert Referral.objects.count() == 1, "a double click sends one referral"
    assert second.status_code == 200
    assert "already has an open referral to this service" in text_of(second)
    # once it is closed (declined), a new referral to the same service is possible again
    referral = Referral.objects.get()
    client_for(world.staff).post(f"/en/referrals/received/{referral.pk}/", {"status": "declined", "note": "Vol."})
    assert coordinator.post(url, form).status_code == 302
    assert Referral.objects.count() == 2


def test_the_same_answer_twenty_times_is_one_step(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    ingrid = client_for(world.staff)
    for _ in range(20):
        ingrid.post(f"/en/referrals/received/{referral.pk}/", {"status": "received", "note": ""})
    assert list(ReferralEvent.objects.filter(referral=referral).values_list("status", flat=True)) == [
        "sent", "received",
    ]  # fmt: skip


def test_submit_and_publish_twenty_times_is_once() -> None:
    w = world()
    staff, reviewer = actor_for_user(w.staff.user), actor_for_user(w.reviewer.user)
    revision = records.revision_save(actor=staff, organisation=w.org, kind="service", target=uuid.UUID(ID_02),
                                     document={"id": ID_02, "name": "Eén",
                                               "status": "active"})  # fmt: skip
    office, city = Client(), Client()
    office.force_login(w.staff.user)
    city.force_login(w.reviewer.user)
    for _ in range(20):
        office.post(f"/en/records/changes/{revision.pk}/", {"action": "submit"})
    revision.refresh_from_db()
    assert revision.status == Revision.Status.UNDER_REVIEW
    submitted = revision.submitted_at
    for _ in range(20):
        city.post(f"/en/records/review/{revision.pk}/", {"action": "publish"})
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PUBLISHED and revision.submitted_at == submitted
    assert staff and reviewer


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_coordinators_sending_the_same_referral_at_once_send_one(referral_world: ReferralWorld) -> None:
    from django.core.exceptions import ValidationError

    from tests.apps.care.test_lock_order import at_once, needs_postgresql

    needs_postgresql()
    world = referral_world
    results = at_once([lambda: world.refer() for _ in range(20)])
    crashes = [r for r in results if isinstance(r, Exception) and not isinstance(r, ValidationError)]
    assert crashes == []
    assert [getattr(r, "code", None) for r in results if isinstance(r, ValidationError)] == ["already_open"] * 19
    assert Referral.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_submits_and_publishes_at_once_happen_once() -> None:
    from django.core.exceptions import ValidationError

    from tests.apps.care.test_lock_order import at_once, needs_postgresql

    needs_postgresql()
    if not District.objects.exists():  # a transactional test starts from an empty database
        call_command("load_districts", verbosity=0)
    w = world()
    staff, reviewer = actor_for_user(w.staff.user), actor_for_user(w.reviewer.user)
    revision = records.revision_save(actor=staff, organisation=w.org, kind="service", target=uuid.UUID(ID_03),
                                     document={"id": ID_03, "name": "Eén",
                                               "status": "active"})  # fmt: skip
    submitted = at_once([lambda: records.revision_submit(actor=staff, revision=revision) for _ in range(20)])
    assert [type(r) for r in submitted].count(Revision) == 1
    assert all(isinstance(r, ValidationError | Revision) for r in submitted), submitted
    published = at_once([lambda: records.revision_publish(actor=reviewer, revision=revision) for _ in range(20)])
    assert sum(not isinstance(r, Exception) for r in published) == 1
    assert all(isinstance(r, ValidationError) for r in published if isinstance(r, Exception)), published
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PUBLISHED
    assert Service.objects.filter(pk="0a1b2c3d-0000-4000-8000-000000000003").count() == 1
