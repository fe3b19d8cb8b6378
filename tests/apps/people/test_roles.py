"""Roles are granted and withdrawn only by those entitled to, and every grant is on record."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.people.models import Person, Role

pytestmark = pytest.mark.django_db


def test_coordinator_grants_a_helper_role_in_their_district(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person, person_of: Callable[[str], Person]
) -> None:
    resident = resident_in_coordinators_district
    client_as("coordinator").post(f"/nl/persons/{resident.pk}/", {"form": "role", "role": Role.HELPER})
    grant = resident.roles.get(role=Role.HELPER)
    assert grant.granted_by == person_of("coordinator")
    assert grant.district == resident.district and grant.withdrawn_at is None


def test_coordinator_cannot_make_someone_an_administrator(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident = resident_in_coordinators_district
    client_as("coordinator").post(f"/nl/persons/{resident.pk}/", {"form": "role", "role": Role.ADMINISTRATOR})
    assert not resident.roles.filter(role=Role.ADMINISTRATOR).exists()


def test_withdrawal_is_recorded_not_deleted(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person, person_of: Callable[[str], Person]
) -> None:
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    client.post(f"/nl/persons/{resident.pk}/", {"form": "role", "role": Role.HELPER})
    grant = resident.roles.get(role=Role.HELPER)
    client.post(f"/nl/persons/{resident.pk}/", {"form": "withdraw_role", "assignment": grant.pk})
    grant.refresh_from_db()
    assert grant.withdrawn_at is not None and grant.withdrawn_by == person_of("coordinator")


def test_withdrawn_role_no_longer_opens_pages(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client = client_as("coordinator")
    assert client.get("/nl/persons/").status_code == 200
    person_of("coordinator").roles.filter(role=Role.COORDINATOR).update(withdrawn_at="2026-11-01T00:00Z")
    assert client.get("/nl/persons/").status_code == 403


def test_roles_and_profile_through_the_api(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    coordinator = client_as("coordinator")
    url = f"/api/v1/persons/{resident_in_coordinators_district.pk}/roles"
    assert coordinator.post(url, {"role": "helper"}, content_type="application/json").status_code == 201
    assert coordinator.post(url, {"role": "administrator"}, content_type="application/json").status_code == 403
    assert client_as("helper").post(url, {"role": "helper"}, content_type="application/json").status_code == 404
    resident = client_as("resident")
    changed = resident.patch(
        "/api/v1/me", {"first_name": "Roza", "address": "Korenmarkt 1"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["first_name"] == "Roza"
    outside = resident.patch("/api/v1/me", {"address": "Nergensstraat 4"}, content_type="application/json")
    assert outside.status_code == 422 and outside.json()["detail"]
    assert resident.get("/api/v1/me").json()["street"] == "Korenmarkt"
