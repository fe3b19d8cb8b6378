"""The coordinator on the phone with a helper who is not online (review of issue 6): they say yes or no for
the helper, or log the visit done with the hours and the helper's word, on their match page and in the
API, through the same services, which record the coordinator as the one who acted.  Only for matches of
requests they coordinate; bad hours change nothing.  And a request withdrawn keeps why, by whom, when.

Pages are read in English (the msgids), so the assertions do not depend on the translations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.care import services
from apps.care.models import CareRequest, Match, MatchEvent, Message
from apps.people.models import Person

from .conftest import CareWorld, begun, snapshot

pytestmark = pytest.mark.django_db

HOURS_REFUSED = "Hours must be between 0.25 and 12."
NOT_YET = "This visit has not taken place yet. You can log it from"


def page(match: Match) -> str:
    return f"/en/coordinate/matches/{match.pk}/"


def text_of(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"').split())


def proposed(world: CareWorld, request: CareRequest) -> Match:
    return services.match_propose(actor=world.coordinator_actor, request=request, offer=world.offer)


def visited(world: CareWorld, request: CareRequest) -> Match:
    """An accepted match whose planned visit took place an hour ago (written directly: planning is future only)."""
    match = services.match_accept(actor=world.helper_actor, match=proposed(world, request))
    start = timezone.now() - timedelta(hours=2)
    Match.objects.filter(pk=match.pk).update(
        status=Match.Status.PLANNED, planned_start=start, planned_end=start + timedelta(hours=1, minutes=30)
    )
    match.refresh_from_db()
    return match


def last_event(match: Match) -> MatchEvent:
    event = MatchEvent.objects.filter(match=match).order_by("pk").last()
    assert event is not None
    return event


def test_the_coordinator_marks_a_visit_done_with_the_hours_the_helper_told(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest
) -> None:
    match = visited(care_world, care_request)
    client = client_for(care_world.coordinator)
    form = client.get(page(match))
    assert "The visit is done, as the helper told by phone" in text_of(form)
    assert 'name="done-hours"' in form.content.decode() and 'value="1.50"' in form.content.decode()

    done = client.post(
        page(match),
        {"action": "done", "done-hours": "1.75", "done-feedback": "Fijne babbel.", "done-would_come_again": "yes"},
    )

    assert done.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.hours, match.helper_feedback) == (Match.Status.DONE, 1.75, "Fijne babbel.")
    assert match.helper_continues is True
    event = last_event(match)
    assert (event.from_status, event.to_status, event.actor) == ("planned", "done", care_world.coordinator)
    assert event.note == "for the helper, by phone"
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.DONE
    assert "Fijne babbel." in text_of(client.get(page(match)))


def test_the_coordinator_accepts_for_the_helper_and_the_helper_is_told(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest
) -> None:
    match = proposed(care_world, care_request)
    client = client_for(care_world.coordinator)
    assert "Yes: accept for the helper" in text_of(client.get(page(match)))

    assert client.post(page(match), {"action": "accept"}).status_code == 302

    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED and match.accepted_at is not None
    event = last_event(match)
    assert (event.to_status, event.actor, event.note) == (
        "accepted",
        care_world.coordinator,
        "for the helper, by phone",
    )
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.MATCHED
    assert Message.objects.filter(person=care_world.helper, link=f"/nl/help/matches/{match.pk}/").exists()
    assert Message.objects.filter(person=care_world.resident).count() == 1, "the person hears the good news"


def test_the_coordinator_declines_for_the_helper_with_a_reason(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest
) -> None:
    match = proposed(care_world, care_request)
    client = client_for(care_world.coordinator)
    before = snapshot()

    no_reason = client.post(page(match), {"action": "decline", "decline-reason": " "})

    assert no_reason.status_code == 200 and "Give a reason" in text_of(no_reason)
    assert snapshot() == before

    assert client.post(page(match), {"action": "decline", "decline-reason": "Op reis tot maandag."}).status_code == 302
    match.refresh_from_db()
    assert (match.status, match.decline_reason) == (Match.Status.DECLINED, "Op reis tot maandag.")
    event = last_event(match)
    assert (event.to_status, event.actor) == ("declined", care_world.coordinator)
    assert event.note == "for the helper, by phone: Op reis tot maandag."
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.OPEN


@pytest.mark.parametrize(
    "hours",
    ["-1", "0", "25", "30", "1e9"],
    ids=["negative", "zero", "more than a day", "absurd", "huge"],
)
def test_bad_hours_are_explained_and_change_nothing(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest, hours: str
) -> None:
    match = visited(care_world, care_request)
    client = client_for(care_world.coordinator)
    before = snapshot()

    refused = client.post(page(match), {"action": "done", "done-hours": hours, "done-feedback": "Goed."})

    assert refused.status_code == 200
    assert HOURS_REFUSED in text_of(refused)
    assert snapshot() == before


def test_a_visit_planned_later_cannot_be_done_before_its_time(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest
) -> None:
    match = services.match_accept(actor=care_world.helper_actor, match=proposed(care_world, care_request))
    start = timezone.now() + timedelta(hours=3)
    services.match_plan(actor=care_world.coordinator_actor, match=match, start=start, end=start + timedelta(hours=1))
    client = client_for(care_world.coordinator)
    assert "The visit is done, as the helper told by phone" not in text_of(client.get(page(match)))
    before = snapshot()

    refused = client.post(page(match), {"action": "done", "done-hours": "1"})

    assert refused.status_code == 200 and NOT_YET in text_of(refused)
    assert snapshot() == before


def test_another_districts_coordinator_gets_a_404_and_changes_nothing(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest
) -> None:
    match = visited(care_world, care_request)
    other = client_for(care_world.other_coordinator)
    before = snapshot()

    assert other.get(page(match)).status_code == 404
    assert other.post(page(match), {"action": "done", "done-hours": "1"}).status_code == 404
    api = other.post(f"/api/v1/care/matches/{match.pk}/done", json.dumps({"hours": 1}), content_type="application/json")
    assert api.status_code == 404

    assert snapshot() == before
    with pytest.raises(services.PermissionDenied):
        services.match_done(actor=care_world.other_coordinator_actor, match=match, hours=services.Decimal("1"))


def test_the_resident_cannot_answer_for_the_helper(care_world: CareWorld, care_request: CareRequest) -> None:
    match = proposed(care_world, care_request)
    with pytest.raises(services.PermissionDenied):
        services.match_accept(actor=care_world.resident_actor, match=match)


def test_the_api_lets_the_coordinator_answer_and_log_the_visit_for_the_helper(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest
) -> None:
    client = client_for(care_world.coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    match = proposed(care_world, care_request)

    def post(action: str, body: dict[str, object] | None = None) -> dict[str, object]:
        url = f"/api/v1/care/matches/{match.pk}/{action}"
        response = client.post(url, json.dumps(body or {}), content_type="application/json")
        return {**response.json(), "code": response.status_code}

    assert post("accept")["code"] == 200
    begun(match)  # a visit is logged once it was planned and has begun (issue 14)
    refused = post("done", {"hours": -2})
    assert refused["code"] == 422 and HOURS_REFUSED in json.dumps(refused)
    done = post("done", {"hours": 2, "feedback": "Alles goed."})
    assert (done["code"], done["status"], done["hours"]) == (200, "done", 2.0)
    assert [e.actor for e in MatchEvent.objects.filter(match=match).order_by("pk")] == [care_world.coordinator] * 3


# --- a request withdrawn ---------------------------------------------------------------------------------


def test_a_cancelled_request_keeps_why_by_whom_and_when_and_the_coordinator_sees_it(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest
) -> None:
    services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=care_world.offer)
    client = client_for(care_world.coordinator)
    url = f"/en/coordinate/requests/{care_request.pk}/"
    assert "Cancelled because" not in text_of(client.get(url))

    services.care_request_cancel(actor=care_world.resident_actor, request=care_request, reason="  Mijn zoon helpt nu. ")

    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.CANCELLED
    assert care_request.cancel_reason == "Mijn zoon helpt nu."
    assert care_request.cancelled_by == care_world.resident
    assert care_request.cancelled_at is not None and care_request.cancelled_at == care_request.closed_at
    shown = text_of(client.get(url))
    assert "Cancelled because Mijn zoon helpt nu." in shown
    assert f"Cancelled by {care_world.resident}" in shown


def test_a_refused_cancel_records_nothing(care_world: CareWorld, care_request: CareRequest) -> None:
    before = snapshot()
    with pytest.raises(services.ValidationError):
        services.care_request_cancel(actor=care_world.coordinator_actor, request=care_request, reason="   ")
    assert snapshot() == before
    care_request.refresh_from_db()
    assert (care_request.cancel_reason, care_request.cancelled_by, care_request.cancelled_at) == ("", None, None)
