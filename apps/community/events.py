"""Events (issue 18, item 3): the writes, the reads and the calendar feeds.

An event belongs to a published initiative (its starter publishes it) and is in the initiative's district, at one
of its places or an address.  Its time is the city's local time (``domain.calendar``); a change that matters to a
calendar (title, time, place, repetition, a date left out, a cancellation) raises ``sequence``, so subscribed
calendars take the new version; ``uid`` never changes.  Feeds (RFC 5545, written with ``icalendar``): per
district, per place, per initiative; they hold what is still to come and what was cancelled in the last 30 days
(as ``STATUS:CANCELLED``, so calendars take it away), never a draft's.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as CalendarEvent

from apps.access.actors import Actor
from apps.access.rules import can
from domain.calendar import CITY_ZONE, Schedule, check, iso_dates, next_occurrence

from .models import Event, Initiative, Occurrence

MATTERS = ("title", "description", "place", "address", "starts_on", "start_time", "duration_minutes", "repeat",
           "repeat_until", "wheelchair_accessible")  # fmt: skip
"""The fields whose change a subscribed calendar must see (``sequence`` goes up)."""
DETAILS = ("capacity", "audience", "languages")
"""Fields a calendar does not show: changing them raises no ``sequence`` (more places promote who waits)."""
KEEP_CANCELLED_DAYS = 30


def schedule_of(event: Event) -> Schedule:
    return Schedule(
        starts_on=event.starts_on, start_time=event.start_time, duration_minutes=event.duration_minutes,
        weekly_until=event.repeat_until if event.repeat == Event.Repeat.WEEKLY else None,
        skipped=iso_dates(event.cancelled_dates),
    )  # fmt: skip


def _checked(fields: dict[str, Any]) -> dict[str, Any]:
    values = {key: fields[key] for key in (*MATTERS, *DETAILS) if key in fields}
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
def city_event_create(*, actor: Actor, district: Any, fields: dict[str, Any]) -> Event:
    """An event of a place or of the city (item 6): no initiative, published by a reviewer of its district."""
    if not can(actor, "community.add_city_event", district):
        raise PermissionDenied
    values = _checked(fields)
    place = values.get("place")
    if place is not None and place.district_id != district.pk:
        raise ValidationError(_("Choose a place in the district."), code="place")
    now = timezone.now()
    return Event.objects.create(
        uid=f"{uuid.uuid4().hex}@{settings.COMMUNITY_CALENDAR_DOMAIN}", initiative=None, district_id=district.pk,
        created_by_id=actor.person_id, created_at=now, updated_at=now, **values,
    )  # fmt: skip


@transaction.atomic
def event_update(*, actor: Actor, event: Event, fields: dict[str, Any]) -> Event:
    locked = Event.objects.select_for_update(of=("self",)).select_related("initiative").get(pk=event.pk)
    if not can(actor, "community.change_event", locked) or locked.status == Event.Status.CANCELLED:
        raise PermissionDenied
    values = _checked(fields)
    place = values.get("place")
    if place is not None and place.district_id != locked.district_id:
        raise ValidationError(_("Choose a place in the initiative's district."), code="place")
    changed = [key for key, value in values.items() if getattr(locked, key) != value]
    if not changed:
        return locked
    before = Event(**{key: getattr(locked, key) for key in (*MATTERS, "cancelled_dates")})
    for key in changed:
        setattr(locked, key, values[key])
    matters = any(key in MATTERS for key in changed)
    if matters:
        locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save()
    from . import registrations  # registrations reads this module

    registrations.after_change(locked, before=before, matters=matters)
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
    from . import registrations  # registrations reads this module

    registrations.after_cancel(locked, day=day)
    return locked


# --- reads --------------------------------------------------------------------------------------------------


def _public() -> QuerySet[Event]:
    """Events of published initiatives, and those of places and of the city (no initiative: item 6)."""
    return (
        Event.objects.select_related("initiative", "place", "district")
        .defer("district__geometry")
        .filter(
            Q(initiative__status=Initiative.Status.PUBLISHED) | Q(initiative__isnull=True)
            # an ended initiative's events were cancelled with it: the feeds still carry them, cancelled, 30 days
            | Q(initiative__status=Initiative.Status.ENDED, status=Event.Status.CANCELLED)
        )
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
    if event is None:
        raise Http404
    if event.initiative is not None and not can(actor, "community.view_initiative", event.initiative):
        raise Http404  # an event of the city (no initiative) is public
    return event


@dataclass(frozen=True)
class WhatsOn:
    """The filters of What's on; each empty means "any"."""

    district_id: int | None = None
    audience: str = ""
    wheelchair: bool = False
    first_day: date | None = None
    place_id: int | None = None


