"""The one mapping between the directory's live tables and Open Referral HSDS 3.0 documents, both ways.

Export (``service_document`` and its siblings) writes what the tables hold as HSDS 3.0 JSON; import
(``apply_document`` for one reviewed record, ``import_dataset`` for another system's whole file) reads
such documents back into the same tables.  One set of table descriptions (``TABLES`` below) drives both
directions, so that a document exported, imported into an empty database and exported again is the same
JSON, byte for byte (``docs/hsds.md``).

Conventions, chosen so that this holds:

* an optional field without a value is *absent* (HSDS types have no ``null``); a field HSDS requires is
  always there (``""`` when empty);
* a list of nested objects (``phones``, ``schedules``, ...) is always exported, ``[]`` when empty; on import an
  absent list leaves the nested rows alone and a given list replaces them (by id, so ids survive);
* fields the project does not use (``funding``, ``program``, ``metadata``, ``organization_identifiers``,
  ``link_entity``, ...) are kept in the row's ``extra`` as they came and merged back on export;
* a nested row's link fields (``service_id`` inside a service) are derived from what it belongs to; the one
  of the object it is nested in must name that object when a document gives it; one row may belong to
  several objects (a phone of a service, its contact and its location), as in HSDS;
* ``Schedule.kind`` is derived from the schedule (hours, a closed period, or by appointment), never exported;
* a taxonomy term's HSDS ``name``/``description`` are the Dutch ones; the English and French ones travel as
  the extra fields ``name_en``, ``name_fr``, ``description_en``, ``description_fr`` (HSDS allows additional
  properties), and an import without them leaves the other languages as they are.

A bad file is refused as a whole, before anything is written, with one :class:`HsdsError` naming the first
bad record and field.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DataError, IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.core.inputs import find_unstorable
from apps.organisations.models import Organisation
from apps.people.models import Person
from apps.places.models import District

from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    OrganisationRecord,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

VERSION = "3.0"
SCHEMA_DIR = Path(__file__).parent / "hsds_schema"
RECORD_NAMESPACE = uuid.UUID("6f1c2f0e-5b7a-4e0e-9d43-3c1a7e0b9a16")
"""An organisation without a directory record yet is exported under a fixed id derived from its pk."""
TRANSLATIONS = ("name_en", "name_fr", "description_en", "description_fr")
MAX_DOCUMENT_TEXT = 100_000
"""No text field of an imported document may be longer than this (a TextField has no length of its own)."""


class HsdsError(ValueError):
    """A document or file that cannot be imported; the message names the first bad record and field."""


# ----------------------------------------------------------------------------------------------------------
# the tables: which HSDS fields map one to one on which columns, and what is nested in what


@dataclass(frozen=True)
class Nest:
    key: str  # the HSDS list in the parent document ("phones")
    table: Table
    fk: str  # the child's column naming the parent ("service")
    link: str  # the HSDS field naming the parent ("service_id")


@dataclass(frozen=True)
class Table:
    model: type[models.Model]
    fields: tuple[str, ...]
    required: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()  # the child's parent columns, most specific first
    nests: tuple[Nest, ...] = ()
    special: tuple[str, ...] = ()  # HSDS keys read by hand (references, nested referenced objects)


LANGUAGE = Table(Language, ("name", "code", "note"), parents=("phone", "location", "service"))
PHONE = Table(
    Phone,
    ("number", "extension", "type", "description"),
    required=("number",),
    parents=("contact", "service_at_location", "location", "service", "organisation"),
    nests=(Nest("languages", LANGUAGE, "phone", "phone_id"),),
)
CONTACT = Table(
    Contact,
    ("name", "title", "department", "email"),
    parents=("service_at_location", "location", "service", "organisation"),
    nests=(Nest("phones", PHONE, "contact", "contact_id"),),
)
SCHEDULE_FIELDS = ("valid_from", "valid_to", "dtstart", "timezone", "until", "count", "wkst", "freq", "interval",
                   "byday", "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at",
                   "schedule_link", "attending_type", "notes")  # fmt: skip
SCHEDULE = Table(Schedule, SCHEDULE_FIELDS, parents=("service_at_location", "location", "service"))
ATTRIBUTE = Table(
    Attribute, ("link_type", "value"), parents=("location", "service", "organisation"),
    special=("taxonomy_term_id", "taxonomy_term"),
)  # fmt: skip
ADDRESS = Table(
    Address,
    ("attention", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country",
     "address_type"),
    required=("address_1", "city", "state_province", "postal_code", "country", "address_type"),
    parents=("location",),
)  # fmt: skip
ACCESSIBILITY = Table(Accessibility, ("description", "details", "url"), parents=("location",))
SERVICE_AREA = Table(ServiceArea, ("name", "description", "extent", "extent_type", "uri"), parents=("service",))
COST_OPTION = Table(
    CostOption, ("valid_from", "valid_to", "option", "currency", "amount", "amount_description"), parents=("service",)
)
REQUIRED_DOCUMENT = Table(RequiredDocument, ("document", "uri"), parents=("service",))


def _nests(owner: str, link: str, *pairs: tuple[str, Table], attributes: bool = False) -> tuple[Nest, ...]:
    nests = [Nest(key, table, owner, link) for key, table in pairs]
    if attributes:  # an attribute names what it belongs to as link_id
        nests.append(Nest("attributes", ATTRIBUTE, owner, "link_id"))
    return tuple(nests)


LOCATION = Table(
    Location,
    ("location_type", "url", "name", "alternate_name", "description", "transportation", "latitude", "longitude",
     "external_identifier", "external_identifier_type"),
    required=("location_type",),
    nests=_nests("location", "location_id", ("languages", LANGUAGE), ("addresses", ADDRESS), ("contacts", CONTACT),
                 ("accessibility", ACCESSIBILITY), ("phones", PHONE), ("schedules", SCHEDULE), attributes=True),
    special=("organization_id",),
)  # fmt: skip
SERVICE_AT_LOCATION = Table(
    ServiceAtLocation,
    ("description",),
    parents=("service",),
    nests=_nests("service_at_location", "service_at_location_id", ("contacts", CONTACT), ("phones", PHONE),
                 ("schedules", SCHEDULE)),
    special=("location_id", "location"),
)  # fmt: skip
SERVICE = Table(
    Service,
    ("name", "alternate_name", "description", "url", "email", "status", "interpretation_services",
     "application_process", "fees_description", "wait_time", "fees", "accreditations", "eligibility_description",
     "minimum_age", "maximum_age", "assured_date", "assurer_email", "licenses", "alert", "last_modified"),
    required=("name", "status"),
    nests=_nests("service", "service_id", ("phones", PHONE), ("schedules", SCHEDULE),
                 ("service_areas", SERVICE_AREA), ("service_at_locations", SERVICE_AT_LOCATION),
                 ("languages", LANGUAGE), ("cost_options", COST_OPTION), ("required_documents", REQUIRED_DOCUMENT),
                 ("contacts", CONTACT), attributes=True),
    special=("organization_id", "organization", "income_limited"),
)  # fmt: skip
ORGANIZATION = Table(
    OrganisationRecord,
    ("alternate_name", "legal_status", "year_incorporated", "logo", "uri"),
    nests=_nests("organisation", "organization_id", ("contacts", CONTACT), ("phones", PHONE), attributes=True),
    special=("name", "description", "email", "website", "services", "locations"),
)
TAXONOMY = Table(Taxonomy, ("name", "description", "uri", "version"), required=("name", "description"))
TAXONOMY_TERM = Table(
    TaxonomyTerm,
    ("code", "term_uri", "language"),
    special=("name", "description", "parent_id", "taxonomy_id", "taxonomy_detail", *TRANSLATIONS),
)


# ----------------------------------------------------------------------------------------------------------
# values: column ↔ JSON


def _number(value: float | int | Decimal) -> int | float:
    """An integral number as a JSON integer (``12``, not ``12.0``), so that a number is written one way only."""
    as_float = float(value)
    if as_float.is_integer() and abs(as_float) < 2**53:
        return int(as_float)
    return as_float


def _time_text(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _datetime_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_json(model_field: models.Field, value: Any) -> Any:
    """A column's value as HSDS writes it, or None when it has none (the field is then left out)."""
    if value is None or value == "":
        return None
    if isinstance(model_field, models.DateTimeField):
        return _datetime_text(value)
    if isinstance(model_field, models.DateField):
        return value.isoformat()
    if isinstance(model_field, models.TimeField):
        return _time_text(value)
    if isinstance(model_field, models.DecimalField | models.FloatField):
        return _number(value)
    if isinstance(model_field, models.UUIDField):
        return str(value)
    return value


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$")
RANGES: dict[str, tuple[float, float]] = {"latitude": (-90, 90), "longitude": (-180, 180), "timezone": (-14, 14)}
INTEGER_LIMITS = {
    models.PositiveSmallIntegerField: 32767,
    models.PositiveIntegerField: 2147483647,
}


