"""The public "Find help" search over the live directory: what is published, found and explained.

Only published records are ever found: a service that is active or temporarily closed, of an active
organisation (the live tables hold only what city staff published; a change waiting for review is a
``Revision``, never read here).

How a search runs, so that its number of queries does not grow with the directory:

1. the filters (the type of help with the types under it; the district: a place in it or a service area for
   it; the language of the service or of one of its places; open now or on a day, closures winning) are set
   operations on the search's index (``search_index.py``): what is published, held in memory per process and
   rebuilt when the database's token says the directory changed (one query of one row per search);
2. for the words, the index's vocabulary gives the words of the directory each typed word matches
   (``domain.directory.text.Vocabulary``), its postings the services with those words, and
   ``domain.directory.text.Query`` scores them;
3. an address: the distance to each candidate's nearest place, from the index's coordinates;
4. the page of results is read with its details in a fixed number of prefetching queries, and each result
   says in words why it is there.
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
from django.db.models import (
    Prefetch,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import formats
from apps.places.models import District
from domain.directory import opening
from domain.directory.text import MIN_JOINED, How, Match, Query, WordMatch, normalise
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
from .search_index import SearchIndex, search_index

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
    place_parts = [_lean("location__addresses", Address), _lean("location__phones", Phone), _lean("phones", Phone)]
    service_parts = [_lean("phones", Phone)]
    if page:  # a result's opening hours come from the search's index; its page reads them here
        place_parts += [_lean("location__schedules", Schedule), _lean("schedules", Schedule),
                        _lean("location__languages", Language), _lean("location__accessibility", Accessibility),
                        _lean("contacts", Contact)]  # fmt: skip
        service_parts += [_lean("schedules", Schedule), _lean("languages", Language)]
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
    """The languages published services and their places are offered in, by name in the reader's language."""
    named = [(code, formats.language_name(code)) for code, keys in search_index().by_language.items() if keys]
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
    index = search_index()
    needs = index.terms_under(criteria.need.pk) if criteria.need is not None else set()
    candidates = _filtered(index, criteria, needs)
    nearest = _nearest_km(index, criteria.near, candidates) if criteria.near else None
    query = Query(criteria.words)
    all_words, partial = True, 0
    if query:
        found, partial = _by_words(index, candidates, query, nearest)
        all_words = partial == len(query.words)
        found.sort(key=lambda item: _order(index, item, criteria))
        page = Paginator(found, per_page).get_page(page_number)
        chosen = list(page.object_list)
    else:
        # without words only the page's services become ``Found``: the others are sorted as plain tuples
        rows = _sorted_rows(index, candidates, nearest)
        page = Paginator(rows, per_page).get_page(page_number)
        chosen = [_found(index, row[-1], nearest) for row in page.object_list]
        page.object_list = chosen
    return Results(page=page, results=explain(index, chosen, criteria, needs), total=page.paginator.count,
                   all_words=all_words, partial=partial)  # fmt: skip


def _filtered(index: SearchIndex, criteria: Criteria, needs: set[UUID]) -> set[str]:
    """The published services that pass every filter but the words, as set operations on the index."""
    candidates = index.published
    if needs:
        candidates &= index.with_terms(needs)
    if criteria.district is not None:
        candidates &= index.in_or_for_district(criteria.district.pk)
    if criteria.language:
        candidates &= index.speaking(criteria.language)
    if criteria.open_now:
        candidates &= index.open_at(criteria.moment)
    if criteria.day:
        candidates &= index.open_on(criteria.day)
    return candidates


def _sorted_rows(index: SearchIndex, keys: Iterable[str], nearest: dict[str, float] | None) -> list[tuple[Any, ...]]:
    """The candidates in the order ``_order`` gives without words: distance, then name, then id."""
    names = index.sort_names
    if nearest is None:
        return sorted((names[key], key) for key in keys)
    return sorted((nearest.get(key, FAR), names[key], key) for key in keys)


def _found(index: SearchIndex, key: str, nearest: dict[str, float] | None) -> Found:
    """A candidate: its id (hex), name and distance."""
    return Found(key, index.names[key], distance_km=None if nearest is None else nearest.get(key))


KM_PER_DEGREE = 111.195
"""Along a meridian (the Earth's mean radius × π / 180)."""


