"""Shared by the account tests: a clean throttle for each test, and the text messages the pages queue."""

from __future__ import annotations

import pytest

SMS_SENDERS = ("apps.people.phone_signup", "apps.people.adapter", "apps.people.reauthentication_views")


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every text message the pages queue, as (number, text); no task worker or committed transaction needed."""
    sent: list[tuple[str, str]] = []

    def capture(*, to: str, text: str) -> None:
        sent.append((to, text))

    for module in SMS_SENDERS:
        monkeypatch.setattr(f"{module}.send_sms", capture)
    return sent
