"""Taking a screening (issue 17, item 2): consent first, one question per page, the result stored with the
instrument's version and answer format and shown in plain words.

The expected scores are worked out by hand from the published rules (``docs/instruments.md``): in the De Jong
Gierveld scales an emotional item (2, 3, 5, 6, 9, 10) counts 1 for "yes" and "more or less" (and "yes!"), a social
item (1, 4, 7, 8, 11) counts 1 for "no" and "more or less" (and "no!"); the 6-item scale gives a total with at most
one missing answer and a subscale only without; the 11-item scale only when complete; UCLA-3 sums 1-3 per item.
"""

from __future__ import annotations

import pytest
from django.test import Client

from apps.people.models import Consent, Purpose
from apps.wellbeing.models import Screening
from tests.apps.wellbeing.screening_helpers import answer_all, item_of, save, start, state_of

from .conftest import World

pytestmark = pytest.mark.django_db


def coordinator_url(world: World, language: str = "nl") -> str:
    return f"/{language}/wellbeing/persons/{world.resident.pk}/screening/"


ME = "/nl/wellbeing/me/screening/"


def test_a_coordinator_records_the_consent_then_asks_one_question_per_page_then_saves(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ik beantwoord vragen over hoe ik me voel" in text or "I answer questions about how I feel" in text
    assert "geen diagnose" in text or "not a diagnosis" in text
    first = start(client, url, consent="on", consent_method="paper")
    assert first.status_code == 200
    consent = Consent.objects.get(person=world.resident, purpose=Purpose.WELLBEING_SCREENING)
    assert (consent.method, consent.recorded_by_id) == ("paper", world.coordinator.pk)
    assert Screening.objects.count() == 0  # nothing special-category before the last step
    text = first.content.decode()
    assert "Vraag 1 van 6" in text or "Question 1 of 6" in text
    assert "Ik ervaar een leegte om me heen." in text  # djg6 begins with item 3, in its published Dutch wording
    assert ">min of meer<" in text and ">ja<" in text and ">nee<" in text
    # the documented example of domain.instruments: total 3 (moderately lonely), emotional not scored, social 2
    check = answer_all(
        client, url, first, {"3": "yes", "4": "more_or_less", "7": "no", "8": "yes", "9": "no", "10": "skip"}
    )
    assert Screening.objects.count() == 0
    saved = save(client, url, check)
    assert saved.status_code == 302
    screening = Screening.objects.get()
    assert (screening.instrument, screening.instrument_version, screening.answer_format) == ("djg6", "djg6-1", "3")
    assert (screening.total, screening.category) == (3, "moderately_lonely")
    assert (screening.emotional, screening.emotional_category) == (None, "")
    assert (screening.social, screening.social_category) == (2, "lonely")
    assert screening.missing == ["10"]
    assert screening.answers == {"3": "yes", "4": "more_or_less", "7": "no", "8": "yes", "9": "no", "10": None}
    assert (screening.mode, screening.taken_by_id, screening.consent_id) == ("visit", world.coordinator.pk, consent.pk)
    assert (screening.person_id, screening.district_id, screening.language) == (
        world.resident.pk,
        world.district.pk,
        "nl",
    )
    detail = client.get(saved["Location"])
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "De antwoorden wijzen op wat eenzaamheid." in text or "The answers point to some loneliness." in text
    assert "djg6-1" in text


def test_an_active_consent_is_reused_and_not_asked_again(world: World) -> None:
    Consent.objects.create(
        person=world.resident, purpose=Purpose.WELLBEING_SCREENING, method="phone", text_version="2026-11",
        given_at="2026-12-01T10:00:00Z", recorded_by=world.coordinator,
    )  # fmt: skip
    client, url = world.client("coordinator"), coordinator_url(world)
    assert 'name="consent"' not in client.get(url).content.decode()
    first = start(client, url, mode="phone")
    check = answer_all(client, url, first, dict.fromkeys(["3", "4", "7", "8", "9", "10"], "no"))
    assert save(client, url, check).status_code == 302
    assert Consent.objects.filter(person=world.resident).count() == 1
    screening = Screening.objects.get()
    # emotional 3, 9, 10 "no": 0; social 4, 7, 8 "no": 3 -> total 3, moderately lonely; social lonely
    assert (screening.total, screening.category, screening.emotional, screening.social) == (
        3,
        "moderately_lonely",
        0,
        3,
    )
    assert (screening.emotional_category, screening.social_category, screening.mode) == (
        "not_lonely",
        "lonely",
        "phone",
    )


def test_a_resident_fills_it_in_online_for_themselves(world: World) -> None:
    client = world.client("resident")
    page = client.get(ME)
    assert page.status_code == 200 and 'name="mode"' not in page.content.decode()
    first = start(client, ME, instrument="djg11", mode=None, consent="on")
    assert Consent.objects.get(person=world.resident, purpose=Purpose.WELLBEING_SCREENING).method == "online"
    # every answer "no": emotional items 0, social items (1, 4, 7, 8, 11) 5 -> total 5, moderately lonely
    check = answer_all(client, ME, first, {str(n): "no" for n in range(1, 12)})
    saved = save(client, ME, check)
    screening = Screening.objects.get()
    assert (screening.total, screening.category, screening.emotional, screening.social) == (
        5,
        "moderately_lonely",
        0,
        5,
    )
    assert (screening.mode, screening.taken_by_id, screening.answer_format) == ("online", None, "3")
    mine = client.get(saved["Location"])
    assert mine.status_code == 200
    assert "De antwoorden wijzen op wat eenzaamheid." in mine.content.decode()
    listing = client.get("/nl/wellbeing/me/screenings/")
    assert listing.status_code == 200 and "<svg" in listing.content.decode()


def test_the_five_point_format(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, answer_format="5", consent="on", consent_method="phone")
    text = first.content.decode()
    assert ">ja!<" in text and ">nee!<" in text and ">min-of-meer<" in text
    # 3 "ja!" (E, 1), 4 "nee!" (S, 1), 7 "nee!" (S, 1), 8 "nee" (S, 1), 9 "min-of-meer" (E, 1), 10 "ja" (E, 1)
    answers = {"3": "strong_yes", "4": "strong_no", "7": "strong_no", "8": "no", "9": "more_or_less", "10": "yes"}
    save(client, url, answer_all(client, url, first, answers))
    screening = Screening.objects.get()
    assert (screening.answer_format, screening.total, screening.category) == ("5", 6, "severely_lonely")
    assert (screening.emotional, screening.social) == (3, 3)
    assert (screening.emotional_category, screening.social_category) == ("lonely", "lonely")


def test_a_three_point_code_only_of_the_five_point_format_is_refused(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    refused = client.post(url, {"state": state_of(first), "item": "3", "answer": "strong_yes", "go": "next"})
    assert refused.status_code == 400
    assert (
        "Kies een van de antwoorden" in refused.content.decode()
        or "Choose one of the answers" in refused.content.decode()
    )


def test_skipped_answers_follow_the_missing_answer_rules(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    # djg11 with item 1 (social) skipped: no total (complete scales only), no social score; emotional items all
    # "ja" -> 6; social 4, 7, 8, 11 "ja" -> 0
    first = start(client, url, instrument="djg11", consent="on", consent_method="phone")
    answers = {str(n): "yes" for n in range(1, 12)} | {"1": "skip"}
    save(client, url, answer_all(client, url, first, answers))
    screening = Screening.objects.get()
    assert (screening.total, screening.category, screening.emotional, screening.social) == (None, "", 6, None)
    assert screening.missing == ["1"]
    text = client.get(f"/nl/wellbeing/screenings/{screening.pk}/").content.decode()
    assert "Te veel vragen" in text or "Too many questions" in text
    # djg6 with two skipped (3 and 4): more than one missing -> no total
    first = start(client, url)
    answers = {"3": "skip", "4": "skip", "7": "no", "8": "no", "9": "yes", "10": "yes"}
    save(client, url, answer_all(client, url, first, answers))
    second = Screening.objects.order_by("pk").last()
    assert second is not None
    assert (second.total, second.emotional, second.social) == (None, None, None)
    assert second.missing == ["3", "4"]


def test_ucla3_is_asked_in_english_and_not_offered_in_dutch(world: World) -> None:
    client = world.client("coordinator")
    dutch = client.get(coordinator_url(world)).content.decode()
    assert 'value="ucla3"' not in dutch
    assert "UCLA" in dutch  # named as not offered, with the reason
    refused = start(client, coordinator_url(world), instrument="ucla3", consent="on", consent_method="phone")
    assert refused.status_code == 400 and Consent.objects.count() == 0  # not offered: the form refuses it
    url = coordinator_url(world, "en")
    first = start(client, url, instrument="ucla3", consent="on", consent_method="phone")
    assert "How often do you feel that you lack companionship?" in first.content.decode()
    # often 3 + some of the time 2 + hardly ever 1 = 6 -> lonely (the project's cut-off, docs/instruments.md)
    save(client, url, answer_all(client, url, first, {"1": "often", "2": "some_of_the_time", "3": "hardly_ever"}))
    screening = Screening.objects.get()
    assert (screening.instrument, screening.total, screening.category, screening.language) == (
        "ucla3",
        6,
        "lonely",
        "en",
    )
    assert (screening.emotional, screening.social) == (None, None)


def test_in_french_no_questionnaire_is_offered_and_the_page_says_why(world: World) -> None:
    page = world.client("coordinator").get(coordinator_url(world, "fr"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="instrument"' not in text and 'name="go"' not in text


def test_ucla3_cannot_be_given_five_answers(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world, "en")
    refused = start(client, url, instrument="ucla3", answer_format="5", consent="on", consent_method="phone")
    assert refused.status_code == 400 and "only 3 answers" in refused.content.decode()
    assert Consent.objects.count() == 0


def test_without_consent_nothing_is_asked_and_nothing_is_stored(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    refused = start(client, url)  # the box not ticked
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'name="state"' not in text
    assert "zonder toestemming" in text.lower() or "without consent" in text.lower()
    assert Consent.objects.count() == 0 and Screening.objects.count() == 0
    online = start(world.client("resident"), ME, mode=None)
    assert 'name="state"' not in online.content.decode()
    assert Consent.objects.count() == 0 and Screening.objects.count() == 0


def test_a_consent_withdrawn_before_saving_stores_nothing(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    check = answer_all(client, url, first, dict.fromkeys(["3", "4", "7", "8", "9", "10"], "yes"))
    Consent.objects.filter(person=world.resident).update(withdrawn_at="2026-12-07T10:00:00Z")
    refused = save(client, url, check)
    assert refused.status_code == 400
    assert "ingetrokken" in refused.content.decode() or "withdrawn" in refused.content.decode()
    assert Screening.objects.count() == 0


def test_back_keeps_the_answers_and_change_goes_to_one_question(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    second = client.post(url, {"state": state_of(first), "item": "3", "answer": "yes", "go": "next"})
    assert item_of(second) == "4"
    back = client.post(url, {"state": state_of(second), "item": "4", "go": "back"})
    assert item_of(back) == "3" and 'value="yes" checked' in back.content.decode()
    check = answer_all(client, url, back, {"3": "no", "4": "no", "7": "no", "8": "no", "9": "no", "10": "no"})
    change = client.post(url, {"state": state_of(check), "change": "8"})
    assert item_of(change) == "8"
    again = client.post(url, {"state": state_of(change), "item": "8", "answer": "yes", "go": "next"})
    save(client, url, answer_all(client, url, again, {}))  # straight back to the check page
    assert Screening.objects.get().answers["8"] == "yes"


def test_an_empty_answer_asks_again_without_storing(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    again = client.post(url, {"state": state_of(first), "item": "3", "go": "next"})
    assert again.status_code == 200 and item_of(again) == "3"
    assert "Geen antwoord" in again.content.decode() or "No answer" in again.content.decode()


@pytest.mark.parametrize(
    ("item", "answer"),
    [
        ("3", "maybe"),  # not an answer code
        ("1", "yes"),  # item 1 is not part of the 6-item scale
        ("12", "yes"),  # not an item of any scale
        ("4", "yes"),  # an item of the scale, but not the one shown
        ("3", "ye\x00s"),  # a NUL byte
        ("3\x00", "yes"),
        ("3", ""),  # with go=save before the end
    ],
)
def test_a_tampered_answer_gets_a_clear_message_and_stores_nothing(world: World, item: str, answer: str) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    go = "save" if answer == "" else "next"
    refused = client.post(url, {"state": state_of(first), "item": item, "answer": answer, "go": go})
    assert refused.status_code == 400
    assert 'class="notice' in refused.content.decode()
    assert item_of(refused) == "3"  # the same question again
    assert Screening.objects.count() == 0


@pytest.mark.parametrize("state", ["", "garbage", "x" * 5000, "abc\x00def"])
def test_a_tampered_or_missing_state_starts_again(world: World, state: str) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    refused = client.post(url, {"state": state, "item": "3", "answer": "yes", "go": "save"})
    assert refused.status_code == 400
    assert "Start again" in refused.content.decode() or "Begin opnieuw" in refused.content.decode()
    assert Screening.objects.count() == 0


def test_a_state_signed_for_one_person_or_actor_is_not_read_for_another(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    check = answer_all(client, url, first, dict.fromkeys(["3", "4", "7", "8", "9", "10"], "yes"))
    token = state_of(check)
    # the same coordinator, another person of their district
    from .conftest import make_person

    other = make_person("Els", world.district, "resident")
    moved = client.post(f"/nl/wellbeing/persons/{other.pk}/screening/", {"state": token, "go": "save"})
    assert moved.status_code == 400
    # the person themselves, online, with the coordinator's token
    copied = world.client("resident").post(ME, {"state": token, "go": "save"})
    assert copied.status_code == 400
    assert Screening.objects.count() == 0


def test_only_a_coordinator_of_the_person_may_start(world: World) -> None:
    url = coordinator_url(world)
    for who in ("other_coordinator", "helper", "resident"):
        client = world.client(who)
        assert client.get(url).status_code == 404, who
        assert start(client, url, consent="on", consent_method="phone").status_code == 404, who
    assert world.client("anonymous").get(url).status_code == 302
    assert Consent.objects.count() == 0 and Screening.objects.count() == 0


def test_the_person_page_has_the_button_and_the_section(world: World) -> None:
    client = world.client("coordinator")
    page = client.get(f"/nl/persons/{world.resident.pk}/").content.decode()
    assert f"/nl/wellbeing/persons/{world.resident.pk}/screening/" in page
    assert "wellbeing-screening-section-heading" in page


def test_a_resident_sees_my_wellbeing_in_the_menu(world: World) -> None:
    page = world.client("resident").get("/nl/").content.decode()
    assert "/nl/wellbeing/me/screenings/" in page


def test_the_answers_are_not_in_the_page_as_plain_text_before_saving(world: World) -> None:
    """The signed field carries the answers (signed, compressed): a copy of the page cannot be changed unseen."""
    client: Client = world.client("coordinator")
    url = coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    token = state_of(first)
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert client.post(url, {"state": forged, "item": "3", "answer": "yes", "go": "next"}).status_code == 400


def test_save_pressed_twice_stores_one_screening(world: World) -> None:
    """A double click, or "Save" again after the browser's Back button: the same questionnaire, stored once."""
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    check = answer_all(client, url, first, dict.fromkeys(["3", "4", "7", "8", "9", "10"], "more_or_less"))
    once, twice = save(client, url, check), save(client, url, check)
    assert once.status_code == twice.status_code == 302 and once["Location"] == twice["Location"]
    screening = Screening.objects.get()
    # "more or less" counts 1 on every item of both kinds: total 6, severely lonely; both subscales 3, lonely
    assert (screening.total, screening.category, screening.emotional, screening.social) == (6, "severely_lonely", 3, 3)
    again = start(client, url)  # a new questionnaire is a new screening
    save(client, url, answer_all(client, url, again, dict.fromkeys(["3", "4", "7", "8", "9", "10"], "no")))
    assert Screening.objects.count() == 2


def test_the_coordinator_says_how_the_consent_was_given(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    refused = start(client, url, consent="on")  # ticked, but not said how
    assert refused.status_code == 400 and 'name="state"' not in refused.content.decode()
    assert "Zeg hoe de persoon toestemming gaf." in refused.content.decode()
    assert Consent.objects.count() == 0


def test_the_coordinator_opens_an_outreach_case_from_a_result_the_person_has_no_such_button(world: World) -> None:
    client, url = world.client("coordinator"), coordinator_url(world)
    first = start(client, url, consent="on", consent_method="phone")
    saved = save(client, url, answer_all(client, url, first, dict.fromkeys(["3", "4", "7", "8", "9", "10"], "yes")))
    screening = Screening.objects.get()
    button = f"/nl/wellbeing/cases/from-screening/{screening.pk}/"
    assert button in client.get(saved["Location"]).content.decode()
    assert button not in world.client("resident").get(saved["Location"]).content.decode()
    opened = client.post(button)
    assert opened.status_code == 302
    screening.refresh_from_db()
    assert screening.case is not None and screening.case.origin == "screening"


def test_a_colleague_who_may_not_read_the_persons_screenings_is_not_told_of_their_consent(world: World) -> None:
    """An attacker review: the start page said "the person agreed already" to any colleague of the district, which
    tells them that someone follows this person up for loneliness.  The colleague reads the consent text to the
    person as if there were none; the consent given is then reused, not doubled."""
    from .conftest import client_for, make_person

    Consent.objects.create(
        person=world.resident, purpose=Purpose.WELLBEING_SCREENING, method="phone", text_version="2026-12",
        given_at="2026-12-01T10:00:00Z", recorded_by=world.coordinator,
    )  # fmt: skip
    colleague = client_for(make_person("Lotte", world.district, "coordinator"))
    url = coordinator_url(world)
    page = colleague.get(url).content.decode()
    assert 'name="consent"' in page and "gaf toestemming" not in page
    refused = start(colleague, url)  # without ticking it: refused, as for a person without consent
    assert refused.status_code == 400 and 'name="state"' not in refused.content.decode()
    first = start(colleague, url, consent="on", consent_method="phone")
    answers = dict.fromkeys(["3", "4", "7", "8", "9", "10"], "no")
    saved = save(colleague, url, answer_all(colleague, url, first, answers))
    assert saved.status_code == 302
    assert Consent.objects.filter(person=world.resident).count() == 1  # the same consent, reused
