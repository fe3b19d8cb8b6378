"""The official HSDS 3.0 examples (``hsds_examples/``, documents the project never produced): valid against the
copied schemas, refused where they are wrong (a latitude of 100) with the record and field named, and read
completely once that is corrected: what the project does not use is kept, an import twice changes nothing,
and the imported data goes through an empty database unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from apps.directory import hsds
from apps.directory.models import Location, Phone, Schedule, Service
from apps.organisations.models import Organisation
from tests.apps.directory.hsds_fixtures import assert_valid, empty_directory

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).parent / "hsds_examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"


def example(name: str) -> Any:
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def corrected(document: Any) -> Any:
    """The example with its location where a location can be (it says latitude 100, longitude 101)."""
    text = (
        json.dumps(document)
        .replace('"latitude": 100', '"latitude": 51.05')
        .replace('"longitude": 101', '"longitude": 3.72')
    )
    return json.loads(text)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("service_full", "service"), ("organization_full", "organization"),
     ("service_at_location_full", "service_at_location")],
)  # fmt: skip
def test_the_examples_validate_against_the_copied_schemas(name: str, kind: str) -> None:
    assert_valid(kind, example(name))
    for item in example(name.replace("_full", "_list"))["contents"]:
        assert_valid(f"{kind}_list", item)


@pytest.mark.parametrize("name", ["service_full", "organization_full"])
def test_an_example_as_published_is_refused_at_its_impossible_latitude(name: str) -> None:
    with pytest.raises(hsds.HsdsError, match=r"^record 1 \(\w+ [0-9a-f-]+\)\..*latitude: 100 is outside -90"):
        hsds.import_dataset([example(name)])
    assert not Service.objects.exists() and not Organisation.objects.filter(name__startswith="Example").exists()


def test_the_full_service_example_is_read_completely() -> None:
    original = corrected(example("service_full"))
    report = hsds.import_dataset([original])
    assert report.added == {"organization": 1, "location": 1, "service": 1, "taxonomy": 1, "taxonomy_term": 1}
    service = Service.objects.get(pk=SERVICE_ID)
    assert (service.name, service.minimum_age, service.organisation.name) == (
        "Community Counselling", 12, "Example Organization Inc.")  # fmt: skip
    location = Location.objects.get()
    assert location.district is not None and location.addresses.get().postal_code == "ABC 1234"
    assert Schedule.objects.get().kind == Schedule.Kind.HOURS, "one schedule id, used in three places"
    phone = Phone.objects.get()
    assert phone.service_id and phone.contact_id and phone.location_id and phone.service_at_location_id
    exported = hsds.service_document(Service.objects.get(pk=SERVICE_ID))
    assert_valid("service", exported)
    for key in ("funding", "program", "metadata", "alert", "last_modified", "assured_date", "description"):
        assert exported[key] == original[key], key
    assert exported["organization"]["organization_identifiers"] == original["organization"]["organization_identifiers"]
    assert exported["cost_options"][0]["amount"] == 35 and exported["cost_options"][0]["currency"] == "gbp"
    term = exported["attributes"][0]["taxonomy_term"]
    assert term["parent_id"] == "0bc248fa-dc27-4650-9ba4-8f1a24ef16a2", "a parent not in the file, kept"
    assert term["language"] == "eng" and term["taxonomy"] == "taxonomy"
    again = hsds.import_dataset([original])
    assert again.added == {} and again.changed == {}
    first = hsds.dumps(list(hsds.export_services()))
    empty_directory()
    hsds.import_dataset(first)
    assert hsds.dumps(list(hsds.export_services())) == first


def test_the_organization_example_and_the_list_pages_are_read_too() -> None:
    report = hsds.import_dataset([corrected(example("organization_full"))])
    assert report.added["organization"] == 1 and report.added["service"] == 1
    assert hsds.import_dataset(example("service_list")).unchanged.get("service") == 1
    with pytest.raises(hsds.HsdsError, match="is a service_at_location"):
        hsds.import_dataset(example("service_at_location_full"))
