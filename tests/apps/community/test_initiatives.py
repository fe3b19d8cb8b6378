"""Initiatives (issue 18, item 1), as a resident starting a language café on a phone would go through it, and as
the district's coordinator and city staff review it: a few steps, the inclusion commitment, the city's check
(published or returned with a reason), the public page and list, following, and "who brings what" without anyone's
contact details.  Bad input gets a message and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from apps.community.models import Follow, Initiative, InitiativeStep, Need, Pledge

from .conftest import World, client_for, make_person

pytestmark = pytest.mark.django_db

BASE = "/nl/initiatives/"
WHAT = {"title": "Taalcafé Brugse Poort", "summary": "Nieuwkomers oefenen Nederlands met oudere buren.",
        "organiser": "association", "organiser_name": "Vzw Babbel"}  # fmt: skip
WHO = {"audience": ["newcomers", "older_residents"], "intergenerational": "on", "intercultural": "on",
       "languages": ["nl", "ar"]}  # fmt: skip
CONTACT = {"contact_name": "Karim Azzouzi", "contact_email": "karim@babbel.example", "contact_phone": "0470 12 34 56",
           "wheelchair_accessible": "on", "accessibility_note": "Gelijkvloers, met toilet.", "costs_note": "Gratis"}


def where(world: World, **fields: Any) -> dict[str, Any]:
    return {"district": world.district.pk, "rhythm": "recurring", "when_text": "Elke dinsdag 14:00-16:00",
            "street": "Bevrijdingslaan", **fields}  # fmt: skip


def started(world: World, client: Client | None = None) -> tuple[Client, Initiative]:
    """Through the four steps, as on a phone: each step saved, the next one shown."""
    client = client or world.client("starter")
    first = client.post(f"{BASE}new/", WHAT)
    assert first.status_code == 302, first.content.decode()[:3000]
    initiative = Initiative.objects.get()
    assert first["Location"] == f"{BASE}{initiative.pk}/edit/who/"
    themes = [str(t.pk) for t in world.__class__.__dict__.get("themes", [])] or []
    from apps.community.models import Theme

    themes = [str(Theme.objects.get(slug="language").pk)]
    for step, data in (("who", {**WHO, "themes": themes}), ("where", where(world)), ("contact", CONTACT)):
        answer = client.post(f"{BASE}{initiative.pk}/edit/{step}/", data)
        assert answer.status_code == 302, (step, answer.content.decode()[:3000])
    assert answer["Location"] == f"{BASE}{initiative.pk}/send/"
    initiative.refresh_from_db()
    return client, initiative


def sent(world: World) -> Initiative:
    client, initiative = started(world)
    answer = client.post(f"{BASE}{initiative.pk}/send/", {"commitment": "on"})
    assert answer.status_code == 302
    initiative.refresh_from_db()
    return initiative


def published(world: World) -> Initiative:
    initiative = sent(world)
    assert world.client("coordinator").post(f"{BASE}{initiative.pk}/review/publish/").status_code == 302
    initiative.refresh_from_db()
    return initiative


def test_a_resident_starts_one_in_four_steps_and_sends_it_with_the_inclusion_commitment(world: World) -> None:
    client, initiative = started(world)
    assert (initiative.status, initiative.starter_id, initiative.district_id) == (
        "draft", world.starter.pk, world.district.pk)
    assert initiative.audience == ["newcomers", "older_residents"] and initiative.languages == ["nl", "ar"]
    assert initiative.intergenerational and initiative.intercultural and initiative.contact_phone == "+32470123456"
    assert [t.slug for t in initiative.themes.all()] == ["language"]
    page = client.get(f"{BASE}{initiative.pk}/send/").content.decode()
    assert "Stap 5 van 5" in page and "inclusie" in page.lower() and "Taalcafé Brugse Poort" in page
    assert client.get(BASE).content.decode().count("Taalcafé Brugse Poort") == 0, "a draft is not public"
    refused = client.post(f"{BASE}{initiative.pk}/send/", {})
    assert refused.status_code == 400 and "Onderteken het inclusie-engagement" in refused.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == "draft" and initiative.commitment_signed_at is None
    assert client.post(f"{BASE}{initiative.pk}/send/", {"commitment": "on"}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "submitted" and initiative.commitment_version
    assert [s.kind for s in initiative.steps.all()] == ["created", "submitted"]
    for who in ("anonymous", "resident", "other_coordinator"):
        assert world.client(who).get(f"{BASE}{initiative.pk}/").status_code == 404, who
    assert "Taalcafé Brugse Poort" in world.client("coordinator").get(f"{BASE}review/").content.decode()
    assert "Taalcafé Brugse Poort" in world.client("city_staff").get(f"{BASE}review/").content.decode()
    assert "Taalcafé" not in world.client("other_coordinator").get(f"{BASE}review/").content.decode()


def test_an_incomplete_draft_cannot_be_sent_and_the_page_says_what_is_missing(world: World) -> None:
    client = world.client("starter")
    client.post(f"{BASE}new/", WHAT)
    initiative = Initiative.objects.get()
    page = client.get(f"{BASE}{initiative.pk}/send/").content.decode()
    assert "Vul eerst in" in page and "voor wie" in page and 'name="commitment"' not in page
    refused = client.post(f"{BASE}{initiative.pk}/send/", {"commitment": "on"})
    assert refused.status_code == 400 and "Vul eerst in" in refused.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == "draft"


def test_the_district_publishes_it_and_the_public_sees_it_without_the_contact(world: World) -> None:
    initiative = sent(world)
    for who in ("other_coordinator", "starter"):  # another district (404); not a reviewer at all (403)
        assert world.client(who).post(f"{BASE}{initiative.pk}/review/publish/").status_code in (403, 404), who
    initiative.refresh_from_db()
    assert initiative.status == "submitted"
    assert world.client("city_staff").post(f"{BASE}{initiative.pk}/review/publish/").status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "published" and initiative.published_at is not None
    page = Client().get(f"{BASE}{initiative.pk}/").content.decode()
    assert "Taalcafé Brugse Poort" in page and "Vzw Babbel" in page and "Nieuwkomers, Oudere bewoners" in page
    for private in ("karim@babbel.example", "+32470123456", "Karim Azzouzi"):
        assert private not in page, private
    listed = Client().get(f"{BASE}?district={world.district.pk}").content.decode()
    assert f"{BASE}{initiative.pk}/" in listed
    assert f"{BASE}{initiative.pk}/" not in Client().get(f"{BASE}?district={world.other_district.pk}").content.decode()
    assert "karim@babbel.example" in world.client("coordinator").get(f"{BASE}{initiative.pk}/").content.decode()


def test_returned_with_a_reason_the_starter_changes_it_and_sends_it_again(world: World) -> None:
    initiative = sent(world)
    coordinator = world.client("coordinator")
    empty = coordinator.post(f"{BASE}{initiative.pk}/review/return/", {"reason": "  "})
    assert empty.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "submitted", "no reason, no return"
    coordinator.post(f"{BASE}{initiative.pk}/review/return/", {"reason": "Waar vindt het plaats?"})
    initiative.refresh_from_db()
    assert initiative.status == "returned"
    client = world.client("starter")
    page = client.get(f"{BASE}{initiative.pk}/").content.decode()
    assert "Waar vindt het plaats?" in page
    assert client.post(f"{BASE}{initiative.pk}/edit/where/", where(world, street="Phoenixstraat")).status_code == 302
    assert client.post(f"{BASE}{initiative.pk}/send/", {"commitment": "on"}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "submitted" and initiative.street == "Phoenixstraat"
    assert [s.kind for s in initiative.steps.all()] == ["created", "submitted", "returned", "submitted"]
    assert InitiativeStep.objects.get(kind="returned").by_id == world.coordinator.pk


def test_a_change_after_publication_stays_public_and_waits_for_a_look(world: World) -> None:
    initiative = published(world)
    client = world.client("starter")
    assert client.post(f"{BASE}{initiative.pk}/edit/what/", {**WHAT, "title": "Taalcafé De Babbel"}).status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "published" and initiative.changed_after_publication
    assert "Taalcafé De Babbel" in Client().get(f"{BASE}{initiative.pk}/").content.decode()
    waiting = world.client("coordinator").get(f"{BASE}review/").content.decode()
    assert "Taalcafé De Babbel" in waiting and "Gewijzigd na publicatie" in waiting
    world.client("coordinator").post(f"{BASE}{initiative.pk}/review/checked/")
    initiative.refresh_from_db()
    assert not initiative.changed_after_publication
    assert "Taalcafé De Babbel" not in world.client("coordinator").get(f"{BASE}review/").content.decode()
    # an unchanged save is no change
    client.post(f"{BASE}{initiative.pk}/edit/what/", {**WHAT, "title": "Taalcafé De Babbel"})
    initiative.refresh_from_db()
    assert not initiative.changed_after_publication


def test_residents_follow_it_and_bring_what_it_needs_without_anyones_contact_shown(world: World) -> None:
    initiative = published(world)
    starter = world.client("starter")
    starter.post(f"{BASE}{initiative.pk}/manage/need/", {"what": "Koekjes", "wanted": "1"})
    need = Need.objects.get()
    resident, helper = world.client("resident"), world.client("helper")
    assert resident.post(f"{BASE}{initiative.pk}/take-part/follow/").status_code == 302
    assert resident.post(f"{BASE}{initiative.pk}/take-part/follow/").status_code == 302  # twice is once
    assert Follow.objects.filter(initiative=initiative).count() == 1
    assert resident.post(f"{BASE}{initiative.pk}/take-part/bring/", {"need": need.pk}).status_code == 302
    full = helper.post(f"{BASE}{initiative.pk}/take-part/bring/", {"need": need.pk}, follow=True)
    assert "brengen dit al" in full.content.decode()
    assert Pledge.objects.filter(need=need).count() == 1
    public = Client().get(f"{BASE}{initiative.pk}/").content.decode()
    assert "Koekjes" in public and "1 van 1" in public
    assert world.resident.first_name not in public and world.resident.email not in public
    mine = starter.get(f"{BASE}{initiative.pk}/").content.decode()
    assert f"{world.resident.first_name} {world.resident.last_name[:1]}." in mine
    assert world.resident.email not in mine and world.resident.last_name not in mine
    resident.post(f"{BASE}{initiative.pk}/take-part/not-bring/", {"need": need.pk})
    assert helper.post(f"{BASE}{initiative.pk}/take-part/bring/", {"need": need.pk}).status_code == 302
    assert list(Pledge.objects.values_list("person_id", flat=True)) == [world.helper.pk]


def test_a_work_account_does_not_start_or_join_initiatives(world: World) -> None:
    initiative = published(world)
    coordinator = world.client("coordinator")
    assert coordinator.get(f"{BASE}new/").status_code == 403
    assert coordinator.post(f"{BASE}{initiative.pk}/take-part/follow/").status_code == 404
    assert not Follow.objects.exists()


def test_another_resident_cannot_change_or_send_someone_elses_initiative(world: World) -> None:
    _client, initiative = started(world)
    other = world.client("resident")
    for url in (f"{BASE}{initiative.pk}/edit/what/", f"{BASE}{initiative.pk}/send/"):
        assert other.get(url).status_code == 404
        assert other.post(url, {**WHAT, "commitment": "on"}).status_code == 404
    assert other.post(f"{BASE}{initiative.pk}/manage/delete/").status_code == 404
    initiative.refresh_from_db()
    assert initiative.status == "draft" and initiative.title == WHAT["title"]


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("what", {**WHAT, "title": "Taal\x00café"}, "Null-tekens zijn niet toegestaan"),
        ("what", {**WHAT, "title": "x" * 121}, "120"),
        ("who", {"audience": ["aliens"]}, "Kies uit de getoonde groepen"),
        ("who", {}, "Kies minstens één groep"),
        ("where", "other_place", "Kies die wijk, of een andere plaats"),
        ("where", "house_number", "zonder huisnummer"),
        ("where", "ends_before", "Het einde komt voor het begin"),
        ("where", "no_when", "Zeg wanneer het plaatsvindt"),
        ("contact", {"contact_phone": "12"}, "telefoonnummer"),
        ("contact", {"contact_email": "geen-adres"}, "naam@voorbeeld.org"),
        ("contact", {}, "Geef een e-mailadres of een telefoonnummer"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(world: World, step: str, data: Any, message: str) -> None:
    from apps.places.models import Place

    _client, initiative = started(world)
    before = {f: getattr(initiative, f) for f in ("title", "audience", "street", "place_id", "contact_email")}
    if data == "other_place":
        place = Place.objects.create(name="Buurtcentrum Elders", slug="elders", kind="neighbourhood_centre",
                                     street="Elders", house_number="1", postcode="9000", lat=51.03, lon=3.75,
                                     district=world.other_district)  # fmt: skip
        data = where(world, place=place.pk)
    elif data == "house_number":
        data = where(world, street="Bevrijdingslaan 12")
    elif data == "ends_before":
        data = where(world, starts_on="2027-03-01", ends_on="2027-02-01")
    elif data == "no_when":
        data = where(world, when_text="")
    answer = world.client("starter").post(f"{BASE}{initiative.pk}/edit/{step}/", data)
    assert answer.status_code == 400
    assert message in answer.content.decode(), answer.content.decode()[-4000:]
    initiative.refresh_from_db()
    assert before == {f: getattr(initiative, f) for f in before}


def test_the_public_list_filters_and_refuses_what_it_does_not_offer(world: World) -> None:
    first = published(world)
    other = Initiative.objects.create(
        title="Wandelgroep Muide", summary="Een rustige wandeling.", organiser="residents", audience=["adults"],
        district=world.other_district, status="published", commitment_signed_at=first.commitment_signed_at,
        starter=world.resident,
    )  # fmt: skip
    client = Client()

    def shown(query: str) -> set[int]:
        page = client.get(f"{BASE}?{query}").content.decode()
        return {pk for pk in (first.pk, other.pk) if f'href="{BASE}{pk}/"' in page}

    assert shown("") == {first.pk, other.pk}
    assert shown("theme=language") == {first.pk}
    assert shown("audience=adults") == {other.pk}
    assert shown("tags=intercultural") == {first.pk}
    assert shown("words=wandeling") == {other.pk}
    assert shown(f"district={world.other_district.pk}") == {other.pk}
    for bad in ("district=99999", "theme=nope", "audience=nobody", "tags=secret"):
        answer = client.get(f"{BASE}?{bad}")
        assert answer.status_code == 400, bad
        assert "Kies" in answer.content.decode(), bad
    assert client.get(f"{BASE}?words=%00").status_code == 400  # the project's guard against NUL


def test_a_draft_can_be_deleted_by_its_starter_and_a_published_one_ended(world: World) -> None:
    client, draft = started(world)
    assert client.post(f"{BASE}{draft.pk}/manage/delete/").status_code == 302
    assert not Initiative.objects.exists()
    initiative = published(world)
    client = world.client("starter")
    assert client.post(f"{BASE}{initiative.pk}/manage/delete/").status_code == 404  # not a draft: no such button
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    client.post(f"{BASE}{initiative.pk}/manage/end/")
    initiative.refresh_from_db()
    assert initiative.status == "ended"
    assert f"{BASE}{initiative.pk}/" not in Client().get(BASE).content.decode()
    assert "Afgelopen" in Client().get(f"{BASE}{initiative.pk}/").content.decode()


def test_a_person_may_keep_only_a_few_drafts(world: World, settings: Any) -> None:
    from apps.community import services

    client = world.client("starter")
    for _ in range(services.MAX_OPEN_DRAFTS):
        assert client.post(f"{BASE}new/", WHAT).status_code == 302
    refused = client.post(f"{BASE}new/", WHAT)
    assert refused.status_code == 400 and "concepten" in refused.content.decode()
    assert Initiative.objects.count() == services.MAX_OPEN_DRAFTS


def test_a_new_starter_from_another_district_is_not_a_reviewer_of_anything(world: World) -> None:
    initiative = sent(world)
    stranger = client_for(make_person("Els", world.other_district, "resident"))
    assert stranger.get(f"{BASE}review/").status_code == 403
    assert stranger.post(f"{BASE}{initiative.pk}/review/publish/").status_code in (403, 404)


def test_a_published_initiative_cannot_move_to_another_district(world: World) -> None:
    """The reviewers of the new district never approved it, and its events are in the old one."""
    initiative = published(world)
    answer = world.client("starter").post(f"{BASE}{initiative.pk}/edit/where/",
                                          where(world, district=world.other_district.pk))  # fmt: skip
    assert answer.status_code == 400 and "blijft in zijn wijk" in answer.content.decode()
    initiative.refresh_from_db()
    assert initiative.district_id == world.district.pk and not initiative.changed_after_publication


def test_only_a_published_initiative_can_end_so_ending_never_skips_the_review(world: World) -> None:
    """An attacker review: ending a sent or returned initiative made it public (ended ones are), unreviewed."""
    initiative = sent(world)
    assert world.client("starter").post(f"{BASE}{initiative.pk}/manage/end/").status_code == 404
    world.client("coordinator").post(f"{BASE}{initiative.pk}/review/return/", {"reason": "Niet inclusief"})
    assert world.client("starter").post(f"{BASE}{initiative.pk}/manage/end/").status_code == 404
    initiative.refresh_from_db()
    assert initiative.status == "returned"
    assert Client().get(f"{BASE}{initiative.pk}/").status_code == 404


def test_a_theme_id_no_column_can_hold_is_a_message_not_an_error(world: World) -> None:
    _client, initiative = started(world)
    answer = world.client("starter").post(f"{BASE}{initiative.pk}/edit/who/",
                                          {"audience": ["everyone"], "themes": ["99999999999999999999"]})  # fmt: skip
    assert answer.status_code == 400 and "Kies uit de getoonde thema" in answer.content.decode()


def test_the_admin_does_not_filter_on_the_contact(world: World) -> None:
    from apps.people.models import Role, RoleAssignment

    sent(world)
    admin = make_person("Ad", world.district)
    RoleAssignment.objects.create(person=admin, role=Role.ADMINISTRATOR)
    admin.user.is_staff = admin.user.is_superuser = True
    admin.user.save()
    client = client_for(admin)
    for lookup in ("contact_email__startswith=karim", "contact_name__icontains=Karim", "contact_phone__contains=47"):
        answer = client.get(f"/nl/admin/community/initiative/?{lookup}")
        assert answer.status_code in (302, 400), lookup  # Django refuses a lookup it does not allow
