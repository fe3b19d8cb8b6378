"""The public "Find help" search over the live directory: what is published, found and explained.

Only published records are ever found: a service that is active or temporarily closed, of an active
organisation (the live tables hold only what city staff published; a change waiting for review is a
``Revision``, never read here).

How a search runs, so that its number of queries does not grow with the directory:

1. one query picks the candidates with every filter the database can decide: the type of help (with the
   types under it), the district (a location in it, or a service area for it), the language (of the
   service or of one of its locations), hours on the weekday and at the time asked, and for the words a
   cheap ``LIKE`` on pieces of each word (``domain.directory.text.pieces``) that keeps every text a typo
   could match;
2. for the words, ``domain.directory.text.Query`` scores the candidates' ``search_text`` in Python;
3. when it matters (an address, "open now", a day), one query reads the candidates' locations and one their
   schedules, as plain tuples; ``domain.directory.opening`` decides open or not (closures win);
4. the page of results (20) is read with its details in a fixed number of prefetching queries, and each
   result says in words why it is there.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import formats
from apps.places.models import District
from domain.directory import opening
from domain.directory.text import MIN_JOINED, How, Query, WordMatch, compare, normalise, pieces
from domain.geo.districts import haversine_km

from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

LISTED = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)
PER_PAGE = 10
NAME_BONUS = 0.5
"""A word found in the service's own name counts half again: "Thuisverpleging Wit-Gele Kruis" before a
service that mentions home nursing in passing."""


# ----------------------------------------------------------------------------------------------------------
# what is published


def published_services() -> QuerySet[Service]:
    """Every service the public may find: active or temporarily closed, of an active organisation."""
    return Service.objects.filter(status__in=LISTED, organisation__active=True)


def published_service(pk: UUID | str) -> Service:
    """One published service with everything its page shows; 404 when unknown or not public."""
    try:
        return with_details(published_services().filter(pk=pk)).get()
    except (Service.DoesNotExist, ValueError) as missing:
        raise Http404 from missing


def _lean(relation: str, model: type[Any]) -> Prefetch:
    """A prefetch without the ``extra`` JSON (HSDS fields kept for export): decoding it for every row of a page
    cost more than the page's queries."""
    return Prefetch(relation, queryset=model.objects.defer("extra"))


def with_details(services: QuerySet[Service], *, page: bool = True) -> QuerySet[Service]:
    """The services with what a result shows (``page=False``) or a service's page shows, in a fixed number of
    queries whatever the number of services."""
    place_parts = [
        _lean("location__addresses", Address),
        _lean("location__schedules", Schedule),
        _lean("location__phones", Phone),
        _lean("schedules", Schedule),
        _lean("phones", Phone),
    ]
    service_parts = [_lean("schedules", Schedule), _lean("phones", Phone), _lean("languages", Language)]
    if page:
        place_parts += [_lean("location__languages", Language), _lean("location__accessibility", Accessibility),
                        _lean("contacts", Contact)]  # fmt: skip
        areas = ServiceArea.objects.select_related("district").defer("extra", "district__geometry")
        service_parts += [
            Prefetch("service_areas", queryset=areas),
            _lean("contacts", Contact),
            _lean("cost_options", CostOption),
            _lean("required_documents", RequiredDocument),
        ]
    # the district of a place is shown by its name: never its shape (a large JSON polygon per row)
    places = (
        ServiceAtLocation.objects.select_related("location__district")
        .defer("extra", "location__extra", "location__district__geometry")
        .prefetch_related(*place_parts)
    )
    terms = Attribute.objects.select_related("taxonomy_term").defer("extra", "taxonomy_term__extra")
    return (
        services.select_related("organisation")
        .defer("extra", "search_text")
        .prefetch_related(
            Prefetch("service_at_locations", queryset=places), Prefetch("attributes", queryset=terms), *service_parts
        )
    )


def terms_under(term_id: UUID) -> set[UUID]:
    """A type of help and every type under it (any depth), from one query on the small terms table."""
    children: dict[UUID | None, list[UUID]] = defaultdict(list)
    for pk, parent in TaxonomyTerm.objects.values_list("id", "parent_id"):
        children[parent].append(pk)
    found, todo = set(), [term_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children[current])
    return found


