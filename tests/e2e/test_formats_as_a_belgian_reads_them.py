"""Issue 14, item 2, in a real browser: a coordinator reads a phone number, an address, languages and dates the
way a Belgian writes them, in Dutch and in English (apps/core/formats.py, {% load formats %})."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from apps.care.models import CareRequest
from apps.people.models import Person
from tests.e2e.test_signed_in_pages_are_accessible import open_checked, signed_in_context

# written out here, not taken from the code under test
WEEKDAYS = {
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MONTHS = {
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}  # fmt: skip
LANGUAGES = {"nl": "Nederlands, Engels", "en": "Dutch, English"}
ONE_HOUR = {"nl": "1 uur", "en": "1 hour"}


def in_words(moment: datetime, language: str) -> str:
    local = timezone.localtime(moment)
    return f"{WEEKDAYS[language][local.weekday()]} {local.day} {MONTHS[language][local.month - 1]} {local.year}"


def visible_text(page: Page) -> str:
    return " ".join(page.inner_text("main").split())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_coordinator_reads_phone_address_languages_and_dates_as_a_belgian_writes_them(
    browser: Browser, site: Any, language: str
) -> None:
    olena = Person.objects.get(phone="+32477503067")  # the demo's resident, stored in E.164
    request = CareRequest.objects.filter(person=olena).order_by("pk").first()
    assert request is not None and request.duration_minutes == 60
    window = request.windows.order_by("start").first()
    assert window is not None
    page = signed_in_context(browser, site, "coordinator").new_page()  # a phone's screen

    # the search finds her however the number is typed, and shows it nationally
    open_checked(page, f"{site.url}/{language}/persons/?q=0032+477+50.30.67")
    results = visible_text(page)
    assert "Hermans, Olena" in results and "0477 50 30 67" in results
    assert "+32477503067" not in results

    open_checked(page, f"{site.url}/{language}/persons/{olena.pk}/")
    person_page = visible_text(page)
    assert "0477 50 30 67" in person_page
    assert f"{olena.street} {olena.house_number}, 9000 Gent" in person_page
    assert LANGUAGES[language] in person_page
    assert page.locator('a[href="tel:+32477503067"]').count() >= 1

    open_checked(page, f"{site.url}/{language}/coordinate/requests/{request.pk}/")
    request_page = visible_text(page)
    assert "0477 50 30 67" in request_page
    assert f"{request.street} {request.house_number}, 9000 Gent" in request_page
    assert ONE_HOUR[language] in request_page and "60 min" not in request_page
    start, end = timezone.localtime(window.start), timezone.localtime(window.end)
    assert f"{in_words(window.start, language)}, {start:%H:%M}–{end:%H:%M}" in request_page
    asked = timezone.localtime(request.created_at)
    assert f"{asked.day} {MONTHS[language][asked.month - 1]} {asked.year}, {asked:%H:%M}" in request_page
    assert f"{asked.month}/{asked.day}/" not in request_page and " p.m." not in request_page