def _nearest_km(index: SearchIndex, near: Near, keys: Iterable[str]) -> dict[str, float]:
    """The distance from the address to each candidate's nearest place, in km.

    Plain arithmetic (a flat map with the longitude shrunk by the cosine of the latitude), which across a
    city differs from the great circle by far less than the 100 m shown.
    """
    shrink = math.cos(math.radians(near.lat))
    distances: dict[str, float] = {}
    points = index.points
    for key in keys:
        coordinates = points.get(key)
        if not coordinates:
            continue
        best = FAR
        for at in range(0, len(coordinates), 2):
            north, east = coordinates[at] - near.lat, (coordinates[at + 1] - near.lon) * shrink
            best = min(best, north * north + east * east)
        distances[key] = math.sqrt(best) * KM_PER_DEGREE
    return distances


def _by_words(
    index: SearchIndex, candidates: set[str], query: Query, nearest: dict[str, float] | None
) -> tuple[list[Found], int]:
    """Score the candidates' texts; keep those that match the most words (all of them, when any does).

    The words of the directory that match a typed word come from the index's vocabulary; the services with
    such a word from its postings; a text without any is looked at only for a long typed word written apart
    in it ("thuis verpleging").  What the matching words give is worked out once per set of words.
    """
    last = len(query.words) - 1
    hits: set[str] = set()
    for position, typed in enumerate(query.words):
        hits |= index.vocabulary.matching(typed, position == last)
    mine: dict[str, list[str]] = defaultdict(list)
    for token in hits:
        for key in index.postings.get(token, ()):
            if key in candidates:
                mine[key].append(token)
    long_words = [word for word in query.words if len(word) >= MIN_JOINED]
    if long_words:
        joined = index.joined
        for key in candidates:
            if key not in mine and any(word in joined[key] for word in long_words):
                mine[key] = []
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for key, tokens in mine.items():
        groups[frozenset(tokens)].append(key)
    matched: list[tuple[tuple[WordMatch, ...], list[str]]] = []
    for words, keys in groups.items():
        known = query.best_of(words)
        if None in known and long_words:  # the rest of the text, written without spaces, may hold a word
            for key in keys:
                matched.append((query.across_spaces(known, index.joined[key]).found, [key]))
        else:
            matched.append((Match(known).found, keys))
    most = max((len(found) for found, _keys in matched), default=0)
    scored = []
    for found, keys in matched:
        if not found or len(found) < most:
            continue
        for key in keys:
            name = index.sort_names[key]  # normalised
            in_name, name_joined = name.split(), name.replace(" ", "")
            score = sum(word.score * (1 + NAME_BONUS if word.found in in_name or word.found in name_joined else 1)
                        for word in found)  # fmt: skip
            item = _found(index, key, nearest)
            item.score, item.words, item.matched = score, found, len(found)
            scored.append(item)
    return scored, most


FAR = float("inf")


def _order(index: SearchIndex, item: Found, criteria: Criteria) -> tuple[Any, ...]:
    """Relevance for words, then distance when an address is given, then the name."""
    distance = item.distance_km if item.distance_km is not None else FAR
    name = index.sort_names[item.pk]
    if criteria.words.strip():
        return (-round(item.score, 6), distance, name, item.pk)
    if criteria.near:
        return (distance, name, item.pk)
    return (name, item.pk)


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


def explain(index: SearchIndex, found: Sequence[Found], criteria: Criteria, needs: set[UUID]) -> list[Result]:
    """The page's services with their details (a fixed number of queries), their opening hours from the index,
    and the reasons each is there."""
    if not found:
        return []
    chosen = Service.objects.filter(pk__in=[UUID(item.pk) for item in found])
    services = {service.pk.hex: service for service in with_details(chosen, page=False)}
    results = []
    for item in found:
        service = services[UUID(item.pk).hex]
        levels = index.rules_of(item.pk)
        status = service_status(levels, criteria.moment)
        places = list(service.service_at_locations.all())
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
    levels: list[list[opening.Rule]],
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
        hours = [opening.hours_on(rules, criteria.day) for rules in levels]
        periods = sorted({period for day_hours in hours for period in day_hours})
        reasons.append(
            _("open on %(day)s: %(hours)s") % {"day": formats.day(criteria.day), "hours": hours_in_words(periods)}
        )
    return reasons