def need_choices() -> list[tuple[str, str]]:
    """The types of help shown in the search, each under its parent ("— Home nursing" under "Care at home")."""
    terms = list(TaxonomyTerm.objects.filter(active=True))
    by_parent: dict[UUID | None, list[TaxonomyTerm]] = defaultdict(list)
    known = {term.pk for term in terms}
    for term in terms:
        by_parent[term.parent_id if term.parent_id in known else None].append(term)
    choices: list[tuple[str, str]] = []

    def add(parent: UUID | None, depth: int) -> None:
        for term in by_parent[parent]:
            choices.append((str(term.pk), "— " * depth + term.name))
            add(term.pk, depth + 1)

    add(None, 0)
    return choices


def language_choices() -> list[tuple[str, str]]:
    """The languages services and their places are offered in, by name in the reader's language.

    Every code in the directory's languages (read from the code's index: checking which are of a published
    service took 40 ms on 5,000 services); a language only an unpublished service has finds nothing, and says so.
    """
    codes = set(Language.objects.exclude(code="").order_by().values_list("code", flat=True).distinct())
    named = [(code.lower(), formats.language_name(code.lower())) for code in codes]
    return sorted(set(named), key=lambda choice: choice[1].casefold())


# ----------------------------------------------------------------------------------------------------------
# the search


@dataclass(frozen=True)
class Near:
    """The address a search is near: where it is, and how it was written (for "1.2 km from …")."""

    lat: float
    lon: float
    label: str


@dataclass
class Criteria:
    """What was asked; every part optional."""

    need: TaxonomyTerm | None = None
    district: District | None = None
    near: Near | None = None
    language: str = ""
    open_now: bool = False
    day: date | None = None
    words: str = ""
    moment: datetime = field(default_factory=lambda: timezone.localtime())  # looked up when asked (tests freeze it)

    @property
    def asked(self) -> bool:
        return bool(self.need or self.district or self.near or self.language or self.open_now or self.day
                    or self.words.strip())  # fmt: skip


@dataclass
class Found:
    """One service found, before its details are read."""

    pk: str
    """The id as the database writes it as text (hex on SQLite, with dashes on PostgreSQL)."""
    name: str
    score: float = 0.0
    words: tuple[WordMatch, ...] = ()
    matched: int = 0
    distance_km: float | None = None


@dataclass
class Result:
    """One service on the page, with the reasons it is there in words."""

    service: Service
    reasons: list[str]
    status: opening.Status
    status_text: str
    distance_km: float | None = None
    places: list[ServiceAtLocation] = field(default_factory=list)
    phones: list[Any] = field(default_factory=list)


@dataclass
class Results:
    page: Page[Found]
    results: list[Result]
    total: int
    all_words: bool = True
    """False when no service matched every word typed: those shown match most of them."""
    partial: int = 0
    """How many of the words typed the results match, when not all."""


def search(criteria: Criteria, page_number: int | str = 1, per_page: int = PER_PAGE) -> Results:
    """Find, order, paginate and explain (see the module's docstring for how the queries stay few)."""
    needs = terms_under(criteria.need.pk) if criteria.need is not None else set()
    # unordered: the order is decided here, in Python (the database sorting by name cost 4 ms at 5,000)
    candidates = _filtered(criteria, needs).annotate(key=Cast("id", output_field=CharField())).order_by()
    nearest = _nearest_km(criteria.near) if criteria.near else None
    query = Query(criteria.words)
    all_words, partial = True, 0
    if query:
        found, partial = _by_words(candidates.values_list("key", "name", "search_text"), query, nearest)
        all_words = partial == len(query.words)
        found.sort(key=lambda item: _order(item, criteria))
        page = Paginator(found, per_page).get_page(page_number)
        chosen = list(page.object_list)
    else:
        # without words only the page's services become ``Found``: the others are sorted as plain tuples
        rows = _sorted_rows(candidates.values_list("key", "name"), nearest)
        page = Paginator(rows, per_page).get_page(page_number)
        chosen = [_found(row, nearest) for row in page.object_list]
        page.object_list = chosen
    return Results(page=page, results=explain(chosen, criteria, needs), total=page.paginator.count,
                   all_words=all_words, partial=partial)  # fmt: skip


