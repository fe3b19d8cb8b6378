"""Every record shows when it was last checked; organisations are reminded of old ones, at most once in a while;
"Still correct" checks a record without a review; the home panels count what waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from apps.directory import tasks
from apps.directory.models import Revision
from apps.people.models import Role

from .records_builders import LONG_AGO, World, client_for, person, published_location, published_service, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


@override_settings(DIRECTORY_CHECK_AFTER_DAYS=180, DIRECTORY_REMIND_EVERY_DAYS=30)
def test_reminders_go_once_to_the_organisations_staff_about_old_records_only(w: World) -> None:
    old = published_service(w.org, "Oude dienst", checked_ago=LONG_AGO)
    published_service(w.org, "Nieuwe dienst", checked_ago=timedelta(days=10))
    published_service(w.other_org, "Dienst van een ander", checked_ago=timedelta(days=10))
    person("Zonder", Role.ORGANISATION_STAFF, w.org, email="")  # no email: nothing to send to
    assert tasks.send_check_reminders() == 1
    assert [m.to for m in mail.outbox] == [[w.staff.email]]
    message = mail.outbox[0]
    assert "Oude dienst" in message.body and "Nieuwe dienst" not in message.body
    assert f"?organisation={w.org.pk}" in message.body
    old.refresh_from_db()
    assert old.reminded_at is not None

    assert tasks.send_check_reminders() == 0, "not again the next day"
    assert tasks.send_check_reminders(now=timezone.now() + timedelta(days=29)) == 0
    assert len(mail.outbox) == 1
    assert tasks.send_check_reminders(now=timezone.now() + timedelta(days=31)) == 1, "again after 30 days"
    assert len(mail.outbox) == 2


@override_settings(LANGUAGE_CODE="en")
def test_the_reminder_is_written_in_the_recipients_language(w: World) -> None:
    """A person without a language of their own gets the platform's (here English)."""
    published_location(w.org, "Oud lokaal", checked_ago=LONG_AGO)
    tasks.send_check_reminders()
    assert mail.outbox[0].subject == "One record in the directory to check"
    assert mail.outbox[0].body.startswith(f"Hello {w.staff.first_name},")


def test_the_reminder_is_in_dutch_by_default(w: World) -> None:
    published_location(w.org, "Oud lokaal", checked_ago=LONG_AGO)
    tasks.send_check_reminders()
    assert mail.outbox[0].subject == "Eén gegeven in de sociale kaart om na te kijken"


def test_still_correct_checks_without_a_review_and_stops_the_reminders(w: World) -> None:
    old = published_service(w.org, "Oude dienst", checked_ago=LONG_AGO)
    staff = client_for(w.staff)
    page = staff.get(f"/en/records/?organisation={w.org.pk}").content.decode()
    assert "To check" in page and "Still correct: Oude dienst" in page
    response = staff.post("/en/records/confirm/", {"kind": "service", "target": str(old.pk)})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.checked_at > timezone.now() - timedelta(minutes=1)
    assert old.assured_date == timezone.localdate() and old.assurer_email == w.staff.email
    assert not Revision.objects.exists(), "nothing changed, so nothing to review"
    assert "To check" not in staff.get(f"/en/records/?organisation={w.org.pk}").content.decode()
    assert tasks.send_check_reminders() == 0 and not mail.outbox


def test_confirm_is_post_only_and_refuses_a_bad_kind(w: World) -> None:
    old = published_service(w.org, "Oude dienst", checked_ago=LONG_AGO)
    staff = client_for(w.staff)
    assert staff.get("/en/records/confirm/").status_code == 405
    assert staff.post("/en/records/confirm/", {"kind": "referral", "target": str(old.pk)}).status_code == 404
    assert staff.post("/en/records/confirm/", {"kind": "service", "target": "not-a-uuid"}).status_code == 404


def test_home_panels_count_records_to_check_returned_changes_and_the_review_queue(w: World) -> None:
    published_service(w.org, "Oude dienst", checked_ago=LONG_AGO)
    Revision.objects.create(kind="service", organisation=w.org, document={"name": "Terug"}, status="returned",
                            review_note="Prijs ontbreekt")  # fmt: skip
    Revision.objects.create(kind="location", organisation=w.other_org, document={"name": "Wacht"},
                            status="under_review", submitted_at=timezone.now())  # fmt: skip
    home = client_for(w.staff).get("/en/").content.decode()
    assert "Our services in the directory" in home
    assert "Record to check" in home and "Change returned by the city" in home
    review = client_for(w.reviewer).get("/en/").content.decode()
    assert "Change waits for review" in review


def test_the_daily_task_runs_the_reminders_and_queues_itself_once(w: World) -> None:
    published_service(w.org, "Oude dienst", checked_ago=LONG_AGO)
    assert tasks.schedule_directory_daily() is True
    assert tasks.schedule_directory_daily() is False, "never two waiting runs"
    call_command("schedule_directory_daily", verbosity=0)
    assert tasks.directory_daily.call() == {"reminded": 1}
    assert len(mail.outbox) == 1
