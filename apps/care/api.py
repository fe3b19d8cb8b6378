"""JSON API of care matching: requests, offers, suggestions, rounds and matches.

Every route calls the same selectors and services as the pages, so the rules cannot drift apart:
another person's request or match answers exactly like an id that does not exist (404, and the refused
attempt is in the access log, written by the selector), a refusal that is not about one object is a
403, bad input is a 422 with the same message the page shows, and a state that changed under the
caller's feet (another helper was faster, a proposal already answered) is a 409.  Nothing changes
when the answer is not 2xx: each service runs in one transaction and validates before it writes.

Lists are bounded: pages of at most 100, or the fixed limits of the selectors (near me, worklist).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import Field

from apps.access.actors import Actor, actor_for
from apps.access.rules import can
from apps.people import selectors as people_selectors
from apps.people.models import Person
from apps.people.schemas import MessageOut

from . import position, selectors, services, wording
from .models import CareCategory, CareRequest, HelperOffer, Match, MatchingRound, Urgency
from .problem import aware_local
from .schemas import (
    AwayIn,
    CancelIn,
    CategoryOut,
    CheckIn,
    ConfirmIn,
    ConfirmOut,
    DeclineIn,
    DoneIn,
    ExplanationOut,
    FeedbackIn,
    MatchOut,
    MatchPageOut,
    NearbyRequestOut,
    OfferIn,
    OfferOut,
    PlanIn,
    ProposeIn,
    RequestIn,
    RequestOut,
    RequestPageOut,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    SuggestionOut,
    WorklistOut,
)

router = Router(tags=["care matching"], auth=django_auth)

ERRORS: dict[int, Any] = {401: MessageOut, 403: MessageOut, 404: MessageOut, 422: MessageOut}
CHANGES: dict[int, Any] = {**ERRORS, 409: MessageOut}
"""Writes may also meet a state that changed meanwhile (409)."""
LIMITED: dict[int, Any] = {**CHANGES, 429: MessageOut}
"""A helper's takes and cancellations are limited per 24 hours (429 beyond)."""

HOLD_CONFLICTS = frozenset({"taken", "answered", "capacity", "not_open"})
MATCH_CONFLICTS = frozenset({"taken", "answered", "capacity", "state", "not_open", "awaiting_check", "overlap"})
"""``overlap``: the helper has another visit planned at that time (``services.match_plan``).  A visit logged
before it was planned or before its time (``not_planned``, ``too_early``) stays a 422, as a time in the past."""


