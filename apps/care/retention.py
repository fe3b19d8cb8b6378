"""How long care keeps what was said in words about a closed request (``CARE_RETENTION_CLOSED_DAYS``).

Declared in ``apps/care/capability.py``; the daily retention task (``apps/access/retention.py``) applies it.
The rows stay, so the statistics do not change (``privacy.clear_closed_requests``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Retention

from .privacy import clear_closed_requests


def closed_request_days() -> int:
    return int(settings.CARE_RETENTION_CLOSED_DAYS)


def closed_requests_clear(now: datetime) -> int:
    return clear_closed_requests(before=now - timedelta(days=closed_request_days()))


RETENTION = (
    Retention(
        "care_closed_requests",
        days=closed_request_days,
        apply=closed_requests_clear,
        what=_("What was written in closed requests for help (the requests stay for the statistics)"),
    ),
)
"""Declared in ``apps/care/capability.py``."""
