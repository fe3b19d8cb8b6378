"""The care API (issue 6, item 8): the same rules as the pages, in JSON.

Happy paths with the demo users; another person's request or match answers exactly like an id that
does not exist, and the attempt is in the access log; a helper who has not accepted sees nothing
personal (in the answers and in the OpenAPI document itself); bad input and a second acceptance get
a clear message and change nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openapi_spec_validator import validate

from apps.access.models import AccessLogEntry
from apps.care import services
from apps.care.models import CareRequest, HelperOffer, Match, MatchingRound
from apps.people.models import Person, Purpose, Role

from .conftest import CareWorld, consent, grant, local, make_person, snapshot, tomorrow_at

pytestmark = pytest.mark.django_db

API = "/api/v1/care"
TAKEN = "Another helper has already accepted this request. Thank you all the same!"
# what must never reach a helper before they accept (nor anyone without the right to it)
PERSONAL_FIELDS = {
    "person_id", "person_name", "first_name", "last_name", "phone", "email", "street", "house_number",
    "postcode", "address", "description", "lat", "lon", "visit", "support_needs", "birth_date",
}  # fmt: skip


def english(client: Client) -> Client:
    """Messages are compared in English (the request's language decides)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def put(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


def window(start: Any, end: Any) -> dict[str, str]:
    return {"start": start.isoformat(), "end": end.isoformat()}


def denied(person: Person, request_id: int) -> int:
    """How many refused attempts of this person on this request the access log holds."""
    return AccessLogEntry.objects.filter(
        actor_person_id=person.pk, record_type="care.CareRequest", record_id=str(request_id), outcome="denied"
    ).count()


def allowed_reads(person: Person, request_id: int) -> int:
    return AccessLogEntry.objects.filter(
        actor_person_id=person.pk, record_type="care.CareRequest", record_id=str(request_id), outcome="allowed"
    ).count()


@pytest.fixture
def api_as(client_as: Callable[[str], Client]) -> Callable[[str], Client]:
    """A demo user's client that reads the API in English."""
    return lambda role: english(client_as(role))


@pytest.fixture
def api_for(client_for: Callable[[Person], Client]) -> Callable[[Person], Client]:
    """A care-world person's client that reads the API in English."""
    return lambda person: english(client_for(person))


@pytest.fixture
def proposal(demo_city: None, person_of: Callable[[str], Person]) -> Match:
    """The demo's proposal waiting for Yasmine's answer: Rosa's open shopping request."""
    return Match.objects.get(
        status=Match.Status.PROPOSED, helper__person=person_of(Role.HELPER), request__person=person_of(Role.RESIDENT)
    )


# --- the document --------------------------------------------------------------------------------------------


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


CARE_OPERATIONS = {
    ("get", "/care/categories"), ("get", "/care/requests/mine"), ("post", "/care/requests"),
    ("get", "/care/requests/near-me"), ("get", "/care/requests/{request_id}"),
    ("post", "/care/requests/{request_id}/cancel"), ("post", "/care/requests/{request_id}/take"),
    ("get", "/care/requests/{request_id}/suggestions"), ("get", "/care/requests/{request_id}/explain/{helper_id}"),
    ("post", "/care/requests/{request_id}/propose"), ("get", "/care/matches"), ("get", "/care/matches/{match_id}"),
    *{("post", f"/care/matches/{{match_id}}/{action}")
      for action in ("accept", "decline", "plan", "done", "cancel", "feedback", "check")},
    ("get", "/care/offer"), ("put", "/care/offer"), ("post", "/care/offer/away"),
    ("delete", "/care/offer/away/{away_id}"), ("get", "/care/rounds"), ("post", "/care/rounds"),
    ("get", "/care/rounds/{round_id}"), ("post", "/care/rounds/{round_id}/confirm"), ("get", "/care/worklist"),
}  # fmt: skip


def test_openapi_document_validates_and_lists_the_care_endpoints(document: dict[str, Any]) -> None:
    validate(document)
    listed = {
        (method, path.removeprefix("/api/v1"))
        for path, operations in document["paths"].items()
        if path.startswith("/api/v1/care/")
        for method in operations
    }
    assert listed == CARE_OPERATIONS
    for method, path in CARE_OPERATIONS - {("get", "/care/categories")}:
        declared = set(document["paths"][f"/api/v1{path}"][method]["responses"])
        assert {"401", "403", "404", "422"} <= declared, f"{method} {path} declares {declared}"


def _fields(document: dict[str, Any], name: str, public: set[str], seen: set[str] | None = None) -> set[str]:
    """Every property name reachable from a component, except inside the public ones (category, district)."""
    seen = seen if seen is not None else set()
    if name in seen or name in public:
        return set()
    seen.add(name)
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.update(_fields(document, ref.rsplit("/", 1)[-1], public, seen))
            found.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document["components"]["schemas"][name])
    return found


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def test_the_helpers_view_before_accepting_has_no_personal_field_in_the_document(document: dict[str, Any]) -> None:
    """Category and district are public (GET /care/categories, /districts); nothing else may name a person."""
    public = {"CategoryOut", "DistrictRefOut"}
    near_me = document["paths"]["/api/v1/care/requests/near-me"]["get"]["responses"]["200"]
    items = near_me["content"]["application/json"]["schema"]["items"]
    assert _ref(items) == "NearbyRequestOut"
    assert _ref(document["components"]["schemas"]["NearbyRequestOut"]["properties"]["request"]) == "RequestSummaryOut"
    for name in ("NearbyRequestOut", "RequestSummaryOut"):
        leaked = _fields(document, name, public) & PERSONAL_FIELDS
        assert leaked == set(), f"{name} has personal fields {leaked}"
    # the list of a helper's matches names only the helper (their own first name), never the person
    assert _fields(document, "MatchPageOut", public) & PERSONAL_FIELDS == {"first_name"}
    # the walk does see personal fields where they belong, so the checks above can fail
    assert {"street", "description", "person_name"} <= _fields(document, "RequestOut", public)
    assert {"visit", "phone", "street"} <= _fields(document, "MatchOut", public)


