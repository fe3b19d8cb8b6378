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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import formats
from apps.places.models import District
from domain.directory import opening
from domain.directory.text import How, Query, WordMatch, normalise, pieces
from domain.geo.districts import haversine_km

from .models import (
    Attribute,
    Language,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)

LISTED = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)
PER_PAGE = 20
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


def with_details(services: QuerySet[Service], *, page: bool = True) -> QuerySet[Service]:
    """The services with what a result shows (``page=False``) or a service's page shows, in a fixed number of
    queries whatever the number of services."""
    place_parts = ["location__addresses", "location__schedules", "location__phones", "schedules", "phones"]
    service_parts: list[Any] = ["schedules", "phones", "languages"]
    if page:
        place_parts += ["location__languages", "location__accessibility", "contacts"]
        service_parts += [
            Prefetch("service_areas", queryset=ServiceArea.objects.select_related("district")),
            "contacts",
            "cost_options",
            "required_documents",
        ]
    places = ServiceAtLocation.objects.select_related("location__district").prefetch_related(*place_parts)
    return services.select_related("organisation").prefetch_related(
        Prefetch("service_at_locations", queryset=places),
        Prefetch("attributes", queryset=Attribute.objects.select_related("taxonomy_term")),
        *service_parts,
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
    """The languages some published service is offered in, by name in the reader's language."""
    published = published_services()
    offered = Q(service__in=published) | Q(location__service_at_locations__service__in=published)
    codes = set(Language.objects.exclude(code="").filter(offered).values_list("code", flat=True))
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
    moment: datetime = field(default_factory=timezone.localtime)

    @property
    def asked(self) -> bool:
        return bool(self.need or self.district or self.near or self.language or self.open_now or self.day
                    or self.words.strip())  # fmt: skip


@dataclass
class Found:
    """One service found, before its details are read."""

    pk: UUID
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
    candidates = _filtered(criteria, needs)
    query = Query(criteria.words)
    all_words, partial = True, 0
    if query:
        found, partial = _by_words(candidates.values_list("id", "name", "search_text"), query)
        all_words = partial == len(query.words)
    else:
        found = [Found(pk, name) for pk, name in candidates.values_list("id", "name")]
    if found and (criteria.near or criteria.open_now or criteria.day):
        found = _by_place_and_time(found, criteria, candidates)
    found.sort(key=lambda item: _order(item, criteria))
    page = Paginator(found, per_page).get_page(page_number)
    return Results(page=page, results=explain(list(page.object_list), criteria, needs), total=len(found),
                   all_words=all_words, partial=partial)  # fmt: skip


def _filtered(criteria: Criteria, needs: set[UUID]) -> QuerySet[Service]:
    """The candidates, with every filter the database can decide (one query when evaluated)."""
    services = published_services()
    if needs:
        services = services.filter(Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term_id__in=needs)))
    if criteria.district is not None:
        services = services.filter(
            Exists(ServiceAtLocation.objects.filter(service=OuterRef("pk"), location__district=criteria.district))
            | Exists(ServiceArea.objects.filter(service=OuterRef("pk"), district=criteria.district))
        )
    if criteria.language:
        code = criteria.language.lower()
        at_location = Language.objects.filter(location__service_at_locations__service=OuterRef("pk"), code__iexact=code)
        services = services.filter(
            Exists(Language.objects.filter(service=OuterRef("pk"), code__iexact=code)) | Exists(at_location)
        )
    if criteria.open_now:
        services = services.filter(_has_hours(criteria.moment.date(), criteria.moment.time()))
    if criteria.day:
        services = services.filter(_has_hours(criteria.day, None))
    any_piece = Q()
    for word in Query(criteria.words).words:
        for piece in pieces(word):
            any_piece |= Q(search_text__contains=piece)
    return services.filter(any_piece) if any_piece else services


def _has_hours(day: date, at: time | None) -> Exists:
    """Some regular hours on this weekday (and at this time), at any level: a cheap first cut before the exact
    decision in Python (closures, and which level's hours count)."""
    code = opening.DAY_CODES[day.weekday()]
    hours = Schedule.objects.filter(kind=Schedule.Kind.HOURS, opens_at__isnull=False, closes_at__isnull=False)
    hours = hours.filter(Q(byday="") | Q(byday__icontains=code))
    hours = hours.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
    hours = hours.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if at is not None:
        hours = hours.filter(opens_at__lte=at).filter(Q(closes_at__gt=at) | Q(closes_at__lte=F("opens_at")))
    return Exists(
        hours.filter(
            Q(service=OuterRef("pk"))
            | Q(service_at_location__service=OuterRef("pk"))
            | Q(location__in=ServiceAtLocation.objects.filter(service=OuterRef(OuterRef("pk"))).values("location"))
        )
    )


@lru_cache(maxsize=50_000)
def _tokens(text: str) -> frozenset[str]:
    """The words of a normalised text; the same text is split once per process, not once per search."""
    return frozenset(text.split())


