"""API shapes of wellbeing (``api.py``): a neighbour's report, structural signals, outreach cases and screenings.

Each answer is built field by field in ``api.py``, never from a whole row: what a role may not read is not in
the shape at all (the worklist of reports names no word of a report; the public signals hold four fields).
"""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class Choice(Schema):
    code: str = Field(examples=["mail"])
    label: str = Field(examples=["The mailbox overflows"])


class DistrictRef(Schema):
    id: int = Field(examples=[1])
    number: int = Field(examples=[1])
    name: str = Field(examples=["Binnenstad"])


# --- "I am worried about a neighbour" ----------------------------------------------------------------------


class WorriedFormOut(Schema):
    signs: list[Choice]
    districts: list[DistrictRef]
    csrf_token: str = Field(description="Send it back in the X-CSRFToken header with the csrftoken cookie this "
                            "answer sets, as the page's form does")  # fmt: skip


class WorriedIn(Schema):
    address: str = Field("", max_length=200, description="Street and house number, if known",
                         examples=["Sint-Pietersnieuwstraat 33"])  # fmt: skip
    description: str = Field("", max_length=500, description="Or who you mean, in your words")
    district_id: int | None = Field(None, description="Only without an address: the district", examples=[None])
    signs: list[str] = Field(default_factory=list, max_length=20, examples=[["mail", "curtains"]])
    noticed: str = Field("", max_length=1000, examples=["The mailbox has overflowed for a week."])
    name: str = Field("", max_length=100, description="Optional: how to reach you")
    phone: str = Field("", max_length=30, description="Optional; a mobile number gets one SMS when picked up")
    email: str = Field("", max_length=254, description="Optional")


class ReportItemOut(Schema):
    """A row of the worklist: no word of what was written."""

    id: int
    created_at: datetime
    district: DistrictRef
    status: str = Field(examples=["new"])
    status_label: str
    reporter_can_be_told: bool


class ReportPageOut(Schema):
    count: int
    items: list[ReportItemOut]


class ReportOut(ReportItemOut):
    district_chosen: bool
    street: str
    house_number: str
    postal_code: str
    description: str
    signs: list[Choice]
    noticed: str
    reporter_name: str
    reporter_phone: str
    reporter_email: str
    picked_up_at: datetime | None
    picked_up_by: str | None
    reporter_told_at: datetime | None
    case_id: int | None = Field(description="The outreach case opened from it, if you may see it")


class PickUpOut(ReportOut):
    reporter_told_now: bool = Field(description="Whether the reporter gets the one message now")


class CaseOpenedOut(Schema):
    case_id: int


# --- signals ---------------------------------------------------------------------------------------------


class SignalIn(Schema):
    category: str = Field(max_length=40, examples=["no_bench"])
    address: str = Field("", max_length=200, examples=["Sint-Pietersnieuwstraat 33"])
    lat: float | None = Field(None, ge=-90, le=90, examples=[None])
    lon: float | None = Field(None, ge=-180, le=180, examples=[None])
    description: str = Field("", max_length=1000, examples=["The bench at the bus stop was removed."])


class MySignalOut(Schema):
    id: int
    created_at: datetime
    category: Choice
    place: str = Field(description="The address of the register, or the nearest street of the point")
    district: DistrictRef
    status: str = Field(examples=["new"])
    status_label: str
    forwarded_to: str


class MySignalPageOut(Schema):
    count: int
    items: list[MySignalOut]


class StaffSignalOut(MySignalOut):
    description: str
    lat: float | None
    lon: float | None
    has_photo: bool = Field(description="The photo is on the signal's staff page, not in the API")
    triaged_by: str | None
    triaged_at: datetime | None


class StaffSignalPageOut(Schema):
    count: int
    items: list[StaffSignalOut]


class TriageIn(Schema):
    status: str = Field(max_length=20, examples=["forwarded"], description="forwarded, solved or not_applicable")
    forwarded_to: str = Field("", max_length=200, examples=["Mobility department"])


class PublicSignalOut(Schema):
    """Exactly what the district's public page shows."""

    category: str = Field(examples=["No bench to rest on"])
    street: str = Field(examples=["Sint-Pietersnieuwstraat"])
    month: date = Field(examples=["2026-11-01"])
    status: str = Field(examples=["New"])


class PublicSignalPageOut(Schema):
    district: DistrictRef
    count: int
    items: list[PublicSignalOut]


class PublicCountOut(Schema):
    district: DistrictRef
    signals: int


# --- cases and screenings (read-only) --------------------------------------------------------------------


class CaseItemOut(Schema):
    id: int
    who: str = Field(description="The person's name, or 'not known yet'")
    person_id: int | None
    district: DistrictRef
    status: str
    status_label: str
    origin: str
    follow_up_on: date | None
    assigned_to: str | None
    created_at: datetime
    mine: bool = Field(description="Assigned to me (else a case of my team, as its lead)")


class CasePageOut(Schema):
    count: int
    items: list[CaseItemOut]


class CaseAttemptOut(Schema):
    at: datetime
    by: str | None
    channel: str
    outcome: str
    note: str


class CaseOfferOut(Schema):
    kind: str
    description: str
    answer: str
    created_at: datetime
    care_request_id: int | None
    referral_id: int | None


class CaseOut(CaseItemOut):
    notes: str
    has_consent: bool
    report_id: int | None
    screening_id: int | None
    outcome: str
    closed_at: datetime | None
    attempts: list[CaseAttemptOut]
    offers: list[CaseOfferOut]


class ScoreOut(Schema):
    label: str
    value: int | None
    lowest: int
    highest: int
    category: str
    meaning: str


class ScreeningOut(Schema):
    id: int
    person_id: int | None
    instrument: str = Field(examples=["djg6"])
    instrument_name: str
    instrument_version: str
    answer_format: str = Field(examples=["3"])
    language: str
    mode: str
    taken_at: datetime
    total: int | None
    category: str
    meaning: str
    emotional: int | None
    emotional_category: str
    social: int | None
    social_category: str
    missing: list[str]
    scores: list[ScoreOut]
    answers: dict[str, str | None] = Field(description="The answer given to each item, by item number (null: none)")


class ScreeningPageOut(Schema):
    count: int
    items: list[ScreeningOut]
