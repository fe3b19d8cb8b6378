"""Background work of care matching: matching rounds, eligibility counts and reminders.

Tasks take ids (never model instances) and are queued on commit.  The daily task queues its own next
run (django-tasks has no clock); ``schedule_care_daily`` makes sure exactly one run is waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import notify
from .models import MatchingRound

DAY = timedelta(days=1)
REMIND_BEFORE = timedelta(hours=24)
"""A visit's reminder goes this long before it (or at once, when it is planned later than that)."""

logger = logging.getLogger(__name__)


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


@task()
def refresh_eligibility_near(offer_id: int, reach_km: float) -> int:
    """Count again the open requests within ``reach_km`` of a helper whose offer or room changed."""
    from .services import eligibility_refresh_near

    return eligibility_refresh_near(offer_id=offer_id, reach_km=reach_km)


def queue_eligibility_near(offer_id: int, reach_km: float) -> None:
    transaction.on_commit(lambda: refresh_eligibility_near.enqueue(offer_id, float(reach_km)))


def _remind(match_id: int, now: datetime) -> bool:
    """Remind helper and resident of one planned visit, today (still to come) or tomorrow, unless done before.

    Never twice, even with two runs at once: the first to lock the visit sends and writes ``reminded_at``,
    the other finds it written and skips it.  Whether it was sent is returned.
    """
    from django.urls import reverse

    from .models import Match

    today = timezone.localtime(now).date()
    with transaction.atomic():
        match = (
            Match.objects.select_for_update(of=("self",))
            .select_related("helper__person", "request__person")
            .filter(pk=match_id, status=Match.Status.PLANNED, reminded_at__isnull=True, planned_start__gt=now)
            .first()
        )
        if match is None or match.planned_start is None:
            return False
        when = timezone.localtime(match.planned_start)
        if when.date() > today + DAY:
            return False  # too early: the daily run or the visit's own reminder task comes back for it
        for person, url_name, pk in (
            (match.helper.person, "care:helper_match", match.pk),
            (match.request.person, "care:my_request", match.request_id),
        ):
            with notify.for_person(person):  # the text and the link in the person's language
                text = (
                    _("Reminder: the visit is today at %(time)s.")
                    if when.date() == today
                    else _("Reminder: the visit is tomorrow at %(time)s.")
                )
                notify.notify(person, text % {"time": f"{when:%H:%M}"}, reverse(url_name, args=[pk]))
        match.reminded_at = now
        match.save(update_fields=["reminded_at"])
    return True


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind helper and resident of each visit planned later today or tomorrow, once.

    Later today too: a visit planned after yesterday's run for this morning was not "tomorrow" then.
    """
    from .models import Match

    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + DAY
    due = Match.objects.filter(
        status=Match.Status.PLANNED, reminded_at__isnull=True, planned_start__gt=now, planned_start__date__lte=tomorrow
    ).order_by("planned_start", "pk")
    return sum(_remind(pk, now) for pk in due.values_list("pk", flat=True))


@task()
def remind_visit(match_id: int, planned_start: str) -> bool:
    """The reminder of one visit, queued when it is planned (``queue_reminder``); nothing if it moved since."""
    from .models import Match

    if not Match.objects.filter(pk=match_id, planned_start=datetime.fromisoformat(planned_start)).exists():
        return False  # planned again (with its own reminder), or gone
    return _remind(match_id, timezone.now())


def queue_reminder(match_id: int, start: datetime) -> None:
    """When a visit is planned: its reminder a day before, or at once when that moment has passed.

    The daily run reminds only once a day; a visit planned after it, for before the next one, would be
    missed.  ``reminded_at`` keeps it to one reminder, whichever comes first.
    """
    run_after = start - REMIND_BEFORE
    task = remind_visit.using(run_after=run_after) if run_after > timezone.now() else remind_visit
    transaction.on_commit(lambda: task.enqueue(match_id, start.isoformat()))


@task()
def lapse_check(match_id: int) -> bool:
    """A new helper's take, if still unchecked when the promised time is up (``services.match_check_lapse``)."""
    from .services import match_check_lapse

    return match_check_lapse(match_id=match_id)


def queue_check_lapse(match_id: int, taken_at: datetime) -> None:
    """When a new helper takes a request: its lapse, the promised number of hours later."""
    from django.conf import settings

    run_after = taken_at + timedelta(hours=settings.CARE_CHECK_WITHIN_HOURS, minutes=1)
    transaction.on_commit(lambda: lapse_check.using(run_after=run_after).enqueue(match_id))


@task()
def care_daily() -> dict[str, int]:
    """Every day: reminders for the visits of today and tomorrow, and fresh eligibility counts.

    Each step runs even when the one before failed, and the next day's run is queued whatever happens
    (django-tasks has no clock: a run that did not queue the next one would end the daily work for good).
    A failed step is logged, and the task then fails too, so the worker records it.
    """
    from .services import check_lapses, eligibility_refresh

    steps: dict[str, Callable[[], int]] = {
        "reminders": send_reminders,
        "unchecked takes": check_lapses,
        "eligibility": lambda: eligibility_refresh(request_ids=None),
    }
    counts: dict[str, int] = {}
    failed: list[Exception] = []
    try:
        for name, step in steps.items():
            try:
                counts[name] = step()
            except Exception as error:
                logger.exception("care_daily: the step %s failed", name)
                failed.append(error)
    finally:
        transaction.on_commit(lambda: care_daily.using(run_after=timezone.now() + DAY).enqueue())
    if failed:
        raise failed[0]
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
