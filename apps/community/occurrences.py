"""The dates of events, kept as rows (``Occurrence``) so lists filter, order and page in the database (issue 18,
items 3 and 6).

``rebuild`` writes one event's dates anew; a signal on ``Event`` calls it on every save, so an event created or
changed by a service, the demo, the admin or a test always has them.  ``rebuild_many`` does the same for many events
at once (the benchmark and the migration that filled the table), with one delete and one insert per batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from domain.calendar import Schedule, iso_dates, local_start

from .models import Event, Initiative, Occurrence


def audience_key(event: Event) -> str:
    """The event's groups as one text the lists filter on ("|children|older_residents|"); empty for everyone: an
    event names none, or "everyone", and its initiative's groups count when it names none."""
    codes = list(event.audience or [])
    if not codes and event.initiative_id is not None:
        codes = list(getattr(event.initiative, "audience", None) or [])
    if not codes or "everyone" in codes:
        return ""
    return "|" + "|".join(sorted(codes)) + "|"


def is_public(event: Event) -> bool:
    """In the public lists: an event of the city or a place, or of a published initiative."""
    return event.initiative_id is None or getattr(event.initiative, "status", "") == "published"


def _rows(event: Event) -> list[Occurrence]:
    if event.status == Event.Status.CANCELLED:
        return []
    public, audience = is_public(event), audience_key(event)
    schedule = Schedule(
        starts_on=event.starts_on, start_time=event.start_time, duration_minutes=event.duration_minutes,
        weekly_until=event.repeat_until if event.repeat == Event.Repeat.WEEKLY else None,
        skipped=iso_dates(event.cancelled_dates),
    )  # fmt: skip
    rows = []
    for day in schedule.dates():
        start = local_start(day, event.start_time)
        rows.append(Occurrence(
            event_id=event.pk, day=day, starts_at=start, ends_at=start + timedelta(minutes=event.duration_minutes),
            district_id=event.district_id, place_id=event.place_id, public=public, audience=audience,
        ))  # fmt: skip
    return rows


@transaction.atomic
def rebuild(event: Event) -> None:
    Occurrence.objects.filter(event_id=event.pk).delete()
    Occurrence.objects.bulk_create(_rows(event), batch_size=1000)


def rebuild_many(events: Iterable[Event], *, batch: int = 2000) -> int:
    """Every event's dates anew; returns how many rows it wrote."""
    written = 0
    chunk: list[Event] = []

    def flush() -> None:
        nonlocal written
        with transaction.atomic():
            Occurrence.objects.filter(event_id__in=[e.pk for e in chunk]).delete()
            rows = [row for event in chunk for row in _rows(event)]
            Occurrence.objects.bulk_create(rows, batch_size=5000)
            written += len(rows)
        chunk.clear()

    for event in events:
        chunk.append(event)
        if len(chunk) >= batch:
            flush()
    if chunk:
        flush()
    return written


@receiver(post_save, sender=Initiative, dispatch_uid="community_occurrences_of_initiative")
def _initiative_saved(sender: Any, instance: Initiative, raw: bool = False, **kwargs: Any) -> None:
    """Published, returned or ended: its events' dates join or leave the public lists at once."""
    if not raw:
        Occurrence.objects.filter(event__initiative_id=instance.pk).update(
            public=instance.status == Initiative.Status.PUBLISHED
        )


@receiver(post_save, sender=Event, dispatch_uid="community_occurrences")
def _event_saved(sender: Any, instance: Event, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # a fixture being loaded: its dates come with it
        rebuild(instance)
