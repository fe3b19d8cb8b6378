"""Events (issue 18, item 3): the writes, the reads and the calendar feeds.

An event belongs to a published initiative (its starter publishes it) and is in the initiative's district, at one
of its places or an address.  Its time is the city's local time (``domain.calendar``); a change that matters to a
calendar (title, time, place, repetition, a date left out, a cancellation) raises ``sequence``, so subscribed
calendars take the new version; ``uid`` never changes.  Feeds (RFC 5545, written with ``icalendar``): per
district, per place, per initiative; they hold what is still to come and what was cancelled in the last 30 days
(as ``STATUS:CANCELLED``, so calendars take it away), never a draft's.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as CalendarEvent

from apps.access.actors import Actor
from apps.access.rules import can
from domain.calendar import CITY_ZONE, Schedule, check, iso_dates, next_occurrence, occurrences

from .models import Event, Initiative

MATTERS = ("title", "description", "place", "address", "starts_on", "start_time", "duration_minutes", "repeat",
           "repeat_until", "wheelchair_accessible")  # fmt: skip
"""The fields whose change a subscribed calendar must see (``sequence`` goes up)."""
KEEP_CANCELLED_DAYS = 30


def schedule_of(event: Event) -> Schedule:
    return Schedule(
        starts_on=event.starts_on, start_time=event.start_time, duration_minutes=event.duration_minutes,
        weekly_until=event.repeat_until if event.repeat == Event.Repeat.WEEKLY else None,
        skipped=iso_dates(event.cancelled_dates),
    )  # fmt: skip


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    values = {key: fields[key] for key in MATTERS if key in fields}
    if values.get("repeat", Event.Repeat.NONE) == Event.Repeat.NONE:
        values["repeat_until"] = None
    elif values.get("repeat_until") is None:
        raise ValidationError(_("Say until when it repeats."), code="repeat_until")
    today = timezone.localdate()
    if not today - timedelta(days=366) <= values["starts_on"] <= today + timedelta(days=5 * 366):
        # a date far away is a typing mistake (and one in year 9999 could not even be written in a feed)
        raise ValidationError(_("Choose a date from a year ago to five years ahead."), code="starts_on")
    schedule = Schedule(
        starts_on=values["starts_on"], start_time=values["start_time"], duration_minutes=values["duration_minutes"],
        weekly_until=values.get("repeat_until"),
    )  # fmt: skip
    messages = {
        "duration": _("An event lasts from 15 minutes to 24 hours."),
        "until_before_start": _("It cannot stop repeating before it starts."),
        "too_long": _("A weekly event repeats for at most two years. You can continue it later."),
    }
    problems = check(schedule)
    if problems:
        raise ValidationError(messages[problems[0]], code=problems[0])
    return values


@transaction.atomic
def event_create(*, actor: Actor, initiative: Initiative, fields: dict[str, Any]) -> Event:
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not can(actor, "community.add_event", locked):
        raise PermissionDenied
    values = _checked(fields)
    place = values.get("place")
    if place is not None and place.district_id != locked.district_id:
        raise ValidationError(_("Choose a place in the initiative's district."), code="place")
    now = timezone.now()
    return Event.objects.create(
        uid=f"{uuid.uuid4().hex}@{settings.COMMUNITY_CALENDAR_DOMAIN}", initiative=locked,
        district_id=locked.district_id, created_by_id=actor.person_id, created_at=now, updated_at=now, **values,
    )  # fmt: skip


@transaction.atomic
def event_update(*, actor: Actor, event: Event, fields: dict[str, Any]) -> Event:
    locked = Event.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=event.pk)
    if not can(actor, "community.manage_event", locked) or locked.status == Event.Status.CANCELLED:
        raise PermissionDenied
    values = _checked(fields)
    place = values.get("place")
    if place is not None and place.district_id != locked.district_id:
        raise ValidationError(_("Choose a place in the initiative's district."), code="place")
    changed = [key for key, value in values.items() if getattr(locked, key) != value]
    if not changed:
        return locked
    for key in changed:
        setattr(locked, key, values[key])
    locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save()
    return locked


@transaction.atomic
def event_cancel(*, actor: Actor, event: Event, day: date | None = None) -> Event:
    """Cancel the whole event, or (``day``) one date of a weekly one; calendars are told either way."""
    locked = Event.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=event.pk)
    if not can(actor, "community.manage_event", locked) or locked.status == Event.Status.CANCELLED:
        raise PermissionDenied
    if day is None:
        locked.status = Event.Status.CANCELLED
    else:
        if day not in set(schedule_of(locked).dates()):
            raise ValidationError(_("The event does not happen on that date."), code="day")
        locked.cancelled_dates = sorted({*locked.cancelled_dates, day.isoformat()})
    locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save()
    return locked


# --- reads --------------------------------------------------------------------------------------------------


def _public() -> QuerySet[Event]:
    return Event.objects.select_related("initiative", "place", "district").defer("district__geometry").filter(
        initiative__status=Initiative.Status.PUBLISHED
    )


def _current(rows: QuerySet[Event], now: datetime) -> QuerySet[Event]:
    """Still to come (or going on), or cancelled lately: what a feed and a list hold."""
    today = timezone.localdate(now)
    recent = now - timedelta(days=KEEP_CANCELLED_DAYS)
    still = Q(repeat="none", starts_on__gte=today - timedelta(days=1)) | Q(repeat="weekly", repeat_until__gte=today)
    return rows.filter(still).filter(Q(status=Event.Status.SCHEDULED) | Q(updated_at__gte=recent))


def event_for(actor: Actor, pk: int) -> Event:
    found = Event.objects.select_related("initiative", "place", "district").defer("district__geometry").filter(pk=pk)
    event = found.first()
    if event is None or event.initiative is None or not can(actor, "community.view_initiative", event.initiative):
        raise Http404
    return event


def upcoming(*, district_id: int | None = None, weeks: int = 8, now: datetime | None = None) -> list[dict[str, Any]]:
    """The occurrences of the next ``weeks`` weeks, in time order, each with its event (cancelled ones left out)."""
    now = now or timezone.now()
    until = now + timedelta(weeks=weeks)
    rows = _current(_public(), now).filter(status=Event.Status.SCHEDULED)
    if district_id is not None:
        rows = rows.filter(district_id=district_id)
    found = [
        {"event": event, "start": start, "end": end}
        for event in rows[:2000]
        for start, end in occurrences(schedule_of(event), now, until)
    ]
    return sorted(found, key=lambda row: (row["start"], row["event"].pk))


def next_of(event: Event, now: datetime | None = None) -> tuple[datetime, datetime] | None:
    return next_occurrence(schedule_of(event), now or timezone.now())


def events_of_initiative(initiative: Initiative) -> QuerySet[Event]:
    return _current(_public().filter(initiative=initiative), timezone.now()).order_by("starts_on", "start_time", "pk")


# --- feeds --------------------------------------------------------------------------------------------------


def feed_events(*, district_id: int | None = None, place_id: int | None = None,
                initiative_id: int | None = None) -> list[Event]:  # fmt: skip
    rows = _public()
    if district_id is not None:
        rows = rows.filter(district_id=district_id)
    if place_id is not None:
        rows = rows.filter(place_id=place_id)
    if initiative_id is not None:
        rows = rows.filter(initiative_id=initiative_id)
    return list(_current(rows, timezone.now()).order_by("pk")[:5000])


def _location(event: Event) -> str:
    if event.place is not None:
        return f"{event.place.name}, {event.place.address}"
    return ", ".join(part for part in (event.address, event.district.name) if part)


def calendar(events: list[Event], *, name: str, url_of: Any) -> bytes:
    """The feed: one VEVENT per event (a weekly one with its RRULE and EXDATEs), times with the city's zone (its
    VTIMEZONE included), SEQUENCE and a stable UID."""
    feed = Calendar()
    feed.add("prodid", "-//City of People//Gent//NL")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", str(CITY_ZONE))
    stamp = timezone.now().astimezone(CITY_ZONE).replace(microsecond=0)
    for event in events:
        item = CalendarEvent()
        start = datetime.combine(event.starts_on, event.start_time, tzinfo=CITY_ZONE)
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("last-modified", event.updated_at.astimezone(CITY_ZONE).replace(microsecond=0))
        item.add("sequence", event.sequence)
        item.add("summary", event.title)
        if event.description:
            item.add("description", event.description)
        item.add("dtstart", start)
        item.add("dtend", start + timedelta(minutes=event.duration_minutes))
        item.add("location", _location(event))
        item.add("url", url_of(event))
        item.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
        if event.repeat == Event.Repeat.WEEKLY and event.repeat_until is not None:
            last = datetime.combine(event.repeat_until, event.start_time, tzinfo=CITY_ZONE)
            item.add("rrule", {"freq": "weekly", "until": last.astimezone(UTC)})  # UNTIL in UTC (RFC 5545)
            for day in sorted(iso_dates(event.cancelled_dates)):
                item.add("exdate", datetime.combine(day, event.start_time, tzinfo=CITY_ZONE))
        feed.add_component(item)
    feed.add_component(city_timezone())
    return feed.to_ical()


def _zone_rule(rule: Any, name: str, first: datetime, offset_from: int, offset_to: int, *, month: int) -> Any:
    """One yearly change of a VTIMEZONE: from the last Sunday of ``month`` (its local start time ``first``)."""
    rule.add("tzname", name)
    rule.add("dtstart", first)
    rule.add("tzoffsetfrom", timedelta(hours=offset_from))
    rule.add("tzoffsetto", timedelta(hours=offset_to))
    rule.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
    return rule


def city_timezone() -> Timezone:
    """Europe/Brussels as a VTIMEZONE with its yearly rules (the EU's since 1996: summer time from the last Sunday
    of March at 02:00 to the last Sunday of October at 03:00), the form calendar programs and parsers read alike.
    (``icalendar``'s own ``add_missing_timezones`` lists every change as RDATEs, which some readers, ``vobject``
    among them, do not apply.)"""
    zone = Timezone()
    zone.add("tzid", str(CITY_ZONE))
    zone.add_component(_zone_rule(TimezoneDaylight(), "CEST", datetime(1996, 3, 31, 2), 1, 2, month=3))  # noqa: DTZ001
    zone.add_component(_zone_rule(TimezoneStandard(), "CET", datetime(1996, 10, 27, 3), 2, 1, month=10))  # noqa: DTZ001
    return zone

