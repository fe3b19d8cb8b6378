"""Background work of care matching: matching rounds, eligibility counts and reminders.

Tasks take ids (never model instances) and are queued on commit.  The daily task queues its own next
run (django-tasks has no clock); ``schedule_care_daily`` makes sure exactly one run is waiting.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import notify
from .models import MatchingRound

DAY = timedelta(days=1)


@task()
def run_round(round_id: int, district_ids: Sequence[int]) -> dict[str, Any]:
    """Solve a matching round; a failure is recorded on the round, so the coordinator sees it."""
    from .services import round_run

    try:
        matching_round = round_run(round_id, district_ids)
    except Exception as error:
        MatchingRound.objects.filter(pk=round_id).update(
            status=MatchingRound.Status.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        raise
    return {"round": matching_round.pk, "score": matching_round.total_score, "optimal": matching_round.optimal}


@task()
def refresh_eligibility(request_ids: Sequence[int] | None = None) -> int:
    """Count the helpers who fit each open request (all of them, or the given ones)."""
    from .services import eligibility_refresh

    return eligibility_refresh(request_ids=request_ids)


def queue_eligibility(request_ids: Sequence[int] | None = None) -> None:
    transaction.on_commit(lambda: refresh_eligibility.enqueue(list(request_ids) if request_ids is not None else None))


def send_reminders(*, now: Any = None) -> int:
    """Remind helper and resident of each visit planned tomorrow, once."""
    from django.urls import reverse

    from .models import Match

    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + DAY
    due = Match.objects.filter(
        status=Match.Status.PLANNED, reminded_at__isnull=True, planned_start__date=tomorrow
    ).select_related("helper__person", "request__person")
    sent = 0
    for match in due:
        with transaction.atomic():
            # never twice, even with two runs at once: the first to lock the visit sends, the other skips it
            if not Match.objects.select_for_update().filter(pk=match.pk, reminded_at__isnull=True).exists():
                continue
            when = timezone.localtime(match.planned_start)
            for person, url_name, pk in (
                (match.helper.person, "care:helper_match", match.pk),
                (match.request.person, "care:my_request", match.request_id),
            ):
                with notify.for_person(person):  # the text and the link in the person's language
                    notify.notify(
                        person,
                        _("Reminder: the visit is tomorrow at %(time)s.") % {"time": f"{when:%H:%M}"},
                        reverse(url_name, args=[pk]),
                    )
            match.reminded_at = now
            match.save(update_fields=["reminded_at"])
            sent += 1
    return sent


@task()
def care_daily() -> dict[str, int]:
    """Every day: reminders for tomorrow's visits, and fresh eligibility counts."""
    from .services import eligibility_refresh

    counts = {"reminders": send_reminders(), "eligibility": eligibility_refresh(request_ids=None)}
    transaction.on_commit(lambda: care_daily.using(run_after=timezone.now() + DAY).enqueue())
    return counts


def care_daily_is_scheduled() -> bool:
    from django_tasks_db.models import DBTaskResult

    name = f"{care_daily.func.__module__}.{care_daily.func.__qualname__}"
    return DBTaskResult.objects.filter(task_path=name, status__in=["READY", "RUNNING"]).exists()


def schedule_care_daily() -> bool:
    """Queue the daily care run unless one is already waiting; returns whether it queued one."""
    if care_daily_is_scheduled():
        return False
    care_daily.enqueue()
    return True
