"""Structural signals (issue 17, item 5): what makes isolation worse in a place, reported by anyone signed in,
triaged by city staff, listed per district for everyone.  The writes and the reads of the signal pages.

- ``signal_create``: the place is an address of the city's register (``apps.places.geo``, which gives the
  point and the district) or a point (its district looked up from the point); the district is never typed.
  The photo arrives already checked and stripped of its metadata (``domain.photos``) and is written to the
  signals' own folder (``WELLBEING_SIGNAL_PHOTO_DIR``, outside anything served as static or media files: only
  the triage page shows it, through a view that asks the rule).  Each person may send
  ``WELLBEING_SIGNALS_PER_DAY`` in 24 hours, counted in the signal's own transaction (``services.rate_take``),
  so a refused signal stores nothing and counts nothing.
- ``signal_triage``: city staff set the status (forwarded to a department, which one as text; solved; not
  applicable), with who and when, under a row lock.
- The reads: the staff list with its filters and counts per month and district; the reporter's own signals;
  the public list of a district, which carries only the category, the street without a house number, the
  month and the status (no description, no photo, no reporter, no day).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.actors import Actor
from apps.access.rules import can
from apps.places import geo
from apps.places.models import District
from domain.photos import Photo

from .models import Signal
from .services import rate_take

SIGNAL_PERSON = "signal_person"
"""The ``RateBucket`` scope of the signals one person sends."""

CATEGORY_LABELS = {
    "shop_closed": gettext_lazy("A shop has closed"),
    "post_office_closed": gettext_lazy("A post office or post point has closed"),
    "no_bench": gettext_lazy("No bench to rest on"),
    "bus_stop_removed": gettext_lazy("A bus or tram stop was removed"),
    "dark_street": gettext_lazy("A dark street"),
    "no_lift": gettext_lazy("No lift, or a lift that does not work"),
    "broken_pavement": gettext_lazy("A broken or blocked pavement"),
    "other": gettext_lazy("Something else"),
}
"""The labels of the default categories; a code a city adds to ``WELLBEING_SIGNAL_CATEGORIES`` is shown as
written (``public_toilet_closed`` → "Public toilet closed")."""

PUBLIC_STATUSES = (Signal.Status.NEW, Signal.Status.FORWARDED, Signal.Status.SOLVED)
"""What the public page of a district lists: staff marked the others "not applicable" (not about isolation,
or not about a place)."""

TRIAGE_STATUSES = (Signal.Status.FORWARDED, Signal.Status.SOLVED, Signal.Status.NOT_APPLICABLE)


class RateLimited(Exception):
    """The person sent as many signals as one may in 24 hours."""


# --- categories ---------------------------------------------------------------------------------------


def category_codes() -> tuple[str, ...]:
    return tuple(settings.WELLBEING_SIGNAL_CATEGORIES)


def category_label(code: str) -> str:
    label = CATEGORY_LABELS.get(code)
    return str(label) if label is not None else code.replace("_", " ").strip().capitalize()


def category_choices() -> list[tuple[str, str]]:
    return [(code, category_label(code)) for code in category_codes()]


# --- the place ----------------------------------------------------------------------------------------


HOUSE_NUMBER = re.compile(r"\s+\d[\w/.-]*$")


def street_of(address: str) -> str:
    """The street of a stored place without its house number: ``Sint-Pietersnieuwstraat 33A`` →
    ``Sint-Pietersnieuwstraat``.  The service writes ``address`` from the register only (``street number`` or
    the street alone), so the house number is always the last word and starts with a digit."""
    return HOUSE_NUMBER.sub("", address.strip())


NEAREST_STREET_METRES = 150.0


@cache
def _register_points(finder_id: int) -> tuple[Any, Any, list[str]]:
    import numpy as np

    finder = geo.geocoder().finder  # type: ignore[attr-defined]
    lats, lons, streets = [], [], []
    for postcodes in finder.by_street.values():
        for numbers in postcodes.values():
            for point in numbers.values():
                lats.append(point.lat)
                lons.append(point.lon)
                streets.append(point.street)
    return np.array(lats), np.array(lons), streets


def nearest_street(lat: float, lon: float) -> str:
    """The street of the register's address point nearest to a point, within ``NEAREST_STREET_METRES``; empty
    when none is that near, or when the deployment's address finder is not the offline register."""
    finder = getattr(geo.geocoder(), "finder", None)
    if finder is None or not hasattr(finder, "by_street"):
        return ""
    import numpy as np

    lats, lons, streets = _register_points(id(finder))
    if not streets:
        return ""
    metres_lat = 111_320.0
    metres_lon = 111_320.0 * float(np.cos(np.radians(lat)))
    distances = ((lats - lat) * metres_lat) ** 2 + ((lons - lon) * metres_lon) ** 2
    index = int(np.argmin(distances))
    return streets[index] if distances[index] <= NEAREST_STREET_METRES**2 else ""


@dataclass(frozen=True)
class Place:
    """Where a signal is: the point, its district and what is stored as its address."""

    lat: float
    lon: float
    district: District
    address: str


