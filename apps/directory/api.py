"""The directory as a read-only Open Referral HSDS 3.0 API (``/api/v1/hsds/``), as HSDS's own ``openapi.json``
describes it: the same paths, the same paging object and the same query parameters.

Public and without login: only what city staff published (the live tables), never a referral.  Each page
costs a fixed number of queries whatever the size of the directory (the documents' rows are prefetched).
The documents are those of :mod:`apps.directory.hsds`; every one validates against the official compiled
schemas (``apps/directory/hsds_schema/``, tested in ``tests/apps/directory/test_hsds_api.py``).
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import StringConstraints, WithJsonSchema

from apps.organisations.models import Organisation

from . import hsds
from .models import Location, OrganisationRecord, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

router = Router(tags=["HSDS 3.0 (service directory)"])

NDJSON = "application/x-ndjson"
HSDS_SCHEMA = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
PROFILE = "https://docs.openreferral.org/en/v3.0/"
MAX_PER_PAGE = 500
MAX_PAGE = 1_000_000
STREAM_CHUNK = 200


class ErrorOut(Schema):
    detail: str


class InfoOut(Schema):
    version: str
    profile: str
    openapi_url: str
    publisher: dict[str, str]


class PageOut(Schema):
    """HSDS's paging object with the page's documents in ``contents``."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


ERRORS = {404: ErrorOut, 422: ErrorOut}


def _streamable(description: str) -> dict[str, Any]:
    """A list operation also answers in NDJSON (``format=ndjson``): one document a line, all pages."""
    ndjson = {NDJSON: {"schema": {"type": "string", "description": "One JSON document per line"}}}
    return {"description": description, "openapi_extra": {"responses": {200: {"content": ndjson}}}}


# --- shared parameters (HSDS openapi.json, components.parameters)

Search = Query(None, max_length=200, description="Full text search.")
PageNumber = Query(1, ge=1, le=MAX_PAGE, description="Page number of paginated result.")
PerPage = Query(50, ge=1, le=MAX_PER_PAGE, description="Number of results requested in a single page.")
Format = Query("json", description="`json` (paged) or `ndjson` (every result, one per line, no paging).")
Full = Query(False, description="Return fully nested documents.")
TermId = Query(None, description="Only those with this taxonomy term (a type of help).")
TaxonomyId = Query(None, description="Only those with a term of this taxonomy.")
OrganizationId = Query(None, description="Only those of this organization.")
ModifiedAfter = Query(
    None, description="Only those modified on or after this date and time (RFC 3339, e.g. 2026-01-31T09:00:00Z)."
)
# read by hand: pydantic would take a bare number ("0.5") for a moment in 1970
DateTimeText = Annotated[
    str, StringConstraints(max_length=64), WithJsonSchema({"type": "string", "format": "date-time", "maxLength": 64})
]


def _page(
    queryset: QuerySet[Any], page: int, per_page: int, document: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    total = queryset.count()
    rows = list(queryset[(page - 1) * per_page : page * per_page]) if total else []
    pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(rows),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": total == 0,
        "contents": [document(row) for row in rows],
    }


def _stream(queryset: QuerySet[Any], document: Callable[[Any], dict[str, Any]]) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        ids = list(queryset.values_list("pk", flat=True))
        for start in range(0, len(ids), STREAM_CHUNK):
            chunk = {row.pk: row for row in queryset.filter(pk__in=ids[start : start + STREAM_CHUNK])}
            for key in ids[start : start + STREAM_CHUNK]:
                yield hsds.dumps(document(chunk[key])) + "\n"

    return StreamingHttpResponse(lines(), content_type=NDJSON)


def _answer(queryset: QuerySet[Any], fmt: str, page: int, per_page: int, document: Callable[[Any], Any]) -> Any:
    if fmt == "ndjson":
        return _stream(queryset, document)
    return _page(queryset, page, per_page, document)


def _words(search: str | None) -> list[str]:
    from domain.directory.text import normalise

    return normalise(search or "").split()


def _organisation_pk(record_id: uuid.UUID) -> int | None:
    """The organisation an HSDS organization id names (its record's, or the fixed one of an organisation
    without a record yet)."""
    record = OrganisationRecord.objects.filter(pk=record_id).values_list("organisation_id", flat=True).first()
    return record if record is not None else hsds._fallback_record_ids().get(record_id)


