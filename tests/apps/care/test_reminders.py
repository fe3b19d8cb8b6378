"""Reminders that do not depend on when the daily run happens (review of issue 6).

The daily task runs once a day and reminded only the visits of the next day: a visit planned after
today's run for tomorrow morning (before the next run) never got one, and a run that failed never queued
the next one.  Now planning a visit queues its own reminder a day before it (at once when that moment has
passed), the daily run also covers what is left of today, ``reminded_at`` keeps it to one reminder
whichever comes first, and the daily run queues the next one whatever fails.

Texts are compared with their Dutch translation (the platform's language), as the notification tests do.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from apps.care import services, tasks
from apps.care.models import CareRequest, Match, Message

from .conftest import CareWorld

TODAY = "Reminder: the visit is today at %(time)s."
TOMORROW = "Reminder: the visit is tomorrow at %(time)s."


def nl(msgid: str, **params: Any) -> str:
    with translation.override("nl"):
        return gettext(msgid) % params


def reminders(world: CareWorld) -> dict[str, list[str]]:
    """The reminders each side received (in-app), by who."""
    found: dict[str, list[str]] = {}
    for name, person in (("helper", world.helper), ("resident", world.resident)):
        texts = Message.objects.filter(person=person).order_by("pk").values_list("text", flat=True)
        starts = tuple(nl(msgid, time="").split(" ")[0] for msgid in (TODAY, TOMORROW))
        found[name] = [t for t in texts if t.startswith(starts)]
    return found


def expected_text(match: Match) -> str:
    when = timezone.localtime(match.planned_start)
    today = timezone.localdate()
    return nl(TODAY if when.date() == today else TOMORROW, time=f"{when:%H:%M}")


@pytest.mark.django_db(transaction=True)  # the reminder task is queued once the planning is committed
def test_a_visit_planned_after_todays_run_still_gets_exactly_one_reminder(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    world = care_world
    assert tasks.send_reminders() == 0, "today's run: nothing planned yet"
    match = services.request_take(actor=world.helper_actor, request=care_request)
    start = timezone.now() + timedelta(hours=3)  # before tomorrow's run, whenever it comes
    services.match_plan(actor=world.helper_actor, match=match, start=start, end=start + timedelta(hours=1))

    call_command("db_worker", "--batch", verbosity=0)

    match.refresh_from_db()
    assert match.reminded_at is not None
    text = expected_text(match)
    assert reminders(world) == {"helper": [text], "resident": [text]}
    # the next daily runs, and the visit's task once more: nobody gets a second one
    assert tasks.send_reminders() == 0
    assert tasks.send_reminders(now=timezone.now() + timedelta(hours=2)) == 0
    assert tasks.remind_visit.call(match.pk, start.isoformat()) is False
    assert reminders(world) == {"helper": [text], "resident": [text]}


@pytest.mark.django_db(transaction=True)
def test_a_visit_further_ahead_is_reminded_a_day_before_it(care_world: CareWorld, care_request: CareRequest) -> None:
    world = care_world
    match = services.request_take(actor=world.helper_actor, request=care_request)
    start = timezone.now() + timedelta(hours=30)
    services.match_plan(actor=world.helper_actor, match=match, start=start, end=start + timedelta(hours=1))

    queued = DBTaskResult.objects.get(task_path__endswith="remind_visit")
    assert queued.run_after == start - tasks.REMIND_BEFORE
    call_command("db_worker", "--batch", verbosity=0)
    assert reminders(world) == {"helper": [], "resident": []}, "not yet: a day before"

    with mock.patch("django.utils.timezone.now", return_value=start - timedelta(hours=23)):
        assert tasks.remind_visit.call(match.pk, start.isoformat()) is True
        assert tasks.send_reminders() == 0, "the daily run after it sends nothing more"
        match.refresh_from_db()
        text = expected_text(match)
    assert reminders(world) == {"helper": [text], "resident": [text]}


@pytest.mark.django_db
def test_a_visit_moved_is_reminded_for_its_new_time_only(care_world: CareWorld, care_request: CareRequest) -> None:
    world = care_world
    match = services.request_take(actor=world.helper_actor, request=care_request)
    first = timezone.now() + timedelta(hours=2)
    services.match_plan(actor=world.helper_actor, match=match, start=first, end=first + timedelta(hours=1))
    second = first + timedelta(hours=1)
    services.match_plan(actor=world.helper_actor, match=match, start=second, end=second + timedelta(hours=1))

    assert tasks.remind_visit.call(match.pk, first.isoformat()) is False, "the old time's task does nothing"
    assert tasks.remind_visit.call(match.pk, second.isoformat()) is True
    match.refresh_from_db()
    assert reminders(world) == {"helper": [expected_text(match)], "resident": [expected_text(match)]}


@pytest.mark.django_db
def test_the_daily_run_reminds_a_visit_later_today_not_yet_reminded(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    """A visit planned yesterday after the run, for today: the reminder task was lost; the daily run catches it."""
    world = care_world
    match = services.request_take(actor=world.helper_actor, request=care_request)
    start = timezone.now() + timedelta(minutes=30)
    services.match_plan(actor=world.helper_actor, match=match, start=start, end=start + timedelta(hours=1))
    assert tasks.send_reminders() == 1
    match.refresh_from_db()
    assert reminders(world) == {"helper": [expected_text(match)], "resident": [expected_text(match)]}
    assert tasks.send_reminders() == 0


@pytest.mark.django_db(transaction=True)  # as the worker runs it: not inside a test's transaction
def test_the_daily_run_queues_the_next_one_even_when_a_step_fails(care_world: CareWorld) -> None:
    with (
        mock.patch.object(tasks, "send_reminders", side_effect=RuntimeError("mail server down")),
        mock.patch("apps.care.services.eligibility_refresh", return_value=7) as refresh,
    ):
        call_command("schedule_care_daily", verbosity=0)
        call_command("db_worker", "--batch", verbosity=0)

    assert refresh.called, "the other steps still ran"
    failed = DBTaskResult.objects.filter(status="FAILED", task_path__endswith="care_daily")
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="care_daily")
    assert failed.count() == 1, "the failure is recorded"
    assert waiting.count() == 1, "and tomorrow's run is queued all the same"
    next_run = waiting.get().run_after
    assert next_run is not None and next_run > timezone.now() + timedelta(hours=23)
