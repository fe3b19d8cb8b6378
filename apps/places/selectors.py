"""Reads of districts and places.  Views and the API call these, never the ORM directly."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from .models import District, Place


def district_list() -> QuerySet[District]:
    return District.objects.annotate(place_count=Count("places")).order_by("name")


def district_count() -> int:
    return District.objects.count()


def district_by_slug(slug: str) -> District:
    district = District.objects.filter(slug=slug).first()
    if district is None:
        raise Http404
    return district


def district_by_number(number: int) -> District:
    district = District.objects.filter(number=number).first()
    if district is None:
        raise Http404
    return district


def places_in(district: District) -> QuerySet[Place]:
    return (
        Place.objects.filter(district=district)
        .select_related("district")
        .prefetch_related("rooms", "opening_hours")
        .order_by("kind", "name")
    )


def place_list(*, district_number: int | None = None, kind: str | None = None) -> QuerySet[Place]:
    places = Place.objects.select_related("district").prefetch_related("rooms", "opening_hours").order_by("name")
    if district_number is not None:
        places = places.filter(district__number=district_number)
    if kind:
        places = places.filter(kind=kind)
    return places


def place_by_slug(slug: str) -> Place:
    place = place_list().filter(slug=slug).first()
    if place is None:
        raise Http404
    return place