LEAP_SECOND = re.compile(r"(T\d{2}:\d{2}):60")


def _moment(text: str) -> datetime:
    """An RFC 3339 date and time (a bare number is not one), in the server's zone when it names none."""
    try:
        moment = datetime.fromisoformat(LEAP_SECOND.sub(r"\1:59", text.strip().upper()))
    except ValueError:
        raise HttpError(422, _("modified_after: give a date and time such as 2026-01-31T09:00:00Z.")) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _services(
    search: str | None,
    taxonomy_term_id: uuid.UUID | None,
    taxonomy_id: uuid.UUID | None,
    organization_id: uuid.UUID | None,
    modified_after: str | None,
) -> QuerySet[Service]:
    """The published services that pass HSDS's filters, in name order (an organisation that was made inactive,
    instead of deleted, publishes nothing any more: as in the search)."""
    services = Service.objects.filter(organisation__active=True)
    for word in _words(search):
        services = services.filter(search_text__contains=word)
    if taxonomy_term_id is not None:
        services = services.filter(attributes__taxonomy_term_id=taxonomy_term_id)
    if taxonomy_id is not None:
        services = services.filter(attributes__taxonomy_term__taxonomy_id=taxonomy_id)
    if organization_id is not None:
        services = services.filter(organisation_id=_organisation_pk(organization_id))
    if modified_after is not None:
        services = services.filter(last_modified__gte=_moment(modified_after))
    if taxonomy_term_id is not None or taxonomy_id is not None:
        services = Service.objects.filter(pk__in=services.values("pk"))
    return services.order_by("name", "id")


def _minimal(service: Service) -> dict[str, Any]:
    return {"id": str(service.pk), "name": service.name, "status": service.status,
            "last_modified": hsds.to_json(Service._meta.get_field("last_modified"), service.last_modified)}  # fmt: skip


# --- the operations


@router.get("/hsds/", response={200: InfoOut, **ERRORS}, summary="About this HSDS API")
def hsds_info(request: HttpRequest) -> Any:
    """The HSDS version, profile and OpenAPI document of this API, and who publishes it."""
    return {
        "version": hsds.VERSION,
        "profile": PROFILE,
        "openapi_url": request.build_absolute_uri(reverse("api:openapi-json")),
        "publisher": {"name": f"City of People {settings.CITY_NAME}", "url": request.build_absolute_uri("/")},
    }


