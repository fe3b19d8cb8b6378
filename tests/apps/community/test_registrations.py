"""Registrations for events (issue 18, item 3): one button per date, a waiting list that moves up by itself in
the same transaction as the cancellation, emails with a calendar invitation (parsed by ``icalendar`` and
``vobject``), the organisers see first names and initials only, reminders sent once, a person's own feed behind a
secret address, events of the city, and the printable weekly programme.  Attacks included: someone else's
registration, a date that is not one, a cancelled event, NUL bytes, huge numbers, year 9999."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.community import registrations
from apps.community.models import Event, Initiative, PersonalFeed, Registration
from apps.core.mail import deserialise, serialise
from apps.people.models import Person, Role
from apps.places.models import Place

from ..wellbeing.conftest import client_for, make_person
from .conftest import World
from .test_events import event_data
from .test_initiatives import published

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Europe/Brussels")
DAY = "2027-03-23"  # the second Tuesday of the weekly event of ``event_data``


def with_event(world: World, **fields: Any) -> tuple[Initiative, Event]:
    initiative = published(world)
    data = event_data(**{"capacity": "2", "audience": ["older_residents", "newcomers"], "languages": ["nl", "ar"],
                         **fields})  # fmt: skip
    answer = world.client("starter").post(f"/nl/initiatives/{initiative.pk}/events/new/", data)
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    return initiative, Event.objects.get()


def residents(world: World, n: int) -> list[Person]:
    return [make_person(f"Bewoner{i}", world.district, Role.RESIDENT) for i in range(n)]


def register(person: Person, event: Event, day: str = DAY) -> Any:
    return client_for(person).post(f"/en/whats-on/{event.pk}/register/", {"day": day}, follow=True)


def invitation(message: Any) -> tuple[icalendar.Calendar, Any]:
    """The .ics of an email, read by both parsers."""
    (filename, content, mimetype), *_rest = message.attachments
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    return icalendar.Calendar.from_ical(content), vobject.readOne(content)


def test_the_form_takes_places_audience_and_languages_and_the_pages_show_them(world: World) -> None:
    _initiative, event = with_event(world)
    assert (event.capacity, event.audience, event.languages) == (2, ["older_residents", "newcomers"], ["nl", "ar"])
    form = world.client("starter").get(f"/en/whats-on/{event.pk}/edit/").content.decode()
    assert 'value="older_residents"' in form and "Older residents" in form and "People with a disability" in form
    page = Client().get(f"/en/whats-on/{event.pk}/").content.decode()
    assert "Older residents, Newcomers" in page and "Dutch, Arabic" in page and "2 places left" in page
    assert "Log in</a> to register" in page
    # the weekly event starts in 2027, beyond What's on's eight weeks: a one-off event today shows the places left
    today = timezone.localdate()
    world.client("starter").post(f"/nl/initiatives/{event.initiative_id}/events/new/", event_data(
        title="Soepmiddag", starts_on=today.isoformat(), start_time="23:45", duration_minutes="15", repeat="none",
        repeat_until="", capacity="5", audience=["everyone"]))  # fmt: skip
    listed = Client().get(f"/en/whats-on/?district={world.district.pk}").content.decode()
    assert "Soepmiddag" in listed and "5 places left" in listed and "For whom: Everyone" in listed
    assert f"/en/whats-on/programme/district/{world.district.number}/" in listed
    for bad in ({"capacity": "0"}, {"capacity": "99999999999999999999"}, {"audience": ["aliens"]}):
        refused = world.client("starter").post(f"/en/whats-on/{event.pk}/edit/", event_data(**bad))
        assert refused.status_code == 400
    event.refresh_from_db()
    assert (event.capacity, event.sequence) == (2, 0), "places, audience and languages raise no SEQUENCE"


def test_full_then_waiting_then_promoted_by_a_cancellation_with_invitations(world: World) -> None:
    _initiative, event = with_event(world)
    first, second, third = residents(world, 3)
    mail.outbox.clear()
    assert "You are registered" in register(first, event).content.decode()
    register(second, event)
    page = register(third, event).content.decode()
    assert "number 1 on the waiting list" in page
    assert register(third, event).status_code == 200, "a second click finds the first registration"
    rows = Registration.objects.filter(event=event, occurs_on=date(2027, 3, 23)).order_by("created_at", "pk")
    assert [(r.person_id, r.status) for r in rows] == [
        (first.pk, "confirmed"),
        (second.pk, "confirmed"),
        (third.pk, "waiting"),
    ]
    # the confirmation carries the invitation: METHOD:REQUEST, the date's UID derived from the event's, SEQUENCE
    confirmation = next(m for m in mail.outbox if m.to == [first.email])
    ical, vcal = invitation(confirmation)
    item = next(iter(ical.walk("VEVENT")))
    assert str(ical["METHOD"]) == "REQUEST" and str(item["UID"]) == f"2027-03-23-{event.uid}"
    assert int(item["SEQUENCE"]) == 0 and item.decoded("DTSTART") == datetime(2027, 3, 23, 14, tzinfo=ZONE)
    assert vcal.vevent.dtstart.value.astimezone(ZONE).hour == 14 and vcal.method.value == "REQUEST"
    waiting_mail = next(m for m in mail.outbox if m.to == [third.email])
    assert waiting_mail.attachments == [] and "nummer 1 op de wachtlijst" in waiting_mail.body
    # the organiser sees the count and first names with an initial; a resident only the places left
    organiser = world.client("starter").get(f"/en/whats-on/{event.pk}/").content.decode()
    assert "2 of 2 places taken" in organiser and f"{first.first_name} {first.last_name[0]}." in organiser
    assert first.email not in organiser and first.last_name not in organiser
    assert world.client("coordinator").get(f"/en/whats-on/{event.pk}/").content.decode().count(
        f"{third.first_name} {third.last_name[0]}.") == 1  # fmt: skip
    # take-then-cancel to read who registered: nothing but the places
    snoop = world.client("resident")
    snoop.post(f"/en/whats-on/{event.pk}/register/", {"day": "2027-03-30"})
    mine = Registration.objects.get(person=world.resident)
    snoop.post(f"/en/whats-on/registrations/{mine.pk}/cancel/")
    seen = snoop.get(f"/en/whats-on/{event.pk}/").content.decode()
    assert first.first_name not in seen and "places taken" not in seen
    # someone else's registration cannot be cancelled (404, nothing changes)
    assert client_for(second).post(f"/en/whats-on/registrations/{rows[0].pk}/cancel/").status_code == 404
    assert Registration.objects.get(pk=rows[0].pk).status == "confirmed"
    # the first cancels: the one waiting moves up, told by email with the invitation
    mail.outbox.clear()
    client_for(first).post(f"/en/whats-on/registrations/{rows[0].pk}/cancel/")
    assert [r.status for r in Registration.objects.filter(pk__in=[r.pk for r in rows]).order_by("created_at", "pk")
            ] == ["cancelled", "confirmed", "confirmed"]  # fmt: skip
    promoted = next(m for m in mail.outbox if m.to == [third.email])
    assert "Er is een plaats vrij" in promoted.subject and str(invitation(promoted)[0]["METHOD"]) == "REQUEST"
    withdrawn = next(m for m in mail.outbox if m.to == [first.email])
    cancel_ical, cancel_v = invitation(withdrawn)
    assert str(cancel_ical["METHOD"]) == "CANCEL" and cancel_v.vevent.status.value == "CANCELLED"
    # cancelling twice changes nothing and promotes nobody else
    client_for(first).post(f"/en/whats-on/registrations/{rows[0].pk}/cancel/")
    assert Registration.objects.filter(event=event, status="confirmed").count() == 2


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2027-03-24", "does not happen on that date"),  # a Wednesday
        ("2027-05-04", "does not happen on that date"),  # after the series
        ("9999-12-31", "does not happen on that date"),
        ("2027-03-23\x00", "Choose one of the dates shown"),
        ("99999999-01-01", "Choose one of the dates shown"),
        ("", "Choose one of the dates shown"),
        ("2025-01-07", "does not happen on that date"),
    ],
)
def test_a_date_that_is_not_one_to_come_is_a_message_and_stores_nothing(world: World, day: str,
                                                                         message: str) -> None:  # fmt: skip
    _initiative, event = with_event(world)
    answer = world.client("resident").post(f"/en/whats-on/{event.pk}/register/", {"day": day}, follow=True)
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not Registration.objects.exists()


def test_a_cancelled_event_or_date_a_past_date_or_no_places_refuse_and_staff_cannot_register(world: World) -> None:
    _initiative, event = with_event(world)
    starter = world.client("starter")
    starter.post(f"/nl/whats-on/{event.pk}/cancel/", {"day": DAY})
    assert "This date is cancelled" in register(world.resident, event).content.decode()
    Event.objects.filter(pk=event.pk).update(starts_on=date(2025, 1, 7), repeat_until=date(2025, 2, 4))
    assert "This date has passed" in register(world.resident, event, "2025-01-14").content.decode()
    Event.objects.filter(pk=event.pk).update(starts_on=date(2027, 3, 16), repeat_until=date(2027, 4, 27),
                                             capacity=None)  # fmt: skip
    assert "No registration is needed" in register(world.resident, event, "2027-03-30").content.decode()
    Event.objects.filter(pk=event.pk).update(capacity=3, status="cancelled")
    assert "This event is cancelled" in register(world.resident, event, "2027-03-30").content.decode()
    assert world.client("coordinator").post(f"/en/whats-on/{event.pk}/register/", {"day": DAY}).status_code == 403
    assert Client().post(f"/en/whats-on/{event.pk}/register/", {"day": DAY}).status_code == 302
    assert world.client("resident").post("/en/whats-on/99999999999999/register/", {"day": DAY}).status_code == 404
    assert not Registration.objects.exists()


def test_lower_capacity_removes_nobody_and_promotes_only_when_there_is_room(world: World) -> None:
    _initiative, event = with_event(world, capacity="3")
    people = residents(world, 4)
    for person in people:
        register(person, event)
    starter = world.client("starter")
    data = event_data(capacity="1", audience=["older_residents", "newcomers"], languages=["nl", "ar"])
    assert starter.post(f"/nl/whats-on/{event.pk}/edit/", data).status_code == 302
    confirmed = list(Registration.objects.filter(status="confirmed").order_by("pk"))
    assert len(confirmed) == 3 and Registration.objects.filter(status="waiting").count() == 1
    client_for(people[0]).post(f"/en/whats-on/registrations/{confirmed[0].pk}/cancel/")
    assert Registration.objects.filter(status="confirmed").count() == 2, "still above the places: nobody moves up"
    assert "Full" in Client().get(f"/en/whats-on/{event.pk}/").content.decode()
    assert starter.post(f"/nl/whats-on/{event.pk}/edit/", {**data, "capacity": "5"}).status_code == 302
    assert Registration.objects.filter(status="confirmed").count() == 3 and not Registration.objects.filter(
        status="waiting").exists()  # fmt: skip


def test_a_change_that_matters_and_a_cancelled_date_tell_those_registered(world: World) -> None:
    _initiative, event = with_event(world)
    register(world.resident, event)
    register(world.helper, event, "2027-03-30")
    mail.outbox.clear()
    data = event_data(start_time="15:00", capacity="2", audience=["older_residents", "newcomers"],
                      languages=["nl", "ar"])  # fmt: skip
    assert world.client("starter").post(f"/nl/whats-on/{event.pk}/edit/", data).status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.resident.email, world.helper.email])
    item = next(iter(invitation(mail.outbox[0])[0].walk("VEVENT")))
    assert int(item["SEQUENCE"]) == 1 and item.decoded("DTSTART").hour == 15
    mail.outbox.clear()
    world.client("starter").post(f"/nl/whats-on/{event.pk}/cancel/", {"day": DAY})
    assert [m.to for m in mail.outbox] == [[world.resident.email]]
    ical, vcal = invitation(mail.outbox[0])
    assert str(ical["METHOD"]) == "CANCEL" and vcal.vevent.status.value == "CANCELLED"
    assert str(next(iter(ical.walk("VEVENT")))["UID"]) == f"{DAY}-{event.uid}"
    page = world.client("resident").get("/en/whats-on/mine/").content.decode()
    assert "Cancelled by the organiser" in page
    mail.outbox.clear()
    world.client("coordinator").post(f"/nl/whats-on/{event.pk}/cancel/")
    assert [m.to for m in mail.outbox] == [[world.helper.email]]
    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}


def test_a_one_off_event_moved_to_another_date_takes_its_registrations_along(world: World) -> None:
    _initiative, event = with_event(world, repeat="none", repeat_until="")
    register(world.resident, event, "2027-03-16")
    mail.outbox.clear()
    data = event_data(repeat="none", repeat_until="", starts_on="2027-03-18", capacity="2")
    assert world.client("starter").post(f"/nl/whats-on/{event.pk}/edit/", data).status_code == 302
    moved = Registration.objects.get()
    assert (moved.occurs_on, moved.status) == (date(2027, 3, 18), "confirmed")
    item = next(iter(invitation(mail.outbox[0])[0].walk("VEVENT")))
    assert str(item["UID"]) == f"2027-03-18-{event.uid}" and int(item["SEQUENCE"]) == 1
    left = icalendar.Calendar.from_ical(mail.outbox[0].attachments[1][1])
    assert str(left["METHOD"]) == "CANCEL" and str(next(iter(left.walk("VEVENT")))["UID"]) == f"2027-03-16-{event.uid}"


def test_the_personal_feed_lists_registrations_and_a_new_address_kills_the_old(world: World) -> None:
    _initiative, event = with_event(world, capacity="1")
    register(world.helper, event)
    register(world.resident, event)  # waiting
    register(world.resident, event, "2027-03-30")
    client = world.client("resident")
    page = client.get("/en/whats-on/mine/")
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    html = page.content.decode()
    feed = PersonalFeed.objects.get(person=world.resident)
    assert f"/en/feeds/me/{feed.token}.ics" in html and "webcal://" in html and "number 1 on the waiting list" in html
    assert html.index("23 March 2027") < html.index("30 March 2027"), "the soonest first"
    other = Registration.objects.get(person=world.resident, occurs_on=date(2027, 3, 30))
    client.post(f"/en/whats-on/registrations/{other.pk}/cancel/")
    answer = Client().get(f"/en/feeds/me/{feed.token}.ics")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    ical = icalendar.Calendar.from_ical(answer.content)
    items = {str(i["UID"]): i for i in ical.walk("VEVENT")}
    assert set(items) == {f"2027-03-23-{event.uid}", f"2027-03-30-{event.uid}"}
    assert str(items[f"2027-03-23-{event.uid}"]["STATUS"]) == "TENTATIVE"
    assert str(items[f"2027-03-30-{event.uid}"]["STATUS"]) == "CANCELLED"
    parsed = vobject.readOne(answer.content.decode())
    starts = sorted(v.dtstart.value.astimezone(ZONE) for v in parsed.vevent_list)
    assert [s.hour for s in starts] == [14, 14] and world.helper.first_name not in answer.content.decode()
    # a new address: the old one is a 404 like a malformed or unknown one
    client.post("/en/whats-on/mine/new-address/")
    fresh = PersonalFeed.objects.get(person=world.resident)
    assert fresh.token != feed.token and len(fresh.token) >= 43
    assert Client().get("/en/feeds/me/bad%00token.ics").status_code == 404
    answers = [Client().get(f"/en/feeds/me/{token}.ics") for token in (feed.token, "x" * 43, "bad-token", "a")]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1, "unknown and malformed answer alike"
    assert Client().get(f"/en/feeds/me/{fresh.token}.ics").status_code == 200


def test_reminders_are_sent_once_within_the_window(world: World, settings: Any) -> None:
    settings.COMMUNITY_REMINDER_HOURS = 24
    _initiative, event = with_event(world)
    register(world.resident, event)
    register(world.helper, event, "2027-03-30")
    mail.outbox.clear()
    start = datetime(2027, 3, 23, 14, tzinfo=ZONE)
    assert registrations.send_reminders(now=start - timedelta(hours=25)) == 0
    assert registrations.send_reminders(now=start - timedelta(hours=20)) == 1
    assert registrations.send_reminders(now=start - timedelta(hours=19)) == 0, "once"
    assert [m.to for m in mail.outbox] == [[world.resident.email]] and "Herinnering" in mail.outbox[0].subject
    call_command("send_event_reminders", verbosity=0)  # now: nothing due in 2026
    assert len(mail.outbox) == 1
    from apps.community import tasks

    assert tasks.schedule_community_reminders() is True and tasks.schedule_community_reminders() is False


def test_coordinators_publish_events_of_the_city_in_their_district(world: World) -> None:
    today = timezone.localdate()
    data = event_data(title="Buurtfeest", starts_on=today.isoformat(), start_time="23:45", duration_minutes="15",
                      repeat="none", repeat_until="", district=str(world.district.pk), capacity="10")  # fmt: skip
    assert world.client("resident").get("/nl/whats-on/new/").status_code == 403
    refused = world.client("other_coordinator").post("/nl/whats-on/new/", data)
    assert refused.status_code == 400 and not Event.objects.exists()
    answer = world.client("coordinator").post("/nl/whats-on/new/", data)
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    event = Event.objects.get()
    assert event.initiative is None and event.district == world.district
    assert "Buurtfeest" in Client().get(f"/nl/whats-on/?district={world.district.pk}").content.decode()
    assert Client().get(f"/nl/whats-on/{event.pk}/").status_code == 200
    ical = icalendar.Calendar.from_ical(Client().get(f"/nl/feeds/district/{world.district.number}.ics").content)
    assert [str(i["SUMMARY"]) for i in ical.walk("VEVENT")] == ["Buurtfeest"]
    assert world.client("coordinator").get(f"/nl/whats-on/{event.pk}/edit/").status_code == 200
    assert world.client("other_coordinator").get(f"/nl/whats-on/{event.pk}/edit/").status_code == 404


def test_the_weekly_programme_in_large_print(world: World) -> None:
    place = Place.objects.create(name="Buurtcentrum", slug="buurtcentrum", kind="other", street="Plein",
                                 house_number="1", postcode="9000", lat=51.05, lon=3.72,
                                 district=world.district)  # fmt: skip
    _initiative, event = with_event(world, place=str(place.pk), wheelchair_accessible="on")
    register(world.resident, event)
    for url in (f"/en/whats-on/programme/district/{world.district.number}/?week=2027-W12",
                "/en/whats-on/programme/place/buurtcentrum/?week=2027-W12"):  # fmt: skip
        page = Client().get(url).content.decode()
        assert "Tuesday 23 March 2027" in page and "14:00" in page and "Taalcafé" in page
        assert "Buurtcentrum" in page and "Wheelchair accessible" in page and "1 place left" in page
        assert "Monday 22 March 2027" in page and "Nothing planned" in page
    assert "Taalcafé" not in Client().get("/en/whats-on/programme/district/3/?week=2027-W12").content.decode()
    assert Client().get(f"/en/whats-on/programme/district/{world.district.number}/").status_code == 200
    nul = Client().get(f"/en/whats-on/programme/district/{world.district.number}/", {"week": "2027-W12\x00"})
    assert nul.status_code == 400  # the frame refuses NUL bytes before the page
    for week in ("2027-W54", "9999-W01", "2027W12", "x" * 500):
        answer = Client().get(f"/en/whats-on/programme/district/{world.district.number}/", {"week": week})
        assert answer.status_code == 400 and "cannot be shown" in answer.content.decode()
    assert Client().get("/en/whats-on/programme/place/nowhere/").status_code == 404


def test_queued_mail_carries_text_attachments_and_reads_what_was_queued_before() -> None:
    message = mail.EmailMessage("Subject", "Body", to=["a@example.org"])
    message.attach("invitation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST")
    data = serialise(message)
    assert data["attachments"] == [["invitation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                                    "text/calendar; method=REQUEST"]]  # fmt: skip
    again = deserialise(data)
    assert list(again.attachments[0]) == data["attachments"][0]
    raw = again.message().as_string()
    assert 'text/calendar; method="REQUEST"' in raw and 'filename="invitation.ics"' in raw
    old = {key: value for key, value in data.items() if key != "attachments"}
    assert deserialise(old).attachments == []


def test_the_email_language_is_one_the_person_speaks(world: World) -> None:
    person = make_person("Amélie", world.district, Role.RESIDENT)
    assert registrations.language_of(person) == "nl"
    person.languages = ["ar", "fr"]
    assert registrations.language_of(person) == "fr"
    person.languages = ["ar"]
    assert registrations.language_of(person) == "nl"


def test_registering_again_after_cancelling_raises_the_sequence_so_calendars_take_it(world: World) -> None:
    """RFC 5546 2.1.4: a calendar ignores an invitation with a lower SEQUENCE than the cancellation it holds."""
    import re

    owner = Initiative.objects.create(title="Init", summary="s", organiser="residents", audience=["everyone"],
                                      district=world.district, starter=world.starter, status="published",
                                      commitment_signed_at=timezone.now())  # fmt: skip
    day = timezone.localdate() + timedelta(days=7)
    event = Event.objects.create(initiative=owner, district=world.district, title="Taalcafé", starts_on=day,
                                 start_time=time(14), duration_minutes=60, capacity=5, uid="seq@test",
                                 address="Kongostraat 1")  # fmt: skip
    resident = world.client("resident")
    mail.outbox.clear()
    resident.post(reverse("community:register", args=[event.pk]), {"day": day.isoformat()})
    resident.post(reverse("community:registration_cancel", args=[Registration.objects.get().pk]))
    resident.post(reverse("community:register", args=[event.pk]), {"day": day.isoformat()})
    seen = [
        (re.search(r"METHOD:(\w+)", text)[1], int(re.search(r"SEQUENCE:(\d+)", text)[1]))  # type: ignore[index]
        for message in mail.outbox for _name, content, _type in message.attachments
        for text in [content if isinstance(content, str) else content.decode()]
    ]  # fmt: skip
    assert seen == [("REQUEST", 0), ("CANCEL", 1), ("REQUEST", 2)]
    resident.get(reverse("community:my_registrations"))
    token = PersonalFeed.objects.get(person=world.resident).token
    feed = world.client("anonymous").get(reverse("community:feed_personal", args=[token])).content.decode()
    assert "SEQUENCE:2" in feed and "STATUS:CONFIRMED" in feed
