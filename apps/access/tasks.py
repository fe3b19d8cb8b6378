"""Retention, applied every day by the task worker.

django-tasks has no clock of its own: the retention task queues its own next
run for the following day (``run_after``), and ``schedule_retention`` (run by
bin/run and at deployment) makes sure exactly one run is waiting.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .retention import apply_retention

DAY = timedelta(days=1)


@task()
def retention_daily() -> dict[str, int]:
    """Today's retention; tomorrow's run is queued whatever happens, so one failing kind never stops the rest
    for good (``apply_retention`` applies the others and then raises, which marks this run failed)."""
    try:
        return apply_retention(now=timezone.now())
    finally:
        transaction.on_commit(lambda: retention_daily.using(run_after=timezone.now() + DAY).enqueue())


def retention_is_scheduled() -> bool:
    from django_tasks_db.models import DBTaskResult

    name = f"{retention_daily.func.__module__}.{retention_daily.func.__qualname__}"
    return DBTaskResult.objects.filter(task_path=name, status__in=["READY", "RUNNING"]).exists()


def schedule_retention(**kwargs: Any) -> bool:
    """Queue the daily retention run unless one is already waiting; returns whether it queued one."""
    if retention_is_scheduled():
        return False
    retention_daily.enqueue()
    return True