@router.get(
    "/hsds/services",
    response={200: PageOut, **ERRORS},
    summary="Services (paged)",
    **_streamable(
        f"Services with their one-to-one fields ({HSDS_SCHEMA}compiled/service_list.json), fully nested with "
        f"`full=true` ({HSDS_SCHEMA}compiled/service.json), or only id, name, status and last_modified with "
        "`minimal=true`."
    ),
)
def list_services(
    request: HttpRequest,
    search: str | None = Search,
    page: int = PageNumber,
    per_page: int = PerPage,
    format: Literal["json", "ndjson"] = Format,
    taxonomy_term_id: uuid.UUID | None = TermId,
    taxonomy_id: uuid.UUID | None = TaxonomyId,
    organization_id: uuid.UUID | None = OrganizationId,
    modified_after: DateTimeText | None = ModifiedAfter,
    minimal: bool = Query(False, description="Only id, name, status and last_modified."),
    full: bool = Full,
) -> Any:
    services = _services(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    if minimal:
        return _answer(services, format, page, per_page, _minimal)
    if full:
        return _answer(hsds.prefetch_services(services), format, page, per_page, hsds.service_document)
    listed = services.select_related("organisation").prefetch_related("organisation__directory_record")
    return _answer(listed, format, page, per_page, hsds.service_scalars)


@router.get(
    "/hsds/services/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="One service, fully nested",
    description=f"The service as {HSDS_SCHEMA}compiled/service.json.",
)
def get_service(request: HttpRequest, id: uuid.UUID) -> Any:
    service = hsds.prefetch_services(Service.objects.filter(pk=id, organisation__active=True)).first()
    if service is None:
        raise Http404
    return hsds.service_document(service)


def _organisations(search: str | None) -> QuerySet[Organisation]:
    listed = Organisation.objects.filter(Q(directory_record__isnull=False) | Q(services__isnull=False), active=True)
    organisations = Organisation.objects.filter(pk__in=listed.values("pk"))
    for word in (search or "").split():
        organisations = organisations.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return organisations.order_by("name", "pk")


@router.get(
    "/hsds/organizations",
    response={200: PageOut, **ERRORS},
    summary="Organizations (paged)",
    **_streamable(
        f"Organizations with their one-to-one fields ({HSDS_SCHEMA}compiled/organization_list.json), or fully "
        f"nested with `full=true` ({HSDS_SCHEMA}compiled/organization.json; their services fully nested too "
        "with `full_service=true`)."
    ),
)
def list_organizations(
    request: HttpRequest,
    search: str | None = Search,
    full_service: bool = Query(False, description="With `full=true`: the services fully nested."),
    full: bool = Full,
    page: int = PageNumber,
    per_page: int = PerPage,
    format: Literal["json", "ndjson"] = Format,
) -> Any:
    organisations = _organisations(search)
    if not full:
        return _answer(organisations.select_related("directory_record"), format, page, per_page,
                       hsds.organization_scalars)  # fmt: skip
    prefetched = hsds.prefetch_organisations(organisations, full_services=full_service)
    return _answer(prefetched, format, page, per_page,
                   lambda o: hsds.organization_document(o, full_services=full_service))  # fmt: skip


@router.get(
    "/hsds/organizations/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="One organization, fully nested",
    description=f"The organization as {HSDS_SCHEMA}compiled/organization.json, with its services (their "
    "one-to-one fields, or fully nested with `full_service=true`) and its locations.",
)
def get_organization(
    request: HttpRequest,
    id: uuid.UUID,
    full_service: bool = Query(False, description="The services fully nested."),
) -> Any:
    pk = _organisation_pk(id)
    organisation = None
    if pk is not None:
        organisation = hsds.prefetch_organisations(_organisations(None).filter(pk=pk), full_services=full_service)
        organisation = organisation.first()
    if organisation is None:
        raise Http404
    return hsds.organization_document(organisation, full_services=full_service)


@cache
def _postcode_centre(postcode: str) -> tuple[float, float] | None:
    """The centre of a postcode: the mean of the address register's points with it (or of the directory's
    own locations there, with a register that cannot list its points)."""
    from apps.places import geo

    finder = getattr(geo.geocoder(), "finder", None)
    points: list[tuple[float, float]] = []
    if finder is not None and hasattr(finder, "by_street"):
        points = [(p.lat, p.lon) for streets in finder.by_street.values() for p in streets.get(postcode, {}).values()]
    if not points:
        located = Location.objects.filter(addresses__postal_code=postcode, latitude__isnull=False)
        points = [(lat, lon) for lat, lon in located.values_list("latitude", "longitude") if lon is not None]
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _within(centre: tuple[float, float], metres: float) -> list[uuid.UUID]:
    """Locations within ``metres`` of a point (a box in SQL, then the great-circle distance)."""
    lat, lon = centre
    dlat = metres / 111_320
    dlon = metres / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    box = Location.objects.filter(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon))
    return [pk for pk, la, lo in box.values_list("pk", "latitude", "longitude") if _metres(lat, lon, la, lo) <= metres]


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(min(1.0, a)))


@router.get(
    "/hsds/service_at_locations",
    response={200: PageOut, **ERRORS},
    summary="Services at locations (paged)",
    **_streamable(
        f"Services at locations with their one-to-one fields ({HSDS_SCHEMA}compiled/service_at_location_list.json)"
        f", or fully nested with `full=true` ({HSDS_SCHEMA}compiled/service_at_location.json). `postcode` alone: "
        "at an address with this postcode; with `proximity`: within so many metres of the postcode's centre (none "
        "for a postcode without known addresses). `proximity` without `postcode` is ignored."
    ),
)
def list_service_at_locations(
    request: HttpRequest,
    search: str | None = Search,
    taxonomy_term_id: uuid.UUID | None = TermId,
    taxonomy_id: uuid.UUID | None = TaxonomyId,
    organization_id: uuid.UUID | None = OrganizationId,
    modified_after: DateTimeText | None = ModifiedAfter,
    full: bool = Full,
    page: int = PageNumber,
    per_page: int = PerPage,
    format: Literal["json", "ndjson"] = Format,
    postcode: str | None = Query(None, max_length=20, description="Postcode of the address or the centre."),
    proximity: float | None = Query(None, gt=0, le=100_000, description="Metres from the postcode's centre."),
) -> Any:
    services = _services(search, taxonomy_term_id, taxonomy_id, organization_id, modified_after)
    sals = ServiceAtLocation.objects.filter(service__in=services.values("pk"))
    if proximity is not None and postcode:
        centre = _postcode_centre(postcode.strip())
        sals = sals.filter(location_id__in=_within(centre, proximity) if centre else [])
    elif postcode:
        sals = sals.filter(location__addresses__postal_code=postcode.strip())
        sals = ServiceAtLocation.objects.filter(pk__in=sals.values("pk"))
    sals = sals.order_by("service__name", "location__name", "id")
    if full:
        return _answer(hsds.prefetch_sals(sals), format, page, per_page, hsds.service_at_location_document)
    listed = sals.select_related("service__organisation", "location").prefetch_related(
        "service__organisation__directory_record", "location__organisation__directory_record"
    )
    return _answer(listed, format, page, per_page, hsds.service_at_location_scalars)


