"""Privacy on the way (issue 6, item 5): care needs are special-category data.

Every read of a whole request by someone other than the person is in the access log, and never the
data itself; a refused attempt is logged too and looks exactly like a missing id; a helper sees no
name, address or description before accepting; a coordinator sees only their districts; withdrawing
the consent takes the requests out of every list at once; export contains the care tables and erasure
removes every personal field while the statistics stay the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models.functions import TruncMonth
from django.http import Http404, HttpRequest
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.access.models import AccessLogEntry
from apps.access.privacy import erase_person, export_person
from apps.care import position, selectors, services
from apps.care.models import CareRequest, Match, MatchEvent, MatchingRound, Message, RoundProposal
from apps.care.position import shown_reach_km
from apps.care.problem import open_requests
from apps.people.models import Person, Purpose
from apps.people.services import consent_withdraw
from apps.places import geo

from .conftest import CareWorld, actor, clock, tomorrow_at

pytestmark = pytest.mark.django_db
RECORD = "care.CareRequest"


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def http_as(person: Person, path: str = "/en/coordinate/requests/") -> HttpRequest:
    """A page request of this person (the access log takes who and where from it)."""
    request = RequestFactory().get(path)
    request.user = person.user  # type: ignore[assignment]
    return request


def entries() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.order_by("pk"))


def assert_holds_no_data(entry: AccessLogEntry, request: CareRequest) -> None:
    """The entry says who read what, never the data that was read."""
    stored = " ".join(str(getattr(entry, f.attname)) for f in AccessLogEntry._meta.fields)
    for secret in (request.description, request.street, request.person.first_name, request.person.last_name,
                   request.category.code, request.category.name):  # fmt: skip
        assert secret not in stored


# ----------------------------------------------------------------------------------------------------------
# the access log


def test_a_coordinators_read_writes_exactly_one_entry_without_the_data(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    read = selectors.request_for(care_world.coordinator_actor, care_request.pk, http_as(care_world.coordinator))
    assert read.description == care_request.description, "the coordinator sees the whole request"
    (entry,) = entries()
    assert (entry.record_type, entry.record_id, entry.action, entry.outcome) == (
        RECORD, str(care_request.pk), "read", "allowed",
    )  # fmt: skip
    assert (entry.subject_person_id, entry.actor_person_id, entry.actor_role) == (
        care_world.resident.pk, care_world.coordinator.pk, "coordinator",
    )  # fmt: skip
    assert_holds_no_data(entry, care_request)


def test_the_persons_own_reads_are_not_logged(care_world: CareWorld, care_request: CareRequest) -> None:
    selectors.request_for(care_world.resident_actor, care_request.pk, http_as(care_world.resident))
    assert entries() == []


def test_a_helper_reads_the_whole_request_only_after_accepting_and_each_read_is_logged(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[[Person], Client]
) -> None:
    world = care_world
    with pytest.raises(Http404):
        selectors.request_for(world.helper_actor, care_request.pk, http_as(world.helper))
    (refused,) = entries()
    assert (refused.record_type, refused.outcome, refused.actor_person_id) == (RECORD, "denied", world.helper.pk)
    match = services.request_take(actor=world.helper_actor, request=care_request)
    read = selectors.request_for(world.helper_actor, care_request.pk, http_as(world.helper))
    assert read.street == care_request.street, "after accepting, the helper knows where to go"
    (entry,) = [e for e in entries() if e.outcome == "allowed"]
    assert (entry.record_type, entry.record_id, entry.subject_person_id, entry.actor_person_id) == (
        RECORD, str(care_request.pk), world.resident.pk, world.helper.pk,
    )  # fmt: skip
    assert_holds_no_data(entry, care_request)
    # the helper's match page shows who and where: one entry per look, the page's own
    before = AccessLogEntry.objects.count()
    page = client_for(world.helper).get(reverse("care:helper_match", args=[match.pk]))
    assert page.status_code == 200 and care_request.street in page.content.decode()
    (looked,) = AccessLogEntry.objects.order_by("pk")[before:]
    assert (looked.record_type, looked.record_id, looked.outcome, looked.via) == (
        RECORD, str(care_request.pk), "allowed", "GET care:helper_match",
    )  # fmt: skip
    assert_holds_no_data(looked, care_request)


def test_a_refused_attempt_is_logged_and_answers_like_a_missing_id(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    stranger = care_world.other_coordinator
    with pytest.raises(Http404) as existing:
        selectors.request_for(actor(stranger), care_request.pk, http_as(stranger))
    with pytest.raises(Http404) as missing:
        selectors.request_for(actor(stranger), care_request.pk + 1000, http_as(stranger))
    assert (type(existing.value), existing.value.args) == (type(missing.value), missing.value.args)
    (entry,) = entries()
    assert (entry.outcome, entry.record_id, entry.actor_person_id) == ("denied", str(care_request.pk), stranger.pk)
    assert_holds_no_data(entry, care_request)


def test_a_coordinator_of_another_district_sees_nothing_of_it(care_world: CareWorld, care_request: CareRequest) -> None:
    other = care_world.other_coordinator_actor
    assert care_request not in selectors.requests_in_scope(other)
    work = selectors.worklist(other)
    assert care_request not in [*work.new, *work.without_helper, *work.follow_ups, *work.referrals]
    assert care_request in selectors.requests_in_scope(care_world.coordinator_actor)


def test_a_coordinator_of_another_district_gets_the_same_page_as_for_a_missing_id(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[[Person], Client]
) -> None:
    own = client_for(care_world.coordinator).get(reverse("care:request_detail", args=[care_request.pk]))
    assert own.status_code == 200 and care_request.description in own.content.decode()
    client = client_for(care_world.other_coordinator)
    existing = client.get(reverse("care:request_detail", args=[care_request.pk]))
    missing = client.get(reverse("care:request_detail", args=[care_request.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert care_request.description not in existing.content.decode()
    denied = AccessLogEntry.objects.filter(outcome="denied", actor_person_id=care_world.other_coordinator.pk)
    assert [e.record_id for e in denied] == [str(care_request.pk)]


# ----------------------------------------------------------------------------------------------------------
# before accepting


PERSONAL = ("person", "person_id", "description", "street", "house_number", "postcode", "lat", "lon")


def assert_summary_only(summary: object, request: CareRequest) -> None:
    for name in PERSONAL:
        assert not hasattr(summary, name), f"a helper's summary has no {name}"
    text = repr(summary)
    for secret in (request.description, request.street, request.person.first_name, request.person.last_name):
        assert secret not in text


def test_before_accepting_a_helper_sees_what_when_and_where_roughly_never_who(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    summary = selectors.request_summary_for(care_world.helper_actor, care_request.pk)
    assert_summary_only(summary, care_request)
    assert (summary.pk, summary.category, summary.district) == (
        care_request.pk, care_request.category, care_request.district,
    )  # fmt: skip
    assert [(w.start, w.end) for w in summary.windows.all()] == [(tomorrow_at(10), tomorrow_at(12))]
    ((fit, near),) = selectors.requests_near(care_world.offer)
    # the distance is to the request's shown position, a few hundred metres from the house (0.3 km away)
    low, high = 0.3 - shown_reach_km(), 0.3 + shown_reach_km()
    assert near.pk == care_request.pk and low <= fit.distance_km <= high
    assert fit.distance_km == pytest.approx(position.shown_distance_km(care_world.helper, care_request))
    assert_summary_only(near, care_request)
    assert selectors.fit_for(care_world.offer, summary)[0] == fit
    # the summary is the only thing a helper gets before accepting: the whole request stays closed
    with pytest.raises(Http404):
        selectors.request_for(care_world.helper_actor, care_request.pk, None)


def test_the_summaries_are_read_without_name_address_or_description(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    with CaptureQueriesContext(connection) as queries:
        selectors.request_summary_for(care_world.helper_actor, care_request.pk)
        selectors.requests_near(care_world.offer)
    read = " ".join(q["sql"] for q in queries.captured_queries if '"care_carerequest"."urgency"' in q["sql"])
    assert read, "the summaries' queries were seen"
    for column in ("description", "street", "house_number", "postcode", "first_name", "last_name", "phone"):
        assert f'"{column}"' not in read, column


def test_the_helpers_pages_before_accepting_show_no_name_address_or_description(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[[Person], Client]
) -> None:
    client = client_for(care_world.helper)
    person = care_world.resident
    for url in (reverse("care:helper_home"), reverse("care:request_summary", args=[care_request.pk])):
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert reverse("care:take", args=[care_request.pk]) in html, "the request is there, with its button"
        for secret in (care_request.description, care_request.street, person.first_name, person.last_name):
            assert secret not in html, f"{url} shows {secret!r}"


# ----------------------------------------------------------------------------------------------------------
# consent withdrawn


def test_withdrawing_the_consent_takes_the_requests_out_of_every_list_at_once(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    world = care_world
    coordinator = world.coordinator_actor

    def everywhere() -> dict[str, bool]:
        work = selectors.worklist(coordinator)
        matching_round = MatchingRound.objects.create(district=world.district, started_by=world.coordinator)
        services.round_run(matching_round.pk, [world.district.pk])
        try:
            selectors.request_for(coordinator, care_request.pk, None)
            readable = True
        except Http404:
            readable = False
        return {
            "open": care_request in open_requests(),
            "round": RoundProposal.objects.filter(round=matching_round, request=care_request).exists(),
            "worklist": care_request in [*work.new, *work.without_helper, *work.follow_ups],
            "scope": care_request in selectors.requests_in_scope(coordinator),
            "near": care_request.pk in [r.pk for _, r in selectors.requests_near(world.offer)],
            "suggestions": readable and bool(selectors.suggestions_for(care_request)),
        }

    assert set(everywhere().values()) == {True}, "listed everywhere while the consent holds"
    consent_withdraw(actor=world.resident_actor, person=world.resident, purpose=Purpose.CARE_MATCHING)
    after = everywhere()
    assert after == dict.fromkeys(after, False), "nowhere once it is withdrawn"
    with pytest.raises(PermissionDenied):
        services.match_propose(actor=coordinator, request=care_request, offer=world.offer)


# ----------------------------------------------------------------------------------------------------------
# export and erasure


@pytest.fixture
def history(care_world: CareWorld, care_request: CareRequest, make_request: Callable[..., CareRequest]) -> Match:
    """A done visit with hours and both feedbacks, a cancelled one with a reason, and messages."""
    world = care_world
    match = services.request_take(actor=world.helper_actor, request=care_request)
    services.match_plan(actor=world.helper_actor, match=match, start=tomorrow_at(10), end=tomorrow_at(11))
    with clock(tomorrow_at(12)):
        services.match_done(actor=world.helper_actor, match=match, hours=Decimal("1.25"),
                            feedback="Mevrouw woont alleen, zag er moe uit.", would_come_again=True)  # fmt: skip
    services.match_resident_feedback(actor=world.resident_actor, match=match,
                                     feedback="Yusuf is een schat.", same_helper_again=True)  # fmt: skip
    other = make_request(category="company", description="Ik voel me eenzaam sinds mijn man overleed.")
    cancelled = services.match_propose(actor=world.coordinator_actor, request=other, offer=world.offer)
    services.match_cancel(actor=world.resident_actor, match=cancelled, reason="Ik lig in het ziekenhuis.")
    matching_round = MatchingRound.objects.create(district=world.district, started_by=world.coordinator)
    services.round_run(matching_round.pk, [world.district.pk])
    return match


def test_export_contains_the_care_tables(care_world: CareWorld, history: Match) -> None:
    mine = export_person(care_world.resident)
    assert {"care.requests", "care.matches", "care.messages"} <= set(mine)
    assert {r["description"] for r in mine["care.requests"]} == {
        "Boodschappen bij de Delhaize, ik ben slecht te been.", "Ik voel me eenzaam sinds mijn man overleed.",
    }  # fmt: skip
    done = next(m for m in mine["care.matches"] if m["status"] == "done")
    assert (done["hours"], done["my_feedback"]) == ("1.25", "Yusuf is een schat.")
    assert mine["care.messages"], "the in-app messages are the person's too"
    helping = export_person(care_world.helper)
    assert helping["care.helper_offer"][0]["categories"] == ["company", "shopping"]
    assert [m["my_feedback"] for m in helping["care.helped"] if m["status"] == "done"] == [
        "Mevrouw woont alleen, zag er moe uit."
    ]


def statistics() -> dict[str, Counter[tuple[Any, ...]]]:
    """Requests and matches per district and month, as the insights count them."""
    requests = CareRequest.objects.annotate(month=TruncMonth("created_at")).values_list("district_id", "month",
                                                                                        "status")  # fmt: skip
    matches = Match.objects.annotate(month=TruncMonth("created_at")).values_list("request__district_id", "month",
                                                                                 "status", "hours")  # fmt: skip
    return {"requests": Counter(requests), "matches": Counter(matches)}


def test_erasure_removes_every_personal_field_and_keeps_the_counts(care_world: CareWorld, history: Match) -> None:
    world = care_world
    before = statistics()
    requests = list(CareRequest.objects.filter(person=world.resident))
    old_positions = {(r.lat, r.lon) for r in requests}
    erase_person(world.resident)
    erase_person(world.helper)
    assert statistics() == before, "the same counts per district and month"
    for request in CareRequest.objects.filter(pk__in=[r.pk for r in requests]).select_related("district"):
        assert (request.description, request.street, request.house_number, request.postcode, request.languages) == (
            "", "", "", "", [],
        )  # fmt: skip
        assert (request.lat, request.lon) not in old_positions
        assert geo.district_at(request.lat, request.lon) == request.district, "still counted in its district"
    for match in Match.objects.all():
        assert (match.helper_feedback, match.resident_feedback, match.decline_reason, match.cancel_reason) == (
            "", "", "", "",
        )  # fmt: skip
    assert not MatchEvent.objects.filter(note__icontains="ziekenhuis").exists(), "no reason in the history either"
    assert not Message.objects.filter(person__in=[world.resident, world.helper]).exists()
    world.offer.refresh_from_db()
    assert (world.offer.active, world.offer.languages, world.offer.availability.count()) == (False, [], 0)
    for matching_round in MatchingRound.objects.all():
        stored = matching_round.problem or {}
        positions = {(r["lat"], r["lon"]) for r in stored.get("requests", [])}
        assert not positions & old_positions, "a stored round problem keeps no exact address"
        helper_positions = {(h["lat"], h["lon"]) for h in stored.get("helpers", []) if h["id"] == world.offer.engine_id}
        assert (world.helper.lat, world.helper.lon) not in helper_positions
    exported = export_person(Person.objects.get(pk=world.resident.pk))
    text = repr(exported)
    for secret in ("Delhaize", "eenzaam", "schat", "ziekenhuis", "Rosaliestraat"):
        assert secret not in text
