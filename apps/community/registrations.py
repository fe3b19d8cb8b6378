"""Registrations for events (issue 18, item 3): the writes, the reads, the emails with their invitations, the
reminders, a person's own calendar feed and the printable weekly programme.

A registration is for one date of an event (``occurs_on``).  Every write that counts places takes the lock of the
event's row first (``select_for_update(of=("self",))``), so registering, cancelling and promoting are one queue per
event: twenty clicks at once never give more confirmed places than the capacity, nor one person two registrations.
Lowering the capacity removes nobody; it only stops promotions until there is room again.

Calendar identifiers: each registered date is its own calendar event, with the UID ``<date>-<event UID>``
(:func:`occurrence_uid`) and the event's SEQUENCE.  A second event with ``RECURRENCE-ID`` on the series' UID would
be an orphan override: the person's feed and invitation never carry the series itself, and Outlook, Google
Calendar and others drop or mishandle an override without its master (and it would clash with the same series
subscribed through the district's feed).  A UID of its own per date is a plain single event that every calendar
program adds, updates (SEQUENCE) and removes (METHOD:CANCEL, STATUS:CANCELLED) alike; it is derived from the
event's UID, so it never changes, and the invitation and the personal feed share it (no double entries).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

from apps.access.actors import Actor
from apps.access.rules import can
from apps.core import formats
from apps.people.models import Person
from domain.calendar import CITY_ZONE, iso_dates, local_start

from .events import KEEP_CANCELLED_DAYS, _location, city_timezone, schedule_of
from .models import Event, Initiative, PersonalFeed, Registration

LIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITING)
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
"""What ``secrets.token_urlsafe(32)`` makes (43 characters); anything else is not looked up."""
EMAIL_LANGUAGES = ("nl", "fr", "en")
"""The site's languages in the order the people form lists them: someone who speaks Dutch reads Dutch."""


def occurrence_uid(event: Event, day: date) -> str:
    """The calendar UID of one date of an event, stable (see the module's docstring for why not RECURRENCE-ID)."""
    return f"{day.isoformat()}-{event.uid}"


def start_of(event: Event, day: date) -> tuple[datetime, datetime]:
    start = local_start(day, event.start_time)
    return start, start + timedelta(minutes=event.duration_minutes)


def language_of(person: Person) -> str:
    """The person has no language of the interface, only the languages they speak (``languages``): the first of
    the site's languages among them (Dutch first), else Dutch."""
    spoken = person.languages if isinstance(person.languages, list) else []
    return next((code for code in EMAIL_LANGUAGES if code in spoken), settings.LANGUAGE_CODE)


def name_of(person: Person) -> str:
    """First name and initial, as helpers are shown (never a contact detail, never the full name)."""
    return f"{person.first_name} {person.last_name[:1]}.".strip()


def describe(event: Event) -> dict[str, str]:
    """For whom and in which languages, in words of the page's language."""
    labels = dict(Initiative.Audience.choices)
    audience = ", ".join(str(labels[code]) for code in event.audience if code in labels)
    return {"audience": audience, "languages": formats.language_names(event.languages)}


# --- checks -------------------------------------------------------------------------------------------------------


def check_bookable(event: Event, day: date, now: datetime) -> None:
    """That ``day`` is a date one can still register for; else a message (and nothing is stored)."""
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This event is cancelled."), code="cancelled")
    if event.initiative is not None and event.initiative.status != Initiative.Status.PUBLISHED:
        raise ValidationError(_("This event no longer takes registrations."), code="closed")
    if event.capacity is None:
        raise ValidationError(_("No registration is needed for this event: you can just come."), code="open")
    if day in iso_dates(event.cancelled_dates):
        raise ValidationError(_("This date is cancelled."), code="day_cancelled")
    if day not in set(schedule_of(event).dates()):
        raise ValidationError(_("The event does not happen on that date."), code="day")
    if start_of(event, day)[0] <= now:
        raise ValidationError(_("This date has passed."), code="past")


def _locked(event_pk: int) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("initiative", "place", "district")
        .defer("district__geometry")
        .get(pk=event_pk)
    )


