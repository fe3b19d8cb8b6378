"""Retention per kind of data, applied by a daily task that the worker runs and re-queues."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.access.actors import Actor
from apps.access.models import AccessLogEntry
from apps.access.retention import apply_retention
from apps.access.services import access_log_write
from apps.access.tasks import schedule_retention
from apps.care.models import CareRequest
from apps.people.models import Consent, Person


@pytest.mark.django_db
def test_each_kind_is_kept_for_its_own_period(demo_city: None) -> None:
    access_log_write(
        actor=Actor(user_id=1, person_id=2),
        subject_person_id=3,
        record_type="t",
        record_id=1,
        action="read",
        purpose="p",
        allowed=True,
        via="t",
    )
    consent = Consent.objects.filter(withdrawn_at__isnull=True).first()
    assert consent is not None
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=timezone.now())
    person_with_needs = Person.objects.exclude(support_needs="").count()
    closed_with_words = CareRequest.objects.filter(closed_at__isnull=False).exclude(description="").count()
    assert closed_with_words > 0, "the demo has a done request"
    requests_before = CareRequest.objects.count()
    now = timezone.now()
    nothing_yet = {
        "care_closed_requests": 0,
        "access_log": 0,
        "security_events": 0,
        "withdrawn_consents": 0,
        "support_needs_inactive": 0,
        "place_changes": 0,
    }
    first = apply_retention(now=now)
    assert {kind: first.get(kind) for kind in nothing_yet} == nothing_yet  # a later capability adds its own kinds
    counts = apply_retention(now=now + timedelta(days=366))
    assert counts["access_log"] == 1 and counts["withdrawn_consents"] == 0
    counts = apply_retention(now=now + timedelta(days=5 * 365 + 1))
    assert counts["withdrawn_consents"] == 1
    assert counts["support_needs_inactive"] == person_with_needs
    assert counts["care_closed_requests"] == closed_with_words
    assert not CareRequest.objects.filter(closed_at__isnull=False).exclude(description="").exists()
    assert CareRequest.objects.count() == requests_before, "rows stay for the statistics"
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_retention_and_queues_the_next_day() -> None:
    assert schedule_retention() is True
    assert schedule_retention() is False, "never two waiting runs"
    call_command("db_worker", "--batch", verbosity=0)
    done = DBTaskResult.objects.filter(status="SUCCESSFUL", task_path__endswith="retention_daily")
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="retention_daily")
    assert done.count() == 1
    assert waiting.count() == 1
    next_run = waiting.get().run_after
    assert next_run is not None and next_run > timezone.now() + timedelta(hours=23)


@pytest.mark.django_db(transaction=True)
def test_one_failing_kind_neither_stops_nor_undoes_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    """An app's broken retention must not keep every later app's data for ever: the others are applied, the run
    fails naming the broken kind, and tomorrow's run is queued all the same."""
    from datetime import datetime

    from apps.access import retention, tasks
    from apps.core.capabilities import Capability, Retention

    applied: list[str] = []

    def broken(now: datetime) -> int:
        access_log_write(  # written, then rolled back with this kind's transaction
            actor=Actor(user_id=1, person_id=2), subject_person_id=3, record_type="t", record_id=1,
            action="read", purpose="p", allowed=True, via="t",
        )  # fmt: skip
        raise RuntimeError("a bug in one app")

    def working(now: datetime) -> int:
        applied.append("later")
        return 3

    monkeypatch.setattr(
        retention,
        "capabilities",
        lambda: (
            Capability(app="shop", retention=(Retention("baskets", days=lambda: 1, apply=broken),)),
            Capability(app="library", retention=(Retention("loans", days=lambda: 1, apply=working),)),
        ),
    )
    with pytest.raises(retention.RetentionFailed, match="baskets") as failure:
        retention.apply_retention(now=timezone.now())
    assert applied == ["later"] and failure.value.counts == {"loans": 3}
    assert not AccessLogEntry.objects.exists()

    assert schedule_retention() is True
    call_command("db_worker", "--batch", verbosity=0)
    runs = DBTaskResult.objects.filter(task_path=f"{tasks.__name__}.retention_daily")
    assert runs.filter(status="FAILED").count() == 1
    assert runs.filter(status="READY").count() == 1, "tomorrow's run is queued"
