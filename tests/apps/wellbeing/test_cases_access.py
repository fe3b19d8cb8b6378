"""Who reaches an outreach case, and what the access log keeps (issue 17, item 4).

"Cases are seen only by the assigned coordinators and their team lead": Tine (assigned, coordinator of district
1) and the team lead of district 1 see it.  Lotte, another coordinator of district 1 who is not the lead, Omar
(coordinator of district 3), a helper, a resident (also the person the case is about), organisation staff, city
staff and a visitor do not: by number through every page of a case, 404 for a coordinator (the same answer as for
no case), 403 for a role without the pages at all, the login page for a visitor.  Every attempt on a case is in
the access log, allowed or refused.  Closed cases are anonymised after the retention period, the counts stay.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.access.actors import actor_for_user
from apps.access.models import AccessLogEntry
from apps.access.rules import can
from apps.organisations.models import Organisation
from apps.people.models import Consent, Person, Purpose, Role
from apps.wellbeing import cases, retention
from apps.wellbeing.models import CaseOffer, ContactAttempt, OutreachCase
from apps.wellbeing.models_cases import TeamLead
from apps.wellbeing.views_cases import ACTIONS

from .conftest import World, client_for, make_person

pytestmark = pytest.mark.django_db

PAGES = ["", *[f"{action.replace('_', '-')}/" for action in ACTIONS]]


def a_case(world: World, **fields: Any) -> OutreachCase:
    consent, _made = Consent.objects.get_or_create(
        person=world.resident, purpose=Purpose.WELLBEING_SCREENING, withdrawn_at=None,
        defaults={"method": "phone", "text_version": "1", "given_at": timezone.now()},
    )  # fmt: skip
    values: dict[str, Any] = {
        "district": world.district, "assigned_to": world.coordinator, "origin": OutreachCase.Origin.OBSERVATION,
        "person": world.resident, "consent": consent, "notes": "Geheime notitie", **fields,
    }  # fmt: skip
    return OutreachCase.objects.create(**values)


def outsiders(world: World) -> dict[str, tuple[Person | None, int]]:
    """Who must not see the case, and the answer each gets on its page."""
    team = Organisation.objects.create(name="Buurtwerk", slug="buurtwerk")
    staff = make_person("Olga", world.district)
    staff.roles.create(role=Role.ORGANISATION_STAFF, organisation=team)
    city = make_person("Cas", world.district)
    city.roles.create(role=Role.CITY_STAFF)
    return {
        "same-district coordinator, not lead": (make_person("Lotte", world.district, Role.COORDINATOR), 404),
        "coordinator of another district": (world.other_coordinator, 404),
        "helper": (world.helper, 403),
        "resident the case is about": (world.resident, 403),
        "organisation staff": (staff, 403),
        "city staff": (city, 403),
        "visitor": (None, 302),
    }


def test_no_one_but_the_assigned_coordinator_and_the_team_lead_reaches_a_case(world: World) -> None:
    case = a_case(world)
    for label, (person, expected) in outsiders(world).items():
        client = client_for(person)
        for page in PAGES:
            response = (client.get if page == "" else client.post)(f"/en/wellbeing/cases/{case.pk}/{page}", {})
            assert response.status_code == expected, (label, page, response.status_code)
            assert "Geheime notitie" not in response.content.decode()
        if expected == 404:
            assert client.get("/en/wellbeing/cases/999999/").status_code == 404, "the same answer as for no case"
            assert f"/wellbeing/cases/{case.pk}/" not in client.get("/en/wellbeing/cases/").content.decode()
            assert "Geheime notitie" not in client.get("/en/wellbeing/cases/calls/").content.decode()
    case.refresh_from_db()
    assert (case.status, case.assigned_to, case.attempts.count()) == ("open", world.coordinator, 0)
    assert world.client("coordinator").get(f"/en/wellbeing/cases/{case.pk}/").status_code == 200


def test_the_team_lead_of_the_district_sees_every_case_of_the_team_and_only_while_coordinator(world: World) -> None:
    lead = make_person("Leen", world.district, Role.COORDINATOR)
    case = a_case(world)
    client = client_for(lead)
    assert client.get(f"/en/wellbeing/cases/{case.pk}/").status_code == 404, "not yet lead"
    TeamLead.objects.create(person=lead, district=world.district)
    assert client.get(f"/en/wellbeing/cases/{case.pk}/").status_code == 200
    assert f"/wellbeing/cases/{case.pk}/" in client.get("/en/wellbeing/cases/team/").content.decode()
    # a lead of district 1 is not a lead of district 3
    elsewhere = a_case(world, district=world.other_district, assigned_to=world.other_coordinator)
    assert client.get(f"/en/wellbeing/cases/{elsewhere.pk}/").status_code == 404
    # the mark counts only while they coordinate there
    lead.roles.filter(role=Role.COORDINATOR).update(withdrawn_at=timezone.now())
    assert not can(actor_for_user(lead.user), "wellbeing.view_case", case)


def test_a_team_lead_of_an_organisation_sees_the_cases_of_that_team(world: World) -> None:
    team = Organisation.objects.create(name="Buurtwerk", slug="buurtwerk")
    lead = make_person("Leen", world.other_district)
    lead.roles.create(role=Role.COORDINATOR, organisation=team)
    TeamLead.objects.create(person=lead, organisation=team)
    case = a_case(world, organisation=team)
    other = a_case(world)
    actor = actor_for_user(lead.user)
    assert can(actor, "wellbeing.view_case", case) and not can(actor, "wellbeing.view_case", other)


def test_an_assigned_coordinator_who_left_the_district_no_longer_sees_it(world: World) -> None:
    case = a_case(world)
    world.coordinator.roles.filter(role=Role.COORDINATOR).update(withdrawn_at=timezone.now())
    assert not can(actor_for_user(world.coordinator.user), "wellbeing.view_case", case)


def test_every_read_and_every_refused_attempt_is_in_the_access_log(world: World) -> None:
    case = a_case(world)
    world.client("coordinator").get(f"/en/wellbeing/cases/{case.pk}/")
    world.client("other_coordinator").get(f"/en/wellbeing/cases/{case.pk}/")
    world.client("other_coordinator").post(f"/en/wellbeing/cases/{case.pk}/close/", {"outcome": "moved"})
    world.client("coordinator").get("/en/wellbeing/cases/")
    entries = list(
        AccessLogEntry.objects.filter(record_type="wellbeing.OutreachCase", record_id=str(case.pk))
        .order_by("pk")
        .values_list("actor_person_id", "subject_person_id", "action", "outcome")
    )
    assert entries == [
        (world.coordinator.pk, world.resident.pk, "read", "allowed"),
        (world.other_coordinator.pk, world.resident.pk, "read", "denied"),
        (world.other_coordinator.pk, world.resident.pk, "close", "denied"),
        (world.coordinator.pk, world.resident.pk, "list", "allowed"),
    ]


@override_settings(WELLBEING_CASE_RETENTION_DAYS=730)
def test_retention_anonymises_closed_cases_and_keeps_the_counts(world: World) -> None:
    now = timezone.now()
    old = a_case(world, status="closed", outcome="reached_helped", closed_at=now - timedelta(days=731),
                 follow_up_on=None)  # fmt: skip
    ContactAttempt.objects.create(case=old, channel="phone", outcome="reached", note="Zei dat ze alleen is")
    ContactAttempt.objects.create(case=old, channel="door", outcome="no_answer", note="Niet thuis")
    CaseOffer.objects.create(case=old, kind="buddy", description="Buddy Jan")
    recent = a_case(world, status="closed", outcome="moved", closed_at=now - timedelta(days=700))
    still_open = a_case(world, created_at=now - timedelta(days=2000))
    counts = (OutreachCase.objects.count(), ContactAttempt.objects.count(), CaseOffer.objects.count())
    changed = retention.cases_anonymise(now)
    assert changed == 1
    old.refresh_from_db()
    assert (old.person, old.notes, old.consent, old.anonymised_at is not None) == (None, "", None, True)
    assert (old.district, old.origin, old.outcome, old.status) == (
        world.district,
        "observation",
        "reached_helped",
        "closed",
    )
    assert list(old.attempts.values_list("channel", "outcome", "note")) == [
        ("phone", "reached", ""),
        ("door", "no_answer", ""),
    ]
    assert list(old.offers.values_list("kind", "description")) == [("buddy", "")]
    assert (OutreachCase.objects.count(), ContactAttempt.objects.count(), CaseOffer.objects.count()) == counts
    for kept in (recent, still_open):
        kept.refresh_from_db()
        assert kept.person == world.resident and kept.notes == "Geheime notitie"
    # nobody reads an anonymised case any more, not even its coordinator
    assert world.client("coordinator").get(f"/en/wellbeing/cases/{old.pk}/").status_code == 404
    assert retention.cases_anonymise(now) == 0, "once"


def test_only_an_administrator_marks_a_team_lead(world: World) -> None:
    with pytest.raises(cases.PermissionDenied):
        cases.team_lead_grant(actor=actor_for_user(world.coordinator.user), person=world.coordinator,
                              district=world.district)  # fmt: skip
    admin = make_person("Ada", world.district, Role.ADMINISTRATOR)
    lead = cases.team_lead_grant(actor=actor_for_user(admin.user), person=world.coordinator, district=world.district)
    assert (lead.district, lead.organisation, lead.granted_by) == (world.district, None, admin)
    with pytest.raises(cases.ValidationError):
        cases.team_lead_grant(actor=actor_for_user(admin.user), person=world.coordinator)
    cases.team_lead_withdraw(actor=actor_for_user(admin.user), lead=lead)
    assert cases.lead_scope(actor_for_user(world.coordinator.user)) == (frozenset(), frozenset())


def test_an_administrator_marks_and_withdraws_a_team_lead_on_the_page(world: World) -> None:
    admin = make_person("Ada", world.district, Role.ADMINISTRATOR)
    client = client_for(admin)
    assert client.get("/en/wellbeing/team-leads/").status_code == 200
    refused = client.post("/en/wellbeing/team-leads/", {"person": world.helper.pk, "district": world.district.pk})
    assert refused.status_code == 400 and "This person is not a coordinator there." in refused.content.decode()
    other = client.post(
        "/en/wellbeing/team-leads/", {"person": world.coordinator.pk, "district": world.other_district.pk}
    )
    assert other.status_code == 400, "Tine coordinates district 1, not 3"
    both = client.post(
        "/en/wellbeing/team-leads/", {"person": world.coordinator.pk, "district": world.district.pk, "organisation": ""}
    )
    assert both.status_code == 302
    assert (
        client.post(
            "/en/wellbeing/team-leads/", {"person": world.coordinator.pk, "district": world.district.pk}
        ).status_code
        == 302
    )
    lead = TeamLead.objects.get()  # granted twice, one row
    assert (lead.person, lead.district, lead.granted_by) == (world.coordinator, world.district, admin)
    assert str(world.coordinator) in client.get("/en/wellbeing/team-leads/").content.decode()
    assert client.post(f"/en/wellbeing/team-leads/{lead.pk}/withdraw/").status_code == 302
    lead.refresh_from_db()
    assert lead.withdrawn_at is not None
    assert client.post(f"/en/wellbeing/team-leads/{lead.pk}/withdraw/").status_code == 404
    for who in ("coordinator", "helper", "resident"):
        assert world.client(who).get("/en/wellbeing/team-leads/").status_code == 403
        assert world.client(who).post(f"/en/wellbeing/team-leads/{lead.pk}/withdraw/").status_code == 403