# --- categories ----------------------------------------------------------------------------------------------


def test_categories_are_public_and_named_in_the_requests_language(care_world: CareWorld, client: Client) -> None:
    in_french = client.get(f"{API}/categories", HTTP_ACCEPT_LANGUAGE="fr")
    assert in_french.status_code == 200
    by_code = {c["code"]: c for c in in_french.json()}
    assert by_code["shopping"]["name"] == "Courses"
    assert by_code["nursing"] == {
        "code": "nursing",
        "name": "Soins infirmiers",
        "description": "",
        "professional": True,
    }
    in_dutch = client.get(f"{API}/categories", HTTP_ACCEPT_LANGUAGE="nl").json()
    assert {c["code"]: c["name"] for c in in_dutch}["shopping"] == "Boodschappen"


# --- requests ------------------------------------------------------------------------------------------------


def test_resident_asks_reads_and_cancels_their_own_request(
    api_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    rosa, client = person_of(Role.RESIDENT), api_as(Role.RESIDENT)
    start = tomorrow_at(10)
    body = {
        "category": "shopping",
        "description": "Soep en brood.",
        "windows": [window(start, start + timedelta(hours=2))],
        "languages": ["nl"],
        "urgency": 4,
    }
    created = post(client, f"{API}/requests", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["person_id"] == rosa.pk
    assert (data["street"], data["channel"], data["status"]) == (rosa.street, "online", "open")
    assert data["urgency_label"] == "Soon"
    assert data["windows"] == [{"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}]

    mine = client.get(f"{API}/requests/mine?limit=2").json()
    assert mine["count"] == 4  # the demo's three and this one
    assert mine["items"][0]["id"] == data["id"]
    assert len(mine["items"]) == 2

    detail = client.get(f"{API}/requests/{data['id']}")
    assert detail.status_code == 200
    assert detail.json()["description"] == "Soep en brood."
    assert allowed_reads(rosa, data["id"]) == 0  # reading one's own request is not logged

    blank = post(client, f"{API}/requests/{data['id']}/cancel", {"reason": "  "})
    assert (blank.status_code, blank.json()) == (422, {"detail": "Say why the request is cancelled."})
    assert CareRequest.objects.get(pk=data["id"]).status == CareRequest.Status.OPEN
    cancelled = post(client, f"{API}/requests/{data['id']}/cancel", {"reason": "Mijn dochter komt."})
    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    again = post(client, f"{API}/requests/{data['id']}/cancel", {"reason": "Nog eens."})
    assert (again.status_code, again.json()) == (409, {"detail": "This request is already closed."})


def test_coordinator_takes_a_request_by_phone_and_the_read_back_is_logged(
    api_as: Callable[[str], Client], person_of: Callable[[str], Person], resident_in_coordinators_district: Person
) -> None:
    person, tom = resident_in_coordinators_district, person_of(Role.COORDINATOR)
    if not person.consents.filter(purpose=Purpose.CARE_MATCHING, withdrawn_at__isnull=True).exists():
        consent(person, Purpose.CARE_MATCHING)
    start = tomorrow_at(14)
    body = {"person_id": person.pk, "category": "company", "windows": [window(start, start + timedelta(hours=3))]}
    created = post(api_as(Role.COORDINATOR), f"{API}/requests", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["person_id"], data["channel"], data["district"]["id"]) == (person.pk, "phone", person.district_id)
    assert allowed_reads(tom, data["id"]) == 1


def test_coordinator_cannot_ask_for_someone_they_do_not_coordinate(
    api_as: Callable[[str], Client], resident_elsewhere: Person
) -> None:
    client, before = api_as(Role.COORDINATOR), CareRequest.objects.count()
    start = tomorrow_at(14)
    body = {"category": "company", "windows": [window(start, start + timedelta(hours=3))]}
    stranger = post(client, f"{API}/requests", {**body, "person_id": resident_elsewhere.pk})
    missing = post(client, f"{API}/requests", {**body, "person_id": 2_000_000_000})
    assert (
        (stranger.status_code, stranger.json())
        == (missing.status_code, missing.json())
        == (404, {"detail": "Not found."})
    )
    assert CareRequest.objects.count() == before
    assert AccessLogEntry.objects.filter(
        subject_person_id=resident_elsewhere.pk, record_type="people.Person", outcome="denied"
    ).exists()


def test_bad_input_gets_a_clear_message_and_changes_nothing(api_as: Callable[[str], Client]) -> None:
    client = api_as(Role.RESIDENT)
    tomorrow, yesterday = tomorrow_at(10), tomorrow_at(10) - timedelta(days=2)
    good = {"category": "shopping", "windows": [window(tomorrow, tomorrow + timedelta(hours=2))]}
    cases = [
        ({"windows": [window(yesterday, yesterday + timedelta(hours=2))]}, "A time window lies in the past."),
        ({"windows": [window(tomorrow, tomorrow - timedelta(hours=1))]}, "A time window ends before it starts."),
        ({"preferred_helper_ids": [2_000_000_000]}, "Unknown helper among the preferred helpers."),
        ({"category": "juggling"}, "Unknown kind of help: juggling."),
        ({"recurrence": "weekly"}, "Say until when the help should repeat."),
        ({"duration_minutes": 600}, "The help takes between 15 minutes and 8 hours."),
    ]
    before = snapshot()
    for change, message in cases:
        response = post(client, f"{API}/requests", {**good, **change})
        assert (response.status_code, response.json()) == (422, {"detail": message}), change
    naive = post(
        client, f"{API}/requests", {**good, "windows": [{"start": "2030-01-01T10:00", "end": "2030-01-01T12:00"}]}
    )
    assert naive.status_code == 422
    assert naive.json()["detail"] == "payload.windows.0.start: Input should have timezone info"
    assert snapshot() == before


# --- the helper ----------------------------------------------------------------------------------------------


def test_near_me_shows_what_and_where_roughly_never_who(
    api_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    response = api_as(Role.HELPER).get(f"{API}/requests/near-me")
    assert response.status_code == 200
    found = response.json()
    assert found, "the demo helper has requests near her"
    summary_keys = {"id", "category", "district", "duration_minutes", "recurrence", "repeat_until", "languages",
                    "urgency", "urgency_label", "requires_vetted", "windows"}  # fmt: skip
    for item in found:
        assert set(item) == {"request", "approximate_distance_km", "fits_from", "fits_until"}
        assert set(item["request"]) == summary_keys
        assert item["approximate_distance_km"] * 2 == int(item["approximate_distance_km"] * 2)
    text = response.content.decode()
    for request in CareRequest.objects.filter(pk__in=[i["request"]["id"] for i in found]).select_related("person"):
        for secret in (request.description, request.street, request.person.last_name):
            assert secret not in text
    assert AccessLogEntry.objects.filter(actor_person_id=person_of(Role.HELPER).pk).count() == 0


def test_near_me_is_for_helpers(api_as: Callable[[str], Client]) -> None:
    response = api_as(Role.RESIDENT).get(f"{API}/requests/near-me")
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "Only helpers see requests near them. Offer help first."},
    )


def test_take_twice_one_helper_gets_it_the_other_a_clear_409(
    care_world: CareWorld, care_request: CareRequest, make_helper: Callable[..., HelperOffer],
    api_for: Callable[[Person], Client],
) -> None:  # fmt: skip
    late = make_helper(care_world.district, name="Zoë")
    first = post(api_for(care_world.helper), f"{API}/requests/{care_request.pk}/take")
    assert first.status_code == 200, first.content
    taken = first.json()
    assert (taken["status"], taken["helper"]["id"]) == ("accepted", care_world.offer.pk)
    # once accepted, the helper sees where to go; that read is in the access log
    assert taken["visit"]["street"] == care_request.street
    assert allowed_reads(care_world.helper, care_request.pk) == 1
    before = snapshot()
    second = post(api_for(late.person), f"{API}/requests/{care_request.pk}/take")
    assert (second.status_code, second.json()) == (409, {"detail": TAKEN})
    assert snapshot() == before
    assert Match.objects.filter(request=care_request).count() == 1


def test_helper_answers_a_proposal_plans_and_logs_the_visit(
    api_as: Callable[[str], Client], person_of: Callable[[str], Person], proposal: Match
) -> None:
    yasmine, rosa, helper = person_of(Role.HELPER), person_of(Role.RESIDENT), api_as(Role.HELPER)
    url = f"{API}/matches/{proposal.pk}"

    before = helper.get(url)
    assert before.status_code == 200
    assert before.json()["visit"] is None
    for secret in (rosa.last_name, proposal.request.street, proposal.request.description):
        assert secret not in before.content.decode()

    accepted = post(helper, f"{url}/accept")
    assert accepted.status_code == 200, accepted.content
    visit = accepted.json()["visit"]
    assert (visit["person_name"], visit["street"]) == (f"{rosa.first_name} {rosa.last_name}", proposal.request.street)
    assert allowed_reads(yasmine, proposal.request_id) == 1

    unchanged = snapshot()
    again = post(helper, f"{url}/accept")
    assert (again.status_code, again.json()) == (
        409,
        {"detail": "This proposal has already been answered or withdrawn."},
    )
    backwards = post(helper, f"{url}/plan", window(tomorrow_at(11), tomorrow_at(10)))
    assert (backwards.status_code, backwards.json()) == (422, {"detail": "The end lies before the start."})
    assert snapshot() == unchanged

    start = tomorrow_at(15)  # the demo helper visits Rosa tomorrow at 10: two visits of one helper never overlap
    planned = post(helper, f"{url}/plan", window(start, start + timedelta(hours=1)))
    assert (planned.status_code, planned.json()["status"]) == (200, "planned")
    assert planned.json()["planned_start"] == start.isoformat()
    too_early = post(helper, f"{url}/done", {"hours": 1})
    assert too_early.status_code == 422
    # the visit took place (a session cannot survive a jump of a day in the clock, so the visit moves back)
    Match.objects.filter(pk=proposal.pk).update(
        planned_start=timezone.now() - timedelta(hours=2), planned_end=timezone.now() - timedelta(hours=1)
    )
    done = post(helper, f"{url}/done", {"hours": 1.5, "feedback": "Fijn gesprek."})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["hours"]) == ("done", 1.5)
    assert [e["to_status"] for e in done.json()["events"]][-3:] == ["accepted", "planned", "done"]

    feedback = post(
        api_as(Role.RESIDENT), f"{url}/feedback", {"feedback": "Heel vriendelijk.", "same_helper_again": True}
    )
    assert (feedback.status_code, feedback.json()["resident_feedback"]) == (200, "Heel vriendelijk.")

    mine = helper.get(f"{API}/matches?status=done").json()
    assert proposal.pk in [m["id"] for m in mine["items"]]
    assert all("visit" not in m for m in mine["items"])


def test_helper_declines_with_a_reason(
    care_world: CareWorld, care_request: CareRequest, api_for: Callable[[Person], Client]
) -> None:
    match = services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=care_world.offer)
    client = api_for(care_world.helper)
    before = snapshot()
    blank = post(client, f"{API}/matches/{match.pk}/decline", {"reason": ""})
    assert (blank.status_code, blank.json()) == (
        422,
        {"detail": "Say briefly why, so the coordinator can find someone else."},
    )
    assert snapshot() == before
    declined = post(client, f"{API}/matches/{match.pk}/decline", {"reason": "Examens."})
    assert (declined.status_code, declined.json()["status"], declined.json()["decline_reason"]) == (
        200,
        "declined",
        "Examens.",
    )


def test_resident_cancels_a_planned_visit(api_as: Callable[[str], Client], person_of: Callable[[str], Person]) -> None:
    planned = Match.objects.get(status=Match.Status.PLANNED, request__person=person_of(Role.RESIDENT))
    response = post(api_as(Role.RESIDENT), f"{API}/matches/{planned.pk}/cancel", {"reason": "Ik ben ziek."})
    assert (response.status_code, response.json()["status"]) == (200, "cancelled")
    assert response.json()["visit"]["street"] == planned.request.street  # her own request
    assert CareRequest.objects.get(pk=planned.request_id).status == CareRequest.Status.OPEN


def test_helper_offer_can_be_read_changed_and_paused(
    api_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client = api_as(Role.HELPER)
    offer = client.get(f"{API}/offer")
    assert offer.status_code == 200
    assert offer.json()["vetted_until"] is not None
    body = {"kind": "student", "categories": ["shopping", "walking"], "max_distance_km": 2.5, "requests_per_week": 2,
            "languages": ["nl", "en"], "slots": [{"weekday": 2, "start": "14:00", "end": "18:00"}]}  # fmt: skip
    changed = put(client, f"{API}/offer", body)
    assert changed.status_code == 200, changed.content
    assert changed.json()["slots"] == [{"weekday": 2, "start": "14:00", "end": "18:00"}]
    assert [c["code"] for c in changed.json()["categories"]] == ["shopping", "walking"]
    assert changed.json()["max_distance_km"] == 2.5

    before = snapshot()
    professional = put(client, f"{API}/offer", {**body, "categories": ["nursing"]})
    assert (professional.status_code, professional.json()) == (
        422, {"detail": "Professional care is given by professionals, not by volunteers."}
    )  # fmt: skip
    backwards = put(client, f"{API}/offer", {**body, "slots": [{"weekday": 2, "start": "18:00", "end": "14:00"}]})
    assert (backwards.status_code, backwards.json()) == (422, {"detail": "A free moment ends before it starts."})
    assert snapshot() == before

    today = timezone.localdate()
    away = post(
        client,
        f"{API}/offer/away",
        {"first_day": str(today + timedelta(days=3)), "last_day": str(today + timedelta(days=9))},
    )
    assert away.status_code == 201, away.content
    [period] = away.json()["away"]
    past = post(
        client,
        f"{API}/offer/away",
        {"first_day": str(today - timedelta(days=9)), "last_day": str(today - timedelta(days=3))},
    )
    assert (past.status_code, past.json()) == (422, {"detail": "These days are already past."})
    assert client.delete(f"{API}/offer/away/{period['id']}").status_code == 204
    assert client.get(f"{API}/offer").json()["away"] == []


def test_a_resident_signs_up_as_helper_through_the_api(
    api_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client = api_as(Role.RESIDENT)
    assert client.get(f"{API}/offer").json() == {"detail": "You have not offered help yet."}
    body = {"categories": ["company"], "languages": ["nl"], "slots": [{"weekday": 0, "start": "09:00", "end": "12:00"}]}
    assert put(client, f"{API}/offer", body).status_code == 200
    assert person_of(Role.RESIDENT).roles.filter(role=Role.HELPER, withdrawn_at__isnull=True).exists()
    assert client.get(f"{API}/requests/near-me").status_code == 200


# --- the coordinator -----------------------------------------------------------------------------------------


def test_coordinator_suggests_explains_and_proposes(
    api_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client, tom = api_as(Role.COORDINATOR), person_of(Role.COORDINATOR)
    worklist = client.get(f"{API}/worklist")
    assert worklist.status_code == 200
    assert set(worklist.json()) == {
        "to_check", "new", "waiting", "without_helper", "follow_ups", "overdue_visits", "referrals", "cancelling"
    }  # fmt: skip
    request_id, suggestions = 0, []
    for item in worklist.json()["new"]:
        request_id, suggestions = (
            item["request_id"],
            client.get(f"{API}/requests/{item['request_id']}/suggestions").json(),
        )
        if suggestions:
            break
    assert suggestions, "some new request of the demo has helpers who fit"
    assert [s["score"] for s in suggestions] == sorted((s["score"] for s in suggestions), reverse=True)
    assert all(s["reasons"] for s in suggestions)
    best = suggestions[0]["helper_id"]

    explained = client.get(f"{API}/requests/{request_id}/explain/{best}")
    assert explained.status_code == 200
    assert explained.json()["eligible"] is True
    assert [(r["rule"], r["ok"]) for r in explained.json()["rules"]] == [(n, True) for n in range(1, 7)]
    unknown = client.get(f"{API}/requests/{request_id}/explain/2000000000")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "There is no helper with this number."})

    before = snapshot()
    nobody = post(client, f"{API}/requests/{request_id}/propose", {"helper_id": 2_000_000_000})
    assert (nobody.status_code, nobody.json()) == (422, {"detail": "There is no helper with this number."})
    assert snapshot() == before
    proposed = post(client, f"{API}/requests/{request_id}/propose", {"helper_id": best})
    assert proposed.status_code == 201, proposed.content
    assert (proposed.json()["status"], proposed.json()["helper"]["id"]) == ("proposed", best)
    twice = post(client, f"{API}/requests/{request_id}/propose", {"helper_id": best})
    assert twice.status_code == 409
    # the coordinator's reads of the request (suggestions, explanation, proposals) are each in the log
    assert allowed_reads(tom, request_id) >= 4


def test_coordinator_runs_and_confirms_a_round(
    api_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client, tom = api_as(Role.COORDINATOR), person_of(Role.COORDINATOR)
    district_id = tom.roles.get(role=Role.COORDINATOR).district_id
    other = 1 if district_id != 1 else 2
    refused = post(client, f"{API}/rounds", {"district_id": other})
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "You may only run rounds over the districts you coordinate."},
    )
    assert not MatchingRound.objects.exists()

    started = post(client, f"{API}/rounds", {"district_id": district_id})
    assert (started.status_code, started.json()["status"]) == (202, "queued")
    round_id = started.json()["id"]
    early = post(client, f"{API}/rounds/{round_id}/confirm", {})
    assert (early.status_code, early.json()) == (409, {"detail": "This round has no proposals yet."})

    services.round_run(round_id, [district_id])  # what the task worker does
    detail = client.get(f"{API}/rounds/{round_id}?limit=5")
    assert detail.status_code == 200
    assert detail.json()["status"] == "done"
    assert detail.json()["proposals_count"] >= 1
    assert len(detail.json()["proposals"]) == min(5, detail.json()["proposals_count"])
    first = detail.json()["proposals"][0]
    confirmed = post(client, f"{API}/rounds/{round_id}/confirm", {"proposal_ids": [first["id"]]})
    assert confirmed.status_code == 200
    assert len(confirmed.json()["match_ids"]) + len(confirmed.json()["skipped"]) == 1
    assert round_id in [r["id"] for r in client.get(f"{API}/rounds").json()]


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.HELPER, Role.CITY_STAFF])
def test_coordinator_endpoints_refuse_others(api_as: Callable[[str], Client], role: str) -> None:
    client = api_as(role)
    for url in (f"{API}/worklist", f"{API}/rounds"):
        response = client.get(url)
        assert (response.status_code, response.json()) == (403, {"detail": "Only coordinators see this."}), url
    assert post(client, f"{API}/rounds", {"district_id": None}).status_code == 403


