"""OWASP ASVS 5.0 chapter V8 (authorization), level 2: docs/security.md names each test.

Function level: the access table (test_access_table.py).  Here: object level
on every person endpoint and for writes too, field level, the service layer,
and the admin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from apps.access.actors import actor_for_user
from apps.people import schemas, services
from apps.people.models import Person, Purpose, Role

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]

READS = ["/nl/persons/{}/", "/nl/persons/{}/export/", "/nl/persons/{}/erase/"]
API_READS = ["/api/v1/persons/{}", "/api/v1/persons/{}/consents", "/api/v1/persons/{}/export"]
API_WRITES = [
    ("post", "/api/v1/persons/{}/roles", {"role": "helper"}),
    ("post", "/api/v1/persons/{}/consents", {"purpose": "contact_email", "method": "phone"}),
    ("delete", "/api/v1/persons/{}/consents/care_matching", None),
]


@pytest.mark.parametrize("role", ["resident", "helper", "city_staff", "administrator", "auditor", "centre_committee"])
def test_another_persons_id_answers_like_a_missing_id_for_reads_and_writes(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person, role: str
) -> None:
    """8.2.2 (IDOR / BOLA): same status and same body, and nothing changes."""
    client = client_as(role)
    someone = resident_in_coordinators_district
    missing = Person.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    roles_before, consents_before = someone.roles.count(), someone.consents.filter(withdrawn_at__isnull=True).count()
    for url in READS + API_READS:
        forbidden, absent = client.get(url.format(someone.pk)), client.get(url.format(missing))
        assert forbidden.status_code == absent.status_code == 404, url
        assert forbidden.content == absent.content, url
    for method, url, body in API_WRITES:
        call = getattr(client, method)
        kwargs = {"content_type": "application/json"} if body is not None else {}
        forbidden = call(url.format(someone.pk), body, **kwargs) if body else call(url.format(someone.pk))
        absent = call(url.format(missing), body, **kwargs) if body else call(url.format(missing))
        assert forbidden.status_code == absent.status_code == 404, url
        assert forbidden.json() == absent.json(), url
    for url in READS[1:]:
        assert client.post(url.format(someone.pk), {"confirm": "on"}).status_code == 404
    assert someone.roles.count() == roles_before
    assert someone.consents.filter(withdrawn_at__isnull=True).count() == consents_before
    someone.refresh_from_db()
    assert someone.erased_at is None


def test_care_needs_are_a_field_only_some_may_read(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    """8.2.3 (BOPLA), reading: lists never carry care needs; the detail only while consent holds."""
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    listed = client.get("/api/v1/persons", {"q": resident.last_name}).json()
    assert listed and all("support_needs" not in row for row in listed)
    assert client.get(f"/api/v1/persons/{resident.pk}").json()["support_needs"] == resident.support_needs
    resident.consents.filter(purpose=Purpose.CARE_MATCHING).update(withdrawn_at="2026-01-01T00:00Z")
    assert client.get(f"/api/v1/persons/{resident.pk}").json()["support_needs"] is None


def test_fields_outside_the_schema_cannot_be_written(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    """8.2.3 (BOPLA), writing: no mass assignment of care needs, district, account link or verification."""
    client = client_as("resident")
    me = person_of("resident")
    before = (me.support_needs, me.district_id, me.user_id, me.phone_verified, me.erased_at)
    response = client.patch(
        "/api/v1/me",
        {
            "first_name": "Roza",
            "support_needs": "iets anders",
            "district_id": 7,
            "district_number": 7,
            "user_id": 1,
            "phone_verified": False,
            "erased_at": "2026-01-01T00:00:00Z",
            "id": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    me.refresh_from_db()
    assert me.first_name == "Roza"
    assert (me.support_needs, me.district_id, me.user_id, me.phone_verified, me.erased_at) == before


def test_administrators_do_not_see_care_needs_in_the_admin(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    """8.2.3: least privilege for the administrator too."""
    html = client_as("administrator").get(f"/nl/admin/people/person/{resident_in_coordinators_district.pk}/change/")
    assert html.status_code == 200
    assert resident_in_coordinators_district.support_needs not in html.content.decode()
    assert 'name="support_needs"' not in html.content.decode()


def test_the_documented_field_rules_cover_every_field_of_the_person_api() -> None:
    """8.1.2: every field the person API reads or writes has a row in docs/security.md."""
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = doc.split("<!-- fields -->")[1].split("<!-- /fields -->")[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    for schema in (schemas.PersonOut, schemas.PersonDetailOut, schemas.PersonIn, schemas.ProfileIn):
        missing = set(schema.model_fields) - documented
        assert not missing, f"{schema.__name__}: {sorted(missing)} not in the field rules of docs/security.md"


def test_the_services_refuse_whatever_page_or_client_calls_them(
    demo_city: None, resident_in_coordinators_district: Person, person_of: Callable[[str], Person]
) -> None:
    """8.3.1: the rules sit in the service layer, not in a page or in the browser."""
    helper = actor_for_user(person_of("helper").user)
    resident = resident_in_coordinators_district
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=helper, person=resident, role=Role.HELPER)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=helper, person=resident, first_name="X")
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=helper, person=resident, purpose=Purpose.CARE_MATCHING)


def test_the_admin_closes_when_the_administrator_role_is_withdrawn(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    """8.2.1, and role changes apply at once (no permissions cached in the session)."""
    client = client_as("administrator")
    assert client.get("/nl/admin/").status_code == 200
    person_of("administrator").roles.filter(role=Role.ADMINISTRATOR).update(withdrawn_at="2026-01-01T00:00Z")
    assert client.get("/nl/admin/").status_code == 302
    assert client.get("/nl/admin/people/person/").status_code == 302


def test_the_superuser_flag_alone_does_not_open_the_admin(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    """8.2.1: explicit permission is the role; a leftover is_staff/is_superuser flag is not enough."""
    user = person_of("helper").user
    user.is_staff = user.is_superuser = True  # type: ignore[union-attr]
    user.save()  # type: ignore[union-attr]
    assert client_as("helper").get("/nl/admin/").status_code == 302
