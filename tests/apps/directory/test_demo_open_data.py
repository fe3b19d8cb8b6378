"""The directory as open data: the published services with their organisation, types of help, phone, website
and locations, as CSV and JSON under CC0; nothing about a person or a referral; safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.core import formats
from apps.directory.models import Address, Location, Referral, Revision, Service, ServiceAtLocation
from apps.directory.open_data import CSV_HEADER, DATASETS, neutralise
from apps.organisations.models import Organisation
from apps.people.models import Person
from apps.places.models import District

pytestmark = pytest.mark.django_db

CSV_URL = "/open-data/directory/services.csv"
JSON_URL = "/open-data/directory/services.json"


def download(client: Client, url: str, content_type: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    return response.content.decode("utf-8")


def csv_rows(client: Client) -> list[dict[str, str]]:
    text = download(client, CSV_URL, "text/csv; charset=utf-8")
    assert text.splitlines()[0] == ",".join(CSV_HEADER)
    return list(csv.DictReader(io.StringIO(text)))


def json_services(client: Client) -> list[dict[str, Any]]:
    return json.loads(download(client, JSON_URL, "application/json"))["services"]


def test_the_dataset_is_listed_under_cc0(client: Client, demo_city: None) -> None:
    (dataset,) = DATASETS
    assert dataset.licence == "CC0-1.0" and set(dataset.formats) == {"csv", "json"}
    page = client.get("/en/open-data/")
    assert page.status_code == 200
    assert "Care and welfare services" in page.content.decode() and CSV_URL in page.content.decode()


def test_the_csv_has_a_row_per_service_and_location_with_address_coordinates_and_district(
    client: Client, demo_city: None
) -> None:
    rows = csv_rows(client)
    assert len(rows) == ServiceAtLocation.objects.count()
    assert {row["service_id"] for row in rows} == {str(pk) for pk in Service.objects.values_list("id", flat=True)}
    for row in rows:
        service = Service.objects.get(pk=row["service_id"])
        assert row["service"] == service.name and row["organisation"] == service.organisation.name
        assert row["types_of_help"] and row["phone"] and not row["phone"].startswith("'"), row
        assert row["website"] == service.url
        location = Location.objects.get(pk=row["location_id"])
        assert row["location"] == location.name
        if location.location_type == Location.Kind.PHYSICAL:
            assert float(row["latitude"]) == location.latitude and float(row["longitude"]) == location.longitude
            assert int(row["district_number"]) == location.district.number  # type: ignore[union-attr]
            assert row["district"] == location.district.name  # type: ignore[union-attr]
            assert row["address"] == location.addresses.get().address_1 and row["city"] == "Gent"
        else:
            assert row["latitude"] == row["address"] == row["district_number"] == ""
    assert {row["district_number"] for row in rows} >= {str(n) for n in range(1, 26)}


def test_the_json_has_each_service_with_its_locations(client: Client, demo_city: None) -> None:
    services = json_services(client)
    assert len(services) == Service.objects.count()
    for entry in services:
        service = Service.objects.get(pk=entry["id"])
        assert entry["name"] == service.name and entry["organisation"] == service.organisation.name
        assert entry["types_of_help"] and entry["phone"] == formats.phone(service.phones.first().number)  # type: ignore[union-attr]
        assert len(entry["locations"]) == service.service_at_locations.count()
        assert entry["last_checked"] == timezone.localdate(service.checked_at).isoformat()


def test_nothing_about_a_person_or_a_referral(client: Client, demo_city: None) -> None:
    assert Referral.objects.exists() and Revision.objects.exists()
    text = download(client, CSV_URL, "text/csv; charset=utf-8") + download(client, JSON_URL, "application/json")
    for person in Person.objects.all():
        assert f"{person.first_name} {person.last_name}" not in text
        if person.phone:
            assert formats.phone(person.phone) not in text and person.phone not in text
        if person.email:
            assert person.email not in text
        if person.street:
            assert f"{person.street} {person.house_number}," not in text
    for referral in Referral.objects.all():
        assert referral.need not in text
        assert not referral.status_reason or referral.status_reason not in text
    for revision in Revision.objects.all():
        for key in ("description", "fees_description", "application_process", "transportation"):
            proposed = revision.document.get(key)
            if proposed and not Service.objects.filter(description=proposed).exists():
                assert proposed not in text, "a change waiting for review is not published"
    for word in ("referral", "consent", "need", "email"):
        assert word not in json_services(client)[0], word


def test_only_what_is_published_and_still_runs(client: Client, demo_city: None) -> None:
    service = Service.objects.order_by("name").first()
    assert service is not None
    Service.objects.filter(pk=service.pk).update(published_at=None)
    stopped = Service.objects.exclude(pk=service.pk).order_by("name").first()
    Service.objects.filter(pk=stopped.pk).update(status=Service.Status.DEFUNCT)  # type: ignore[union-attr]
    ids = {entry["id"] for entry in json_services(client)}
    assert str(service.pk) not in ids and str(stopped.pk) not in ids  # type: ignore[union-attr]
    assert str(service.pk) not in {row["service_id"] for row in csv_rows(client)}


def test_formula_cells_are_neutralised_in_the_csv_and_kept_in_the_json(client: Client) -> None:
    organisation = Organisation.objects.create(slug="formula", name="+SUM(1,1)")
    now = timezone.now() - timedelta(days=1)
    service = Service.objects.create(
        organisation=organisation, name='=HYPERLINK("http://evil.example","klik")', url="https://x.example/",
        published_at=now, checked_at=now,
    )  # fmt: skip
    location = Location.objects.create(
        name="@SUM(A1)", organisation=organisation, latitude=51.05, longitude=3.72,
        district=District.objects.get(number=1), published_at=now,
    )  # fmt: skip
    Address.objects.create(location=location, address_1="-2+3 straat 1", city="Gent", state_province="O-Vl",
                           postal_code="9000")  # fmt: skip
    ServiceAtLocation.objects.create(service=service, location=location)
    (row,) = csv_rows(client)
    assert row["service"] == "'" + service.name
    assert row["organisation"] == "'+SUM(1,1)"
    assert row["location"] == "'@SUM(A1)"
    assert row["address"] == "'-2+3 straat 1"
    assert row["latitude"] == "51.05" and row["district_number"] == "1", "numbers stay numbers"
    assert not any(value.startswith(("=", "+", "-", "@")) for value in row.values())
    (entry,) = json_services(client)
    assert entry["name"] == service.name and entry["organisation"] == "+SUM(1,1)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+32", "'+32"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("ok", "ok"), (-1.5, -1.5)],
)
def test_neutralise(value: Any, expected: Any) -> None:
    assert neutralise(value) == expected


def test_the_files_take_the_same_few_queries_however_large_the_directory(demo_city: None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.directory.open_data import services_csv, services_json

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            services_csv()
            services_json()
        return len(captured)

    before = queries()
    assert before <= 14
    some = Service.objects.order_by("name")[:5]
    for service in some:
        copy = Service.objects.create(
            organisation=service.organisation, name=service.name + " bis", published_at=service.published_at
        )
        for sal in service.service_at_locations.all():
            ServiceAtLocation.objects.create(service=copy, location=sal.location)
    assert queries() == before
