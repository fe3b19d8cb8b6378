"""API shapes for districts, places and addresses."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    detail: str


class DistrictOut(Schema):
    number: int
    name: str
    slug: str
    area_name: str
    area_km2: float
    population: int | None
    interior_lat: float
    interior_lon: float


class OpeningHoursOut(Schema):
    """Local times (Europe/Brussels) as HH:MM: OpenAPI's "time" format would demand a UTC offset."""

    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    opens: str = Field(pattern=r"^\d{2}:\d{2}$", description="HH:MM, local time")
    closes: str = Field(pattern=r"^\d{2}:\d{2}$", description="HH:MM, local time")

    @staticmethod
    def resolve_opens(obj: Any) -> str:
        return f"{obj.opens:%H:%M}"

    @staticmethod
    def resolve_closes(obj: Any) -> str:
        return f"{obj.closes:%H:%M}"


class RoomOut(Schema):
    name: str
    capacity: int
    wheelchair_accessible: bool
    equipment: str


class PlaceOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    street: str
    house_number: str
    postcode: str
    lat: float
    lon: float
    district_number: int
    phone: str
    email: str
    wheelchair_accessible: bool
    opening_hours: list[OpeningHoursOut]
    rooms: list[RoomOut]


class LocateOut(Schema):
    lat: float
    lon: float
    inside_city: bool
    district: DistrictOut | None


class AddressOut(Schema):
    street: str
    house_number: str
    postcode: str
    lat: float
    lon: float
    understood: str | None = Field(
        None, description="Set when the street was recognised from a misspelling or abbreviation"
    )
    note: str | None = None
    district: DistrictOut | None


class AddressNotFoundOut(Schema):
    detail: str
    suggestions: list[str]
