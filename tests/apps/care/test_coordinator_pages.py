"""The coordinator's pages (issue 6, items 1, 2, 3, 5 and 7): worklist, intake by phone, suggestions,
rounds, the call list and vetting, as a coordinator uses them through the browser (no JavaScript).

Most tests use the small care world of ``conftest.py`` (fast); the worklist and its scope use the demo
city, as a coordinator would see it after ``load_demo``.  Pages are read in English (the msgids), so
the assertions do not depend on the translations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.access.models import AccessLogEntry
from apps.care import services
from apps.care.models import CareRequest, HelperOffer, Match, MatchEvent, MatchingRound, Message, RoundProposal, Vetting
from apps.people.models import Consent, Person, Purpose, Role
from domain.formats import national_phone

from .conftest import CareWorld, consent, local, make_person, tomorrow_at

pytestmark = pytest.mark.django_db

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def coordinator_client(care_world: CareWorld) -> Client:
    """The care world's coordinator, signed in with the second factor that staff must have."""
    TOTP.activate(care_world.coordinator.user, TOTP_SECRET)
    client = Client()
    client.force_login(care_world.coordinator.user)
    return client


@pytest.fixture
def other_coordinator_client(care_world: CareWorld) -> Client:
    TOTP.activate(care_world.other_coordinator.user, TOTP_SECRET)
    client = Client()
    client.force_login(care_world.other_coordinator.user)
    return client


def text_of(response: object) -> str:
    """The page's visible text, whitespace collapsed (for assertions on what a person reads)."""
    html = response.content.decode()  # type: ignore[attr-defined]
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&quot;", '"').split())


def text_outside_details(response: object) -> str:
    """The page's visible text without what is folded in ``<details>`` disclosures."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return text_of(_Html(re.sub(r"<details\b.*?</details>", " ", html, flags=re.S)))


def text_of_details(response: object) -> str:
    """Only the text folded in the page's ``<details>`` disclosures."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return text_of(_Html(" ".join(re.findall(r"<details\b.*?</details>", html, flags=re.S))))


class _Html:
    def __init__(self, html: str) -> None:
        self.content = html.encode()