def _sorted_rows(rows: Iterable[Sequence[Any]], nearest: dict[str, float] | None) -> list[tuple[Any, ...]]:
    """Candidate rows (key, name) in the order ``_order`` gives without words: distance, then name, then id."""
    if nearest is None:
        return sorted((_sort_name(name), key, key, name) for key, name in rows)
    return sorted((nearest.get(key, FAR), _sort_name(name), key, key, name) for key, name in rows)


def _found(row: Sequence[Any], nearest: dict[str, float] | None) -> Found:
    """A candidate: its id as text (no UUID object made for each of thousands of rows), name, distance.

    ``row`` ends with (key, name): the sortable columns ``_sorted_rows`` puts before them are ignored."""
    key, name = row[-2], row[-1]
    distance = None if nearest is None else nearest.get(key)
    return Found(key, name, distance_km=distance)


def _filtered(criteria: Criteria, needs: set[UUID]) -> QuerySet[Service]:
    """The candidates, with every filter the database can decide: all but the words (one query when evaluated).

    Each filter is an ``id IN (SELECT …)`` that does not depend on the row (the database reads it once), not a
    correlated ``EXISTS`` (which SQLite ran once per service: a second for "open now" at 5,000 services).
    """
    services = published_services()
    if needs:
        services = services.filter(pk__in=Attribute.objects.filter(taxonomy_term_id__in=needs).values("service_id"))
    if criteria.district is not None:
        in_district = ServiceAtLocation.objects.filter(location__district=criteria.district).values("service_id")
        for_district = ServiceArea.objects.filter(district=criteria.district).values("service_id")
        services = services.filter(Q(pk__in=in_district) | Q(pk__in=for_district))
    if criteria.language:
        spoken = Language.objects.filter(code__in=_spellings(criteria.language))
        at_place = ServiceAtLocation.objects.filter(location_id__in=_ids(spoken, "location_id"))
        services = services.filter(Q(pk__in=_ids(spoken, "service_id")) | Q(pk__in=at_place.values("service_id")))
    if criteria.open_now:
        services = services.filter(open_filter(criteria.moment.date(), criteria.moment.time()))
    if criteria.day:
        services = services.filter(open_filter(criteria.day, None))
    any_piece = Q()
    for word in Query(criteria.words).words:
        for piece in pieces(word):
            any_piece |= Q(search_text__contains=piece)
    return services.filter(any_piece) if any_piece else services


def _spellings(code: str) -> list[str]:
    """A language code as it may be stored ("fr", "FR", "Fr"): equality keeps the code's index usable."""
    return sorted({code.lower(), code.upper(), code[:1].upper() + code[1:].lower()})


def _ids(rows: QuerySet[Any], column: str) -> QuerySet[Any]:
    """One column of ids without its empty values: ``NOT IN`` a list holding NULL is never true in SQL."""
    return rows.filter(**{f"{column}__isnull": False}).values(column)


def _on(day: date, rows: QuerySet[Schedule]) -> QuerySet[Schedule]:
    """The schedules that apply on this day: its weekday (or every day) and within their period."""
    code = opening.DAY_CODES[day.weekday()]
    rows = rows.filter(Q(byday="") | Q(byday__icontains=code))
    return rows.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def open_filter(day: date, at: time | None, correlated: bool | None = None) -> Q:
    """Services open on ``day`` (at ``at``, when given), decided in the database as ``opening`` decides it.

    A service is open at one of its places when the most specific level with regular rules (the service at
    that place, else the service, else the location; regular rules are hours or "by appointment") has hours
    then, and no closure of any of the three levels covers the day.  A service without a place is open by
    its own hours and closures.  ``test_search.py`` checks that this agrees with ``domain.directory.opening``,
    in both forms (``correlated``: EXISTS per place, else ``IN`` sets; by default the quicker for the database).
    """
    regular = Schedule.objects.filter(
        Q(kind=Schedule.Kind.APPOINTMENT) | Q(kind=Schedule.Kind.HOURS, opens_at__isnull=False, closes_at__isnull=False)
    )
    hours = _on(day, Schedule.objects.filter(kind=Schedule.Kind.HOURS, opens_at__isnull=False, closes_at__isnull=False))
    if at is not None:
        hours = hours.filter(opens_at__lte=at).filter(Q(closes_at__gt=at) | Q(closes_at__lte=F("opens_at")))
    closed = _on(day, Schedule.objects.filter(kind=Schedule.Kind.CLOSED))
    if correlated is None:
        correlated = connection.vendor == "sqlite"
    if correlated:
        return _open_correlated(hours, closed, regular)
    return _open_in_sets(hours, closed, regular)