def from_json(model_field: models.Field, value: Any, where: str) -> Any:
    """A document's value for a column, checked as the column stores it; :class:`HsdsError` if it cannot be."""
    if value is None or value == "":
        text = isinstance(model_field, models.CharField | models.TextField)
        return "" if text and not model_field.null else None
    if isinstance(model_field, models.CharField | models.TextField):
        if not isinstance(value, str):
            raise HsdsError(f"{where}: must be text.")
        limit = model_field.max_length or MAX_DOCUMENT_TEXT
        if len(value) > limit:
            raise HsdsError(f"{where}: is {len(value)} characters long; at most {limit} fit.")
        if isinstance(model_field, models.EmailField):
            try:
                validate_email(value)
            except ValidationError:
                raise HsdsError(f"{where}: {value!r} is not an email address.") from None
        choices = [choice for choice, _label in model_field.choices or ()]
        if choices and value not in choices:
            raise HsdsError(f"{where}: {value!r} is not one of {', '.join(choices)}.")
        return value
    if isinstance(model_field, models.DateTimeField):
        return _parse_datetime(value, where)
    if isinstance(model_field, models.DateField):
        if not isinstance(value, str) or not DATE.match(value):
            raise HsdsError(f"{where}: {value!r} is not a date (YYYY-MM-DD).")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise HsdsError(f"{where}: {value!r} is not a date (YYYY-MM-DD).") from None
    if isinstance(model_field, models.TimeField):
        return _parse_time(value, where)
    return _from_json_number(model_field, value, where)


def _from_json_number(model_field: models.Field, value: Any, where: str) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise HsdsError(f"{where}: must be a number.")
    if isinstance(model_field, models.FloatField):
        low, high = RANGES.get(model_field.name, (-1e15, 1e15))
        if not low <= value <= high:
            raise HsdsError(f"{where}: {value} is outside {low}–{high}.")
        return float(value)
    if isinstance(model_field, models.DecimalField):
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            raise HsdsError(f"{where}: must be a number.") from None
        places = model_field.decimal_places or 0
        if amount != amount.quantize(Decimal(1).scaleb(-places)) or abs(amount) >= 10 ** (
            (model_field.max_digits or 10) - places
        ):
            raise HsdsError(f"{where}: {value} does not fit (at most {places} decimals).")
        return amount.quantize(Decimal(1).scaleb(-places))
    high = next((limit for kind, limit in INTEGER_LIMITS.items() if isinstance(model_field, kind)), 2**31 - 1)
    if not float(value).is_integer() or not 0 <= value <= high:
        raise HsdsError(f"{where}: must be a whole number from 0 to {high}.")
    return int(value)


def _parse_time(value: Any, where: str) -> time:
    """HH:MM (or HH:MM:SS), an offset from UTC ignored: opening hours are the local time of the place."""
    found = TIME.match(value) if isinstance(value, str) else None
    hour, minute, second = (int(found.group(n) or 0) for n in (1, 2, 3)) if found else (99, 0, 0)
    if hour > 23 or minute > 59 or second > 59:
        raise HsdsError(f"{where}: {value!r} is not a time of day (HH:MM).")
    return time(hour, minute, second)