class Paging(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


# --- helpers ---------------------------------------------------------------------------------------------


def _refused(error: ValidationError, conflicts: frozenset[str] = frozenset()) -> HttpError:
    """A service's refusal as JSON: 409 when the state changed meanwhile, 422 when the input was wrong."""
    codes = {getattr(item, "code", None) for item in getattr(error, "error_list", [error])}
    if "limit" in codes:  # a helper's takes or cancellations of the day are used up
        return HttpError(429, " ".join(str(m) for m in error.messages))
    return HttpError(409 if codes & conflicts else 422, " ".join(str(m) for m in error.messages))


def _me(request: HttpRequest) -> Person:
    person = people_selectors.own_person(actor_for(request))
    if person is None:
        raise HttpError(403, _("Your account has no personal details yet: fill in your profile first."))
    return person


def _own_offer(actor: Actor) -> HelperOffer:
    offer = selectors.offer_of(actor)
    if offer is None:
        raise HttpError(404, _("You have not offered help yet."))
    return offer


def _approximate(km: float | None) -> float | None:
    """Rounded to half a kilometre: close enough to decide, too rough to find a house with."""
    return None if km is None else max(0.5, round(km * 2) / 2)


def _category(category: CareCategory) -> dict[str, Any]:
    return {
        "code": category.code,
        "name": category.name,
        "description": category.description,
        "professional": category.professional,
    }


def _district(district: Any) -> dict[str, Any] | None:
    return None if district is None else {"id": district.pk, "number": district.number, "name": district.name}


def _local(moment: datetime | None) -> datetime | None:
    """Times of the visit in the city's own time (with its offset), as people say them."""
    return None if moment is None else timezone.localtime(moment)


def _windows(request: Any) -> list[dict[str, Any]]:
    return [{"start": _local(w.start), "end": _local(w.end)} for w in request.windows.all()]


def _urgency_label(urgency: int) -> str:
    return str(Urgency(urgency).label) if urgency in Urgency.values else str(urgency)


def _helper(offer: HelperOffer) -> dict[str, Any]:
    return {"id": offer.pk, "first_name": offer.person.first_name}


def _summary(request: Any) -> dict[str, Any]:
    """What a helper may see before accepting: built field by field, never from the whole request."""
    return {
        "id": request.pk,
        "category": _category(request.category),
        "district": _district(request.district),
        "duration_minutes": request.duration_minutes,
        "recurrence": request.recurrence,
        "repeat_until": request.repeat_until,
        "languages": list(request.languages),
        "urgency": request.urgency,
        "urgency_label": _urgency_label(request.urgency),
        "requires_vetted": request.requires_vetted,
        "windows": _windows(request),
    }


def _request_out(request: CareRequest, matches: Iterable[Match]) -> dict[str, Any]:
    return {
        **_summary(request),
        "person_id": request.person_id,
        "person_name": f"{request.person.first_name} {request.person.last_name}",
        "description": request.description,
        "street": request.street,
        "house_number": request.house_number,
        "postcode": request.postcode,
        "status": request.status,
        "status_label": str(request.get_status_display()),
        "channel": request.channel,
        "created_at": request.created_at,
        "follow_up_on": request.follow_up_on,
        "matches": [
            {
                "id": m.pk,
                "status": m.status,
                "status_label": str(m.get_status_display()),
                "helper": _helper(m.helper),
                "planned_start": _local(m.planned_start),
                "planned_end": _local(m.planned_end),
            }
            for m in matches
        ],
    }


def _match_item(match: Match) -> dict[str, Any]:
    return {
        "id": match.pk,
        "status": match.status,
        "status_label": str(match.get_status_display()),
        "request": _summary(match.request),
        "helper": _helper(match.helper),
        # from the request's shown position, as on "near me": a proposal tells no more of the house
        "approximate_distance_km": _approximate(position.shown_distance_km(match.helper.person, match.request)),
        "created_at": match.created_at,
        "planned_start": _local(match.planned_start),
        "planned_end": _local(match.planned_end),
        "awaiting_check": match.awaiting_check,
    }


def _visit(request: CareRequest) -> dict[str, Any]:
    person = request.person
    return {
        "person_name": f"{person.first_name} {person.last_name}",
        "phone": person.phone,
        "street": request.street,
        "house_number": request.house_number,
        "postcode": request.postcode,
        "description": request.description,
    }


def _match_out(http: HttpRequest, match: Match) -> dict[str, Any]:
    """A match as one of its parties sees it.

    The helper sees who and where only while they hold the request or for a week after the visit
    (the rule ``care.view_request``), and that read goes
    through ``request_for`` so it is in the access log; a coordinator's read was logged by
    ``match_for``; the person reads their own request.
    """
    actor = actor_for(http)
    visit = None
    if match.helper.person_id != actor.person_id:
        visit = _visit(match.request)
    elif match.awaiting_check:
        visit = None  # a new helper's take: nothing more than the summary until a coordinator confirmed it
    elif match.status in Match.HOLDING or (
        match.status == Match.Status.DONE and can(actor, "care.view_request", match.request)  # a week after
    ):
        try:
            visit = _visit(selectors.request_for(actor, match.request_id, http))
        except Http404:
            visit = None
    coordinator = can(actor, "care.coordinate_match", match)
    item = _match_item(match)
    if match.awaiting_check and not coordinator and actor.person_id != match.helper.person_id:
        item["helper"] = {"id": match.helper_id, "first_name": ""}  # not named before a coordinator checked them
    return {
        **item,
        "visit": visit,
        "accepted_at": match.accepted_at,
        "decline_reason": match.decline_reason,
        "done_at": match.done_at,
        "hours": float(match.hours) if match.hours is not None else None,
        "helper_feedback": match.helper_feedback,
        "helper_continues": match.helper_continues,
        "resident_feedback": match.resident_feedback,
        "resident_continues": match.resident_continues,
        "cancel_reason": wording.note_in_words(match.cancel_reason, coordinator=coordinator),
        "events": [
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "at": e.at,
                "note": wording.note_in_words(e.note, coordinator=coordinator),
            }
            for e in match.events.all()
        ],
    }


