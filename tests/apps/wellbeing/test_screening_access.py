"""Who may see a screening (issue 17, item 2), through the pages by id, and the access log of every read.

Issue 17: "cases and screenings are seen only by the assigned coordinators and their team lead".  The person
themselves; while their consent for wellbeing holds and the coordinator still coordinates them (their district, or
the organisation that follows them, as in care): the coordinator who took it, the coordinator assigned to an
outreach case about the person, and the team lead of the person's district or team.  Nobody else: not the other
coordinators of the same district, not a helper, not a coordinator of another district, not organisation or city
staff, not another resident.  A refused id answers exactly like an id that does not exist (404); a visitor is sent
to log in.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access.models import AccessLogEntry
from apps.organisations.models import Organisation
from apps.people.models import Consent, Person, Role, RoleAssignment
from apps.wellbeing.models import OutreachCase, Screening
from apps.wellbeing.models_cases import TeamLead

from .conftest import World, client_for, consent_of, make_person

pytestmark = pytest.mark.django_db

RECORD = "wellbeing.Screening"


def screening_of(person: Person, consent: Consent, **fields: object) -> Screening:
    values: dict[str, object] = {
        "instrument": "djg6", "instrument_version": "djg6-1", "answer_format": "3", "language": "nl",
        "answers": {"3": "yes", "4": "no", "7": "no", "8": "no", "9": "yes", "10": "yes"}, "total": 6,
        "category": "severely_lonely", "emotional": 3, "emotional_category": "lonely", "social": 3,
        "social_category": "lonely", "mode": "visit", "consent": consent, "district_id": person.district_id,
        **fields,
    }  # fmt: skip
    return Screening.objects.create(person=person, **values)


@pytest.fixture
def screening(world: World) -> Screening:
    return screening_of(world.resident, consent_of(world.resident), taken_by=world.coordinator)


def pages(world: World, screening: Screening) -> list[str]:
    return [
        f"/nl/wellbeing/screenings/{screening.pk}/",
        f"/nl/wellbeing/persons/{world.resident.pk}/screenings/",
    ]


def test_the_coordinator_and_the_person_see_it(world: World, screening: Screening) -> None:
    for who in ("coordinator", "resident"):
        client = world.client(who)
        for url in pages(world, screening):
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            assert "wijzen op sterke eenzaamheid" in response.content.decode(), (who, url)
    mine = world.client("resident").get("/nl/wellbeing/me/screenings/")
    assert mine.status_code == 200 and "wijzen op sterke eenzaamheid" in mine.content.decode()


def organisation_staff(world: World) -> Person:
    organisation = Organisation.objects.create(name="Vzw Buren", slug="vzw-buren")
    person = make_person("Olga", world.district)
    RoleAssignment.objects.create(person=person, role=Role.ORGANISATION_STAFF, organisation=organisation)
    return person


def city_staff(world: World) -> Person:
    person = make_person("Stijn", world.district)
    RoleAssignment.objects.create(person=person, role=Role.CITY_STAFF)
    return person


@pytest.mark.parametrize("who", ["helper", "other_coordinator", "organisation_staff", "city_staff", "another_resident"])
def test_every_other_role_gets_the_answer_of_a_missing_id(world: World, screening: Screening, who: str) -> None:
    if who == "organisation_staff":
        client = client_for(organisation_staff(world))
    elif who == "city_staff":
        client = client_for(city_staff(world))
    elif who == "another_resident":
        client = client_for(make_person("Els", world.district, Role.RESIDENT))
    else:
        client = world.client(who)
    missing = client.get("/nl/wellbeing/screenings/999999/")
    assert missing.status_code == 404
    forbidden = client.get(f"/nl/wellbeing/screenings/{screening.pk}/")
    shown = forbidden.content.replace(f"/screenings/{screening.pk}/".encode(), b"/screenings/999999/")
    assert shown == missing.content  # the same page, but the address
    for url in pages(world, screening):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "eenzaamheid" not in response.content.decode().split("<main", 1)[-1].lower(), url
    # nor may they take one with this person
    assert client.get(f"/nl/wellbeing/persons/{world.resident.pk}/screening/").status_code == 404


def test_a_visitor_is_sent_to_log_in(world: World, screening: Screening) -> None:
    client = world.client("anonymous")
    for url in [*pages(world, screening), "/nl/wellbeing/me/screenings/", "/nl/wellbeing/me/screening/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_coordinator_of_the_persons_team_sees_it_one_of_another_team_does_not(
    world: World, screening: Screening
) -> None:
    team, other = (Organisation.objects.create(name=n, slug=n.lower()) for n in ("Team", "Other"))
    Person.objects.filter(pk=world.resident.pk).update(organisation=team)
    lead, member, stranger = (make_person(n, world.other_district) for n in ("Lea", "Mo", "Sam"))
    RoleAssignment.objects.create(person=lead, role=Role.COORDINATOR, organisation=team)
    RoleAssignment.objects.create(person=member, role=Role.COORDINATOR, organisation=team)
    RoleAssignment.objects.create(person=stranger, role=Role.COORDINATOR, organisation=other)
    TeamLead.objects.create(person=lead, organisation=team)
    assert client_for(lead).get(f"/nl/wellbeing/screenings/{screening.pk}/").status_code == 200
    assert client_for(member).get(f"/nl/wellbeing/screenings/{screening.pk}/").status_code == 404  # not in the circle
    assert client_for(stranger).get(f"/nl/wellbeing/screenings/{screening.pk}/").status_code == 404
    TeamLead.objects.create(person=stranger, organisation=other)  # lead of another team: still nothing
    assert client_for(stranger).get(f"/nl/wellbeing/screenings/{screening.pk}/").status_code == 404


def test_a_colleague_sees_the_screenings_of_a_case_assigned_to_them_and_no_others(
    world: World, screening: Screening
) -> None:
    colleague = make_person("Lotte", world.district, Role.COORDINATOR)
    client = client_for(colleague)
    for url in pages(world, screening):
        assert client.get(url).status_code == 404, url
    assert f"/screenings/{screening.pk}/" not in client.get(f"/nl/persons/{world.resident.pk}/").content.decode()
    case = OutreachCase.objects.create(
        person=world.resident, district=world.district, assigned_to=colleague, created_by=world.coordinator,
    )  # fmt: skip
    for url in pages(world, screening):  # a case about the person, but the screening is not the case's
        assert client.get(url).status_code == 404, url
    Screening.objects.filter(pk=screening.pk).update(case=case)  # the case was opened from it
    for url in pages(world, screening):
        assert client.get(url).status_code == 200, url
    OutreachCase.objects.filter(pk=case.pk).update(assigned_to=world.coordinator)  # handed back
    for url in pages(world, screening):
        assert client.get(url).status_code == 404, url


def test_opening_a_case_of_ones_own_about_the_person_gives_no_screening(world: World, screening: Screening) -> None:
    """An attacker review: a coordinator of the district opened a case about the person (or named them on a case
    from a report) and so read every screening of theirs, also those taken later by others."""
    colleague = make_person("Bert", world.district, Role.COORDINATOR)
    client = client_for(colleague)
    opened = client.post(f"/nl/wellbeing/cases/new/person/{world.resident.pk}/", {"notes": ""})
    assert opened.status_code == 302
    case = OutreachCase.objects.get(assigned_to=colleague)
    for url in pages(world, screening):
        assert client.get(url).status_code == 404, url
    api = client.get(f"/api/v1/wellbeing/persons/{world.resident.pk}/screenings")
    assert api.status_code == 404
    later = screening_of(world.resident, screening.consent, taken_by=world.coordinator)
    assert client.get(f"/nl/wellbeing/screenings/{later.pk}/").status_code == 404
    assert f"/screenings/{later.pk}/" not in client.get(f"/nl/wellbeing/cases/{case.pk}/").content.decode()


def test_the_team_lead_of_the_district_sees_every_screening_of_its_residents(
    world: World, screening: Screening
) -> None:
    online = screening_of(world.resident, screening.consent, mode="online", total=1, category="not_lonely")
    lead = make_person("Lea", world.district, Role.COORDINATOR)
    client = client_for(lead)
    assert client.get(f"/nl/wellbeing/screenings/{online.pk}/").status_code == 404
    TeamLead.objects.create(person=lead, district=world.district)
    for one in (screening, online):
        assert client.get(f"/nl/wellbeing/screenings/{one.pk}/").status_code == 200
    listed = client.get(f"/nl/wellbeing/persons/{world.resident.pk}/screenings/").content.decode()
    assert f"/screenings/{screening.pk}/" in listed and f"/screenings/{online.pk}/" in listed
    RoleAssignment.objects.filter(person=lead).update(withdrawn_at=timezone.now())  # no longer a coordinator
    assert client_for(lead).get(f"/nl/wellbeing/screenings/{online.pk}/").status_code == 404


def test_the_coordinator_who_took_one_sees_only_their_own_in_the_persons_list(
    world: World, screening: Screening
) -> None:
    colleague = make_person("Lotte", world.district, Role.COORDINATOR)
    theirs = screening_of(world.resident, screening.consent, taken_by=colleague, total=1, category="not_lonely")
    listed = client_for(colleague).get(f"/nl/wellbeing/persons/{world.resident.pk}/screenings/").content.decode()
    assert f"/screenings/{theirs.pk}/" in listed and f"/screenings/{screening.pk}/" not in listed
    assert client_for(colleague).get(f"/nl/wellbeing/screenings/{screening.pk}/").status_code == 404


def test_without_an_active_consent_the_coordinator_no_longer_sees_it_but_the_person_does(
    world: World, screening: Screening
) -> None:
    Consent.objects.filter(person=world.resident).update(withdrawn_at=timezone.now())
    for url in pages(world, screening):
        assert world.client("coordinator").get(url).status_code == 404
        assert world.client("resident").get(url).status_code == 200
    section = world.client("coordinator").get(f"/nl/persons/{world.resident.pk}/").content.decode()
    assert f"/nl/wellbeing/screenings/{screening.pk}/" not in section


def test_an_anonymised_screening_is_nobodys(world: World, screening: Screening) -> None:
    Screening.objects.filter(pk=screening.pk).update(person=None, answers={}, anonymised_at=timezone.now())
    for who in ("coordinator", "resident"):
        assert world.client(who).get(f"/nl/wellbeing/screenings/{screening.pk}/").status_code == 404


def test_every_read_by_the_coordinator_is_in_the_access_log(world: World, screening: Screening) -> None:
    other = screening_of(
        world.resident, screening.consent, total=2, category="moderately_lonely", taken_by=world.coordinator
    )
    client = world.client("coordinator")
    client.get(f"/nl/wellbeing/screenings/{screening.pk}/")
    entry = AccessLogEntry.objects.get(record_type=RECORD)
    assert (entry.record_id, entry.subject_person_id, entry.actor_person_id) == (
        str(screening.pk), world.resident.pk, world.coordinator.pk,
    )  # fmt: skip
    assert (entry.outcome, entry.purpose, entry.action) == ("allowed", "wellbeing.view_screening", "read")
    client.get(f"/nl/wellbeing/persons/{world.resident.pk}/screenings/")  # the list and the chart: both read
    listed = AccessLogEntry.objects.filter(record_type=RECORD, purpose="wellbeing.view_screenings")
    assert sorted(listed.values_list("record_id", flat=True)) == sorted([str(screening.pk), str(other.pk)])
    before = AccessLogEntry.objects.filter(record_type=RECORD).count()
    client.get(f"/nl/persons/{world.resident.pk}/")  # the section on the person's page shows them too
    assert AccessLogEntry.objects.filter(record_type=RECORD).count() == before + 2


def test_a_refused_read_is_in_the_access_log_as_denied(world: World, screening: Screening) -> None:
    world.client("other_coordinator").get(f"/nl/wellbeing/screenings/{screening.pk}/")
    entry = AccessLogEntry.objects.get(record_type=RECORD)
    assert (entry.outcome, entry.actor_person_id, entry.subject_person_id) == (
        "denied", world.other_coordinator.pk, world.resident.pk,
    )  # fmt: skip
    world.client("helper").get(f"/nl/wellbeing/persons/{world.resident.pk}/screenings/")
    refused = AccessLogEntry.objects.filter(record_type="people.Person", actor_person_id=world.helper.pk).get()
    assert (refused.outcome, refused.purpose) == ("denied", "wellbeing.view_screenings")


def test_the_persons_own_reads_are_not_logged(world: World, screening: Screening) -> None:
    client = world.client("resident")
    client.get(f"/nl/wellbeing/screenings/{screening.pk}/")
    client.get("/nl/wellbeing/me/screenings/")
    assert not AccessLogEntry.objects.filter(record_type=RECORD).exists()


def test_the_list_shows_the_chart_and_the_same_numbers_as_a_table(world: World, screening: Screening) -> None:
    screening_of(
        world.resident, screening.consent, total=1, category="not_lonely", emotional=1, social=0,
        emotional_category="lonely", social_category="not_lonely", taken_at=timezone.now() + timedelta(days=30),
        taken_by=world.coordinator,
    )  # fmt: skip
    text = world.client("coordinator").get(f"/nl/wellbeing/persons/{world.resident.pk}/screenings/").content.decode()
    svg = text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<circle" in svg and "<rect" in svg and "<polygon" in svg  # a distinct shape per line
    assert ">6</text>" in svg and ">1</text>" in svg  # the values written beside the markers
    assert "<table" in text and "De antwoorden wijzen niet op eenzaamheid." in text


def test_a_missing_id_is_logged_as_refused_like_a_forbidden_one(world: World, screening: Screening) -> None:
    """The same write for "does not exist" and "not yours": the time of the answer tells nothing."""
    client = world.client("other_coordinator")
    client.get("/nl/wellbeing/screenings/999999/")
    client.get(f"/nl/wellbeing/screenings/{screening.pk}/")
    refused = AccessLogEntry.objects.filter(
        record_type=RECORD, outcome="denied", actor_person_id=world.other_coordinator.pk
    )
    assert sorted(refused.values_list("record_id", flat=True)) == sorted(["999999", str(screening.pk)])
    assert refused.get(record_id="999999").subject_person_id is None
