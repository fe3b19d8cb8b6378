"""Care's settings are declared by care (``apps/care/capability.py``), not in the project's settings module.

Each keeps the environment variable and the default it had (docs/security.md names them), a deployment's
settings module still wins, and tests still change them with pytest-django's ``settings`` fixture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings

from apps.care.capability import CAPABILITY
from apps.core.capabilities import apply_settings, setting_value

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"
DECLARED = {item.name: item for item in CAPABILITY.settings}
CARE_SETTINGS = {
    "CARE_HORIZON_DAYS": 14,
    "CARE_NEW_HELPER_CHECKS": 1,
    "CARE_CHECK_WITHIN_HOURS": 48,
    "CARE_TAKES_PER_DAY": 5,
    "CARE_CANCELS_PER_DAY": 3,
    "CARE_CANCEL_FLAG_COUNT": 3,
    "CARE_CANCEL_FLAG_DAYS": 30,
    "CARE_SHOWN_OFFSET_MIN_M": 250,
    "CARE_SHOWN_OFFSET_MAX_M": 500,
    "CARE_SHOWN_GRID_M": 100,
}


def test_every_care_setting_is_declared_with_its_environment_variable_and_default() -> None:
    for name, default in CARE_SETTINGS.items():
        declared = DECLARED[name]
        assert (declared.default, declared.env) == (default, f"COP_{name}")
        assert declared.help, f"{name} says what it is for"
        assert getattr(django_settings, name) == default, "no test setting or environment sets it"
    base = (Path(__file__).resolve().parents[3] / "cityofpeople" / "settings" / "base.py").read_text()
    assert not re.search(r"^CARE_", base, re.MULTILINE), "declared by care, not by the project"


def test_what_docs_security_says_a_city_can_change_is_what_care_declares() -> None:
    named = re.findall(r"`COP_(CARE_\w+)` \((\d+)", DOC.read_text(encoding="utf-8"))
    assert len(named) >= 9
    for name, default in named:
        assert DECLARED[name].env == f"COP_{name}" and DECLARED[name].default == int(default), name


def test_the_environment_sets_a_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COP_CARE_TAKES_PER_DAY", "8")
    assert setting_value(DECLARED["CARE_TAKES_PER_DAY"]) == 8
    monkeypatch.delenv("COP_CARE_TAKES_PER_DAY")
    assert setting_value(DECLARED["CARE_TAKES_PER_DAY"]) == 5


def test_a_value_the_settings_module_sets_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COP_CARE_HORIZON_DAYS", "21")
    with override_settings(CARE_HORIZON_DAYS=7):
        apply_settings()
        assert django_settings.CARE_HORIZON_DAYS == 7
    assert django_settings.CARE_HORIZON_DAYS == 14


def test_the_settings_fixture_changes_a_declared_setting(settings: object) -> None:
    """Tests lower the limits with pytest-django's ``settings`` or Django's ``override_settings`` (which the
    fixture uses, and which puts the declared value back afterwards)."""
    settings.CARE_CANCEL_FLAG_COUNT = 1  # type: ignore[attr-defined]
    assert django_settings.CARE_CANCEL_FLAG_COUNT == 1
    with override_settings(CARE_TAKES_PER_DAY=2):
        assert django_settings.CARE_TAKES_PER_DAY == 2
    assert django_settings.CARE_TAKES_PER_DAY == 5