@router.get(
    "/hsds/service_at_locations/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="One service at a location, fully nested",
    description=f"As {HSDS_SCHEMA}compiled/service_at_location.json: its location and its service.",
)
def get_service_at_location(request: HttpRequest, id: uuid.UUID) -> Any:
    sal = hsds.prefetch_sals(ServiceAtLocation.objects.filter(pk=id, service__organisation__active=True)).first()
    if sal is None:
        raise Http404
    return hsds.service_at_location_document(sal)


@router.get(
    "/hsds/taxonomies",
    response={200: PageOut, **ERRORS},
    summary="Taxonomies (paged)",
    **_streamable(f"Taxonomies ({HSDS_SCHEMA}taxonomy.json)."),
)
def list_taxonomies(
    request: HttpRequest,
    search: str | None = Search,
    page: int = PageNumber,
    per_page: int = PerPage,
    format: Literal["json", "ndjson"] = Format,
) -> Any:
    taxonomies = Taxonomy.objects.all()
    for word in (search or "").split():
        taxonomies = taxonomies.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return _answer(taxonomies.order_by("name", "id"), format, page, per_page, hsds.taxonomy_document)


@router.get(
    "/hsds/taxonomies/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="One taxonomy",
    description=f"As {HSDS_SCHEMA}taxonomy.json.",
)
def get_taxonomy(request: HttpRequest, id: uuid.UUID) -> Any:
    taxonomy = Taxonomy.objects.filter(pk=id).first()
    if taxonomy is None:
        raise Http404
    return hsds.taxonomy_document(taxonomy)


@router.get(
    "/hsds/taxonomy_terms",
    response={200: PageOut, **ERRORS},
    summary="Taxonomy terms (paged)",
    **_streamable(
        f"Taxonomy terms, the types of help ({HSDS_SCHEMA}taxonomy_term.json): `name` and `description` in Dutch "
        "(`language` nl), `name_en`, `name_fr`, `description_en`, `description_fr` when there are any."
    ),
)
def list_taxonomy_terms(
    request: HttpRequest,
    search: str | None = Search,
    page: int = PageNumber,
    per_page: int = PerPage,
    format: Literal["json", "ndjson"] = Format,
    taxonomy_id: uuid.UUID | None = Query(None, description="Only the terms of this taxonomy."),
    top_only: bool = Query(False, description="Only the terms without a parent term."),
    parent_id: uuid.UUID | None = Query(None, description="Only the terms under this parent term."),
) -> Any:
    terms = TaxonomyTerm.objects.select_related("taxonomy")
    for word in (search or "").split():
        terms = terms.filter(
            Q(name_nl__icontains=word) | Q(name_en__icontains=word) | Q(name_fr__icontains=word) | Q(code=word)
        )
    if taxonomy_id is not None:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    if top_only:
        terms = terms.filter(parent__isnull=True)
    if parent_id is not None:
        terms = terms.filter(parent_id=parent_id)
    return _answer(terms.order_by("order", "name_nl", "id"), format, page, per_page, hsds.taxonomy_term_document)


@router.get(
    "/hsds/taxonomy_terms/{id}",
    response={200: dict[str, Any], **ERRORS},
    summary="One taxonomy term",
    description=f"As {HSDS_SCHEMA}taxonomy_term.json.",
)
def get_taxonomy_term(request: HttpRequest, id: uuid.UUID) -> Any:
    term = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=id).first()
    if term is None:
        raise Http404
    return hsds.taxonomy_term_document(term)
