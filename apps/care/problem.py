"""From the database to the engine's problem (``specs/matching-problem.md``), and back.

The app never decides eligibility itself: it builds a :class:`domain.matching.Problem` from the open
requests and the available helpers, and hands it to the same ``solve`` / ``suggest`` / ``explain`` that
``cityofpeople match`` runs.  A round stores the problem's JSON, so that anyone can solve it again
from the command line and get the same assignment.

Times go to the engine as local wall-clock times of the city (naive), as the spec says.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, ExpressionWrapper, FloatField, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone

from apps.people.models import Consent, Purpose
from domain.matching import Helper, Problem, Request, make_problem
from domain.matching.model import EARTH_RADIUS_KM
from domain.matching.taken import free_windows

from .models import (
    AvailabilityException,
    CareRequest,
    HelperOffer,
    Match,
    MatchEvent,
    RequestWindow,
    Vetting,
    WeeklyAvailability,
)

HORIZON_DAYS = 14
"""How far ahead a round or a suggestion looks for common free time."""


@dataclass(frozen=True)
class Horizon:
    """The period in which windows count: [start, end), aware datetimes."""

    start: datetime
    end: datetime

    @classmethod
    def from_now(cls, now: datetime | None = None, days: int = HORIZON_DAYS) -> Horizon:
        start = now or timezone.now()
        return cls(start, start + timedelta(days=days))


def local_zone() -> ZoneInfo:
    return _zone(settings.TIME_ZONE)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def naive_local(moment: datetime) -> datetime:
    """An aware datetime as the city's wall-clock time, without a zone (the spec's form)."""
    if moment.tzinfo is None:
        raise ValueError("naive_local needs an aware datetime")
    return moment.astimezone(local_zone()).replace(tzinfo=None, second=0, microsecond=0)


def aware_local(moment: datetime) -> datetime:
    """The inverse of :func:`naive_local`."""
    return moment.replace(tzinfo=local_zone())


# ----------------------------------------------------------------------------------------------------------
# requests


def open_requests(district_id: int | None = None) -> QuerySet[CareRequest]:
    """Requests that still look for a helper: open, not professional, and still asked for (``still_asked``)."""
    requests = still_asked(CareRequest.objects.filter(status=CareRequest.Status.OPEN, category__professional=False))
    if district_id is not None:
        requests = requests.filter(district_id=district_id)
    return requests


def still_asked(requests: QuerySet[CareRequest]) -> QuerySet[CareRequest]:
    """Of these requests, those whose person is not erased and still consents to care matching (a
    withdrawn consent takes effect at once), with no match accepted or waiting for an answer.

    Three lookups a request: a helper's "near me" asks them only of the few candidates it builds
    (``RequestFacts.with_windows_of``), not of the thousand in their box."""
    # asked per request (an index lookup each): as a list of the busy ones, SQLite read every match of the city
    busy = Match.objects.filter(request_id=OuterRef("pk"), status__in=[*Match.HOLDING, Match.Status.PROPOSED])
    consent = Consent.objects.filter(
        person_id=OuterRef("person_id"), purpose=Purpose.CARE_MATCHING, withdrawn_at__isnull=True
    )
    return requests.filter(person__erased_at__isnull=True).filter(Exists(consent)).exclude(Exists(busy))


@dataclass(frozen=True, slots=True)
class RequestRow:
    """What the engine needs of a request, read with ``values_list`` (``request_rows``): a thousand
    candidates read this way cost a fraction of as many model instances (a helper's "near me" page)."""

    pk: int
    person_id: int
    lat: float
    lon: float
    category_code: str
    duration_minutes: int
    languages_text: str | None
    urgency: int
    requires_vetted: bool

    @property
    def engine_id(self) -> str:
        return f"r{self.pk}"

    @property
    def languages(self) -> list[str]:
        return _json_list(self.languages_text)


def _json_list(text: str | None) -> list[str]:
    """A JSON list column read as text (``_as_text``): decoded only for the rows the engine builds."""
    found = json.loads(text) if text else None
    return found if isinstance(found, list) else []


def _as_text(column: str) -> Cast:
    """A JSON column as its text: a page reads a thousand rows and the engine builds a few dozen of them."""
    return Cast(column, output_field=TextField())


def request_rows(requests: QuerySet[CareRequest], *, shown: bool = False) -> list[RequestRow]:
    """The requests of a query as :class:`RequestRow` (one query).

    ``shown``: at the position helpers are shown (``CareRequest.shown_lat/shown_lon``) instead of the
    house, for everything a helper sees before accepting (``apps/care/position.py``)."""
    where = ("shown_lat", "shown_lon") if shown else ("lat", "lon")
    rows = requests.annotate(languages_text=_as_text("languages")).values_list(
        "pk", "person_id", *where, "category__code", "duration_minutes", "languages_text", "urgency",
        "requires_vetted",
    )  # fmt: skip
    return [RequestRow(*row) for row in rows]


def request_windows(
    requests: Iterable[CareRequest | RequestRow], horizon: Horizon
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each request's windows inside the horizon, as naive local times (one query)."""
    return {
        pk: [(naive_local(max(start, horizon.start)), naive_local(min(end, horizon.end))) for start, end in windows]
        for pk, windows in _windows_in_horizon(requests, horizon).items()
    }


def _windows_in_horizon(
    requests: Iterable[CareRequest | RequestRow], horizon: Horizon, *, still_asked_only: bool = False
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Each request's windows that overlap the horizon, as stored (aware; one query).

    ``still_asked_only``: none for a request that is no longer asked for (``still_asked``), so that the
    engine leaves it out."""
    ids = [r.pk for r in requests]
    found: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = RequestWindow.objects.filter(request_id__in=ids, end__gt=horizon.start, start__lt=horizon.end)
    if still_asked_only:
        rows = rows.filter(Exists(still_asked(CareRequest.objects.filter(pk=OuterRef("request_id")))))
    for request_id, start, end in rows.order_by("start").values_list("request_id", "start", "end"):
        found[request_id].append((start, end))
    return found


def history_preferences(
    person_ids: Iterable[int], helper_ids: Collection[int] | None = None
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Continuity from past matches of the same residents: (preferred, excluded) helper ids per person.

    A helper is preferred when a past visit ended with both sides wanting to meet again; excluded when
    the resident said they would rather not.  ``helper_ids`` limits the history to those helpers (a
    problem holding only them needs no more, and one helper's history is an index lookup).
    """
    preferred: dict[int, set[int]] = defaultdict(set)
    excluded: dict[int, set[int]] = defaultdict(set)
    # the status is checked here, not in SQL: with it in the query SQLite reads every done match of the
    # city through the status index instead of the few of these persons through theirs
    persons = set(person_ids)
    if helper_ids is None:
        rows = Match.objects.filter(request__person_id__in=list(persons))
    else:  # the helpers' own history, a short list whatever the number of persons
        rows = Match.objects.filter(helper_id__in=list(helper_ids))
    rows = rows.order_by().values_list(
        "request__person_id", "helper_id", "helper_continues", "resident_continues", "status"
    )
    for person_id, helper_id, helper_continues, resident_continues, status in rows:
        if status != Match.Status.DONE or person_id not in persons:
            continue
        if resident_continues is False:
            excluded[person_id].add(helper_id)
        elif helper_continues and resident_continues:
            preferred[person_id].add(helper_id)
    return preferred, excluded


def declined_pairs(request_ids: Iterable[int], helper_ids: Collection[int] | None = None) -> dict[int, set[int]]:
    """Helpers who declined a request, or called off a visit they held, are not proposed for it again.

    A proposal closed because another helper was faster, or a visit the resident or coordinator called
    off, says nothing against the helper: they stay eligible.
    """
    pairs: dict[int, set[int]] = defaultdict(set)
    wanted = set(request_ids)
    # the status is checked below, as above; given helpers, their own matches are the shorter list
    if helper_ids is None:
        rows = Match.objects.filter(request_id__in=list(wanted))
    else:
        rows = Match.objects.filter(helper_id__in=list(helper_ids))
    withdrew = MatchEvent.objects.filter(
        match_id=OuterRef("pk"), to_status=Match.Status.CANCELLED, actor_id=OuterRef("helper__person_id")
    )
    rows = rows.alias(helper_withdrew=Exists(withdrew)).filter(
        Q(status=Match.Status.DECLINED) | Q(status=Match.Status.CANCELLED, helper_withdrew=True)
    )
    for request_id, helper_id in rows.order_by().values_list("request_id", "helper_id"):
        if request_id in wanted:
            pairs[request_id].add(helper_id)
    return pairs


@dataclass(frozen=True)
class RequestFacts:
    """What the engine needs about some requests beyond their own columns, read in a fixed number of
    queries (``request_facts``); turning one request into the engine's form (``engine_request``) then
    costs no query, so a caller may build only the requests it needs (a helper's "near me" page)."""

    horizon: Horizon
    windows: dict[int, list[tuple[datetime, datetime]]]
    preferred: dict[int, set[int]]
    excluded: dict[int, set[int]]
    declined: dict[int, set[int]]
    chosen: dict[int, set[int]]
    refused: dict[int, set[int]]

    def engine_request(self, request: CareRequest | RequestRow) -> Request | None:
        """The engine's view of one request; None when it has no window in the horizon."""
        stored = self.windows.get(request.pk)
        if not stored:
            return None
        lower, upper = self.horizon.start, self.horizon.end
        out = self.refused[request.pk] | self.excluded[request.person_id] | self.declined[request.pk]
        prefer = (self.chosen[request.pk] | self.preferred[request.person_id]) - out
        return Request(
            id=request.engine_id,
            lat=request.lat,
            lon=request.lon,
            category=request.category_code if isinstance(request, RequestRow) else request.category.code,
            duration_minutes=request.duration_minutes,
            windows=tuple((naive_local(max(start, lower)), naive_local(min(end, upper))) for start, end in stored),
            languages=tuple(request.languages),
            priority=request.urgency,
            requires_vetted=request.requires_vetted,
            preferred_helpers=tuple(sorted(f"h{pk}" for pk in prefer)),
            excluded_helpers=tuple(sorted(f"h{pk}" for pk in out)),
        )

    def with_windows_of(
        self, requests: Iterable[CareRequest | RequestRow], *, still_asked_only: bool = False
    ) -> RequestFacts:
        """The same facts with the windows of these requests read as well (one query); with
        ``still_asked_only``, none for a request no longer asked for (``still_asked``)."""
        found = _windows_in_horizon(requests, self.horizon, still_asked_only=still_asked_only)
        return replace(self, windows={**self.windows, **found})


def request_facts(
    requests: Sequence[CareRequest | RequestRow],
    horizon: Horizon,
    *,
    helper_ids: Collection[int] | None = None,
    windows: bool = True,
) -> RequestFacts:
    """Windows, continuity, declines, preferred and excluded helpers of these requests (five queries).

    ``helper_ids``: the problem will hold only these helpers (a helper's "near me" page), so the
    preferred and excluded helpers are read for them alone; the engine's answer is the same.
    ``windows=False``: all but the windows (four queries), for a caller that reads them for the few
    requests it turns out to need (``RequestFacts.with_windows_of``).
    """
    preferred, excluded = history_preferences({r.person_id for r in requests}, helper_ids)
    chosen: dict[int, set[int]] = defaultdict(set)
    refused: dict[int, set[int]] = defaultdict(set)
    ids = {r.pk for r in requests}
    only = {"carerequest_id__in": list(ids)} if helper_ids is None else {"helperoffer_id__in": list(helper_ids)}
    for through, found in (
        (CareRequest.preferred_helpers.through, chosen),
        (CareRequest.excluded_helpers.through, refused),
    ):
        for request_id, offer_id in through.objects.filter(**only).values_list("carerequest_id", "helperoffer_id"):
            if request_id in ids:
                found[request_id].add(offer_id)
    return RequestFacts(
        horizon=horizon,
        windows=_windows_in_horizon(requests, horizon) if windows else {},
        preferred=preferred,
        excluded=excluded,
        declined=declined_pairs(ids, helper_ids),
        chosen=chosen,
        refused=refused,
    )


def engine_requests(
    requests: Sequence[CareRequest | RequestRow], horizon: Horizon, *, helper_ids: Collection[int] | None = None
) -> list[Request]:
    """The engine's view of requests (those without a window in the horizon are left out)."""
    facts = request_facts(requests, horizon, helper_ids=helper_ids)
    return [found for found in map(facts.engine_request, requests) if found is not None]


# ----------------------------------------------------------------------------------------------------------
# helpers


def available_offers() -> QuerySet[HelperOffer]:
    """Offers that may be matched: active, located, and listed with the person's consent."""
    listed = Consent.objects.filter(
        person_id=OuterRef("person_id"), purpose=Purpose.LISTED_AS_HELPER, withdrawn_at__isnull=True
    )
    return (
        HelperOffer.objects.filter(active=True, person__erased_at__isnull=True, person__lat__isnull=False)
        .filter(Exists(listed))
        .select_related("person")
    )


KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
"""Length of a degree of latitude on the engine's sphere; no two points closer in latitude are farther apart."""


def offers_near(request: CareRequest, horizon: Horizon) -> QuerySet[HelperOffer]:
    """Available offers that might serve this request, so that its problem holds the few dozen helpers who
    could fit instead of the whole city.

    A superset, never a decision: every condition is one the engine's rules imply, made looser where the
    database cannot say it exactly, so no helper the engine would find eligible is left out.

    * category: the helper helps with the request's category;
    * distance: the helper lives within their own travel distance of the request, as a box: on the
      engine's sphere two points ``d`` km apart differ by at most ``d / KM_PER_DEGREE`` degrees of
      latitude, and by at most ``d / (KM_PER_DEGREE · cos φ)`` of longitude where φ bounds both
      latitudes (the request's plus one degree, farther than anyone travels); 0.001° more for rounding;
    * time: a weekly slot of the helper overlaps one of the request's windows in the horizon, on the
      same weekday (times away and the minimum duration are left to the engine);
    * vetting: when the request needs it, a vetting valid today (as ``vetted_offers``).

    Languages are left to the engine: few helpers fail on them alone, and a test on a list's text is
    one PostgreSQL cannot estimate: it took the offers that pass for a few dozen and checked each of
    thousands by index lookups, twice as slowly as by hash joins.
    """
    windows = request_windows([request], horizon).get(request.pk, [])
    if not windows:
        return available_offers().none()
    cos_bound = math.cos(math.radians(min(89.0, abs(request.lat) + 1)))
    reach = Cast("max_distance_km", FloatField())
    lat_margin = ExpressionWrapper(reach / KM_PER_DEGREE + 0.001, output_field=FloatField())
    lon_margin = ExpressionWrapper(reach / (KM_PER_DEGREE * cos_bound) + 0.001, output_field=FloatField())
    helps = HelperOffer.categories.through.objects.filter(
        helperoffer_id=OuterRef("pk"), carecategory_id=request.category_id
    )
    free = Q()
    for start, end in windows:
        day = start.date()
        while datetime.combine(day, time.min) < end:
            begin = max(start, datetime.combine(day, time.min))
            finish = min(end, datetime.combine(day + timedelta(days=1), time.min))
            until = time.max if finish.date() > day else finish.time()
            free |= Q(weekday=day.weekday(), start__lt=until, end__gt=begin.time())
            day += timedelta(days=1)
    slots = WeeklyAvailability.objects.filter(free, offer_id=OuterRef("pk"))
    offers = available_offers().filter(
        Exists(helps),
        Exists(slots),
        person__lat__gte=Value(request.lat) - lat_margin,
        person__lat__lte=Value(request.lat) + lat_margin,
        person__lon__gte=Value(request.lon) - lon_margin,
        person__lon__lte=Value(request.lon) + lon_margin,
    )
    if request.requires_vetted:
        today = timezone.localdate()
        valid = Vetting.objects.filter(offer_id=OuterRef("pk"), checked_on__lte=today, expires_on__gte=today)
        offers = offers.filter(Exists(valid))
    return offers


@dataclass(frozen=True, slots=True)
class OfferRow:
    """What the engine needs of an offer and its person, read with ``values_list`` (``offer_rows``): a
    few hundred candidates for one request cost a fraction of as many pairs of model instances."""

    pk: int
    lat: float
    lon: float
    offer_languages_text: str | None
    person_languages_text: str | None
    max_distance_km: float
    requests_per_week: int

    @property
    def engine_id(self) -> str:
        return f"h{self.pk}"

    @property
    def languages(self) -> tuple[str, ...]:
        """The offer's languages, or the person's when the offer names none (as ``engine_helpers``)."""
        return tuple(_json_list(self.offer_languages_text) or _json_list(self.person_languages_text))


def offer_rows(offers: QuerySet[HelperOffer]) -> list[OfferRow]:
    """The offers of a query as :class:`OfferRow` (one query)."""
    rows = offers.annotate(
        offer_languages_text=_as_text("languages"), person_languages_text=_as_text("person__languages")
    ).values_list(
        "pk", "person__lat", "person__lon", "offer_languages_text", "person_languages_text", "max_distance_km",
        "requests_per_week",
    )  # fmt: skip
    return [
        OfferRow(pk, float(lat), float(lon), offer_text, person_text, float(reach), per_week)
        for pk, lat, lon, offer_text, person_text, reach, per_week in rows
    ]


@dataclass(frozen=True)
class HelperFacts:
    """What the engine needs about some offers beyond their own columns, read in a fixed number of
    queries (``helper_facts``); turning one offer into the engine's form (``engine_helper``) then costs
    no query, so a caller may build only the helpers it needs (one request's suggestions)."""

    horizon: Horizon
    slots: dict[int, list[tuple[int, time, time]]]
    away: dict[int, list[tuple[date, date]]]
    load: dict[int, int]
    vetted: set[int]
    categories: dict[int, list[str]]
    taken: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    """The helper's planned visits in the horizon (naive local): time no longer free (``domain.matching.taken``)."""

    def windows(self, offer_id: int) -> list[tuple[datetime, datetime]]:
        """Weekly availability laid out over the horizon's days, minus the days away and minus the visits the
        helper has already planned (``free_windows``, the rule ``services.match_plan`` applies too; naive local)."""
        lower, upper = naive_local(self.horizon.start), naive_local(self.horizon.end)
        holidays = self.away.get(offer_id, ())
        found = []
        for weekday, start, end in self.slots.get(offer_id, ()):
            for day in _days_of_weekday(lower.date(), upper.date())[weekday]:
                if holidays and any(first <= day <= last for first, last in holidays):
                    continue
                begin, finish = max(datetime.combine(day, start), lower), min(datetime.combine(day, end), upper)
                if finish > begin:
                    found.append((begin, finish))
        taken = self.taken.get(offer_id)
        return list(free_windows(found, taken)) if taken else sorted(found)

    def merged(self, other: HelperFacts) -> HelperFacts:
        """The facts of both sets of offers (read for different offers, at the same horizon)."""
        return HelperFacts(
            self.horizon,
            {**self.slots, **other.slots},
            {**self.away, **other.away},
            {**self.load, **other.load},
            self.vetted | other.vetted,
            {**self.categories, **other.categories},
            {**self.taken, **other.taken},
        )

    def engine_helper(self, offer: HelperOffer | OfferRow) -> Helper:
        """The engine's view of one offer."""
        if isinstance(offer, OfferRow):
            lat, lon, languages = offer.lat, offer.lon, offer.languages
        else:
            lat, lon = float(offer.person.lat), float(offer.person.lon)  # type: ignore[arg-type]
            languages = tuple(offer.languages or offer.person.languages or ())
        return Helper(
            id=offer.engine_id,
            lat=lat,
            lon=lon,
            categories=tuple(sorted(self.categories.get(offer.pk, ()))),
            windows=tuple(self.windows(offer.pk)),
            languages=languages,
            max_distance_km=float(offer.max_distance_km),
            capacity=max(0, offer.requests_per_week - self.load.get(offer.pk, 0)),
            vetted=offer.pk in self.vetted,
        )


@cache
def _days_of_weekday(first_day: date, last_day: date) -> dict[int, list[date]]:
    found: dict[int, list[date]] = {weekday: [] for weekday in range(7)}
    for n in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=n)
        found[day.weekday()].append(day)
    return found


def helper_facts(offer_ids: Collection[int], horizon: Horizon) -> HelperFacts:
    """Weekly slots, days away, current load, valid vettings and categories of these offers (five queries)."""
    ids = list(offer_ids)
    slots: dict[int, list[tuple[int, time, time]]] = defaultdict(list)
    rows = WeeklyAvailability.objects.filter(offer_id__in=ids).order_by()
    for offer_id, weekday, start, end in rows.values_list("offer_id", "weekday", "start", "end"):
        slots[offer_id].append((weekday, start, end))
    away: dict[int, list[tuple[date, date]]] = defaultdict(list)
    first_day, last_day = naive_local(horizon.start).date(), naive_local(horizon.end).date()
    for offer_id, first, last in AvailabilityException.objects.filter(
        offer_id__in=ids, last_day__gte=first_day, first_day__lte=last_day
    ).values_list("offer_id", "first_day", "last_day"):
        away[offer_id].append((first, last))
    categories: dict[int, list[str]] = defaultdict(list)
    through = HelperOffer.categories.through.objects.filter(helperoffer_id__in=ids, carecategory__professional=False)
    for offer_id, code in through.values_list("helperoffer_id", "carecategory__code"):
        categories[offer_id].append(code)
    load, taken = helper_load_and_visits(ids, horizon)
    return HelperFacts(horizon, slots, away, load, vetted_offers(ids, timezone.localdate()), categories, taken)


def helper_windows(offers: list[HelperOffer], horizon: Horizon) -> dict[int, list[tuple[datetime, datetime]]]:
    """Weekly availability laid out over the horizon's days, minus the days away."""
    facts = helper_facts([o.pk for o in offers], horizon)
    return {offer_id: facts.windows(offer_id) for offer_id in facts.slots}


def helper_load(offer_ids: list[int]) -> dict[int, int]:
    """Requests a helper already carries: accepted or planned, and proposals waiting for an answer."""
    rows = (
        Match.objects.filter(helper_id__in=offer_ids, status__in=[Match.Status.PROPOSED, *Match.HOLDING])
        .values("helper_id")
        .annotate(n=Count("pk"))
    )
    return {row["helper_id"]: row["n"] for row in rows}


def helper_load_and_visits(
    offer_ids: list[int], horizon: Horizon
) -> tuple[dict[int, int], dict[int, list[tuple[datetime, datetime]]]]:
    """``helper_load``, and the visits each helper has planned in the horizon (naive local), in one query: the
    rows are the few matches a helper carries (at most their capacity held, and the proposals waiting)."""
    load: dict[int, int] = defaultdict(int)
    taken: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = Match.objects.filter(helper_id__in=offer_ids, status__in=[Match.Status.PROPOSED, *Match.HOLDING])
    for helper_id, status, start, end in rows.order_by().values_list("helper_id", "status", "planned_start",
                                                                      "planned_end"):  # fmt: skip
        load[helper_id] += 1
        if status == Match.Status.PLANNED and start and end and end > horizon.start and start < horizon.end:
            taken[helper_id].append((naive_local(start), naive_local(end)))
    return dict(load), dict(taken)


def planned_visits(offer_id: int, *, exclude_match: int | None = None) -> list[tuple[datetime, datetime]]:
    """The visits this helper has planned that have not ended yet, as stored (aware): the time they gave away."""
    rows = Match.objects.filter(helper_id=offer_id, status=Match.Status.PLANNED, planned_end__gt=timezone.now())
    if exclude_match is not None:
        rows = rows.exclude(pk=exclude_match)
    return [(s, e) for s, e in rows.order_by("planned_start").values_list("planned_start", "planned_end") if s and e]


def vetted_offers(offer_ids: list[int], on: date) -> set[int]:
    return set(
        Vetting.objects.filter(offer_id__in=offer_ids, checked_on__lte=on, expires_on__gte=on).values_list(
            "offer_id", flat=True
        )
    )


def engine_helpers(offers: Sequence[HelperOffer | OfferRow], horizon: Horizon) -> list[Helper]:
    """The engine's view of these offers (five queries)."""
    facts = helper_facts([o.pk for o in offers], horizon)
    return [facts.engine_helper(offer) for offer in offers]


# ----------------------------------------------------------------------------------------------------------


def build_problem(
    *,
    district_id: int | None = None,
    horizon: Horizon | None = None,
    requests: list[CareRequest] | None = None,
    offers: Iterable[HelperOffer] | None = None,
) -> Problem:
    """The engine's problem: open requests (of a district, or given) and every available helper.

    Helpers come from the whole city even for a district round: a neighbour just across the district
    border may be the nearest one.  ``offers`` gives the helpers instead (``offers_near(requests)``
    for one request's suggestions, or one named helper to explain).
    """
    horizon = horizon or Horizon.from_now()
    if requests is None:
        requests = list(open_requests(district_id).select_related("category").order_by("pk"))
    chosen = list(available_offers().order_by("pk") if offers is None else offers)
    return make_problem(engine_requests(requests, horizon), engine_helpers(chosen, horizon))


def offer_pk(engine_id: str) -> int:
    return int(engine_id[1:])


def request_pk(engine_id: str) -> int:
    return int(engine_id[1:])


__all__ = [
    "HORIZON_DAYS",
    "HelperFacts",
    "Horizon",
    "OfferRow",
    "RequestFacts",
    "RequestRow",
    "available_offers",
    "build_problem",
    "helper_facts",
    "naive_local",
    "offer_pk",
    "offer_rows",
    "offers_near",
    "open_requests",
    "request_facts",
    "request_pk",
    "request_rows",
    "still_asked",
]
