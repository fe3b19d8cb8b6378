"""What "Find help" filters on, held in memory per process and rebuilt when the directory changes.

A search used to ask the database to filter thousands of services by type, district, language and opening
hours, then read their texts to match the words typed: 60–130 ms at 5,000 services, most of it the same work
for every search.  This index holds, per published service, what the filters need (its types of help, its
districts, its languages, where its places are, its schedules at the three levels, its text), so a search is
set operations and a little arithmetic, and the database is asked only for the page of results.

**Never stale.**  The database keeps a token (``SearchState``) that triggers on every table the index reads
(services, locations, services at locations, service areas, schedules, languages, types of help and their
terms, and organisations, whose ``active`` decides what is published) replace with a random value on every
insert, update, delete (and truncate, on PostgreSQL), whatever wrote it: a form, an import, the admin, a bulk
``update()`` or plain SQL.  Each search reads the token first (one query of one row) and rebuilds the index
when it differs, so a change is found by the next search of every process.  The token is random, not a
counter: a transaction that wrote and rolled back leaves the old token, and a token is never reused.  The
token is read before the data, so an index can only be newer than its token, never older (the next search
then rebuilds once more).  Without a token row (a database just emptied) nothing is remembered.

The build is a handful of queries of plain tuples (0.4–0.7 s at 5,000 services, measured); the opening hours of a day
are worked out once per day asked and remembered with the index.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django.db import connection

from domain.directory import opening
from domain.directory.text import Vocabulary, normalise

from .models import Attribute, Language, Schedule, SearchState, Service, ServiceArea, ServiceAtLocation, TaxonomyTerm

LISTED = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)
DAYS_REMEMBERED = 31
"""Days whose opening hours an index keeps (today, the coming weeks someone asks about)."""

Periods = tuple[tuple[time, time], ...]
Levels = tuple[tuple[opening.ScheduleTuple, ...], ...]
"""A place's schedules, most specific level first: the service at the location, the service, the location."""


