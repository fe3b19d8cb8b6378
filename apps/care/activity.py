"""Care's part of the auditor's activity view (``apps.access.activity``): requests taken and visits called off.

Both are read from the match history (``MatchEvent``), counted per account and day by the database.
A take is a match its own helper started ("I can help"), whatever state it starts in; a cancellation is
every match someone called off (helper, resident or coordinator: each counts for whoever did it).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from apps.access.activity import ActivitySource, Counts, per_day, register

from .models import Match, MatchEvent


def _events(start: datetime, end: datetime):  # type: ignore[no-untyped-def]
    return MatchEvent.objects.filter(at__gte=start, at__lt=end, actor__isnull=False, actor__user__isnull=False)


def takes(start: datetime, end: datetime) -> Counts:
    started_by_own_helper = _events(start, end).filter(from_status="", actor_id=F("match__helper__person_id"))
    return per_day(started_by_own_helper, "actor__user_id", Count("id"), start=start, end=end)


def cancellations(start: datetime, end: datetime) -> Counts:
    called_off = _events(start, end).filter(to_status=Match.Status.CANCELLED)
    return per_day(called_off, "actor__user_id", Count("id"), start=start, end=end)


def register_sources() -> None:
    register(
        ActivitySource(
            "takes",
            _("Requests taken"),
            _('How many requests for help the helper took on their own with "I can help".'),
            takes,
            order=20,
            threshold=5,  # the daily limit of takes (CARE_TAKES_PER_DAY) is also 5
        )
    )
    register(
        ActivitySource(
            "cancellations",
            _("Called off"),
            _("How many matches between a helper and a resident the account called off."),
            cancellations,
            order=30,
            threshold=3,
        )
    )