def public_occurrences(chosen: WhatsOn | None = None, *, now: datetime | None = None,
                       until: datetime | None = None) -> QuerySet[Occurrence]:  # fmt: skip
    """The dates still to come (or going on) of public events, in time order, filtered; a query, so the caller
    pages it in the database."""
    chosen = chosen or WhatsOn()
    now = now or timezone.now()
    rows = (
        Occurrence.objects.select_related("event", "event__initiative", "event__place", "event__district")
        .defer("event__district__geometry", "event__place__description", "event__initiative__summary")
        # started at most a day ago (no event lasts longer), so the start's index narrows it: still going on
        .filter(public=True, starts_at__gt=now - timedelta(days=1), ends_at__gt=now)
    )
    if until is not None:
        rows = rows.filter(starts_at__lt=until)
    if chosen.first_day is not None:
        rows = rows.filter(day__gte=chosen.first_day)
    if chosen.district_id is not None:
        rows = rows.filter(district_id=chosen.district_id)
    if chosen.place_id is not None:
        rows = rows.filter(place_id=chosen.place_id)
    if chosen.audience:
        # the codes as JSON text (both databases): '"children"' in '["children"]'; "everyone" is for everyone
        rows = rows.filter(Q(audience="") | Q(audience__contains=f"|{chosen.audience}|"))  # kept on the date
    if chosen.wheelchair:
        rows = rows.filter(event__wheelchair_accessible=True)
    return rows.order_by("starts_at", "event_id")


def as_rows(occurrences: Iterable[Occurrence]) -> list[dict[str, Any]]:
    """Occurrences as the pages and the API read them: the event, its start and end in Ghent's time."""
    return [
        {"event": o.event, "start": timezone.localtime(o.starts_at), "end": timezone.localtime(o.ends_at)}
        for o in occurrences
    ]


def next_of(event: Event, now: datetime | None = None) -> tuple[datetime, datetime] | None:
    return next_occurrence(schedule_of(event), now or timezone.now())


def events_of_initiative(initiative: Initiative) -> QuerySet[Event]:
    return _current(_public().filter(initiative=initiative), timezone.now()).order_by("starts_on", "start_time", "pk")


# --- feeds --------------------------------------------------------------------------------------------------


def feed_rows(*, district_id: int | None = None, place_id: int | None = None,
              initiative_id: int | None = None) -> QuerySet[Event]:  # fmt: skip
    """What a feed holds: the public events still to come (or going on) and those cancelled in the last 30 days."""
    rows = _public()
    if district_id is not None:
        rows = rows.filter(district_id=district_id)
    if place_id is not None:
        rows = rows.filter(place_id=place_id)
    if initiative_id is not None:
        rows = rows.filter(initiative_id=initiative_id)
    return _current(rows, timezone.now()).order_by("pk")


