"""Reads of care matching.  Missing and forbidden both raise Http404; reads of care data are logged.

A request's category and description are special-category data: every read of a whole request by
someone other than the person who asked writes one access-log entry (``care.CareRequest``), and so
does every refused attempt on an existing request.  Lists show only what the reader may see, filtered
in the query (never one rule check per row).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import CharField, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.http import Http404, HttpRequest
from django.utils import timezone

from apps.access.actors import Actor
from apps.access.rules import can
from apps.access.services import log_request_access
from apps.core.inputs import MAX_INTEGER
from apps.people.models import Consent, Person, Purpose, Role
from apps.places.models import District
from domain.matching import Explanation, Fit, Suggestion, explain, fitting_requests, make_problem, suggest
from domain.matching.compiled import haversine_km
from domain.matching.model import PREFERRED_BONUS, PRIORITY_WEIGHT, Helper, Request

from .models import (
    CareCategory,
    CareRequest,
    HelperOffer,
    Match,
    MatchEvent,
    MatchingRound,
    Message,
    Referral,
    RequestWindow,
    RoundProposal,
    Urgency,
    Vetting,
)
from .problem import (
    KM_PER_DEGREE,
    Horizon,
    OfferRow,
    RequestFacts,
    RequestRow,
    available_offers,
    aware_local,
    engine_helpers,
    engine_requests,
    helper_facts,
    offer_pk,
    offer_rows,
    offers_near,
    request_facts,
    request_pk,
    request_rows,
    still_asked,
)

if TYPE_CHECKING:
    from .models import AvailabilityException

RECORD = "care.CareRequest"


def _log(http: HttpRequest | None, request: CareRequest, action: str, purpose: str, allowed: bool) -> None:
    if http is not None:
        log_request_access(
            http,
            subject_person_id=request.person_id,
            record_type=RECORD,
            record_id=request.pk,
            action=action,
            purpose=purpose,
            allowed=allowed,
        )


def log_attempt(http: HttpRequest, request: CareRequest, rule: str, *, allowed: bool, action: str = "read") -> None:
    """One entry for an attempt on a request that a service then refused (the page's and the API's alike)."""
    _log(http, request, action, rule, allowed)


def _request_query() -> QuerySet[CareRequest]:
    # a district's polygon (kilobytes of GeoJSON) is never needed next to a request: leave it in the table
    return (
        CareRequest.objects.select_related("person", "category", "district")
        .defer("district__geometry")
        .filter(person__erased_at__isnull=True)
    )


def request_for(
    actor: Actor, pk: int, http: HttpRequest | None, *, rule: str = "care.view_request", action: str = "read",
    log_allowed: bool = True,
) -> CareRequest:  # fmt: skip
    """A whole request (who, where, what), if the rule allows; logged for anyone but the person.

    ``log_allowed=False`` logs only a refusal: for a caller that logs what it then shows itself (or the
    refusal that follows), so that one attempt is one entry."""
    request = _request_query().filter(pk=pk).first()
    if request is None:
        raise Http404
    allowed = can(actor, rule, request)
    if not allowed or (log_allowed and actor.person_id != request.person_id):
        _log(http, request, action, rule, allowed)
    if not allowed:
        raise Http404
    return request


class SummaryWindows(tuple):  # type: ignore[type-arg]
    """The windows of a summary as (start, end) pairs; ``.all()`` as on a related manager, for templates."""

    def all(self) -> SummaryWindows:
        return self


@dataclass(frozen=True)
class SummaryWindow:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class RequestSummary:
    """An open request as a helper sees it before accepting: what, in which district, when, how long,
    in which languages — never who, the exact address or the description (those are not even here, so
    no page can show them by mistake).  Attribute names mirror :class:`CareRequest`."""

    pk: int
    category: CareCategory
    district: District
    duration_minutes: int
    recurrence: str
    repeat_until: date | None
    languages: list[str]
    urgency: int
    requires_vetted: bool
    status: str
    created_at: datetime
    windows: SummaryWindows

    @property
    def id(self) -> int:
        return self.pk

    @property
    def engine_id(self) -> str:
        return f"r{self.pk}"

    def get_urgency_display(self) -> str:
        return str(Urgency(self.urgency).label)

    def get_recurrence_display(self) -> str:
        return str(CareRequest.Recurrence(self.recurrence).label)

    def get_status_display(self) -> str:
        return str(CareRequest.Status(self.status).label)

    @classmethod
    def of(cls, request: CareRequest, windows: list[tuple[datetime, datetime]] | None = None) -> RequestSummary:
        """``windows``: those already read (a "near me" page has the ones in the horizon), else all of them."""
        pairs = [(w.start, w.end) for w in request.windows.all()] if windows is None else windows
        return cls(
            pk=request.pk, category=request.category, district=request.district,
            duration_minutes=request.duration_minutes, recurrence=request.recurrence,
            repeat_until=request.repeat_until, languages=list(request.languages), urgency=request.urgency,
            requires_vetted=request.requires_vetted, status=request.status, created_at=request.created_at,
            windows=SummaryWindows(SummaryWindow(start, end) for start, end in pairs),
        )  # fmt: skip


SUMMARY_COLUMNS = (
    "person_id", "category", "district", "duration_minutes", "recurrence", "repeat_until", "languages", "urgency",
    "requires_vetted", "status", "created_at", "shown_lat", "shown_lon",
)  # fmt: skip
"""What a summary is made of, and what the rules need to decide who may see it: never the description,
the street, the house number or the house's position (they are not even read; only the shown one,
``apps/care/position.py``)."""


def _summary_query() -> QuerySet[CareRequest]:
    return (
        _request_query()
        .select_related(None)
        .select_related("category", "district")
        .only(*SUMMARY_COLUMNS, "district__number", "district__name")
    )


def request_summary_for(actor: Actor, pk: int) -> RequestSummary:
    """An open request as a helper sees it before accepting (no name, address or description)."""
    request = _summary_query().filter(pk=pk).prefetch_related("windows").first()
    if request is None or not can(actor, "care.view_request_summary", request):
        raise Http404
    return RequestSummary.of(request)


def my_requests(actor: Actor) -> QuerySet[CareRequest]:
    """The person's own requests, newest first, with the helper who holds or held each."""
    return (
        CareRequest.objects.filter(person_id=actor.person_id)
        .select_related("category", "district")
        .prefetch_related("windows", "matches__helper__person")
        .order_by("-created_at")
    )


