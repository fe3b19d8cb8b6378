"""API shapes for persons, consents and roles."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field, StrictBool


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    phone: str
    email: str
    street: str
    house_number: str
    postcode: str
    district_number: int | None
    languages: list[str]
    birth_date: date | None
    contact_preference: str
    has_account: bool
    organisation_slug: str | None = Field(description="The organisation that follows the person, if any")


class PersonDetailOut(PersonOut):
    support_needs: str | None = Field(description="Only when the rules allow; every read is in the access log")


class PersonIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    address: str = Field(min_length=3, max_length=200, description="Street, house number, optional postcode")
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    languages: list[str] = Field(default_factory=list, max_length=20)
    birth_date: date | None = None
    contact_preference: str = Field("phone", pattern="^(phone|sms|email|post|visit)$")
    support_needs: str = Field("", max_length=2000)
    consents: list[str] = Field(default_factory=list, max_length=10)
    organisation: str | None = Field(
        None, max_length=220, description="Slug of the organisation that follows the person (coordinators for one)"
    )


class ConsentOut(Schema):
    purpose: str
    method: str
    text_version: str
    given_at: datetime
    withdrawn_at: datetime | None


class ConsentIn(Schema):
    purpose: str = Field(pattern="^[a-z_]{1,30}$")
    method: str = Field("online", pattern="^(online|phone|paper)$")


class RoleOut(Schema):
    id: int = Field(description="The role assignment, to withdraw it")
    role: str
    district_number: int | None
    place_slug: str | None
    organisation_slug: str | None
    granted_at: datetime
    withdrawn_at: datetime | None


class ReadOut(Schema):
    at: datetime
    role: str
    reader: str = Field(
        "",
        description="Who read it: a helper by first name and initial, a coordinator by first name and organisation "
        "(the city for a district's coordinator), other staff by their organisation only",
    )
    action: str
    purpose: str
    outcome: str


class MessageOut(Schema):
    detail: str


class ProfileIn(Schema):
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    address: str | None = Field(None, min_length=3, max_length=200)
    phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    languages: list[str] | None = Field(None, max_length=20)
    birth_date: date | None = None
    contact_preference: str | None = Field(None, pattern="^(phone|sms|email|post|visit)$")


class RoleIn(Schema):
    role: str = Field(pattern="^[a-z_]{1,30}$")


class EraseIn(Schema):
    confirm: StrictBool = Field(
        False, description="Must be true: all personal data is removed for good and cannot be brought back"
    )


class RoleAssignmentOut(RoleOut):
    withdrawn_by_person_id: int | None = Field(description="Who withdrew the role, when it was withdrawn")
