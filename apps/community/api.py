"""JSON API of community life (issue 18, item 5): initiatives, events, materials, grant calls and support
requests.  See ``docs/community.md``.

Every route calls the selectors and services of the pages, so the rules cannot drift apart: what is published is
public (no sign-in); a draft is for its starter and the district's reviewers, the contact of an initiative only
for them; a support request for who asked it and who answers it.  One may not read answers exactly like an id
that does not exist (404).  Lists come in pages of at most 100; every list costs a fixed number of queries.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import Field, field_validator

from apps.access.actors import actor_for
from apps.access.rules import can
from apps.people.schemas import MessageOut

from . import events as event_reads
from . import selectors, support
from .models import Event, GrantCall, Initiative, SupportKind, SupportRequest
from .selectors import PublicFilter

router = Router(tags=["community"])

ERRORS: dict[int, Any] = {404: MessageOut, 422: MessageOut}
SIGNED_IN: dict[int, Any] = {401: MessageOut, 403: MessageOut, **ERRORS}
Audience = Literal[tuple(Initiative.Audience.values)]  # type: ignore[valid-type]


class CommunityPaging(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


class CommunityDistrictOut(Schema):
    id: int
    number: int
    name: str


class CommunityThemeOut(Schema):
    slug: str
    name: str


class CommunityContactOut(Schema):
    name: str
    email: str
    phone: str


class CommunityInitiativeItemOut(Schema):
    id: int
    title: str
    summary: str
    status: str
    audience: list[str]
    district: CommunityDistrictOut | None
    place: str | None
    street: str
    intergenerational: bool
    intercultural: bool
    themes: list[CommunityThemeOut]


class CommunityInitiativeOut(CommunityInitiativeItemOut):
    organiser: str
    organiser_name: str
    rhythm: str
    when_text: str
    starts_on: date | None
    ends_on: date | None
    languages: list[str]
    wheelchair_accessible: bool
    accessibility_note: str
    costs_note: str
    followers: int
    contact: CommunityContactOut | None = Field(None, description="Only for its starter and the district's reviewers.")


class CommunityInitiativePageOut(Schema):
    count: int
    items: list[CommunityInitiativeItemOut]


class CommunityInitiativeQuery(CommunityPaging):
    district: int | None = Field(None, ge=1, le=999)
    theme: str = Field("", max_length=60, pattern=r"^[a-z0-9_-]*$")
    audience: Audience | None = None  # type: ignore[valid-type]
    tag: Literal["intergenerational", "intercultural"] | None = None
    words: str = Field("", max_length=100)


class CommunityOccurrenceOut(Schema):
    event_id: int
    title: str
    starts_at: str
    ends_at: str
    district: CommunityDistrictOut
    place: str | None
    address: str
    wheelchair_accessible: bool
    initiative_id: int | None


class CommunityOccurrencePageOut(Schema):
    count: int
    items: list[CommunityOccurrenceOut]


class CommunityEventQuery(CommunityPaging):
    district: int | None = Field(None, ge=1, le=999)
    weeks: int = Field(4, ge=1, le=8)


class CommunityEventOut(Schema):
    id: int
    uid: str
    sequence: int
    title: str
    description: str
    status: str
    starts_on: date
    start_time: str
    duration_minutes: int
    repeat: str
    repeat_until: date | None
    cancelled_dates: list[str]
    district: CommunityDistrictOut
    place: str | None
    address: str
    wheelchair_accessible: bool
    initiative_id: int | None
    next_start: str | None


class CommunityMaterialOut(Schema):
    slug: str
    name: str
    quantity: int
    free: int = Field(description="The fewest free on any day of the period asked.")
    pick_up: str


class CommunityMaterialsQuery(Schema):
    first: date | None = Field(None, description="The first day, YYYY-MM-DD (today when not given).")
    days: int = Field(14, ge=1, le=61, description="How many days from the first.")

    @field_validator("first", mode="before")
    @classmethod
    def _iso_day(cls, value: Any) -> Any:
        """Only a calendar day as YYYY-MM-DD: pydantic would also read "0" as 1 January 1970."""
        if value is not None and not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
            raise ValueError("a day as YYYY-MM-DD")
        return value


class CommunityGrantCallOut(Schema):
    id: int
    title: str
    district: CommunityDistrictOut | None
    opens_on: date
    deadline: date
    ceiling_eur: int
    open: bool


class CommunityStepOut(Schema):
    kind: str
    label: str
    text: str
    at: str


class CommunitySupportItemOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    initiative_id: int
    initiative_title: str
    team: str | None
    submitted_at: str
    answer_due: date
    late: bool


class CommunitySupportOut(CommunitySupportItemOut):
    needed_from: date | None
    needed_until: date | None
    message: str
    details: dict[str, Any]
    materials: dict[str, int]
    call_id: int | None
    amount_eur: int | None
    granted_eur: int | None
    steps: list[CommunityStepOut]


class CommunitySupportPageOut(Schema):
    count: int
    items: list[CommunitySupportItemOut]


class CommunitySupportQuery(CommunityPaging):
    which: Literal["mine", "to-answer"] = "mine"
    kind: Literal[tuple(SupportKind.values)] | None = None  # type: ignore[valid-type]


# --- helpers -----------------------------------------------------------------------------------------------------


def _district(district: Any) -> dict[str, Any] | None:
    return None if district is None else {"id": district.pk, "number": district.number, "name": district.name}


def _initiative_item(found: Initiative) -> dict[str, Any]:
    return {
        "id": found.pk, "title": found.title, "summary": found.summary, "status": found.status,
        "audience": list(found.audience), "district": _district(found.district),
        "place": found.place.name if found.place else None, "street": found.street,
        "intergenerational": found.intergenerational, "intercultural": found.intercultural,
        "themes": [{"slug": t.slug, "name": t.name} for t in found.themes.all()],
    }  # fmt: skip


def _occurrence(row: dict[str, Any]) -> dict[str, Any]:
    event: Event = row["event"]
    return {
        "event_id": event.pk, "title": event.title, "starts_at": row["start"].isoformat(),
        "ends_at": row["end"].isoformat(), "district": _district(event.district),
        "place": event.place.name if event.place else None, "address": event.address,
        "wheelchair_accessible": event.wheelchair_accessible, "initiative_id": event.initiative_id,
    }  # fmt: skip


def _support_item(found: SupportRequest) -> dict[str, Any]:
    late = support.is_late(found)
    return {
        "id": found.pk, "kind": found.kind, "kind_label": str(found.get_kind_display()), "status": found.status,
        "status_label": str(found.get_status_display()), "initiative_id": found.initiative_id,
        "initiative_title": found.initiative.title, "team": found.team.name if found.team else None,
        "submitted_at": found.submitted_at.isoformat(), "answer_due": found.answer_due, "late": late,
    }  # fmt: skip


def _district_id(number: int | None) -> int | None:
    """The district's id; a number no district has matches nothing (id 0), as a filter does."""
    from apps.places.models import District

    if number is None:
        return None
    found = District.objects.filter(number=number).values_list("pk", flat=True).first()
    return 0 if found is None else int(found)


