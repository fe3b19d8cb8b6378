"""Background work of community life: the reminders of registrations for events (issue 18, item 3).

As in care, retention and the directory, the task queues its own next run (django-tasks has no clock);
``schedule_community_reminders`` (the management command of the same name, run at start next to
``schedule_directory_daily``) makes sure exactly one run is waiting.  It runs every hour, so a reminder leaves
between ``COMMUNITY_REMINDER_HOURS`` and that minus one hour before the event; a registration made later than that
is reminded at the next run.  Running it twice, or on two workers at once, sends each reminder once
(``registrations.send_reminders`` claims each row before sending).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

EVERY = timedelta(hours=1)


@task()
def community_reminders() -> dict[str, int]:
    """Every hour: the reminders due; the next run is queued whatever happens."""
    from .registrations import send_reminders

    try:
        return {"reminded": send_reminders()}
    finally:
        transaction.on_commit(lambda: community_reminders.using(run_after=timezone.now() + EVERY).enqueue())


def community_reminders_are_scheduled() -> bool:
    from django_tasks_db.models import DBTaskResult

    name = f"{community_reminders.func.__module__}.{community_reminders.func.__qualname__}"
    return DBTaskResult.objects.filter(task_path=name, status__in=["READY", "RUNNING"]).exists()


def schedule_community_reminders() -> bool:
    """Queue the hourly reminders run unless one is already waiting; returns whether it queued one."""
    if community_reminders_are_scheduled():
        return False
    community_reminders.enqueue()
    return True