def errors_of(response: object) -> list[str]:
    """The messages shown next to fields (the design system's ``field-error``) and in the error summary at the
    top of the page (where an error of the whole form is shown)."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", e).split())
        for e in re.findall(r'<p class="field-error"[^>]*>(.*?)</p>', html, re.S)
        + re.findall(r'<ul class="error-summary__list">(.*?)</ul>', html, re.S)
    ]


# --- the worklist, on the demo city ----------------------------------------------------------------------


def test_worklist_shows_the_sections_of_the_coordinators_districts_only(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    tom = person_of("coordinator")
    grant = tom.roles.get(role=Role.COORDINATOR)
    elsewhere = (
        CareRequest.objects.exclude(district_id=grant.district_id)
        .exclude(person__organisation_id=grant.organisation_id)
        .exclude(person__district_id=grant.district_id)
        .order_by("pk")
        .first()
    )
    assert elsewhere is not None, "the demo city has requests in other districts"
    client = client_as("coordinator")

    response = client.get("/en/coordinate/")

    assert response.status_code == 200
    page = text_of(response)
    for title in (
        "New requests",
        "Proposals waiting for an answer",
        "No helper fits",
        "Follow-ups due",
        "Visits not closed",
        "To refer to a professional service",
    ):
        assert title in page
    assert "Start a matching round" in page
    shown = {int(pk) for pk in re.findall(r'href="/en/coordinate/requests/(\d+)/"', response.content.decode())}
    assert shown, "the demo district has requests to act on"
    in_scope = CareRequest.objects.filter(pk__in=shown).select_related("person")
    assert all(
        r.district_id == grant.district_id or r.person.organisation_id == grant.organisation_id for r in in_scope
    )
    assert elsewhere.pk not in shown
    # a named person of the district, with phone and the urgency in words
    first_new = (
        CareRequest.objects.filter(pk__in=shown, status=CareRequest.Status.OPEN).exclude(person__phone="").first()
    )
    assert first_new is not None
    assert str(first_new.person) in page and national_phone(first_new.person.phone) in page  # 0479 40 26 31
    assert first_new.get_urgency_display() in page


def test_a_request_elsewhere_is_a_logged_404_like_a_missing_one(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    grant = person_of("coordinator").roles.get(role=Role.COORDINATOR)
    elsewhere = (
        CareRequest.objects.exclude(district_id=grant.district_id)
        .exclude(person__organisation_id=grant.organisation_id)
        .exclude(person__district_id=grant.district_id)
        .order_by("pk")
        .first()
    )
    assert elsewhere is not None
    missing = CareRequest.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    client = client_as("coordinator")

    refused = client.get(f"/en/coordinate/requests/{elsewhere.pk}/")
    absent = client.get(f"/en/coordinate/requests/{missing}/")

    assert refused.status_code == absent.status_code == 404
    assert refused.content.replace(str(elsewhere.pk).encode(), b"#") == absent.content.replace(
        str(missing).encode(), b"#"
    )
    entry = AccessLogEntry.objects.get(record_type="care.CareRequest", record_id=str(elsewhere.pk))
    assert entry.outcome == AccessLogEntry.Outcome.DENIED
    assert entry.subject_person_id == elsewhere.person_id
    assert entry.actor_person_id == person_of("coordinator").pk


def test_reading_a_request_is_in_the_access_log(coordinator_client: Client, care_request: CareRequest) -> None:
    response = coordinator_client.get(f"/en/coordinate/requests/{care_request.pk}/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(record_type="care.CareRequest", record_id=str(care_request.pk))
    assert entry.outcome == AccessLogEntry.Outcome.ALLOWED and entry.subject_person_id == care_request.person_id


def test_worklist_queries_do_not_grow_with_the_requests(
    coordinator_client: Client, care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    make_request()
    coordinator_client.get("/en/coordinate/")  # the first page of a session also writes the session
    with CaptureQueriesContext(connection) as few:
        assert coordinator_client.get("/en/coordinate/").status_code == 200
    for _ in range(6):
        request = make_request(follow_up_on=timezone.localdate())
        services.match_propose(actor=care_world.coordinator_actor, request=request, offer=care_world.offer)
        Match.objects.filter(request=request).update(status=Match.Status.DECLINED)
    with CaptureQueriesContext(connection) as many:
        assert coordinator_client.get("/en/coordinate/").status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- a request taken by phone ----------------------------------------------------------------------------


@pytest.fixture
def caller(care_world: CareWorld) -> Person:
    """An 82-year-old of the district without an account, who has not consented to anything yet."""
    district = care_world.district
    return Person.objects.create(
        first_name="Georgette", last_name="Vermeersch", phone="+3292661111", street="Korenmarkt", house_number="1",
        postcode="9000", lat=district.interior_lat, lon=district.interior_lon, district=district,
        languages=["nl", "fr"],
    )  # fmt: skip


def intake(world: CareWorld, **changes: object) -> dict[str, object]:
    day = timezone.localdate() + timedelta(days=2)
    form: dict[str, object] = {
        "consent": "on",
        "category": world.categories["shopping"].pk,
        "description": "Boodschappen op vrijdag, lijstje ligt klaar.",
        "address": "",
        "window_1_date": day.isoformat(),
        "window_1_start": "10:00",
        "window_1_end": "12:00",
        "recurrence": "none",
        "duration_minutes": "60",
        "languages": ["nl"],
        "urgency": "4",
        "follow_up_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def test_the_person_page_links_to_the_intake(coordinator_client: Client, caller: Person) -> None:
    response = coordinator_client.get(f"/en/persons/{caller.pk}/")
    assert f'href="/en/coordinate/persons/{caller.pk}/request/"' in response.content.decode()


def test_a_request_by_phone_records_consent_then_the_request(
    coordinator_client: Client, care_world: CareWorld, caller: Person
) -> None:
    page = coordinator_client.get(f"/en/coordinate/persons/{caller.pk}/request/")
    assert page.status_code == 200
    assert "The person agreed by phone to this" in text_of(page)
    assert "My request for help and what I need may be used to find a helper" in text_of(page)

    second_day = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = coordinator_client.post(
        f"/en/coordinate/persons/{caller.pk}/request/",
        intake(care_world, preferred_helpers=[care_world.offer.pk], window_2_date=second_day, window_2_start="14:00",
               window_2_end="16:00"),
    )  # fmt: skip

    request = CareRequest.objects.get(person=caller)
    assert response.status_code == 302 and response["Location"] == f"/en/coordinate/requests/{request.pk}/"
    consent = Consent.objects.get(person=caller, purpose=Purpose.CARE_MATCHING)
    assert consent.method == Consent.Method.PHONE and consent.recorded_by == care_world.coordinator
    assert consent.given_at <= request.created_at
    assert request.channel == CareRequest.Channel.PHONE and request.created_by == care_world.coordinator
    assert (request.street, request.district) == ("Korenmarkt", care_world.district)
    assert request.urgency == 4 and request.languages == ["nl"]
    assert [(w.start, w.end) for w in request.windows.all()] == [
        (local(timezone.localdate() + timedelta(days=2), 10), local(timezone.localdate() + timedelta(days=2), 12)),
        (local(timezone.localdate() + timedelta(days=3), 14), local(timezone.localdate() + timedelta(days=3), 16)),
    ]
    assert list(request.preferred_helpers.all()) == [care_world.offer]
    detail = coordinator_client.get(response["Location"])
    assert "Shopping for Georgette Vermeersch" in text_of(detail)
    assert "Soon" in text_of(detail)


def test_without_consent_nothing_is_recorded(coordinator_client: Client, care_world: CareWorld, caller: Person) -> None:
    response = coordinator_client.post(f"/en/coordinate/persons/{caller.pk}/request/", intake(care_world, consent=None))
    assert response.status_code == 200
    assert any("Read the consent text to the person first" in e for e in errors_of(response))
    assert not CareRequest.objects.filter(person=caller).exists()
    assert not Consent.objects.filter(person=caller).exists()


def test_a_weekly_request_is_laid_out_until_its_end(
    coordinator_client: Client, care_world: CareWorld, caller: Person
) -> None:
    first = timezone.localdate() + timedelta(days=2)
    response = coordinator_client.post(
        f"/en/coordinate/persons/{caller.pk}/request/",
        intake(care_world, recurrence="weekly", repeat_until=(first + timedelta(days=21)).isoformat()),
    )
    assert response.status_code == 302
    request = CareRequest.objects.get(person=caller)
    assert request.recurrence == "weekly" and request.windows.count() == 4


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"address": "Meir 1, 2000 Antwerpen"}, "This address lies outside the city"),
        ({"address": "Nergensstraat 4"}, "We do not know this street in the city."),
        ({"window_1_end": "09:00"}, "This time ends before it starts."),
        ({"window_1_date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "This time lies in the past."),
        ({"window_1_end": "10:30"}, "This time is shorter than the 1 hour the help takes."),
        ({"window_2_date": (timezone.localdate() + timedelta(days=3)).isoformat()}, "Give the day, the start and"),
        ({"recurrence": "weekly"}, "Say until when the help should come back."),
        ({"preferred_helpers": ["999999"]}, "Unknown helper: 999999."),
        ({"category": ""}, "This field is required."),
    ],
)
def test_bad_input_is_explained_at_the_field_and_saves_nothing(
    coordinator_client: Client, care_world: CareWorld, caller: Person, changes: dict[str, object], field_message: str
) -> None:
    response = coordinator_client.post(f"/en/coordinate/persons/{caller.pk}/request/", intake(care_world, **changes))
    assert response.status_code == 200
    assert any(field_message in e for e in errors_of(response)), errors_of(response)
    assert "There is a problem" in text_of(response)
    assert not CareRequest.objects.filter(person=caller).exists()
    assert not Consent.objects.filter(person=caller).exists()


def test_a_helper_both_preferred_and_excluded_is_refused(
    coordinator_client: Client, care_world: CareWorld, caller: Person
) -> None:
    both = [care_world.offer.pk]
    response = coordinator_client.post(
        f"/en/coordinate/persons/{caller.pk}/request/",
        intake(care_world, preferred_helpers=both, excluded_helpers=both),
    )
    assert any("both preferred and excluded" in e for e in errors_of(response))
    assert not CareRequest.objects.filter(person=caller).exists()


def test_professional_care_becomes_a_referral(
    coordinator_client: Client, care_world: CareWorld, caller: Person
) -> None:
    response = coordinator_client.post(
        f"/en/coordinate/persons/{caller.pk}/request/", intake(care_world, category=care_world.categories["nursing"].pk)
    )
    request = CareRequest.objects.get(person=caller)
    assert request.status == CareRequest.Status.REFERRED
    detail = text_of(coordinator_client.get(response["Location"]))
    assert "Referral to a professional service" in detail and "To refer" in detail
    assert "Helpers who fit, best first" not in detail


def test_a_person_the_coordinator_does_not_coordinate_is_a_404(
    other_coordinator_client: Client, care_world: CareWorld, caller: Person
) -> None:
    assert other_coordinator_client.get(f"/en/coordinate/persons/{caller.pk}/request/").status_code == 404
    response = other_coordinator_client.post(f"/en/coordinate/persons/{caller.pk}/request/", intake(care_world))
    assert response.status_code == 404
    assert not CareRequest.objects.filter(person=caller).exists()


# --- suggestions, "propose" and "why not this helper?" -----------------------------------------------------


def test_suggestions_are_listed_and_propose_asks_the_helper(
    coordinator_client: Client, care_world: CareWorld, care_request: CareRequest
) -> None:
    page = coordinator_client.get(f"/en/coordinate/requests/{care_request.pk}/")
    helper = care_world.helper
    name = f"{helper.first_name} {helper.last_name[0]}."
    assert f"Propose to {name}" in text_of(page)
    assert "0.3 km away" in text_of(page)
    assert helper.last_name not in text_of(page), "suggestions show the first name and an initial only"

    response = coordinator_client.post(
        f"/en/coordinate/requests/{care_request.pk}/propose/", {"offer": care_world.offer.pk}
    )

    assert response.status_code == 302
    match = Match.objects.get(request=care_request)
    assert match.status == Match.Status.PROPOSED and match.proposed_by == care_world.coordinator
    message = Message.objects.get(person=helper)
    assert message.link == f"/nl/help/matches/{match.pk}/" or message.link.endswith(f"/help/matches/{match.pk}/")
    after = text_of(coordinator_client.get(f"/en/coordinate/requests/{care_request.pk}/", follow=True))
    assert "Already asked: waiting for an answer." in after
    assert "Proposed" in after and f"by {care_world.coordinator}" in after


def test_proposing_an_unknown_helper_is_explained(coordinator_client: Client, care_request: CareRequest) -> None:
    response = coordinator_client.post(
        f"/en/coordinate/requests/{care_request.pk}/propose/", {"offer": 999999}, follow=True
    )
    assert "Unknown helper" in text_of(response)
    assert not Match.objects.filter(request=care_request).exists()


def test_explanation_names_the_failing_rule(
    coordinator_client: Client, care_request: CareRequest, make_helper: Callable[..., HelperOffer]
) -> None:
    gardener = make_helper(care_request.district, name="Greta", categories=("gardening",))

    by_number = coordinator_client.get(f"/en/coordinate/requests/{care_request.pk}/", {"helper": f"#{gardener.pk}"})
    by_name = coordinator_client.get(f"/en/coordinate/requests/{care_request.pk}/", {"helper": "greta"})

    for response in (by_number, by_name):
        html = response.content.decode()
        assert "does not fit this request." in text_of(response)
        assert re.search(r'Kind of help</th><td data-label="Result"> <span class="[^"]*status-tag--error">fails', html)
        assert "does not help with Shopping (helps with: Gardening)" in html
        assert re.search(r'Distance</th><td data-label="Result"> <span class="[^"]*status-tag--success">ok', html)


def test_explanation_of_an_unknown_helper(coordinator_client: Client, care_request: CareRequest) -> None:
    response = coordinator_client.get(f"/en/coordinate/requests/{care_request.pk}/", {"helper": "Nobody"})
    assert "No helper of your districts is called “Nobody”" in text_of(response)


# --- a round -------------------------------------------------------------------------------------------


def test_a_round_runs_shows_its_proposals_and_confirm_all_asks_the_helpers(
    coordinator_client: Client,
    care_world: CareWorld,
    make_request: Callable[..., CareRequest],
    make_helper: Callable[..., HelperOffer],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    first = make_request()
    neighbour = make_person("Nadia", care_world.district)
    Consent.objects.create(
        person=neighbour, purpose=Purpose.CARE_MATCHING, method=Consent.Method.PHONE, text_version="2026-11",
        given_at=timezone.now(),
    )  # fmt: skip
    second = make_request(person=neighbour, by=care_world.coordinator_actor)
    second_helper = make_helper(care_world.district, name="Ines")

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        started = coordinator_client.post("/en/coordinate/rounds/", {"district": care_world.district.pk})

    matching_round = MatchingRound.objects.get()
    assert started.status_code == 302 and started["Location"] == f"/en/coordinate/rounds/{matching_round.pk}/"
    assert DBTaskResult.objects.filter(task_path__endswith="run_round").count() == 1
    waiting = text_of(coordinator_client.get(started["Location"]))
    assert "Waiting to start." in waiting and "Refresh this page" in waiting

    services.round_run(matching_round.pk, [care_world.district.pk])
    done = coordinator_client.get(started["Location"])
    page = text_of(done)
    assert "Proposed pairs 2" in page
    # the engine's numbers are behind "Details of the calculation", not on the page itself
    assert "Proven optimal yes" in text_of_details(done) and "Proven optimal" not in text_outside_details(done)
    assert "Rosalie" in page and "Nadia" in page
    assert {p.request_id for p in RoundProposal.objects.all()} == {first.pk, second.pk}
    assert {p.helper_id for p in RoundProposal.objects.all()} == {care_world.offer.pk, second_helper.pk}
    assert "Confirm all (2)" in page

    confirmed = coordinator_client.post(f"/en/coordinate/rounds/{matching_round.pk}/confirm/", {"action": "all"})

    assert confirmed.status_code == 302
    matches = Match.objects.filter(status=Match.Status.PROPOSED)
    assert {(m.request_id, m.helper_id) for m in matches} == {
        (p.request_id, p.helper_id) for p in RoundProposal.objects.all()
    }
    assert Message.objects.filter(person__in=[care_world.helper, second_helper.person]).count() == 2
    after = text_of(coordinator_client.get(started["Location"]))
    assert "2 confirmed: the helpers have been asked. 0 skipped." in after
    assert "All proposals of this round are confirmed or skipped." in after


def test_a_round_can_be_confirmed_one_by_one(
    coordinator_client: Client, care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    request = make_request()
    matching_round = services.round_start(actor=care_world.coordinator_actor, district_id=care_world.district.pk)
    services.round_run(matching_round.pk, [care_world.district.pk])
    (proposal,) = RoundProposal.objects.all()

    nothing = coordinator_client.post(f"/en/coordinate/rounds/{matching_round.pk}/confirm/", {"action": "chosen"})
    assert "Tick at least one proposal" in text_of(coordinator_client.get(nothing["Location"]))
    assert not Match.objects.exists()

    coordinator_client.post(
        f"/en/coordinate/rounds/{matching_round.pk}/confirm/", {"action": "chosen", "proposal": [proposal.pk]}
    )
    assert Match.objects.get().request == request


def test_a_failed_round_shows_its_error(coordinator_client: Client, care_world: CareWorld) -> None:
    matching_round = MatchingRound.objects.create(
        district=care_world.district, started_by=care_world.coordinator, status=MatchingRound.Status.FAILED,
        error="the engine ran out of time",
    )  # fmt: skip
    page = text_of(coordinator_client.get(f"/en/coordinate/rounds/{matching_round.pk}/"))
    assert "The round failed: the engine ran out of time" in page


def test_another_coordinators_round_is_a_404(other_coordinator_client: Client, care_world: CareWorld) -> None:
    matching_round = services.round_start(actor=care_world.coordinator_actor, district_id=care_world.district.pk)
    assert other_coordinator_client.get(f"/en/coordinate/rounds/{matching_round.pk}/").status_code == 404
    response = other_coordinator_client.post(f"/en/coordinate/rounds/{matching_round.pk}/confirm/", {"action": "all"})
    assert response.status_code == 404


# --- a match, on the person's behalf --------------------------------------------------------------------


def test_plan_cancel_and_feedback_on_the_persons_behalf(
    coordinator_client: Client, care_world: CareWorld, care_request: CareRequest
) -> None:
    match = services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=care_world.offer)
    match = services.match_accept(actor=care_world.helper_actor, match=match)
    url = f"/en/coordinate/matches/{match.pk}/"
    day = tomorrow_at(10).date().isoformat()

    wrong = coordinator_client.post(
        url, {"action": "plan", "plan-day": day, "plan-start": "11:00", "plan-end": "10:00"}
    )
    assert any("The end lies before the start." in e for e in errors_of(wrong))
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED

    planned = coordinator_client.post(
        url, {"action": "plan", "plan-day": day, "plan-start": "10:00", "plan-end": "11:00"}
    )
    assert planned.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.PLANNED and match.planned_start == tomorrow_at(10)
    event = MatchEvent.objects.filter(match=match).last()
    assert event is not None and (event.to_status, event.actor) == ("planned", care_world.coordinator)

    no_reason = coordinator_client.post(url, {"action": "cancel", "cancel-reason": " "})
    assert any("Give a reason" in e for e in errors_of(no_reason))
    match.refresh_from_db()
    assert match.status == Match.Status.PLANNED

    Match.objects.filter(pk=match.pk).update(status=Match.Status.DONE, done_at=timezone.now())
    feedback = coordinator_client.post(
        url, {"action": "feedback", "feedback-feedback": "Heel vriendelijk.", "feedback-same_helper_again": "yes"}
    )
    assert feedback.status_code == 302
    match.refresh_from_db()
    assert (match.resident_feedback, match.resident_continues) == ("Heel vriendelijk.", True)
    assert "Heel vriendelijk." in text_of(coordinator_client.get(url))


def test_the_helper_cannot_use_the_coordinators_match_page(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest
) -> None:
    match = services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=care_world.offer)
    assert client_for(care_world.helper).get(f"/en/coordinate/matches/{match.pk}/").status_code == 404
    assert client_for(care_world.resident).get(f"/en/coordinate/matches/{match.pk}/").status_code == 404


def test_cancel_a_request_needs_a_reason(coordinator_client: Client, care_request: CareRequest) -> None:
    url = f"/en/coordinate/requests/{care_request.pk}/cancel/"
    refused = coordinator_client.post(url, {"reason": ""})
    assert any("Give a reason" in e for e in errors_of(refused))
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.OPEN

    done = coordinator_client.post(url, {"reason": "Her daughter does the shopping now."})
    assert done.status_code == 302
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.CANCELLED


# --- the call list ---------------------------------------------------------------------------------------


def test_call_list_shows_todays_planned_visits(
    coordinator_client: Client, care_world: CareWorld, care_request: CareRequest
) -> None:
    Person.objects.filter(pk=care_world.resident.pk).update(phone="+3292661111")
    consent(care_world.resident, Purpose.CONTACT_PHONE)  # the list calls only who agreed to be called
    today = timezone.localdate()
    Match.objects.create(
        request=care_request, helper=care_world.offer, status=Match.Status.PLANNED,
        planned_start=local(today, 10), planned_end=local(today, 11),
    )  # fmt: skip

    response = coordinator_client.get("/en/coordinate/calls/")

    page = text_of(response)
    assert "Visits planned that day (1)" in page
    assert "10:00–11:00" in page and str(care_world.resident) in page and "09 266 11 11" in page
    assert "Shopping" in page and "Called" in page
    assert "use your browser's print command" in page
    html = response.content.decode()
    assert 'href="/static/care/print.css" media="print"' in html
    tomorrow = coordinator_client.get("/en/coordinate/calls/", {"day": (today + timedelta(days=1)).isoformat()})
    assert "No visits planned that day." in text_of(tomorrow)


def test_the_print_stylesheet_leaves_out_the_menu_and_adds_boxes_to_tick() -> None:
    from django.contrib.staticfiles import finders

    path = finders.find("care/print.css")
    assert path is not None
    css = open(path, encoding="utf-8").read()  # noqa: SIM115
    # the sub-navigation (the design system's nav with a label) and the breadcrumb are left out
    assert "nav[aria-label]" in css and "display: none" in css
    assert "#000" in css and "#fff" in css and ".care-tick-box" in css


# --- vetting ---------------------------------------------------------------------------------------------


def test_vetting_with_an_end_before_the_start_is_refused(coordinator_client: Client, care_world: CareWorld) -> None:
    today = timezone.localdate()
    url = f"/en/coordinate/helpers/{care_world.offer.pk}/vetting/"
    response = coordinator_client.post(
        url,
        {
            "kind": "good_conduct",
            "checked_on": today.isoformat(),
            "expires_on": (today - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert any("The end of validity must come after the check date." in e for e in errors_of(response))
    assert not Vetting.objects.exists()


def test_vetting_is_recorded_and_an_expired_check_is_shown_as_expired(
    coordinator_client: Client, care_world: CareWorld
) -> None:
    today = timezone.localdate()
    Vetting.objects.create(
        offer=care_world.offer, checked_on=today - timedelta(days=800), expires_on=today - timedelta(days=435)
    )
    url = f"/en/coordinate/helpers/{care_world.offer.pk}/vetting/"
    assert "Not vetted: no valid check today." in text_of(coordinator_client.get(url))

    response = coordinator_client.post(
        url,
        {
            "kind": "good_conduct",
            "checked_on": today.isoformat(),
            "expires_on": (today + timedelta(days=365)).isoformat(),
        },
    )

    assert response.status_code == 302
    vetting = Vetting.objects.get(expires_on__gt=today)
    assert vetting.recorded_by == care_world.coordinator
    page = text_of(coordinator_client.get(url))
    assert "Vetted: may take requests that need a vetted helper." in page
    assert "expired" in page and "valid" in page


def test_another_coordinator_sees_nothing(
    other_coordinator_client: Client, care_world: CareWorld, care_request: CareRequest
) -> None:
    for url in (
        f"/en/coordinate/requests/{care_request.pk}/",
        f"/en/coordinate/requests/{care_request.pk}/cancel/",
        f"/en/coordinate/helpers/{care_world.offer.pk}/vetting/",
    ):
        assert other_coordinator_client.get(url).status_code == 404, url
    worklist = other_coordinator_client.get("/en/coordinate/")
    assert str(care_world.resident) not in text_of(worklist)