def requests_in_scope(actor: Actor) -> QuerySet[CareRequest]:
    """Requests a coordinator may handle: their districts or the persons their organisation follows,
    while the person's consent for care matching holds."""
    consent = Consent.objects.filter(
        person_id=OuterRef("person_id"), purpose=Purpose.CARE_MATCHING, withdrawn_at__isnull=True
    )
    # both sides of the "or" on the request's own columns and as lists of values, so that PostgreSQL
    # reads each through its index with the status and joins the two (with a subquery for the persons
    # it scans every request of that status instead); one query for the persons an organisation follows
    followed = _followed_persons(actor)
    scope = Q(district_id__in=actor.district_scope(Role.COORDINATOR)) | Q(person_id__in=followed)
    return _request_query().filter(scope).filter(Exists(consent))


def _followed_persons(actor: Actor) -> list[int]:
    """The persons the organisations a coordinator coordinates for follow (none without such a grant)."""
    organisations = actor.organisation_scope(Role.COORDINATOR)
    if not organisations:
        return []
    return list(Person.objects.filter(organisation_id__in=organisations).order_by().values_list("pk", flat=True))


def _matches_in_scope(actor: Actor) -> QuerySet[Match]:
    """Matches of the requests a coordinator may handle (as ``requests_in_scope``), filtered from the match
    side: the few proposed or planned matches are found by their status, never by first listing every
    request in scope, which grows with years of history."""
    consent = Consent.objects.filter(
        person_id=OuterRef("request__person_id"), purpose=Purpose.CARE_MATCHING, withdrawn_at__isnull=True
    )
    scope = Q(request__district_id__in=actor.district_scope(Role.COORDINATOR)) | Q(
        request__person__organisation_id__in=actor.organisation_scope(Role.COORDINATOR)
    )
    return (
        Match.objects.filter(scope, request__person__erased_at__isnull=True)
        .filter(Exists(consent))
        .defer("request__district__geometry")
    )


NOT_CLOSED = [CareRequest.Status.OPEN, CareRequest.Status.MATCHED, CareRequest.Status.REFERRED]
"""Every status but done and cancelled, listed so that the status index serves follow-ups."""


# ----------------------------------------------------------------------------------------------------------
# the coordinator's worklist


@dataclass(frozen=True)
class Worklist:
    to_check: list[Match]
    new: list[CareRequest]
    waiting: list[Match]
    without_helper: list[CareRequest]
    follow_ups: list[CareRequest]
    overdue_visits: list[Match]
    referrals: list[CareRequest]
    cancelling: list[Match]

    def rows(self, section: str) -> list[Any]:
        """The rows of a section, by its key on the pages (a key of ``worklist_sections``)."""
        return list(getattr(self, SECTION_FIELDS.get(section, section)))


SECTION_FIELDS = {"overdue": "overdue_visits"}
"""The sections whose field of ``Worklist`` (and of the API's answer) is not named like the section."""

WORKLIST_LIMIT = 25
"""Rows per section; the sections link to the full lists (``worklist_sections``, a page each): the
worklist is what to do first, read on a phone as well, not every row of a busy district."""

MATCH_SECTIONS = frozenset({"to_check", "waiting", "overdue", "cancelling"})
"""The worklist's sections whose rows are matches; the others list requests."""


def worklist_sections(actor: Actor, *, now: datetime | None = None) -> dict[str, QuerySet[Any]]:
    """Every row of each worklist section, in the order the worklist shows them (unbounded).

    The keys are the sections' keys on the pages: requests for ``new``, ``without_helper``, ``follow_ups``
    and ``referrals``, matches for ``MATCH_SECTIONS``.  Each order ends with the primary key, so that the
    pages of a section neither repeat nor skip a row that ties with another.  Two small lists are read
    to build them (the persons the coordinator's organisations follow, the requests waiting for a
    referral); the querysets themselves are not run here.  Rows come without the request's category and
    district: ``with_names`` adds them.
    """
    now = now or timezone.now()
    # only the columns the rows show, and without the request's category and district (``with_names``
    # adds them): with them joined too, PostgreSQL spends more time planning a match query (eight tables)
    # than running it, and Python more time making the objects than reading them
    scope = requests_in_scope(actor).select_related(None).select_related("person").only(*WORKLIST_COLUMNS)
    matches = (
        _matches_in_scope(actor)
        .select_related("request__person", "helper__person")
        .only(*MATCH_COLUMNS, *(f"request__{c}" for c in WORKLIST_COLUMNS), *HELPER_COLUMNS)
    )
    open_scope = scope.filter(status=CareRequest.Status.OPEN)
    # the few requests waiting for a referral, by number: joined instead, PostgreSQL walks every request
    to_refer = list(Referral.objects.filter(status=Referral.Status.TO_REFER).values_list("request_id", flat=True))
    new = open_scope.exclude(pk__in=Match.objects.filter(status=Match.Status.PROPOSED).values("request_id"))
    # the helpers who cancel often after seeing details (a subquery): their cancelled visits here
    since = now - timedelta(days=settings.CARE_CANCEL_FLAG_DAYS)
    cancelled_by_helper = MatchEvent.objects.filter(
        match_id=OuterRef("pk"), to_status=Match.Status.CANCELLED, from_status__in=Match.HOLDING, at__gte=since,
        actor_id=OuterRef("helper__person_id"),
    )  # fmt: skip
    cancelling = matches.filter(
        helper_id__in=helpers_cancelling(now=now),
        status=Match.Status.CANCELLED,
        awaiting_check=False,
    ).filter(Exists(cancelled_by_helper))
    return {
        "to_check": matches.filter(status__in=Match.HOLDING, awaiting_check=True).order_by("created_at", "pk"),
        "new": new.exclude(eligible_helpers=0).order_by("-urgency", "created_at", "pk"),
        "waiting": matches.filter(status=Match.Status.PROPOSED).order_by("created_at", "pk"),
        "without_helper": open_scope.filter(eligible_helpers=0).order_by("-urgency", "created_at", "pk"),
        "follow_ups": scope.filter(follow_up_on__lte=timezone.localdate(now), status__in=NOT_CLOSED).order_by(
            "follow_up_on", "pk"
        ),
        "overdue": matches.filter(status=Match.Status.PLANNED, planned_end__lt=now - timedelta(days=1)).order_by(
            "planned_end", "pk"
        ),
        "referrals": scope.filter(status=CareRequest.Status.REFERRED, pk__in=to_refer).order_by("created_at", "pk"),
        "cancelling": cancelling.order_by("helper_id", "-created_at", "pk"),
    }


