"""The read-only HSDS 3.0 API (``/api/v1/hsds/``): paging as HSDS's openapi.json, the filters, 404 and 422,
documents valid against the official schemas, and a fixed number of queries per page."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator

from apps.directory import hsds
from apps.directory.models import Attribute, Phone, Schedule, Service, ServiceAtLocation
from tests.apps.directory.hsds_fixtures import assert_valid, build_directory

pytestmark = pytest.mark.django_db
API = "/api/v1/hsds"
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"}


@pytest.fixture
def made() -> dict[str, Any]:
    return build_directory()


def get(path: str, **params: Any) -> Any:
    response = Client().get(f"{API}{path}", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def refused(path: str, status: int, **params: Any) -> str:
    response = Client().get(f"{API}{path}", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, response.content[:300]
    detail: str = response.json()["detail"]
    return detail


def assert_page(page: dict[str, Any]) -> None:
    """The paging object of HSDS's own openapi.json (``components.schemas.Page``), ``empty`` included."""
    openapi = json.loads((hsds.SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
    schema = openapi["components"]["schemas"]["Page"]
    Draft202012Validator(schema).validate(page)
    assert set(schema["properties"]) | {"contents"} == set(page)


def names(page: dict[str, Any]) -> list[str]:
    return [item["name"] for item in page["contents"]]


def test_the_api_says_what_it_is(made: dict[str, Any]) -> None:
    info = get("/")
    assert info["version"] == "3.0" and info["openapi_url"].endswith("/api/v1/openapi.json")
    assert info["profile"].startswith("https://") and info["publisher"]["name"]


def test_services_are_paged_as_hsds_says(made: dict[str, Any]) -> None:
    first = get("/services", per_page=2)
    assert set(first) == PAGE_KEYS
    for path in ("/services", "/organizations", "/service_at_locations", "/taxonomies", "/taxonomy_terms"):
        assert_page(get(path, per_page=1))
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"]) == (3, 2, 1, 2)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = get("/services", per_page=2, page=2)
    assert second["size"] == 1 and second["last_page"] and not second["first_page"]
    assert names(first) + names(second) == ["Boodschappen met buren", "Warme maaltijden", "Zorglijn"]
    beyond = get("/services", page=9)
    assert beyond["contents"] == [] and beyond["size"] == 0 and not beyond["empty"]
    for item in first["contents"]:
        assert_valid("service_list", item)
    for item in get("/services", full="true")["contents"]:
        assert_valid("service", item)
    minimal = get("/services", minimal="true")["contents"]
    assert set(minimal[0]) == {"id", "name", "status", "last_modified"}
    assert get("/services", search="nobody-offers-this")["empty"] is True


def test_the_filters_of_services(made: dict[str, Any]) -> None:
    assert names(get("/services", search="WARME maaltijden")) == ["Warme maaltijden"]
    assert names(get("/services", search="maaltijdën")) == ["Warme maaltijden"], "accents forgiven"
    assert names(get("/services", taxonomy_term_id=str(made["care"].pk))) == ["Zorglijn"]
    assert names(get("/services", taxonomy_id=str(made["taxonomy"].pk))) == ["Warme maaltijden", "Zorglijn"]
    assert names(get("/services", organization_id=str(made["record"].pk))) == ["Warme maaltijden", "Zorglijn"]
    volunteers = hsds.record_id(made["volunteers"])
    assert names(get("/services", organization_id=str(volunteers))) == ["Boodschappen met buren"]
    assert names(get("/services", modified_after="2026-11-03T00:00:00Z")) == ["Boodschappen met buren", "Zorglijn"]
    assert get("/services", organization_id=str(uuid.uuid4()))["empty"]


def test_one_service_fully_nested_and_unknown_or_bad_ids(made: dict[str, Any]) -> None:
    document = get(f"/services/{made['meals'].pk}")
    assert_valid("service", document)
    assert document == hsds.service_document(Service.objects.get(pk=made["meals"].pk))
    for path in ("services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"):
        assert refused(f"/{path}/{uuid.uuid4()}", 404)
        assert "uuid" in refused(f"/{path}/not-an-id", 422).lower()


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/services", {"per_page": 0}, "per_page"),
        ("/services", {"per_page": 501}, "per_page"),
        ("/services", {"page": "x"}, "page"),
        ("/services", {"format": "xml"}, "format"),
        ("/services", {"taxonomy_term_id": "care"}, "taxonomy_term_id"),
        ("/services", {"modified_after": "yesterday"}, "modified_after"),
        ("/services", {"full": "maybe"}, "full"),
        ("/service_at_locations", {"proximity": -1, "postcode": "9000"}, "proximity"),
        ("/services", {"modified_after": "0.5"}, "modified_after"),
        ("/taxonomy_terms", {"parent_id": "x"}, "parent_id"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(
    made: dict[str, Any], path: str, params: dict[str, Any], field: str
) -> None:
    assert refused(path, 422, **params).startswith(field)


def test_services_at_locations_by_postcode_and_distance(made: dict[str, Any]) -> None:
    page = get("/service_at_locations")
    assert page["total_items"] == 3
    for item in page["contents"]:
        assert_valid("service_at_location_list", item)
    for item in get("/service_at_locations", full="true")["contents"]:
        assert_valid("service_at_location", item)
    at_9000 = get("/service_at_locations", postcode="9000")["contents"]
    assert sorted(item["service"]["name"] for item in at_9000) == ["Boodschappen met buren", "Warme maaltijden"]
    assert get("/service_at_locations", postcode="9050")["empty"]
    near = get("/service_at_locations", postcode="9000", proximity=100_000)["contents"]
    assert {item["location"]["name"] for item in near} == {"Sociaal Huis Centrum"}
    assert get("/service_at_locations", postcode="0001", proximity=500)["empty"], "a postcode nobody has"
    assert get("/service_at_locations", proximity=500)["total_items"] == 3, "no postcode: no centre to measure from"
    one = get(f"/service_at_locations/{at_9000[0]['id']}")
    assert_valid("service_at_location", one)
    assert one["location"]["addresses"][0]["postal_code"] == "9000"


def test_organizations_taxonomies_and_terms(made: dict[str, Any]) -> None:
    organizations = get("/organizations")
    assert [o["name"] for o in organizations["contents"]] == ["Buren helpen", "OCMW Voorbeeld"]
    for item in organizations["contents"]:
        assert_valid("organization_list", item)
    for full_service in ("false", "true"):
        for item in get("/organizations", full="true", full_service=full_service)["contents"]:
            assert_valid("organization", item)
    one = get(f"/organizations/{made['record'].pk}", full_service="true")
    assert_valid("organization", one)
    assert {s["name"] for s in one["services"]} == {"Warme maaltijden", "Zorglijn"} and one["locations"]
    assert get(f"/organizations/{hsds.record_id(made['volunteers'])}")["name"] == "Buren helpen"
    assert get("/taxonomies")["contents"][0]["name"] == "Stadstaxonomie"
    assert get(f"/taxonomies/{made['taxonomy'].pk}")["version"] == "1"
    terms = get("/taxonomy_terms")
    assert terms["total_items"] == 3
    assert names(get("/taxonomy_terms", top_only="true")) == ["Vrije term", "Zorg"]
    assert names(get("/taxonomy_terms", parent_id=str(made["care"].pk))) == ["Maaltijden aan huis"]
    assert names(get("/taxonomy_terms", search="repas")) == ["Maaltijden aan huis"], "found in French too"
    term = get(f"/taxonomy_terms/{made['care'].pk}")
    assert (term["name"], term["language"], term["name_en"]) == ("Zorg", "nl", "Care")


def test_ndjson_streams_every_result_without_paging(made: dict[str, Any]) -> None:
    response = Client().get(f"{API}/services", {"format": "ndjson", "per_page": 1, "full": "true"})
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    documents = [json.loads(line) for line in lines]
    assert [d["name"] for d in documents] == ["Boodschappen met buren", "Warme maaltijden", "Zorglijn"]
    for document in documents:
        assert_valid("service", document)
    assert hsds.import_dataset("\n".join(lines)).unchanged["service"] == 3, "what the API gives, an import reads"


def grow(made: dict[str, Any], count: int) -> None:
    """More services, each with rows at every level, at the same locations."""
    for number in range(count):
        service = Service.objects.create(organisation=made["welfare"], name=f"Extra {number:02}")
        sal = ServiceAtLocation.objects.create(service=service, location=made["home"])
        Schedule.objects.create(service_at_location=sal, byday="MO")
        Phone.objects.create(service=service, number=str(number))
        Attribute.objects.create(service=service, taxonomy_term=made["care"])


@pytest.mark.parametrize(
    "path",
    [
        "/services?full=true&per_page=100",
        "/services?per_page=100",
        "/service_at_locations?full=true&per_page=100",
        "/service_at_locations?per_page=100",
        "/organizations?full=true&full_service=true&per_page=100",
        "/organizations?per_page=100",
        "/taxonomy_terms?per_page=100",
    ],
)
def test_queries_per_page_do_not_grow_with_the_rows(
    made: dict[str, Any], path: str, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}{path}").status_code == 200
    grow(made, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{API}{path}")
    assert response.status_code == 200 and response.json()["total_items"] >= 2


def test_every_path_and_parameter_of_the_hsds_openapi_document_is_offered() -> None:
    """HSDS's own openapi.json (copied in ``hsds_schema``): each of its paths under /api/v1/hsds, each of its
    query parameters there, in the project's OpenAPI document (which stays a valid OpenAPI document)."""
    from openapi_spec_validator import validate

    theirs = json.loads((hsds.SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
    ours = Client().get("/api/v1/openapi.json").json()
    validate(ours)
    components = theirs["components"]["parameters"]
    for path, operations in theirs["paths"].items():
        mine = ours["paths"].get(f"/api/v1/hsds{path}")
        assert mine is not None and "get" in mine, path
        wanted = {
            components[p["$ref"].rsplit("/", 1)[1]]["name"] if "$ref" in p else p["name"]
            for p in operations["get"].get("parameters", []) + operations.get("parameters", [])
        }
        offered = {p["name"] for p in mine["get"].get("parameters", [])}
        assert wanted <= offered, (path, wanted - offered)