def _open_correlated(hours: QuerySet[Schedule], closed: QuerySet[Schedule], regular: QuerySet[Schedule]) -> Q:
    """SQLite: each EXISTS is a look-up on one of the schedule's indexed keys, once per place (SQLite read the
    whole schedule table once per ``IN (SELECT …)``: 220 ms at 5,000 services, against 30 ms)."""
    here, service, building = OuterRef("pk"), OuterRef("service_id"), OuterRef("location_id")
    own_rules = Exists(regular.filter(service_at_location=here))
    service_rules = Exists(regular.filter(service=service))
    places = ServiceAtLocation.objects.filter(
        Exists(hours.filter(service_at_location=here))
        | (~own_rules & Exists(hours.filter(service=service)))
        | (~own_rules & ~service_rules & Exists(hours.filter(location=building))),
        ~Exists(closed.filter(service_at_location=here)),
        ~Exists(closed.filter(service=service)),
        ~Exists(closed.filter(location=building)),
    )
    itself = OuterRef("pk")
    without_place = (
        ~Exists(ServiceAtLocation.objects.filter(service=itself))
        & Exists(hours.filter(service=itself))
        & ~Exists(closed.filter(service=itself))
    )
    return Q(pk__in=places.values("service_id")) | without_place


def _open_in_sets(hours: QuerySet[Schedule], closed: QuerySet[Schedule], regular: QuerySet[Schedule]) -> Q:
    """PostgreSQL: ``IN (SELECT …)`` sets, each read once and hashed (its planner ran the EXISTS of an OR once
    per row, without the indexes: 1.7 s with words and an address, against 0.1 s)."""
    own_rules = Q(pk__in=_ids(regular, "service_at_location_id"))
    service_rules = Q(service_id__in=_ids(regular, "service_id"))
    places = (
        ServiceAtLocation.objects.filter(
            Q(pk__in=_ids(hours, "service_at_location_id"))
            | (~own_rules & Q(service_id__in=_ids(hours, "service_id")))
            | (~own_rules & ~service_rules & Q(location_id__in=_ids(hours, "location_id")))
        )
        .exclude(pk__in=_ids(closed, "service_at_location_id"))
        .exclude(service_id__in=_ids(closed, "service_id"))
        .exclude(location_id__in=_ids(closed, "location_id"))
    )
    without_place = (
        ~Q(pk__in=ServiceAtLocation.objects.values("service_id"))
        & Q(pk__in=_ids(hours, "service_id"))
        & ~Q(pk__in=_ids(closed, "service_id"))
    )
    return Q(pk__in=places.values("service_id")) | without_place


KM_PER_DEGREE = 111.195
"""Along a meridian (the Earth's mean radius × π / 180)."""


def _nearest_km(near: Near) -> dict[str, float]:
    """The distance from the address to each service's nearest place, in km, by the service's key.

    One query of plain (key, latitude, longitude) rows, computed here: a correlated subquery per service made
    SQLite sort each service's places apart.  Every place is read and the candidates pick theirs by key
    (joining the services to keep only published ones made the query three times slower on SQLite).
    Plain arithmetic (a flat map with the longitude shrunk by the cosine of the latitude), which across a
    city differs from the great circle by far less than the 100 m shown.
    """
    shrink = math.cos(math.radians(near.lat))
    places = (
        ServiceAtLocation.objects.filter(location__latitude__isnull=False, location__longitude__isnull=False)
        .annotate(key=Cast("service_id", output_field=CharField()))
        .values_list("key", "location__latitude", "location__longitude")
        .order_by()
    )
    squared: dict[str, float] = {}
    for key, lat, lon in places:
        north, east = lat - near.lat, (lon - near.lon) * shrink
        value = north * north + east * east
        known = squared.get(key)
        if known is None or value < known:
            squared[key] = value
    return {key: math.sqrt(value) * KM_PER_DEGREE for key, value in squared.items()}


