"""What's on (issue 18, items 3 and 6): the dates of public events from the database, filtered and paged, with the
same number of queries however many events there are; the dates follow every change of an event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from apps.access.actors import actor_for_user
from apps.community import events
from apps.community.models import Event, Initiative, Occurrence

from .conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def initiative(world: World, status: str = "published") -> Initiative:
    return Initiative.objects.create(
        title="Taalcafé", summary="x", organiser="residents", audience=["everyone"], district=world.district,
        starter=world.starter, status=status, commitment_signed_at=timezone.now(),
    )  # fmt: skip


def event(owner: Initiative | None, n: int, **fields: object) -> Event:
    values = {"district": owner.district if owner else None, "starts_on": timezone.localdate() + timedelta(days=1),
              "start_time": time(14), "duration_minutes": 60, **fields}  # fmt: skip
    return Event.objects.create(uid=f"e{n}@example.org", title=f"Event {n}", initiative=owner, **values)


def listed(world: World, **query: object) -> list[str]:
    page = world.client("anonymous").get(reverse("community:whats_on"), query)
    assert page.status_code == 200, page.content[:300]
    return [row["event"].title for row in page.context["rows"]]


def test_filters_and_paging(world: World) -> None:
    published = initiative(world)
    today = timezone.localdate()
    event(published, 1, audience=["older_residents"], wheelchair_accessible=True)
    event(published, 2, audience=["children"], starts_on=today + timedelta(days=10))
    event(initiative(world, status="draft"), 3)  # a draft's event is nobody's business yet
    event(None, 4, district=world.other_district)  # the city's own event, elsewhere
    assert listed(world) == ["Event 1", "Event 4", "Event 2"]
    assert listed(world, audience="older_residents") == ["Event 1", "Event 4"]  # no audience said: for everyone
    assert listed(world, wheelchair="on") == ["Event 1"]
    assert listed(world, district=world.other_district.pk) == ["Event 4"]
    assert listed(world, first_day=(today + timedelta(days=5)).strftime("%d/%m/%Y")) == ["Event 2"]
    for bad in ({"audience": "aliens"}, {"first_day": "31/12/9999"}, {"district": "x"}, {"first_day": "NaN"}):
        assert world.client("anonymous").get(reverse("community:whats_on"), bad).status_code == 400, bad
    weekly = event(published, 5, repeat="weekly", repeat_until=today + timedelta(days=1, weeks=30))
    assert weekly.occurrences.count() == 31
    page = world.client("anonymous").get(reverse("community:whats_on"), {"page": 2})
    assert len(page.context["rows"]) == 14 and page.context["page"].paginator.count == 34


def test_dates_follow_every_change_of_an_event(world: World) -> None:
    published = initiative(world)
    today = timezone.localdate()
    weekly = event(published, 1, repeat="weekly", repeat_until=today + timedelta(days=1, weeks=3))
    starter = actor_for_user(world.starter.user)
    second = weekly.starts_on + timedelta(weeks=1)
    events.event_cancel(actor=starter, event=weekly, day=second)
    assert list(weekly.occurrences.values_list("day", flat=True)) == [
        weekly.starts_on, weekly.starts_on + timedelta(weeks=2), weekly.starts_on + timedelta(weeks=3)]  # fmt: skip
    fields = {key: getattr(weekly, key) for key in events.MATTERS}
    events.event_update(actor=starter, event=weekly, fields={**fields, "start_time": time(19, 30)})
    assert {timezone.localtime(o.starts_at).time() for o in weekly.occurrences.all()} == {time(19, 30)}
    events.event_cancel(actor=starter, event=Event.objects.get(pk=weekly.pk))
    assert not Occurrence.objects.filter(event=weekly).exists()
    # the initiative ends: its events leave What's on
    other = event(published, 2)
    published.status = "ended"
    published.save(update_fields=["status", "updated_at"])
    assert listed(world) == [] and other.occurrences.count() == 1


def test_the_number_of_queries_does_not_grow_with_the_events(world: World) -> None:
    published = initiative(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            world.client("anonymous").get(reverse("community:whats_on"), {"district": world.district.pk})
        return len(queries)

    for n in range(3):
        event(published, n, capacity=10)
    few = count()
    for n in range(3, 60):
        event(published, n, capacity=10 if n % 2 else None, repeat="weekly",
              repeat_until=timezone.localdate() + timedelta(weeks=8))  # fmt: skip
    assert count() == few


def test_a_kept_feed_changes_with_its_events_and_answers_304_to_the_same_version(world: World) -> None:
    from django.core.cache import cache

    cache.clear()
    published = initiative(world)
    weekly = event(published, 1, repeat="weekly", repeat_until=timezone.localdate() + timedelta(weeks=4))
    url = reverse("community:feed_district", args=[world.district.number])
    visitor = world.client("anonymous")
    first = visitor.get(url)
    assert b"SUMMARY:Event 1" in first.content and first["ETag"]
    assert visitor.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    starter = actor_for_user(world.starter.user)
    fields = {key: getattr(weekly, key) for key in events.MATTERS}
    events.event_update(actor=starter, event=weekly, fields={**fields, "title": "Taalcafé op dinsdag"})
    second = visitor.get(url, headers={"If-None-Match": first["ETag"]})
    assert second.status_code == 200 and b"SUMMARY:Taalcaf" in second.content and b"SEQUENCE:1" in second.content
    # the initiative ends: its events leave the feed at once, though nothing of the events changed
    Initiative.objects.filter(pk=published.pk).update(status="ended", updated_at=timezone.now())
    assert b"VEVENT" not in visitor.get(url).content
