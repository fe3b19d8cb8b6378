"""The helper's pages: requests near me (anonymous), "I can help", the match page, offer and times away.

Pages are read in English here (/en/), so the assertions hold whatever the Dutch translation says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from apps.access.models import AccessLogEntry
from apps.care import selectors
from apps.care.models import AvailabilityException, CareCategory, CareRequest, HelperOffer, Match, Message
from apps.people.models import Consent, Person, Purpose, Role

from .conftest import CareWorld, consent, grant, make_person

pytestmark = pytest.mark.django_db

TAKEN = "Another helper has already accepted this request."


def told(msgid: str) -> str:
    """A message as the resident receives it: in their language (Dutch, the platform's default)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


def near_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'action="/en/help/requests/(\d+)/take/"', html)]


def errors(html: str) -> list[str]:
    """The messages at the fields (the design system's ``field-error``) and in the error summary at the top (where an
    error of the whole form is shown)."""
    found = re.findall(r'<p class="field-error"[^>]*>(.*?)</p>', html, re.S)
    found += re.findall(r'<ul class="error-summary__list">(.*?)</ul>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", e).replace("Error:", "").split()) for e in found]


def personal(request: CareRequest) -> list[str]:
    """What must never show before the helper said yes: name, street and house number, description."""
    person = request.person
    return [
        person.last_name,
        f"{person.first_name} {person.last_name}",
        f"{request.street} {request.house_number}",
        person.phone,
        request.description,
    ]


@pytest.fixture
def yasmine(person_of: Callable[[str], Person]) -> HelperOffer:
    return HelperOffer.objects.get(person=person_of("helper"))


@pytest.fixture
def fitting(yasmine: HelperOffer) -> CareRequest:
    """An open request near Yasmine that fits her offer."""
    found = selectors.requests_near(yasmine)
    assert found, "the demo gives the demo helper requests that fit"
    return CareRequest.objects.select_related("person").get(pk=found[0][1].pk)


def test_requests_near_me_never_show_who_where_or_what_exactly(
    client_as: Callable[[str], Client], yasmine: HelperOffer
) -> None:
    response = client_as("helper").get("/en/help/")
    assert response.status_code == 200
    html = response.content.decode()
    shown = near_ids(html)
    assert len(shown) >= 3
    for request in CareRequest.objects.filter(pk__in=shown).select_related("person"):
        for secret in personal(request):
            assert secret and secret not in html, secret
        assert request.category.name in html and request.district.name in html
    assert re.search(r"about \d+\.\d km", html)
    assert "I can help" in html
    rosa = CareRequest.objects.filter(person__user__username__startswith="resident@").first()
    assert rosa is not None and rosa.person.last_name not in html


def test_the_summary_of_one_request_is_anonymous_too(client_as: Callable[[str], Client], fitting: CareRequest) -> None:
    html = client_as("helper").get(f"/en/help/requests/{fitting.pk}/").content.decode()
    assert fitting.category.name in html and f'action="/en/help/requests/{fitting.pk}/take/"' in html
    for secret in personal(fitting):
        assert secret not in html, secret
    assert not AccessLogEntry.objects.filter(record_type="care.CareRequest", record_id=str(fitting.pk)).exists()


def test_without_an_offer_the_helper_page_invites_to_make_one(client_as: Callable[[str], Client]) -> None:
    html = client_as("initiative_starter").get("/en/help/").content.decode()
    assert 'href="/en/help/offer/"' in html and "Offer my help" in html
    assert near_ids(html) == []


def test_i_can_help_takes_the_request_and_then_shows_what_is_needed_to_go_there(
    client_as: Callable[[str], Client], fitting: CareRequest, yasmine: HelperOffer
) -> None:
    client = client_as("helper")
    response = client.post(f"/en/help/requests/{fitting.pk}/take/")
    match = Match.objects.get(request=fitting, helper=yasmine)
    assert match.status == Match.Status.ACCEPTED
    assert response.status_code == 302 and response["Location"] == f"/en/help/matches/{match.pk}/"
    html = client.get(response["Location"]).content.decode()
    person = fitting.person
    assert f"{person.first_name} {person.last_name}" in html
    assert f"{fitting.street} {fitting.house_number}, {fitting.postcode}" in html
    assert fitting.description in html
    assert f'href="tel:{person.phone}"' in html
    assert "Thank you! The request is yours." in html
    read = AccessLogEntry.objects.filter(record_type="care.CareRequest", record_id=str(fitting.pk), outcome="allowed")
    assert read.filter(actor_person_id=yasmine.person_id).exists()
    fitting.refresh_from_db()
    assert fitting.status == CareRequest.Status.MATCHED
    good_news = told("Good news: a helper will come for your request.")
    assert Message.objects.filter(person=fitting.person, text=good_news).exists()


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_i_can_help_on_a_request_already_taken_says_so_and_changes_nothing(
    client_as: Callable[[str], Client], fitting: CareRequest, yasmine: HelperOffer, htmx: bool
) -> None:
    faster = HelperOffer.objects.exclude(pk=yasmine.pk).first()
    assert faster is not None
    Match.objects.create(request=fitting, helper=faster, status=Match.Status.ACCEPTED, accepted_at=timezone.now())
    CareRequest.objects.filter(pk=fitting.pk).update(status=CareRequest.Status.MATCHED)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_as("helper").post(f"/en/help/requests/{fitting.pk}/take/", follow=not htmx, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert TAKEN in html
    for secret in personal(fitting):
        assert secret not in html, secret
    assert list(fitting.matches.values_list("helper_id", "status")) == [(faster.pk, Match.Status.ACCEPTED)]


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_i_can_help_on_a_request_called_off_says_it_no_longer_needs_a_helper(
    client_as: Callable[[str], Client], fitting: CareRequest, htmx: bool
) -> None:
    """Not "another helper accepted": nobody did, the resident called it off while the helper was looking."""
    CareRequest.objects.filter(pk=fitting.pk).update(status=CareRequest.Status.CANCELLED)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client_as("helper").post(f"/en/help/requests/{fitting.pk}/take/", follow=not htmx, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This request no longer looks for a helper." in html and TAKEN not in html
    assert not fitting.matches.exists()
    api = client_as("helper").post(f"/api/v1/care/requests/{fitting.pk}/take")
    assert api.status_code == 409 and api.json()["detail"] == told("This request no longer looks for a helper.")


def test_a_stranger_cannot_take_or_read_a_request(client_as: Callable[[str], Client], fitting: CareRequest) -> None:
    for role in ("resident", "coordinator"):
        assert client_as(role).post(f"/en/help/requests/{fitting.pk}/take/").status_code == 403
        assert client_as(role).get(f"/en/help/requests/{fitting.pk}/").status_code == 403
    assert not fitting.matches.exists()


def test_a_match_not_yet_accepted_shows_only_the_summary(
    client_as: Callable[[str], Client], yasmine: HelperOffer
) -> None:
    proposal = Match.objects.select_related("request__person").get(helper=yasmine, status=Match.Status.PROPOSED)
    html = client_as("helper").get(f"/en/help/matches/{proposal.pk}/").content.decode()
    for secret in personal(proposal.request):
        assert secret not in html, secret
    assert "Yes, I can help" in html


def test_accepting_a_proposal_reveals_the_details(client_as: Callable[[str], Client], yasmine: HelperOffer) -> None:
    proposal = Match.objects.select_related("request__person").get(helper=yasmine, status=Match.Status.PROPOSED)
    client = client_as("helper")
    response = client.post(f"/en/help/matches/{proposal.pk}/accept/", follow=True)
    proposal.refresh_from_db()
    assert proposal.status == Match.Status.ACCEPTED
    assert proposal.request.person.last_name in response.content.decode()


def test_declining_needs_a_reason(client_as: Callable[[str], Client], yasmine: HelperOffer) -> None:
    proposal = Match.objects.get(helper=yasmine, status=Match.Status.PROPOSED)
    client = client_as("helper")
    refused = client.post(f"/en/help/matches/{proposal.pk}/decline/", {"decline-reason": ""})
    assert refused.status_code == 200
    assert "Say briefly why, so the coordinator can find someone else." in errors(refused.content.decode())
    proposal.refresh_from_db()
    assert proposal.status == Match.Status.PROPOSED
    client.post(f"/en/help/matches/{proposal.pk}/decline/", {"decline-reason": "Ik heb examens."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (Match.Status.DECLINED, "Ik heb examens.")
    assert proposal.events.filter(to_status=Match.Status.DECLINED, note="Ik heb examens.").exists()


def test_plan_in_the_future_then_log_the_visit_with_hours(
    client_as: Callable[[str], Client], fitting: CareRequest, yasmine: HelperOffer
) -> None:
    client = client_as("helper")
    client.post(f"/en/help/requests/{fitting.pk}/take/")
    match = Match.objects.get(request=fitting, helper=yasmine)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    past = client.post(
        f"/en/help/matches/{match.pk}/plan/", {"plan-day": yesterday, "plan-start": "10:00", "plan-end": "11:00"}
    )
    assert "This moment has already passed" in " ".join(errors(past.content.decode()))
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    backwards = client.post(
        f"/en/help/matches/{match.pk}/plan/",
        {
            "plan-day": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "plan-start": "11:00",
            "plan-end": "10:00",
        },
    )
    assert "The end time comes before the start time." in errors(backwards.content.decode())
    day = timezone.localdate() + timedelta(days=2)
    client.post(
        f"/en/help/matches/{match.pk}/plan/", {"plan-day": day.isoformat(), "plan-start": "10:00", "plan-end": "11:30"}
    )
    match.refresh_from_db()
    assert match.status == Match.Status.PLANNED and timezone.localtime(match.planned_start).date() == day
    assert "Log the visit" not in client.get(f"/en/help/matches/{match.pk}/").content.decode()  # not before it
    Match.objects.filter(pk=match.pk).update(
        planned_start=timezone.now() - timedelta(hours=2), planned_end=timezone.now() - timedelta(hours=1)
    )
    bad = client.post(f"/en/help/matches/{match.pk}/done/", {"done-hours": "40"})
    assert bad.status_code == 200 and errors(bad.content.decode())
    response = client.post(
        f"/en/help/matches/{match.pk}/done/",
        {"done-hours": "1.5", "done-feedback": "Fijn gesprek.", "done-would_come_again": "yes"},
        follow=True,
    )
    match.refresh_from_db()
    assert (match.status, match.hours, match.helper_feedback, match.helper_continues) == (
        Match.Status.DONE,
        Decimal("1.50"),
        "Fijn gesprek.",
        True,
    )
    assert "You helped 1.5 hours." in response.content.decode()
    assert Message.objects.filter(person=fitting.person, text=told("How did it go? Tell us in a few words.")).exists()


def test_cancelling_a_visit_needs_a_reason_and_opens_the_request_again(
    client_as: Callable[[str], Client], fitting: CareRequest, yasmine: HelperOffer
) -> None:
    client = client_as("helper")
    client.post(f"/en/help/requests/{fitting.pk}/take/")
    match = Match.objects.get(request=fitting, helper=yasmine)
    refused = client.post(f"/en/help/matches/{match.pk}/cancel/", {"cancel-reason": " "})
    assert errors(refused.content.decode())
    client.post(f"/en/help/matches/{match.pk}/cancel/", {"cancel-reason": "Ik ben ziek."})
    match.refresh_from_db()
    fitting.refresh_from_db()
    assert (match.status, fitting.status) == (Match.Status.CANCELLED, CareRequest.Status.OPEN)
    sorry = told("Your helper had to cancel. We are looking for someone else.")
    assert Message.objects.filter(person=fitting.person, text=sorry).exists()


def test_my_visits_lists_waiting_planned_and_done(client_as: Callable[[str], Client]) -> None:
    html = client_as("helper").get("/en/help/matches/").content.decode()
    assert "Waiting for your answer." in html and "Planned: " in html
    assert "Hours so far" in html and "1.5 hours" in html  # the done visits: a table with their hours (issue 14)
    assert "Van Acker" not in html  # a first name at most, while the helper may see the person


def test_another_helpers_match_is_not_found(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], yasmine: HelperOffer
) -> None:
    """Even for another helper: the resident gets the helper role here, and still cannot open Yasmine's match."""
    match = Match.objects.filter(helper=yasmine, status=Match.Status.PLANNED).get()
    person_of("resident").roles.create(role=Role.HELPER)
    assert client_as("resident").get(f"/en/help/matches/{match.pk}/").status_code == 404
    assert client_as("resident").post(f"/en/help/matches/{match.pk}/cancel/", {"cancel-reason": "x"}).status_code == 404
    match.refresh_from_db()
    assert match.status == Match.Status.PLANNED


OFFER = {
    "rows": "3",
    "day_0": "1",
    "start_0": "14:00",
    "end_0": "17:00",
    "day_1": "5",
    "start_1": "10:00",
    "end_1": "12:00",
    "max_distance_km": "2.0",
    "requests_per_week": "2",
    "languages": ["nl", "en"],
    "kind": "student",
    "active": "on",
}


def offer_form(**changes: object) -> dict[str, object]:
    categories = list(CareCategory.objects.filter(code__in=["shopping", "digital"]).values_list("pk", flat=True))
    return {**OFFER, "categories": categories, **changes}


def test_signing_up_as_a_helper_in_a_few_steps(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    karim, client = person_of("initiative_starter"), client_as("initiative_starter")
    page = client.get("/en/help/offer/").content.decode()
    assert "I may be shown as a possible helper" in page and "Nursing" not in page
    refused = client.post("/en/help/offer/", offer_form())
    assert "Tick this box to agree" in " ".join(errors(refused.content.decode()))
    assert not HelperOffer.objects.filter(person=karim).exists()
    response = client.post("/en/help/offer/", offer_form(consent="on"))
    assert response.status_code == 302 and response["Location"] == "/en/help/"
    offer = HelperOffer.objects.get(person=karim)
    assert (offer.kind, offer.max_distance_km, offer.requests_per_week) == ("student", Decimal("2.0"), 2)
    assert sorted(offer.categories.values_list("code", flat=True)) == ["digital", "shopping"]
    assert [(a.weekday, a.start.hour, a.end.hour) for a in offer.availability.all()] == [(1, 14, 17), (5, 10, 12)]
    assert karim.consents.filter(purpose=Purpose.LISTED_AS_HELPER, withdrawn_at__isnull=True).exists()
    assert karim.roles.filter(role=Role.HELPER, withdrawn_at__isnull=True).exists()
    again = client.get("/en/help/offer/").content.decode()
    assert "Save my offer" in again and 'value="14:00"' in again


def test_add_a_row_keeps_what_was_typed_and_saves_nothing(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    response = client_as("initiative_starter").post("/en/help/offer/", offer_form(add_row="1"))
    html = response.content.decode()
    assert 'name="day_3"' in html and 'name="day_4"' not in html
    assert 'value="14:00"' in html and errors(html) == []
    assert not HelperOffer.objects.filter(person=person_of("initiative_starter")).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_0": "13:00"}, "end_0", "The end time comes before the start time."),
        (
            {"day_0": "", "start_0": "", "end_0": "", "day_1": "", "start_1": "", "end_1": ""},
            "day_0",
            "Give at least one moment in the week when you are free.",
        ),
        ({"categories": []}, "categories", "Choose at least one kind of help."),
        ({"languages": []}, "languages", "Choose at least one language you speak."),
        ({"requests_per_week": "0"}, "requests_per_week", "greater than or equal to 1"),
    ],
    ids=["slot-backwards", "no-slot", "no-category", "no-language", "no-capacity"],
)
def test_bad_offers_are_explained_and_save_nothing(
    client_as: Callable[[str], Client],
    person_of: Callable[[str], Person],
    changes: dict[str, object],
    field: str,
    message: str,
) -> None:
    response = client_as("initiative_starter").post("/en/help/offer/", offer_form(consent="on", **changes))
    html = response.content.decode()
    error = re.search(rf'<p class="field-error" id="id_{field}_error">(.*?)</p>', html, re.S)
    assert error is not None and message in error.group(1), errors(html)
    assert not HelperOffer.objects.filter(person=person_of("initiative_starter")).exists()


def test_a_professional_category_cannot_be_offered(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    nursing = CareCategory.objects.get(code="nursing").pk
    response = client_as("initiative_starter").post("/en/help/offer/", offer_form(consent="on", categories=[nursing]))
    assert response.status_code == 200 and errors(response.content.decode())
    assert not HelperOffer.objects.filter(person=person_of("initiative_starter")).exists()


def test_an_offer_needs_an_address_in_the_profile(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    Person.objects.filter(pk=person_of("initiative_starter").pk).update(lat=None, lon=None, district=None)
    html = client_as("initiative_starter").get("/en/help/offer/").content.decode()
    assert "We need your address to find requests near you." in html and 'href="/en/me/"' in html
    assert 'name="categories"' not in html


def test_times_away(client_as: Callable[[str], Client], yasmine: HelperOffer) -> None:
    client = client_as("helper")
    first, last = timezone.localdate() + timedelta(days=3), timezone.localdate() + timedelta(days=10)
    backwards = client.post("/en/help/away/", {"first_day": last.isoformat(), "last_day": first.isoformat()})
    assert "The last day comes before the first day." in errors(backwards.content.decode())
    past = timezone.localdate() - timedelta(days=5)
    gone = client.post("/en/help/away/", {"first_day": past.isoformat(), "last_day": past.isoformat()})
    assert "These days are already past." in errors(gone.content.decode())
    assert not yasmine.exceptions.exists()
    client.post("/en/help/away/", {"first_day": first.isoformat(), "last_day": last.isoformat(), "note": "Examens"})
    exception = AvailabilityException.objects.get(offer=yasmine)
    assert "Examens" in client.get("/en/help/away/").content.decode()
    assert client_as("initiative_starter").post(f"/en/help/away/{exception.pk}/remove/").status_code == 302
    assert AvailabilityException.objects.filter(pk=exception.pk).exists()
    client.post(f"/en/help/away/{exception.pk}/remove/")
    assert not AvailabilityException.objects.filter(pk=exception.pk).exists()


def test_requests_no_longer_asked_for_never_take_the_places_of_those_that_are(
    care_world: CareWorld, make_request: Callable[..., CareRequest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When more requests are in reach than "near me" reads (``NEAR_ME_CANDIDATES``), it reads them again
    with those no longer asked for left out by the query, so that a pile of them never hides one that is."""
    odile = make_person("Odile", care_world.district, languages=["nl"])
    grant(odile, Role.RESIDENT)
    consent(odile, Purpose.CARE_MATCHING)
    withdrawn = make_request(person=odile, urgency=5)
    asked = make_request(urgency=1)
    Consent.objects.filter(person=odile).update(withdrawn_at=timezone.now())
    assert [summary.pk for _fit, summary in selectors.requests_near(care_world.offer)] == [asked.pk]
    monkeypatch.setattr(selectors, "NEAR_ME_CANDIDATES", 1)  # the withdrawn one comes first: it fills the cap
    assert [summary.pk for _fit, summary in selectors.requests_near(care_world.offer)] == [asked.pk]
    assert withdrawn.pk not in [summary.pk for _fit, summary in selectors.requests_near(care_world.offer)]
