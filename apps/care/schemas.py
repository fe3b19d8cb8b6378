"""API shapes of care matching.

Privacy is decided by the shape, not by the data: a helper who has not accepted a request gets a
:class:`RequestSummaryOut`, a class that has no field for a name, an address, a phone number or the
description at all (a test reads the OpenAPI document to prove it).  The whole request
(:class:`RequestOut`) and the details for the visit (:class:`VisitOut`) go only to the person, their
coordinator and the helper who holds or held the request, and every such read is in the access log.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, Field

MAX_ID = 2**31 - 1
"""Ids in bodies stay within what every database stores (a bigger number can only be unknown)."""

Recurrence = Literal["none", "weekly", "fortnightly"]
HelperKind = Literal["volunteer", "neighbour", "student", "newcomer"]


def _in_our_times(moment: datetime) -> datetime:
    """Refuse moments no care visit can have (and that overflow when turned into UTC)."""
    if not 2000 <= moment.year <= 2100:
        raise ValueError(_("Give a moment between the years 2000 and 2100."))
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(_in_our_times)]
"""An ISO 8601 date and time with its offset, e.g. 2025-03-04T10:00:00+01:00."""
MatchStatus = Literal["proposed", "accepted", "declined", "planned", "done", "cancelled"]


class CategoryOut(Schema):
    code: str
    name: str = Field(description="In the language of the request (Accept-Language)")
    description: str
    professional: bool = Field(description="Never offered to volunteers: such a request becomes a referral")


class DistrictRefOut(Schema):
    id: int
    number: int
    name: str


class WindowIn(Schema):
    start: Moment = Field(description="ISO 8601 with its offset, e.g. 2025-03-04T10:00:00+01:00")
    end: Moment


class WindowOut(Schema):
    start: datetime
    end: datetime


class HelperRefOut(Schema):
    id: int = Field(description="The helper's number (their offer), as suggestions and proposals name it")
    first_name: str


# --- requests --------------------------------------------------------------------------------------------


class RequestIn(Schema):
    person_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Coordinators: the person asking by phone; leave out to ask for yourself"
    )
    category: str = Field(min_length=1, max_length=40, description="A category code (GET /care/categories)")
    description: str = Field("", max_length=2000)
    address: str = Field("", max_length=200, description="Where the help is needed; empty: the person's address")
    windows: list[WindowIn] = Field(min_length=1, max_length=20, description="When the help can take place")
    duration_minutes: int = Field(60, ge=1, le=1440, description="15 minutes to 8 hours")
    recurrence: Recurrence = "none"
    repeat_until: date | None = Field(None, description="Last day of a weekly or fortnightly repetition")
    languages: list[str] = Field(default_factory=list, max_length=20)
    urgency: int = Field(3, ge=1, le=5, description="1 can wait … 5 urgent")
    requires_vetted: bool = False
    preferred_helper_ids: list[int] = Field(default_factory=list, max_length=20)
    excluded_helper_ids: list[int] = Field(default_factory=list, max_length=20)
    follow_up_on: date | None = None


class MatchBriefOut(Schema):
    id: int
    status: MatchStatus
    status_label: str
    helper: HelperRefOut
    planned_start: datetime | None
    planned_end: datetime | None


class RequestOut(Schema):
    """The whole request: only for the person, their coordinator and the helper who holds or held it."""

    id: int
    person_id: int
    person_name: str
    category: CategoryOut
    description: str
    street: str
    house_number: str
    postcode: str
    district: DistrictRefOut
    duration_minutes: int
    recurrence: Recurrence
    repeat_until: date | None
    languages: list[str]
    urgency: int
    urgency_label: str
    requires_vetted: bool
    status: str
    status_label: str
    channel: str
    created_at: datetime
    follow_up_on: date | None
    windows: list[WindowOut]
    matches: list[MatchBriefOut]


class RequestPageOut(Schema):
    count: int
    items: list[RequestOut]


class CancelIn(Schema):
    reason: str = Field(max_length=300)


class RequestSummaryOut(Schema):
    """An open request as a helper sees it before accepting.  No field for who, where exactly or what
    personal details: keep it that way (a test reads this class in the OpenAPI document)."""

    id: int
    category: CategoryOut
    district: DistrictRefOut
    duration_minutes: int
    recurrence: Recurrence
    repeat_until: date | None
    languages: list[str]
    urgency: int
    urgency_label: str
    requires_vetted: bool
    windows: list[WindowOut]


class NearbyRequestOut(Schema):
    """A request near the helper that fits their offer ("I can help" takes it)."""

    request: RequestSummaryOut
    approximate_distance_km: float = Field(
        description="To the request's shown position (a fixed point a few hundred metres from the house, "
        "never the house), rounded to half a kilometre"
    )
    fits_from: datetime = Field(description="The first common free time of the request and the helper")
    fits_until: datetime


# --- matches ---------------------------------------------------------------------------------------------


class VisitOut(Schema):
    """What the helper needs to go there, once they have accepted (and what the person and the
    coordinator see anyway)."""

    person_name: str
    phone: str
    street: str
    house_number: str
    postcode: str
    description: str


class EventOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    note: str


class MatchItemOut(Schema):
    id: int
    status: MatchStatus
    status_label: str
    request: RequestSummaryOut
    helper: HelperRefOut
    approximate_distance_km: float | None = Field(
        description="From the helper's home to the request's shown position, rounded to half a kilometre"
    )
    created_at: datetime
    planned_start: datetime | None
    planned_end: datetime | None
    awaiting_check: bool = Field(
        description="A new helper's take that a coordinator checks first: until then the helper sees no visit"
    )


class MatchOut(MatchItemOut):
    visit: VisitOut | None = Field(
        description="Null for a helper until they accept, and while a coordinator checks a new helper's take"
    )
    accepted_at: datetime | None
    decline_reason: str
    done_at: datetime | None
    hours: float | None
    helper_feedback: str
    helper_continues: bool | None
    resident_feedback: str
    resident_continues: bool | None
    cancel_reason: str
    events: list[EventOut]


class MatchPageOut(Schema):
    count: int
    items: list[MatchItemOut]


class DeclineIn(Schema):
    reason: str = Field(max_length=300)


class CheckIn(Schema):
    confirm: bool = Field(description="True: the helper sees the details; false: the request looks for a helper again")
    reason: str = Field("", max_length=300, description="Why not (required when not confirming)")


class PlanIn(Schema):
    start: Moment
    end: Moment


class DoneIn(Schema):
    hours: float = Field(description="0.25 to 12")
    feedback: str = Field("", max_length=500)
    would_come_again: bool | None = Field(None, description="For a recurring request: keep this helper")


class FeedbackIn(Schema):
    feedback: str = Field("", max_length=500)
    same_helper_again: bool | None = None


class ProposeIn(Schema):
    helper_id: int = Field(ge=1, le=MAX_ID, description="The helper's number, as the suggestions give it")


# --- the coordinator's view of the engine ----------------------------------------------------------------


class SuggestionOut(Schema):
    helper_id: int
    helper_name: str = Field(description="First name and initial, as the pages show it")
    kind: str
    score: float
    distance_km: float = Field(description="Rounded to 0.1 km, as the pages show it")
    preferred: bool
    fits_from: datetime
    fits_until: datetime
    reasons: list[str]


class RuleOut(Schema):
    rule: int = Field(description="1..6, as in specs/matching-problem.md")
    name: str
    ok: bool
    detail: str


class ExplanationOut(Schema):
    request_id: int
    helper_id: int
    helper_name: str = Field(description="First name and initial, as the pages show it")
    eligible: bool
    score: float | None
    distance_km: float | None = Field(description="Rounded to 0.1 km, as the pages show it")
    rules: list[RuleOut]
    note: str = Field(description="Why there are no rules to show, when there are none")


# --- the helper's offer ----------------------------------------------------------------------------------


HOUR_MINUTE = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class SlotIn(Schema):
    weekday: int = Field(ge=0, le=6, description="0 Monday … 6 Sunday")
    start: str = Field(pattern=HOUR_MINUTE, description="Wall-clock time of the city, HH:MM")
    end: str = Field(pattern=HOUR_MINUTE, description="HH:MM")


class SlotOut(Schema):
    """Times as the city's wall-clock HH:MM (a JSON Schema "time" would need an offset, which a weekly
    slot does not have: it follows summer and winter time)."""

    weekday: int
    start: str = Field(pattern=HOUR_MINUTE)
    end: str = Field(pattern=HOUR_MINUTE)


class AwayOut(Schema):
    id: int
    first_day: date
    last_day: date
    note: str


class OfferOut(Schema):
    id: int
    kind: str
    categories: list[CategoryOut]
    slots: list[SlotOut]
    max_distance_km: float
    requests_per_week: int
    languages: list[str]
    active: bool
    away: list[AwayOut] = Field(description="Times away that are not over yet")
    vetted_until: date | None = Field(description="The latest valid check (certificate of good conduct…)")
    cannot_take: str | None = Field(
        None,
        description="Why “I can help” would be refused now, whatever the request (as many requests held as "
        "offered, the day's limit, an earlier take waiting for a coordinator's check); null when it can work",
    )


class OfferIn(Schema):
    kind: HelperKind = "neighbour"
    categories: list[str] = Field(max_length=20, description="Category codes (not professional ones)")
    slots: list[SlotIn] = Field(max_length=50, description="Weekly free moments; they replace the earlier ones")
    max_distance_km: float = Field(2.0, description="0.1 to 50")
    requests_per_week: int = Field(1, description="1 to 20")
    languages: list[str] = Field(max_length=20)
    active: bool = True


class AwayIn(Schema):
    first_day: date
    last_day: date
    note: str = Field("", max_length=100)


# --- rounds ----------------------------------------------------------------------------------------------


class RoundIn(Schema):
    district_id: int | None = Field(None, ge=1, le=MAX_ID, description="One of your districts; null: all of them")


class RoundOut(Schema):
    id: int
    status: str
    status_label: str
    district: DistrictRefOut | None
    created_at: datetime
    finished_at: datetime | None
    requests_count: int
    helpers_count: int
    total_score: float
    optimal: bool
    seconds: float
    error: str


class ProposalOut(Schema):
    id: int
    request_id: int
    category: CategoryOut
    district: DistrictRefOut
    urgency: int
    helper: HelperRefOut
    score: float
    distance_km: float
    match_id: int | None = Field(description="Set once the proposal is confirmed")


class RoundDetailOut(RoundOut):
    proposals_count: int
    proposals: list[ProposalOut]


class ConfirmIn(Schema):
    proposal_ids: list[int] | None = Field(None, max_length=5000, description="Null: every open proposal")


class SkippedOut(Schema):
    proposal_id: int
    reason: str


class ConfirmOut(Schema):
    match_ids: list[int]
    skipped: list[SkippedOut]


# --- the worklist ----------------------------------------------------------------------------------------


class WorkItemOut(Schema):
    request_id: int
    match_id: int | None
    category: CategoryOut
    district: DistrictRefOut
    urgency: int
    urgency_label: str
    status: str
    created_at: datetime
    follow_up_on: date | None
    helper: HelperRefOut | None
    planned_end: datetime | None


class WorklistOut(Schema):
    """The sections of the coordinator's worklist page, each bounded like the page."""

    to_check: list[WorkItemOut] = Field(description="New helpers' takes waiting for a coordinator's check")
    new: list[WorkItemOut]
    waiting: list[WorkItemOut]
    without_helper: list[WorkItemOut]
    follow_ups: list[WorkItemOut]
    overdue_visits: list[WorkItemOut]
    referrals: list[WorkItemOut]
    cancelling: list[WorkItemOut] = Field(
        description="Visits cancelled, after seeing the details, by helpers who cancel often (CARE_CANCEL_FLAG_*)"
    )