def _fresh_match(http: HttpRequest, pk: int) -> dict[str, Any]:
    """The match after a change, read again as its party sees it."""
    return _match_out(http, selectors.match_for(actor_for(http), pk, "care.view_match"))


def _round_out(matching_round: MatchingRound) -> dict[str, Any]:
    return {
        "id": matching_round.pk,
        "status": matching_round.status,
        "status_label": str(matching_round.get_status_display()),
        "district": _district(matching_round.district),
        "created_at": matching_round.created_at,
        "finished_at": matching_round.finished_at,
        "requests_count": matching_round.requests_count,
        "helpers_count": matching_round.helpers_count,
        "total_score": matching_round.total_score,
        "optimal": matching_round.optimal,
        "seconds": matching_round.seconds,
        "error": matching_round.error,
    }


def _work_item(request: CareRequest, match: Match | None = None) -> dict[str, Any]:
    return {
        "request_id": request.pk,
        "match_id": match.pk if match else None,
        "category": _category(request.category),
        "district": _district(request.district),
        "urgency": request.urgency,
        "urgency_label": _urgency_label(request.urgency),
        "status": request.status,
        "created_at": request.created_at,
        "follow_up_on": request.follow_up_on,
        "helper": _helper(match.helper) if match else None,
        "planned_end": _local(match.planned_end) if match else None,
    }


def _categories_by_code(codes: Iterable[str]) -> list[CareCategory]:
    known = {c.code: c for c in selectors.care_categories()}
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise HttpError(422, _("Unknown kind of help: %(codes)s.") % {"codes": ", ".join(unknown)})
    return [known[code] for code in dict.fromkeys(codes)]


def _offer_out(offer: HelperOffer) -> dict[str, Any]:
    today = timezone.localdate()
    valid = [v.expires_on for v in selectors.vettings_of(offer) if v.expires_on >= today]
    return {
        "id": offer.pk,
        "kind": offer.kind,
        "categories": [_category(c) for c in offer.categories.order_by("order", "code")],
        "slots": [
            {"weekday": s.weekday, "start": f"{s.start:%H:%M}", "end": f"{s.end:%H:%M}"}
            for s in offer.availability.all()
        ],
        "max_distance_km": float(offer.max_distance_km),
        "requests_per_week": offer.requests_per_week,
        "languages": list(offer.languages),
        "active": offer.active,
        "away": [
            {"id": e.pk, "first_day": e.first_day, "last_day": e.last_day, "note": e.note}
            for e in selectors.exceptions_of(offer)
        ],
        "vetted_until": max(valid) if valid else None,
        # said before the tap, as on the helper's pages (issue 14)
        "cannot_take": refusal.text if (refusal := selectors.take_refusal(offer)) is not None else None,
    }


def _decimal(value: float, places: str) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal(places))
    except InvalidOperation:
        raise HttpError(422, _("Enter a number.")) from None


# --- categories (public) ---------------------------------------------------------------------------------


@router.get("/care/categories", response={200: list[CategoryOut], 422: MessageOut}, auth=None)
def care_categories(request: HttpRequest) -> Any:
    """The kinds of help one can ask for, named in the request's language.

    A *professional* one is never offered to volunteers: a request in it becomes a referral.
    """
    return [_category(c) for c in selectors.care_categories()[:200]]


# --- requests --------------------------------------------------------------------------------------------


@router.get("/care/requests/mine", response={200: RequestPageOut, **ERRORS})
def care_my_requests(request: HttpRequest, paging: Query[Paging]) -> Any:
    """My own requests, newest first, with the helpers who hold or held them."""
    mine = selectors.my_requests(actor_for(request)).select_related("person")  # one query, whatever the page
    page = list(mine[paging.offset : paging.offset + paging.limit])
    return {"count": mine.count(), "items": [_request_out(r, r.matches.all()) for r in page]}


