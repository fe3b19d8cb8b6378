"""The API of community life (issue 18, item 5): published things for everyone, drafts and contacts and support
requests only for who may see them on the pages, and bad input a 422 with a message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import time, timedelta

import pytest
from django.utils import timezone, translation

from apps.community.models import Event, Initiative, Material, SupportRequest

from .conftest import World

pytestmark = pytest.mark.django_db
API = "/api/v1/community"


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def initiatives(world: World) -> dict[str, Initiative]:
    common = {"organiser": "residents", "district": world.district, "starter": world.starter,
              "contact_email": "karim@example.org", "contact_phone": "+32470123456"}  # fmt: skip
    published = Initiative.objects.create(
        title="Taalcafé", summary="Praten.", audience=["newcomers", "older_residents"], status="published",
        commitment_signed_at=timezone.now(), intercultural=True, **common,
    )  # fmt: skip
    draft = Initiative.objects.create(title="Buurtsoep", summary="Soep.", audience=["everyone"], **common)
    return {"published": published, "draft": draft}


def test_published_initiatives_are_public_without_their_contact(world: World, initiatives: dict) -> None:  # type: ignore[type-arg]
    anonymous = world.client("anonymous")
    listed = anonymous.get(f"{API}/initiatives", {"district": world.district.number, "tag": "intercultural"}).json()
    assert listed["count"] == 1 and listed["items"][0]["title"] == "Taalcafé"
    assert anonymous.get(f"{API}/initiatives", {"audience": "children"}).json()["count"] == 0
    one = anonymous.get(f"{API}/initiatives/{initiatives['published'].pk}").json()
    assert one["contact"] is None and "karim@example.org" not in str(one)
    # the draft: 404 for the public and other residents, as an id that does not exist
    for who in ("anonymous", "resident", "other_coordinator"):
        assert world.client(who).get(f"{API}/initiatives/{initiatives['draft'].pk}").status_code == 404
    assert world.client("anonymous").get(f"{API}/initiatives/999999").status_code == 404
    for who in ("starter", "coordinator"):
        seen = world.client(who).get(f"{API}/initiatives/{initiatives['draft'].pk}").json()
        assert seen["contact"]["email"] == "karim@example.org", who


def test_bad_filters_are_a_422_with_a_message(world: World, initiatives: dict) -> None:  # type: ignore[type-arg]
    anonymous = world.client("anonymous")
    assert anonymous.get(f"{API}/initiatives", {"district": 99}).json()["count"] == 0  # no such district: nothing
    for query in ({"district": 0}, {"theme": "a b"}, {"audience": "aliens"}, {"limit": 1000},
                  {"words": "x" * 101}, {"offset": -1}, {"tag": "\x00"}):  # fmt: skip
        answer = anonymous.get(f"{API}/initiatives", query)
        assert answer.status_code in (400, 422) and answer.json()["detail"], query
    assert anonymous.get(f"{API}/materials", {"days": 62}).status_code == 422
    assert anonymous.get(f"{API}/materials", {"first": "9999-12-31", "days": 61}).status_code == 200
    assert anonymous.get(f"{API}/events", {"weeks": 9}).status_code == 422


def test_events_of_published_initiatives_are_listed_with_their_calendar_identity(world: World,
                                                                                 initiatives: dict) -> None:  # type: ignore[type-arg]  # fmt: skip
    today = timezone.localdate()
    common = {"district": world.district, "start_time": time(14), "duration_minutes": 120}
    weekly = Event.objects.create(uid="a@example.org", title="Taalcafé", initiative=initiatives["published"],
                                  starts_on=today + timedelta(days=1), repeat="weekly",
                                  repeat_until=today + timedelta(days=60), **common)  # fmt: skip
    Event.objects.create(uid="b@example.org", title="Soep", initiative=initiatives["draft"],
                         starts_on=today + timedelta(days=2), **common)  # fmt: skip
    listed = world.client("anonymous").get(f"{API}/events", {"weeks": 2}).json()
    assert {item["title"] for item in listed["items"]} == {"Taalcafé"} and listed["count"] == 2
    assert listed["items"][0]["starts_at"].endswith(("+01:00", "+02:00"))
    one = world.client("anonymous").get(f"{API}/events/{weekly.pk}").json()
    assert one["uid"] == "a@example.org" and one["sequence"] == 0 and one["next_start"]
    assert world.client("anonymous").get(f"{API}/events/{weekly.pk + 1}").status_code == 404


def test_support_requests_only_for_who_asked_and_who_answers(world: World, initiatives: dict) -> None:  # type: ignore[type-arg]
    tables = Material.objects.create(slug="tables", name_nl="Tafels", name_en="Tables", name_fr="Tables", quantity=8)
    made = SupportRequest.objects.create(
        initiative=initiatives["published"], kind="materials", submitted_by=world.starter,
        needed_from=timezone.localdate() + timedelta(days=10), needed_until=timezone.localdate() + timedelta(days=10),
        answer_due=timezone.localdate() + timedelta(days=14),
    )  # fmt: skip
    made.lines.create(material=tables, quantity=5)
    assert world.client("anonymous").get(f"{API}/support-requests").status_code == 401
    mine = world.client("starter").get(f"{API}/support-requests").json()
    assert [item["id"] for item in mine["items"]] == [made.pk]
    assert world.client("resident").get(f"{API}/support-requests").json()["count"] == 0
    assert world.client("resident").get(f"{API}/support-requests", {"which": "to-answer"}).status_code == 403
    assert world.client("coordinator").get(f"{API}/support-requests", {"which": "to-answer"}).json()["count"] == 1
    assert world.client("other_coordinator").get(f"{API}/support-requests/{made.pk}").status_code == 404
    free = world.client("anonymous").get(f"{API}/materials", {"first": str(made.needed_from), "days": 1}).json()
    assert free == [{"slug": "tables", "name": "Tafels", "quantity": 8, "free": 3, "pick_up": ""}]  # Dutch by default
    # withdrawing is for who asked; the second time is a 409
    assert world.client("coordinator").post(f"{API}/support-requests/{made.pk}/withdraw").status_code == 404
    withdrawn = world.client("starter").post(f"{API}/support-requests/{made.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["materials"] == {"tables": 5}
    assert world.client("starter").post(f"{API}/support-requests/{made.pk}/withdraw").status_code == 409