def _confirmed(event: Event, day: date) -> int:
    return Registration.objects.filter(event=event, occurs_on=day, status=Registration.Status.CONFIRMED).count()


# --- writes -------------------------------------------------------------------------------------------------------


@transaction.atomic
def register(*, actor: Actor, event: Event, day: date, now: datetime | None = None) -> tuple[Registration, bool]:
    """Register the actor for one date: a place while there is one, else the waiting list.  Returns the
    registration and whether it is new (a second click finds the first registration)."""
    locked = _locked(event.pk)
    now = now or timezone.now()  # after the lock: the waiting list's order is the order of the queue
    if not can(actor, "community.register", None):  # a resident's account; the event's state is a message below
        raise PermissionDenied
    check_bookable(locked, day, now)
    mine = Registration.objects.filter(event=locked, occurs_on=day, person_id=actor.person_id, status__in=LIVE)
    existing = mine.first()
    if existing is not None:
        return existing, False
    assert locked.capacity is not None
    full = _confirmed(locked, day) >= locked.capacity
    status = Registration.Status.WAITING if full else Registration.Status.CONFIRMED
    try:
        with transaction.atomic():
            created = Registration.objects.create(event=locked, occurs_on=day, person_id=actor.person_id,
                                                  status=status, created_at=now)  # fmt: skip
    except IntegrityError:  # only without the row lock (SQLite): the unique index keeps it to one
        return mine.get(), False
    created.event = locked
    _tell(created, "waiting" if full else "confirmed")
    return created, True


@transaction.atomic
def cancel(*, actor: Actor, pk: int, now: datetime | None = None) -> Registration:
    """The person cancels their own registration; a place that comes free goes to the first one waiting, in the
    same transaction.  Cancelling twice changes nothing."""
    found = Registration.objects.filter(pk=pk).only("event_id", "person_id").first()
    if found is None or not can(actor, "community.my_registrations", found):
        raise PermissionDenied
    locked = _locked(found.event_id)
    now = now or timezone.now()
    registration = Registration.objects.select_related("person").get(pk=pk)
    registration.event = locked
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if start_of(locked, registration.occurs_on)[0] <= now:
        raise ValidationError(_("This date has passed."), code="past")
    was = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    _tell(registration, "withdrawn")
    if was == Registration.Status.CONFIRMED:
        promote(locked, registration.occurs_on, now)
    return registration


def promote(event: Event, day: date, now: datetime) -> list[Registration]:
    """Move the first ones waiting up while there is room (the caller holds the event's lock).  Without a
    capacity (no registration needed any more) everyone waiting comes in."""
    if event.status == Event.Status.CANCELLED or start_of(event, day)[0] <= now:
        return []
    waiting = (
        Registration.objects.filter(event=event, occurs_on=day, status=Registration.Status.WAITING)
        .order_by("created_at", "pk")
        .select_related("person")
    )
    if event.capacity is not None:
        room = event.capacity - _confirmed(event, day)
        if room <= 0:
            return []
        waiting = waiting[:room]
    moved = list(waiting)
    for registration in moved:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        registration.event = event
        _tell(registration, "promoted")
    return moved


def _future_live(event: Event, now: datetime) -> Any:
    return Registration.objects.filter(event=event, status__in=LIVE, occurs_on__gte=timezone.localdate(now))


def after_change(event: Event, *, before: Event, matters: bool, now: datetime | None = None) -> None:
    """After ``events.event_update`` (the event locked): those registered for a date to come are told of a change
    that matters, with the updated invitation; a one-off event moved to another date takes its registrations
    along; a date that no longer happens cancels its registrations (they are told).  More places promote."""
    now = now or timezone.now()
    if matters:
        dates = set(schedule_of(event).dates())
        moved_one_off = before.repeat == Event.Repeat.NONE and event.repeat == Event.Repeat.NONE
        for registration in _future_live(event, now).select_related("person"):
            registration.event = event
            if registration.occurs_on in dates and start_of(event, registration.occurs_on)[0] > now:
                _tell(registration, "changed")
            elif moved_one_off and start_of(event, event.starts_on)[0] > now:
                old_day, registration.occurs_on = registration.occurs_on, event.starts_on
                registration.save(update_fields=["occurs_on"])
                _tell(registration, "changed", replaced=old_day)  # the old date's calendar entry is cancelled
            else:
                _drop(registration, now)
    days = _future_live(event, now).filter(status=Registration.Status.WAITING).values_list("occurs_on", flat=True)
    for day in sorted(set(days)):
        promote(event, day, now)