@router.post("/care/requests", response={201: RequestOut, **ERRORS})
def care_request_create(request: HttpRequest, payload: RequestIn) -> Any:
    """Ask for help for myself, or (coordinators) take a request by phone with ``person_id``.

    The person's consent for care matching must be recorded first; a request outside the city, a
    window in the past or one that ends before it starts is refused with a clear message.
    """
    actor = actor_for(request)
    if payload.person_id is None or payload.person_id == actor.person_id:
        person = _me(request)
    else:
        person = people_selectors.person_for(
            actor, payload.person_id, rule="care.take_request_by_phone", request=request
        )
    category = _categories_by_code([payload.category])[0]
    try:
        created = services.care_request_create(
            actor=actor,
            person=person,
            category=category,
            windows=[services.Window(w.start, w.end) for w in payload.windows],
            description=payload.description,
            address=payload.address,
            duration_minutes=payload.duration_minutes,
            recurrence=payload.recurrence,
            repeat_until=payload.repeat_until,
            languages=payload.languages,
            urgency=payload.urgency,
            requires_vetted=payload.requires_vetted,
            preferred_helper_ids=payload.preferred_helper_ids,
            excluded_helper_ids=payload.excluded_helper_ids,
            follow_up_on=payload.follow_up_on,
        )
    except PermissionDenied:
        raise HttpError(403, _("You may not ask for help for this person.")) from None
    except ValidationError as error:
        raise _refused(error) from error
    # what a coordinator typed in on the phone is read back to them: logged like any read of it
    found = selectors.request_for(actor, created.pk, request)
    return Status(201, _request_out(found, selectors.request_matches(found)))


@router.get("/care/requests/near-me", response={200: list[NearbyRequestOut], **ERRORS})
def care_requests_near_me(request: HttpRequest) -> Any:
    """Helpers: open requests near me that fit my offer, best first (at most 30).

    Only what one needs to decide: what, which district, roughly how far, when, how long, which
    languages.  Never who, the address or the description.
    """
    actor = actor_for(request)
    if not can(actor, "care.helper_pages"):
        raise HttpError(403, _("Only helpers see requests near them. Offer help first."))
    offer = selectors.offer_of(actor)
    if offer is None:
        return []
    return [
        {
            "request": _summary(summary),
            "approximate_distance_km": _approximate(fit.distance_km),
            "fits_from": aware_local(fit.overlap_start),
            "fits_until": aware_local(fit.overlap_end),
        }
        for fit, summary in selectors.requests_near(offer, all_windows=True)
    ]


@router.get("/care/requests/{request_id}", response={200: RequestOut, **ERRORS})
def care_request_detail(request: HttpRequest, request_id: int) -> Any:
    """The whole request, for the person, their coordinator and the helper who holds or held it.

    Every read by someone other than the person is in the access log; for anyone else the id answers
    like one that does not exist.
    """
    found = selectors.request_for(actor_for(request), request_id, request)
    return _request_out(found, selectors.request_matches(found))


@router.post("/care/requests/{request_id}/cancel", response={200: RequestOut, **CHANGES})
def care_request_cancel(request: HttpRequest, request_id: int, payload: CancelIn) -> Any:
    """The person or their coordinator withdraws the request; a helper who had it is told."""
    actor = actor_for(request)
    found = selectors.request_for(actor, request_id, request, rule="care.cancel_request", action="change")
    try:
        services.care_request_cancel(actor=actor, request=found, reason=payload.reason)
    except ValidationError as error:
        raise _refused(error, frozenset({"closed"})) from error
    found = selectors.request_for(actor, request_id, None, rule="care.cancel_request")
    return _request_out(found, selectors.request_matches(found))


