"""How long the directory keeps what was written in a closed referral (``REFERRAL_RETENTION_CLOSED_DAYS``).

Declared in ``apps/directory/capability.py``; the daily retention task (``apps/access/retention.py``) applies
it.  A referral is closed when it was declined, completed, withdrawn or left without an answer; counted from its
last change.  The rows and their steps stay, so the statistics per service and district do not change
(``privacy.clear_closed_referrals``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Retention

from .privacy import clear_closed_referrals


def closed_referral_days() -> int:
    return int(settings.REFERRAL_RETENTION_CLOSED_DAYS)


def closed_referrals_clear(now: datetime) -> int:
    return clear_closed_referrals(before=now - timedelta(days=closed_referral_days()))


RETENTION = (
    Retention(
        "directory_closed_referrals",
        days=closed_referral_days,
        apply=closed_referrals_clear,
        what=_(
            "What was written in closed referrals to a service: what the person needed, what was passed on, "
            "reasons and notes (the referrals stay for the statistics)"
        ),
    ),
)
"""Declared in ``apps/directory/capability.py``."""
