"""Values as a Belgian reads them: ``{% load formats %}`` (the functions are in ``apps/core/formats.py``).

    {{ person.phone|phone }}             0477 50 30 67      (href: {{ person.phone|tel }} → tel:+32477503067)
    {{ person|address }}                 Kanunnikstraat 48, 9000 Gent
    {{ person.languages|languages }}     Nederlands, Arabisch
    {{ request.duration_minutes|duration }}   1,5 uur
    {{ match.hours|hours }}              1,5 uur
    {{ visit.start|day }}                dinsdag 8 december 2026
    {{ visit.start|day_short }}          di 8 dec
    {{ visit.start|moment }}             di 8 dec, 14:57
    {{ visit.start|clock }}              14:57
    {{ day|weekday }}                    maandag
    {{ message.created_at|ago }}         zojuist, 5 minuten geleden
    {% time visit.start "day_short" %}   <time datetime="2026-12-08T14:57+01:00">di 8 dec</time>

Django's own ``|date:"DATE_FORMAT"`` and ``|date:"DATETIME_FORMAT"`` follow ``cityofpeople/formats/``
(``8 december 2026, 14:57``; ``7 December 2026, 14:57``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils.safestring import SafeString

from apps.core import formats

register = template.Library()

register.filter("phone", formats.phone)
register.filter("tel", formats.tel_uri)
register.filter("address", formats.address)
register.filter("languages", formats.language_names)
register.filter("duration", formats.duration)
register.filter("hours", formats.hours)
register.filter("day", formats.day)
register.filter("day_short", formats.day_short)
register.filter("moment", formats.moment)
register.filter("clock", formats.clock)
register.filter("weekday", formats.weekday)


@register.filter("ago")
def ago(value: datetime | None, now: Any = None) -> str:
    return formats.ago(value, now if isinstance(now, datetime) else None)


@register.simple_tag(name="time")
def time_tag(value: date | datetime | None, style: str = "day") -> SafeString:
    return formats.time_element(value, style)
