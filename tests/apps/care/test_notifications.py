"""Telling people what happened (issue 6, item 4): the right person, in their language, by the channel
they prefer and consented to, and a reminder the day before through the task worker.

Every transition writes an in-app message to whoever it concerns (not to whoever did it); an email
goes out only when the person prefers email and consented to it, an SMS likewise; neither carries
the care details.  Texts are compared with their Dutch translation (the platform's language) so the
tests hold before and after the translators' work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from apps.care import services, tasks
from apps.care.models import CareRequest, Match, Message
from apps.core import sms
from apps.people.models import Person, Purpose

from .conftest import CareWorld, actor, clock, consent, tomorrow_at

GOOD_NEWS = "Good news: a helper will come for your request."
ASKED = "Someone near you could use a hand. Can you help?"
REMINDER = "Reminder: the visit is tomorrow at %(time)s."


def nl(msgid: str, **params: Any) -> str:
    """The text as a person with the platform's default language receives it."""
    with translation.override("nl"):
        text = gettext(msgid)
        return text % params if params else text


def when(moment: datetime) -> str:
    with translation.override("nl"):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def link(name: str, pk: int) -> str:
    with translation.override("nl"):
        return reverse(name, args=[pk])


class Inbox:
    """The in-app messages each person received since the inbox was opened."""

    def __init__(self) -> None:
        self.mark = Message.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def of(self, person: Person) -> list[tuple[str, str]]:
        rows = Message.objects.filter(person=person, pk__gt=self.mark).order_by("pk")
        return list(rows.values_list("text", "link"))

    def everyone(self) -> set[int]:
        return set(Message.objects.filter(pk__gt=self.mark).values_list("person_id", flat=True))


@pytest.fixture
def inbox() -> Callable[[], Inbox]:
    return Inbox


def propose(world: CareWorld, request: CareRequest) -> Match:
    return services.match_propose(actor=world.coordinator_actor, request=request, offer=world.offer)


# ----------------------------------------------------------------------------------------------------------
# in-app: the right person for each transition


@pytest.mark.django_db
def test_each_step_tells_the_other_side_in_the_app(
    care_world: CareWorld, care_request: CareRequest, inbox: Callable[[], Inbox]
) -> None:
    world = care_world
    box = inbox()
    match = propose(world, care_request)
    assert box.of(world.helper) == [(nl(ASKED), link("care:helper_match", match.pk))]
    assert box.everyone() == {world.helper.pk}

    box = inbox()
    services.match_accept(actor=world.helper_actor, match=match)
    assert box.of(world.resident) == [(nl(GOOD_NEWS), link("care:my_request", care_request.pk))]
    assert box.everyone() == {world.resident.pk}

    box = inbox()
    services.match_plan(actor=world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    assert [t for t, _ in box.of(world.resident)] == [nl("Your helper comes on %(when)s.", when=when(tomorrow_at(10)))]
    assert box.everyone() == {world.resident.pk}, "the helper planned it: only the resident is told"

    box = inbox()
    services.match_plan(actor=world.coordinator_actor, match=match, start=tomorrow_at(11), end=tomorrow_at(12))
    assert [t for t, _ in box.of(world.helper)] == [
        nl("Your visit is planned on %(when)s.", when=when(tomorrow_at(11)))
    ]
    assert box.everyone() == {world.resident.pk, world.helper.pk}, "planned by the coordinator: both are told"

    box = inbox()
    with clock(tomorrow_at(13)):
        services.match_done(actor=world.helper_actor, match=match, hours=Decimal("1"))
    assert box.of(world.resident) == [
        (nl("How did it go? Tell us in a few words."), link("care:my_request", care_request.pk))
    ]
    assert box.everyone() == {world.resident.pk}


@pytest.mark.django_db
def test_a_decline_tells_the_coordinator_who_asked(
    care_world: CareWorld, care_request: CareRequest, inbox: Callable[[], Inbox]
) -> None:
    world = care_world
    match = propose(world, care_request)
    box = inbox()
    services.match_decline(actor=world.helper_actor, match=match, reason="Examens.")
    assert box.of(world.coordinator) == [
        (nl("A helper said no to a proposal; the request needs someone else."),
         link("care:request_detail", care_request.pk)),
    ]  # fmt: skip
    assert box.everyone() == {world.coordinator.pk}, "the resident never knew of the proposal"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "told"),
    [
        ("helper", {"resident": "Your helper had to cancel. We are looking for someone else."}),
        ("resident", {"helper": "A visit was cancelled."}),
        (
            "coordinator",
            {
                "helper": "A visit was cancelled.",
                "resident": "Your visit was cancelled. We are looking for someone else.",
            },
        ),
    ],
)
def test_a_cancelled_visit_tells_the_others(
    care_world: CareWorld, care_request: CareRequest, inbox: Callable[[], Inbox], who: str, told: dict[str, str]
) -> None:
    world = care_world
    people = {"helper": world.helper, "resident": world.resident, "coordinator": world.coordinator}
    match = services.request_take(actor=world.helper_actor, request=care_request)
    box = inbox()
    services.match_cancel(actor=actor(people[who]), match=match, reason="Griep, sorry.")
    for role, text in told.items():
        (received,) = box.of(people[role])
        assert received[0] == nl(text)
        assert "Griep" not in received[0], "the reason stays in the app, never in a message that may leave it"
    assert box.everyone() == {people[role].pk for role in told}