@router.post("/care/requests/{request_id}/take", response={200: MatchOut, **LIMITED})
def care_request_take(request: HttpRequest, request_id: int) -> Any:
    """ "I can help": a helper takes an open request that fits them.

    When another helper was a moment faster the answer is 409 with a clear message.  Nothing of the
    request is shown before the service has accepted the helper.
    """
    actor = actor_for(request)
    # the service checks, under its lock, whether the request is still open: not the selector.  One
    # attempt is one entry in the access log, as on the page: a refusal by the rule is logged here, a
    # refusal by the service below, and a success by the read of the visit that follows.
    found = selectors.request_for(actor, request_id, request, rule="care.take_request", log_allowed=False)
    try:
        match = services.request_take(actor=actor, request=found)
    except PermissionDenied:
        selectors.log_attempt(request, found, "care.take_request", allowed=False)
        raise Http404 from None
    except ValidationError as error:
        selectors.log_attempt(request, found, "care.take_request", allowed=True)
        raise _refused(error, HOLD_CONFLICTS) from error
    if match.awaiting_check:  # no visit is read (a coordinator checks first): the take itself is the entry
        selectors.log_attempt(request, found, "care.take_request", allowed=True)
    return _fresh_match(request, match.pk)


@router.get("/care/requests/{request_id}/suggestions", response={200: list[SuggestionOut], **ERRORS})
def care_request_suggestions(
    request: HttpRequest, request_id: int, top: int = Query(10, ge=1, le=50, description="How many, at most")
) -> Any:
    """Coordinators: the helpers who fit this request, ranked by the engine's score, with the reasons."""
    found = selectors.request_for(actor_for(request), request_id, request, rule="care.manage_request")
    return [
        {
            "helper_id": offer.pk,
            "helper_name": wording.short_name(offer.person),
            "kind": offer.kind,
            "score": suggestion.score,
            "distance_km": wording.km_as_shown(suggestion.distance_km),
            "preferred": suggestion.preferred,
            "fits_from": aware_local(suggestion.overlap_start),
            "fits_until": aware_local(suggestion.overlap_end),
            "reasons": wording.suggestion_reasons(suggestion, found, offer),
        }
        for suggestion, offer in selectors.suggestions_for(found, top=top)
    ]


def _named_helper(actor: Actor, request: CareRequest, helper_id: int, *, status: int) -> HelperOffer:
    """A helper named by number to explain or to propose (``selectors.offer_named_by_coordinator``, as the
    pages): a helper the coordinator may not name answers exactly like a number nobody has."""
    try:
        return selectors.offer_named_by_coordinator(actor, request, helper_id)
    except Http404:
        raise HttpError(status, _("There is no helper with this number.")) from None


@router.get("/care/requests/{request_id}/explain/{helper_id}", response={200: ExplanationOut, **ERRORS})
def care_request_explain(request: HttpRequest, request_id: int, helper_id: int) -> Any:
    """Coordinators: each of the engine's six rules for this request and a named helper.

    The helper must be one the coordinator coordinates, one already part of this request, or one who
    fits it; any other number answers 404 like a number that does not exist.
    """
    actor = actor_for(request)
    found = selectors.request_for(actor, request_id, request, rule="care.manage_request")
    offer = _named_helper(actor, found, helper_id, status=404)
    explanation = selectors.explanation_for(found, offer)
    answer: dict[str, Any] = {
        "request_id": found.pk,
        "helper_id": offer.pk,
        "helper_name": wording.short_name(offer.person),
        "eligible": False,
        "score": None,
        "distance_km": None,
        "rules": [],
        "note": _(
            "Nothing to compare: the request has no time left in the coming days, "
            "or this helper is not available for requests now."
        ),
    }
    if explanation is not None:
        answer.update(
            eligible=explanation.eligible,
            score=explanation.score,
            distance_km=wording.km_as_shown(explanation.distance_km),
            rules=[
                {
                    "rule": c.rule,
                    "name": c.name,
                    "ok": c.ok,
                    "detail": wording.rule_detail(c, found, offer, explanation.distance_km),
                }
                for c in explanation.rules
            ],
            note="",
        )
    return answer