def after_cancel(event: Event, *, day: date | None, now: datetime | None = None) -> None:
    """After ``events.event_cancel``: the registrations of the cancelled event (or date) are cancelled and told;
    they stay in the person's list and feed as cancelled."""
    now = now or timezone.now()
    rows = _future_live(event, now).select_related("person")
    if day is not None:
        rows = rows.filter(occurs_on=day)
    for registration in rows:
        registration.event = event
        _drop(registration, now)


def _drop(registration: Registration, now: datetime) -> None:
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    _tell(registration, "cancelled")


# --- reads --------------------------------------------------------------------------------------------------------


def position(registration: Registration) -> int | None:
    """The place on the waiting list (1 is next), or None when not waiting."""
    if registration.status != Registration.Status.WAITING:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, occurs_on=registration.occurs_on, status=Registration.Status.WAITING
    ).filter(Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk))
    return ahead.count() + 1


def counts(pairs: set[tuple[int, date]]) -> dict[tuple[int, date], dict[str, int]]:
    """Confirmed and waiting per (event, date), in one query."""
    found: dict[tuple[int, date], dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "waiting": 0})
    if not pairs:
        return found
    events = {pk for pk, _day in pairs}
    days = {day for _pk, day in pairs}
    rows = (
        Registration.objects.filter(event_id__in=events, occurs_on__in=days, status__in=LIVE)
        .values("event_id", "occurs_on", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        found[(row["event_id"], row["occurs_on"])][row["status"]] = row["n"]
    return found


def places_left(event: Event, confirmed: int) -> int | None:
    return None if event.capacity is None else max(event.capacity - confirmed, 0)


def with_places(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Occurrence rows (``event``, ``start``) with the places left (None: no registration needed)."""
    found = counts({(row["event"].pk, row["start"].date()) for row in rows if row["event"].capacity is not None})
    for row in rows:
        row["left"] = places_left(row["event"], found[(row["event"].pk, row["start"].date())]["confirmed"])
    return rows


def occurrences_for(actor: Actor, event: Event, *, names: bool, count: int = 6,
                    now: datetime | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """The next dates of an event that takes registrations: places left, the actor's own registration (with its
    place on the waiting list) and, for the organisers (``names``), who registered as first name and initial."""
    now = now or timezone.now()
    if event.capacity is None or event.status == Event.Status.CANCELLED:
        return []
    rows = []
    for day in schedule_of(event).dates():
        start, end = start_of(event, day)
        if start > now:
            rows.append({"day": day, "start": start, "end": end, "mine": None, "position": None})
        if len(rows) >= count:
            break
    days = [row["day"] for row in rows]
    found = counts({(event.pk, day) for day in days})
    own = {}
    if actor.person_id is not None:
        theirs = Registration.objects.filter(
            event=event, occurs_on__in=days, person_id=actor.person_id, status__in=LIVE
        )
        own = {r.occurs_on: r for r in theirs}
    who: dict[date, dict[str, list[str]]] = defaultdict(lambda: {"confirmed": [], "waiting": []})
    if names:
        listed = (
            Registration.objects.filter(event=event, occurs_on__in=days, status__in=LIVE)
            .select_related("person")
            .only("occurs_on", "status", "person__first_name", "person__last_name")
            .order_by("created_at", "pk")
        )
        for registration in listed:
            who[registration.occurs_on][registration.status].append(name_of(registration.person))
    for row in rows:
        number = found[(event.pk, row["day"])]
        row.update(confirmed=number["confirmed"], waiting=number["waiting"],
                   left=places_left(event, number["confirmed"]), names=who[row["day"]] if names else None)  # fmt: skip
        mine = own.get(row["day"])
        if mine is not None:
            row.update(mine=mine, position=position(mine))
    return rows


def mine(person_id: int, now: datetime | None = None) -> list[dict[str, Any]]:
    """A person's registrations: the dates to come first (soonest first), then the last 30 days' (latest first)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = (
        Registration.objects.filter(person_id=person_id, occurs_on__gte=today - timedelta(days=KEEP_CANCELLED_DAYS))
        .select_related("event", "event__place", "event__district", "event__initiative")
        .defer("event__district__geometry")
    )
    found = []
    for registration in rows[:500]:
        start, end = start_of(registration.event, registration.occurs_on)
        found.append({
            "registration": registration, "event": registration.event, "start": start, "end": end,
            "coming": end > now, "position": position(registration),
            "may_cancel": registration.status in LIVE and start > now,
            "by_organiser": registration.status == Registration.Status.CANCELLED and _cancelled_by_organiser(
                registration),
        })  # fmt: skip
    coming = sorted((r for r in found if r["coming"]), key=lambda r: (r["start"], r["registration"].pk))
    past = sorted((r for r in found if not r["coming"]), key=lambda r: (r["start"], r["registration"].pk),
                  reverse=True)  # fmt: skip
    return coming + past


def _cancelled_by_organiser(registration: Registration) -> bool:
    event = registration.event
    return event.status == Event.Status.CANCELLED or registration.occurs_on.isoformat() in event.cancelled_dates


# --- the personal feed --------------------------------------------------------------------------------------------


def feed_of(person: Person) -> PersonalFeed:
    """The person's feed, made on first use (two first visits at once make one)."""
    found = PersonalFeed.objects.filter(person=person).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return PersonalFeed.objects.create(person=person, token=secrets.token_urlsafe(32))
    except IntegrityError:
        return PersonalFeed.objects.get(person=person)


def renew_feed(person: Person) -> PersonalFeed:
    """A new secret address; the old one answers 404 from now on."""
    feed = feed_of(person)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


def feed_by_token(token: str) -> PersonalFeed | None:
    """The feed of a token, or None.  The token is found through its unique index (no comparison of secrets in
    Python that a clock could measure); what is not shaped like a token is not even looked up, and both answer
    the same 404."""
    if not TOKEN.fullmatch(token or ""):
        return None
    found = PersonalFeed.objects.filter(token=token).select_related("person").first()
    if found is None or not hmac.compare_digest(found.token.encode(), token.encode()):
        return None
    return found


def _item(event: Event, day: date, *, status: str, url: str, stamp: datetime, sequence: int | None = None,
          summary: str | None = None) -> CalendarEvent:  # fmt: skip
    """One date of an event as a VEVENT of its own (UID from :func:`occurrence_uid`)."""
    start, end = start_of(event, day)
    item = CalendarEvent()
    item.add("uid", occurrence_uid(event, day))
    item.add("dtstamp", stamp)
    item.add("last-modified", event.updated_at.astimezone(CITY_ZONE).replace(microsecond=0))
    item.add("sequence", event.sequence if sequence is None else sequence)
    item.add("summary", summary or event.title)
    if event.description:
        item.add("description", event.description)
    item.add("dtstart", start)
    item.add("dtend", end)
    item.add("location", _location(event))
    item.add("url", url)
    item.add("status", status)
    return item


def _calendar(method: str, name: str = "") -> Calendar:
    found = Calendar()
    found.add("prodid", "-//City of People//Gent//NL")
    found.add("version", "2.0")
    found.add("calscale", "GREGORIAN")
    found.add("method", method)
    if name:
        found.add("x-wr-calname", name)
        found.add("x-wr-timezone", str(CITY_ZONE))
    return found


def _status_of(registration: Registration) -> str:
    if registration.status == Registration.Status.CANCELLED:
        return "CANCELLED"
    return "CONFIRMED" if registration.status == Registration.Status.CONFIRMED else "TENTATIVE"


def personal_calendar(person: Person, *, url_of: Any, now: datetime | None = None) -> bytes:
    """The person's feed: each registered date (confirmed; waiting as TENTATIVE) still to come, and what was
    cancelled in the last 30 days as STATUS:CANCELLED (so calendars take it away)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows = (
        Registration.objects.filter(person=person)
        .filter(
            Q(status__in=LIVE, occurs_on__gte=today - timedelta(days=1))
            | Q(status=Registration.Status.CANCELLED, cancelled_at__gte=now - timedelta(days=KEEP_CANCELLED_DAYS))
        )
        .select_related("event", "event__place", "event__district")
        .defer("event__district__geometry")
        .order_by("occurs_on", "pk")
    )
    feed = _calendar("PUBLISH", _("My registrations"))
    stamp = now.astimezone(CITY_ZONE).replace(microsecond=0)
    latest: dict[str, Registration] = {}
    cancellations: dict[str, int] = {}
    for registration in rows[:1000]:  # cancelled, then registered again: one VEVENT, the live registration's
        uid = occurrence_uid(registration.event, registration.occurs_on)
        if registration.status == Registration.Status.CANCELLED:
            cancellations[uid] = cancellations.get(uid, 0) + 1
        if uid not in latest or latest[uid].status == Registration.Status.CANCELLED:
            latest[uid] = registration
    for registration in latest.values():
        event = registration.event
        status = _status_of(registration)
        summary = _("Waiting list: %(title)s") % {"title": event.title} if status == "TENTATIVE" else None
        # cancelled by the person (the event itself unchanged): one more than the event's, so calendars take it
        by_person = status == "CANCELLED" and not _cancelled_by_organiser(registration)
        uid = occurrence_uid(event, registration.occurs_on)
        before = cancellations.get(uid, 0) - (1 if status == "CANCELLED" else 0)
        sequence = date_sequence(event, cancelled_before=before, withdrawn=by_person)
        feed.add_component(_item(event, registration.occurs_on, status=status, url=url_of(event), stamp=stamp,
                                 sequence=sequence, summary=summary))  # fmt: skip
    feed.add_component(city_timezone())
    return feed.to_ical()


def date_sequence(event: Event, *, cancelled_before: int, withdrawn: bool) -> int:
    """The SEQUENCE of one person's date: the event's, plus two for each time they cancelled this date before (a
    cancellation and a new registration each need a higher number, or calendars ignore the invitation, RFC 5546
    2.1.4), plus one for their own cancellation now."""
    return event.sequence + 2 * cancelled_before + (1 if withdrawn else 0)


def _cancelled_before(registration: Registration) -> int:
    return (
        Registration.objects.filter(
            event_id=registration.event_id, occurs_on=registration.occurs_on, person_id=registration.person_id,
            status=Registration.Status.CANCELLED, created_at__lte=registration.created_at,
        )
        .exclude(pk=registration.pk)
        .count()
    )  # fmt: skip


def invitation(registration: Registration, *, cancel: bool = False, day: date | None = None) -> str:
    """The ``.ics`` of an email (RFC 5546): METHOD:REQUEST with the date's UID and the event's SEQUENCE, or
    METHOD:CANCEL with STATUS:CANCELLED (``day``: of another date than the registration's, the one it left)."""
    event, person = registration.event, registration.person
    url = settings.SITE_URL.rstrip("/") + reverse("community:event", args=[event.pk])
    found = _calendar("CANCEL" if cancel else "REQUEST")
    stamp = timezone.now().astimezone(CITY_ZONE).replace(microsecond=0)
    withdrawn = cancel and not _cancelled_by_organiser(registration)
    status = "CANCELLED" if cancel else "CONFIRMED"
    sequence = date_sequence(event, cancelled_before=_cancelled_before(registration), withdrawn=withdrawn)
    item = _item(event, day or registration.occurs_on, status=status, url=url, stamp=stamp, sequence=sequence)
    organiser = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.rsplit('<', 1)[-1].rstrip('>')}")
    organiser.params["cn"] = vText("City of People")
    item.add("organizer", organiser)
    if person.email:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params.update({
            "cn": vText(name_of(person)), "role": vText("REQ-PARTICIPANT"),
            "partstat": vText("DECLINED" if withdrawn else "ACCEPTED"), "rsvp": vText("FALSE"),
        })  # fmt: skip
        item.add("attendee", attendee)
    found.add_component(item)
    found.add_component(city_timezone())
    return found.to_ical().decode()


# --- emails -------------------------------------------------------------------------------------------------------


def _texts(kind: str, values: dict[str, Any]) -> tuple[str, list[str]]:
    """Subject and paragraphs of each email, in the active language."""
    cancel_hint = _("Can you not come after all? Cancel on %(link)s, so that someone else can come.") % values
    texts = {
        "confirmed": (_("You are registered: %(title)s") % values, [
            _("You are registered for “%(title)s” on %(when)s.") % values,
            _("Where: %(where)s") % values,
            _("The invitation in the attachment puts it in your calendar."), cancel_hint]),
        "waiting": (_("You are on the waiting list: %(title)s") % values, [
            _("“%(title)s” on %(when)s is full. You are number %(position)s on the waiting list.") % values,
            _("When a place comes free, you get it automatically and we send you an email."),
            _("You no longer want to wait? Cancel on %(link)s.") % values]),
        "promoted": (_("A place came free: you are registered for %(title)s") % values, [
            _("A place came free for “%(title)s” on %(when)s. It is yours: you are registered.") % values,
            _("Where: %(where)s") % values,
            _("The invitation in the attachment puts it in your calendar."), cancel_hint]),
        "changed": (_("Changed: %(title)s") % values, [
            _("The event you registered for has changed. It is now on %(when)s.") % values,
            _("Where: %(where)s") % values,
            _("The invitation in the attachment updates your calendar."), cancel_hint]),
        "cancelled": (_("Cancelled: %(title)s") % values, [
            _("The organiser cancelled “%(title)s” on %(when)s. Your registration is cancelled too.") % values,
            _("The attachment takes it out of your calendar. You can see your registrations on %(link)s.")
            % values]),
        "withdrawn": (_("Your registration is cancelled: %(title)s") % values, [
            _("You cancelled your registration for “%(title)s” on %(when)s.") % values,
            _("The attachment takes it out of your calendar.")]),
        "reminder": (_("Reminder: %(title)s, %(when)s") % values, [
            _("A reminder: you are registered for “%(title)s” on %(when)s.") % values,
            _("Where: %(where)s") % values, cancel_hint]),
    }  # fmt: skip
    return texts[kind]


def _tell(registration: Registration, kind: str, *, replaced: date | None = None) -> None:
    """Email the person (in their language) what happened to their registration; a calendar invitation with a
    place (REQUEST) or its cancellation (CANCEL); ``replaced``: the date a one-off event moved from, whose entry
    is cancelled in the same email.  Queued by the mail backend when the transaction commits."""
    person, event = registration.person, registration.event
    if not person.email or person.erased_at is not None:
        return
    with translation.override(language_of(person)):
        start, _end = start_of(event, registration.occurs_on)
        values = {
            "title": event.title, "when": f"{formats.day(start)}, {formats.clock(start)}", "where": _location(event),
            "link": settings.SITE_URL.rstrip("/") + reverse("community:my_registrations"),
            "position": position(registration) or "",
        }  # fmt: skip
        subject, paragraphs = _texts(kind, values)
        body = "\n\n".join([_("Hello %(name)s,") % {"name": person.first_name}, *paragraphs])
    subject = " ".join(str(subject).split())  # a title with a line break would break the mail's header
    message = EmailMessage(subject=subject[:150], body=body, to=[person.email])
    confirmed = registration.status == Registration.Status.CONFIRMED
    if kind in ("confirmed", "promoted", "changed") and confirmed:
        message.attach("invitation.ics", invitation(registration), "text/calendar; method=REQUEST")
        if replaced is not None:
            old = invitation(registration, cancel=True, day=replaced)
            message.attach("cancellation.ics", old, "text/calendar; method=CANCEL")
    elif kind in ("cancelled", "withdrawn") and registration.cancelled_at is not None:
        message.attach("cancellation.ics", invitation(registration, cancel=True), "text/calendar; method=CANCEL")
    message.send()


# --- reminders ----------------------------------------------------------------------------------------------------


def send_reminders(*, now: datetime | None = None) -> int:
    """One reminder to each confirmed registration whose date starts within ``COMMUNITY_REMINDER_HOURS`` hours and
    was not reminded yet.  Each is claimed with one UPDATE … WHERE reminded_at IS NULL before its email is sent,
    so a second run, or two workers at once, never send it twice."""
    now = now or timezone.now()
    hours = int(getattr(settings, "COMMUNITY_REMINDER_HOURS", 24))
    until = now + timedelta(hours=hours)
    today = timezone.localdate(now)
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED, reminded_at__isnull=True, event__status=Event.Status.SCHEDULED,
        occurs_on__gte=today, occurs_on__lte=until.astimezone(CITY_ZONE).date(),
    ).filter(Q(event__initiative__isnull=True) | Q(event__initiative__status=Initiative.Status.PUBLISHED))  # fmt: skip
    due = due.select_related("event", "event__place", "event__district", "person").defer("event__district__geometry")
    sent = 0
    for registration in due.order_by("occurs_on", "pk")[:5000]:
        start, _end = start_of(registration.event, registration.occurs_on)
        if not now < start <= until:
            continue
        claimed = Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True,
                                              status=Registration.Status.CONFIRMED).update(reminded_at=now)  # fmt: skip
        if claimed:
            _tell(registration, "reminder")
            sent += 1
    return sent