@pytest.mark.django_db
def test_a_proposal_withdrawn_by_the_coordinator_does_not_alarm_the_resident(
    care_world: CareWorld, care_request: CareRequest, inbox: Callable[[], Inbox]
) -> None:
    match = propose(care_world, care_request)
    box = inbox()
    services.match_cancel(actor=care_world.coordinator_actor, match=match, reason="Verkeerde helper gekozen.")
    assert box.everyone() == {care_world.helper.pk}


@pytest.mark.django_db
def test_cancelling_a_request_tells_its_helper(
    care_world: CareWorld, care_request: CareRequest, inbox: Callable[[], Inbox]
) -> None:
    services.request_take(actor=care_world.helper_actor, request=care_request)
    box = inbox()
    services.care_request_cancel(actor=care_world.resident_actor, request=care_request, reason="Mijn zoon komt.")
    assert [t for t, _ in box.of(care_world.helper)] == [nl("A request you had was cancelled.")]
    assert box.everyone() == {care_world.helper.pk}


@pytest.mark.django_db
def test_the_helper_hears_when_the_resident_prefers_someone_else(
    care_world: CareWorld, make_request: Callable[..., CareRequest], inbox: Callable[[], Inbox]
) -> None:
    world = care_world
    weekly = make_request(recurrence=CareRequest.Recurrence.WEEKLY, repeat_until=timezone.localdate() + timedelta(15))
    match = services.request_take(actor=world.helper_actor, request=weekly)
    services.match_plan(actor=world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    with clock(tomorrow_at(12)):
        services.match_done(actor=world.helper_actor, match=match, hours=Decimal("1"), would_come_again=True)
    follow = Match.objects.get(request=weekly, status=Match.Status.ACCEPTED)
    box = inbox()
    services.match_resident_feedback(actor=world.resident_actor, match=match, feedback="", same_helper_again=False)
    assert box.of(world.helper) == [
        (nl("Thank you for your visit. Next time someone else will help."), link("care:helper_match", follow.pk))
    ]


@pytest.mark.django_db
def test_a_message_is_written_in_the_recipients_language_not_the_actors(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    """The helper acts on a French page; the resident (platform default, Dutch) reads Dutch."""

    def tagged(msgid: str) -> str:
        return f"[{translation.get_language()}] {msgid}"

    match = propose(care_world, care_request)
    with translation.override("fr"), mock.patch.object(services, "_", tagged):
        services.match_accept(actor=care_world.helper_actor, match=match)
    (message,) = Message.objects.filter(person=care_world.resident)
    assert message.text == f"[nl] {GOOD_NEWS}"
    assert message.link.startswith("/nl/")


# ----------------------------------------------------------------------------------------------------------
# email and SMS: preference AND consent


def prefers(person: Person, channel: str, *, consented: bool, **fields: str) -> None:
    Person.objects.filter(pk=person.pk).update(contact_preference=channel, **fields)
    person.refresh_from_db()
    if consented:
        purpose = Purpose.CONTACT_EMAIL if channel == Person.ContactPreference.EMAIL else Purpose.CONTACT_SMS
        consent(person, purpose)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("preference", "consented", "emails"),
    [("email", True, 1), ("email", False, 0), ("phone", True, 0), ("sms", True, 0)],
)
def test_an_email_only_when_preferred_and_consented(
    care_world: CareWorld, care_request: CareRequest, preference: str, consented: bool, emails: int
) -> None:
    world = care_world
    match = propose(world, care_request)
    prefers(world.resident, preference, consented=consented)
    if preference != "email":
        consent(world.resident, Purpose.CONTACT_EMAIL)  # consented to email, but prefers another way
    mail.outbox.clear()
    services.match_accept(actor=world.helper_actor, match=match)
    assert Message.objects.filter(person=world.resident).count() == 1, "the in-app message always"
    assert len(mail.outbox) == emails
    if emails:
        (sent,) = mail.outbox
        assert sent.to == [world.resident.email]
        assert nl(GOOD_NEWS) in sent.body
        assert link("care:my_request", care_request.pk) in sent.body
        for detail in (care_request.description, care_request.street, care_request.category.name_nl, "Boodschappen"):
            assert detail not in sent.subject + sent.body, "care details never leave the platform by email"


@pytest.fixture(autouse=True)
def empty_sms_outbox() -> Iterator[None]:
    sms.MemorySmsBackend.outbox.clear()
    yield
    sms.MemorySmsBackend.outbox.clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("consented", "texts"), [(True, 1), (False, 0)])
