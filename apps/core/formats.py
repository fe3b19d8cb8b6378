"""Values as a Belgian reads them, in the page's language: the one place pages, emails and texts take them from.

The decisions without Django (which phone format, how a duration splits, when it is "just now") are in
``domain/formats``; here they get their words through gettext and Django's format localisation
(``cityofpeople/formats/<lang>/formats.py``).  Templates use the same functions as filters
(``{% load formats %}``, ``apps/core/templatetags/formats.py``); docs/design.md lists them.

Machine formats stay where machines read them: CSV exports and the API keep ISO dates and E.164 numbers,
and a ``<time>`` element carries the ISO moment in its ``datetime`` attribute (``time_element``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import get_language, get_language_info, ngettext, npgettext
from django.utils.translation import gettext as _

from domain.formats import duration_parts, hours_to_minutes, is_just_now, national_phone, one_line_address

# --- phone numbers --------------------------------------------------------------------------------


def phone(value: str | None) -> str:
    """``+32477503067`` → ``0477 50 30 67``; foreign numbers internationally; what is not valid, as stored."""
    return national_phone(value or "")


def tel_uri(value: str | None) -> str:
    """The ``tel:`` link of a number, whatever spaces it was stored with (``tel:+3292251234``)."""
    text = (value or "").strip()
    if not text:
        return ""
    keep = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    return f"tel:{keep}"


# --- addresses ------------------------------------------------------------------------------------


def _part(obj: Any, name: str) -> str:
    value = obj.get(name, "") if isinstance(obj, dict) else getattr(obj, name, "")
    return str(value or "")


def address(obj: Any) -> str:
    """``Kanunnikstraat 48, 9000 Gent``: any object (or dict) with ``street``, ``house_number`` and ``postcode``.

    Every address the platform stores was found in the city's address register, so the municipality is
    the city's (``COP_CITY_NAME``) unless the object names its own ``municipality``."""
    if obj is None:
        return ""
    postcode = _part(obj, "postcode")
    municipality = _part(obj, "municipality") or (settings.CITY_NAME if postcode else "")
    return one_line_address(_part(obj, "street"), _part(obj, "house_number"), postcode, municipality)


# --- languages ------------------------------------------------------------------------------------


def language_name(code: str) -> str:
    """A language's name in the page's language ("Arabisch", "Arabic"); the code only if no name is known."""
    from apps.people.forms import LANGUAGES  # the languages people choose from, with their translated names

    names = dict(LANGUAGES)
    if code in names:
        return str(names[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def language_names(codes: Iterable[str] | str | None) -> str:
    """``["nl", "ar"]`` → ``Nederlands, Arabisch`` / ``Dutch, Arabic`` / ``néerlandais, arabe`` (French writes
    languages in lower case)."""
    if not codes:
        return ""
    if isinstance(codes, str):
        codes = [codes]
    names = [language_name(code) for code in codes]
    if _language() == "fr":
        names = [name[:1].lower() + name[1:] if name[1:2].islower() else name for name in names]
    return ", ".join(names)


# --- durations ------------------------------------------------------------------------------------


def _minutes_text(minutes: int) -> str:
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def duration(minutes: int | Decimal | float | None) -> str:
    """As people type it: ``45 minuten``, ``1 uur``, ``1,5 uur``, ``1 uur en 20 minuten`` (never ``90 minutes``)."""
    if minutes is None or minutes == "":
        return ""
    parts = duration_parts(minutes)
    if not parts.hours:
        return _minutes_text(parts.minutes)
    if parts.whole_hours:
        whole = int(parts.hours)
        hours_text = ngettext("%(n)d hour", "%(n)d hours", whole) % {"n": whole}
    else:
        # 1.5: English says "1.5 hours", French "1,5 heure" (singular below 2), Dutch "1,5 uur"; the count given
        # to gettext is the whole part so that each catalogue picks its form for a number with a decimal
        hours_text = npgettext("hours with a decimal", "%(n)s hour", "%(n)s hours", math.floor(parts.hours)) % {
            "n": number_format(parts.hours, 1)
        }
    if not parts.minutes:
        return hours_text
    return _("%(hours)s and %(minutes)s") % {"hours": hours_text, "minutes": _minutes_text(parts.minutes)}


def hours(value: Decimal | float | int | None) -> str:
    """Hours as typed by a helper (``1.5``) in words: ``1,5 uur``; ``0.75`` → ``45 minuten``."""
    if value is None or value == "":
        return ""
    return duration(hours_to_minutes(value))


# --- dates and times ------------------------------------------------------------------------------

# formats Django does not name: the short day with its weekday, as on a calendar
SHORT_DAY = {"nl": "D j N", "en": "D j M", "fr": "D. j N"}


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _lower_first(text: str) -> str:
    """Dutch and French write weekdays and months in lower case; the catalogues capitalise them for headings."""
    return text if _language() == "en" else text[:1].lower() + text[1:]


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def weekday(value: date | datetime | None) -> str:
    """``maandag`` / ``Monday`` / ``lundi``."""
    if value is None:
        return ""
    return _lower_first(date_format(_local(value), "l"))


def day(value: date | datetime | None) -> str:
    """The day in full words: ``dinsdag 8 december 2026`` / ``Tuesday 8 December 2026`` / ``mardi 8 décembre 2026``."""
    if value is None:
        return ""
    return _lower_first(date_format(_local(value), "l j F Y"))


def day_short(value: date | datetime | None, today: date | None = None) -> str:
    """A day near today: ``di 8 dec`` / ``Tue 8 Dec`` / ``mar. 8 déc.``, with the year when it is another year."""
    if value is None:
        return ""
    local = _local(value)
    the_day = local.date() if isinstance(local, datetime) else local
    today = today or timezone.localdate()
    pattern = SHORT_DAY.get(_language(), SHORT_DAY["en"])
    if the_day.year != today.year:
        pattern += " Y"
    return _lower_first(date_format(the_day, pattern))


def clock(value: datetime | None) -> str:
    """``14:57``, the 24-hour clock in every language."""
    if value is None:
        return ""
    return date_format(_local(value), "H:i")


def moment(value: datetime | None, today: date | None = None) -> str:
    """A moment near today: ``di 8 dec, 14:57`` / ``Tue 8 Dec, 14:57`` / ``mar. 8 déc., 14:57``."""
    if value is None:
        return ""
    return f"{day_short(value, today)}, {clock(value)}"


def ago(value: datetime | None, now: datetime | None = None) -> str:
    """``zojuist`` / ``just now`` / ``à l'instant`` below a minute, then ``5 minuten geleden``, ``3 days ago``."""
    if value is None:
        return ""
    now = now or timezone.now()
    if is_just_now(value, now):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value, now, depth=1)}


def iso(value: date | datetime) -> str:
    """The moment for machines (a ``<time datetime>``): ``2026-12-08`` or ``2026-12-08T14:57+01:00``."""
    local = _local(value)
    if isinstance(local, datetime):
        return local.isoformat(timespec="minutes")
    return local.isoformat()


STYLES = {"day": day, "day_short": day_short, "moment": moment, "clock": clock, "weekday": weekday, "ago": ago}


def time_element(value: date | datetime | None, style: str = "day") -> SafeString:
    """``<time datetime="2026-12-08">di 8 dec</time>``: the words for people, ISO for machines."""
    if value is None:
        return SafeString("")
    return format_html('<time datetime="{}">{}</time>', iso(value), STYLES[style](value))