_REMEMBERED: dict[str, Any] = {}
"""Per process: the words of each text, the sortable form and the words of each name.  A plain dict keyed by
the text, emptied when it grows past ``REMEMBER_LIMIT`` (an ``lru_cache`` keeps a list per entry for the
garbage collector to scan, which made every full collection slower)."""
REMEMBER_LIMIT = 60_000


def _remember(key: str, make: Any) -> Any:
    value = _REMEMBERED.get(key)
    if value is None:
        if len(_REMEMBERED) >= REMEMBER_LIMIT:
            _REMEMBERED.clear()
        value = _REMEMBERED[key] = make()
    return value


def _tokens(text: str) -> frozenset[str]:
    """The words of a normalised text; the same text is split once per process, not once per search."""
    return _remember("t:" + text, lambda: _split(text))  # type: ignore[no-any-return]


_VOCABULARY: list[str] = []
"""Per process: every distinct word of the texts split so far, in the order first seen (a word is only ever
added, so a typed word's matches are brought up to date by looking at the words added since)."""
_KNOWN: set[str] = set()
_HITS: dict[tuple[str, bool], tuple[int, set[str]]] = {}
"""Per typed word (and whether it was the last typed): how many words of ``_VOCABULARY`` were looked at,
and those that match it.  ``compare`` depends on the two words only, never on the data, so this cannot show
anything stale: the texts themselves are read from the database at each search."""
VOCABULARY_LIMIT = 200_000


def _split(text: str) -> frozenset[str]:
    tokens = frozenset(text.split())
    new = tokens - _KNOWN
    if new:
        _VOCABULARY.extend(new)
        _KNOWN.update(new)
    return tokens


def _hits(query: Query) -> set[str]:
    """The words of the texts seen so far that match some typed word.

    Each typed word is compared with each word of the directory once per process, not once per search: a
    search used to compare the thousands of distinct words of its candidates again (20 ms at 5,000 services).
    """
    hits: set[str] = set()
    last = len(query.words) - 1
    for index, typed in enumerate(query.words):
        key = (typed, index == last)
        seen, matching = _HITS.get(key, (0, set()))
        if seen < len(_VOCABULARY):
            matching = matching | {
                token for token in _VOCABULARY[seen:] if compare(typed, index == last, token) is not None
            }
            if len(_HITS) >= REMEMBER_LIMIT:
                _HITS.clear()
            _HITS[key] = (len(_VOCABULARY), matching)
        hits |= matching
    return hits


def _sort_name(name: str) -> str:
    """Names in the order a reader expects (accents and case aside), the same on SQLite and PostgreSQL."""
    return _remember("s:" + name, lambda: normalise(name))  # type: ignore[no-any-return]


def _name_words(name: str) -> tuple[frozenset[str], str]:
    def make() -> tuple[frozenset[str], str]:
        normal = normalise(name)
        return frozenset(normal.split()), normal.replace(" ", "")

    return _remember("n:" + name, make)  # type: ignore[no-any-return]


def _by_words(rows: Iterable[Sequence[Any]], query: Query, nearest: dict[str, float] | None) -> tuple[list[Found], int]:
    """Score each candidate's text; keep those that match the most words (all of them, when any does).

    The words that match something are known per process (``_hits``); a text is then matched on its words
    that hit something, found by a set intersection, plus the text without spaces for compounds."""
    rows = list(rows)
    if len(_KNOWN) > VOCABULARY_LIMIT:
        # start again between searches, the texts split before too: a text's words must all be known
        _VOCABULARY.clear()
        _KNOWN.clear()
        _HITS.clear()
        _REMEMBERED.clear()
    texts = [_tokens(row[-1]) for row in rows]
    hits = _hits(query)
    long_words = [word for word in query.words if len(word) >= MIN_JOINED]
    scored = []
    for row, tokens in zip(rows, texts, strict=True):
        mine = tokens & hits
        if not mine:
            # only a long word written apart in the text ("thuis verpleging") can still match
            joined = row[-1].replace(" ", "") if long_words else ""
            if not any(word in joined for word in long_words):
                continue
        match = query.match(row[-1], mine)
        found = match.found
        if not found:
            continue
        in_name, name_joined = _name_words(row[1])
        score = sum(
            word.score * (1 + NAME_BONUS if word.found in in_name or word.found in name_joined else 1) for word in found
        )
        item = _found(row[:2], nearest)
        item.score, item.words, item.matched = score, found, len(found)
        scored.append(item)
    most = max((item.matched for item in scored), default=0)
    return [item for item in scored if item.matched == most], most


