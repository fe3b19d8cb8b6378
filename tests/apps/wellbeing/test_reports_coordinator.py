"""A neighbour's report reaches the coordinators of its district, and only them (issue 17, item 3).

The coordinator of district 1 sees it on their worklist and home panel, reads it (one access-log entry per read),
picks it up or opens an outreach case assigned to themselves; the reporter who left a contact gets exactly one
message, without any detail.  The coordinator of district 3, a helper, a resident and a visitor reach nothing:
404 for an object outside one's scope (as for one that does not exist), 403 for a page one may not use at all,
the login page for a visitor.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from apps.access.models import AccessLogEntry
from apps.core import sms
from apps.wellbeing.models import OutreachCase, WorryReport

from .conftest import World

pytestmark = pytest.mark.django_db

NOTICED = "De brievenbus puilt uit sinds een week."


def report_in(world: World, **fields: Any) -> WorryReport:
    values: dict[str, Any] = {
        "district": world.district, "street": "Sint-Pietersnieuwstraat", "house_number": "33", "postal_code": "9000",
        "signs": ["mail"], "noticed": NOTICED, **fields,
    }  # fmt: skip
    return WorryReport.objects.create(**values)


def log_of(report: WorryReport) -> list[tuple[Any, ...]]:
    return list(
        AccessLogEntry.objects.filter(record_type="wellbeing.WorryReport", record_id=str(report.pk))
        .order_by("pk")
        .values_list("actor_person_id", "action", "outcome")
    )


def test_the_coordinator_of_the_district_finds_reads_and_each_read_is_logged(world: World) -> None:
    report = report_in(world)
    client = world.client("coordinator")
    worklist = client.get("/en/wellbeing/reports/").content.decode()
    assert f'href="/en/wellbeing/reports/{report.pk}/"' in worklist
    assert "Pietersnieuwstraat" not in worklist and NOTICED not in worklist, "the worklist reads no word of a report"
    assert log_of(report) == []
    home = client.get("/en/").content.decode()
    assert "New, not picked up yet" in home and '<span class="panel-count">1</span>' in home
    for _ in range(2):
        page = client.get(f"/en/wellbeing/reports/{report.pk}/")
        assert page.status_code == 200
        assert "Sint-Pietersnieuwstraat 33" in page.content.decode() and NOTICED in page.content.decode()
    assert log_of(report) == [(world.coordinator.pk, "read", "allowed")] * 2


def test_the_coordinator_of_another_district_sees_nothing_and_the_attempt_is_logged(world: World) -> None:
    report = report_in(world)
    client = world.client("other_coordinator")
    assert f"/wellbeing/reports/{report.pk}/" not in client.get("/en/wellbeing/reports/").content.decode()
    assert client.get(f"/en/wellbeing/reports/{report.pk}/").status_code == 404
    assert client.get("/en/wellbeing/reports/999999/").status_code == 404, "the same answer as for no report"
    for action in ("pick-up", "open-case"):
        assert client.post(f"/en/wellbeing/reports/{report.pk}/{action}/").status_code == 404
    assert log_of(report) == [
        (world.other_coordinator.pk, "read", "denied"), (world.other_coordinator.pk, "pick_up", "denied"),
        (world.other_coordinator.pk, "open_case", "denied"),
    ]  # fmt: skip
    report.refresh_from_db()
    assert (report.status, report.picked_up_at) == ("new", None)
    assert not OutreachCase.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("helper", 403), ("resident", 403), ("anonymous", 302)])
def test_no_one_else_reaches_the_worklist_or_a_report(world: World, who: str, status: int) -> None:
    report = report_in(world)
    client = world.client(who)
    for url in ("/nl/wellbeing/reports/", f"/nl/wellbeing/reports/{report.pk}/"):
        answer = client.get(url)
        assert answer.status_code == status, url
        if status == 302:
            assert answer["Location"].startswith("/accounts/login/")
    for action in ("pick-up", "open-case"):
        assert client.post(f"/nl/wellbeing/reports/{report.pk}/{action}/").status_code == status
    report.refresh_from_db()
    assert report.status == "new" and log_of(report) == []


@pytest.mark.django_db(transaction=True)
def test_picking_up_sends_one_text_message_without_any_detail(world: World) -> None:
    """Delivered by the task worker after the pick-up committed (``apps.core.tasks.send_sms``)."""
    report = report_in(world, reporter_phone="+32470123456", reporter_email="anne@example.org", language="fr")
    client = world.client("coordinator")
    answer = client.post(f"/en/wellbeing/reports/{report.pk}/pick-up/", follow=True)
    assert "The reporter gets one message that their report was picked up." in answer.content.decode()
    again = client.post(f"/en/wellbeing/reports/{report.pk}/pick-up/", follow=True)
    client.post(f"/en/wellbeing/reports/{report.pk}/open-case/")
    assert "This report was already picked up." in again.content.decode()
    assert sms.MemorySmsBackend.outbox == [], "queued, not sent from the page"
    call_command("db_worker", "--batch", verbosity=0)
    (text,) = sms.MemorySmsBackend.outbox
    assert text.to == "+32470123456"
    assert text.text == (
        "Merci pour votre signalement concernant un voisin. Un coordinateur de la ville l’a pris en charge. Nous ne "
        "vous en disons pas plus, pour protéger la vie privée de votre voisin."
    ), "in the reporter's language, and nothing of the report"
    assert mail.outbox == [], "one message: by text, not by email as well"
    report.refresh_from_db()
    assert (report.status, report.picked_up_by) == ("case_opened", world.coordinator)
    assert report.reporter_told_at == report.picked_up_at


def test_opening_a_case_picks_up_assigns_it_to_the_coordinator_and_emails_once(world: World) -> None:
    report = report_in(world, reporter_email="anne@example.org")
    client = world.client("coordinator")
    answer = client.post(f"/nl/wellbeing/reports/{report.pk}/open-case/", follow=True)
    assert "Er is een outreachdossier geopend en aan u toegewezen." in answer.content.decode()
    case = OutreachCase.objects.get()
    assert (case.report, case.origin, case.district, case.person) == (report, "report", world.district, None)
    assert (case.assigned_to, case.created_by, case.status, case.outcome) == (
        world.coordinator, world.coordinator, "open", ""
    )  # fmt: skip
    second = client.post(f"/nl/wellbeing/reports/{report.pk}/open-case/", follow=True)
    assert "Vanuit deze melding is al een outreachdossier geopend." in second.content.decode()
    assert OutreachCase.objects.count() == 1
    (message,) = mail.outbox
    assert message.to == ["anne@example.org"] and message.subject == "Uw melding is opgepakt"
    for detail in ("Pietersnieuwstraat", "brievenbus", "Binnenstad"):
        assert detail not in message.body


@pytest.mark.parametrize("contact", [{}, {"reporter_phone": "+3292661111"}])
def test_no_message_to_an_anonymous_reporter_or_to_a_landline(world: World, contact: dict[str, str]) -> None:
    """A landline cannot receive a text message; the coordinator may call it back."""
    report = report_in(world, **contact)
    world.client("coordinator").post(f"/nl/wellbeing/reports/{report.pk}/pick-up/")
    report.refresh_from_db()
    assert report.status == "picked_up" and report.reporter_told_at is None
    assert mail.outbox == [] and sms.MemorySmsBackend.outbox == []