@router.post("/care/requests/{request_id}/propose", response={201: MatchOut, **CHANGES})
def care_request_propose(request: HttpRequest, request_id: int, payload: ProposeIn) -> Any:
    """Coordinators: ask a helper (by number) to take this request; the helper accepts or declines."""
    actor = actor_for(request)
    found = selectors.request_for(actor, request_id, request, rule="care.manage_request", action="change")
    offer = _named_helper(actor, found, payload.helper_id, status=422)  # a number in the body: bad input
    try:
        match = services.match_propose(actor=actor, request=found, offer=offer)
    except ValidationError as error:
        raise _refused(error, frozenset({"not_open", "already_proposed"})) from error
    return Status(201, _fresh_match(request, match.pk))


# --- matches ---------------------------------------------------------------------------------------------


@router.get("/care/matches", response={200: MatchPageOut, **ERRORS})
def care_my_matches(
    request: HttpRequest,
    paging: Query[Paging],
    status: Match.Status | None = Query(None, description="Only matches in this state"),
) -> Any:
    """Helpers: my matches (cancelled ones left out), newest first; the person's details are in each
    match's own page once accepted."""
    offer = selectors.offer_of(actor_for(request))
    if offer is None:
        return {"count": 0, "items": []}
    # a fixed number of queries per page: the windows of the summaries and the helper come along
    matches = selectors.helper_matches(offer).select_related("helper__person").prefetch_related("request__windows")
    if status is not None:
        matches = matches.filter(status=status)
    page = list(matches[paging.offset : paging.offset + paging.limit])
    return {"count": matches.count(), "items": [_match_item(m) for m in page]}


@router.get("/care/matches/{match_id}", response={200: MatchOut, **ERRORS})
def care_match_detail(request: HttpRequest, match_id: int) -> Any:
    """One match, for its helper, the person and their coordinator.

    Before accepting, the helper sees no name, address or description (``visit`` is null).
    """
    return _match_out(request, selectors.match_for(actor_for(request), match_id, "care.view_match", request))


@router.post("/care/matches/{match_id}/accept", response={200: MatchOut, **CHANGES})
def care_match_accept(request: HttpRequest, match_id: int) -> Any:
    """The helper says yes (or their coordinator for them, told by phone).  Exactly one helper can hold a
    request: a later one gets 409."""
    actor = actor_for(request)
    match = selectors.match_for(actor, match_id, "care.answer_match", request)
    try:
        services.match_accept(actor=actor, match=match)
    except ValidationError as error:
        raise _refused(error, HOLD_CONFLICTS) from error
    return _fresh_match(request, match_id)


@router.post("/care/matches/{match_id}/check", response={200: MatchOut, **CHANGES})
def care_match_check(request: HttpRequest, match_id: int, payload: CheckIn) -> Any:
    """Coordinators: confirm a new helper's take (the helper then sees the details, the person is told) or
    refuse it with a reason (the request looks for a helper again).  The worklist's ``to_check`` lists them."""
    actor = actor_for(request)
    match = selectors.match_for(actor, match_id, "care.coordinate_match", request)
    try:
        services.match_check(actor=actor, match=match, confirm=payload.confirm, reason=payload.reason)
    except ValidationError as error:
        raise _refused(error, MATCH_CONFLICTS) from error
    return _fresh_match(request, match_id)


@router.post("/care/matches/{match_id}/decline", response={200: MatchOut, **CHANGES})
def care_match_decline(request: HttpRequest, match_id: int, payload: DeclineIn) -> Any:
    """The helper says no, with a short reason for the coordinator (or the coordinator for them, by phone)."""
    actor = actor_for(request)
    match = selectors.match_for(actor, match_id, "care.answer_match", request)
    try:
        services.match_decline(actor=actor, match=match, reason=payload.reason)
    except ValidationError as error:
        raise _refused(error, MATCH_CONFLICTS) from error
    return _fresh_match(request, match_id)


@router.post("/care/matches/{match_id}/plan", response={200: MatchOut, **CHANGES})
def care_match_plan(request: HttpRequest, match_id: int, payload: PlanIn) -> Any:
    """The date and time agreed (the helper, or the coordinator for them)."""
    actor = actor_for(request)
    match = selectors.match_for(actor, match_id, "care.plan_match", request)
    try:
        services.match_plan(actor=actor, match=match, start=payload.start, end=payload.end)
    except ValidationError as error:
        raise _refused(error, MATCH_CONFLICTS) from error
    return _fresh_match(request, match_id)


