"""The public "Find help" pages: the search, one service's page, and the list of results for paper.

Thin: the form reads what was asked, ``search.py`` finds and explains, this module only shapes what the
templates show (the map, a service's hours in words).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.access.decorators import requires
from apps.core import formats
from apps.core.components import Tag
from apps.places.geo import MapMarker, MapShape, SvgMap
from apps.places.models import District
from domain.directory import opening
from domain.geo import svg as geo_svg

from . import search
from .forms_search import SearchForm
from .models import Address, Service, ServiceAtLocation, TaxonomyTerm

PRINT_LIMIT = 200
"""The printed list holds at most this many services (a longer list is no help on paper)."""


# ----------------------------------------------------------------------------------------------------------
# the search


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def status_tag(result: search.Result) -> Tag:
    """The tag on a result's card: the service's state first, then whether it is open now."""
    if result.service.status == Service.Status.TEMPORARILY_CLOSED:
        return Tag(_("Temporarily closed"), "warning")
    state = result.status.state
    if state is opening.State.OPEN:
        return Tag(_("Open now"), "success")
    if state is opening.State.APPOINTMENT:
        return Tag(_("By appointment"), "info")
    if state is opening.State.CLOSED:
        return Tag(_("Closed now"), "neutral")
    return Tag(_("Hours not known"), "neutral")


@dataclass(frozen=True)
class CityOutline:
    projection: geo_svg.Projection
    shapes: tuple[tuple[int, str, str], ...]
    """(district id, SVG path, name) per district."""


def _districts_version() -> tuple[int, str]:
    latest = District.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return District.objects.count(), str(latest)


@lru_cache(maxsize=2)
def _outline_for(version: tuple[int, str]) -> CityOutline | None:
    districts = list(District.objects.order_by("number").only("pk", "name", "geometry"))
    if not districts:
        return None
    projection = geo_svg.Projection.fit([d.geometry for d in districts], width=600)
    # a path is numbers and the letters M, L and Z only: safe as it is, so the page does not escape 60 kB again
    paths = tuple((d.pk, mark_safe(projection.path(d.geometry)), d.name) for d in districts)  # noqa: S308
    return CityOutline(projection, paths)


def results_map(results: list[search.Result], district: District | None, near: search.Near | None) -> SvgMap | None:
    """The city's districts drawn on the server (no tiles), the chosen district marked, a dot per place.

    The districts' outline is drawn once per process (and again when the districts change): the 25 paths
    took longer than the search itself."""
    outline = _outline_for(_districts_version())
    if outline is None:
        return None
    projection = outline.projection
    chosen = district.pk if district is not None else None
    shapes = [MapShape(path=path, label=name, current=pk == chosen) for pk, path, name in outline.shapes]
    markers = []
    for number, result in enumerate(results, start=1):
        for place in result.places:
            location = place.location
            if location.latitude is not None and location.longitude is not None:
                label = f"{number}. {result.service.name} – {location.name}"
                markers.append(MapMarker(*projection.point(location.latitude, location.longitude), label=label))
    if near is not None:
        x, y = projection.point(near.lat, near.lon)
        markers.append(MapMarker(x, y, label=_("The address: %(address)s") % {"address": near.label}))
    return SvgMap(
        view_box=projection.view_box,
        title=_("Map of the districts with the places of the services on this page"),
        shapes=shapes,
        markers=markers,
        marker_radius=projection.width / 120,
    )


def browse_needs() -> list[TaxonomyTerm]:
    """The main types of help, as links to start from for someone who does not know what to type."""
    return list(TaxonomyTerm.objects.filter(active=True, parent__isnull=True))


@requires("public")
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Search as a GET form: the results come right after it, each with why it is there."""
    form = SearchForm(request.GET if request.GET.keys() - {"page"} else None)
    context: dict[str, Any] = {"form": form, "query": _query_without_page(request)}
    if form.is_bound and form.is_valid():
        criteria = form.criteria()
        found = search.search(criteria, request.GET.get("page", 1))
        tagged = [(result, status_tag(result)) for result in found.results]
        context.update(
            found=found,
            results=tagged,
            page=found.page,
            first_number=found.page.start_index(),
            summary=form.summary(),
            understood=form.understood,
            results_map=results_map(found.results, criteria.district, criteria.near),
        )
    else:
        context["needs"] = browse_needs()
    context["filters_open"] = not form.is_bound or bool(form.errors)
    return render(request, "directory/search/search.html", context)


