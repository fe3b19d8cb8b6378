"""HSDS 3.0 both ways: every exported document validates against the official compiled schemas, a round trip
through an empty database gives the same JSON, another system's fields survive, a bad file changes nothing
and says where it is wrong, and importing twice adds nothing."""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest

from apps.directory import hsds
from apps.directory.models import (
    Location,
    OrganisationRecord,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from apps.organisations.models import Organisation
from tests.apps.directory.hsds_fixtures import assert_valid, build_directory, empty_directory

pytestmark = pytest.mark.django_db


def export_all() -> str:
    return hsds.dumps(list(hsds.export_services()))


def counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m._default_manager.count() for m in apps.get_app_config("directory").get_models()} | {
        "organisations": Organisation.objects.count()
    }


def test_every_exported_document_validates_against_the_official_schemas() -> None:
    made = build_directory()
    for service in hsds.prefetch_services(Service.objects.all()):
        assert_valid("service", hsds.service_document(service))
        assert_valid("service_list", hsds.service_scalars(service))
    for sal in hsds.prefetch_sals(ServiceAtLocation.objects.all()):
        assert_valid("service_at_location", hsds.service_at_location_document(sal))
        assert_valid("service_at_location_list", hsds.service_at_location_scalars(sal))
    for organisation in (made["welfare"], made["volunteers"]):
        document = hsds.organization_document(organisation, full_services=True)
        assert_valid("organization", document)
        assert_valid("organization_list", hsds.organization_scalars(organisation))
        assert_valid("organization", hsds.organization_document(organisation))