def test_anonymous_must_log_in(client: Client, care_world: CareWorld, care_request: CareRequest) -> None:
    for url in (
        f"{API}/requests/mine",
        f"{API}/requests/{care_request.pk}",
        f"{API}/requests/near-me",
        f"{API}/worklist",
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert (response.status_code, response.json()) == (401, {"detail": "Log in first."}), url


# --- another person's request or match: exactly like a missing one --------------------------------------------


@pytest.fixture
def stranger(request: pytest.FixtureRequest, care_world: CareWorld, make_helper: Callable[..., HelperOffer]) -> Person:
    kind = request.param
    if kind == "resident":
        person = make_person("Rik", care_world.district)
        grant(person, Role.RESIDENT)
        return person
    if kind == "helper":
        return make_helper(care_world.district, name="Hanne").person
    return care_world.other_coordinator


@pytest.mark.parametrize("stranger", ["resident", "helper", "other coordinator"], indirect=True)
def test_a_strangers_request_and_match_answer_like_missing_ones_and_are_logged(
    care_world: CareWorld, care_request: CareRequest, stranger: Person, api_for: Callable[[Person], Client]
) -> None:
    match = services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=care_world.offer)
    client = api_for(stranger)
    before = snapshot()
    pairs = [
        (client.get(f"{API}/requests/{care_request.pk}"), client.get(f"{API}/requests/2000000000")),
        (client.get(f"{API}/matches/{match.pk}"), client.get(f"{API}/matches/2000000000")),
        (post(client, f"{API}/requests/{care_request.pk}/cancel", {"reason": "x"}),
         post(client, f"{API}/requests/2000000000/cancel", {"reason": "x"})),
        (post(client, f"{API}/matches/{match.pk}/accept"), post(client, f"{API}/matches/2000000000/accept")),
        (client.get(f"{API}/requests/{care_request.pk}/suggestions"),
         client.get(f"{API}/requests/2000000000/suggestions")),
    ]  # fmt: skip
    for theirs, missing in pairs:
        assert (
            (theirs.status_code, theirs.json())
            == (missing.status_code, missing.json())
            == (404, {"detail": "Not found."})
        )
    assert snapshot() == before
    assert denied(stranger, care_request.pk) == len(pairs)


