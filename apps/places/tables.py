"""The tables of a place's page, as data for the design system's ``{% table %}`` (apps/core/components.py):
a table on a wide screen, one card per row on a phone."""

from __future__ import annotations

from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.components import Column, Table

from .models import Place


def opening_hours(place: Place) -> Table:
    table = Table(caption=_("Opening hours"), caption_hidden=True, columns=[Column(_("Day")), Column(_("Hours"))])
    for hours in place.opening_hours.all():
        table.add(hours.get_weekday_display(), f"{time_format(hours.opens, 'H:i')}–{time_format(hours.closes, 'H:i')}")
    return table


def rooms(place: Place) -> Table:
    table = Table(
        caption=_("Rooms"),
        caption_hidden=True,
        columns=[
            Column(_("Room")),
            Column(_("Capacity")),
            Column(_("Wheelchair accessible")),
            Column(_("Equipment")),
        ],
    )
    for room in place.rooms.all():
        table.add(
            room.name,
            ngettext("%(counter)s person", "%(counter)s people", room.capacity) % {"counter": room.capacity},
            _("yes") if room.wheelchair_accessible else _("no"),
            room.equipment or "–",
        )
    return table
