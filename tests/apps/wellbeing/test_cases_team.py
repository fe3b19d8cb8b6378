"""Outreach as a team (issue 17, items 2 and 4): a screening taken from a case's page is listed on that case; the
team lead sees what residents filled in online that nobody follows up yet; closed cases stay findable until
retention anonymises them.  Each list shows only what its reader may see, and each read is in the access log.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access.models import AccessLogEntry
from apps.people.models import Consent, Person, Role
from apps.wellbeing.models import OutreachCase, Screening
from apps.wellbeing.models_cases import TeamLead
from tests.apps.wellbeing.screening_helpers import answer_all, save, start

from .conftest import World, client_for, consent_of, make_person

pytestmark = pytest.mark.django_db

ANSWERS = {"3": "yes", "4": "more_or_less", "7": "no", "8": "yes", "9": "no", "10": "yes"}


def case_about(world: World, assigned: Person, **fields: object) -> OutreachCase:
    values: dict[str, object] = {"person": world.resident, "district": world.district, "assigned_to": assigned,
                                 "created_by": assigned, **fields}  # fmt: skip
    return OutreachCase.objects.create(**values)


# --- a screening taken from the case's page ------------------------------------------------------------------


def test_a_screening_taken_from_the_case_page_is_listed_on_the_case(world: World) -> None:
    case = case_about(world, world.coordinator, consent=consent_of(world.resident))
    client = world.client("coordinator")
    page = client.get(f"/nl/wellbeing/cases/{case.pk}/").content.decode()
    link = f"/nl/wellbeing/persons/{world.resident.pk}/screening/?case={case.pk}"
    assert link in page
    url = f"/nl/wellbeing/persons/{world.resident.pk}/screening/"
    start_page = client.get(link).content.decode()
    assert f'name="case" value="{case.pk}"' in start_page
    first = start(client, url, case=str(case.pk))
    saved = save(client, url, answer_all(client, url, first, ANSWERS))
    assert saved.status_code == 302
    screening = Screening.objects.get()
    assert screening.case_id == case.pk
    detail = client.get(saved["Location"]).content.decode()
    assert f"/nl/wellbeing/cases/{case.pk}/" in detail and "Outreachdossier openen" not in detail
    case_page = client.get(f"/nl/wellbeing/cases/{case.pk}/").content.decode()
    assert "Screenings in dit dossier" in case_page and f"/nl/wellbeing/screenings/{screening.pk}/" in case_page
    read = AccessLogEntry.objects.filter(record_type="wellbeing.Screening", record_id=str(screening.pk))
    assert read.filter(purpose="wellbeing.view_screening", actor_person_id=world.coordinator.pk).count() >= 2


@pytest.mark.parametrize("which", ["colleague", "closed", "someone_else", "no_consent", "missing", "not_a_number"])
def test_a_case_that_is_not_ones_own_open_case_about_the_person_is_refused_and_nothing_is_stored(
    world: World, which: str
) -> None:
    colleague = make_person("Lotte", world.district, Role.COORDINATOR)
    consent = consent_of(world.resident)
    other = make_person("Mia", world.district, Role.RESIDENT)
    case = {
        "colleague": lambda: case_about(world, colleague, consent=consent),
        "closed": lambda: case_about(
            world, world.coordinator, consent=consent, status="closed", outcome="moved", closed_at=timezone.now()
        ),
        "someone_else": lambda: case_about(world, world.coordinator, person=other, consent=consent_of(other)),
        "no_consent": lambda: case_about(world, world.coordinator),
        "missing": lambda: None,
        "not_a_number": lambda: None,
    }[which]()
    value = {"missing": "999999", "not_a_number": "12abc"}.get(which, str(case.pk if case else ""))
    url = f"/nl/wellbeing/persons/{world.resident.pk}/screening/"
    response = start(world.client("coordinator"), url, case=value, consent="on", consent_method="phone")
    assert response.status_code in (200, 400)
    text = response.content.decode()
    assert 'name="state"' not in text  # no questions
    assert "kan niet bij dat dossier" in text or "dossiernummer is niet leesbaar" in text
    assert not Screening.objects.exists()


def test_a_case_closed_while_the_questions_were_asked_keeps_the_screening_off_it(world: World) -> None:
    case = case_about(world, world.coordinator, consent=consent_of(world.resident))
    client, url = world.client("coordinator"), f"/nl/wellbeing/persons/{world.resident.pk}/screening/"
    check = answer_all(client, url, start(client, url, case=str(case.pk)), ANSWERS)
    OutreachCase.objects.filter(pk=case.pk).update(status="closed", outcome="moved", closed_at=timezone.now())
    assert save(client, url, check).status_code == 302
    assert Screening.objects.get().case_id is None


# --- the team lead's list of online screenings -------------------------------------------------------------


def online(world: World, person: Person, consent: Consent, **fields: object) -> Screening:
    values: dict[str, object] = {
        "instrument": "ucla3", "instrument_version": "ucla3-1", "answer_format": "3", "language": "en",
        "answers": {"1": "often", "2": "often", "3": "often"}, "total": 9, "category": "lonely", "mode": "online",
        "consent": consent, "district_id": person.district_id, **fields,
    }  # fmt: skip
    return Screening.objects.create(person=person, **values)


def test_the_team_lead_sees_online_results_that_point_to_loneliness_and_nobody_follows(world: World) -> None:
    consent = consent_of(world.resident)
    lonely = online(world, world.resident, consent)
    other = make_person("Mia", world.district, Role.RESIDENT)
    fine = online(world, other, consent_of(other), total=3, category="not_lonely")
    far = make_person("Wim", world.other_district, Role.RESIDENT)
    elsewhere = online(world, far, consent_of(far))
    old = online(world, world.resident, consent, taken_at=timezone.now() - timedelta(days=200))
    TeamLead.objects.create(person=world.coordinator, district=world.district)
    page = world.client("coordinator").get("/nl/wellbeing/cases/").content.decode()
    assert "Online ingevuld, nog niet opgevolgd" in page
    assert f"/nl/wellbeing/screenings/{lonely.pk}/" in page
    for hidden in (fine, elsewhere, old):
        assert f"/nl/wellbeing/screenings/{hidden.pk}/" not in page
    listed = AccessLogEntry.objects.filter(record_type="wellbeing.Screening", action="list")
    assert list(listed.values_list("record_id", flat=True)) == [str(lonely.pk)]
    # a case about the person takes it off the list; a withdrawn consent too
    case = case_about(world, world.coordinator)
    assert f"/screenings/{lonely.pk}/" not in world.client("coordinator").get("/nl/wellbeing/cases/").content.decode()
    case.delete()
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    assert f"/screenings/{lonely.pk}/" not in world.client("coordinator").get("/nl/wellbeing/cases/").content.decode()


def test_a_coordinator_who_is_not_team_lead_has_no_such_list(world: World) -> None:
    online(world, world.resident, consent_of(world.resident))
    page = world.client("coordinator").get("/nl/wellbeing/cases/").content.decode()
    assert "Online ingevuld" not in page and "/wellbeing/screenings/" not in page


# --- closed cases ----------------------------------------------------------------------------------------------


def closed(world: World, assigned: Person, days_ago: int = 3, **fields: object) -> OutreachCase:
    when = timezone.now() - timedelta(days=days_ago)
    return case_about(world, assigned, status="closed", outcome="reached_helped", closed_at=when, **fields)


def test_closed_cases_show_ones_own_and_for_a_team_lead_the_teams(world: World) -> None:
    colleague = make_person("Lotte", world.district, Role.COORDINATOR)
    mine, theirs = closed(world, world.coordinator), closed(world, colleague, days_ago=1)
    gone = closed(world, world.coordinator, anonymised_at=timezone.now(), person=None)
    still_open = case_about(world, world.coordinator)
    page = world.client("coordinator").get("/nl/wellbeing/cases/closed/").content.decode()
    assert f"/nl/wellbeing/cases/{mine.pk}/" in page and "Bereikt en geholpen" in page
    for hidden in (theirs, gone, still_open):
        assert f"/nl/wellbeing/cases/{hidden.pk}/" not in page
    colleague_page = client_for(colleague).get("/nl/wellbeing/cases/closed/").content.decode()
    assert f"/cases/{theirs.pk}/" in colleague_page and f"/cases/{mine.pk}/" not in colleague_page
    TeamLead.objects.create(person=world.coordinator, district=world.district)
    page = world.client("coordinator").get("/nl/wellbeing/cases/closed/").content.decode()
    assert page.index(f"/cases/{theirs.pk}/") < page.index(f"/cases/{mine.pk}/")  # last closed first
    logged = AccessLogEntry.objects.filter(record_type="wellbeing.OutreachCase", action="list",
                                           actor_person_id=world.coordinator.pk)  # fmt: skip
    assert str(theirs.pk) in set(logged.values_list("record_id", flat=True))


def test_closed_cases_are_for_coordinators_only(world: World) -> None:
    for who in ("helper", "resident"):
        assert world.client(who).get("/nl/wellbeing/cases/closed/").status_code in (403, 404)
    assert world.client("anonymous").get("/nl/wellbeing/cases/closed/").status_code == 302
