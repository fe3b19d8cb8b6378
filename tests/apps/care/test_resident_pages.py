"""The resident's pages: my requests in words, asking for help online, one request, feedback, messages.

Pages are read in English here (/en/), so the assertions hold whatever the Dutch translation says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from apps.access.models import AccessLogEntry
from apps.care.models import CareCategory, CareRequest, Match, Message, Referral
from apps.care.views_resident import day_in_words
from apps.people.models import Consent, Person, Purpose

pytestmark = pytest.mark.django_db


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def ask_form(**changes: object) -> dict[str, object]:
    """What Rosa ticks: shopping, a morning and an afternoon in the coming days, the address of her profile."""
    form: dict[str, object] = {
        "category": CareCategory.objects.get(code="shopping").pk,
        "description": "Boodschappen bij de Delhaize, lijstje ligt klaar.",
        "address": "",
        "when": [f"{in_days(3).isoformat()}:morning", f"{in_days(4).isoformat()}:afternoon"],
        "duration_minutes": "60",
        "recurrence": "none",
        "languages": ["nl"],
        "urgency": "3",
    }
    form.update(changes)
    return form


def errors(html: str) -> list[str]:
    """The messages at the fields (the design system's ``field-error``, or an older ``errorlist``)."""
    found = re.findall(r'<(?:ul class="errorlist"|p class="field-error")[^>]*>(.*?)</(?:ul|p)>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", e).replace("Error:", "").split()) for e in found]


def test_the_demo_resident_sees_her_requests_in_words(client_as: Callable[[str], Client]) -> None:
    response = client_as("resident").get("/en/care/")
    assert response.status_code == 200
    html = response.content.decode()
    tomorrow = day_in_words(timezone.now() + timedelta(days=1))
    assert f"Yasmine will come on {tomorrow} at 10:00." in html
    assert re.search(r"Proposed to \w+ \w\., waiting for an answer\.", html), "the helper asked, named at once"
    assert "Done. Yasmine helped you." in html
    assert 'href="/en/care/ask/"' in html
    assert ">open<" not in html and ">matched<" not in html  # words, never codes


def test_without_requests_the_page_says_what_to_do(client_as: Callable[[str], Client]) -> None:
    html = client_as("initiative_starter").get("/en/care/").content.decode()
    assert "You have no open requests for help." in html
    assert "Press “Ask for help”" in html


def test_asking_online_creates_a_request_with_its_windows(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    rosa, client = person_of("resident"), client_as("resident")
    response = client.post("/en/care/ask/", ask_form(recurrence="weekly", repeat_until=in_days(17)))
    created = CareRequest.objects.filter(person=rosa).order_by("-pk").first()
    assert created is not None and created.category.code == "shopping"
    assert response.status_code == 302 and response["Location"] == f"/en/care/requests/{created.pk}/"
    assert created.status == CareRequest.Status.OPEN and created.channel == CareRequest.Channel.ONLINE
    assert (created.street, created.house_number, created.district_id) == (
        rosa.street,
        rosa.house_number,
        rosa.district_id,
    )
    starts = [timezone.localtime(w.start) for w in created.windows.all()]
    # two times a week, every week until day 17: days 3, 10, 17 and 4, 11
    assert [s.date() for s in starts] == sorted([in_days(3), in_days(10), in_days(17), in_days(4), in_days(11)])
    assert {s.hour for s in starts} == {9, 12}  # the morning and the afternoon (CARE_MORNING, CARE_AFTERNOON)
    page = client.get(response["Location"]).content.decode()
    assert "We are now looking for a helper" in page
    assert f"{day_in_words(starts[0])}, from 09:00 to 12:00" in page


def test_another_address_in_ghent_is_located(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client_as("resident").post("/en/care/ask/", ask_form(address="Kouter 1"))
    created = CareRequest.objects.filter(person=person_of("resident")).order_by("-pk").first()
    assert created is not None and (created.street, created.house_number) == ("Kouter", "1")


def test_without_consent_the_form_asks_for_it_and_creates_nothing_until_given(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    karim, client = person_of("initiative_starter"), client_as("initiative_starter")
    assert (
        "My request for help and what I need may be used to find a helper"
        in client.get("/en/care/ask/").content.decode()
    )
    refused = client.post("/en/care/ask/", ask_form())
    assert refused.status_code == 200
    assert "Tick this box to agree. Without your agreement we cannot look for a helper." in errors(
        refused.content.decode()
    )
    assert not CareRequest.objects.filter(person=karim).exists()
    assert not karim.consents.filter(purpose=Purpose.CARE_MATCHING).exists()
    accepted = client.post("/en/care/ask/", ask_form(consent="on"))
    assert accepted.status_code == 302
    assert CareRequest.objects.filter(person=karim).count() == 1
    consent = karim.consents.get(purpose=Purpose.CARE_MATCHING, withdrawn_at__isnull=True)
    assert consent.method == Consent.Method.ONLINE


def test_a_consent_given_with_a_bad_request_is_not_kept_either(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    """Consent and request are saved together or not at all: the person fixes the form and sends both again."""
    karim = person_of("initiative_starter")
    response = client_as("initiative_starter").post("/en/care/ask/", ask_form(consent="on", address="Nergensstraat 4"))
    assert response.status_code == 200
    assert not karim.consents.filter(purpose=Purpose.CARE_MATCHING).exists()
    assert not CareRequest.objects.filter(person=karim).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"when": [f"{in_days(-2).isoformat()}:morning"]}, "when", "Choose one of the days and parts of the day"),
        ({"when": []}, "when", "Tick at least one morning, afternoon or evening"),
        ({"duration_minutes": "240"}, "when", "The help takes longer than a part of the day you ticked."),
        ({"address": "Grote Markt 1, 1000 Brussel"}, "address", "This address lies outside the city"),
        ({"category": 999999}, "category", "Choose one of the kinds of help in the list."),
        ({"category": ""}, "category", "Choose what you need help with."),
        ({"recurrence": "weekly"}, "repeat_until", "Say until when the help should repeat."),
        ({"when": [f"{in_days(3).isoformat()}:night"]}, "when", "Choose one of the days and parts of the day"),
    ],
    ids=[
        "past",
        "nothing-ticked",
        "too-short",
        "outside-ghent",
        "unknown-category",
        "no-category",
        "repeat",
        "no-such-part",
    ],
)
def test_bad_input_is_explained_at_the_field_and_creates_nothing(
    client_as: Callable[[str], Client], changes: dict[str, object], field: str, message: str
) -> None:
    before = CareRequest.objects.count()
    response = client_as("resident").post("/en/care/ask/", ask_form(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(rf'<(ul|p) class="(?:errorlist|field-error)" id="id_{field}_error">(.*?)</\1>', html, re.S)
    assert error is not None, errors(html)
    assert message in error.group(2)
    assert f'aria-describedby="id_{field}_error"' in html or f'id_{field}_error"' in html
    assert CareRequest.objects.count() == before


def test_a_professional_category_becomes_a_referral(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    client = client_as("resident")
    assert "Nursing care (by a care professional)" in client.get("/en/care/ask/").content.decode()
    nursing = CareCategory.objects.get(code="nursing")
    response = client.post("/en/care/ask/", ask_form(category=nursing.pk), follow=True)
    created = CareRequest.objects.filter(person=person_of("resident"), category=nursing).get()
    assert created.status == CareRequest.Status.REFERRED
    assert Referral.objects.filter(request=created, status=Referral.Status.TO_REFER).exists()
    html = response.content.decode()
    assert "This help is given by care professionals, not by volunteers." in html
    assert "We pass your request on to a care service. A coordinator will call you." in html


def test_an_inactive_category_cannot_be_asked_for(client_as: Callable[[str], Client]) -> None:
    CareCategory.objects.filter(code="gardening").update(active=False)
    client = client_as("resident")
    assert "Gardening" not in client.get("/en/care/ask/").content.decode()
    gardening = CareCategory.objects.get(code="gardening")
    before = CareRequest.objects.count()
    assert client.post("/en/care/ask/", ask_form(category=gardening.pk)).status_code == 200
    assert CareRequest.objects.count() == before


def rosas(status: str, person_of: Callable[[str], Person]) -> CareRequest:
    return CareRequest.objects.get(person=person_of("resident"), status=status)


def test_one_request_shows_times_status_helper_and_history(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    planned = rosas("matched", person_of)
    html = client_as("resident").get(f"/en/care/requests/{planned.pk}/").content.decode()
    assert "Your helper: Yasmine." in html
    assert "Haddou" not in html  # the helper's first name only
    assert "the day and time were agreed" in html
    assert "Cancel my request" in html
    open_request = rosas("open", person_of)
    html = client_as("resident").get(f"/en/care/requests/{open_request.pk}/").content.decode()
    assert "we asked a helper." in html and "Haddou" not in html
    # named from the moment of the proposal, first name and initial (issue 14: "Proposed to Yasmine H.")
    assert "Proposed to Yasmine H., waiting for an answer." in html


def test_someone_elses_request_is_not_found_and_the_attempt_is_logged(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    request = rosas("open", person_of)
    for role in ("helper", "initiative_starter"):  # residents too; a work account does not reach the page (403)
        assert client_as(role).get(f"/en/care/requests/{request.pk}/").status_code == 404
    refused = AccessLogEntry.objects.filter(record_type="care.CareRequest", record_id=str(request.pk), outcome="denied")
    assert refused.count() == 2
    assert client_as("resident").get("/en/care/requests/999999/").status_code == 404


def test_cancelling_needs_a_reason_and_tells_the_helper(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    request = rosas("open", person_of)
    client = client_as("resident")
    refused = client.post(f"/en/care/requests/{request.pk}/cancel/", {"reason": "  "})
    assert refused.status_code == 200
    assert "Say in a few words why you cancel." in errors(refused.content.decode())
    request.refresh_from_db()
    assert request.status == CareRequest.Status.OPEN
    before = Message.objects.filter(person=person_of("helper")).count()
    done = client.post(f"/en/care/requests/{request.pk}/cancel/", {"reason": "Mijn dochter komt."}, follow=True)
    request.refresh_from_db()
    assert request.status == CareRequest.Status.CANCELLED
    assert "This request is cancelled." in done.content.decode()
    assert not request.matches.filter(status=Match.Status.PROPOSED).exists()
    assert Message.objects.filter(person=person_of("helper")).count() == before + 1
    assert client.get(f"/en/care/requests/{request.pk}/cancel/").status_code == 405


def test_after_a_done_visit_the_resident_says_how_it_went(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    done = rosas("done", person_of)
    match = done.matches.get(status=Match.Status.DONE)
    client = client_as("resident")
    page = client.get(f"/en/care/requests/{done.pk}/").content.decode()
    assert "How did it go with Yasmine?" in page and "I&#x27;d like the same helper again" in page
    response = client.post(
        f"/en/care/matches/{match.pk}/feedback/",
        {f"m{match.pk}-feedback": "Heel vriendelijk.", f"m{match.pk}-same_helper_again": "yes"},
        follow=True,
    )
    match.refresh_from_db()
    assert (match.resident_feedback, match.resident_continues) == ("Heel vriendelijk.", True)
    html = response.content.decode()
    assert "Thank you for telling us." in html and "How did it go with Yasmine?" not in html
    assert client_as("initiative_starter").post(f"/en/care/matches/{match.pk}/feedback/", {}).status_code == 404
    assert client_as("coordinator").post(f"/en/care/matches/{match.pk}/feedback/", {}).status_code == 403


def test_feedback_on_a_visit_not_done_yet_is_refused(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    match = rosas("matched", person_of).matches.get(status=Match.Status.PLANNED)
    response = client_as("resident").post(
        f"/en/care/matches/{match.pk}/feedback/", {f"m{match.pk}-feedback": "?"}, follow=True
    )
    assert "Feedback is possible once the visit is done." in response.content.decode()
    match.refresh_from_db()
    assert match.resident_feedback == ""


def test_messages_newest_first_and_marked_read(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    rosa = person_of("resident")
    Message.objects.create(person=rosa, text="Oud bericht.", created_at=timezone.now() - timedelta(days=1))
    Message.objects.create(person=rosa, text="Nieuw bericht.", link="/en/care/")
    client = client_as("resident")
    assert "You have 2 new messages." in client.get("/en/care/").content.decode()
    html = client.get("/en/care/messages/").content.decode()
    assert html.index("Nieuw bericht.") < html.index("Oud bericht.")
    new_tag = '<span class="tag status-tag status-tag--info">New</span>'  # the design system's status tag
    assert html.count(new_tag) == 2
    assert not rosa.messages.filter(read_at__isnull=True).exists()
    assert new_tag not in client.get("/en/care/messages/").content.decode()
    assert "Nieuw bericht." not in client_as("helper").get("/en/care/messages/").content.decode()
