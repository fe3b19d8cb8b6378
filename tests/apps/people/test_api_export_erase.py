"""Export as CSV, erasure and role withdrawal through the API: the same services and rules as the pages."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.access.models import AccessLogEntry
from apps.people.models import Person, Role

from .test_erasure_reauthentication import confirm_it_is_me
from .test_my_data_export_and_erasure import aggregates

pytestmark = pytest.mark.django_db

PERSONAL_FIELDS = ("first_name", "last_name", "phone", "email", "street", "house_number", "postcode", "support_needs")


def snapshot(person: Person) -> dict[str, Any]:
    """Everything an erasure or a withdrawal would change about a person."""
    person.refresh_from_db()
    return {
        **{field: getattr(person, field) for field in PERSONAL_FIELDS},
        "user_id": person.user_id,
        "erased_at": person.erased_at,
        "roles": sorted(person.roles.values_list("pk", "withdrawn_at")),
    }


def csv_table(text: str, table: str) -> list[dict[str, str]]:
    """The rows of one table of an export (``# table`` line, header, rows, blank line)."""
    block = next(part for part in text.split("\n\n") if part.strip().startswith(f"# {table}\n"))
    return list(csv.DictReader(io.StringIO(block.strip().split("\n", 1)[1])))


def erase(client: Client, url: str, body: dict[str, Any] | None) -> Any:
    return client.post(url, body if body is not None else {}, content_type="application/json")


def test_i_download_my_data_as_csv(client_as: Callable[[str], Client], person_of: Callable[[str], Person]) -> None:
    me = person_of("resident")
    response = client_as("resident").get("/api/v1/me/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# people.person\n")
    person_rows = csv_table(text, "people.person")
    assert len(person_rows) == 1 and person_rows[0]["last_name"] == me.last_name
    assert {row["role"] for row in csv_table(text, "people.roles")} >= {Role.RESIDENT.value}


def test_a_coordinator_downloads_a_residents_data_as_csv_and_it_is_logged(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident = resident_in_coordinators_district
    before = AccessLogEntry.objects.filter(subject_person_id=resident.pk, action="export").count()
    response = client_as("coordinator").get(f"/api/v1/persons/{resident.pk}/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert csv_table(response.content.decode(), "people.person")[0]["last_name"] == resident.last_name
    entries = AccessLogEntry.objects.filter(subject_person_id=resident.pk, action="export")
    assert entries.count() == before + 1
    assert "person_export_csv" in entries.order_by("-at").first().via  # type: ignore[union-attr]


def test_a_helper_gets_404_for_someone_elses_csv(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    client = client_as("helper")
    missing = Person.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    response = client.get(f"/api/v1/persons/{resident_in_coordinators_district.pk}/export.csv")
    absent = client.get(f"/api/v1/persons/{missing}/export.csv")
    assert response.status_code == absent.status_code == 404 and response.json() == absent.json()


def test_i_erase_myself_through_the_api_and_the_statistics_stay_whole(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    me = person_of("resident")
    before = aggregates()
    client = client_as("resident")
    confirm_it_is_me(client, "resident")  # irreversible: test_erasure_reauthentication.py
    response = erase(client, "/api/v1/me/erase", {"confirm": True})
    assert response.status_code == 204
    me.refresh_from_db()
    for field in PERSONAL_FIELDS:
        assert getattr(me, field) == "", field
    assert me.lat is None and me.lon is None and me.birth_date is None and me.languages == []
    assert me.user is None and me.erased_at is not None
    assert not get_user_model().objects.filter(username="resident@demo.cityofpeople.example").exists()
    assert aggregates() == before
    assert client.get("/api/v1/me").status_code == 401  # signed out: the account is gone


@pytest.mark.parametrize("body", [None, {}, {"confirm": False}, {"confirm": "yes"}, {"confirm": 1}])
def test_erasure_without_confirmation_is_refused_and_changes_nothing(
    client_as: Callable[[str], Client],
    person_of: Callable[[str], Person],
    resident_in_coordinators_district: Person,
    body: dict[str, Any] | None,
) -> None:
    me, resident = person_of("resident"), resident_in_coordinators_district
    mine, theirs = snapshot(me), snapshot(resident)
    own = erase(client_as("resident"), "/api/v1/me/erase", body)
    on_behalf = erase(client_as("coordinator"), f"/api/v1/persons/{resident.pk}/erase", body)
    for response in (own, on_behalf):
        assert response.status_code == 422
        assert response.json()["detail"]
    assert snapshot(me) == mine and snapshot(resident) == theirs
    if body is None or "confirm" not in body or body["confirm"] is False:
        assert '"confirm": true' in own.json()["detail"]


def test_a_coordinator_erases_a_resident_of_their_district(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident = resident_in_coordinators_district
    before = aggregates()
    logged = AccessLogEntry.objects.filter(subject_person_id=resident.pk, action="erase").count()
    client = client_as("coordinator")
    confirm_it_is_me(client, "coordinator")  # irreversible: test_erasure_reauthentication.py
    assert erase(client, f"/api/v1/persons/{resident.pk}/erase", {"confirm": True}).status_code == 204
    resident.refresh_from_db()
    assert resident.last_name == "" and resident.support_needs == "" and resident.erased_at is not None
    assert aggregates() == before
    entry = AccessLogEntry.objects.filter(subject_person_id=resident.pk, action="erase")
    assert entry.count() == logged + 1 and entry.get().purpose == "data_erasure"
    # gone: a second erasure is a 404, like any id that does not exist
    assert erase(client, f"/api/v1/persons/{resident.pk}/erase", {"confirm": True}).status_code == 404
    assert client.get("/api/v1/me").status_code == 200  # the coordinator is still signed in


@pytest.mark.parametrize("whom", ["elsewhere", "staff"])
def test_a_coordinator_cannot_erase_outside_their_districts_or_staff(
    client_as: Callable[[str], Client],
    person_of: Callable[[str], Person],
    resident_elsewhere: Person,
    whom: str,
) -> None:
    target = resident_elsewhere if whom == "elsewhere" else person_of("city_staff")
    before, aggregates_before = snapshot(target), aggregates()
    denied = AccessLogEntry.objects.filter(subject_person_id=target.pk, outcome="denied").count()
    missing = Person.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    client = client_as("coordinator")
    forbidden = erase(client, f"/api/v1/persons/{target.pk}/erase", {"confirm": True})
    absent = erase(client, f"/api/v1/persons/{missing}/erase", {"confirm": True})
    assert forbidden.status_code == absent.status_code == 404
    assert forbidden.json() == absent.json()
    assert snapshot(target) == before and aggregates() == aggregates_before
    assert AccessLogEntry.objects.filter(subject_person_id=target.pk, outcome="denied").count() == denied + 1


def test_a_coordinator_withdraws_a_role_through_the_api_and_who_is_recorded(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person, person_of: Callable[[str], Person]
) -> None:
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    granted = client.post(f"/api/v1/persons/{resident.pk}/roles", {"role": "helper"}, content_type="application/json")
    assert granted.status_code == 201
    assignment_id = granted.json()["id"]
    url = f"/api/v1/persons/{resident.pk}/roles/{assignment_id}"
    response = client.delete(url)
    assert response.status_code == 200
    coordinator = person_of("coordinator")
    assert response.json()["withdrawn_at"] and response.json()["withdrawn_by_person_id"] == coordinator.pk
    grant = resident.roles.get(pk=assignment_id)
    assert grant.withdrawn_at is not None and grant.withdrawn_by == coordinator  # recorded, not deleted
    again = client.delete(url)
    assert again.status_code == 409 and again.json()["detail"]
    assert resident.roles.get(pk=assignment_id).withdrawn_at == grant.withdrawn_at
    assert client.delete(f"/api/v1/persons/{resident.pk}/roles/{assignment_id + 1000}").status_code == 404


def test_a_role_the_coordinator_may_not_withdraw_is_refused_and_kept(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    me = person_of("coordinator")
    own = me.roles.get(role=Role.COORDINATOR)
    response = client_as("coordinator").delete(f"/api/v1/persons/{me.pk}/roles/{own.pk}")
    assert response.status_code == 403 and response.json()["detail"]
    own.refresh_from_db()
    assert own.withdrawn_at is None


def test_a_helper_gets_404_when_withdrawing_someone_elses_role(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident = resident_in_coordinators_district
    role = resident.roles.get(role=Role.RESIDENT)
    before = snapshot(resident)
    denied = AccessLogEntry.objects.filter(subject_person_id=resident.pk, outcome="denied").count()
    client = client_as("helper")
    missing = Person.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    response = client.delete(f"/api/v1/persons/{resident.pk}/roles/{role.pk}")
    absent = client.delete(f"/api/v1/persons/{missing}/roles/{role.pk}")
    assert response.status_code == absent.status_code == 404 and response.json() == absent.json()
    assert snapshot(resident) == before
    assert AccessLogEntry.objects.filter(subject_person_id=resident.pk, outcome="denied").count() == denied + 1


def test_the_new_endpoints_are_in_the_openapi_document(client_as: Callable[[str], Client]) -> None:
    paths = client_as("anonymous").get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/me/export.csv", "/api/v1/persons/{person_id}/export.csv"):
        assert "text/csv" in paths[path]["get"]["responses"]["200"]["content"], path
    for path in ("/api/v1/me/erase", "/api/v1/persons/{person_id}/erase"):
        assert {"204", "404", "422"} <= set(paths[path]["post"]["responses"]), path
    assert {"200", "403", "404", "409"} <= set(
        paths["/api/v1/persons/{person_id}/roles/{assignment_id}"]["delete"]["responses"]
    )
