"""The district's coordination view (issue 18, item 4), checked on a district with overlaps and gaps placed on
purpose: two events for older residents on Tuesday 14:00 at places 300 m apart overlap, the same at 2 km do not;
two food initiatives on "Kongostraat" and "kongostraat " overlap; no intercultural initiative and no evening
activity for older residents are gaps, and an evening event takes the second away.  The map is well-formed SVG with
its markers; another district's coordinator gets a 404 and cannot mark a follow-up done; bad input stores nothing;
the page's queries do not grow with the district."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import time, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.community import coordination
from apps.community.models import Event, FollowUp, Initiative, Theme
from apps.places.models import Place
from domain.neighbourhood import KIND_GAP_EVENING, KIND_GAP_INTERCULTURAL

from .conftest import World

PAGE = "/en/districts/1/coordination/"
NOTE = "/en/districts/1/coordination/follow-ups/"
SVG = "{http://www.w3.org/2000/svg}"
_n = itertools.count(1)

pytestmark = pytest.mark.django_db


def place(world: World, north_m: float = 0.0) -> Place:
    n = next(_n)
    lat = world.district.interior_lat + north_m / 111_320
    return Place.objects.create(name=f"Zaal {n}", slug=f"zaal-{n}", kind="community_venue", street="Kongostraat",
                                house_number=str(n), postcode="9000", lat=lat, lon=world.district.interior_lon,
                                district=world.district)  # fmt: skip


def initiative(world: World, title: str, *, themes: tuple[str, ...] = (), **fields: object) -> Initiative:
    values: dict[str, object] = {"audience": ["everyone"], "street": "", **fields}
    found = Initiative.objects.create(title=title, summary="…", organiser="residents", district=world.district,
                                      starter=world.starter, status="published",
                                      commitment_signed_at=timezone.now(), **values)  # fmt: skip
    found.themes.set(Theme.objects.filter(slug__in=themes))
    return found


def next_tuesday() -> object:
    today = timezone.localdate()
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7)


def event(world: World, title: str, at: Place | None, *, start: time = time(14), audience: tuple[str, ...] = (
        "older_residents",), owner: Initiative | None = None) -> Event:  # fmt: skip
    owner = owner or initiative(world, f"Van {title}", audience=list(audience))
    return Event.objects.create(uid=f"{title}-{next(_n)}@test", title=title, initiative=owner, district=world.district,
                                place=at, address="" if at else "Kongostraat 3", starts_on=next_tuesday(),
                                start_time=start, duration_minutes=120, audience=list(audience))  # fmt: skip


def keys(world: World) -> set[str]:
    period = coordination.findings_of(world.district)
    return set(period.keys)


def test_overlaps_and_gaps_placed_on_purpose(world: World) -> None:
    a, b, far = place(world), place(world, 300), place(world, -2000)
    first, second, third = event(world, "Koffie", a), event(world, "Kaarten", b), event(world, "Breien", far)
    soup = initiative(world, "Soep", themes=("food",), street="Kongostraat")
    meal = initiative(world, "Buurtmaal", themes=("food",), street="kongostraat ")
    found = keys(world)
    assert f"overlap_events:{first.pk}-{second.pk}" in found, "300 m apart, same time, same people"
    assert not {f"overlap_events:{first.pk}-{third.pk}", f"overlap_events:{second.pk}-{third.pk}"} & found, "2 km"
    assert f"overlap_initiatives:{soup.pk}-{meal.pk}" in found, "the same street, written differently"
    assert KIND_GAP_INTERCULTURAL in found and KIND_GAP_EVENING in found
    assert "gap_theme:language" in found and "gap_theme:food" not in found
    assert "gap_audience:older_residents" not in found and "gap_audience:children" not in found  # "everyone"

    event(world, "Avondwandeling", a, start=time(18, 30))
    initiative(world, "Taalcafé", intercultural=True)
    found = keys(world)
    assert KIND_GAP_EVENING not in found and KIND_GAP_INTERCULTURAL not in found


def test_an_event_with_only_an_address_is_left_out_and_counted(world: World) -> None:
    event(world, "Zonder plaats", None)
    event(world, "Met plaats", place(world))
    period = coordination.findings_of(world.district)
    assert period.without_location == 1
    page = world.client("coordinator").get(PAGE).content.decode()
    assert "1 event has only an address" in page


def _svg(page: str) -> ET.Element:
    match = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="coordination-map".*?</svg>', page, re.S)
    assert match, "the map is on the page"
    return ET.fromstring(match.group(0))


def test_the_page_lists_findings_worst_first_and_draws_them(world: World) -> None:
    first, second = event(world, "Koffie", place(world)), event(world, "Kaarten", place(world, 300))
    initiative(world, "Soep", themes=("food",), street="Kongostraat", place=first.place)
    response = world.client("coordinator").get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    svg = _svg(page)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title") is not None and "Map of" in (svg.find(f"{SVG}title").text or "")  # type: ignore[union-attr]
    assert "squares" in (svg.find(f"{SVG}desc").text or "") or "square" in (svg.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert len(svg.findall(f"{SVG}circle")) == 2, "two events"
    assert len(svg.findall(f"{SVG}rect")) == 1, "one initiative with a place"
    assert len(svg.findall(f"{SVG}line")) == 1 and len(svg.findall(f"{SVG}g")) == 1, "one overlap, numbered"
    order = [page.index(f'id="finding-{key}') for key in ("gap_audience-", "gap_evening_older", "overlap_events-")
             if f'id="finding-{key}' in page]  # fmt: skip
    assert order == sorted(order), "a group left out before an evening gap before an overlap"
    assert f"{first.title}" in page and f"{second.title}" in page


def test_other_capabilities_add_their_counts(world: World) -> None:
    page = world.client("coordinator").get(PAGE).content.decode()
    assert "Support requests waiting" in page
    assert "Open requests for help" in page, "care's fact for the district's coordinator"
    assert "Open outreach cases" in page, "wellbeing's, as its district view may be opened"
    staff_page = world.client("city_staff").get(PAGE).content.decode()
    assert "Open requests for help" not in staff_page, "care's rule is for coordinators"


def test_a_wellbeing_count_below_the_threshold_is_shown_as_fewer_than_ten(world: World) -> None:
    """The wellbeing district view's disclosure control: a count from 1 to 9 is "fewer than 10"."""
    with mock.patch("apps.wellbeing.district_view.open_cases_count", return_value=3):
        page = world.client("coordinator").get(PAGE).content.decode()
    assert re.search(r"Open outreach cases</a></dt><dd>fewer than 10</dd>", page)