@router.post("/care/matches/{match_id}/done", response={200: MatchOut, **CHANGES})
def care_match_done(request: HttpRequest, match_id: int, payload: DoneIn) -> Any:
    """The helper logs the visit: hours, a short word, and whether they would come again (or their
    coordinator for them, as the helper told it by phone)."""
    actor = actor_for(request)
    match = selectors.match_for(actor, match_id, "care.answer_match", request)
    try:
        services.match_done(
            actor=actor,
            match=match,
            hours=_decimal(payload.hours, "0.01"),
            feedback=payload.feedback,
            would_come_again=payload.would_come_again,
        )
    except ValidationError as error:
        raise _refused(error, MATCH_CONFLICTS) from error
    return _fresh_match(request, match_id)


@router.post("/care/matches/{match_id}/cancel", response={200: MatchOut, **LIMITED})
def care_match_cancel(request: HttpRequest, match_id: int, payload: CancelIn) -> Any:
    """Helper, person or coordinator calls the visit off; the request looks for a helper again."""
    actor = actor_for(request)
    match = selectors.match_for(actor, match_id, "care.cancel_match", request)
    try:
        services.match_cancel(actor=actor, match=match, reason=payload.reason)
    except ValidationError as error:
        raise _refused(error, MATCH_CONFLICTS) from error
    return _fresh_match(request, match_id)


@router.post("/care/matches/{match_id}/feedback", response={200: MatchOut, **CHANGES})
def care_match_feedback(request: HttpRequest, match_id: int, payload: FeedbackIn) -> Any:
    """The person (or their coordinator) says how it went and whether they want the same helper again."""
    actor = actor_for(request)
    match = selectors.match_for(actor, match_id, "care.resident_feedback", request)
    try:
        services.match_resident_feedback(
            actor=actor, match=match, feedback=payload.feedback, same_helper_again=payload.same_helper_again
        )
    except ValidationError as error:
        raise _refused(error, MATCH_CONFLICTS) from error
    return _fresh_match(request, match_id)


# --- the helper's offer ----------------------------------------------------------------------------------


@router.get("/care/offer", response={200: OfferOut, **ERRORS})
def care_my_offer(request: HttpRequest) -> Any:
    """My offer as a helper: kinds of help, weekly free moments, distance, times away, vetting."""
    return _offer_out(_own_offer(actor_for(request)))


@router.put("/care/offer", response={200: OfferOut, **ERRORS, 429: MessageOut})
def care_offer_save(request: HttpRequest, payload: OfferIn) -> Any:
    """Sign up as a helper, or change what I offer; the weekly slots replace the earlier ones."""
    actor = actor_for(request)
    try:
        offer = services.offer_save(
            actor=actor,
            person=_me(request),
            kind=payload.kind,
            categories=_categories_by_code(payload.categories),
            slots=[
                services.Slot(s.weekday, time.fromisoformat(s.start), time.fromisoformat(s.end)) for s in payload.slots
            ],
            max_distance_km=_decimal(payload.max_distance_km, "0.1"),
            requests_per_week=payload.requests_per_week,
            languages=payload.languages,
            active=payload.active,
            via=request.path,
        )
    except ValidationError as error:
        raise _refused(error) from error
    return _offer_out(offer)


@router.post("/care/offer/away", response={201: OfferOut, **ERRORS})
def care_offer_away(request: HttpRequest, payload: AwayIn) -> Any:
    """Days I am away (holidays, exams): no requests then, whatever my weekly slots say."""
    actor = actor_for(request)
    offer = _own_offer(actor)
    try:
        services.exception_add(
            actor=actor, offer=offer, first_day=payload.first_day, last_day=payload.last_day, note=payload.note
        )
    except ValidationError as error:
        raise _refused(error) from error
    return Status(201, _offer_out(offer))


@router.delete("/care/offer/away/{away_id}", response={204: None, **ERRORS})
def care_offer_away_remove(request: HttpRequest, away_id: int) -> Any:
    """I am available after all: remove a time away (one that is not over yet)."""
    actor = actor_for(request)
    exception = selectors.exceptions_of(_own_offer(actor)).filter(pk=away_id).first()
    if exception is None:
        raise Http404
    services.exception_remove(actor=actor, exception=exception)
    return Status(204, None)