def _parse_datetime(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise HsdsError(f"{where}: {value!r} is not a date and time (ISO 8601).")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise HsdsError(f"{where}: {value!r} is not a date and time (ISO 8601).") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _uuid(value: Any, where: str) -> uuid.UUID:
    if not isinstance(value, str):
        raise HsdsError(f"{where}: must be an id (a UUID).")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise HsdsError(f"{where}: {value!r} is not a UUID.") from None


# ----------------------------------------------------------------------------------------------------------
# export


def record_id(organisation: Organisation) -> uuid.UUID:
    """The HSDS id of an organisation: its directory record's, or a fixed one derived from its pk."""
    try:
        return organisation.directory_record.id
    except OrganisationRecord.DoesNotExist:
        return uuid.uuid5(RECORD_NAMESPACE, f"organisation-{organisation.pk}")


LINKS = {"organisation": "organization_id", "service": "service_id", "location": "location_id",
         "contact": "contact_id", "service_at_location": "service_at_location_id", "phone": "phone_id"}  # fmt: skip
"""A parent column and the HSDS field that names it."""


def _links(table: Table, row: models.Model) -> dict[str, str]:
    """The HSDS link fields of a nested row: every object it belongs to (a phone of a contact and of a service
    has both ``contact_id`` and ``service_id``, and is shown under both, as HSDS has it)."""
    found = {LINKS[parent]: getattr(row, f"{parent}_id") for parent in table.parents}
    return {key: str(value) for key, value in found.items() if value is not None}


def _fields(table: Table, row: models.Model) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for name in table.fields:
        value = to_json(table.model._meta.get_field(name), getattr(row, name))
        if value is not None:
            document[name] = value
        elif name in table.required:
            document[name] = ""
    return document


def _document(table: Table, row: models.Model, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row's document, with its link fields and the rows nested in it."""
    document: dict[str, Any] = {**row.extra, "id": str(row.pk)}  # type: ignore[attr-defined]
    document.update(_links(table, row))
    document.update(_fields(table, row))
    for nest in table.nests:
        if nest.key not in skip:
            document[nest.key] = _nested(nest, row)
    return document


def _nested(nest: Nest, parent: models.Model) -> list[dict[str, Any]]:
    manager = getattr(parent, _related_name(nest))
    rows = sorted(manager.all(), key=lambda row: str(row.pk))
    if nest.table is ATTRIBUTE:
        return [attribute_document(row, parent.pk) for row in rows]
    return [_document(nest.table, row) for row in rows]


def _related_name(nest: Nest) -> str:
    return str(nest.table.model._meta.get_field(nest.fk).remote_field.related_name)


def attribute_document(attribute: Attribute, link_id: Any) -> dict[str, Any]:
    document = {**attribute.extra, "id": str(attribute.pk), "link_id": str(link_id)}
    document["taxonomy_term_id"] = str(attribute.taxonomy_term_id)
    document.update(_fields(ATTRIBUTE, attribute))
    document["taxonomy_term"] = taxonomy_term_document(attribute.taxonomy_term)
    return document


def taxonomy_document(taxonomy: Taxonomy) -> dict[str, Any]:
    return {**taxonomy.extra, "id": str(taxonomy.pk), **_fields(TAXONOMY, taxonomy)}


def taxonomy_term_document(term: TaxonomyTerm) -> dict[str, Any]:
    """The term with its Dutch name as HSDS ``name``; English and French as extra fields when there are any."""
    document: dict[str, Any] = {
        **term.extra,
        "id": str(term.pk),
        "name": term.name_nl,
        "description": term.description_nl,
    }
    document.update(_fields(TAXONOMY_TERM, term))
    if term.parent_id:
        document["parent_id"] = str(term.parent_id)
    if term.taxonomy_id:
        document["taxonomy_id"] = str(term.taxonomy_id)
        document["taxonomy_detail"] = taxonomy_document(term.taxonomy)  # type: ignore[arg-type]
    for name in TRANSLATIONS:
        if getattr(term, name):
            document[name] = getattr(term, name)
    return document


def _record(organisation: Organisation) -> OrganisationRecord | None:
    try:
        return organisation.directory_record
    except OrganisationRecord.DoesNotExist:
        return None


def organization_scalars(organisation: Organisation) -> dict[str, Any]:
    """The organisation's own fields (HSDS ``organization_list``): no nested lists."""
    record = _record(organisation)
    document: dict[str, Any] = dict(record.extra) if record else {}
    document = {key: value for key, value in document.items() if not isinstance(value, list)}
    document.update({"id": str(record_id(organisation)), "name": organisation.name,
                     "description": organisation.description})  # fmt: skip
    if organisation.email:
        document["email"] = organisation.email
    if organisation.website:
        document["website"] = organisation.website
    if record is not None:
        document.update(_fields(ORGANIZATION, record))
    return document


def organization_core(organisation: Organisation) -> dict[str, Any]:
    """The organisation as nested in a service: its fields and its own contacts, phones and attributes."""
    record = _record(organisation)
    document: dict[str, Any] = {**(record.extra if record else {}), **organization_scalars(organisation)}
    for nest in ORGANIZATION.nests:
        document[nest.key] = _nested(nest, record) if record is not None else []
    return document


def organization_document(record: OrganisationRecord | Organisation, *, full_services: bool = False) -> dict[str, Any]:
    """A whole organisation (HSDS compiled ``organization``): its services (one-to-one fields, or fully nested)
    and its locations.  Reads related rows through the managers, so a prefetched page costs no more queries
    (``prefetch_organisations``)."""
    organisation = record if isinstance(record, Organisation) else record.organisation
    document = organization_core(organisation)
    services = sorted(organisation.services.all(), key=lambda service: str(service.pk))  # type: ignore[attr-defined]
    document["services"] = [service_document(s) if full_services else service_scalars(s) for s in services]
    locations = sorted(organisation.locations.all(), key=lambda location: str(location.pk))  # type: ignore[attr-defined]
    document["locations"] = [location_document(location) for location in locations]
    return document


def location_scalars(location: Location) -> dict[str, Any]:
    document: dict[str, Any] = {k: v for k, v in location.extra.items() if not isinstance(v, list)}
    document["id"] = str(location.pk)
    if location.organisation_id is not None:
        document["organization_id"] = str(record_id(location.organisation))  # type: ignore[arg-type]
    document.update(_fields(LOCATION, location))
    return document


def location_document(location: Location) -> dict[str, Any]:
    """A location with everything nested in it (addresses, phones, accessibility, schedules, ...)."""
    document = _document(LOCATION, location)
    if location.organisation_id is not None:
        document["organization_id"] = str(record_id(location.organisation))  # type: ignore[arg-type]
    return document


def service_scalars(service: Service) -> dict[str, Any]:
    """The service's one-to-one fields (HSDS ``service_list``), with its organisation's."""
    document: dict[str, Any] = {k: v for k, v in service.extra.items() if not isinstance(v, list)}
    document["id"] = str(service.pk)
    document["organization_id"] = str(record_id(service.organisation))
    document.update(_fields(SERVICE, service))
    if service.income_limited:
        document["income_limited"] = True
    document["organization"] = organization_scalars(service.organisation)
    return document


def service_document(service: Service, *, with_locations: bool = True) -> dict[str, Any]:
    """The fully nested service (HSDS compiled ``service``): organisation, services at locations with their
    location, schedules, phones, languages, costs, areas, documents, contacts and types of help."""
    document = _document(SERVICE, service, skip=() if with_locations else ("service_at_locations",))
    document["organization_id"] = str(record_id(service.organisation))
    document["organization"] = organization_core(service.organisation)
    if service.income_limited:
        document["income_limited"] = True
    if with_locations:
        for sal_document, sal in zip(document["service_at_locations"], _sals(service), strict=True):
            sal_document["location_id"] = str(sal.location_id)
            sal_document["location"] = location_document(sal.location)
    for area_document, area in zip(document["service_areas"], _areas(service), strict=True):
        if area.district_id is not None and not area.name:
            area_document["name"] = area.district.name  # type: ignore[union-attr]
    return document


def _sals(service: Service) -> list[ServiceAtLocation]:
    return sorted(service.service_at_locations.all(), key=lambda sal: str(sal.pk))


def _areas(service: Service) -> list[ServiceArea]:
    return sorted(service.service_areas.all(), key=lambda area: str(area.pk))


def service_at_location_document(sal: ServiceAtLocation) -> dict[str, Any]:
    """A service at a location (HSDS compiled ``service_at_location``): its location and its service."""
    document = _document(SERVICE_AT_LOCATION, sal)
    document["location_id"] = str(sal.location_id)
    document["location"] = location_document(sal.location)
    document["service"] = service_document(sal.service, with_locations=False)
    return document


def service_at_location_scalars(sal: ServiceAtLocation) -> dict[str, Any]:
    document: dict[str, Any] = {k: v for k, v in sal.extra.items() if not isinstance(v, list)}
    document.update({"id": str(sal.pk), "service_id": str(sal.service_id), "location_id": str(sal.location_id)})
    document.update(_fields(SERVICE_AT_LOCATION, sal))
    document["location"] = location_scalars(sal.location)
    document["service"] = service_scalars(sal.service)
    return document


# --- prefetching, so that a page of documents costs the same number of queries whatever its size


def _attribute_paths(prefix: str) -> list[str]:
    return [f"{prefix}attributes__taxonomy_term__taxonomy"]


def _phone_paths(prefix: str) -> list[str]:
    return [f"{prefix}phones__languages", f"{prefix}contacts__phones__languages"]


def _location_paths(prefix: str) -> list[str]:
    return [
        f"{prefix}organisation__directory_record",
        f"{prefix}languages",
        f"{prefix}addresses",
        f"{prefix}accessibility",
        f"{prefix}schedules",
        *_phone_paths(prefix),
        *_attribute_paths(prefix),
    ]


def _organisation_paths(prefix: str) -> list[str]:
    """What an organisation's own document reads; ``prefix`` leads to the Organisation."""
    record = f"{prefix}directory_record__"
    return [f"{prefix}directory_record", *_phone_paths(record), *_attribute_paths(record)]


def service_paths(prefix: str = "") -> list[str]:
    """What a full service document reads; ``prefix`` leads to the Service."""
    sal = f"{prefix}service_at_locations__"
    return [
        *([f"{prefix}organisation"] if prefix else []),
        *_organisation_paths(f"{prefix}organisation__"),
        *_phone_paths(prefix),
        *_attribute_paths(prefix),
        f"{prefix}schedules",
        f"{prefix}service_areas__district",
        f"{prefix}languages",
        f"{prefix}cost_options",
        f"{prefix}required_documents",
        f"{sal}location",
        f"{sal}schedules",
        *_phone_paths(sal),
        *_location_paths(f"{sal}location__"),
    ]


def prefetch_locations(queryset: models.QuerySet[Location]) -> models.QuerySet[Location]:
    return queryset.prefetch_related(*_location_paths(""))


def prefetch_services(queryset: models.QuerySet[Service]) -> models.QuerySet[Service]:
    """Everything a full service document reads, in a fixed number of queries."""
    return queryset.select_related("organisation").prefetch_related(*service_paths())


def prefetch_organisations(queryset: models.QuerySet[Organisation], *, full_services: bool) -> Any:
    """Everything an organization document reads (its services fully nested or not, its locations)."""
    services = service_paths("services__") if full_services else ["services"]
    return queryset.prefetch_related(*_organisation_paths(""), *services, "locations", *_location_paths("locations__"))


def prefetch_sals(queryset: models.QuerySet[ServiceAtLocation]) -> models.QuerySet[ServiceAtLocation]:
    """Everything a full service-at-location document reads (its service without its other locations)."""
    service = "service__"
    return queryset.select_related("service__organisation", "location").prefetch_related(
        "schedules",
        *_phone_paths(""),
        *_location_paths("location__"),
        *_organisation_paths(f"{service}organisation__"),
        *_phone_paths(service),
        *_attribute_paths(service),
        f"{service}schedules",
        f"{service}service_areas__district",
        f"{service}languages",
        f"{service}cost_options",
        f"{service}required_documents",
    )


def export_services() -> Iterator[dict[str, Any]]:
    """Every published service, fully nested, in id order (the whole directory as an HSDS service package)."""
    queryset = prefetch_services(Service.objects.order_by("id"))
    for start in range(0, queryset.count(), 500):
        yield from (service_document(service) for service in queryset[start : start + 500])


def dumps(document: Any) -> str:
    """The one JSON form of a document: sorted keys, UTF-8 text, no spaces to spare."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# ----------------------------------------------------------------------------------------------------------
# search text


def refresh_search_text(service: Service) -> None:
    """The lower-case, accent-free text the public search looks in: names, description, organisation and the
    types of help in the three languages."""
    from domain.directory.text import normalise

    terms = TaxonomyTerm.objects.filter(attributes__service=service).distinct()
    parts = [service.name, service.alternate_name, service.description, service.organisation.name]
    parts += [getattr(term, name) for term in terms for name in ("name_nl", "name_en", "name_fr")]
    text = normalise(" ".join(part for part in parts if part))
    if text != service.search_text:
        Service.objects.filter(pk=service.pk).update(search_text=text)
        service.search_text = text


# ----------------------------------------------------------------------------------------------------------
# import: read every document into rows (checking everything), then write them in one transaction


@dataclass
class Row:
    table: Table
    id: uuid.UUID
    where: str
    values: dict[str, Any] = field(default_factory=dict)  # column attname -> value
    extra: dict[str, Any] = field(default_factory=dict)
    children: dict[str, list[Row] | None] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)  # references read by hand
    given: set[str] = field(default_factory=set)  # the HSDS keys the document had


@dataclass
class ImportReport:
    """What an import added, changed and left alone, per kind of object."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    seen: set[tuple[str, uuid.UUID]] = field(default_factory=set)

    def count(self, kind: str, key: uuid.UUID, outcome: str) -> None:
        if (kind, key) in self.seen:
            return
        self.seen.add((kind, key))
        tally = getattr(self, outcome)
        tally[kind] = tally.get(kind, 0) + 1

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"added": self.added, "changed": self.changed, "unchanged": self.unchanged}

    def summary(self) -> str:
        kinds = sorted({*self.added, *self.changed, *self.unchanged})
        return (
            "; ".join(
                f"{kind}: {self.added.get(kind, 0)} added, {self.changed.get(kind, 0)} changed, "
                f"{self.unchanged.get(kind, 0)} unchanged"
                for kind in kinds
            )
            or "nothing to import"
        )


class Reader:
    """Reads documents into :class:`Row` trees, checking each value as its column stores it."""

    def __init__(self) -> None:
        self.belongs: dict[tuple[type[models.Model], uuid.UUID], set[tuple[str, uuid.UUID]]] = {}
        self.nested_rows: list[Row] = []
        self.organizations: dict[uuid.UUID, Row] = {}
        self.locations: dict[uuid.UUID, Row] = {}
        self.terms: dict[uuid.UUID, Row] = {}
        self.taxonomies: dict[uuid.UUID, Row] = {}
        self.services: list[Row] = []
        self.references: list[tuple[str, type[models.Model], uuid.UUID, dict[uuid.UUID, Row] | None]] = []
        self.loose_references: list[tuple[Row, str, type[models.Model], dict[uuid.UUID, Row]]] = []

    # --- generic

    def row(self, table: Table, document: Any, where: str, link: tuple[str, uuid.UUID] | None = None) -> Row:
        if not isinstance(document, dict):
            raise HsdsError(f"{where}: must be an object {{...}}.")
        if "id" not in document:
            raise HsdsError(f"{where}.id: is missing.")
        row = Row(table, _uuid(document["id"], f"{where}.id"), where, given=set(document))
        if link is not None and table is not ATTRIBUTE:  # the objects a nested row belongs to, over the file
            fk = next(parent for parent in table.parents if LINKS[parent] == link[0])
            self.belongs.setdefault((table.model, row.id), set()).add((LINKS[fk], link[1]))
            self.nested_rows.append(row)
        linked = document.get(link[0]) if link is not None else None
        if link is not None and linked is not None and _uuid(linked, f"{where}.{link[0]}") != link[1]:
            raise HsdsError(f"{where}.{link[0]}: does not name the object this one is nested in ({link[1]}).")
        for name in table.fields:
            model_field = table.model._meta.get_field(name)
            row.values[model_field.attname] = from_json(model_field, document.get(name), f"{where}.{name}")
        nested = {nest.key for nest in table.nests}
        for nest in table.nests:
            if nest.key not in document:
                row.children[nest.key] = None
                continue
            items = document[nest.key]
            if not isinstance(items, list):
                raise HsdsError(f"{where}.{nest.key}: must be a list [...].")
            row.children[nest.key] = [
                self.attribute(item, f"{where}.{nest.key}[{index}]", row.id)
                if nest.table is ATTRIBUTE
                else self.row(nest.table, item, f"{where}.{nest.key}[{index}]", (nest.link, row.id))
                for index, item in enumerate(items)
            ]
        skip = {"id", *table.fields, *nested, *table.special, *([link[0]] if link else [])}
        row.extra = {key: value for key, value in document.items() if key not in skip}
        if table is SCHEDULE:
            row.values["kind"] = classify_schedule(row.values)
        if table is SERVICE_AREA:
            row.values["district_id"] = _district_named(row.values.get("name") or "")
        return row

    def derive_links(self) -> None:
        """A link field naming an object the row is nested under somewhere in the file is derived from the
        nesting (not kept in ``extra``); one naming anything else is kept as it came."""
        for row in self.nested_rows:
            belongs = self.belongs.get((row.table.model, row.id), set())
            for key in [LINKS[parent] for parent in row.table.parents]:
                value = row.extra.get(key)
                try:
                    named = uuid.UUID(value) if isinstance(value, str) else None
                except ValueError:
                    named = None
                if named is not None and (key, named) in belongs:
                    del row.extra[key]

    def reference(self, where: str, model: type[models.Model], key: uuid.UUID, in_file: dict[uuid.UUID, Row] | None):
        self.references.append((where, model, key, in_file))

    def loose(self, row: Row, hsds_key: str, model: type[models.Model], in_file: dict[uuid.UUID, Row]) -> None:
        """A reference the project can do without (a term's parent or taxonomy, a location's organisation): when
        it is neither in the file nor in the directory it is kept in ``extra`` as it came, not refused."""
        self.loose_references.append((row, hsds_key, model, in_file))

    # --- the objects with references

    def attribute(self, document: Any, where: str, owner: uuid.UUID) -> Row:
        row = self.row(ATTRIBUTE, document, where, ("link_id", owner))
        term = document.get("taxonomy_term")
        term_id = document.get("taxonomy_term_id")
        if term_id is None and not isinstance(term, dict):
            raise HsdsError(f"{where}.taxonomy_term_id: is missing (an attribute names its taxonomy term).")
        if isinstance(term, dict):
            term_row = self.term(term, f"{where}.taxonomy_term")
            if term_id is not None and _uuid(term_id, f"{where}.taxonomy_term_id") != term_row.id:
                raise HsdsError(f"{where}.taxonomy_term_id: differs from the id of the nested taxonomy_term.")
            term_id = str(term_row.id)
        elif term is not None:
            raise HsdsError(f"{where}.taxonomy_term: must be an object {{...}}.")
        row.values["taxonomy_term_id"] = _uuid(term_id, f"{where}.taxonomy_term_id")
        self.reference(f"{where}.taxonomy_term_id", TaxonomyTerm, row.values["taxonomy_term_id"], self.terms)
        return row

    def taxonomy(self, document: Any, where: str) -> Row:
        row = self.row(TAXONOMY, document, where)
        self.taxonomies.setdefault(row.id, row)
        return row

    def term(self, document: Any, where: str) -> Row:
        row = self.row(TAXONOMY_TERM, document, where)
        for hsds, column in (("name", "name_nl"), ("description", "description_nl")):
            if not isinstance(document.get(hsds), str) or (hsds == "name" and not document[hsds].strip()):
                raise HsdsError(f"{where}.{hsds}: is missing (a taxonomy term has a name and a description).")
            row.values[column] = from_json(TaxonomyTerm._meta.get_field(column), document[hsds], f"{where}.{hsds}")
        for name in TRANSLATIONS:
            if name in document:
                row.values[name] = from_json(TaxonomyTerm._meta.get_field(name), document[name], f"{where}.{name}")
        parent = document.get("parent_id")
        row.values["parent_id"] = _uuid(parent, f"{where}.parent_id") if parent else None
        if row.values["parent_id"] is not None:
            self.loose(row, "parent_id", TaxonomyTerm, self.terms)
        detail, taxonomy_id = document.get("taxonomy_detail"), document.get("taxonomy_id")
        if detail is not None:
            detail_row = self.taxonomy(detail, f"{where}.taxonomy_detail")
            if taxonomy_id is not None and _uuid(taxonomy_id, f"{where}.taxonomy_id") != detail_row.id:
                raise HsdsError(f"{where}.taxonomy_id: differs from the id of the nested taxonomy_detail.")
            taxonomy_id = str(detail_row.id)
        row.values["taxonomy_id"] = _uuid(taxonomy_id, f"{where}.taxonomy_id") if taxonomy_id else None
        if row.values["taxonomy_id"] is not None:
            self.loose(row, "taxonomy_id", Taxonomy, self.taxonomies)
        self.terms.setdefault(row.id, row)
        return row

    def organization(self, document: Any, where: str) -> Row:
        row = self.row(ORGANIZATION, document, where)
        for name, limit in (("name", 200), ("description", MAX_DOCUMENT_TEXT), ("email", 254), ("website", 200)):
            value = document.get(name)
            if value is not None and not isinstance(value, str):
                raise HsdsError(f"{where}.{name}: must be text.")
            if value and len(value) > limit:
                raise HsdsError(f"{where}.{name}: is {len(value)} characters long; at most {limit} fit.")
            row.refs[name] = value or ""
        if not row.refs["name"].strip():
            raise HsdsError(f"{where}.name: is missing (an organization has a name).")
        if row.refs["email"]:
            from_json(Service._meta.get_field("email"), row.refs["email"], f"{where}.email")
        self.organizations.setdefault(row.id, row)
        locations = document.get("locations") or []
        for index, item in enumerate(locations if isinstance(locations, list) else []):
            item = {"organization_id": str(row.id), **item} if isinstance(item, dict) else item
            self.location(item, f"{where}.locations[{index}]")
        return row

    def location(self, document: Any, where: str) -> Row:
        row = self.row(LOCATION, document, where)
        owner = document.get("organization_id")
        row.refs["organization_id"] = _uuid(owner, f"{where}.organization_id") if owner else None
        if owner:
            self.loose(row, "organization_id", OrganisationRecord, self.organizations)
        self.locations.setdefault(row.id, row)
        return row

    def service(self, document: Any, where: str, *, organisation_required: bool = True) -> Row:
        row = self.row(SERVICE, document, where)
        if not str(row.values.get("name") or "").strip():
            raise HsdsError(f"{where}.name: is missing (a service has a name).")
        limited = document.get("income_limited", False)
        if not isinstance(limited, bool):
            raise HsdsError(f"{where}.income_limited: must be true or false.")
        row.values["income_limited"] = limited
        nested, owner = document.get("organization"), document.get("organization_id")
        if nested is not None:
            organization = self.organization(nested, f"{where}.organization")
            if owner is not None and _uuid(owner, f"{where}.organization_id") != organization.id:
                raise HsdsError(f"{where}.organization_id: differs from the id of the nested organization.")
            owner = str(organization.id)
        if owner is None and organisation_required:
            raise HsdsError(f"{where}.organization_id: is missing (a service belongs to an organization).")
        row.refs["organization_id"] = _uuid(owner, f"{where}.organization_id") if owner else None
        if owner:
            self.reference(f"{where}.organization_id", OrganisationRecord, row.refs["organization_id"],
                           self.organizations)  # fmt: skip
        places: set[uuid.UUID] = set()
        for index, sal in enumerate(row.children.get("service_at_locations") or []):
            self.sal_location(sal, document["service_at_locations"][index], f"{sal.where}")
            if sal.values["location_id"] in places:
                raise HsdsError(f"{sal.where}.location_id: the service is at this location twice.")
            places.add(sal.values["location_id"])
        self.services.append(row)
        return row

    def sal_location(self, row: Row, document: dict[str, Any], where: str) -> None:
        nested, location_id = document.get("location"), document.get("location_id")
        if nested is not None:
            location = self.location(nested, f"{where}.location")
            if location_id is not None and _uuid(location_id, f"{where}.location_id") != location.id:
                raise HsdsError(f"{where}.location_id: differs from the id of the nested location.")
            location_id = str(location.id)
        if location_id is None:
            raise HsdsError(f"{where}.location_id: is missing (a service at a location names its location).")
        row.values["location_id"] = _uuid(location_id, f"{where}.location_id")
        self.reference(f"{where}.location_id", Location, row.values["location_id"], self.locations)

    def check_references(self) -> None:
        """Every id a document names is in the file or already in the directory."""
        self.derive_links()
        fallback = _fallback_record_ids()
        for row, hsds_key, model, in_file in self.loose_references:
            values = row.refs if hsds_key in row.refs else row.values
            key = values[hsds_key]
            found = key in in_file or (model is OrganisationRecord and key in fallback)
            if not found and not model._default_manager.filter(pk=key).exists():
                values[hsds_key] = None
                row.extra[hsds_key] = str(key)
        for where, model, key, in_file in self.references:
            if in_file is not None and key in in_file:
                continue
            if model is OrganisationRecord and key in fallback:
                continue
            if not model._default_manager.filter(pk=key).exists():
                raise HsdsError(f"{where}: {key} is neither in the file nor in the directory.")


def classify_schedule(values: dict[str, Any]) -> str:
    """Regular hours when it has hours; a closure when it has only a period; otherwise "by appointment"."""
    if values.get("opens_at") or values.get("closes_at"):
        return Schedule.Kind.HOURS
    if values.get("valid_from") or values.get("valid_to"):
        return Schedule.Kind.CLOSED
    return Schedule.Kind.APPOINTMENT


def _district_named(name: str) -> int | None:
    """A service area named like one of the city's districts is that district."""
    from domain.directory.text import normalise

    if not name:
        return None
    return {normalise(n): pk for pk, n in District.objects.values_list("pk", "name")}.get(normalise(name))


def _fallback_record_ids() -> dict[uuid.UUID, int]:
    """The ids under which organisations without a directory record are exported."""
    missing = Organisation.objects.filter(directory_record__isnull=True).values_list("pk", flat=True)
    return {uuid.uuid5(RECORD_NAMESPACE, f"organisation-{pk}"): pk for pk in missing}


# --- schemas


@cache
def compiled_schema(kind: str) -> dict[str, Any]:
    """The official compiled HSDS 3.0 schema of a whole document: service, organization, service_at_location
    or location (taken from inside the compiled service_at_location)."""
    if kind == "location":
        return compiled_schema("service_at_location")["properties"]["location"]  # type: ignore[no-any-return]
    with open(SCHEMA_DIR / "compiled" / f"{kind}.json", encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


@cache
def _validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(compiled_schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_schema(kind: str, document: Any, where: str) -> None:
    """Refuse a document the official schema refuses, naming the field."""
    from jsonschema.exceptions import best_match

    error = best_match(_validator(kind).iter_errors(document))
    if error is not None:
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
        raise HsdsError(f"{where}{path}: {error.message} (HSDS 3.0 schema).")


def _check_storable(document: Any, where: str) -> None:
    found = find_unstorable(document)
    if found is not None:
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in found[0])
        raise HsdsError(f"{where}{path}: {found[1]}")


# ----------------------------------------------------------------------------------------------------------
# import: writing


class Writer:
    def __init__(self, report: ImportReport, published_by: Person | None, *, existing_locations: bool = True) -> None:
        self.report = report
        self.published_by = published_by
        self.now = timezone.now()
        self.write_existing_locations = existing_locations

    def save(self, row: Row, parents: dict[str, Any] | None = None) -> models.Model:
        """Upsert one row and replace its nested rows with the document's (those it gave)."""
        model = row.table.model
        obj = model._default_manager.filter(pk=row.id).first()
        extra = dict(row.extra)
        if obj is not None:  # a list left out is left alone, also one the project keeps in extra (funding, ...)
            kept = {k: v for k, v in obj.extra.items() if isinstance(v, list) and k not in row.given}  # type: ignore[attr-defined]
            extra = {**kept, **extra}
        values = {**row.values, **(parents or {}), "extra": extra}
        if obj is None:
            obj = model(pk=row.id, **values)
            obj.save(force_insert=True)
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
        for nest in row.table.nests:
            children = row.children.get(nest.key)
            if children is None:
                continue
            self.replace(nest, obj, children)
        return obj

    def replace(self, nest: Nest, parent: models.Model, children: list[Row]) -> None:
        table = nest.table
        manager = table.model._default_manager
        current = manager.filter(**{nest.fk: parent})
        stale = set(current.values_list("pk", flat=True)) - {child.id for child in children}
        if stale:  # no longer under this parent: unlinked, and gone when it belongs to nothing else
            manager.filter(pk__in=stale).update(**{nest.fk: None})
            orphans = manager.filter(pk__in=stale, **{f"{name}__isnull": True for name in table.parents})
            if orphans.exists():  # a delete collects cascades even when nothing matches
                orphans.delete()
        for child in children:
            self.save(child, {f"{nest.fk}_id": parent.pk})

    # --- top-level objects, counted

    def taxonomy(self, row: Row) -> None:
        before = _maybe(Taxonomy, row.id, taxonomy_document)
        obj = self.save(row)
        self.count("taxonomy", row.id, before, taxonomy_document(obj))  # type: ignore[arg-type]

    def terms(self, rows: Iterable[Row]) -> None:
        rows = list(rows)
        befores = {row.id: _maybe(TaxonomyTerm, row.id, taxonomy_term_document) for row in rows}
        for row in rows:  # first without parents, so that a parent later in the file exists when it is named
            existing = TaxonomyTerm.objects.filter(pk=row.id).first()
            values = {**row.values, "parent_id": existing.parent_id if existing else None}
            self.save(Row(row.table, row.id, row.where, values, row.extra, {}, {}, row.given))
        for row in rows:
            obj = self.save(row)
            before = befores[row.id]
            if self.count("taxonomy_term", row.id, before, taxonomy_term_document(obj)) and before is not None:  # type: ignore[arg-type]
                _refresh_services(Service.objects.filter(attributes__taxonomy_term_id=row.id))

    def organization(self, row: Row, organisation: Organisation | None = None) -> Organisation:
        record = OrganisationRecord.objects.select_related("organisation").filter(pk=row.id).first()
        if record is not None:
            organisation = record.organisation
        elif organisation is None:
            fallback = _fallback_record_ids().get(row.id)
            organisation = Organisation.objects.filter(pk=fallback).first() if fallback else None
        before = (
            organization_core(organisation) if organisation is not None and record_id(organisation) == row.id else None
        )
        if organisation is None:
            organisation = Organisation.objects.create(
                name=row.refs["name"], slug=_unique_slug(row.refs["name"]), description=row.refs["description"],
                email=row.refs["email"], website=row.refs["website"],
            )  # fmt: skip
        else:
            changed = {k: v for k, v in row.refs.items() if getattr(organisation, k) != v}
            if changed:
                Organisation.objects.filter(pk=organisation.pk).update(**changed, updated_at=self.now)
                for name, value in changed.items():
                    setattr(organisation, name, value)
        record = self.save(row, {"organisation_id": organisation.pk})  # type: ignore[assignment]
        organisation = Organisation.objects.get(pk=organisation.pk)
        after = organization_core(organisation)
        if self.count("organization", row.id, before, after):
            OrganisationRecord.objects.filter(pk=row.id).update(published_at=self.now, published_by=self.published_by)
            if before is not None and before["name"] != after["name"]:
                _refresh_services(Service.objects.filter(organisation=organisation))
        return organisation

    def location(self, row: Row, organisation_id: int | None) -> None:
        existing = Location.objects.filter(pk=row.id).first()
        if existing is not None and not self.write_existing_locations:
            return
        before = location_document(existing) if existing else None
        latitude, longitude = row.values.get("latitude"), row.values.get("longitude")
        district = _district_at(latitude, longitude)
        self.save(row, {"organisation_id": organisation_id, "district_id": district})
        after = location_document(Location.objects.get(pk=row.id))
        if self.count("location", row.id, before, after):
            Location.objects.filter(pk=row.id).update(published_at=self.now, published_by=self.published_by)

    def service(self, row: Row, organisation: Organisation) -> Service:
        existing = Service.objects.filter(pk=row.id).first()
        before = _own_service_document(existing) if existing else None
        given_modified = row.values.get("last_modified") is not None
        if not given_modified:
            row.values.pop("last_modified", None)
        self.save(row, {"organisation_id": organisation.pk})
        service = Service.objects.select_related("organisation").get(pk=row.id)
        changed = self.count("service", row.id, before, _own_service_document(service))
        if changed:
            updates: dict[str, Any] = {"published_at": self.now, "published_by": self.published_by}
            if not given_modified and existing is not None:
                updates["last_modified"] = self.now
            Service.objects.filter(pk=row.id).update(**updates)
        refresh_search_text(service)
        return service

    def count(self, kind: str, key: uuid.UUID, before: Any, after: Any) -> bool:
        outcome = "added" if before is None else "unchanged" if _same(before, after) else "changed"
        self.report.count(kind, key, outcome)
        return outcome != "unchanged"


def _refresh_services(services: models.QuerySet[Service]) -> None:
    """The search text of services whose organisation or type of help was renamed."""
    for service in services.select_related("organisation").distinct():
        refresh_search_text(service)


def _same(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Equal documents, apart from the moment of the last change."""
    return {**before, "last_modified": None} == {**after, "last_modified": None}


def _maybe(model: type[models.Model], key: uuid.UUID, export: Any) -> dict[str, Any] | None:
    obj = model._default_manager.filter(pk=key).first()
    return export(obj) if obj is not None else None


def _own_service_document(service: Service) -> dict[str, Any]:
    """What a service itself says (its organisation and locations are counted on their own)."""
    document = service_document(service, with_locations=False)
    document.pop("organization")
    document["service_at_locations"] = [_document(SERVICE_AT_LOCATION, sal) | {"location_id": str(sal.location_id)}
                                        for sal in _sals(service)]  # fmt: skip
    return document


def _district_at(latitude: float | None, longitude: float | None) -> int | None:
    if latitude is None or longitude is None:
        return None
    from apps.places.geo import district_at

    district = district_at(latitude, longitude)
    return district.pk if district else None


def _unique_slug(name: str) -> str:
    base = (slugify(name) or "organisation")[:200]
    slug, number = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# ----------------------------------------------------------------------------------------------------------
# import: the two entries


KINDS = ("organization", "service", "location")


def apply_document(kind: str, document: dict[str, Any], *, organisation: Organisation,
                   published_by: Person | None) -> models.Model:  # fmt: skip
    """Publish one reviewed record (an organisation's profile, a service or a location) into the live tables.

    The document is checked as an import is (schema, values, references; :class:`HsdsError` names the field)
    and written in one transaction; nested rows are replaced to match it.  A service's nested organisation
    is not written (the profile is its own record), and neither are nested locations that already exist
    (each location is reviewed on its own); types of help must already exist.
    """
    if kind not in KINDS:
        raise HsdsError(f"{kind!r} is not one of {', '.join(KINDS)}.")
    where = kind
    _check_storable(document, where)
    validate_schema(kind, document, where)
    reader = Reader()
    own_record = _record(organisation)
    own_id = own_record.id if own_record else record_id(organisation)
    if kind == "organization":
        row = reader.organization(document, where)
        if row.id != own_id and OrganisationRecord.objects.filter(pk=row.id).exists():
            raise HsdsError(f"{where}.id: {row.id} is another organisation's record.")
    elif kind == "location":
        row = reader.location(document, where)
        _check_owner(row, own_id, Location, where)
    else:
        row = reader.service(document, where, organisation_required=False)
        _check_owner(row, own_id, Service, where)
    terms = {key for _where, model, key, _in in reader.references if model is TaxonomyTerm}
    missing = terms - set(TaxonomyTerm.objects.filter(pk__in=terms).values_list("pk", flat=True))
    for place, model, key, _in in reader.references:
        if model is TaxonomyTerm and key in missing:
            raise HsdsError(f"{place}: {key} is not a type of help of the directory.")
    reader.terms, reader.taxonomies, reader.organizations = {}, {}, {}
    reader.references = [r for r in reader.references if r[1] is not OrganisationRecord]
    reader.check_references()
    _check_nested_owners(row, reader, organisation.pk, kind)
    writer = Writer(ImportReport(), published_by, existing_locations=False)
    with _refusing_what_the_database_refuses(), transaction.atomic():
        if kind == "organization":
            if own_record is not None and own_record.id != row.id:
                raise HsdsError(f"{where}.id: the organisation's record is {own_record.id}.")
            writer.organization(row, organisation)
            result: models.Model = OrganisationRecord.objects.get(pk=row.id)
        elif kind == "location":
            writer.write_existing_locations = True
            writer.location(row, organisation.pk)
            result = Location.objects.get(pk=row.id)
        else:
            for location in reader.locations.values():
                writer.location(location, organisation.pk)
            result = writer.service(row, organisation)
        type(result)._default_manager.filter(pk=row.id).update(checked_at=writer.now)
    return result


def _check_owner(row: Row, own_id: uuid.UUID, model: type[models.Model], where: str) -> None:
    owner = row.refs.get("organization_id")
    if owner is not None and owner != own_id:
        raise HsdsError(f"{where}.organization_id: names another organisation than the one publishing it.")
    existing = model._default_manager.filter(pk=row.id).exclude(organisation_id=None).first()
    organisation_id = getattr(existing, "organisation_id", None)
    if existing is not None and organisation_id != _organisation_pk(own_id):
        raise HsdsError(f"{where}.id: {row.id} belongs to another organisation.")


NESTED_TABLES = {table.model: table for table in (LANGUAGE, PHONE, CONTACT, SCHEDULE, ATTRIBUTE, ADDRESS,
                  ACCESSIBILITY, SERVICE_AREA, COST_OPTION, REQUIRED_DOCUMENT, SERVICE_AT_LOCATION)}  # fmt: skip
"""The tables of rows nested in a record, whose parents say which organisation's record they belong to."""


def _check_nested_owners(top: Row, reader: Reader, organisation_pk: int | None, kind: str) -> None:
    """Refuse a document that names, as one of its nested rows, a row of another organisation's record.

    Every id is public (the HSDS API shows them), and writing a nested row moves it under the record being
    published: without this check an organisation's proposal could take over another organisation's phone, opening
    hours or service at a location, and change what it says.  Nested locations that already exist are not written
    by a service's publication, so their rows are not looked at.
    """
    rows = _nested_rows(top)
    if kind == "service":
        for location in reader.locations.values():
            if not Location.objects.filter(pk=location.id).exists():
                rows += _nested_rows(location)
    for row in rows:
        existing = row.table.model._default_manager.filter(pk=row.id).first()
        if existing is None:
            continue
        owners = _owners(existing) - {None}
        if owners - {organisation_pk}:
            raise HsdsError(f"{row.where}.id: {row.id} belongs to another organisation.")


def _nested_rows(row: Row) -> list[Row]:
    found: list[Row] = []
    for children in row.children.values():
        for child in children or []:
            found += [child, *_nested_rows(child)]
    return found


def _owners(obj: models.Model) -> set[int | None]:
    """The organisations whose records an existing nested row belongs to, through each of its parents."""
    owners: set[int | None] = set()
    for name in NESTED_TABLES[type(obj)].parents:
        parent = getattr(obj, name)
        if parent is None:
            continue
        if isinstance(parent, Service | Location | OrganisationRecord):
            owners.add(parent.organisation_id)
        else:
            owners |= _owners(parent)
    return owners


def _organisation_pk(own_id: uuid.UUID) -> int | None:
    record = OrganisationRecord.objects.filter(pk=own_id).first()
    return record.organisation_id if record else _fallback_record_ids().get(own_id)


def parse_dataset(data: bytes | str | list[Any] | dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """The documents of a file, as (kind, document, where): a JSON array of services or organizations (an
    HSDS *package*), a page of the API (``{"contents": [...]}``), one document, or NDJSON (one per line)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise HsdsError("The file is not UTF-8 text.") from None
    if isinstance(data, str):
        data = _parse_text(data)
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        items = data["contents"]
    elif isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise HsdsError("The file holds neither HSDS documents nor a list of them.")
    documents = []
    for index, item in enumerate(items):
        where = f"record {index + 1}"
        if not isinstance(item, dict):
            raise HsdsError(f"{where}: is not an object {{...}}.")
        if "status" not in item and "name" not in item and ({"service", "service_id", "location_id"} & set(item)):
            raise HsdsError(
                f"{where}: is a service_at_location; import services or organizations (they carry their services "
                "at locations)."
            )
        kind = "service" if "status" in item else "organization"
        documents.append((kind, item, f"{where} ({kind} {item.get('id', '?')})"))
    return documents


def _parse_text(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise HsdsError("The file is nested too deeply to be HSDS.") from None
    except ValueError as whole:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2:
            raise HsdsError(f"The file is not JSON: {whole}.") from None
        documents = []
        for number, line in enumerate(lines, start=1):
            try:
                documents.append(json.loads(line))
            except (ValueError, RecursionError) as error:
                raise HsdsError(f"record {number}: the line is not JSON ({error}).") from None
        return documents


def import_dataset(data: bytes | str | list[Any] | dict[str, Any], *, published_by: Person | None = None,
                   dry_run: bool = False) -> ImportReport:  # fmt: skip
    """Import another system's HSDS 3.0 dataset, all or nothing.

    Every document is checked first (the official compiled schema, then every value as its column stores it,
    every reference in the file or the directory); the first fault refuses the whole file with one
    :class:`HsdsError` naming the record and the field.  Objects are matched by id, so importing the same
    file again adds nothing and reports everything unchanged.
    """
    documents = parse_dataset(data)
    reader = Reader()
    services: list[tuple[Row, dict[str, Any]]] = []
    organizations: list[Row] = []
    for kind, document, where in documents:
        _check_storable(document, where)
        validate_schema(kind, document, where)
        if kind == "service":
            services.append((reader.service(document, where), document))
        else:
            organizations.append(reader.organization(document, where))
            for index, item in enumerate(document.get("services") or []):
                _check_storable(item, f"{where}.services[{index}]")
                item = {"organization_id": document["id"], **item}
                services.append((reader.service(item, f"{where}.services[{index}]"), item))
    reader.check_references()
    _check_import_owners(reader, services)
    report = ImportReport()
    writer = Writer(report, published_by)
    with _refusing_what_the_database_refuses(), transaction.atomic():
        for taxonomy in reader.taxonomies.values():
            writer.taxonomy(taxonomy)
        writer.terms(reader.terms.values())
        organisations = {row.id: writer.organization(row) for row in reader.organizations.values()}
        for location in reader.locations.values():
            owner = location.refs.get("organization_id")
            writer.location(location, _organisation_of(owner, organisations) if owner else None)
        for row, _ in services:
            organisation = Organisation.objects.get(pk=_organisation_of(row.refs["organization_id"], organisations))
            writer.service(row, organisation)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _check_import_owners(reader: Reader, services: list[tuple[Row, dict[str, Any]]]) -> None:
    """Refuse a file that gives one service twice with different values, or that would move a service (or a row
    nested in it) of one organisation of the directory to another: an import adds and updates, it does not
    hand one organisation's records to another (that is done on purpose, in the admin, not by an id in a file).
    """
    fallback = _fallback_record_ids()
    seen: dict[uuid.UUID, tuple[str, dict[str, Any]]] = {}
    for row, document in services:
        first = seen.setdefault(row.id, (row.where, document))
        if first[1] != document:
            raise HsdsError(
                f"{row.where}.id: {row.id} is in the file twice with different values (first at {first[0]})."
            )
        owner = row.refs["organization_id"]
        record = OrganisationRecord.objects.filter(pk=owner).values_list("organisation_id", flat=True).first()
        organisation_pk = record if record is not None else fallback.get(owner)
        existing = Service.objects.filter(pk=row.id).values_list("organisation_id", flat=True).first()
        if existing is not None and existing != organisation_pk:
            raise HsdsError(f"{row.where}.organization_id: service {row.id} belongs to another organisation of the "
                            "directory; an import does not move it.")  # fmt: skip
        _check_nested_owners(row, reader, organisation_pk, "")


@contextmanager
def _refusing_what_the_database_refuses() -> Iterator[None]:
    """What the checks above did not foresee and the database refuses is still one message, nothing written."""
    try:
        yield
    except (IntegrityError, DataError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise HsdsError(f"The file could not be written, nothing was changed: {first_line}.") from error


def _organisation_of(key: uuid.UUID, written: dict[uuid.UUID, Organisation]) -> int:
    if key in written:
        return written[key].pk
    record = OrganisationRecord.objects.filter(pk=key).first()
    if record is not None:
        return record.organisation_id
    return _fallback_record_ids()[key]