def place_from_address(typed: str) -> Place:
    """An address of the city's register; ``ValidationError`` says why not (with streets to try)."""
    found = geo.find_address(typed)
    if not found.found:
        message = found.message
        if found.suggestions:
            message = _("%(message)s Did you mean: %(streets)s?") % {
                "message": message,
                "streets": ", ".join(found.suggestions[:3]),
            }
        raise ValidationError(message, code="address")
    if found.district is None:
        raise ValidationError(_("This address lies outside the city's districts."), code="outside")
    return Place(found.lat, found.lon, found.district, f"{found.street} {found.house_number}".strip())


def place_from_point(lat: float, lon: float) -> Place:
    """A point in the city; ``ValidationError`` when it lies outside every district."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationError(_("This is not a point on earth: latitude −90 to 90, longitude −180 to 180."))
    district = geo.district_at(lat, lon)
    if district is None:
        raise ValidationError(
            _("This point lies outside the city. Give a point in one of its districts, or an address."),
            code="outside",
        )
    return Place(lat, lon, district, nearest_street(lat, lon))


# --- photos -------------------------------------------------------------------------------------------


def photo_dir() -> Path:
    configured = settings.WELLBEING_SIGNAL_PHOTO_DIR
    return Path(configured) if configured else Path(settings.VAR_DIR) / "uploads" / "signal-photos"


def photo_storage() -> FileSystemStorage:
    """The signals' photos: a folder of their own, never served directly (``views_signals.signal_photo``)."""
    return FileSystemStorage(location=photo_dir(), base_url=None, file_permissions_mode=0o640,
                             directory_permissions_mode=0o750)  # fmt: skip


# --- writes -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalInput:
    category: str
    place: Place
    description: str = ""
    photo: Photo | None = None


def person_key(person_id: int) -> str:
    """The counter's key for a person: a keyed hash (``RateBucket`` holds no identifier as such)."""
    return hmac.new(settings.SECRET_KEY.encode(), f"signal-person:{person_id}".encode(), hashlib.sha256).hexdigest()[
        :32
    ]


SIGNAL_PHOTO_TRIES = "signal_photo_tries"
"""The ``RateBucket`` scope of the photos one person sends, accepted or refused."""


def photo_try_take(actor: Actor, now: datetime | None = None) -> bool:
    """Count one photo about to be checked for the actor; ``False`` (nothing counted) over the daily budget.

    Its own transaction, kept whatever the photo turns out to be: a refused photo cost the work of reading it, so
    it counts (the signal's own limit counts only what is stored)."""
    if actor.person_id is None:
        return False
    with transaction.atomic():
        return rate_take(
            scope=SIGNAL_PHOTO_TRIES, key=person_key(actor.person_id),
            limit=settings.WELLBEING_SIGNAL_PHOTO_TRIES_PER_DAY, window=timedelta(days=1), now=now,
        )  # fmt: skip


def signal_create(*, actor: Actor, data: SignalInput, now: datetime | None = None) -> Signal:
    """Store a signal of the actor; ``RateLimited`` (nothing stored, nothing counted) over the daily limit."""
    if actor.person_id is None or not can(actor, "wellbeing.report_signal"):
        raise PermissionDenied
    if data.category not in category_codes():
        raise ValidationError(_("Choose one of the categories."), code="category")
    now = now or timezone.now()
    storage = photo_storage()
    saved = ""
    try:
        with transaction.atomic():
            if not rate_take(
                scope=SIGNAL_PERSON, key=person_key(actor.person_id), limit=settings.WELLBEING_SIGNALS_PER_DAY,
                window=timedelta(days=1), now=now,
            ):  # fmt: skip
                raise RateLimited
            if data.photo is not None:
                saved = storage.save(f"{uuid.uuid4().hex}.{data.photo.extension}", ContentFile(data.photo.data))
            return Signal.objects.create(
                category=data.category, description=data.description, district=data.place.district,
                lat=data.place.lat, lon=data.place.lon, address=data.place.address, photo=saved,
                reporter_id=actor.person_id, created_at=now,
            )  # fmt: skip
    except BaseException:
        if saved:
            storage.delete(saved)
        raise


def signal_triage(
    *, actor: Actor, signal: Signal, status: str, forwarded_to: str = "", now: datetime | None = None
) -> Signal:
    """City staff decide: forwarded (to which department, required), solved or not applicable."""
    if actor.person_id is None or not can(actor, "wellbeing.triage_signals", signal):
        raise PermissionDenied
    if status not in TRIAGE_STATUSES:
        raise ValidationError(_("Choose what happens with this signal."), code="status")
    forwarded_to = forwarded_to.strip()
    if status == Signal.Status.FORWARDED and not forwarded_to:
        raise ValidationError(_("Say which department it was forwarded to."), code="forwarded_to")
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        locked.status = status
        if forwarded_to:
            locked.forwarded_to = forwarded_to
        locked.triaged_by_id = actor.person_id
        locked.triaged_at = now or timezone.now()
        locked.save(update_fields=["status", "forwarded_to", "triaged_by", "triaged_at"])
    return locked