def test_a_helper_sees_the_person_only_while_holding_or_after_helping(
    care_world: CareWorld, care_request: CareRequest, api_for: Callable[[Person], Client]
) -> None:
    """Before accepting, the whole request is refused like a missing one (and logged); after, it is shown."""
    match = services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=care_world.offer)
    client = api_for(care_world.helper)
    assert client.get(f"{API}/requests/{care_request.pk}").status_code == 404
    assert denied(care_world.helper, care_request.pk) == 1
    services.match_accept(actor=care_world.helper_actor, match=match)
    shown = client.get(f"{API}/requests/{care_request.pk}")
    assert shown.status_code == 200
    assert shown.json()["description"] == care_request.description
    assert allowed_reads(care_world.helper, care_request.pk) == 1


def test_times_are_given_in_the_citys_time(
    care_world: CareWorld, make_request: Callable[..., CareRequest], api_for: Callable[[Person], Client]
) -> None:
    day = timezone.localdate() + timedelta(days=3)
    request = make_request(windows=[services.Window(local(day, 9), local(day, 11))])
    data = api_for(care_world.resident).get(f"{API}/requests/{request.pk}").json()
    assert data["windows"] == [{"start": local(day, 9).isoformat(), "end": local(day, 11).isoformat()}]


def test_lists_take_the_same_number_of_queries_whatever_their_length(
    care_world: CareWorld, make_request: Callable[..., CareRequest], api_for: Callable[[Person], Client]
) -> None:
    """A page of 20 costs what a page of 2 costs (no query per row)."""

    def queries(client: Client, url: str) -> int:
        client.get(url)  # the first answer of a session also records its activity
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    resident, helper, coordinator = (
        api_for(p) for p in (care_world.resident, care_world.helper, care_world.coordinator)
    )
    lists = [(resident, f"{API}/requests/mine"), (helper, f"{API}/matches"), (coordinator, f"{API}/worklist")]

    def grow(n: int) -> None:
        for _ in range(n):
            request = make_request()
            services.match_propose(actor=care_world.coordinator_actor, request=request, offer=care_world.offer)

    grow(2)
    few = [queries(client, url) for client, url in lists]
    grow(10)
    many = [queries(client, url) for client, url in lists]
    assert many == few
    assert resident.get(f"{API}/requests/mine").json()["count"] == 12


