"""The resident's request form asks "when" as mornings, afternoons and evenings of the coming days (issue 14).

Each ticked part is a time window of the hours the city set (``CARE_MORNING``, ``CARE_AFTERNOON``,
``CARE_EVENING`` in ``apps/care/capability.py``), so the engine's time windows are fed as before; parts of a
day that touch make one window.  Languages come ticked from the profile, the others folded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.care.capability import CAPABILITY, hours_between
from apps.care.models import CareCategory, CareRequest
from apps.core.capabilities import setting_value
from apps.people.models import Person

pytestmark = pytest.mark.django_db


def ask(day_offset: int, *parts: str, **changes: object) -> dict[str, object]:
    day = (timezone.localdate() + timedelta(days=day_offset)).isoformat()
    form: dict[str, object] = {
        "category": CareCategory.objects.get(code="shopping").pk,
        "when": [f"{day}:{part}" for part in parts],
        "duration_minutes": "60",
        "urgency": "3",
        "recurrence": "none",
        "languages": ["nl"],
    }
    form.update(changes)
    return form


def windows_of(person: Person) -> list[tuple[time, time]]:
    created = CareRequest.objects.filter(person=person).order_by("-pk").first()
    assert created is not None
    return [(timezone.localtime(w.start).time(), timezone.localtime(w.end).time()) for w in created.windows.all()]


def test_a_morning_and_an_afternoon_of_one_day_are_one_window(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    response = client_as("resident").post("/en/care/ask/", ask(2, "morning", "afternoon"))
    assert response.status_code == 302
    assert windows_of(person_of("resident")) == [(time(9), time(17))]


def test_parts_that_do_not_touch_stay_apart(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client_as("resident").post("/en/care/ask/", ask(2, "morning", "evening"))
    assert windows_of(person_of("resident")) == [(time(9), time(12)), (time(17), time(20))]


def test_the_hours_of_a_part_are_a_setting(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], settings: object
) -> None:
    settings.CARE_EVENING = (time(18), time(21))  # type: ignore[attr-defined]
    client = client_as("resident")
    assert "18–21" in client.get("/en/care/ask/").content.decode()
    client.post("/en/care/ask/", ask(3, "evening"))
    assert windows_of(person_of("resident")) == [(time(18), time(21))]


def test_the_day_parts_are_declared_settings_with_their_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    declared = {item.name: item for item in CAPABILITY.settings}
    assert declared["CARE_MORNING"].default == (time(9), time(12))
    monkeypatch.setenv("COP_CARE_MORNING", "08:30-11:30")
    assert setting_value(declared["CARE_MORNING"]) == (time(8, 30), time(11, 30))
    with pytest.raises(ValueError):
        hours_between("12:00-09:00")


def test_the_form_offers_the_coming_days_and_ticks_the_profiles_languages(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    rosa = person_of("resident")
    html = client_as("resident").get("/en/care/ask/").content.decode()
    day = (timezone.localdate() + timedelta(days=6)).isoformat()
    assert f'value="{day}:evening"' in html
    assert f'value="{(timezone.localdate() + timedelta(days=7)).isoformat()}:evening"' not in html
    for code in rosa.languages:
        assert re.search(rf'<input type="checkbox" name="languages" value="{code}"[^>]*checked', html), code
    folded = html[html.index("Other languages") :]
    assert 'value="nl"' in folded or "nl" in rosa.languages
    assert 'type="time"' not in html  # no time to type