# --- initiatives -------------------------------------------------------------------------------------------------


@router.get("/community/initiatives", response={200: CommunityInitiativePageOut, 422: MessageOut}, auth=None)
def community_initiatives(request: HttpRequest, query: Query[CommunityInitiativeQuery]) -> Any:
    """The published initiatives, filtered as the public list (district number, theme code, for whom — "everyone"
    matches every group —, young and old or different backgrounds, words), by name."""
    chosen = PublicFilter(
        district=_district_id(query.district), theme=query.theme, audience=query.audience or "",
        tags=frozenset({query.tag} if query.tag else ()), words=query.words,
    )  # fmt: skip
    rows = selectors.published(chosen)
    page = list(rows[query.offset : query.offset + query.limit])
    return {"count": rows.count(), "items": [_initiative_item(i) for i in page]}


@router.get("/community/initiatives/{initiative_id}", response={200: CommunityInitiativeOut, **ERRORS}, auth=None)
def community_initiative(request: HttpRequest, initiative_id: int) -> Any:
    """One initiative: published ones for everyone; a draft for its starter and the district's reviewers.  The
    contact only for them, never in public."""
    actor = actor_for(request)
    found = selectors.initiative_for(actor, initiative_id)
    contact = None
    if can(actor, "community.view_contact", found):
        contact = {"name": found.contact_name, "email": found.contact_email, "phone": found.contact_phone}
    return {
        **_initiative_item(found), "organiser": found.organiser, "organiser_name": found.organiser_name,
        "rhythm": found.rhythm, "when_text": found.when_text, "starts_on": found.starts_on, "ends_on": found.ends_on,
        "languages": list(found.languages), "wheelchair_accessible": found.wheelchair_accessible,
        "accessibility_note": found.accessibility_note, "costs_note": found.costs_note,
        "followers": found.follows.count(), "contact": contact,
    }  # fmt: skip


# --- events ------------------------------------------------------------------------------------------------------


@router.get("/community/events", response={200: CommunityOccurrencePageOut, 422: MessageOut}, auth=None)
def community_events(request: HttpRequest, query: Query[CommunityEventQuery]) -> Any:
    """What's on: the occurrences of the next weeks (1 to 8) in time order, per district or the whole city;
    cancelled dates left out.  Times are ISO 8601 with the offset of Ghent's local time."""
    now = timezone.now()
    chosen = event_reads.WhatsOn(district_id=_district_id(query.district))
    rows = event_reads.public_occurrences(chosen, now=now, until=now + timedelta(weeks=query.weeks))
    page = event_reads.as_rows(rows[query.offset : query.offset + query.limit])  # paged in the database
    return {"count": rows.count(), "items": [_occurrence(r) for r in page]}


