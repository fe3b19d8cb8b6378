"""The API of "I am worried about a neighbour" (issue 17, item 7): anyone sends a report with the page's rules and
the page's answer; the coordinators of the district list, read (logged) and pick up; nobody else reaches one.

Worked out by hand from the published rules of ``docs/wellbeing.md``: limits 5 per network a day and 3 per address
a week (lowered here to 2 and 1 to stay short); a report about Sint-Pietersnieuwstraat 33 lies in district 1
(Binnenstad), Tine's district; Omar coordinates district 3.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from apps.access.models import AccessLogEntry
from apps.wellbeing.models import OutreachCase, RateBucket, WorryReport

from .conftest import World, client_for, make_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/wellbeing/worried"
GOOD: dict[str, Any] = {"address": "Sint-Pietersnieuwstraat 33", "signs": ["mail", "curtains"],
                        "noticed": "De brievenbus puilt uit sinds een week."}  # fmt: skip
RECORD = "wellbeing.WorryReport"


def post(client: Client, url: str, body: Any = None, **headers: Any) -> Any:
    return client.post(url, json.dumps(body if body is not None else {}), content_type="application/json", **headers)


def send(body: dict[str, Any] | None = None, client: Client | None = None, **headers: Any) -> Any:
    return post(client or Client(), URL, {**GOOD, **(body or {})}, **headers)


def a_report(world: World, **fields: Any) -> WorryReport:
    values: dict[str, Any] = {
        "street": "Sint-Pietersnieuwstraat", "house_number": "33", "postal_code": "9000", "district": world.district,
        "signs": ["mail"], "noticed": "Geheime zorg", "reporter_email": "buur@example.org", **fields,
    }  # fmt: skip
    return WorryReport.objects.create(**values)


# --- sending (anyone) ----------------------------------------------------------------------------------------


def test_the_form_offers_signs_and_districts_and_a_csrf_token(world: World) -> None:
    answer = Client().get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    data = answer.json()
    assert {"code": "mail", "label": str(WorryReport.Sign("mail").label)} in data["signs"]
    assert {d["name"] for d in data["districts"]} >= {"Binnenstad", "Macharius - Heirnis"}
    assert data["csrf_token"] and "csrftoken" in answer.cookies


def test_an_anonymous_report_is_stored_in_its_district_and_nothing_comes_back(world: World) -> None:
    answer = send()
    assert answer.status_code == 202
    report = WorryReport.objects.get()
    assert (report.street, report.house_number, report.district) == ("Sint-Pietersnieuwstraat", "33", world.district)
    assert report.signs == ["mail", "curtains"] and report.status == "new"
    assert list(answer.json()) == ["detail"], "no id, no link, nothing to follow the report with"
    for sent in ("Pietersnieuwstraat", "brievenbus", "Binnenstad"):
        assert sent not in answer.content.decode()


def test_without_the_csrf_token_a_report_is_refused_and_with_it_accepted(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    assert send(client=client).status_code == 403 and not WorryReport.objects.exists()
    token = client.get(URL).json()["csrf_token"]
    assert send(client=client, HTTP_X_CSRFTOKEN=token).status_code == 202
    assert WorryReport.objects.count() == 1


def test_a_description_and_a_chosen_district(world: World) -> None:
    body = {"address": "", "description": "De man met de grijze hond", "district_id": world.other_district.pk,
            "phone": "0470 12 34 56"}  # fmt: skip
    assert send(body).status_code == 202
    report = WorryReport.objects.get()
    assert report.district == world.other_district and report.district_chosen
    assert report.reporter_phone == "+32470123456"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"address": "", "description": ""}, "Give an address, or describe who you mean."),
        ({"address": "", "description": "iemand"}, "Choose the district, or give an address."),
        ({"signs": [], "noticed": ""}, "Tick what you noticed, or tell us in your own words."),
        ({"signs": ["nonsense"]}, "signs:"),
        ({"address": "", "description": "iemand", "district_id": 999999}, "district:"),
        ({"address": "", "description": "iemand", "district_id": -1}, "district:"),
        ({"noticed": "x" * 1001}, "1000"),
        ({"noticed": "a\x00b"}, ""),
        ({"address": "Straat die niet bestaat 1"}, "address:"),
        ({"email": "geen-adres"}, "email:"),
    ],
)
def test_bad_input_gets_the_pages_message_and_stores_nothing(world: World, body: dict[str, Any], message: str) -> None:
    answer = send(body, HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 422, answer.content
    assert message in answer.json()["detail"]
    assert not WorryReport.objects.exists() and not RateBucket.objects.exists()


@pytest.mark.parametrize("raw", ['{"noticed": NaN, "signs": ["mail"]}', "[1, 2]", "not json", '{"signs": 5}'])
def test_a_body_that_is_not_a_report_is_refused(world: World, raw: str) -> None:
    answer = Client().post(URL, raw, content_type="application/json")
    assert answer.status_code in {400, 422} and "detail" in answer.json()
    assert not WorryReport.objects.exists()


def test_a_huge_body_is_refused(world: World) -> None:
    answer = send({"noticed": "x" * 3_000_000})
    assert answer.status_code in {413, 422} and not WorryReport.objects.exists()


@override_settings(WELLBEING_REPORTS_PER_NETWORK=2, WELLBEING_REPORTS_PER_ADDRESS=1)
def test_the_limits_are_the_pages_and_the_address_limit_answers_the_usual_thank_you(world: World) -> None:
    first = send()
    second = send({"address": "Sint-Pietersnieuwstraat 33"})  # the same address again: not stored, same answer
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.content == second.content
    assert WorryReport.objects.count() == 1
    third = send({"address": "Korenmarkt 1"})  # the network's third of the day
    assert third.status_code == 429 and "Er is niets bewaard" in third.json()["detail"]
    assert WorryReport.objects.count() == 1


def test_the_report_and_the_form_share_the_network_count(world: World, post_report: Any) -> None:
    with override_settings(WELLBEING_REPORTS_PER_NETWORK=1):
        assert post_report().status_code == 302  # the page
        assert send({"address": "Korenmarkt 1"}).status_code == 429  # then the API, same network


# --- the coordinators' reads ---------------------------------------------------------------------------------


def test_the_coordinator_lists_the_reports_of_the_district_without_a_word_of_them(world: World) -> None:
    mine, other = a_report(world), a_report(world, district=world.other_district)
    answer = client_for(world.coordinator).get("/api/v1/wellbeing/reports")
    assert answer.status_code == 200
    data = answer.json()
    assert data["count"] == 1 and [item["id"] for item in data["items"]] == [mine.pk]
    assert data["items"][0]["reporter_can_be_told"] is True
    assert "Geheime" not in answer.content.decode() and "Pietersnieuw" not in answer.content.decode()
    assert not AccessLogEntry.objects.filter(record_type=RECORD).exists(), "the worklist reads no report"
    assert other.pk not in [item["id"] for item in data["items"]]


def test_pages_of_the_list_are_at_most_100(world: World) -> None:
    client = client_for(world.coordinator)
    assert client.get("/api/v1/wellbeing/reports?limit=101").status_code == 422
    assert client.get("/api/v1/wellbeing/reports?limit=0").status_code == 422
    assert client.get("/api/v1/wellbeing/reports?offset=-1").status_code == 422
    for number in range(3):
        a_report(world, house_number=str(number + 1))
    page = client.get("/api/v1/wellbeing/reports?limit=2&offset=2").json()
    assert page["count"] == 3 and len(page["items"]) == 1


def test_the_coordinator_reads_one_report_and_the_read_is_logged(world: World) -> None:
    report = a_report(world)
    answer = client_for(world.coordinator).get(f"/api/v1/wellbeing/reports/{report.pk}")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["street"], data["noticed"], data["reporter_email"]) == ("Sint-Pietersnieuwstraat", "Geheime zorg",
                                                                         "buur@example.org")  # fmt: skip
    entry = AccessLogEntry.objects.get(record_type=RECORD)
    assert (entry.record_id, entry.actor_person_id, entry.outcome, entry.action) == (
        str(report.pk), world.coordinator.pk, "allowed", "read",
    )  # fmt: skip


def test_another_districts_coordinator_gets_the_answer_of_a_missing_report_and_it_is_logged(world: World) -> None:
    report = a_report(world)
    client = client_for(world.other_coordinator)
    missing = client.get("/api/v1/wellbeing/reports/999999")
    forbidden = client.get(f"/api/v1/wellbeing/reports/{report.pk}")
    assert (missing.status_code, forbidden.status_code) == (404, 404)
    assert missing.content == forbidden.content
    entry = AccessLogEntry.objects.get(record_type=RECORD, record_id=str(report.pk))
    assert (entry.outcome, entry.actor_person_id) == ("denied", world.other_coordinator.pk)
    asked = AccessLogEntry.objects.get(record_type=RECORD, record_id="999999")  # the same write: no timing tell
    assert (asked.outcome, asked.subject_person_id) == ("denied", None)
    assert post(client, f"/api/v1/wellbeing/reports/{report.pk}/pick-up").status_code == 404
    report.refresh_from_db()
    assert report.status == "new"


def city_staff(world: World) -> Any:
    from apps.people.models import Role, RoleAssignment

    person = make_person("Stijn", world.district)
    RoleAssignment.objects.create(person=person, role=Role.CITY_STAFF)
    return person


@pytest.mark.parametrize("who", ["helper", "resident", "city_staff"])
def test_roles_without_reports_get_403_and_read_nothing(world: World, who: str) -> None:
    report = a_report(world)
    client = client_for(city_staff(world) if who == "city_staff" else getattr(world, who))
    for url in ("/api/v1/wellbeing/reports", f"/api/v1/wellbeing/reports/{report.pk}"):
        answer = client.get(url)
        assert answer.status_code == 403, url
        assert "Geheime" not in answer.content.decode()
    assert post(client, f"/api/v1/wellbeing/reports/{report.pk}/pick-up").status_code == 403


def test_a_visitor_must_log_in(world: World) -> None:
    report = a_report(world)
    client = Client()
    for url in ("/api/v1/wellbeing/reports", f"/api/v1/wellbeing/reports/{report.pk}"):
        assert client.get(url).status_code == 401, url
    assert post(client, f"/api/v1/wellbeing/reports/{report.pk}/pick-up").status_code == 401
    assert post(client, f"/api/v1/wellbeing/reports/{report.pk}/open-case").status_code == 401


@pytest.mark.parametrize("bad", ["-1", "0", "abc", "99999999999999999999999", "1.5"])
def test_bad_ids_are_refused_as_missing_or_invalid(world: World, bad: str) -> None:
    answer = client_for(world.coordinator).get(f"/api/v1/wellbeing/reports/{bad}")
    assert answer.status_code in {404, 422} and "detail" in answer.json()


# --- picking up ----------------------------------------------------------------------------------------------


def test_picking_up_tells_the_reporter_once_and_a_second_time_is_a_conflict(world: World, mailoutbox: Any) -> None:
    report = a_report(world)
    client = client_for(world.coordinator)
    first = post(client, f"/api/v1/wellbeing/reports/{report.pk}/pick-up")
    assert first.status_code == 200
    assert first.json()["status"] == "picked_up" and first.json()["reporter_told_now"] is True
    assert len(mailoutbox) == 1 and "Geheime" not in mailoutbox[0].body
    again = post(client, f"/api/v1/wellbeing/reports/{report.pk}/pick-up")
    assert again.status_code == 409 and len(mailoutbox) == 1
    actions = set(AccessLogEntry.objects.filter(record_type=RECORD).values_list("action", flat=True))
    assert actions == {"pick_up"}


def test_opening_a_case_from_a_report(world: World) -> None:
    report = a_report(world)
    client = client_for(world.coordinator)
    answer = post(client, f"/api/v1/wellbeing/reports/{report.pk}/open-case")
    assert answer.status_code == 201
    case = OutreachCase.objects.get(pk=answer.json()["case_id"])
    assert (case.report_id, case.assigned_to_id, case.district_id) == (report.pk, world.coordinator.pk,
                                                                       world.district.pk)  # fmt: skip
    assert client.get(f"/api/v1/wellbeing/reports/{report.pk}").json()["case_id"] == case.pk
    assert post(client, f"/api/v1/wellbeing/reports/{report.pk}/open-case").status_code == 409
    assert OutreachCase.objects.count() == 1


def test_without_the_token_the_answer_is_403_whatever_the_body(world: World) -> None:
    """The CSRF check comes before the body is read: a body the parser would refuse still gets the 403."""
    client = Client(enforce_csrf_checks=True)
    for raw in ('{"name": "a\\u0000b"}', "not json", '{"signs": 5}'):
        answer = client.post(URL, raw, content_type="application/json")
        assert answer.status_code == 403, raw
        assert "CSRF" in answer.json()["detail"]
    assert not WorryReport.objects.exists()