def test_the_service_document_carries_what_the_tables_hold() -> None:
    made = build_directory()
    document = hsds.service_document(hsds.prefetch_services(Service.objects.filter(pk=made["meals"].pk)).get())
    assert document["organization_id"] == str(made["record"].pk)
    assert document["organization"]["name"] == "OCMW Voorbeeld" and document["organization"]["tax_status"] == "exempt"
    assert document["minimum_age"] == 65 and document["income_limited"] is True
    assert document["last_modified"] == "2026-11-02T09:30:15.123Z"
    assert {c["amount"] for c in document["cost_options"]} == {7.5, 2}
    hours = next(s for s in document["schedules"] if s.get("opens_at"))
    assert (hours["opens_at"], hours["closes_at"], hours["valid_from"]) == ("11:30", "12:30", "2026-01-01")
    assert all("kind" not in schedule for schedule in document["schedules"]), "the kind is derived, not exported"
    assert document["funding"] == [{"id": "1c7c1b3e-8d0a-4c56-a1a6-0d3f5f6b9a01", "source": "Vlaamse overheid"}]
    term = document["attributes"][0]["taxonomy_term"]
    assert (term["name"], term["language"], term["name_fr"]) == ("Maaltijden aan huis", "nl", "Repas à domicile")
    assert term["taxonomy_detail"]["name"] == "Stadstaxonomie" and term["parent_id"] == str(made["care"].pk)
    location = document["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "9000" and location["accessibility"][0]["details"] == "Lift"
    assert "alternate_name" not in document["service_at_locations"][0], "empty fields are left out, never null"
    assert "null" not in hsds.dumps(document)


def test_round_trip_through_an_empty_database_gives_the_same_documents() -> None:
    build_directory()
    first = export_all()
    empty_directory()
    assert Service.objects.count() == 0 and TaxonomyTerm.objects.count() == 0
    report = hsds.import_dataset(first)
    assert report.added == {"organization": 2, "location": 2, "service": 3, "taxonomy": 1, "taxonomy_term": 3}
    assert export_all() == first
    kinds = sorted(Schedule.objects.values_list("kind", flat=True))
    assert kinds == ["appointment", "closed", "hours", "hours", "hours"], "each schedule classified on import"
    meals = Service.objects.get(name="Warme maaltijden")
    assert meals.search_text and "maaltijden aan huis" in meals.search_text
    assert Location.objects.get(name="Sociaal Huis Centrum").district is not None, "district from the coordinates"
    assert meals.service_areas.exclude(district=None).count() == 1


def test_importing_twice_reports_everything_unchanged_and_adds_nothing() -> None:
    build_directory()
    data = export_all()
    before = counts()
    report = hsds.import_dataset(data)
    assert report.added == {} and report.changed == {}
    assert report.unchanged == {"organization": 2, "location": 2, "service": 3, "taxonomy": 1, "taxonomy_term": 3}
    after_first = counts()
    assert after_first == before | {"directory.OrganisationRecord": 2}, "only the missing profile is created"
    assert hsds.import_dataset(data).unchanged == report.unchanged
    assert counts() == after_first and export_all() == data


def test_a_changed_document_is_reported_changed_and_its_nested_rows_replaced() -> None:
    made = build_directory()
    documents = json.loads(export_all())
    meals = next(d for d in documents if d["id"] == str(made["meals"].pk))
    meals["description"] = "Nieuw"
    meals["phones"] = []
    meals["schedules"] = meals["schedules"][:1]
    report = hsds.import_dataset(documents)
    assert report.changed == {"service": 1}
    service = Service.objects.get(pk=made["meals"].pk)
    assert service.description == "Nieuw" and not service.phones.exists() and service.schedules.count() == 1


FOREIGN_ORG = "0b6a1a50-0000-4000-8000-000000000001"
FOREIGN_TERM = "0b6a1a50-0000-4000-8000-000000000002"


def foreign_service() -> dict[str, Any]:
    """A service as another system writes it: HSDS fields this project does not use included."""
    return {
        "id": "0b6a1a50-0000-4000-8000-000000000010",
        "name": "Budget advice",
        "status": "active",
        "program_id": "0b6a1a50-0000-4000-8000-000000000011",
        "program": {"id": "0b6a1a50-0000-4000-8000-000000000011", "name": "Money", "description": "A programme"},
        "funding": [{"id": "0b6a1a50-0000-4000-8000-000000000012", "source": "The lottery"}],
        "metadata": [
            {
                "id": "0b6a1a50-0000-4000-8000-000000000013",
                "last_action_date": "2024-01-01",
                "last_action_type": "create",
                "field_name": "name",
                "previous_value": "",
                "replacement_value": "Budget advice",
                "updated_by": "someone",
            }
        ],
        "organization_id": FOREIGN_ORG,
        "organization": {
            "id": FOREIGN_ORG,
            "name": "Foreign Aid",
            "description": "",
            "tax_id": "BE0123",
            "organization_identifiers": [
                {
                    "id": "0b6a1a50-0000-4000-8000-000000000014",
                    "identifier_scheme": "BE-BCE",
                    "identifier_type": "KBO",
                    "identifier": "0123",
                }
            ],
            "contacts": [],
            "phones": [],
            "attributes": [],
        },
        "phones": [
            {
                "id": "0b6a1a50-0000-4000-8000-000000000015",
                "number": "+32 9 000",
                "service_id": "0b6a1a50-0000-4000-8000-000000000010",
                "languages": [],
                "attributes": [],
            }
        ],
        "schedules": [
            {
                "id": "0b6a1a50-0000-4000-8000-000000000016",
                "service_id": "0b6a1a50-0000-4000-8000-000000000010",
                "freq": "MONTHLY",
                "byday": "-1FR",
                "opens_at": "14:00",
                "closes_at": "16:00",
            }
        ],
        "service_areas": [],
        "service_at_locations": [
            {
                "id": "0b6a1a50-0000-4000-8000-000000000020",
                "service_id": "0b6a1a50-0000-4000-8000-000000000010",
                "location_id": "0b6a1a50-0000-4000-8000-000000000021",
                "contacts": [],
                "phones": [],
                "schedules": [],
                "location": {
                    "id": "0b6a1a50-0000-4000-8000-000000000021",
                    "location_type": "physical",
                    "name": "Elsewhere",
                    "organization_id": "0b6a1a50-0000-4000-8000-000000000099",  # an organisation not in the file
                    "languages": [],
                    "addresses": [
                        {
                            "id": "0b6a1a50-0000-4000-8000-000000000022",
                            "location_id": "0b6a1a50-0000-4000-8000-000000000021",
                            "address_1": "1 High Street",
                            "city": "Lille",
                            "state_province": "Nord",
                            "postal_code": "59000",
                            "country": "FR",
                            "address_type": "physical",
                        }
                    ],
                    "contacts": [],
                    "accessibility": [],
                    "phones": [],
                    "schedules": [],
                    "attributes": [],
                },
            }
        ],
        "languages": [],
        "cost_options": [],
        "required_documents": [],
        "contacts": [],
        "attributes": [
            {
                "id": "0b6a1a50-0000-4000-8000-000000000017",
                "link_id": "0b6a1a50-0000-4000-8000-000000000010",
                "link_entity": "service",
                "taxonomy_term_id": FOREIGN_TERM,
                "taxonomy_term": {
                    "id": FOREIGN_TERM,
                    "name": "Debt",
                    "description": "Debt advice",
                    "taxonomy": "open-eligibility",
                    "parent_id": "0b6a1a50-0000-4000-8000-000000000098",  # a term not in the file
                    "language": "en",
                },
            }
        ],
    }


def test_a_foreign_dataset_survives_a_round_trip() -> None:
    original = foreign_service()
    report = hsds.import_dataset([original])
    assert report.added == {"organization": 1, "service": 1, "taxonomy_term": 1, "location": 1}
    exported = json.loads(export_all())
    assert exported == [{**original, "last_modified": exported[0]["last_modified"]}]
    assert_valid("service", exported[0])
    schedule = Schedule.objects.get()
    assert schedule.kind == Schedule.Kind.HOURS and schedule.byday == "-1FR"
    assert Organisation.objects.filter(name="Foreign Aid").exists()


def test_ndjson_and_an_api_page_are_read_as_well() -> None:
    original = foreign_service()
    line = json.dumps(original)
    other = copy.deepcopy(original) | {"id": "0b6a1a50-0000-4000-8000-0000000000ff", "name": "Other"}
    for sub in ("phones", "schedules", "attributes", "service_at_locations"):
        other[sub] = []
    report = hsds.import_dataset(f"{line}\n{json.dumps(other)}\n".encode())
    assert report.added["service"] == 2
    page = {"total_items": 1, "page_number": 1, "contents": [original | {"name": "Renamed"}]}
    assert hsds.import_dataset(json.dumps(page)).changed == {"service": 1}


def mutate(change: Any) -> list[dict[str, Any]]:
    documents = [foreign_service(), foreign_service() | {"id": "0b6a1a50-0000-4000-8000-0000000000aa"}]
    for sub in ("phones", "schedules", "attributes", "service_at_locations"):
        documents[1][sub] = []
    change(documents[1])
    return documents


BAD_FILES: list[tuple[str, Any, str]] = [
    ("not JSON", b'{"id": ', "not JSON"),
    (
        "schema violation",
        mutate(lambda d: d.update(status="open")),
        "record 2 (service 0b6a1a50-0000-4000-8000-0000000000aa).status: 'open' is not one of",
    ),
    (
        "missing reference",
        mutate(lambda d: (d.pop("organization"), d.update(organization_id=str(uuid.uuid4())))),
        "record 2 (service 0b6a1a50-0000-4000-8000-0000000000aa).organization_id:",
    ),
    (
        "NUL",
        mutate(lambda d: d.update(description="a\x00b")),
        "record 2 (service 0b6a1a50-0000-4000-8000-0000000000aa).description: ",
    ),
    (
        "NUL in a key",
        mutate(lambda d: d.update({"x\x00": 1})),
        "record 2 (service 0b6a1a50-0000-4000-8000-0000000000aa): ",
    ),
    (
        "huge text",
        mutate(lambda d: d.update(name="x" * 201)),
        "record 2 (service 0b6a1a50-0000-4000-8000-0000000000aa).name: is 201 characters long",
    ),
    ("wrong uuid", mutate(lambda d: d.update(id="not-a-uuid")), "record 2 (service not-a-uuid).id:"),
    ("age out of range", mutate(lambda d: d.update(minimum_age=-3)), ".minimum_age: must be a whole number"),
    (
        "bad time",
        mutate(lambda d: d.update(schedules=[{"id": str(uuid.uuid4()), "opens_at": "25:00"}])),
        ".schedules[0].opens_at: '25:00' is not a time of day",
    ),
    (
        "link to another object",
        mutate(lambda d: d.update(phones=[{"id": str(uuid.uuid4()), "number": "1", "service_id": str(uuid.uuid4())}])),
        ".phones[0].service_id: does not name the object",
    ),
]


@pytest.mark.parametrize(("fault", "data", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_refused_as_a_whole_naming_the_first_bad_record_and_field(
    fault: str, data: Any, message: str
) -> None:
    build_directory()
    before, exported = counts(), export_all()
    with pytest.raises(hsds.HsdsError) as refused:
        hsds.import_dataset(data)
    assert message in str(refused.value), str(refused.value)
    assert "\n" not in str(refused.value)
    assert counts() == before and export_all() == exported


def test_publishing_one_reviewed_service_document() -> None:
    made = build_directory()
    document = hsds.service_document(Service.objects.get(pk=made["line"].pk))
    document["description"] = "Nu ook 's avonds"
    document["schedules"] = [{"id": str(uuid.uuid4()), "byday": "MO", "opens_at": "18:00", "closes_at": "20:00"}]
    service = hsds.apply_document("service", document, organisation=made["welfare"], published_by=None)
    assert isinstance(service, Service) and service.description == "Nu ook 's avonds"
    service.refresh_from_db()
    assert service.published_at is not None and service.checked_at is not None
    assert service.schedules.get().kind == Schedule.Kind.HOURS
    with pytest.raises(hsds.HsdsError, match="another organisation"):
        hsds.apply_document("service", document, organisation=made["volunteers"], published_by=None)
    new = {"id": str(uuid.uuid4()), "name": "Nieuwe dienst", "status": "active"}
    created = hsds.apply_document("service", new, organisation=made["volunteers"], published_by=None)
    assert created.organisation == made["volunteers"]  # type: ignore[attr-defined]
    bad_term = new | {"attributes": [{"id": str(uuid.uuid4()), "taxonomy_term_id": str(uuid.uuid4())}]}
    with pytest.raises(hsds.HsdsError, match=r"service\.attributes\[0\]\.taxonomy_term_id: .* not a type of help"):
        hsds.apply_document("service", bad_term, organisation=made["volunteers"], published_by=None)


def test_publishing_an_organisation_profile_and_a_location() -> None:
    made = build_directory()
    profile = hsds.organization_core(made["volunteers"])
    profile["description"] = "Buren die elkaar helpen"
    record = hsds.apply_document("organization", profile, organisation=made["volunteers"], published_by=None)
    assert isinstance(record, OrganisationRecord) and str(record.pk) == profile["id"]
    made["volunteers"].refresh_from_db()
    assert made["volunteers"].description == "Buren die elkaar helpen"
    place = {"id": str(uuid.uuid4()), "location_type": "physical", "name": "Buurthuis", "latitude": 51.05,
             "longitude": 3.72, "addresses": []}  # fmt: skip
    location = hsds.apply_document("location", place, organisation=made["volunteers"], published_by=None)
    assert isinstance(location, Location) and location.organisation == made["volunteers"]
    assert location.district is not None
    with pytest.raises(hsds.HsdsError, match="belongs to another organisation"):
        hsds.apply_document("location", place, organisation=made["welfare"], published_by=None)


def test_an_organization_package_is_read_too() -> None:
    """Organizations with their services and locations nested (HSDS ``organization_package``)."""
    made = build_directory()
    organisations = Organisation.objects.filter(pk__in=[made["welfare"].pk, made["volunteers"].pk])
    package = [hsds.organization_document(o, full_services=True) for o in organisations.order_by("name")]
    for document in package:
        assert_valid("organization", document)
    services = export_all()
    empty_directory()
    report = hsds.import_dataset(hsds.dumps(package))
    assert report.added == {"organization": 2, "location": 2, "service": 3, "taxonomy": 1, "taxonomy_term": 3}
    assert export_all() == services


def test_the_demo_directory_is_valid_hsds_and_survives_a_round_trip(demo_city: None) -> None:
    services = list(hsds.prefetch_services(Service.objects.all()))
    assert len(services) >= 20
    for service in services:
        assert_valid("service", hsds.service_document(service))
    exported = export_all()
    empty_directory(keep_organisations=True)
    report = hsds.import_dataset(exported)
    assert report.added["service"] == len(services)
    assert export_all() == exported


def test_renaming_an_organisation_or_a_type_of_help_refreshes_the_search_text() -> None:
    made = build_directory()
    profile = hsds.organization_core(made["welfare"])
    profile["name"] = "Sociaal Huis Zonnestad"
    hsds.apply_document("organization", profile, organisation=made["welfare"], published_by=None)
    assert "zonnestad" in Service.objects.get(pk=made["line"].pk).search_text
    documents = json.loads(export_all())
    meals, neighbours = (next(d for d in documents if d["id"] == str(made[k].pk)) for k in ("meals", "neighbours"))
    attribute = copy.deepcopy(meals["attributes"][0]) | {"id": str(uuid.uuid4()), "link_id": neighbours["id"]}
    attribute["taxonomy_term"]["name_en"] = "Meals on wheels"
    neighbours["attributes"] = [attribute]
    hsds.import_dataset([neighbours])
    assert "wheels" in Service.objects.get(pk=made["meals"].pk).search_text, "another service with the renamed term"
