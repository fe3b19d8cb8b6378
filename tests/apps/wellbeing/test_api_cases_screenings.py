"""Outreach cases and screenings through the API (issue 17, item 7): read-only, with the pages' rules.

A case: the assigned coordinator (Tine) and the team lead of its district; another coordinator of the same district
who is not lead and Omar (district 3) get the answer of a missing case (404); a helper, a resident, organisation and
city staff have no case pages at all (403); a visitor must log in (401).  A screening: the person and their
coordinator while the consent holds; anyone else 404.  Every read, allowed or refused, is in the access log.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from apps.access.models import AccessLogEntry
from apps.organisations.models import Organisation
from apps.people.models import Person, Role
from apps.wellbeing.models import ContactAttempt, OutreachCase
from apps.wellbeing.models_cases import TeamLead

from .conftest import World, client_for, make_person
from .test_cases_access import a_case
from .test_screening_access import consent_of, screening_of

pytestmark = pytest.mark.django_db

CASE = "wellbeing.OutreachCase"
SCREENING = "wellbeing.Screening"


def city_staff(world: World) -> Person:
    return make_person("Cas", world.district, Role.CITY_STAFF)


def organisation_staff(world: World) -> Person:
    team = Organisation.objects.create(name="Buurtwerk", slug="buurtwerk")
    person = make_person("Olga", world.district)
    person.roles.create(role=Role.ORGANISATION_STAFF, organisation=team)
    return person


# --- cases -------------------------------------------------------------------------------------------------


def test_the_assigned_coordinator_lists_and_reads_the_case_with_its_attempts(world: World) -> None:
    case = a_case(world, follow_up_on=timezone.localdate())
    ContactAttempt.objects.create(case=case, by=world.coordinator, channel="phone", outcome="no_answer", note="Later")
    client = client_for(world.coordinator)
    listed = client.get("/api/v1/wellbeing/cases")
    assert listed.status_code == 200
    data = listed.json()
    assert data["count"] == 1 and data["items"][0]["id"] == case.pk and data["items"][0]["mine"] is True
    assert data["items"][0]["who"] == f"{world.resident.first_name} {world.resident.last_name}"
    one = client.get(f"/api/v1/wellbeing/cases/{case.pk}")
    assert one.status_code == 200
    body = one.json()
    assert body["notes"] == "Geheime notitie" and body["has_consent"] is True
    assert [(a["channel"], a["note"]) for a in body["attempts"]] == [("phone", "Later")]
    entries = AccessLogEntry.objects.filter(record_type=CASE, actor_person_id=world.coordinator.pk)
    assert sorted(entries.values_list("action", flat=True)) == ["list", "read"]
    assert set(entries.values_list("subject_person_id", flat=True)) == {world.resident.pk}


def test_the_team_lead_reads_the_case_of_a_colleague(world: World) -> None:
    lead = make_person("Leen", world.district, Role.COORDINATOR)
    case = a_case(world)
    client = client_for(lead)
    assert client.get(f"/api/v1/wellbeing/cases/{case.pk}").status_code == 404, "not lead yet"
    TeamLead.objects.create(person=lead, district=world.district)
    assert client.get(f"/api/v1/wellbeing/cases/{case.pk}").status_code == 200
    items = client.get("/api/v1/wellbeing/cases").json()["items"]
    assert [(i["id"], i["mine"]) for i in items] == [(case.pk, False)]


@pytest.mark.parametrize("who", ["same_district", "other_coordinator"])
def test_other_coordinators_get_the_answer_of_a_missing_case_and_it_is_logged(world: World, who: str) -> None:
    case = a_case(world)
    person = (
        make_person("Lotte", world.district, Role.COORDINATOR) if who == "same_district" else world.other_coordinator
    )
    client = client_for(person)
    missing = client.get("/api/v1/wellbeing/cases/999999")
    forbidden = client.get(f"/api/v1/wellbeing/cases/{case.pk}")
    assert (missing.status_code, forbidden.status_code) == (404, 404)
    assert missing.content == forbidden.content
    assert client.get("/api/v1/wellbeing/cases").json() == {"count": 0, "items": []}
    entry = AccessLogEntry.objects.get(record_type=CASE, record_id=str(case.pk))
    assert (entry.outcome, entry.actor_person_id) == ("denied", person.pk)
    asked = AccessLogEntry.objects.get(record_type=CASE, record_id="999999")  # the same write: no timing difference
    assert (asked.outcome, asked.actor_person_id, asked.subject_person_id) == ("denied", person.pk, None)


@pytest.mark.parametrize("who", ["helper", "resident", "city_staff", "organisation_staff"])
def test_roles_without_case_pages_get_403(world: World, who: str) -> None:
    case = a_case(world)
    if who == "city_staff":
        person = city_staff(world)
    elif who == "organisation_staff":
        person = organisation_staff(world)
    else:
        person = getattr(world, who)
    client = client_for(person)
    for url in ("/api/v1/wellbeing/cases", f"/api/v1/wellbeing/cases/{case.pk}"):
        answer = client.get(url)
        assert answer.status_code == 403, (who, url)
        assert "Geheime" not in answer.content.decode()


def test_a_visitor_must_log_in_and_the_api_has_no_way_to_change_a_case(world: World) -> None:
    case = a_case(world)
    for url in ("/api/v1/wellbeing/cases", f"/api/v1/wellbeing/cases/{case.pk}",
                "/api/v1/wellbeing/screenings/mine", "/api/v1/wellbeing/screenings/1",
                f"/api/v1/wellbeing/persons/{world.resident.pk}/screenings"):  # fmt: skip
        assert Client().get(url).status_code == 401, url
    client = client_for(world.coordinator)
    for method in ("post", "put", "patch", "delete"):
        answer = getattr(client, method)(f"/api/v1/wellbeing/cases/{case.pk}", content_type="application/json")
        assert answer.status_code == 405, method


@pytest.mark.parametrize("bad", ["-1", "0", "abc", "99999999999999999999999"])
def test_bad_case_ids(world: World, bad: str) -> None:
    assert client_for(world.coordinator).get(f"/api/v1/wellbeing/cases/{bad}").status_code in {404, 422}


def test_an_anonymised_case_is_nobodys(world: World) -> None:
    case = a_case(world, status=OutreachCase.Status.CLOSED, outcome="moved", closed_at=timezone.now(),
                  anonymised_at=timezone.now())  # fmt: skip
    assert client_for(world.coordinator).get(f"/api/v1/wellbeing/cases/{case.pk}").status_code == 404


# --- screenings --------------------------------------------------------------------------------------------


@pytest.fixture
def screening(world: World) -> Any:
    return screening_of(world.resident, consent_of(world.resident), taken_by=world.coordinator)


def test_the_coordinator_reads_a_screening_and_the_persons_list_each_logged(world: World, screening: Any) -> None:
    client = client_for(world.coordinator)
    one = client.get(f"/api/v1/wellbeing/screenings/{screening.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert one.status_code == 200
    data = one.json()
    assert (data["instrument"], data["total"], data["category"], data["answer_format"]) == (
        "djg6", 6, "severely_lonely", "3",
    )  # fmt: skip
    assert data["meaning"] == "The answers point to strong loneliness."
    assert data["answers"]["3"] == "yes"
    listed = client.get(f"/api/v1/wellbeing/persons/{world.resident.pk}/screenings").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == screening.pk
    entries = AccessLogEntry.objects.filter(record_type=SCREENING, actor_person_id=world.coordinator.pk)
    assert sorted(entries.values_list("purpose", flat=True)) == ["wellbeing.view_screening",
                                                                 "wellbeing.view_screenings"]  # fmt: skip


def test_the_person_reads_their_own_and_it_is_not_logged(world: World, screening: Any) -> None:
    client = client_for(world.resident)
    mine = client.get("/api/v1/wellbeing/screenings/mine").json()
    assert mine["count"] == 1 and mine["items"][0]["total"] == 6
    assert client.get(f"/api/v1/wellbeing/screenings/{screening.pk}").status_code == 200
    assert not AccessLogEntry.objects.filter(record_type=SCREENING).exists()


@pytest.mark.parametrize("who", ["helper", "other_coordinator", "city_staff", "organisation_staff", "another_resident"])
def test_every_other_role_gets_the_answer_of_a_missing_screening(world: World, screening: Any, who: str) -> None:
    if who == "city_staff":
        person = city_staff(world)
    elif who == "organisation_staff":
        person = organisation_staff(world)
    elif who == "another_resident":
        person = make_person("Els", world.district, Role.RESIDENT)
    else:
        person = getattr(world, who)
    client = client_for(person)
    missing = client.get("/api/v1/wellbeing/screenings/999999")
    forbidden = client.get(f"/api/v1/wellbeing/screenings/{screening.pk}")
    assert (missing.status_code, forbidden.status_code) == (404, 404)
    assert missing.content == forbidden.content
    listed = client.get(f"/api/v1/wellbeing/persons/{world.resident.pk}/screenings")
    assert listed.status_code == 404 and "severely" not in listed.content.decode()
    refused = AccessLogEntry.objects.filter(actor_person_id=person.pk, outcome="denied")
    assert refused.filter(record_type=SCREENING, record_id=str(screening.pk)).exists()


def test_without_consent_the_coordinator_no_longer_reads_it(world: World, screening: Any) -> None:
    screening.consent.withdrawn_at = timezone.now()
    screening.consent.save(update_fields=["withdrawn_at"])
    client = client_for(world.coordinator)
    assert client.get(f"/api/v1/wellbeing/screenings/{screening.pk}").status_code == 404
    assert client.get(f"/api/v1/wellbeing/persons/{world.resident.pk}/screenings").status_code == 404
    assert client_for(world.resident).get(f"/api/v1/wellbeing/screenings/{screening.pk}").status_code == 200


def test_a_work_account_has_no_own_screenings(world: World) -> None:
    assert client_for(city_staff(world)).get("/api/v1/wellbeing/screenings/mine").status_code == 403


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "limit=NaN"])
def test_bad_paging_is_refused(world: World, screening: Any, query: str) -> None:
    assert client_for(world.resident).get(f"/api/v1/wellbeing/screenings/mine?{query}").status_code == 422


def test_no_two_shapes_of_the_api_share_a_name() -> None:
    """The document names a shape by its class name: a wellbeing shape named like another app's (care has an
    ``OfferOut``) silently replaced that one there, and care's answers were checked against the wrong shape.  Two
    classes of one name are allowed only when they are the same shape (``MessageOut``: ``detail``)."""
    import json

    from ninja import Schema

    import cityofpeople.api as loaded  # every app's router, so every shape, is imported

    components = set(loaded.api.get_openapi_schema()["components"]["schemas"])
    seen: dict[str, set[str]] = {}
    stack = list(Schema.__subclasses__())
    while stack:
        shape = stack.pop()
        stack.extend(shape.__subclasses__())
        if shape.__module__.startswith("apps.") and shape.__name__ in components:
            seen.setdefault(shape.__name__, set()).add(json.dumps(shape.model_json_schema(), sort_keys=True))
    assert len(seen) > 50
    assert {name: shapes for name, shapes in seen.items() if len(shapes) > 1} == {}
