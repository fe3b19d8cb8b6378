"""Outreach cases, the whole life of one as a coordinator (issue 17, item 4).

Tine coordinates district 1 (Binnenstad), Lotte too (her colleague of the same district), Omar district 3.  A case
is opened from a neighbour's report, from Tine's own observation or from a resident's page; assigned to Lotte (a
colleague) but never to Omar (another team); contact attempts are logged, a follow-up date puts it on top of the
worklist and on the printable call list (only one's own cases); a referral made from the case page through the
directory's flow is linked as an offer; it is closed with each outcome, "not reached" only after N attempts.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.access.actors import actor_for_user
from apps.access.models import AccessLogEntry
from apps.directory.models import Referral, Service
from apps.organisations.models import Organisation
from apps.people.models import Consent, Person, Purpose, Role
from apps.wellbeing import cases
from apps.wellbeing.models import CaseOffer, ContactAttempt, OutreachCase, Screening, WorryReport
from apps.wellbeing.models_cases import TeamLead

from .conftest import World, client_for, make_person

pytestmark = pytest.mark.django_db


def colleague(world: World) -> Person:
    return make_person("Lotte", world.district, Role.COORDINATOR)


def a_case(world: World, **fields: Any) -> OutreachCase:
    values: dict[str, Any] = {
        "district": world.district, "assigned_to": world.coordinator, "origin": OutreachCase.Origin.OBSERVATION,
        "created_by": world.coordinator, "notes": "De dame op nummer 12", **fields,
    }  # fmt: skip
    return OutreachCase.objects.create(**values)


def with_consent(world: World, case: OutreachCase, person: Person | None = None) -> OutreachCase:
    person = person or world.resident
    consent = Consent.objects.create(
        person=person, purpose=Purpose.WELLBEING_SCREENING, method="phone", text_version="1", given_at=timezone.now()
    )
    case.person, case.consent = person, consent
    case.save(update_fields=["person", "consent"])
    return case


def log_of(case: OutreachCase) -> list[tuple[Any, ...]]:
    return list(
        AccessLogEntry.objects.filter(record_type="wellbeing.OutreachCase", record_id=str(case.pk))
        .order_by("pk")
        .values_list("actor_person_id", "action", "outcome")
    )


def url(case: OutreachCase, action: str = "") -> str:
    return f"/en/wellbeing/cases/{case.pk}/" + (f"{action}/" if action else "")


# --- opening -----------------------------------------------------------------------------------------------


def test_a_case_opened_from_a_report_is_the_coordinators_and_each_read_is_logged(world: World) -> None:
    report = WorryReport.objects.create(district=world.district, noticed="De brievenbus puilt uit")
    client = world.client("coordinator")
    assert client.post(f"/en/wellbeing/reports/{report.pk}/open-case/").status_code == 302
    case = OutreachCase.objects.get()
    assert (case.origin, case.assigned_to, case.report, case.person) == ("report", world.coordinator, report, None)
    page = client.get(url(case))
    assert page.status_code == 200
    assert "Not known yet" in page.content.decode()
    assert log_of(case) == [(world.coordinator.pk, "read", "allowed")]


def test_a_case_from_ones_own_observation_needs_who_and_a_district_of_ones_own(world: World) -> None:
    client = world.client("coordinator")
    assert client.get("/en/wellbeing/cases/new/").status_code == 200
    empty = client.post("/en/wellbeing/cases/new/", {"notes": "", "district": world.district.pk})
    assert empty.status_code == 400 and not OutreachCase.objects.exists()
    other = client.post("/en/wellbeing/cases/new/", {"notes": "Man met hond", "district": world.other_district.pk})
    assert other.status_code == 400 and not OutreachCase.objects.exists(), "not a district of Tine's"
    done = client.post(
        "/en/wellbeing/cases/new/", {"notes": "Man met de grijze hond, Veldstraat", "district": world.district.pk}
    )
    case = OutreachCase.objects.get()
    assert done.status_code == 302 and done["Location"] == url(case)
    assert (case.origin, case.assigned_to, case.district, case.notes) == (
        "observation", world.coordinator, world.district, "Man met de grijze hond, Veldstraat",
    )  # fmt: skip


def test_a_case_about_a_known_resident_from_their_page(world: World) -> None:
    client = world.client("coordinator")
    assert (
        client.post(
            f"/en/wellbeing/cases/new/person/{world.resident.pk}/", {"notes": "Eenzaam sinds verhuis"}
        ).status_code
        == 302
    )
    case = OutreachCase.objects.get()
    assert (case.person, case.district, case.consent) == (world.resident, world.district, None)
    # Omar does not coordinate Rik: the same answer as for no one, and nothing is opened
    other = world.client("other_coordinator")
    assert other.get(f"/en/wellbeing/cases/new/person/{world.resident.pk}/").status_code == 404
    assert other.post(f"/en/wellbeing/cases/new/person/{world.resident.pk}/", {"notes": "x"}).status_code == 404
    assert OutreachCase.objects.count() == 1


def test_a_case_from_a_screening_takes_its_person_and_consent_and_is_opened_once(world: World) -> None:
    consent = Consent.objects.create(
        person=world.resident, purpose=Purpose.WELLBEING_SCREENING, method="phone", text_version="1",
        given_at=timezone.now(),
    )  # fmt: skip
    screening = Screening.objects.create(
        person=world.resident, instrument="djg6", instrument_version="1", answer_format="3", mode="phone",
        taken_by=world.coordinator, consent=consent, district=world.district,
    )  # fmt: skip
    actor = actor_for_user(world.coordinator.user)
    case = cases.open_case_from_screening(screening, actor)
    assert (case.origin, case.person, case.consent, case.screening, case.assigned_to) == (
        "screening", world.resident, consent, screening, world.coordinator,
    )  # fmt: skip
    assert cases.open_case_from_screening(screening, actor) == case, "the open case again, not a second one"
    screening.refresh_from_db()
    assert screening.case == case
    with pytest.raises(cases.PermissionDenied):
        cases.open_case_from_screening(screening, actor_for_user(world.other_coordinator.user))
    # the page's button: POST, the screening read (and logged) as on its own page
    case.delete()
    screening.case = None
    screening.save()
    response = world.client("coordinator").post(f"/en/wellbeing/cases/from-screening/{screening.pk}/")
    assert response.status_code == 302
    assert OutreachCase.objects.get().origin == "screening"
    assert (
        world.client("other_coordinator").post(f"/en/wellbeing/cases/from-screening/{screening.pk}/").status_code == 404
    )


# --- assigning ---------------------------------------------------------------------------------------------


def test_assigned_to_a_colleague_of_the_team_it_moves_to_them(world: World) -> None:
    lotte = colleague(world)
    case = a_case(world)
    client = world.client("coordinator")
    page = client.get(url(case)).content.decode()
    assert f'value="{lotte.pk}"' in page and f'value="{world.other_coordinator.pk}"' not in page
    handed = client.post(url(case, "assign"), {"to": lotte.pk})
    assert handed.status_code == 302 and handed["Location"] == "/en/wellbeing/cases/", "back to the worklist"
    case.refresh_from_db()
    assert case.assigned_to == lotte
    assert client_for(lotte).get(url(case)).status_code == 200
    assert client.get(url(case)).status_code == 404, "Tine is no longer assigned, and not team lead"


@pytest.mark.parametrize("who", ["other_coordinator", "helper", "resident"])
def test_assigning_to_anyone_outside_the_team_is_refused_and_changes_nothing(world: World, who: str) -> None:
    case = a_case(world)
    outsider = getattr(world, who)
    response = world.client("coordinator").post(url(case, "assign"), {"to": outsider.pk})
    assert response.status_code == 400
    assert "Choose a coordinator of this case&#x27;s team." in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to == world.coordinator


def test_a_coordinator_of_the_same_organisation_is_a_colleague(world: World) -> None:
    team = Organisation.objects.create(name="Buurtwerk", slug="buurtwerk")
    member = make_person("Sam", world.other_district)
    member.roles.create(role=Role.COORDINATOR, organisation=team)
    case = a_case(world, organisation=team)
    assert set(cases.colleagues(case)) == {world.coordinator, member}
    team.active = False
    team.save()
    assert set(cases.colleagues(case)) == {world.coordinator}, "an organisation no longer active gives nothing"


# --- attempts, follow-up, worklist and call list -----------------------------------------------------------


def test_attempts_and_a_follow_up_put_the_case_on_top_of_the_worklist_and_on_the_call_list(world: World) -> None:
    world.resident.phone = "+32470123456"
    world.resident.save()
    later = a_case(world, notes="Later")
    case = with_consent(world, a_case(world, notes="Vraag naar de kleinkinderen"))
    client = world.client("coordinator")
    today = timezone.localdate()
    assert (
        client.post(
            url(case, "attempt"), {"channel": "phone", "outcome": "no_answer", "note": "Geen gehoor"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url(case, "follow-up"), {"follow_up_on": today.strftime("%d/%m/%Y"), "notes": "Vraag naar de kleinkinderen"}
        ).status_code
        == 302
    )
    later.follow_up_on = today + timedelta(days=3)
    later.save()
    case.refresh_from_db()
    assert (case.follow_up_on, case.status, case.attempts.count()) == (today, "open", 1)
    worklist = client.get("/en/wellbeing/cases/").content.decode()
    assert worklist.index(f'href="{url(case)}"') < worklist.index(f'href="{url(later)}"'), "due today first"
    assert "Today" in worklist
    calls = client.get("/en/wellbeing/cases/calls/").content.decode()
    assert world.resident.first_name in calls and "0470 12 34 56" in calls
    assert "Vraag naar de kleinkinderen" in calls and "No answer" in calls and "Geen gehoor" in calls
    assert "Later" not in calls, "a follow-up three days ahead is not on today's list"
    # a reached person puts the case in contact
    client.post(url(case, "attempt"), {"channel": "door", "outcome": "reached"})
    case.refresh_from_db()
    assert case.status == "in_contact"


def test_overdue_comes_before_today_and_the_call_list_has_only_ones_own_cases(world: World) -> None:
    lotte = colleague(world)
    today = timezone.localdate()
    overdue = a_case(world, follow_up_on=today - timedelta(days=2), notes="Overdue")
    due = a_case(world, follow_up_on=today, notes="Due")
    hers = a_case(world, follow_up_on=today, assigned_to=lotte, notes="Lottes zaak")
    mine = [c.pk for c in cases.my_cases(actor_for_user(world.coordinator.user), today)]
    assert mine == [overdue.pk, due.pk]
    calls = world.client("coordinator").get("/en/wellbeing/cases/calls/").content.decode()
    assert "Overdue" in calls and "Due" in calls and "Lottes zaak" not in calls
    # even a team lead prints only their own
    cases.TeamLead.objects.create(person=world.coordinator, district=world.district)
    calls = world.client("coordinator").get("/en/wellbeing/cases/calls/").content.decode()
    assert "Lottes zaak" not in calls
    worklist = world.client("coordinator").get("/en/wellbeing/cases/").content.decode()
    assert "1 open case of colleagues" in worklist and f'href="{url(hers)}"' not in worklist
    team = world.client("coordinator").get("/en/wellbeing/cases/team/").content.decode()
    assert f'href="{url(hers)}"' in team, "the team's cases have their own page"


# --- consent -----------------------------------------------------------------------------------------------


def test_without_consent_only_contact_attempts_and_recording_the_consent(world: World) -> None:
    case = a_case(world, person=world.resident)
    client = world.client("coordinator")
    page = client.get(url(case)).content.decode()
    assert "/referrals/refer/" not in page and "Offers, referrals and screenings need the person" in page
    assert "/screening/" not in page
    refused = client.post(url(case, "offer"), {"kind": "buddy", "description": "Een buddy uit de buurt"})
    assert refused.status_code == 400 and not CaseOffer.objects.exists()
    assert "First record the person&#x27;s consent" in refused.content.decode()
    assert client.post(url(case, "attempt"), {"channel": "letter", "outcome": "message_left"}).status_code == 302
    assert client.post(url(case, "consent"), {"method": "phone", "agreed": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.consent is not None and case.consent.purpose == Purpose.WELLBEING_SCREENING
    assert (
        client.post(url(case, "offer"), {"kind": "buddy", "description": "Een buddy uit de buurt"}).status_code == 302
    )
    assert CaseOffer.objects.get().description == "Een buddy uit de buurt"
    # withdrawn consent: offers stop again
    Consent.objects.filter(pk=case.consent_id).update(withdrawn_at=timezone.now())
    assert client.post(url(case, "offer"), {"kind": "activity", "description": "Koffieklets"}).status_code == 400


def test_a_case_without_a_known_person_takes_no_consent_until_someone_is_named(world: World) -> None:
    case = a_case(world)
    client = world.client("coordinator")
    assert client.post(url(case, "consent"), {"method": "phone", "agreed": "on"}).status_code == 400
    assert client.post(url(case, "person"), {"person": world.other_coordinator.pk}).status_code == 400
    assert client.post(url(case, "person"), {"person": world.resident.pk}).status_code == 302
    case.refresh_from_db()
    assert case.person == world.resident


def test_a_referral_sent_from_the_case_page_is_linked_as_an_offer(world: World) -> None:
    case = with_consent(world, a_case(world))
    client = world.client("coordinator")
    page = client.get(url(case)).content.decode()
    refer = f"/en/referrals/refer/{world.resident.pk}/?origin=outreach&amp;origin_id={case.pk}"
    assert refer in page
    # what the directory's flow stores when it is followed (origin outreach, the case's number)
    org = Organisation.objects.create(name="OCMW", slug="ocmw")
    service = Service.objects.create(organisation=org, name="Sociale dienst")
    share = Consent.objects.create(person=world.resident, purpose=Purpose.SHARE_WITH_SERVICE, method="phone",
                                   text_version="1", given_at=timezone.now())  # fmt: skip
    referral = Referral.objects.create(
        person=world.resident, service=service, organisation=org, origin=Referral.Origin.OUTREACH, origin_id=case.pk,
        consent=share, need="Gezelschap", answer_due=timezone.localdate() + timedelta(days=7),
        created_by=world.coordinator,
    )  # fmt: skip
    # someone else who may refer the person names this case as the origin: not added to a case they cannot see
    Referral.objects.create(
        person=world.resident, service=service, organisation=org, origin=Referral.Origin.OUTREACH, origin_id=case.pk,
        consent=share, need="Iets anders", answer_due=timezone.localdate() + timedelta(days=7),
        created_by=world.other_coordinator,
    )  # fmt: skip
    page = client.get(url(case)).content.decode()
    assert "Sociale dienst" in page
    client.get(url(case))
    assert list(case.offers.values_list("kind", "referral")) == [("referral", referral.pk)], "linked once"


# --- closing -----------------------------------------------------------------------------------------------


def attempts(case: OutreachCase, n: int, outcome: str = "no_answer") -> None:
    for _ in range(n):
        ContactAttempt.objects.create(case=case, channel="phone", outcome=outcome)


@override_settings(WELLBEING_CASE_TRIES_BEFORE_NOT_REACHED=3)
def test_not_reached_is_refused_before_n_attempts_and_allowed_at_n(world: World) -> None:
    case = a_case(world)
    client = world.client("coordinator")
    attempts(case, 2)
    refused = client.post(url(case, "close"), {"outcome": "not_reached"})
    assert refused.status_code == 400
    assert "Log at least 3 contact attempts before closing as not reached (2 so far)." in refused.content.decode()
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_at) == ("open", "", None)
    attempts(case, 1)
    assert client.post(url(case, "close"), {"outcome": "not_reached"}).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_by) == ("closed", "not_reached", world.coordinator)
    again = client.post(url(case, "close"), {"outcome": "moved"})
    assert again.status_code == 400 and "This case is closed." in again.content.decode()


@pytest.mark.parametrize(
    ("outcome", "reached_first"),
    [("reached_helped", True), ("reached_declined", True), ("moved", False), ("deceased", False)],
)
def test_each_outcome_closes(world: World, outcome: str, reached_first: bool) -> None:
    case = a_case(world, follow_up_on=timezone.localdate())
    client = world.client("coordinator")
    if reached_first:
        assert client.post(url(case, "close"), {"outcome": outcome}).status_code == 400, "not reached yet"
        attempts(case, 1, "reached")
    assert client.post(url(case, "close"), {"outcome": outcome}).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome, case.follow_up_on) == ("closed", outcome, None)
    assert case not in cases.my_cases(actor_for_user(world.coordinator.user), timezone.localdate())


def test_an_unknown_outcome_is_refused(world: World) -> None:
    case = a_case(world)
    assert world.client("coordinator").post(url(case, "close"), {"outcome": "vanished"}).status_code == 400
    case.refresh_from_db()
    assert case.status == "open"


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("attempt", {"channel": "phone", "outcome": "reached", "note": "nul\x00teken"}),
        ("attempt", {"channel": "phone", "outcome": "reached", "note": "x" * 501}),
        ("attempt", {"channel": "pigeon", "outcome": "reached"}),
        ("attempt", {"channel": "phone", "outcome": "reached", "on": "01/01/1900"}),
        ("attempt", {"channel": "phone", "outcome": "reached", "on": "01/01/2999"}),
        ("follow-up", {"follow_up_on": "01/01/1900"}),
        ("follow-up", {"follow_up_on": "31/12/9999"}),
        ("follow-up", {"follow_up_on": "32/13/2026"}),
        ("follow-up", {"notes": "y" * 100_000}),
        ("follow-up", {"notes": "a\x00b"}),
        ("assign", {"to": "999999999"}),
        ("assign", {"to": "\x00"}),
        ("person", {"person": "99999999999999"}),
        ("offer", {"kind": "referral"}),
        ("close", {"outcome": ""}),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(world: World, action: str, data: dict[str, str]) -> None:
    case = with_consent(world, a_case(world))
    before = OutreachCase.objects.filter(pk=case.pk).values().get()
    response = world.client("coordinator").post(url(case, action), data)
    assert response.status_code == 400
    assert 'class="error-summary' in response.content.decode() or "error" in response.content.decode()
    assert OutreachCase.objects.filter(pk=case.pk).values().get() == before
    assert not ContactAttempt.objects.exists() and not CaseOffer.objects.exists()


def test_huge_text_on_a_new_case_is_refused(world: World) -> None:
    client = world.client("coordinator")
    response = client.post("/en/wellbeing/cases/new/", {"notes": "z" * 100_000, "district": world.district.pk})
    assert response.status_code == 400 and not OutreachCase.objects.exists()


def test_the_pages_speak_dutch_and_the_persons_page_has_the_button(world: World) -> None:
    case = a_case(world, person=world.resident)
    client = world.client("coordinator")
    page = client.get(f"/nl/wellbeing/cases/{case.pk}/").content.decode()
    assert "Contactpogingen" in page and "Dossier afsluiten" in page and "Poging noteren" in page
    assert "Mijn outreachdossiers" in client.get("/nl/wellbeing/cases/").content.decode()
    person_page = client.get(f"/en/persons/{world.resident.pk}/").content.decode()
    assert f"/en/wellbeing/cases/new/person/{world.resident.pk}/" in person_page


def test_a_request_for_help_of_the_person_is_linked_once_consent_is_there(world: World) -> None:
    from apps.care.models import CareCategory, CareRequest

    category = CareCategory.objects.first() or CareCategory.objects.create(
        code="shopping", name_nl="Boodschappen", name_en="Shopping", name_fr="Courses"
    )
    request = CareRequest.objects.create(
        person=world.resident, category=category, street="Korenmarkt", house_number="1", postcode="9000",
        lat=world.district.interior_lat, lon=world.district.interior_lon, shown_lat=world.district.interior_lat,
        shown_lon=world.district.interior_lon, district=world.district,
    )  # fmt: skip
    case = a_case(world, person=world.resident)
    client = world.client("coordinator")
    data = {"kind": "care_request", "care_request": request.pk}
    assert client.post(url(case, "offer"), data).status_code == 400, "no consent yet"
    with_consent(world, case)
    page = client.get(url(case)).content.decode()
    assert f"/en/coordinate/persons/{world.resident.pk}/request/" in page, "take a request by phone"
    assert f"/en/wellbeing/persons/{world.resident.pk}/screening/" in page, "a screening, now that consent is there"
    assert client.post(url(case, "offer"), data).status_code == 302
    assert list(case.offers.values_list("kind", "care_request")) == [("care_request", request.pk)]
    assert client.post(url(case, "offer"), data).status_code == 400, "linked once"
    offer = case.offers.get()
    assert client.post(url(case, "answer"), {"offer": offer.pk, "answer": "accepted"}).status_code == 302
    offer.refresh_from_db()
    assert offer.answer == "accepted"


def test_a_colleague_asking_for_a_case_from_the_same_screening_learns_only_that_someone_follows_it_up(
    world: World,
) -> None:
    """An attacker review found the colleague was sent to the case's page (its number), which they may not see."""
    from .conftest import make_person

    consent = Consent.objects.create(
        person=world.resident, purpose=Purpose.WELLBEING_SCREENING, method="phone", text_version="1",
        given_at=timezone.now(),
    )  # fmt: skip
    screening = Screening.objects.create(
        person=world.resident, instrument="djg6", instrument_version="1", answer_format="3", mode="phone",
        taken_by=world.coordinator, consent=consent, district=world.district,
    )  # fmt: skip
    lead = make_person("Lotte", world.district, "coordinator")  # the team lead sees every screening of the district
    TeamLead.objects.create(person=lead, district=world.district)
    case = cases.open_case_from_screening(screening, actor_for_user(lead.user))
    from .conftest import client_for

    # the coordinator who took the screening asks next: the case is the lead's, which they may not see
    response = client_for(world.coordinator).post(f"/en/wellbeing/cases/from-screening/{screening.pk}/", follow=True)
    page = response.content.decode()
    assert "A colleague already follows this up" in page
    assert f"/wellbeing/cases/{case.pk}/" not in page and OutreachCase.objects.count() == 1