# --- rounds ----------------------------------------------------------------------------------------------


def _coordinator(request: HttpRequest) -> Actor:
    actor = actor_for(request)
    if not can(actor, "care.view_worklist"):
        raise HttpError(403, _("Only coordinators see this."))
    return actor


@router.get("/care/rounds", response={200: list[RoundOut], **ERRORS})
def care_rounds(request: HttpRequest) -> Any:
    """Coordinators: the latest matching rounds of my districts (and the ones I started)."""
    return [_round_out(r) for r in selectors.rounds_of(_coordinator(request))]


@router.post("/care/rounds", response={202: RoundOut, **ERRORS})
def care_round_start(request: HttpRequest, payload: RoundIn) -> Any:
    """Coordinators: run the engine over the open requests of one of my districts (or all of them).

    The round runs as a background task: poll ``GET /care/rounds/{id}`` until its status is ``done``.
    """
    try:
        matching_round = services.round_start(actor=actor_for(request), district_id=payload.district_id)
    except PermissionDenied:
        raise HttpError(403, _("You may only run rounds over the districts you coordinate.")) from None
    return Status(202, _round_out(matching_round))


@router.get("/care/rounds/{round_id}", response={200: RoundDetailOut, **ERRORS})
def care_round_detail(request: HttpRequest, round_id: int, paging: Query[Paging]) -> Any:
    """Coordinators: a round's status, totals and proposed pairs (best first, by pages)."""
    matching_round = selectors.round_for(actor_for(request), round_id)
    proposals = selectors.round_proposals(matching_round)
    page = list(proposals[paging.offset : paging.offset + paging.limit])
    return {
        **_round_out(matching_round),
        "proposals_count": proposals.count(),
        "proposals": [
            {
                "id": p.pk,
                "request_id": p.request_id,
                "category": _category(p.request.category),
                "district": _district(p.request.district),
                "urgency": p.request.urgency,
                "helper": _helper(p.helper),
                "score": p.score,
                "distance_km": wording.km_as_shown(p.distance_km),
                "match_id": p.match_id,
            }
            for p in page
        ],
    }


@router.post("/care/rounds/{round_id}/confirm", response={200: ConfirmOut, **CHANGES})
def care_round_confirm(request: HttpRequest, round_id: int, payload: ConfirmIn) -> Any:
    """Coordinators: propose the round's pairs to the helpers, all or the listed ones.

    A pair that no longer holds (the request was taken meanwhile, the helper is full) is skipped with
    its reason; the others still go through.
    """
    actor = actor_for(request)
    matching_round = selectors.round_for(actor, round_id)
    try:
        confirmed = services.round_confirm(
            actor=actor, matching_round=matching_round, proposal_ids=payload.proposal_ids
        )
    except ValidationError as error:
        raise _refused(error, frozenset({"not_ready"})) from error
    return {
        "match_ids": [m.pk for m in confirmed.matches],
        "skipped": [{"proposal_id": p.pk, "reason": reason} for p, reason in confirmed.skipped],
    }


# --- the worklist ----------------------------------------------------------------------------------------


@router.get("/care/worklist", response={200: WorklistOut, **ERRORS})
def care_worklist(request: HttpRequest) -> Any:
    """Coordinators: what to act on today, in the sections of the worklist page (25 rows each at most).

    Summaries only: the person's name and address are in ``GET /care/requests/{id}``, which is logged.
    """
    found = selectors.worklist(_coordinator(request))
    return {
        "to_check": [_work_item(m.request, m) for m in found.to_check],
        "new": [_work_item(r) for r in found.new],
        "waiting": [_work_item(m.request, m) for m in found.waiting],
        "without_helper": [_work_item(r) for r in found.without_helper],
        "follow_ups": [_work_item(r) for r in found.follow_ups],
        "overdue_visits": [_work_item(m.request, m) for m in found.overdue_visits],
        "referrals": [_work_item(r) for r in found.referrals],
        "cancelling": [_work_item(m.request, m) for m in found.cancelling],
    }