WORKLIST_COLUMNS = (
    "person_id", "category_id", "district_id", "urgency", "status", "created_at", "follow_up_on",
    "eligible_helpers", "person__first_name", "person__last_name", "person__phone",
)  # fmt: skip
"""What a worklist row shows of a request (the page and the API), and what the access log needs."""
MATCH_COLUMNS = ("request_id", "helper_id", "status", "created_at", "planned_start", "planned_end")
HELPER_COLUMNS = ("helper__person_id", "helper__person__first_name", "helper__person__last_name")


def with_names(rows: list[Any]) -> list[Any]:
    """Worklist rows (requests or matches) with each request's category and district, from two small tables
    read whole: two queries, whatever the number of rows, and none of them more to plan."""
    categories = CareCategory.objects.in_bulk()
    districts = District.objects.defer("geometry").in_bulk()
    for row in rows:
        request = row.request if isinstance(row, Match) else row
        request.category = categories[request.category_id]
        request.district = districts[request.district_id]
    return rows


def worklist(actor: Actor, *, now: datetime | None = None) -> Worklist:
    """What a coordinator should act on today, in a fixed number of queries whatever the city's size."""
    rows = {key: list(found[:WORKLIST_LIMIT]) for key, found in worklist_sections(actor, now=now).items()}
    with_names([row for found in rows.values() for row in found])
    return Worklist(**{SECTION_FIELDS.get(key, key): found for key, found in rows.items()})


def worklist_counts(actor: Actor, *, now: datetime | None = None) -> dict[str, int]:
    """How many rows each worklist section has (``worklist_sections``'s keys), for the coordinator's home page.

    The sections' own queries, counted in one statement (``UNION ALL``), besides the small lists
    ``worklist_sections`` reads to build them.  Numbers only: no person, request or helper is read, so
    nothing is logged; the rows, with names, stay on the worklist's pages, which log what they show.
    """
    sections = worklist_sections(actor, now=now)
    counted = [
        rows.order_by()
        .annotate(section=Value(key, output_field=CharField()))
        .values("section")
        .annotate(n=Count("pk"))
        .values_list("section", "n")
        for key, rows in sections.items()
    ]
    first, *rest = counted
    found = dict(first.union(*rest, all=True))  # a section that cannot match (no helper flagged) is left out
    return {key: found.get(key, 0) for key in sections}


@dataclass(frozen=True)
class NotCalled:
    """Someone the call list would have called but leaves out, and why: they did not agree to be called
    (``reason == "no_consent"``, the consent "Being contacted by phone") or there is no number to call
    (``"no_phone"``).  ``section`` is the key of the list they were left out of; ``match`` is set for a visit
    or a proposal (the coordinator's page of it), else the request's page is theirs."""

    person: Person
    reason: str
    section: str
    request: CareRequest
    match: Match | None = None


@dataclass(frozen=True)
class CallList:
    """The calls of a day: only people who agreed to be called and have a number; the others are in
    ``not_called`` with the reason, never silently dropped."""

    visits: list[Match]
    follow_ups: list[CareRequest]
    waiting: list[Match]
    without_helper: list[CareRequest]
    not_called: list[NotCalled]
    helpers_by_phone: frozenset[int]
    """The helpers (person ids) of today's visits who may be called: the others' numbers are not shown."""

    def left_out(self, section: str) -> int:
        return sum(1 for row in self.not_called if row.section == section)

    @property
    def shown_requests(self) -> list[CareRequest]:
        """Every request the page names a person beside (the rows and those left out): what is logged as read."""
        rows = [m.request for m in self.visits] + self.follow_ups + [m.request for m in self.waiting]
        return rows + self.without_helper + [row.request for row in self.not_called]


def may_be_called(person_ids: set[int]) -> set[int]:
    """The persons among these who agreed to be contacted by phone (one query)."""
    if not person_ids:
        return set()
    return set(
        Consent.objects.filter(person_id__in=person_ids, purpose=Purpose.CONTACT_PHONE, withdrawn_at__isnull=True)
        .values_list("person_id", flat=True)
        .distinct()
    )


