"""Care declares its own retention: closed requests lose their words after ``CARE_RETENTION_CLOSED_DAYS``,
which a city sets with ``COP_RETENTION_CARE_CLOSED_DAYS``; the daily task runs it without access naming care."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from apps.access.retention import apply_retention
from apps.care.models import CareRequest
from apps.core.capabilities import capability, setting_value


def test_the_city_sets_the_period_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    care = capability("care")
    assert care is not None
    declared = next(s for s in care.settings if s.env == "COP_RETENTION_CARE_CLOSED_DAYS")
    assert (declared.name, setting_value(declared)) == ("CARE_RETENTION_CLOSED_DAYS", 2 * 365)
    monkeypatch.setenv("COP_RETENTION_CARE_CLOSED_DAYS", "30")
    assert setting_value(declared) == 30


@pytest.mark.django_db
def test_closed_requests_lose_their_words_after_the_period_the_setting_gives(demo_city: None, settings: Any) -> None:
    with_words = CareRequest.objects.filter(closed_at__isnull=False).exclude(description="")
    closed = with_words.count()
    assert closed > 0, "the demo has a done request"
    in_two_days = timezone.now() + timedelta(days=2)
    assert apply_retention(now=in_two_days)["care_closed_requests"] == 0, "two years by default"
    settings.CARE_RETENTION_CLOSED_DAYS = 1
    assert apply_retention(now=in_two_days)["care_closed_requests"] == closed
    assert not with_words.exists()
