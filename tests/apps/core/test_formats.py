"""Values as a Belgian reads them, in each of the three languages (apps/core/formats.py, {% load formats %})."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format

from apps.core import formats

BRUSSELS = ZoneInfo("Europe/Brussels")
TUESDAY = datetime(2026, 12, 8, 14, 57, tzinfo=BRUSSELS)
IN_2026 = date(2026, 12, 1)


def in_language(language: str, function, *args):  # type: ignore[no-untyped-def]
    with translation.override(language):
        return function(*args)


# --- phone numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+32477503067", "0477 50 30 67"),
        ("+3292251234", "09 225 12 34"),
        ("+3225123456", "02 512 34 56"),
        ("+33612345678", "+33 6 12 34 56 78"),
        ("12 34", "12 34"),  # not a valid number: as stored
        ("", ""),
        (None, ""),
    ],
)
def test_phone_numbers_read_the_same_in_every_language(stored: str | None, shown: str) -> None:
    for language in ("nl", "en", "fr"):
        assert in_language(language, formats.phone, stored) == shown


def test_a_tel_link_dials_the_number_whatever_spaces_it_was_stored_with() -> None:
    assert formats.tel_uri("+32 9 266 11 11") == "tel:+3292661111"
    assert formats.tel_uri("") == ""


# --- addresses ------------------------------------------------------------------------------------


def test_an_address_carries_the_municipality(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CITY_NAME = "Gent"
    person = SimpleNamespace(street="Kanunnikstraat", house_number="48", postcode="9000")
    assert formats.address(person) == "Kanunnikstraat 48, 9000 Gent"
    assert formats.address({"street": "Kanunnikstraat", "house_number": "48", "postcode": "9050"}) == (
        "Kanunnikstraat 48, 9050 Gent"
    )
    assert formats.address(SimpleNamespace(street="", house_number="", postcode="")) == ""
    assert formats.address(None) == ""
    named = SimpleNamespace(street="Grote Markt", house_number="1", postcode="8500", municipality="Kortrijk")
    assert formats.address(named) == "Grote Markt 1, 8500 Kortrijk"


# --- languages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "shown"),
    [("nl", "Nederlands, Arabisch"), ("en", "Dutch, Arabic"), ("fr", "néerlandais, arabe")],
)
def test_languages_are_named_in_the_pages_language(language: str, shown: str) -> None:
    assert in_language(language, formats.language_names, ["nl", "ar"]) == shown


def test_a_language_outside_the_forms_list_is_named_too_and_an_unknown_code_stays() -> None:
    assert in_language("nl", formats.language_names, ["it"]) == "Italiaans"
    assert in_language("en", formats.language_names, ["it", "qq"]) == "Italian, qq"
    assert formats.language_names([]) == ""


# --- durations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "nl", "en", "fr"),
    [
        (0, "0 minuten", "0 minutes", "0 minute"),
        (1, "1 minuut", "1 minute", "1 minute"),
        (45, "45 minuten", "45 minutes", "45 minutes"),
        (59, "59 minuten", "59 minutes", "59 minutes"),
        (60, "1 uur", "1 hour", "1 heure"),
        (61, "1 uur en 1 minuut", "1 hour and 1 minute", "1 heure et 1 minute"),
        (90, "1,5 uur", "1.5 hours", "1,5 heure"),
        (120, "2 uur", "2 hours", "2 heures"),
        (150, "2,5 uur", "2.5 hours", "2,5 heures"),
    ],
)
def test_durations_are_written_as_typed(minutes: int, nl: str, en: str, fr: str) -> None:
    assert in_language("nl", formats.duration, minutes) == nl
    assert in_language("en", formats.duration, minutes) == en
    assert in_language("fr", formats.duration, minutes) == fr


def test_hours_logged_by_a_helper_are_written_as_typed() -> None:
    assert in_language("nl", formats.hours, Decimal("1.50")) == "1,5 uur"
    assert in_language("en", formats.hours, Decimal("1.00")) == "1 hour"
    assert in_language("nl", formats.hours, Decimal("0.75")) == "45 minuten"
    assert formats.hours(None) == ""


# --- dates and times ------------------------------------------------------------------------------


def test_a_short_day_is_lower_case_in_dutch_and_french() -> None:
    assert in_language("nl", formats.day_short, TUESDAY, IN_2026) == "di 8 dec"
    assert in_language("en", formats.day_short, TUESDAY, IN_2026) == "Tue 8 Dec"
    assert in_language("fr", formats.day_short, TUESDAY, IN_2026) == "mar. 8 déc."


def test_a_short_day_of_another_year_carries_the_year() -> None:
    assert in_language("nl", formats.day_short, TUESDAY, date(2027, 1, 4)) == "di 8 dec 2026"


def test_a_day_in_full_words() -> None:
    assert in_language("nl", formats.day, TUESDAY) == "dinsdag 8 december 2026"
    assert in_language("en", formats.day, TUESDAY) == "Tuesday 8 December 2026"
    assert in_language("fr", formats.day, TUESDAY) == "mardi 8 décembre 2026"


def test_weekdays_are_lower_case_in_dutch() -> None:
    monday = date(2026, 12, 7)
    assert in_language("nl", formats.weekday, monday) == "maandag"
    assert in_language("en", formats.weekday, monday) == "Monday"
    assert in_language("fr", formats.weekday, monday) == "lundi"
    with translation.override("nl"):
        assert Template("{% load i18n formats %}Bellijst van {{ d|weekday }}").render(Context({"d": monday})) == (
            "Bellijst van maandag"
        )


def test_a_moment_is_on_the_24_hour_clock() -> None:
    assert in_language("nl", formats.moment, TUESDAY, IN_2026) == "di 8 dec, 14:57"
    assert in_language("en", formats.moment, TUESDAY, IN_2026) == "Tue 8 Dec, 14:57"


def test_midnight_belongs_to_the_day_it_starts_in_brussels() -> None:
    """23:30 UTC on 7 December is 00:30 on Tuesday 8 December in Ghent."""
    late = datetime(2026, 12, 7, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert in_language("nl", formats.moment, late, IN_2026) == "di 8 dec, 00:30"
    midnight = datetime(2026, 12, 8, 0, 0, tzinfo=BRUSSELS)
    assert in_language("en", formats.moment, midnight, IN_2026) == "Tue 8 Dec, 00:00"


def test_english_dates_cannot_be_read_as_american() -> None:
    moment = datetime(2026, 12, 7, 14, 57, tzinfo=BRUSSELS)
    with translation.override("en"):
        assert date_format(moment, "DATETIME_FORMAT") == "7 December 2026, 14:57"
        assert date_format(moment, "DATE_FORMAT") == "7 December 2026"
        assert date_format(moment, "SHORT_DATE_FORMAT") == "7 Dec 2026"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == "7 Dec 2026, 14:57"
        assert date_format(moment, "TIME_FORMAT") == "14:57"
        assert "12/" not in Template('{{ m|date:"SHORT_DATE_FORMAT" }}').render(Context({"m": moment}))


def test_dutch_and_french_dates_in_words() -> None:
    moment = datetime(2026, 12, 8, 14, 57, tzinfo=BRUSSELS)
    with translation.override("nl"):
        assert date_format(moment, "DATETIME_FORMAT") == "8 december 2026, 14:57"
        assert date_format(moment, "SHORT_DATE_FORMAT") == "8 dec 2026"
    with translation.override("fr"):
        assert date_format(moment, "DATETIME_FORMAT") == "8 décembre 2026 à 14:57"
        assert date_format(moment, "SHORT_DATE_FORMAT") == "8 déc. 2026"


def test_a_date_typed_day_first_is_read_day_first_in_english_too() -> None:
    with translation.override("en"):
        field = forms.DateField()
        assert field.clean("7/12/2026") == date(2026, 12, 7)
        assert field.clean("2026-12-07") == date(2026, 12, 7)


# --- just now -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "nl", "en", "fr"),
    [
        (0, "zojuist", "just now", "à l'instant"),
        (59, "zojuist", "just now", "à l'instant"),
        # Django's timesince keeps number and unit together with a no-break space
        (60, "1\xa0minuut geleden", "1\xa0minute ago", "il y a 1\xa0minute"),
        (3 * 3600 + 120, "3\xa0uur geleden", "3\xa0hours ago", "il y a 3\xa0heures"),
    ],
)
def test_a_moment_ago_is_just_now_below_a_minute(seconds: int, nl: str, en: str, fr: str) -> None:
    then = TUESDAY - timedelta(seconds=seconds)
    assert in_language("nl", formats.ago, then, TUESDAY) == nl
    assert in_language("en", formats.ago, then, TUESDAY) == en
    assert in_language("fr", formats.ago, then, TUESDAY) == fr


# --- the template filters -------------------------------------------------------------------------


def test_the_filters_and_the_time_element(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CITY_NAME = "Gent"
    template = Template(
        "{% load formats %}{{ p.phone|phone }} | <a href=\"{{ p.phone|tel }}\"> | {{ p|address }} | "
        "{{ p.languages|languages }} | {{ minutes|duration }} | {{ h|hours }} | {% time when 'day' %}"
    )
    person = SimpleNamespace(
        phone="+32477503067", street="Kanunnikstraat", house_number="48", postcode="9000", languages=["nl", "ar"]
    )
    with translation.override("nl"):
        html = template.render(Context({"p": person, "minutes": 90, "h": Decimal("1"), "when": TUESDAY}))
    assert html == (
        '0477 50 30 67 | <a href="tel:+32477503067"> | Kanunnikstraat 48, 9000 Gent | Nederlands, Arabisch | '
        '1,5 uur | 1 uur | <time datetime="2026-12-08T14:57+01:00">dinsdag 8 december 2026</time>'
    )