@requires("public")
@require_GET
def print_page(request: HttpRequest) -> HttpResponse:
    """The current results on paper: no menu, large text, names, addresses and phone numbers."""
    form = SearchForm(request.GET)
    found = None
    if form.is_valid():
        found = search.search(form.criteria(), 1, per_page=PRINT_LIMIT)
    context = {
        "form": form,
        "found": found,
        "summary": form.summary() if found is not None else [],
        "today": timezone.localdate(),
        "query": _query_without_page(request),
        "limit": PRINT_LIMIT,
    }
    return render(request, "directory/search/print.html", context)


# ----------------------------------------------------------------------------------------------------------
# one service


@dataclass
class DayHours:
    day: str
    hours: str


@dataclass
class PlaceShown:
    """A place of a service as its page shows it."""

    place: ServiceAtLocation | None
    addresses: list[Address]
    week: list[DayHours]
    closures: list[str]
    appointment: bool
    phones: list[Any] = field(default_factory=list)


def closure_in_words(rule: opening.Rule) -> str:
    start, end = rule.valid_from, rule.valid_to
    if start and end and start == end:
        return _("Closed on %(day)s") % {"day": formats.day(start)}
    if start and end:
        return _("Closed from %(first)s to %(last)s") % {"first": formats.day(start), "last": formats.day(end)}
    if start:
        return _("Closed from %(first)s") % {"first": formats.day(start)}
    if end:
        return _("Closed until %(last)s") % {"last": formats.day(end)}
    return _("Closed until further notice")


def week_in_words(rules: list[opening.Rule], today: date) -> list[DayHours]:
    """Monday to Sunday of this week with the usual hours ("Closed" on a day without)."""
    monday = today - timedelta(days=today.weekday())
    shown = []
    for offset, periods in opening.week(rules, today):
        hours = search.hours_in_words(periods) if periods else _("Closed")
        shown.append(DayHours(formats.weekday(monday + timedelta(days=offset)), hours))
    return shown


def places_shown(service: Service, today: date) -> list[PlaceShown]:
    shown = []
    for place, rules in search.place_rules(service):
        has_hours = opening.has_hours(rules)
        phones: list[Any] = []
        if place is not None:
            phones = [*place.phones.all(), *place.location.phones.all()]
        shown.append(
            PlaceShown(
                place=place,
                addresses=list(place.location.addresses.all()) if place else [],
                week=week_in_words(rules, today) if has_hours else [],
                closures=[closure_in_words(rule) for rule in opening.closures_ahead(rules, today)],
                appointment=opening.by_appointment(rules),
                phones=phones,
            )
        )
    return shown


def who_for(service: Service) -> list[str]:
    """Who the service is for, in short sentences: age, districts, income."""
    lines = []
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        lines.append(_("From %(low)s to %(high)s years old") % {"low": low, "high": high})
    elif low is not None:
        lines.append(_("From %(low)s years old") % {"low": low})
    elif high is not None:
        lines.append(_("Up to %(high)s years old") % {"high": high})
    districts = [area.district.name if area.district else area.name for area in service.service_areas.all()]
    if districts:
        lines.append(_("For residents of %(districts)s") % {"districts": ", ".join(d for d in districts if d)})
    if service.income_limited:
        lines.append(_("Only for people with a low income"))
    return lines


def languages_of(service: Service) -> list[str]:
    """The languages of the service and of its places, as codes (no query after ``with_details``)."""
    codes = {language.code.lower() for language in service.languages.all() if language.code}
    for place in service.service_at_locations.all():
        codes |= {language.code.lower() for language in place.location.languages.all() if language.code}
    return sorted(codes, key=lambda code: (code != "nl", code))  # the city's language first


@requires("public")
@require_GET
def service_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    """One published service: what it offers, where and when, how to reach it, for whom, costs, how to apply."""
    service = search.published_service(pk)
    moment = timezone.localtime()
    status = search.service_status([rules for _place, rules in search.place_rules(service)], moment)
    checked = service.assured_date or (timezone.localdate(service.checked_at) if service.checked_at else None)
    context = {
        "service": service,
        "status_text": search.status_in_words(status, moment),
        "places": places_shown(service, moment.date()),
        "phones": search.phones_of(service),
        "languages": formats.language_names(languages_of(service)),
        "who_for": who_for(service),
        "types": [attribute.taxonomy_term for attribute in service.attributes.all()],
        "checked": checked,
        "temporarily_closed": service.status == Service.Status.TEMPORARILY_CLOSED,
    }
    return render(request, "directory/search/service.html", context)