FAR = float("inf")


def _order(item: Found, criteria: Criteria) -> tuple[Any, ...]:
    """Relevance for words, then distance when an address is given, then the name."""
    distance = item.distance_km if item.distance_km is not None else FAR
    name = _sort_name(item.name)
    if criteria.words.strip():
        return (-round(item.score, 6), distance, name, str(item.pk))
    if criteria.near:
        return (distance, name, str(item.pk))
    return (name, str(item.pk))


# --- the page of results, explained --------------------------------------------------------------------


def _schedule_tuple(schedule: Schedule) -> opening.ScheduleTuple:
    return (schedule.kind, schedule.byday, schedule.opens_at, schedule.closes_at, schedule.valid_from,
            schedule.valid_to)  # fmt: skip


def place_rules(service: Service) -> list[tuple[ServiceAtLocation | None, list[opening.Rule]]]:
    """The rules of each place of a service read with ``with_details`` (no query)."""
    own = opening.read(_schedule_tuple(s) for s in service.schedules.all())
    places = list(service.service_at_locations.all())
    if not places:
        return [(None, opening.combine(own))]
    return [
        (
            place,
            opening.combine(
                opening.read(_schedule_tuple(s) for s in place.schedules.all()),
                own,
                opening.read(_schedule_tuple(s) for s in place.location.schedules.all()),
            ),
        )
        for place in places
    ]


def service_status(levels: Sequence[list[opening.Rule]], moment: datetime) -> opening.Status:
    """A service is open when one of its places is (until the latest), else it opens at the soonest."""
    statuses = [opening.status(rules, moment) for rules in levels]
    appointment = any(status.appointment for status in statuses)
    open_now = [status for status in statuses if status.state is opening.State.OPEN]
    if open_now:
        return max(open_now, key=lambda status: status.until or time.min)
    closed = [status for status in statuses if status.state is opening.State.CLOSED]
    if closed:
        soonest = min(closed, key=lambda status: status.next or datetime.max.replace(tzinfo=moment.tzinfo))
        return opening.Status(opening.State.CLOSED, next=soonest.next, closure=soonest.closure, appointment=appointment)
    if appointment:
        return opening.Status(opening.State.APPOINTMENT, appointment=True)
    return opening.Status(opening.State.UNKNOWN)


def clock(value: time) -> str:
    return "24:00" if value == time.max else f"{value:%H:%M}"


def status_in_words(status: opening.Status, moment: datetime) -> str:
    """ "Open now until 17:00", "Closed now; opens Monday at 09:00", "By appointment"."""
    if status.state is opening.State.OPEN:
        text = _("Open now until %(time)s") % {"time": clock(status.until or time.max)}
    elif status.state is opening.State.CLOSED:
        if status.next is None:
            text = _("Closed now")
        elif status.next.date() == moment.date():
            text = _("Closed now; opens today at %(time)s") % {"time": clock(status.next.time())}
        else:
            when = formats.day_short(status.next.date(), today=moment.date())
            text = _("Closed now; opens %(day)s at %(time)s") % {"day": when, "time": clock(status.next.time())}
        if status.closure:
            text = _("%(text)s (closed for a holiday or closure)") % {"text": text}
    elif status.state is opening.State.APPOINTMENT:
        return _("By appointment")
    else:
        return _("Opening hours not known: phone first")
    if status.appointment:
        text = _("%(text)s; also by appointment") % {"text": text}
    return text


def hours_in_words(periods: Sequence[tuple[time, time]]) -> str:
    return ", ".join(f"{clock(opens)}–{clock(closes)}" for opens, closes in periods)