def test_the_whole_story_through_the_api(care_world: CareWorld, api_for: Callable[[Person], Client]) -> None:
    """Taken by phone for a resident without an account, matched in a round, accepted, planned, done with
    hours, and the person's word recorded by the coordinator: only API calls, as a client app would."""
    coordinator, helper = api_for(care_world.coordinator), api_for(care_world.helper)
    registered = post(coordinator, "/api/v1/persons", {
        "first_name": "Mariette", "last_name": "Claeys", "address": "Korenmarkt 1", "phone": "+32470000001",
        "consents": [Purpose.CARE_MATCHING],
    })  # fmt: skip
    assert registered.status_code == 201, registered.content
    assert registered.json()["has_account"] is False
    day = timezone.localdate() + timedelta(days=2)
    asked = post(coordinator, f"{API}/requests", {
        "person_id": registered.json()["id"], "category": "company", "windows": [window(local(day, 9), local(day, 17))],
        "description": "Een babbel, ze woont alleen.",
    })  # fmt: skip
    assert asked.status_code == 201, asked.content
    request_id = asked.json()["id"]

    started = post(coordinator, f"{API}/rounds", {"district_id": care_world.district.pk})
    services.round_run(started.json()["id"], [care_world.district.pk])  # what the task worker does
    proposals = coordinator.get(f"{API}/rounds/{started.json()['id']}").json()["proposals"]
    ours = next(p for p in proposals if p["request_id"] == request_id)
    assert ours["helper"]["id"] == care_world.offer.pk
    confirmed = post(coordinator, f"{API}/rounds/{started.json()['id']}/confirm", {"proposal_ids": [ours["id"]]})
    [match_id] = confirmed.json()["match_ids"]

    [waiting] = helper.get(f"{API}/matches").json()["items"]
    assert (waiting["id"], waiting["status"]) == (match_id, "proposed")
    assert post(helper, f"{API}/matches/{match_id}/accept").json()["visit"]["person_name"] == "Mariette Claeys"
    planned = post(helper, f"{API}/matches/{match_id}/plan", window(local(day, 14), local(day, 15)))
    assert planned.json()["status"] == "planned"
    Match.objects.filter(pk=match_id).update(  # the day of the visit has come and gone
        planned_start=timezone.now() - timedelta(hours=3), planned_end=timezone.now() - timedelta(hours=2)
    )
    done = post(helper, f"{API}/matches/{match_id}/done", {"hours": 1.25, "feedback": "Ze vertelde over de haven."})
    assert (done.json()["status"], done.json()["hours"]) == ("done", 1.25)
    word = post(
        coordinator, f"{API}/matches/{match_id}/feedback", {"feedback": "Ze was blij.", "same_helper_again": True}
    )
    assert word.json()["resident_feedback"] == "Ze was blij."
    assert coordinator.get(f"{API}/requests/{request_id}").json()["status"] == "done"