def feed_version(rows: QuerySet[Event]) -> str:
    """A word that changes whenever the feed would: how many events it holds, the last change of any of them and of
    their initiatives (ending one takes its events out), and the day (what is past leaves the feed).  One query."""
    found = rows.order_by().aggregate(
        count=Count("pk"), changed=Max("updated_at"), initiatives=Max("initiative__updated_at"),
        sequence=Sum("sequence"),
    )  # fmt: skip
    parts = [timezone.localdate().isoformat(), str(found["count"]), str(found["changed"]), str(found["initiatives"]),
             str(found["sequence"])]  # fmt: skip
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _location(event: Event) -> str:
    if event.place is not None:
        return f"{event.place.name}, {event.place.address}"
    return ", ".join(part for part in (event.address, event.district.name) if part)


def vevent(event: Event, url: str) -> bytes:
    """One event as a VEVENT (a weekly one with its RRULE and EXDATEs), times with the city's zone.  DTSTAMP is
    the event's last change, so the same version of an event is always the same bytes (and can be kept)."""
    item = CalendarEvent()
    start = datetime.combine(event.starts_on, event.start_time, tzinfo=CITY_ZONE)
    changed = event.updated_at.astimezone(CITY_ZONE).replace(microsecond=0)
    item.add("uid", event.uid)
    item.add("dtstamp", changed)
    item.add("last-modified", changed)
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    if event.description:
        item.add("description", event.description)
    item.add("dtstart", start)
    item.add("dtend", start + timedelta(minutes=event.duration_minutes))
    item.add("location", _location(event))
    item.add("url", url)
    item.add("status", "CANCELLED" if event.status == Event.Status.CANCELLED else "CONFIRMED")
    if event.repeat == Event.Repeat.WEEKLY and event.repeat_until is not None:
        last = datetime.combine(event.repeat_until, event.start_time, tzinfo=CITY_ZONE)
        item.add("rrule", {"freq": "weekly", "until": last.astimezone(UTC)})  # UNTIL in UTC (RFC 5545)
        for day in sorted(iso_dates(event.cancelled_dates)):
            item.add("exdate", datetime.combine(day, event.start_time, tzinfo=CITY_ZONE))
    return bytes(item.to_ical())


def _vevent_key(pk: int, sequence: int, updated_at: datetime, status: str, place_id: int | None, url: str) -> str:
    raw = f"{pk}|{sequence}|{updated_at.isoformat()}|{status}|{place_id}|{url}"
    return "community-vevent:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


def calendar_of(rows: QuerySet[Event], *, name: str, url_of: Any) -> bytes:
    """The feed of these events (``calendar``), each VEVENT kept in the cache by its version: when one event of a
    district changes, only that one is written again, the others come from the cache.  Reads the versions first
    (one light query), then the events not kept (one query)."""
    versions = list(rows.values_list("pk", "sequence", "updated_at", "status", "place_id"))
    marker = 987654321987
    pattern = url_of(Event(pk=marker))  # one address to fill in, not thousands of reverse()
    keys = {row[0]: _vevent_key(*row, pattern.replace(str(marker), str(row[0]))) for row in versions}
    kept = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in kept]
    if missing:
        written = {}
        for chunk in range(0, len(missing), 900):  # SQLite's limit of variables in one query
            for event in rows.filter(pk__in=missing[chunk : chunk + 900]):
                written[keys[event.pk]] = vevent(event, url_of(event))
        cache.set_many(written, timeout=7 * 24 * 3600)
        kept.update(written)
    return _assemble([kept[keys[pk]] for pk, *_rest in versions if keys[pk] in kept], name=name)


def _assemble(vevents: list[bytes], *, name: str) -> bytes:
    """A VCALENDAR around VEVENTs already written: its properties, the events, the zone."""
    feed = Calendar()
    feed.add("prodid", "-//City of People//Gent//NL")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", str(CITY_ZONE))
    feed.add_component(city_timezone())
    head, end = bytes(feed.to_ical()).rsplit(b"END:VCALENDAR", 1)
    return b"".join([head, *vevents, b"END:VCALENDAR", end])


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
