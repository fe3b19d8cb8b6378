""""Who read my data" names who read it (issue 14): a helper by first name and initial, a coordinator by first
name and organisation, other staff by their organisation; never a staff member's last name."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.access.actors import actor_for_user
from apps.access.services import access_log_write
from apps.people.models import Person, Role

pytestmark = pytest.mark.django_db


def read_by(reader: Person, subject: Person) -> None:
    written = access_log_write(
        actor=actor_for_user(reader.user), subject_person_id=subject.pk, record_type="care.CareRequest", record_id=1,
        action="read", purpose="care.view_request", allowed=True, via="test",
    )  # fmt: skip
    assert written is not None


def rows_of(html: str) -> str:
    return " ".join(html.split("<tbody>")[1].split("</tbody>")[0].split())


def test_the_helper_and_the_coordinator_are_named(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    rosa, helper, coordinator = person_of("resident"), person_of("helper"), person_of("coordinator")
    staff = person_of("organisation_staff")
    for reader in (helper, coordinator, staff):
        read_by(reader, rosa)

    rows = rows_of(client_as("resident").get("/en/me/reads/").content.decode())

    assert f"{helper.first_name} {helper.last_name[0]}." in rows and helper.last_name not in rows
    grant = coordinator.roles.get(role=Role.COORDINATOR)
    where = grant.organisation.name if grant.organisation else "City of Gent"
    assert f"{coordinator.first_name}, {where}" in rows and coordinator.last_name not in rows
    staff_grant = staff.roles.get(role=Role.ORGANISATION_STAFF)
    assert staff_grant.organisation is not None and staff_grant.organisation.name in rows
    assert staff.first_name not in rows and staff.last_name not in rows
    for role in ("Helper", "Coordinator", "Organisation staff"):
        assert role in rows, role


def test_the_list_is_cards_on_a_phone_not_a_wide_table(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    read_by(person_of("coordinator"), person_of("resident"))
    html = client_as("resident").get("/en/me/reads/").content.decode()
    assert 'class="data data--stack' in html and 'data-label="Who"' in html


def test_a_long_history_comes_a_page_at_a_time(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    rosa, coordinator = person_of("resident"), person_of("coordinator")
    for _ in range(30):
        read_by(coordinator, rosa)
    client = client_as("resident")
    first = client.get("/en/me/reads/").content.decode()
    assert rows_of(first).count("<tr") == 25 and "Page 1 of" in first and 'rel="next"' in first
    second = client.get("/en/me/reads/?page=2").content.decode()
    assert 'rel="prev"' in second