@dataclass
class SearchIndex:
    """One snapshot of the published directory, as the search needs it.  Keys are the services' ids in hex."""

    token: str | None
    names: dict[str, str] = field(default_factory=dict)
    sort_names: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    joined: dict[str, str] = field(default_factory=dict)
    """Each text without its spaces, for a long typed word written apart in the text."""
    postings: dict[str, list[str]] = field(default_factory=dict)
    """Each word of the texts → the services whose text has it."""
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary(()))
    by_term: dict[UUID, list[str]] = field(default_factory=dict)
    children: dict[UUID | None, list[UUID]] = field(default_factory=dict)
    in_district: dict[int, set[str]] = field(default_factory=dict)
    for_district: dict[int, set[str]] = field(default_factory=dict)
    by_language: dict[str, set[str]] = field(default_factory=dict)
    points: dict[str, tuple[float, ...]] = field(default_factory=dict)
    """The coordinates of each service's places, as latitude, longitude, latitude, …"""
    places: dict[str, tuple[Levels, ...]] = field(default_factory=dict)
    """Each service's places with their schedules (one entry without levels of a place for a service without)."""
    _days: dict[date, dict[str, Periods]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def published(self) -> set[str]:
        return set(self.names)

    def terms_under(self, term: UUID) -> set[UUID]:
        """A type of help and every type under it, at any depth."""
        found, todo = set(), [term]
        while todo:
            current = todo.pop()
            if current not in found:
                found.add(current)
                todo.extend(self.children.get(current, ()))
        return found

    def with_terms(self, terms: Iterable[UUID]) -> set[str]:
        return {key for term in terms for key in self.by_term.get(term, ())}

    def in_or_for_district(self, district: int) -> set[str]:
        """A place in the district, or a service area for it."""
        return self.in_district.get(district, set()) | self.for_district.get(district, set())

    def speaking(self, code: str) -> set[str]:
        """The service, or one of its places, is offered in this language."""
        return set(self.by_language.get(code.lower(), ()))

    def hours_on(self, day: date) -> dict[str, Periods]:
        """The services open on ``day`` and their periods (all places together), worked out once per day.

        A place follows ``opening.combine`` (the most specific level with regular rules; every closure of every
        level); a service is open when one of its places is, as the result page says.
        """
        known = self._days.get(day)
        if known is None:
            with self._lock:
                known = self._days.get(day)
                if known is None:
                    known = self._work_out(day)
                    if len(self._days) >= DAYS_REMEMBERED:
                        self._days.clear()
                    self._days[day] = known
        return known

    def _work_out(self, day: date) -> dict[str, Periods]:
        found: dict[str, Periods] = {}
        read: dict[tuple[opening.ScheduleTuple, ...], list[opening.Rule]] = {}

        def rules(level: tuple[opening.ScheduleTuple, ...]) -> list[opening.Rule]:
            made = read.get(level)
            if made is None:
                made = read[level] = opening.read(level)
            return made

        for key, places in self.places.items():
            periods: list[tuple[time, time]] = []
            for levels in places:
                periods += opening.hours_on(opening.combine(*(rules(level) for level in levels)), day)
            if periods:
                found[key] = tuple(periods)
        return found

    def rules_of(self, key: str) -> list[list[opening.Rule]]:
        """The rules of each place of a service (its own, for a service without a place), as its page reads them."""
        return [opening.combine(*(opening.read(level) for level in levels)) for levels in self.places.get(key, ())]

    def open_on(self, day: date) -> set[str]:
        return set(self.hours_on(day))

    def open_at(self, moment: datetime) -> set[str]:
        """Open at this local moment: in a period of that day (a period to midnight ends at ``time.max``)."""
        now = moment.time()
        return {
            key
            for key, periods in self.hours_on(moment.date()).items()
            if any(opens <= now < closes or (closes == time.max and opens <= now) for opens, closes in periods)
        }


_CURRENT: SearchIndex | None = None
_BUILDING = threading.Lock()


def current_token() -> str | None:
    """The directory's token now (one query of one row): it changes whenever the index would."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {SearchState._meta.db_table} WHERE id = 1")  # noqa: S608 - a table name
        row = cursor.fetchone()
    return row[0] if row else None


def search_index() -> SearchIndex:
    """The index of the directory as it is now: the one remembered when its token is current, else a new one."""
    global _CURRENT
    token = current_token()
    remembered = _CURRENT
    if token is not None and remembered is not None and remembered.token == token:
        return remembered
    with _BUILDING:
        remembered = _CURRENT
        if token is not None and remembered is not None and remembered.token == token:
            return remembered
        index = build(token)
        _CURRENT = index if token is not None else None
        return index


def build(token: str | None) -> SearchIndex:
    """Read what the search needs, as plain tuples, after the token (see the module's docstring)."""
    index = SearchIndex(token)
    rows = Service.objects.filter(status__in=LISTED, organisation__active=True).values_list("id", "name", "search_text")
    words: dict[str, list[str]] = defaultdict(list)
    for pk, name, text in rows.order_by().iterator(chunk_size=2000):
        key = pk.hex
        index.names[key] = name
        index.sort_names[key] = normalise(name)
        index.texts[key] = text
        index.joined[key] = text.replace(" ", "")
        for word in set(text.split()):
            words[word].append(key)
    index.postings = dict(words)
    index.vocabulary = Vocabulary(words)
    published = index.names
    _read_terms(index, published)
    at_location, places = _read_places(index, published)
    _read_areas_and_languages(index, published, at_location)
    _read_schedules(index, published, places)
    return index


def _read_terms(index: SearchIndex, published: dict[str, str]) -> None:
    children: dict[UUID | None, list[UUID]] = defaultdict(list)
    for pk, parent in TaxonomyTerm.objects.order_by().values_list("id", "parent_id"):
        children[parent].append(pk)
    index.children = dict(children)
    by_term: dict[UUID, list[str]] = defaultdict(list)
    attributes = Attribute.objects.filter(service__isnull=False).order_by()
    for term, service in attributes.values_list("taxonomy_term_id", "service_id"):
        if service.hex in published:
            by_term[term].append(service.hex)
    index.by_term = dict(by_term)


_Place = tuple[UUID, str, UUID]
"""A service at a location: its id, the service's key, the location's id."""


def _read_places(
    index: SearchIndex, published: dict[str, str]
) -> tuple[dict[UUID, list[str]], dict[str, list[_Place]]]:
    """The services' places (district and coordinates); returns the services at each location, and the places
    of each service."""
    at_location: dict[UUID, list[str]] = defaultdict(list)
    in_district: dict[int, set[str]] = defaultdict(set)
    points: dict[str, list[float]] = defaultdict(list)
    places: dict[str, list[_Place]] = defaultdict(list)
    rows = ServiceAtLocation.objects.order_by().values_list(
        "id", "service_id", "location_id", "location__district_id", "location__latitude", "location__longitude"
    )
    for pk, service, location, district, lat, lon in rows:
        key = service.hex
        if key not in published:
            continue
        at_location[location].append(key)
        places[key].append((pk, key, location))
        if district is not None:
            in_district[district].add(key)
        if lat is not None and lon is not None:
            points[key] += (lat, lon)
    index.in_district = dict(in_district)
    index.points = {key: tuple(values) for key, values in points.items()}
    return at_location, places


def _read_areas_and_languages(
    index: SearchIndex, published: dict[str, str], at_location: dict[UUID, list[str]]
) -> None:
    for_district: dict[int, set[str]] = defaultdict(set)
    for service, district in ServiceArea.objects.filter(district__isnull=False).values_list(
        "service_id", "district_id"
    ):
        if service.hex in published:
            for_district[district].add(service.hex)
    index.for_district = dict(for_district)
    speaking: dict[str, set[str]] = defaultdict(set)
    for code, service, location in (
        Language.objects.exclude(code="").order_by().values_list("code", "service_id", "location_id")
    ):
        if service is not None and service.hex in published:
            speaking[code.lower()].add(service.hex)
        if location is not None:
            speaking[code.lower()].update(at_location.get(location, ()))
    index.by_language = dict(speaking)


def _read_schedules(index: SearchIndex, published: dict[str, str], places: dict[str, list[_Place]]) -> None:
    """Each service's places with their schedules at the three levels, as ``search.place_rules`` reads them: a
    schedule belongs to each level it names (the service's, the place's and the location's)."""
    own: dict[UUID, list[opening.ScheduleTuple]] = defaultdict(list)
    of_place: dict[UUID, list[opening.ScheduleTuple]] = defaultdict(list)
    of_location: dict[UUID, list[opening.ScheduleTuple]] = defaultdict(list)
    rows = Schedule.objects.order_by().values_list(
        "service_id", "location_id", "service_at_location_id", "kind", "byday", "opens_at", "closes_at",
        "valid_from", "valid_to",
    )  # fmt: skip
    for service, location, place, *schedule in rows:
        value: Any = tuple(schedule)
        if place is not None:
            of_place[place].append(value)
        if service is not None:
            own[service].append(value)
        if location is not None:
            of_location[location].append(value)
    for key in published:
        service_level = tuple(own.get(UUID(key), ()))
        mine = places.get(key)
        if not mine:
            index.places[key] = ((service_level,),)
            continue
        index.places[key] = tuple(
            (tuple(of_place.get(pk, ())), service_level, tuple(of_location.get(location, ())))
            for pk, _key, location in mine
        )
