"""API shapes for organisations (field names as in the HSDS 3 ``organization`` table)."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    email: str
    website: str
    phone: str
    active: bool


class OrganisationIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=4000)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=30)


class StaffOut(Schema):
    id: int
    person_id: int
    name: str
    role: str
    granted_at: datetime


class StaffIn(Schema):
    login: str = Field(min_length=3, max_length=254, description="Email address or mobile number of their account")
    role: str = Field(pattern="^(organisation_staff|coordinator)$")
