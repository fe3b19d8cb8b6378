"""How long the wellbeing app keeps what identifies a person (declared in ``capability.py``; the daily retention
task of ``apps/access/retention.py`` applies it).

- a neighbour's report: its words, the address and the reporter's contact go after
  ``WELLBEING_REPORT_RETENTION_DAYS`` from when it was sent (the district, signs, status and dates stay);
- a closed outreach case: the person, the notes and the links go after ``WELLBEING_CASE_RETENTION_DAYS`` from
  closing (district, origin, outcome and dates stay, so the counts do not change);
- a screening: the person and the answers go after ``WELLBEING_SCREENING_RETENTION_DAYS`` (scores, category,
  district and date stay for the district view);
- the counters of the rate limits: deleted two days after their window ended.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Retention

from .privacy import anonymise_closed_cases, anonymise_reports, anonymise_screenings


def report_days() -> int:
    return int(settings.WELLBEING_REPORT_RETENTION_DAYS)


def case_days() -> int:
    return int(settings.WELLBEING_CASE_RETENTION_DAYS)


def screening_days() -> int:
    return int(settings.WELLBEING_SCREENING_RETENTION_DAYS)


def counter_days() -> int:
    """The longest window of a rate limit, and two days more."""
    return int(settings.WELLBEING_REPORT_ADDRESS_WINDOW_DAYS) + 2


def reports_anonymise(now: datetime) -> int:
    return anonymise_reports(before=now - timedelta(days=report_days()))


def cases_anonymise(now: datetime) -> int:
    return anonymise_closed_cases(before=now - timedelta(days=case_days()))


def screenings_anonymise(now: datetime) -> int:
    return anonymise_screenings(before=now - timedelta(days=screening_days()))


def counters_delete(now: datetime) -> int:
    from .models import RateBucket

    deleted, _rows = RateBucket.objects.filter(window_start__lt=now - timedelta(days=counter_days())).delete()
    return int(deleted)


RETENTION = (
    Retention(
        "wellbeing_reports", days=report_days, apply=reports_anonymise,
        what=_("What a worried neighbour wrote, the address and the reporter's contact (the report stays, "
               "without them, for the statistics)"),
    ),
    Retention(
        "wellbeing_closed_cases", days=case_days, apply=cases_anonymise,
        what=_("Who a closed outreach case was about, its notes and the notes of its contact attempts (the case "
               "stays, without them, for the statistics)"),
    ),
    Retention(
        "wellbeing_screenings", days=screening_days, apply=screenings_anonymise,
        what=_("Who answered a loneliness screening and their answers (the scores stay, without the person, for "
               "the statistics)"),
    ),
    Retention(
        "wellbeing_rate_counters", days=counter_days, apply=counters_delete,
        what=_("The counters that limit reports of worried neighbours per address and network"),
    ),
)  # fmt: skip
"""Declared in ``apps/wellbeing/capability.py``."""