# --- reads --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffFilter:
    district: District | None = None
    status: str = ""
    category: str = ""
    month: date | None = None  # the first day of a month


def _month_range(month: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return datetime(month.year, month.month, 1, tzinfo=zone), datetime(following.year, following.month, 1, tzinfo=zone)


def signals_for_staff(actor: Actor, chosen: StaffFilter, *, with_month: bool = True) -> QuerySet[Signal]:
    """Every signal matching the filter, newest first, for whoever triages; ``Http404`` for anyone else."""
    if not can(actor, "wellbeing.triage_signals"):
        raise Http404
    found = Signal.objects.select_related("district", "triaged_by").defer("district__geometry")
    if chosen.district is not None:
        found = found.filter(district=chosen.district)
    if chosen.status:
        found = found.filter(status=chosen.status)
    if chosen.category:
        found = found.filter(category=chosen.category)
    if with_month and chosen.month is not None:
        start, end = _month_range(chosen.month)
        found = found.filter(created_at__gte=start, created_at__lt=end)
    return found.order_by("-created_at", "-pk")


@dataclass(frozen=True)
class MonthCount:
    month: date
    district: str
    count: int


def counts_per_month(signals: QuerySet[Signal]) -> list[MonthCount]:
    """How many signals per month (local time) and district, newest month first, districts by name."""
    rows = (
        signals.order_by()
        .annotate(month=TruncMonth("created_at"))
        .values("month", "district__name")
        .annotate(n=Count("pk"))
    )
    counted = [
        MonthCount(
            row["month"].date() if isinstance(row["month"], datetime) else row["month"], row["district__name"], row["n"]
        )
        for row in rows
    ]
    return sorted(counted, key=lambda row: (-row.month.toordinal(), row.district))


def signal_for_staff(actor: Actor, pk: int) -> Signal:
    """One signal for whoever triages; 404 for anyone else and for one that does not exist."""
    if not can(actor, "wellbeing.triage_signals"):
        raise Http404
    found = Signal.objects.select_related("district", "triaged_by").defer("district__geometry").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def signals_of(actor: Actor) -> QuerySet[Signal]:
    """The actor's own signals (never anyone else's), newest first."""
    if actor.person_id is None:
        return Signal.objects.none()
    return (
        Signal.objects.filter(reporter_id=actor.person_id)
        .select_related("district")
        .defer("district__geometry")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class PublicSignal:
    """What the public page of a district shows of a signal, and nothing more."""

    category: str
    street: str
    month: date
    status: str


def public_signal_rows(district: District) -> QuerySet[Any]:
    """A district's signals for everyone, newest first, read from four columns only (category, address, time,
    status), so nothing else of a signal can reach the page; ``public_signal`` turns a row into what is shown."""
    return (
        Signal.objects.filter(district=district, status__in=PUBLIC_STATUSES)
        .order_by("-created_at", "-pk")
        .values_list("category", "address", "created_at", "status")
    )


def public_signal(row: tuple[str, str, datetime, str]) -> PublicSignal:
    """Category, street without a house number, month, status."""
    category, address, at, status = row
    label = dict(Signal.Status.choices).get(status, status)
    return PublicSignal(category_label(category), street_of(address), timezone.localtime(at).date().replace(day=1),
                        str(label))  # fmt: skip


def public_signals(district: District) -> list[PublicSignal]:
    """Every public signal of a district (the open dataset); the page shows them a page at a time."""
    return [public_signal(row) for row in public_signal_rows(district)]


def public_counts() -> dict[int, int]:
    """How many signals each district's public page lists, by district id."""
    rows = Signal.objects.filter(status__in=PUBLIC_STATUSES).order_by().values("district_id").annotate(n=Count("pk"))
    return {row["district_id"]: row["n"] for row in rows}


def open_data_csv() -> str:
    """The open dataset of the public pages: per signal the district, the category (code and label in the three
    languages), the street without a house number, the month and the status; what the public page shows, in one
    file, and nothing more (not applicable ones left out)."""
    from django.utils import translation

    from apps.core.open_data import csv_text

    rows = (
        Signal.objects.filter(status__in=PUBLIC_STATUSES)
        .order_by("district__number", "-created_at", "-pk")
        .values_list("district__number", "district__name", "category", "address", "created_at", "status")
    )
    codes = {row[2] for row in rows}
    labels: dict[str, dict[str, str]] = {}
    for language in ("nl", "en", "fr"):
        with translation.override(language):
            labels[language] = {code: category_label(code) for code in codes}
    header = ["district_number", "district", "category", "category_nl", "category_en", "category_fr", "street",
              "month", "status"]  # fmt: skip
    return csv_text(
        header,
        (
            [number, name, code, labels["nl"][code], labels["en"][code], labels["fr"][code], street_of(address),
             timezone.localtime(at).strftime("%Y-%m"), status]
            for number, name, code, address, at, status in rows
        ),
    )  # fmt: skip
