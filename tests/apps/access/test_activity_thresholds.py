"""Each app declares the daily limit of the activity it counts (``ActivitySource.threshold``).

The deployment still decides: ``COP_ACTIVITY_<KIND>`` (the variables docs/security.md names, with the same
defaults) overrides the declared limit, and ``settings.ACTIVITY_THRESHOLDS`` overrides both.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from apps.access.activity import Rules, sources

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"


def declared() -> dict[str, int]:
    return {source.kind: source.threshold for source in sources()}


def test_every_source_declares_the_limit_docs_security_names() -> None:
    assert declared() == {
        "reads": 50,
        "takes": 5,
        "cancellations": 3,
        "refused": 3,
        "place_changes": 4,
        "failed_logins": 10,
    }
    named = dict(re.findall(r"`COP_ACTIVITY_(\w+)` \((\d+)", DOC.read_text(encoding="utf-8")))
    for source in sources():
        assert source.env == f"COP_ACTIVITY_{source.kind.upper()}"
        assert int(named[source.kind.upper()]) == source.threshold, source.kind


def test_without_configuration_the_report_uses_the_declared_limits() -> None:
    rules = Rules.from_settings()
    assert {kind: rules.threshold(kind) for kind in declared()} == declared()


def test_the_environment_overrides_a_declared_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COP_ACTIVITY_TAKES", "7")
    rules = Rules.from_settings()
    assert rules.threshold("takes") == 7
    assert rules.threshold("cancellations") == 3


def test_the_settings_override_the_environment_and_the_declaration(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    monkeypatch.setenv("COP_ACTIVITY_TAKES", "7")
    settings.ACTIVITY_THRESHOLDS = {"takes": 9, "reads": 80}  # type: ignore[attr-defined]
    rules = Rules.from_settings()
    assert (rules.threshold("takes"), rules.threshold("reads"), rules.threshold("refused")) == (9, 80, 3)


def test_a_limit_that_is_not_a_number_stops_the_start_not_the_auditors_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from apps.access.checks import check_activity_limits

    assert check_activity_limits() == []
    monkeypatch.setenv("COP_ACTIVITY_TAKES", "abc")
    errors = check_activity_limits()
    assert [e.id for e in errors] == ["access.E004"] and "COP_ACTIVITY_TAKES" in errors[0].hint


def test_a_declared_setting_the_environment_gets_wrong_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from apps.core.capabilities import Setting, setting_value

    monkeypatch.setenv("COP_CARE_TAKES_PER_DAY", "five")
    with pytest.raises(ImproperlyConfigured, match="COP_CARE_TAKES_PER_DAY='five'"):
        setting_value(Setting("CARE_TAKES_PER_DAY", 5, env="COP_CARE_TAKES_PER_DAY"))
