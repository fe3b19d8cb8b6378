"""A person sees and takes their data, and can have it erased while statistics stay whole."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.test import Client

from apps.access.models import AccessLogEntry
from apps.people.models import Person, RoleAssignment

from .test_erasure_reauthentication import confirm_it_is_me

pytestmark = pytest.mark.django_db


def aggregates() -> dict[str, object]:
    """The figures insights will publish: counts per district and month."""
    persons = Person.objects.annotate(month=TruncMonth("created_at")).values("district__number", "month")
    roles = RoleAssignment.objects.values("role", "person__district__number")
    return {
        "persons": sorted((r["district__number"], str(r["month"]), r["n"]) for r in persons.annotate(n=Count("id"))),
        "roles": sorted((r["role"], r["person__district__number"], r["n"]) for r in roles.annotate(n=Count("id"))),
    }


def test_my_export_as_json_and_csv(client_as: Callable[[str], Client], person_of: Callable[[str], Person]) -> None:
    client = client_as("resident")
    me = person_of("resident")
    data = json.loads(client.get("/nl/me/data/export/?format=json").content)
    assert data["people.person"][0]["last_name"] == me.last_name
    assert {"people.consents", "people.roles", "people.reads_of_my_data"} <= set(data)
    text = client.get("/nl/me/data/export/?format=csv").content.decode()
    assert text.startswith("# people.person\n")
    rows = list(csv.DictReader(io.StringIO(text.split("\n\n")[0].split("\n", 1)[1])))
    assert rows[0]["last_name"] == me.last_name


def test_own_reads_are_not_logged_but_a_coordinators_export_is(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    before = AccessLogEntry.objects.count()
    client_as("resident").get("/nl/me/data/export/")
    assert AccessLogEntry.objects.count() == before
    client_as("coordinator").get(f"/nl/persons/{resident_in_coordinators_district.pk}/export/")
    assert AccessLogEntry.objects.count() == before + 1
    assert AccessLogEntry.objects.first().action == "export"  # type: ignore[union-attr]


def test_erasure_removes_every_personal_field_and_keeps_the_statistics(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    me = person_of("resident")
    before = aggregates()
    client = client_as("resident")
    assert client.post("/nl/me/data/", {}).status_code == 200, "erasure needs an explicit confirmation"
    confirm_it_is_me(client, "resident")  # and a fresh re-authentication: test_erasure_reauthentication.py
    response = client.post("/nl/me/data/", {"confirm": "on"})
    assert response.status_code == 302
    me.refresh_from_db()
    for field in ("first_name", "last_name", "phone", "email", "street", "house_number", "postcode", "support_needs"):
        assert getattr(me, field) == "", field
    assert me.lat is None and me.lon is None and me.birth_date is None and me.languages == []
    assert me.user is None and me.erased_at is not None
    assert not get_user_model().objects.filter(username="resident@demo.cityofpeople.example").exists()
    assert aggregates() == before


def test_coordinator_erases_on_behalf(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    before = aggregates()
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    confirm_it_is_me(client, "coordinator")  # irreversible: test_erasure_reauthentication.py
    assert client.post(f"/nl/persons/{resident.pk}/erase/", {"confirm": "on"}).status_code == 302
    resident.refresh_from_db()
    assert resident.last_name == "" and resident.erased_at is not None
    assert client.get(f"/nl/persons/{resident.pk}/").status_code == 404
    assert aggregates() == before


def test_my_pages_show_roles_consents_and_reads(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client = client_as("coordinator")
    assert "Coördinator" in client.get("/nl/me/roles/").content.decode()
    html = client.get("/nl/me/consents/").content.decode()
    assert "Toestemming geven: Een e-mail krijgen" in html
    response = client.post("/nl/me/consents/", {"purpose": "contact_email", "action": "give"})
    assert response.status_code == 302
    me = person_of("coordinator")
    assert me.consents.get(purpose="contact_email").method == "online"
    client.post("/nl/me/consents/", {"purpose": "contact_email", "action": "withdraw"})
    assert not me.consents.filter(purpose="contact_email", withdrawn_at__isnull=True).exists()


def test_the_resident_downloads_a_spreadsheet_and_json_is_folded_for_a_computer_program(
    client_as: Callable[[str], Client],
) -> None:
    """A resident read "Downloaden als JSON" first; the coordinator's page already folds it under "Voor een
    computerprogramma". The resident's page says it the same way."""
    html = client_as("resident").get("/nl/me/data/").content.decode()
    spreadsheet, json_link = html.index("?format=csv"), html.index("?format=json")
    folded = html.index("<details", spreadsheet)
    assert spreadsheet < folded < json_link < html.index("</details>", folded)
    assert "Voor een computerprogramma" in html[folded:json_link]


def test_erasing_without_the_box_ticked_says_to_tick_it(client_as: Callable[[str], Client]) -> None:
    """"Dit veld is verplicht." under a box to tick told a resident nothing about what to do."""
    html = client_as("resident").post("/nl/me/data/", {"confirm": ""}).content.decode()
    assert "Dit veld is verplicht" not in html
    assert "Vink het vakje aan als u zeker bent dat alles gewist mag worden." in html
