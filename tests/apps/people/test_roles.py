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


def test_the_grant_form_offers_only_the_roles_the_coordinator_may_grant(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    html = client.get(f"/nl/persons/{resident.pk}/").content.decode()
    offered = html.split('name="role"')[1].split("</select>")[0]
    assert 'value="helper"' in offered and 'value="resident"' in offered
    assert 'value="administrator"' not in offered and 'value="coordinator"' not in offered


def test_a_role_the_coordinator_may_not_grant_is_refused_with_a_message_not_a_bare_403(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person, person_of: Callable[[str], Person]
) -> None:
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    response = client.post(f"/nl/persons/{resident.pk}/", {"form": "role", "role": Role.ADMINISTRATOR}, follow=True)
    assert response.status_code == 200
    assert "U mag deze rol niet geven." in response.content.decode()
    assert not resident.roles.filter(role=Role.ADMINISTRATOR).exists()
    # a role they may grant in general, refused for this person by the rule (a coordinator is staff, even to
    # themselves): the service's refusal is a message too, and nothing changes
    me = person_of("coordinator")
    roles_before = me.roles.count()
    response = client.post(f"/nl/persons/{me.pk}/", {"form": "role", "role": Role.HELPER}, follow=True)
    assert response.status_code == 200
    assert "U mag deze rol niet geven." in response.content.decode()
    assert me.roles.count() == roles_before


def test_each_role_needs_its_scope(
    person_of: Callable[[str], Person], resident_in_coordinators_district: Person
) -> None:
    from django.core.exceptions import ValidationError

    from apps.access.actors import actor_for_user
    from apps.organisations.models import Organisation
    from apps.people.services import role_grant, role_scope_check
    from apps.places.models import Place

    administrator = actor_for_user(person_of("administrator").user)
    resident = resident_in_coordinators_district
    with pytest.raises(ValidationError) as refused:
        role_grant(actor=administrator, person=resident, role=Role.COORDINATOR)
    assert refused.value.code == "coordinator_scope_required" and refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        role_grant(actor=administrator, person=resident, role=Role.CENTRE_COMMITTEE)
    assert refused.value.code == "place_required" and refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        role_grant(actor=administrator, person=resident, role=Role.ORGANISATION_STAFF)
    assert refused.value.code == "organisation_required" and refused.value.messages[0]
    assert not resident.roles.filter(role__in=[Role.COORDINATOR, Role.CENTRE_COMMITTEE]).exists()
    organisation = Organisation.objects.filter(active=True).first()
    role_scope_check(role=Role.COORDINATOR, district=resident.district, place=None, organisation=None)
    role_scope_check(role=Role.COORDINATOR, district=None, place=None, organisation=organisation)
    role_scope_check(role=Role.CENTRE_COMMITTEE, district=None, place=Place.objects.first(), organisation=None)
    role_scope_check(role=Role.CITY_STAFF, district=None, place=None, organisation=None)  # city-wide
    assert role_grant(actor=administrator, person=resident, role=Role.COORDINATOR, district=resident.district)