def test_an_outreach_total_that_would_tell_a_hidden_count_is_left_out(world: World) -> None:
    from apps.wellbeing.district_view import open_cases_count
    from apps.wellbeing.models import OutreachCase

    assert open_cases_count(world.district) == 0
    with mock.patch.object(OutreachCase.objects, "filter") as rows:
        now = timezone.now()
        opened = [now] * 12 + [now - timedelta(days=40)] * 2  # 12 this week, 2 older (hidden on its page)
        rows.return_value.exclude.return_value.values_list.return_value = opened
        assert open_cases_count(world.district) is None
        rows.return_value.exclude.return_value.values_list.return_value = [now] * 12
        assert open_cases_count(world.district) == 12


def test_a_follow_up_is_noted_shown_and_marked_done(world: World) -> None:
    client = world.client("coordinator")
    response = client.post(NOTE, {"finding": KIND_GAP_EVENING, "text": "Ask the service centre"})
    assert response.status_code == 302
    note = FollowUp.objects.get()
    assert (note.by, note.district, note.finding) == (world.coordinator, world.district, KIND_GAP_EVENING)
    assert note.summary.startswith("Nothing for older residents in the evening")
    assert "Ask the service centre" in client.get("/en/").content.decode(), "on their home page"

    event(world, "Avondwandeling", place(world), start=time(19))
    page = client.get(PAGE).content.decode()
    assert "No longer found" in page and "Ask the service centre" in page, "kept, marked, not gone"
    assert f'action="/en/districts/1/coordination/follow-ups/{note.pk}/done/"' in page, "their Done button"

    other = world.client("other_coordinator")
    assert other.get(PAGE).status_code == 404
    assert other.post(f"{NOTE}{note.pk}/done/").status_code == 404
    assert world.client("resident").post(f"{NOTE}{note.pk}/done/").status_code == 403
    note.refresh_from_db()
    assert note.done_at is None
    assert world.client("city_staff").post(f"{NOTE}{note.pk}/done/").status_code == 302, "another reviewer"
    note.refresh_from_db()
    assert note.done_at is not None
    assert client.post(f"{NOTE}{note.pk}/done/").status_code == 404, "not twice"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"finding": KIND_GAP_EVENING, "text": "Bel\x00haar"}, "null character"),
        ({"finding": KIND_GAP_EVENING, "text": "x" * 100_000}, "At most 1,000 characters"),
        ({"finding": KIND_GAP_EVENING, "text": "   "}, "Say what is to be done"),
        ({"finding": "gap_theme:nothing-like-it", "text": "Talk"}, "not on the page"),
        ({"text": "Talk"}, "Choose an overlap or a gap"),
    ],
)
def test_bad_input_stores_nothing_and_says_why(world: World, data: dict[str, str], message: str) -> None:
    client = world.client("coordinator")
    response = client.post(NOTE, data, follow=True)
    assert message in response.content.decode()
    assert not FollowUp.objects.exists()


def test_another_districts_coordinator_cannot_note_here(world: World) -> None:
    response = world.client("other_coordinator").post(NOTE, {"finding": KIND_GAP_EVENING, "text": "Talk"})
    assert response.status_code == 404
    assert not FollowUp.objects.exists()


def test_the_index_shows_a_one_district_reviewer_their_district_straight_away(world: World) -> None:
    response = world.client("coordinator").get("/en/districts/all/coordination/")
    assert response.status_code == 200 and f"Coordination of {world.district.name}" in response.content.decode()
    everywhere = world.client("city_staff").get("/en/districts/all/coordination/")
    assert everywhere.status_code == 200 and "/en/districts/3/coordination/" in everywhere.content.decode()
    assert world.client("resident").get("/en/districts/all/coordination/").status_code == 403


def _fill(world: World, count: int) -> None:
    spot = place(world)
    for n in range(count):
        owner = initiative(world, f"Initiatief {n}", themes=("food",), street=f"Straat {n % 7}", place=spot)
        event(world, f"Activiteit {n}", spot if n % 2 else None, owner=owner, start=time(10 + n % 10))
    FollowUp.objects.create(district=world.district, finding=KIND_GAP_EVENING, summary="s", text="t",
                            by=world.coordinator)  # fmt: skip


def _queries(world: World) -> int:
    client = world.client("coordinator")
    client.get(PAGE)  # sessions and caches warm
    with CaptureQueriesContext(connection) as context:
        assert client.get(PAGE).status_code == 200
    return len(context.captured_queries)


def test_the_page_makes_as_many_queries_for_50_as_for_5(world: World) -> None:
    _fill(world, 5)
    few = _queries(world)
    _fill(world, 45)
    assert _queries(world) == few