@router.get("/community/events/{event_id}", response={200: CommunityEventOut, **ERRORS}, auth=None)
def community_event(request: HttpRequest, event_id: int) -> Any:
    """One event with its calendar identity (UID, SEQUENCE) and its next date."""
    try:
        found = event_reads.event_for(actor_for(request), event_id)
    except Http404:
        raise HttpError(404, _("Not found.")) from None
    upcoming = event_reads.next_of(found) if found.status == Event.Status.SCHEDULED else None
    return {
        "id": found.pk, "uid": found.uid, "sequence": found.sequence, "title": found.title,
        "description": found.description, "status": found.status, "starts_on": found.starts_on,
        "start_time": found.start_time.strftime("%H:%M"), "duration_minutes": found.duration_minutes,
        "repeat": found.repeat, "repeat_until": found.repeat_until, "cancelled_dates": list(found.cancelled_dates),
        "district": _district(found.district), "place": found.place.name if found.place else None,
        "address": found.address, "wheelchair_accessible": found.wheelchair_accessible,
        "initiative_id": found.initiative_id, "next_start": upcoming[0].isoformat() if upcoming else None,
    }  # fmt: skip


# --- materials and grant calls -----------------------------------------------------------------------------------


@router.get("/community/materials", response={200: list[CommunityMaterialOut], 422: MessageOut}, auth=None)
def community_materials(request: HttpRequest, query: Query[CommunityMaterialsQuery]) -> Any:
    """What the city lends, and the fewest free on any of ``days`` days from ``first`` (today and the next two
    weeks when not given)."""
    today = timezone.localdate()
    # from today to a year ahead: past days' counts would tell who borrowed what, beside that day's public events
    first = min(max(query.first or today, today), today + timedelta(days=366))
    last = first + timedelta(days=query.days - 1)
    return [
        {"slug": m.slug, "name": m.name, "quantity": m.quantity, "free": free, "pick_up": m.pick_up}
        for m, free, _days in support.availability(first, last)
    ]


@router.get("/community/grant-calls", response={200: list[CommunityGrantCallOut]}, auth=None)
def community_grant_calls(request: HttpRequest) -> Any:
    """The grant calls, the latest deadline first (at most 100)."""
    today = timezone.localdate()
    calls: list[GrantCall] = list(support.calls_for()[:100])
    return [
        {"id": c.pk, "title": c.title, "district": _district(c.district), "opens_on": c.opens_on,
         "deadline": c.deadline, "ceiling_eur": c.ceiling_eur, "open": c.opens_on <= today <= c.deadline}
        for c in calls
    ]  # fmt: skip


# --- support requests --------------------------------------------------------------------------------------------


@router.get("/community/support-requests", response={200: CommunitySupportPageOut, **SIGNED_IN}, auth=django_auth)
def community_support_requests(request: HttpRequest, query: Query[CommunitySupportQuery]) -> Any:
    """``mine``: the requests of the initiatives one started, the latest first.  ``to-answer``: what waits for
    one's teams and districts, the answer due first (the worklist; city accounts only, else 403)."""
    actor = actor_for(request)
    if query.which == "to-answer":
        if not can(actor, "community.support_worklist"):
            raise HttpError(403, _("Only the city's teams and the district's coordinators see this."))
        rows = support.worklist(actor, kind=query.kind or "")
    else:
        rows = support.mine(actor)
        if query.kind:
            rows = rows.filter(kind=query.kind)
    page = list(rows[query.offset : query.offset + query.limit])
    return {"count": rows.count(), "items": [_support_item(r) for r in page]}


@router.get(
    "/community/support-requests/{request_id}", response={200: CommunitySupportOut, **SIGNED_IN}, auth=django_auth
)
def community_support_request(request: HttpRequest, request_id: int) -> Any:
    """One request with its history; the city's own notes only for who answers it."""
    actor = actor_for(request)
    found = support.request_for(actor, request_id)
    return _support_out(actor, found)


def _support_out(actor: Any, found: SupportRequest) -> dict[str, Any]:
    return {
        **_support_item(found), "needed_from": found.needed_from, "needed_until": found.needed_until,
        "message": found.message, "details": dict(found.details),
        "materials": {line.material.slug: line.quantity for line in found.lines.select_related("material")},
        "call_id": found.call_id, "amount_eur": found.amount_eur, "granted_eur": found.granted_eur,
        "steps": [{"kind": s.kind, "label": str(s.get_kind_display()), "text": s.text, "at": s.at.isoformat()}
                  for s in support.steps_for(actor, found)],
    }  # fmt: skip


WITHDRAW_ANSWERS: dict[int, Any] = {200: CommunitySupportOut, **SIGNED_IN, 409: MessageOut}


@router.post("/community/support-requests/{request_id}/withdraw", response=WITHDRAW_ANSWERS, auth=django_auth)
def community_support_withdraw(request: HttpRequest, request_id: int) -> Any:
    """Who asked it no longer needs it: its materials are free again at once.  A request already answered is a
    409 with the message of the page."""
    actor = actor_for(request)
    found = support.request_for(actor, request_id)
    try:
        withdrawn = support.withdraw(actor=actor, request=found)
    except PermissionDenied:
        raise HttpError(404, _("Not found.")) from None
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from None
    return _support_out(actor, support.request_for(actor, withdrawn.pk))