def call_list(actor: Actor, day: datetime | None = None) -> CallList:
    """The calls of the day for coordinators who work by phone: visits today, follow-ups, the persons for
    whom no helper fits (the worklist says to call them), unanswered asks.  Only people who agreed to be
    called by phone and have a number are called; the others are listed apart with the reason.  Six
    queries, whatever the number of rows."""
    moment = day or timezone.now()
    start = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    scope = requests_in_scope(actor)
    matches = _matches_in_scope(actor).select_related("request__person", "request__category", "helper__person")
    visits = list(
        matches.filter(
            status=Match.Status.PLANNED, planned_start__gte=start, planned_start__lt=start + timedelta(1)
        ).order_by("planned_start")
    )
    follow_ups = list(scope.filter(follow_up_on__lte=start.date(), status__in=NOT_CLOSED).order_by("follow_up_on"))
    waiting = list(
        matches.filter(status=Match.Status.PROPOSED, created_at__lt=moment - timedelta(days=2)).order_by("created_at")
    )
    without_helper = list(
        scope.filter(status=CareRequest.Status.OPEN, eligible_helpers=0).order_by("-urgency", "created_at", "pk")
    )
    sections: list[tuple[str, list[Any], Callable[[Any], Person]]] = [
        ("visits", visits, lambda m: m.request.person),
        ("follow_ups", follow_ups, lambda r: r.person),
        ("without_helper", without_helper, lambda r: r.person),
        ("waiting", waiting, lambda m: m.helper.person),
    ]
    helpers = {m.helper.person_id for m in visits}
    called = {who(row).pk for _key, rows, who in sections for row in rows}
    consenting = may_be_called(called | helpers)
    kept: dict[str, list[Any]] = {}
    not_called: list[NotCalled] = []
    for key, rows, who in sections:
        kept[key] = []
        for row in rows:
            person = who(row)
            reason = "no_consent" if person.pk not in consenting else "" if person.phone else "no_phone"
            if reason:
                match = row if isinstance(row, Match) else None
                not_called.append(NotCalled(person, reason, key, row.request if match else row, match))
            else:
                kept[key].append(row)
    return CallList(
        visits=kept["visits"], follow_ups=kept["follow_ups"], waiting=kept["waiting"],
        without_helper=kept["without_helper"], not_called=not_called,
        helpers_by_phone=frozenset(helpers & consenting),
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------------------
# the engine, through the database


def _horizon() -> Horizon:
    return Horizon.from_now(days=settings.CARE_HORIZON_DAYS)


def suggestions_for(request: CareRequest, top: int | None = 10) -> list[tuple[Suggestion, HelperOffer]]:
    """The engine's ranked eligible helpers for one request, with their offers (a fixed number of queries).

    Only the helpers who might fit are read (``offers_near``, a superset of the eligible ones), and the
    engine ranks the nearest of them first (``_nearest_first``): the same suggestions as with the whole
    city, at a fraction of the cost."""
    if request.category.professional or request.status == CareRequest.Status.REFERRED:
        return []  # professional care is never offered to volunteers, whatever the helpers' categories say
    horizon = _horizon()
    engine_request = request_facts([request], horizon).engine_request(request)
    if engine_request is None:
        return []
    candidates = offer_rows(offers_near(request, horizon))
    found = _nearest_first(engine_request, candidates, horizon, top)
    offers = HelperOffer.objects.select_related("person").in_bulk([offer_pk(s.helper) for s in found])
    return [(s, offers[offer_pk(s.helper)]) for s in found if offer_pk(s.helper) in offers]


NEAREST_FIRST = 40
"""How many helpers ``_nearest_first`` builds at first (besides the preferred ones)."""


def _nearest_first(request: Request, candidates: list[OfferRow], horizon: Horizon, top: int | None) -> list[Suggestion]:
    """``suggest`` over the candidates, building the nearest ones first and stopping once no other can rank.

    For one request the engine's score is ``PRIORITY_WEIGHT · priority − distance (+ PREFERRED_BONUS for
    a preferred helper)``.  Preferred helpers are always built; of the others, a helper farther than
    every one built scores at most ``PRIORITY_WEIGHT · priority − d`` with ``d`` the distance of the
    nearest one not built.  Once the ``top``-th suggestion scores more than that (by a margin far beyond
    rounding), no helper left could enter the list or change its order: it is the list the engine gives
    for all candidates at once.  Otherwise twice as many are built, up to all of them.

    The helpers' facts (slots, days away, load, vetting) are read in at most two goes: for the preferred
    and the first nearest ones, which settle the list as a rule, and for all the others if they do not.
    """
    preferred = set(request.preferred_helpers)
    by_distance = sorted(
        ((haversine_km(request.lat, request.lon, c.lat, c.lon), c) for c in candidates if c.engine_id not in preferred),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    wanted = top if top is not None and top > 0 else 0  # 0: all at once (``suggest`` answers a top <= 0 itself)
    done, step = 0, max(NEAREST_FIRST, 2 * wanted)
    first = by_distance[:step] if wanted else by_distance
    mine = [c for c in candidates if c.engine_id in preferred]
    facts = helper_facts([c.pk for c in mine] + [c.pk for _distance, c in first], horizon)
    read = len(first)
    built = [facts.engine_helper(c) for c in mine]
    while True:
        chunk = by_distance[done : done + step] if wanted else by_distance[done:]
        if done + len(chunk) > read:  # the second go: every candidate not read yet
            facts = facts.merged(helper_facts([c.pk for _distance, c in by_distance[read:]], horizon))
            read = len(by_distance)
        built += [facts.engine_helper(c) for _distance, c in chunk]
        done += len(chunk)
        if not built:
            return []
        found = suggest(make_problem([request], built), request.id, top=top)
        if done >= len(by_distance):
            return found
        best_left = PRIORITY_WEIGHT * request.priority - by_distance[done][0]
        if wanted and len(found) >= wanted and found[wanted - 1].score > best_left + 1e-6:
            return found
        step *= 2


def explanation_for(request: CareRequest, offer: HelperOffer) -> Explanation | None:
    """Why a named helper does or does not fit; None when the request has no time left in the horizon
    or the helper is not available for matching."""
    return _explanation_for_number(request, offer.pk)


def _explanation_for_number(request: CareRequest, pk: int) -> Explanation | None:
    """``explanation_for`` by the helper's number.  A number nobody has (or nobody listed now) goes the same
    way and reads the same tables, which then find nothing: the answer takes as long (``bench/care/naming.py``)."""
    horizon = _horizon()
    chosen = list(available_offers().filter(pk=pk))
    helpers = engine_helpers(chosen, horizon)
    if not chosen:
        helper_facts([pk], horizon)  # the reads ``engine_helpers`` skips for an empty list
    problem = make_problem(engine_requests([request], horizon), helpers)
    helper_id = f"h{pk}"
    if not problem.requests or helper_id not in {h.id for h in problem.helpers}:
        return None
    return explain(problem, request.engine_id, helper_id)


NEAR_ME_LIMIT = 30
NEAR_ME_CANDIDATES = 2000
NEAR_ME_FIRST = 4 * NEAR_ME_LIMIT
"""Candidates whose windows "near me" reads in its first go: the best placed ones."""


@dataclass(frozen=True)
class _Placed:
    """A candidate with the best score the engine could give it for this helper (``_best_placed_first``)."""

    best: float
    rank: int  # the candidate's place in the query's order: the engine's last tie-break
    row: RequestRow


def _best_placed_first(candidates: list[RequestRow], helper: Helper, facts: RequestFacts) -> list[_Placed]:
    """The candidates within the helper's reach, by the best score the engine could give each one.

    For one helper the engine scores a request ``PRIORITY_WEIGHT · urgency − distance``, plus
    ``PREFERRED_BONUS`` when the helper is preferred for it: the distance is known here, the preference
    from the facts (counted for any request that names the helper, excluded or not: a bound may be too
    high, never too low).  Farther than the reach, the engine refuses; those are left out.
    """
    offer = offer_pk(helper.id)
    placed = []
    for rank, row in enumerate(candidates):
        distance = haversine_km(helper.lat, helper.lon, row.lat, row.lon)
        if distance > helper.max_distance_km + 1e-6:
            continue
        maybe_preferred = offer in facts.chosen[row.pk] or offer in facts.preferred[row.person_id]
        best = PRIORITY_WEIGHT * row.urgency - distance + (PREFERRED_BONUS if maybe_preferred else 0.0)
        placed.append(_Placed(best, rank, row))
    placed.sort(key=lambda p: (-p.best, p.rank))
    return placed


def _fits_in_two_goes(placed: list[_Placed], helper: Helper, facts: RequestFacts) -> tuple[list[Fit], RequestFacts]:
    """The engine's first ``NEAR_ME_LIMIT`` fits over all the candidates, reading windows for as few as it can.

    The first go builds the best placed ``NEAR_ME_FIRST``.  When the last fit of a full page then scores
    more than any candidate left could (by a margin far beyond rounding), no other one can enter the page
    or change its order; otherwise the second go builds all the others.  The fits are kept in the engine's
    order over all candidates at once: score, distance, then the candidates' order.
    """
    rank = {p.row.engine_id: p.rank for p in placed}
    first, rest = placed[:NEAR_ME_FIRST], placed[NEAR_ME_FIRST:]
    facts, fits = _fits_of(first, helper, facts)
    settled = not rest or (len(fits) >= NEAR_ME_LIMIT and fits[NEAR_ME_LIMIT - 1].score > rest[0].best + 1e-6)
    if not settled:
        facts, more = _fits_of(rest, helper, facts)
        fits += more
    fits.sort(key=lambda fit: (-fit.score, fit.distance_km, rank[fit.request]))
    return fits[:NEAR_ME_LIMIT], facts


def _fits_of(placed: list[_Placed], helper: Helper, facts: RequestFacts) -> tuple[RequestFacts, list[Fit]]:
    """The engine's fits among these candidates, best first, once their windows are read (one query)."""
    if not placed:
        return facts, []
    facts = facts.with_windows_of([p.row for p in placed], still_asked_only=True)
    built = [found for found in (facts.engine_request(p.row) for p in placed) if found is not None]
    return facts, fitting_requests(make_problem(built, [helper]), helper.id) if built else []


def _still_asked_in_free_time(requests: QuerySet[CareRequest], helper: Helper) -> QuerySet[CareRequest]:
    """Those of these requests still asked for, with a window that overlaps the helper's free time."""
    free = Q()
    for start, end in helper.windows:
        free |= Q(start__lt=aware_local(end), end__gt=aware_local(start))
    return still_asked(requests).filter(Exists(RequestWindow.objects.filter(free, request_id=OuterRef("pk"))))


def requests_near(offer: HelperOffer, *, all_windows: bool = False) -> list[tuple[Fit, RequestSummary]]:
    """Open requests this helper may serve, best first: only those near enough to be worth a look.

    The candidates come from a bounding box around the helper (an index on the table would serve a
    region); the engine decides which of them fit, building the best placed ones first.  The summaries
    hold the windows in the matching horizon, already read; ``all_windows``: every window of the request
    (one more query), as the API's summaries show.
    """
    person = offer.person
    if person.lat is None or person.lon is None:
        return []
    # a box that holds the helper's whole reach on the engine's sphere (see ``problem.offers_near``)
    reach = float(offer.max_distance_km)
    d_lat = reach / KM_PER_DEGREE + 0.001
    d_lon = reach / (KM_PER_DEGREE * math.cos(math.radians(min(89.0, abs(person.lat) + 1)))) + 0.001
    horizon = _horizon()
    helper = engine_helpers([offer], horizon)[0]
    if not helper.windows:
        return []
    # Left in the table is only what the engine would refuse anyway: other categories; none of the
    # helper's languages; a vetted helper needed when this one is not.  Times are the engine's: a test of
    # each window against the helper's free time here took longer than the engine does on the few it
    # builds.  Whether a request is still asked for is checked for those few too, when their windows are
    # read (``still_asked``): here it would cost three lookups for each of a thousand candidates.
    speaks = Q(languages=[])
    for code in helper.languages:
        speaks |= Q(languages__icontains=f'"{code}"')  # a JSON list's text holds each code in quotes
    # Where a request is, here, is its shown position: a fixed point a few hundred metres from the house
    # (``apps/care/position.py``), so that presence, order and distance tell a helper who moves their
    # home or radius again and again nothing closer than that (docs/security.md).
    near = (
        CareRequest.objects.filter(status=CareRequest.Status.OPEN, category__professional=False)
        .filter(
            shown_lat__range=(person.lat - d_lat, person.lat + d_lat),
            shown_lon__range=(person.lon - d_lon, person.lon + d_lon),
        )
        .filter(category_id__in=offer.categories.values("pk"))
        .filter(speaks)
        .exclude(person_id=person.pk)
    )
    if not helper.vetted:
        near = near.filter(requires_vetted=False)
    # most urgent first: the engine ranks by urgency before distance, so a cap keeps the best
    candidates = request_rows(near.order_by("-urgency", "pk")[:NEAR_ME_CANDIDATES], shown=True)
    if len(candidates) == NEAR_ME_CANDIDATES:
        # more in reach than are read: requests no longer asked for, or with no time the helper is free
        # (past ones, say), must not take the places, so this time the query leaves them out itself
        candidates = request_rows(
            _still_asked_in_free_time(near, helper).order_by("-urgency", "pk")[:NEAR_ME_CANDIDATES], shown=True
        )
    if not candidates:
        return []
    facts = request_facts(candidates, horizon, helper_ids=[offer.pk], windows=False)
    fits, facts = _fits_in_two_goes(_best_placed_first(candidates, helper, facts), helper, facts)
    shown = _summary_query()
    if all_windows:
        shown = shown.prefetch_related("windows")
    found = shown.in_bulk([request_pk(fit.request) for fit in fits])
    return [
        (fit, RequestSummary.of(found[pk], windows=None if all_windows else facts.windows[pk]))
        for fit in fits
        if (pk := request_pk(fit.request)) in found
    ]


# ----------------------------------------------------------------------------------------------------------
# matches, rounds, messages


def match_for(actor: Actor, pk: int, rule: str, http: HttpRequest | None = None) -> Match:
    match = (
        Match.objects.select_related("request__person", "request__category", "request__district", "helper__person")
        .filter(pk=pk)
        .first()
    )
    if match is None:
        raise Http404
    allowed = can(actor, rule, match)
    if (actor.person_id != match.request.person_id and match.helper.person_id != actor.person_id) or not allowed:
        _log(http, match.request, "read", rule, allowed)
    if not allowed:
        raise Http404
    return match


def helper_matches(offer: HelperOffer) -> QuerySet[Match]:
    return (
        Match.objects.filter(helper=offer)
        .exclude(status=Match.Status.CANCELLED)
        .select_related("request__category", "request__district", "request__person")
        .order_by("-created_at")
    )


def round_for(actor: Actor, pk: int) -> MatchingRound:
    matching_round = MatchingRound.objects.select_related("district").filter(pk=pk).first()
    if matching_round is None or not can(actor, "care.view_round", matching_round):
        raise Http404
    return matching_round


def round_proposals(matching_round: MatchingRound) -> QuerySet[RoundProposal]:
    return matching_round.proposals.select_related(
        "request__category", "request__district", "request__person", "helper__person", "match"
    ).order_by("-score", "pk")


def rounds_of(actor: Actor) -> QuerySet[MatchingRound]:
    return MatchingRound.objects.filter(
        Q(district_id__in=actor.district_scope(Role.COORDINATOR)) | Q(started_by_id=actor.person_id)
    ).select_related("district")[:20]


def messages_of(actor: Actor) -> QuerySet[Message]:
    return Message.objects.filter(person_id=actor.person_id).order_by("-created_at")


def offer_of(actor: Actor) -> HelperOffer | None:
    return HelperOffer.objects.select_related("person").filter(person_id=actor.person_id).first()


def offer_of_person(person: Person) -> HelperOffer | None:
    """The offer of help a person made, if any (whoever may see it is the caller's rule to ask)."""
    return HelperOffer.objects.select_related("person").filter(person=person).first()


# ----------------------------------------------------------------------------------------------------------
# the coordinator's pages


def offer_for(actor: Actor, pk: int, rule: str = "care.record_vetting") -> HelperOffer:
    """A helper's offer as their coordinator sees it; missing and forbidden are the same 404."""
    offer = (
        HelperOffer.objects.select_related("person__district")
        .prefetch_related("categories", "availability")
        .filter(pk=pk, person__erased_at__isnull=True)
        .first()
    )
    if offer is None or not can(actor, rule, offer):
        raise Http404
    return offer


def offers_in_scope(actor: Actor) -> QuerySet[HelperOffer]:
    """Helpers a coordinator coordinates (their districts, their organisations), by name: to choose from."""
    scope = Q(person__district_id__in=actor.district_scope(Role.COORDINATOR)) | Q(
        person__organisation_id__in=actor.organisation_scope(Role.COORDINATOR)
    )
    return (
        HelperOffer.objects.filter(scope, person__erased_at__isnull=True)
        .select_related("person")
        .order_by("person__first_name", "person__last_name", "pk")
    )


def offer_by_number(pk: int) -> HelperOffer | None:
    """A helper named by their number (as the suggestions show it), to explain why they fit or not."""
    return HelperOffer.objects.select_related("person").filter(pk=pk, person__erased_at__isnull=True).first()


def offer_named_by_coordinator(actor: Actor, request: CareRequest, pk: int) -> HelperOffer:
    """The helper a coordinator names by number for this request, to ask "why (not) this one?" or to
    propose them: the one selector of both (the page's and the API's), so the answers cannot drift apart.

    Not every helper of the city: a coordinator could otherwise learn, number by number, where helpers
    far away live, when they are free and which rules they fail.  Allowed are the helpers the coordinator
    coordinates (their districts and organisations), the helpers already part of this request (asked,
    preferred, excluded) and any helper who fits it (those the suggestions would list anyway).  Anyone
    else raises Http404 exactly like a number that does not exist, after the same queries and the same
    engine run (on an empty problem for a missing number), so neither the answer nor the work done tells
    them apart.
    """
    if not 0 < pk <= MAX_INTEGER:  # no helper has it, and a database cannot even be asked: the same as 0
        pk = 0
    offer = offer_by_number(pk)
    related = (
        offers_in_scope(actor).filter(pk=pk).exists()
        or request.matches.filter(helper_id=pk).exists()
        or request.preferred_helpers.filter(pk=pk).exists()
        or request.excluded_helpers.filter(pk=pk).exists()
    )
    if offer is not None and related:
        return offer
    explanation = _explanation_for_number(request, pk)
    if offer is not None and explanation is not None and explanation.eligible:
        return offer
    raise Http404


def coordinated_districts(actor: Actor) -> QuerySet[District]:
    return District.objects.filter(pk__in=actor.district_scope(Role.COORDINATOR)).order_by("number")


def request_matches(request: CareRequest) -> QuerySet[Match]:
    """Every match of a request with its history (who did what, when), newest first."""
    return (
        request.matches.select_related("helper__person", "proposed_by")
        .prefetch_related(Prefetch("events", queryset=MatchEvent.objects.select_related("actor")))
        .order_by("-created_at")
    )


PERSON_REQUESTS = 10
"""Requests a person's page lists (the most recent first); the coordinator's pages have the rest."""

SHOWN_VISITS = (Match.Status.PROPOSED, Match.Status.ACCEPTED, Match.Status.PLANNED, Match.Status.DONE)
"""The matches a person's page lists under a request: asked, agreed, planned or done (the request's page
also has the declined and cancelled ones, with their reasons)."""


def requests_of_person(actor: Actor, person: Person) -> tuple[list[CareRequest], int]:
    """A person's requests for help, newest first, with their visits (helper, time, hours), for the person's
    page: only those the reader may see (their own; a coordinator's, as ``requests_in_scope`` says), at
    most ``PERSON_REQUESTS``, and how many there are in all.  Three queries, whatever the history."""
    if actor.person_id is not None and actor.person_id == person.pk:
        found = _request_query().filter(person_id=person.pk)
    else:
        found = requests_in_scope(actor).filter(person_id=person.pk)
    visits = (
        Match.objects.filter(status__in=SHOWN_VISITS)
        .select_related("helper__person")
        .only(*MATCH_COLUMNS, "request_id", "hours", "done_at", *HELPER_COLUMNS)
        .order_by("planned_start", "created_at", "pk")
    )
    rows = list(
        found.select_related(None)
        .select_related("category")
        .prefetch_related(Prefetch("matches", queryset=visits, to_attr="visits"))
        .order_by("-created_at", "-pk")[:PERSON_REQUESTS]
    )
    total = len(rows) if len(rows) < PERSON_REQUESTS else found.count()
    return rows, total


def vettings_of(offer: HelperOffer) -> QuerySet[Vetting]:
    return offer.vettings.select_related("recorded_by").order_by("-expires_on", "-pk")


# ----------------------------------------------------------------------------------------------------------
# the resident's and the helper's pages


def care_categories(*, for_helpers: bool = False) -> QuerySet[CareCategory]:
    """Categories one may choose now: all active ones for a request, only non-professional ones for an offer."""
    categories = CareCategory.objects.filter(active=True)
    if for_helpers:
        categories = categories.filter(professional=False)
    return categories.order_by("order", "code")


def fit_for(offer: HelperOffer, request: CareRequest | RequestSummary) -> tuple[Fit | None, float | None]:
    """How one request fits this helper now: the engine's fit (None when it does not fit, or when it is
    the helper's own request) and the straight-line distance in km (None without the helper's address).

    Accepts a summary: the helper's pages never hold the whole request before the helper said yes.
    Both are computed from the request's shown position, as on "near me" (``apps/care/position.py``)."""
    from domain.geo.districts import haversine_km

    row = request_rows(CareRequest.objects.filter(pk=request.pk), shown=True)[0]
    person = offer.person
    distance = None
    if person.lat is not None and person.lon is not None:
        distance = haversine_km(person.lat, person.lon, row.lat, row.lon)
    if row.person_id == person.pk:
        return None, distance
    horizon = _horizon()
    problem = make_problem(engine_requests([row], horizon, helper_ids=[offer.pk]), engine_helpers([offer], horizon))
    if not problem.requests or not problem.helpers:
        return None, distance
    found = fitting_requests(problem, offer.engine_id)
    return (found[0] if found else None), distance


def exceptions_of(offer: HelperOffer) -> QuerySet[AvailabilityException]:
    """The helper's times away that are not over yet, soonest first."""
    return offer.exceptions.filter(last_day__gte=timezone.localdate()).order_by("first_day", "pk")


# ----------------------------------------------------------------------------------------------------------
# new helpers and helpers who cancel often


def helper_is_new(offer: HelperOffer) -> bool:
    """A helper is new until a coordinator has vouched for them: confirmed ``CARE_NEW_HELPER_CHECKS`` of
    their takes (or a visit of theirs was done; ``known_since`` is set then), or recorded a vetting that is
    valid today.  A new helper's
    "I can help" waits for a coordinator's check before it shows anyone's details."""
    needed = settings.CARE_NEW_HELPER_CHECKS
    if needed <= 0 or offer.known_since is not None:
        return False
    today = timezone.localdate()
    if offer.vettings.filter(checked_on__lte=today, expires_on__gte=today).exists():
        return False
    vouched = offer.matches.filter(Q(checked_at__isnull=False, awaiting_check=False) | Q(status=Match.Status.DONE))
    return vouched.count() < needed


def helpers_cancelling(*, now: datetime | None = None) -> list[int]:
    """The helpers (offer ids) who cancelled ``CARE_CANCEL_FLAG_COUNT`` or more visits themselves after
    seeing the person's details, within the last ``CARE_CANCEL_FLAG_DAYS`` days (the worklist flags them).

    One query read from the period's cancellations (the index on ``MatchEvent.at``: a few thousand events a
    month at city scale) and counted here: grouped in SQL, SQLite walked every match of every helper
    instead (300 ms with 60,000 past requests).  Run by ``worklist_sections``: a short list of ids."""
    since = (now or timezone.now()) - timedelta(days=settings.CARE_CANCEL_FLAG_DAYS)
    cancellations = MatchEvent.objects.filter(
        at__gte=since,
        to_status=Match.Status.CANCELLED,
        from_status__in=Match.HOLDING,
        actor_id=F("match__helper__person_id"),
        match__awaiting_check=False,
    ).values_list("match__helper_id", flat=True)
    counts = Counter(cancellations)
    return sorted(helper for helper, n in counts.items() if n >= settings.CARE_CANCEL_FLAG_COUNT)


# ----------------------------------------------------------------------------------------------------------
# whether a helper can say "I can help" now (issue 14: they see it before tapping, not after)

TAKEN_NOTE = "taken by the helper"
"""The note of a take's event: what the limit on takes a day counts (``services.TAKEN_NOTE`` is this one)."""
LIMIT_WINDOW = timedelta(hours=24)


def takes_today(offer: HelperOffer, now: datetime) -> int:
    """The helper's "I can help" of the last 24 hours."""
    return MatchEvent.objects.filter(
        match__helper_id=offer.pk, note=TAKEN_NOTE, to_status=Match.Status.ACCEPTED, at__gt=now - LIMIT_WINDOW
    ).count()


def requests_held(offer: HelperOffer) -> int:
    """How many requests the helper holds now (accepted or planned): what ``requests_per_week`` bounds."""
    return offer.matches.filter(status__in=Match.HOLDING).count()


@dataclass(frozen=True)
class TakeRefusal:
    """Why a helper cannot say "I can help" to any request now, whatever the request: the service's own
    refusal (``error``, raised under the lock of the helper's offer) and the short line a card shows instead
    of the button."""

    code: str
    error: Any  # a ValidationError: the message and its code, as the service raises it
    short: str

    @property
    def text(self) -> str:
        return " ".join(str(m) for m in self.error.messages)


def capacity_refusal(offer: HelperOffer, held: int | None = None) -> TakeRefusal | None:
    """The helper holds as many requests as they offered (accepting a proposal and "I can help" alike)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if (requests_held(offer) if held is None else held) < offer.requests_per_week:
        return None
    n = offer.requests_per_week
    text = ngettext(
        "You already help with %(n)d request, as many as you offered.",
        "You already help with %(n)d requests, as many as you offered.",
        n,
    ) % {"n": n}
    return TakeRefusal("capacity", ValidationError(text, code="capacity"),
                       _("You already help with as many requests as you offered."))  # fmt: skip


def take_refusal(offer: HelperOffer, *, now: datetime | None = None) -> TakeRefusal | None:
    """Whether this helper's "I can help" would be refused now whatever the request, and why: the day's
    limit, a full offer, or (a new helper) an earlier take a coordinator has not checked yet.  The service
    asks the same questions under its lock (``services.request_take``); the pages ask before the helper taps,
    so that a card says so instead of offering a button that can only be refused."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    limit = settings.CARE_TAKES_PER_DAY
    if takes_today(offer, now) >= limit:
        text = _("You have said “I can help” %(n)d times in the last 24 hours, as many as we allow. "
                 "Try again tomorrow, or call your coordinator.") % {"n": limit}  # fmt: skip
        short = _("You have said “I can help” as often as we allow for today.")
        return TakeRefusal("limit", ValidationError(text, code="limit"), short)
    full = capacity_refusal(offer)
    if full is not None:
        return full
    if helper_is_new(offer) and offer.matches.filter(
        awaiting_check=True, checked_at__isnull=True, status__in=Match.HOLDING
    ).exists():
        # one unchecked take at a time: fresh accounts could otherwise hold many requests for two days each
        text = _("A coordinator first checks your earlier offer to help. After that you can offer to help again.")
        short = _("A coordinator first checks your earlier offer to help.")
        return TakeRefusal("awaiting_check", ValidationError(text, code="awaiting_check"), short)
    return None


# ----------------------------------------------------------------------------------------------------------
# a helper's visits and volunteer hours (issue 14)


@dataclass(frozen=True)
class Visit:
    """One of a helper's matches as "my visits" lists it: when, whom (first name, only while the helper may
    see the person: the rule ``care.view_request``), what, where it stands, and the hours of a done visit."""

    match: Match
    first_name: str
    start: datetime | None
    end: datetime | None
    hours: Decimal | None


def _may_see_person(matches: list[Match], now: datetime) -> set[int]:
    """The requests whose person the helper may see now, decided from their own matches as the rule
    ``care.view_request`` decides it (holding and checked, or done within ``CARE_AFTER_VISIT``): no query."""
    from .rules import CARE_AFTER_VISIT

    since = now - CARE_AFTER_VISIT
    seen = set()
    for m in matches:
        holding = m.status in Match.HOLDING and not m.awaiting_check
        recent = (
            m.status == Match.Status.DONE
            and m.done_at is not None
            and m.done_at >= since
            and (m.planned_end is None or m.planned_end >= since)
        )
        if holding or recent:
            seen.add(m.request_id)
    return seen


VISITS_SHOWN = 200
"""The most recent matches "my visits" lists (the attestation reads every done visit of its period)."""


def helper_visits(offer: HelperOffer, *, now: datetime | None = None) -> list[Visit]:
    """The helper's matches (cancelled ones left out), newest first, as :class:`Visit` (one query)."""
    now = now or timezone.now()
    matches = list(helper_matches(offer)[:VISITS_SHOWN])
    seen = _may_see_person(matches, now)
    return [
        Visit(
            match=m,
            first_name=m.request.person.first_name if m.request_id in seen else "",
            start=m.planned_start if m.status in (Match.Status.PLANNED, Match.Status.DONE) else None,
            end=m.planned_end if m.status in (Match.Status.PLANNED, Match.Status.DONE) else None,
            hours=m.hours if m.status == Match.Status.DONE else None,
        )
        for m in matches
    ]


def helper_hours_total(offer: HelperOffer) -> tuple[Decimal, int]:
    """Every done visit of the helper: the hours together and how many visits (one query)."""
    found = Match.objects.filter(helper=offer, status=Match.Status.DONE).aggregate(
        total=Sum("hours"), visits=Count("pk")
    )
    return found["total"] or Decimal(0), found["visits"]


@dataclass(frozen=True)
class Attestation:
    """What an attestation of volunteer hours says: who, the period, each done visit's day and hours, the total.
    Never whom they visited nor what for: the paper goes to a school, an employer or an office."""

    offer: HelperOffer
    first_day: date
    last_day: date
    visits: list[tuple[date, Decimal]]
    total: Decimal


def attested_offer(actor: Actor, pk: int, http: HttpRequest | None) -> HelperOffer:
    """The helper whose hours are asked, if the rule ``care.view_helper_hours`` allows (else 404).  Anyone's
    read but the helper's own is written in the access log, a refusal too, as the other reads of care data."""
    offer = HelperOffer.objects.select_related("person").filter(pk=pk, person__erased_at__isnull=True).first()
    if offer is None:
        raise Http404
    allowed = can(actor, "care.view_helper_hours", offer)
    if http is not None and (not allowed or actor.person_id != offer.person_id):
        log_request_access(
            http, subject_person_id=offer.person_id, record_type="care.HelperOffer", record_id=offer.pk,
            action="read", purpose="care.view_helper_hours", allowed=allowed,
        )  # fmt: skip
    if not allowed:
        raise Http404
    return offer


def attestation(offer: HelperOffer, first_day: date, last_day: date) -> Attestation:
    """The helper's done visits with a day in the period (both days included; the day of the visit, or the day
    it was logged when it has no planned time), oldest first (one query)."""
    from .problem import local_zone

    zone = local_zone()
    lower = datetime.combine(first_day, datetime.min.time(), tzinfo=zone)
    upper = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    rows = (
        Match.objects.filter(helper=offer, status=Match.Status.DONE, hours__isnull=False)
        .filter(Q(planned_start__gte=lower, planned_start__lt=upper) | Q(planned_start__isnull=True,
                                                                           done_at__gte=lower, done_at__lt=upper))
        .order_by()
        .values_list("planned_start", "done_at", "hours")
    )  # fmt: skip
    visits = sorted((timezone.localtime(start or done).date(), hours) for start, done, hours in rows)
    return Attestation(offer, first_day, last_day, visits, sum((h for _d, h in visits), Decimal(0)))


def open_requests_in_district(actor: Actor, district: District) -> int | None:
    """For the district's coordination view (``DistrictFact``): the open requests for help of a district the actor
    coordinates, while consent holds (as on the worklist); ``None`` for a district outside their scope."""
    if district.pk not in actor.district_scope(Role.COORDINATOR):
        return None
    return requests_in_scope(actor).filter(district_id=district.pk, status=CareRequest.Status.OPEN).order_by().count()