# --- the printable weekly programme -------------------------------------------------------------------------------


WEEK = re.compile(r"(\d{4})-W(\d{2})")


def week_of(value: str | None, today: date) -> date:
    """The Monday of ``YYYY-Www`` (ISO week), this week's without a value; a message for anything else."""
    if not value:
        return today - timedelta(days=today.weekday())
    match = WEEK.fullmatch(value.strip())
    if match is None:
        raise ValidationError(_("Write the week as YYYY-Www, for example 2027-W11."), code="week")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError as error:
        raise ValidationError(_("That week does not exist."), code="week") from error
    if not today - timedelta(days=366) <= monday <= today + timedelta(days=5 * 366):
        raise ValidationError(_("Choose a week from a year ago to five years ahead."), code="week")
    return monday


def _left_words(left: int | None) -> str:
    if left is None:
        return str(_("No registration needed."))
    if left == 0:
        return str(_("Full: you can join the waiting list")) + "."
    return ngettext("%(left)s place left", "%(left)s places left", left) % {"left": left} + "."


PROGRAMME_MOST = 1500
"""A week's dates on one printed programme at the most (a district has far fewer; a city-wide one would be a book)."""


def programme(monday: date, *, district_id: int | None = None, place_id: int | None = None) -> list[dict[str, Any]]:
    """The week's occurrences (planned events, dates left out not shown), per day: ``[{"day", "rows"}]``, each row
    what the printed page says (time, title, where, access, places left).  From the dates kept as rows
    (``Occurrence``), read as plain values: two queries however many events a crowded district has."""
    from .events import WhatsOn, public_occurrences

    start = local_start(monday, time(0))
    end = local_start(monday + timedelta(days=7), time(0))
    chosen = WhatsOn(district_id=district_id, place_id=place_id)
    values = public_occurrences(chosen, now=start, until=end).values_list(
        "event_id", "day", "starts_at", "ends_at", "event__title", "event__address", "event__wheelchair_accessible",
        "event__capacity", "event__place__name", "event__place__street", "event__place__house_number",
        "event__place__postcode",
    )[:PROGRAMME_MOST]  # fmt: skip
    rows = []
    for pk, day, begins, ends, title, address, wheelchair, capacity, place, street, number, postcode in values:
        where = f"{place}, {street} {number}, {postcode}" if place else address
        rows.append({"event_id": pk, "day": day, "start": timezone.localtime(begins), "end": timezone.localtime(ends),
                     "title": title, "where": where, "wheelchair": wheelchair, "capacity": capacity})  # fmt: skip
    taken = counts({(row["event_id"], row["day"]) for row in rows if row["capacity"] is not None})
    words = {True: _("Wheelchair accessible."), False: _("Not said to be wheelchair accessible.")}
    for row in rows:
        capacity = row["capacity"]
        left = None if capacity is None else max(capacity - taken[(row["event_id"], row["day"])]["confirmed"], 0)
        row["left"] = left
        row["note"] = f"{words[bool(row['wheelchair'])]} {_left_words(left)}"  # written once here, not per row
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days.append({"day": day, "rows": [row for row in rows if row["day"] == day]})
    return days
