"""Retention: how long each kind of data is kept, declared by the app that keeps it and applied every day.

Each app lists its kinds in ``apps/<app>/capability.py`` (``Retention(kind, days, apply, what)``), so the
daily task (``tasks.retention_daily``) runs a new capability's retention without this module naming it.
Each kind is applied in one transaction of its own, and one kind that fails (a bug in one app) neither
undoes nor stops the others: they are applied, the failure is logged, and the run then raises it.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Retention, capabilities

from .services import access_log_purge, security_events_purge


def retention_rules() -> list[Retention]:
    """Every installed app's retention, in the order of ``INSTALLED_APPS``; a kind declared twice is an
    error (two periods for one kind: which one holds?)."""
    declared = [item for capability in capabilities() for item in capability.retention]
    twice = sorted(kind for kind, n in Counter(item.kind for item in declared).items() if n > 1)
    if twice:
        raise ImproperlyConfigured(f"retention declared twice for: {', '.join(twice)}")
    return declared


logger = logging.getLogger(__name__)


class RetentionFailed(RuntimeError):
    """One or more kinds could not be applied; the others were (``counts``)."""

    def __init__(self, failed: dict[str, Exception], counts: dict[str, int]) -> None:
        super().__init__(f"retention failed for: {', '.join(sorted(failed))}")
        self.failed = failed
        self.counts = counts


def apply_retention(*, now: datetime) -> dict[str, int]:
    """Apply every kind's retention as of ``now``; returns, per kind, how many rows were removed or emptied.

    Raises ``RetentionFailed`` after the others are applied when a kind fails."""
    counts: dict[str, int] = {}
    failed: dict[str, Exception] = {}
    for item in retention_rules():
        try:
            with transaction.atomic():
                counts[item.kind] = item.apply(now)
        except Exception as error:  # one app's bug must not keep the other kinds' data for ever
            logger.exception("retention of %s failed", item.kind)
            failed[item.kind] = error
    if failed:
        raise RetentionFailed(failed, counts)
    return counts


def check_retention_kinds(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """access.E003: two apps (or one, twice) declare retention for the same kind of data."""
    try:
        retention_rules()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), hint="Give each kind one Retention in one capability.py.", id="access.E003")]
    return []


# --- what access itself keeps -----------------------------------------------------------------------


def access_log_days() -> int:
    return int(settings.RETENTION_DAYS["access_log"])


def security_events_days() -> int:
    """As long as the access log unless set."""
    return int(settings.RETENTION_DAYS.get("security_events", access_log_days()))


RETENTION = (
    Retention("access_log", days=access_log_days, apply=lambda now: access_log_purge(now=now), what=_("Access log")),
    Retention(
        "security_events",
        days=security_events_days,
        apply=lambda now: security_events_purge(now=now),
        what=_("Failed sign-ins"),
    ),
)
"""Declared in ``apps/access/capability.py``."""