@lru_cache(maxsize=50_000)
def _name_words(name: str) -> tuple[frozenset[str], str]:
    normal = normalise(name)
    return frozenset(normal.split()), normal.replace(" ", "")


def _by_words(rows: Iterable[tuple[UUID, str, str]], query: Query) -> tuple[list[Found], int]:
    """Score each candidate's text; keep those that match the most words (all of them, when any does)."""
    scored = []
    for pk, name, text in rows:
        match = query.match(text, _tokens(text))
        if not match.matched:
            continue
        in_name, name_joined = _name_words(name)
        score = sum(
            word.score * (1 + NAME_BONUS if word.found in in_name or word.found in name_joined else 1)
            for word in match.found
        )
        scored.append(Found(pk, name, score=score, words=match.found, matched=match.matched))
    most = max((item.matched for item in scored), default=0)
    return [item for item in scored if item.matched == most], most


# --- places and times -------------------------------------------------------------------------------------


@dataclass
class Plain:
    """The candidates' locations and schedules as plain tuples, keyed for ``opening.combine``."""

    places: dict[UUID, list[tuple[UUID, UUID, float | None, float | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    """service → (service at location, location, latitude, longitude)"""
    by_service: dict[UUID, list[opening.ScheduleTuple]] = field(default_factory=lambda: defaultdict(list))
    by_location: dict[UUID, list[opening.ScheduleTuple]] = field(default_factory=lambda: defaultdict(list))
    by_place: dict[UUID, list[opening.ScheduleTuple]] = field(default_factory=lambda: defaultdict(list))

    def rules(self, service: UUID) -> list[list[opening.Rule]]:
        """The rules of each place the service is offered at (or of the service alone, without a place)."""
        own = opening.read(self.by_service.get(service, []))
        places = self.places.get(service, [])
        if not places:
            return [opening.combine(own)]
        return [
            opening.combine(
                opening.read(self.by_place.get(place, [])), own, opening.read(self.by_location.get(location, []))
            )
            for place, location, _lat, _lon in places
        ]

    def add_schedule(self, row: tuple[Any, ...]) -> None:
        schedule, service, location, place = row[:6], row[6], row[7], row[8]
        if place is not None:
            self.by_place[place].append(schedule)
        elif service is not None:
            self.by_service[service].append(schedule)
        elif location is not None:
            self.by_location[location].append(schedule)


SCHEDULE_COLUMNS = ("kind", "byday", "opens_at", "closes_at", "valid_from", "valid_to")


def _plain_for(candidates: QuerySet[Service], with_schedules: bool) -> Plain:
    """Two queries whatever the number of candidates: their places, and (when asked) every schedule of them."""
    plain = Plain()
    subquery = candidates.values("pk")
    places = ServiceAtLocation.objects.filter(service__in=subquery)
    for place, service, location, lat, lon in places.values_list(
        "id", "service_id", "location_id", "location__latitude", "location__longitude"
    ):
        plain.places[service].append((place, location, lat, lon))
    if with_schedules:
        schedules = Schedule.objects.filter(
            Q(service__in=subquery)
            | Q(service_at_location__in=places.values("pk"))
            | Q(location__in=places.values("location"))
        )
        for row in schedules.values_list(*SCHEDULE_COLUMNS, "service_id", "location_id", "service_at_location_id"):
            plain.add_schedule(row)
    return plain


def _by_place_and_time(found: list[Found], criteria: Criteria, candidates: QuerySet[Service]) -> list[Found]:
    """Distances to the address, and "open now" / "open on a day" decided exactly (closures win)."""
    plain = _plain_for(candidates, with_schedules=bool(criteria.open_now or criteria.day))
    kept = []
    for item in found:
        if criteria.open_now or criteria.day:
            levels = plain.rules(item.pk)
            if criteria.open_now and not any(opening.open_at(rules, criteria.moment) for rules in levels):
                continue
            if criteria.day and not any(opening.open_on(rules, criteria.day) for rules in levels):
                continue
        if criteria.near:
            item.distance_km = _nearest_km(criteria.near, plain.places.get(item.pk, []))
        kept.append(item)
    return kept


def _nearest_km(near: Near, places: Iterable[tuple[Any, Any, float | None, float | None]]) -> float | None:
    distances = [
        haversine_km(near.lat, near.lon, lat, lon) for _place, _location, lat, lon in places if lat is not None
        and lon is not None
    ]  # fmt: skip
    return min(distances, default=None)


FAR = float("inf")


def _order(item: Found, criteria: Criteria) -> tuple[Any, ...]:
    """Relevance for words, then distance when an address is given, then the name."""
    distance = item.distance_km if item.distance_km is not None else FAR
    name = normalise(item.name)
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
    chosen = Service.objects.filter(pk__in=[item.pk for item in found])
    services = {service.pk: service for service in with_details(chosen, page=False)}
    results = []
    for item in found:
        service = services[item.pk]
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
