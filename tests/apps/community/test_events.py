"""Events of initiatives and their calendar feeds (issue 18, item 3): a weekly Tuesday 14:00 stays 14:00 across the
change to summer time; a change raises SEQUENCE with the same UID; a cancelled date is an EXDATE, a cancelled
event is sent as such; every feed is read by ``icalendar`` and, independently, by ``vobject``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.test import Client

from apps.community.models import Event, Initiative
from apps.places.models import Place

from .conftest import World
from .test_initiatives import published

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Europe/Brussels")


def event_data(**fields: Any) -> dict[str, Any]:
    return {"title": "Taalcafé", "description": "Elke week praten.", "starts_on": "2027-03-16", "start_time": "14:00",
            "duration_minutes": "120", "repeat": "weekly", "repeat_until": "2027-04-27",
            "address": "Bevrijdingslaan 1", **fields}  # fmt: skip


def with_event(world: World, **fields: Any) -> tuple[Initiative, Event]:
    initiative = published(world)
    answer = world.client("starter").post(f"/nl/initiatives/{initiative.pk}/events/new/", event_data(**fields))
    assert answer.status_code == 302, answer.content.decode()[-3000:]
    return initiative, Event.objects.get()


def feed(url: str) -> tuple[icalendar.Calendar, Any]:
    answer = Client().get(url)
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(answer.content), vobject.readOne(answer.content.decode())


def test_a_weekly_event_keeps_its_hour_across_summer_time_in_both_parsers(world: World, settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Brussels"
    initiative, event = with_event(world)
    first, second = feed(f"/nl/feeds/initiative/{initiative.pk}.ics")
    items = [c for c in first.walk("VEVENT")]
    assert len(items) == 1
    item = items[0]
    assert str(item["UID"]) == event.uid and int(item["SEQUENCE"]) == 0 and str(item["STATUS"]) == "CONFIRMED"
    start = item.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Brussels" and start.hour == 14
    assert first.walk("VTIMEZONE"), "the zone is described in the feed"
    # vobject expands the weekly rule on its own: every Tuesday at 14:00 Ghent time, 13:00 or 12:00 UTC
    starts = list(second.vevent.getrruleset())
    assert len(starts) == 7 and {s.astimezone(ZONE).strftime("%a %H:%M") for s in starts} == {"Tue 14:00"}
    assert sorted({s.astimezone(ZoneInfo("UTC")).hour for s in starts}) == [12, 13]
    assert str(second.vevent.uid.value) == event.uid


def test_a_change_raises_the_sequence_and_keeps_the_uid_an_unchanged_save_does_not(world: World) -> None:
    initiative, event = with_event(world)
    client = world.client("starter")
    assert client.post(f"/nl/whats-on/{event.pk}/edit/", event_data()).status_code == 302
    event.refresh_from_db()
    assert event.sequence == 0
    assert client.post(f"/nl/whats-on/{event.pk}/edit/", event_data(start_time="15:00")).status_code == 302
    parsed, _v = feed(f"/nl/feeds/initiative/{initiative.pk}.ics")
    item = next(iter(parsed.walk("VEVENT")))
    assert (str(item["UID"]), int(item["SEQUENCE"]), item.decoded("DTSTART").hour) == (event.uid, 1, 15)


def test_a_cancelled_date_is_an_exdate_and_a_cancelled_event_is_sent_as_cancelled(world: World) -> None:
    initiative, event = with_event(world)
    client = world.client("starter")
    client.post(f"/nl/whats-on/{event.pk}/cancel/", {"day": "2027-03-30"})
    refused = client.post(f"/nl/whats-on/{event.pk}/cancel/", {"day": "2027-03-31"}, follow=True)
    assert "niet plaats op die datum" in refused.content.decode()
    _p, parsed = feed(f"/nl/feeds/initiative/{initiative.pk}.ics")
    starts = [s.astimezone(ZONE).date() for s in parsed.vevent.getrruleset()]
    assert date(2027, 3, 30) not in starts and len(starts) == 6
    client.post(f"/nl/whats-on/{event.pk}/cancel/")
    event.refresh_from_db()
    assert event.status == "cancelled" and event.sequence == 2
    ical, _v = feed(f"/nl/feeds/district/{world.district.number}.ics")
    item = next(iter(ical.walk("VEVENT")))
    assert str(item["STATUS"]) == "CANCELLED" and int(item["SEQUENCE"]) == 2


def test_whats_on_lists_the_next_weeks_per_district(world: World, settings: Any) -> None:
    from django.utils import timezone

    initiative = published(world)
    today = timezone.localdate()
    world.client("starter").post(f"/nl/initiatives/{initiative.pk}/events/new/", event_data(
        title="Soepmiddag", starts_on=today.isoformat(), start_time="23:45", duration_minutes="15", repeat="none",
        repeat_until=""))  # fmt: skip
    page = Client().get(f"/nl/whats-on/?district={world.district.pk}").content.decode()
    assert "Soepmiddag" in page and f"/nl/feeds/district/{world.district.number}.ics" in page
    assert "Soepmiddag" not in Client().get(f"/nl/whats-on/?district={world.other_district.pk}").content.decode()
    assert Client().get("/nl/whats-on/?district=abc").status_code == 400


def test_only_the_starter_of_a_published_initiative_publishes_and_reviewers_may_cancel(world: World) -> None:
    initiative, event = with_event(world)
    for who in ("resident", "other_coordinator"):
        client = world.client(who)
        assert client.post(f"/nl/initiatives/{initiative.pk}/events/new/", event_data()).status_code in (403, 404)
        assert client.post(f"/nl/whats-on/{event.pk}/edit/", event_data(title="Weg")).status_code == 404
        assert client.post(f"/nl/whats-on/{event.pk}/cancel/").status_code == 404
    event.refresh_from_db()
    assert (event.title, event.status) == ("Taalcafé", "scheduled")
    assert world.client("coordinator").post(f"/nl/whats-on/{event.pk}/cancel/").status_code == 302
    event.refresh_from_db()
    assert event.status == "cancelled"
    Initiative.objects.filter(pk=initiative.pk).update(status="returned")
    assert world.client("starter").post(f"/nl/initiatives/{initiative.pk}/events/new/", event_data()).status_code == 404
    assert Client().get(f"/nl/feeds/initiative/{initiative.pk}.ics").status_code == 404
    assert Client().get(f"/nl/whats-on/{event.pk}/").status_code == 404, "not public while returned"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"duration_minutes": "5"}, "van 15 minuten tot 24 uur"),
        ({"repeat_until": ""}, "tot wanneer het herhaalt"),
        ({"repeat_until": "2027-03-01"}, "niet stoppen met herhalen voor het begint"),
        ({"repeat_until": "2030-01-01"}, "hoogstens twee jaar"),
        ({"starts_on": "16/13/2027"}, "dd/mm/jjjj"),
        ({"start_time": "25:00"}, "uu:mm"),
        ({"address": ""}, "Kies een plaats of geef een adres"),
        ({"place": "other"}, "Kies een van de getoonde plaatsen"),
        ({"title": "Taal\x00café"}, "Null-tekens"),
    ],
)
def test_bad_input_gets_a_message_and_stores_nothing(world: World, fields: dict[str, str], message: str) -> None:
    initiative = published(world)
    if fields.get("place") == "other":
        place = Place.objects.create(name="Elders", slug="elders", kind="other", street="Elders", house_number="1",
                                     postcode="9000", lat=51.03, lon=3.75, district=world.other_district)  # fmt: skip
        fields = {"place": str(place.pk)}
    answer = world.client("starter").post(f"/nl/initiatives/{initiative.pk}/events/new/", event_data(**fields))
    assert answer.status_code == 400
    assert message in answer.content.decode(), answer.content.decode()[-3000:]
    assert not Event.objects.exists()


def test_unknown_feeds_answer_404(world: World) -> None:
    assert Client().get("/nl/feeds/district/999.ics").status_code == 404
    assert Client().get("/nl/feeds/place/nowhere.ics").status_code == 404
    _initiative, _event = with_event(world)
    draft = Initiative.objects.create(title="Nog niet", summary="x", organiser="residents", audience=["everyone"],
                                      district=world.district, starter=world.starter)  # fmt: skip
    assert Client().get(f"/nl/feeds/initiative/{draft.pk}.ics").status_code == 404


def test_the_event_page_says_when_in_local_time(world: World) -> None:
    _initiative, event = with_event(world)
    page = Client().get(f"/nl/whats-on/{event.pk}/").content.decode()
    assert "14:00" in page and "Taalcafé" in page
    assert datetime(2027, 3, 16, 14, tzinfo=ZONE).isoformat()[:16] in page or "16 maart 2027" in page


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2020-01-01"])
def test_a_date_far_away_is_refused_so_no_feed_breaks(world: World, day: str) -> None:
    """An attacker review: an event on 31 December 9999 at 23:30 made "What's on" and every feed answer 500."""
    initiative = published(world)
    answer = world.client("starter").post(f"/nl/initiatives/{initiative.pk}/events/new/",
                                          event_data(starts_on=day, start_time="23:30", repeat="none",
                                                     repeat_until=""))  # fmt: skip
    assert answer.status_code == 400 and "vijf jaar vooruit" in answer.content.decode()
    assert not Event.objects.exists()
    assert Client().get("/nl/whats-on/").status_code == 200


def test_the_events_of_a_returned_or_ended_initiative_are_not_changed_by_its_starter(world: World) -> None:
    initiative, event = with_event(world)
    Initiative.objects.filter(pk=initiative.pk).update(status="returned")
    assert world.client("starter").post(f"/nl/whats-on/{event.pk}/edit/", event_data(title="Weg")).status_code == 404
    Initiative.objects.filter(pk=initiative.pk).update(status="ended")
    assert world.client("starter").post(f"/nl/whats-on/{event.pk}/edit/", event_data(title="Weg")).status_code == 404
    event.refresh_from_db()
    assert event.title == "Taalcafé"


def test_a_title_with_a_line_break_is_refused_and_reviewers_cancel_but_do_not_rewrite(world: World) -> None:
    """A line break in a title would break every email about the event (an attacker review); the district's
    reviewers may cancel an initiative's event, its starter alone changes it."""
    from django.urls import reverse

    found = published(world)
    url = reverse("community:event_new", args=[found.pk])
    answer = world.client("starter").post(url, {**event_data(), "title": "Taal\r\nBcc: evil@example.com"})
    assert answer.status_code == 400 and not Event.objects.exists()
    world.client("starter").post(url, event_data())
    event = Event.objects.get()
    assert world.client("coordinator").get(reverse("community:event_edit", args=[event.pk])).status_code == 404
    world.client("coordinator").post(reverse("community:event_cancel", args=[event.pk]))
    assert Event.objects.get().status == "cancelled"