def explain(found: Sequence[Found], criteria: Criteria, needs: set[UUID]) -> list[Result]:
    """The page's services with their details (a fixed number of queries) and the reasons each is there."""
    if not found:
        return []
    chosen = Service.objects.filter(pk__in=[UUID(item.pk) for item in found])
    services = {str(service.pk.hex): service for service in with_details(chosen, page=False)}
    results = []
    for item in found:
        service = services[UUID(item.pk).hex]
        levels = place_rules(service)
        status = service_status([rules for _place, rules in levels], criteria.moment)
        places = [place for place, _rules in levels if place is not None]
        if criteria.near:
            places.sort(key=lambda place: _place_km(criteria.near, place))  # type: ignore[arg-type]
        results.append(
            Result(
                service=service,
                reasons=_reasons(item, service, criteria, needs, levels),
                status=status,
                status_text=status_in_words(status, criteria.moment),
                distance_km=item.distance_km,
                places=places,
                phones=phones_of(service),
            )
        )
    return results


def _place_km(near: Near, place: ServiceAtLocation) -> float:
    lat, lon = place.location.latitude, place.location.longitude
    return FAR if lat is None or lon is None else haversine_km(near.lat, near.lon, lat, lon)


def phones_of(service: Service) -> list[Any]:
    """The service's own numbers, else those of its places and locations (no query after ``with_details``)."""
    own = list(service.phones.all())
    if own:
        return own
    numbers: list[Any] = []
    for place in service.service_at_locations.all():
        numbers.extend(place.phones.all())
        numbers.extend(place.location.phones.all())
    return list({phone.number: phone for phone in numbers}.values())


def _where(word: WordMatch, service: Service) -> str:
    """Which part of the service the word was found in, for the explanation."""
    parts = (
        (service.name, _("in the name")),
        (service.alternate_name, _("in the name")),
        (", ".join(attribute.taxonomy_term.name for attribute in service.attributes.all()), _("in the type of help")),
        (service.description, _("in the description")),
        (service.organisation.name, _("in the organisation's name")),
    )
    for text, where in parts:
        normal = normalise(text)
        if word.found in normal.split() or (word.how is How.PART and word.found in normal.replace(" ", "")):
            return where
    return _("in its details")


def _word_reason(word: WordMatch, service: Service) -> str:
    where = _where(word, service)
    if word.found == word.typed:
        return _("matches “%(word)s” %(where)s") % {"word": word.found, "where": where}
    return _("matches “%(word)s” (you typed “%(typed)s”) %(where)s") % {
        "word": word.found,
        "typed": word.typed,
        "where": where,
    }


def km_in_words(km: float) -> str:
    from django.utils.formats import number_format

    return number_format(round(km, 1), 1)


def _reasons(
    item: Found,
    service: Service,
    criteria: Criteria,
    needs: set[UUID],
    levels: list[tuple[ServiceAtLocation | None, list[opening.Rule]]],
) -> list[str]:
    reasons = [_word_reason(word, service) for word in item.words]
    if needs:
        names = [a.taxonomy_term.name for a in service.attributes.all() if a.taxonomy_term_id in needs]
        if names:
            reasons.append(_("type of help: %(names)s") % {"names": ", ".join(dict.fromkeys(names))})
    if criteria.near and item.distance_km is not None:
        reasons.append(
            _("%(km)s km from %(address)s") % {"km": km_in_words(item.distance_km), "address": criteria.near.label}
        )
    elif criteria.near:
        reasons.append(_("no address of its own: by phone or online"))
    if criteria.district is not None:
        places = service.service_at_locations.all()
        if any(place.location.district_id == criteria.district.pk for place in places):
            reasons.append(_("in %(district)s") % {"district": criteria.district.name})
        else:
            reasons.append(_("for residents of %(district)s") % {"district": criteria.district.name})
    if criteria.language:
        reasons.append(_("speaks %(language)s") % {"language": formats.language_name(criteria.language)})
    if criteria.day:
        hours = [opening.hours_on(rules, criteria.day) for _place, rules in levels]
        periods = sorted({period for day_hours in hours for period in day_hours})
        reasons.append(
            _("open on %(day)s: %(hours)s") % {"day": formats.day(criteria.day), "hours": hours_in_words(periods)}
        )
    return reasons