def test_an_sms_only_when_preferred_and_consented_delivered_by_the_worker(
    care_world: CareWorld, care_request: CareRequest, consented: bool, texts: int
) -> None:
    world = care_world
    match = propose(world, care_request)
    prefers(world.resident, "sms", consented=consented, phone="+32470123456")
    services.match_accept(actor=world.helper_actor, match=match)
    assert sms.MemorySmsBackend.outbox == [], "queued, not sent from the page"
    call_command("db_worker", "--batch", verbosity=0)
    assert [(m.to, m.text) for m in sms.MemorySmsBackend.outbox] == [("+32470123456", nl(GOOD_NEWS))] * texts
    assert len(mail.outbox) == 0


# ----------------------------------------------------------------------------------------------------------
# reminders


@pytest.mark.django_db
def test_one_reminder_to_both_sides_the_day_before_and_never_twice(
    care_world: CareWorld, make_request: Callable[..., CareRequest], inbox: Callable[[], Inbox]
) -> None:
    world = care_world
    tomorrow = make_request()
    day = timedelta(days=1)
    later = make_request(category="company", windows=[services.Window(tomorrow_at(10) + day, tomorrow_at(12) + day)])
    world.offer.requests_per_week = 2
    world.offer.save()
    visit = services.request_take(actor=world.helper_actor, request=tomorrow)
    services.match_plan(actor=world.helper_actor, match=visit, start=tomorrow_at(10, 30), end=tomorrow_at(11, 30))
    other = services.request_take(actor=world.helper_actor, request=later)
    services.match_plan(actor=world.helper_actor, match=other, start=tomorrow_at(10) + day, end=tomorrow_at(11) + day)
    prefers(world.resident, "email", consented=True)
    mail.outbox.clear()
    box = inbox()
    assert tasks.send_reminders() == 1, "only the visit of tomorrow"
    text = nl(REMINDER, time="10:30")
    assert box.of(world.helper) == [(text, link("care:helper_match", visit.pk))]
    assert box.of(world.resident) == [(text, link("care:my_request", tomorrow.pk))]
    assert [m.to for m in mail.outbox] == [[world.resident.email]], "and by email, as the resident prefers"
    visit.refresh_from_db()
    assert visit.reminded_at is not None
    assert tasks.send_reminders() == 0
    # an hour later, but on the same local day (near midnight the day after tomorrow's visit would be due)
    end_of_day = timezone.localtime().replace(hour=23, minute=59, second=59, microsecond=0)
    assert tasks.send_reminders(now=min(timezone.now() + timedelta(hours=1), end_of_day)) == 0, "never twice"
    assert len(box.of(world.helper)) == len(box.of(world.resident)) == 1
    # moved to the day after: a new reminder on the eve of the new date, with the other visit of that day
    services.match_plan(actor=world.helper_actor, match=visit, start=tomorrow_at(14) + day, end=tomorrow_at(15) + day)
    assert tasks.send_reminders(now=timezone.now() + day) == 2


@pytest.mark.django_db
def test_no_reminder_for_a_cancelled_or_done_visit(
    care_world: CareWorld, care_request: CareRequest, inbox: Callable[[], Inbox]
) -> None:
    match = services.request_take(actor=care_world.helper_actor, request=care_request)
    services.match_plan(actor=care_world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    services.match_cancel(actor=care_world.resident_actor, match=match, reason="Toch niet nodig.")
    box = inbox()
    assert tasks.send_reminders() == 0
    assert box.everyone() == set()


@pytest.mark.django_db(transaction=True)
def test_the_daily_run_reminds_through_the_worker_and_queues_the_next_day(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    match = services.request_take(actor=care_world.helper_actor, request=care_request)
    services.match_plan(actor=care_world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    assert tasks.schedule_care_daily() is True
    assert tasks.schedule_care_daily() is False, "never two waiting runs"
    call_command("db_worker", "--batch", verbosity=0)
    done = DBTaskResult.objects.filter(status="SUCCESSFUL", task_path__endswith="care_daily")
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="care_daily")
    assert done.count() == 1 and waiting.count() == 1
    # the visit's own reminder task (queued when it was planned) or the daily run, whichever ran first
    own = DBTaskResult.objects.filter(status="SUCCESSFUL", task_path__endswith="remind_visit")
    reminded_by_itself = sum(1 for result in own if result.return_value is True)
    assert done.get().return_value == {"reminders": 1 - reminded_by_itself, "unchecked takes": 0, "eligibility": 0}
    next_run = waiting.get().run_after
    assert next_run is not None and next_run > timezone.now() + timedelta(hours=23)
    assert Message.objects.filter(person=care_world.resident, text=nl(REMINDER, time="10:00")).count() == 1
