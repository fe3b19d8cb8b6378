"""An organisation keeps its own records; the city reviews each change before it is public.

Tried as the people who use it: the organisation's office worker fills in the service form, sees the change
as the public will, sends it for review; a city reviewer publishes it or returns it with a reason.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.access.actors import actor_for_user
from apps.directory import records
from apps.directory.models import Location, OrganisationRecord, Revision, Service

from .records_builders import World, client_for, service_post, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


def _new_service(w: World, **changes: object) -> Revision:
    client = client_for(w.staff)
    url = reverse("directory:manage_service") + f"?organisation={w.org.pk}"
    response = client.post("/en" + url[3:], service_post(w.org, w.location, types=[str(w.meals.pk)], **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Revision.objects.get()


def test_a_new_service_is_a_draft_until_sent_and_nothing_is_public(w: World) -> None:
    revision = _new_service(w)
    assert revision.status == Revision.Status.DRAFT
    assert revision.organisation == w.org and revision.created_by == w.staff
    assert not Service.objects.exists(), "saving never writes the live tables"
    doc = revision.document
    assert doc["name"] == "Warme maaltijden aan huis"
    assert doc["minimum_age"] == 65 and "maximum_age" not in doc
    assert [a["taxonomy_term_id"] for a in doc["attributes"]] == [str(w.meals.pk)]
    assert sorted(lang["code"] for lang in doc["languages"]) == ["fr", "nl"]
    assert doc["phones"][0]["number"] == "+3292251234"
    assert doc["cost_options"][0]["amount"] == 7.5
    assert [d["document"] for d in doc["required_documents"]] == ["Identiteitskaart", "Klevertje van het ziekenfonds"]
    sal = doc["service_at_locations"][0]
    assert sal["location_id"] == str(w.location.pk)
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in sal["schedules"]] == [("MO,WE", "11:30", "13:00")]

    page = client_for(w.staff).get(f"/en/records/changes/{revision.pk}/").content.decode()
    assert "As the public will see it" in page and "Meals at home" in page and "Monday, Wednesday 11:30–13:00" in page
    assert "Send for review" in page


def test_sending_for_review_puts_it_first_in_the_citys_queue_with_who_and_when(w: World) -> None:
    revision = _new_service(w)
    response = client_for(w.staff).post(f"/en/records/changes/{revision.pk}/", {"action": "submit"})
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.UNDER_REVIEW
    assert revision.submitted_by == w.staff and revision.submitted_at is not None
    queue = client_for(w.reviewer).get("/en/records/review/").content.decode()
    assert "Warme maaltijden aan huis" in queue and "Buurtzorg Sint-Pieters" in queue and "A new record" in queue
    detail = client_for(w.reviewer).get(f"/en/records/review/{revision.pk}/").content.decode()
    assert "Publish this change" in detail and "From 65 years" in detail


def test_returned_with_a_reason_the_organisation_reads_it_edits_and_sends_again(w: World) -> None:
    revision = _new_service(w)
    records.revision_submit(actor=actor_for_user(w.staff.user), revision=revision)
    reviewer = client_for(w.reviewer)
    empty = reviewer.post(f"/en/records/review/{revision.pk}/", {"action": "return", "reason": "  "})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    revision.refresh_from_db()
    assert revision.status == Revision.Status.UNDER_REVIEW, "a return without a reason changes nothing"

    reviewer.post(
        f"/en/records/review/{revision.pk}/", {"action": "return", "reason": "Geef ook de prijs met korting."}
    )
    revision.refresh_from_db()
    assert revision.status == Revision.Status.RETURNED and revision.reviewed_by == w.reviewer
    staff = client_for(w.staff)
    manage = staff.get(f"/en/records/?organisation={w.org.pk}").content.decode()
    assert "The city returned a change" in manage and "Geef ook de prijs met korting." in manage
    edit = staff.get(f"/en/records/services/{revision.target}/").content.decode()
    assert "Geef ook de prijs met korting." in edit and 'value="Warme maaltijden aan huis"' in edit

    staff.post(
        f"/en/records/services/{revision.target}/",
        service_post(w.org, w.location, fees_description="Per maaltijd, 4 euro met korting"),
    )
    revision.refresh_from_db()
    assert Revision.objects.count() == 1, "the same change is continued, not a second one"
    assert revision.status == Revision.Status.DRAFT and revision.document["fees_description"].endswith("met korting")
    staff.post(f"/en/records/changes/{revision.pk}/", {"action": "submit"})
    revision.refresh_from_db()
    assert revision.status == Revision.Status.UNDER_REVIEW


def test_a_returned_change_cannot_be_published_by_a_second_reviewer(w: World) -> None:
    revision = _new_service(w)
    records.revision_submit(actor=actor_for_user(w.staff.user), revision=revision)
    reviewer = actor_for_user(w.reviewer.user)
    records.revision_return(actor=reviewer, revision=revision, reason="Nog niet volledig")
    with pytest.raises(ValidationError, match="already reviewed this change"):
        records.revision_publish(actor=reviewer, revision=revision)
    assert not Service.objects.exists()


def test_withdrawing_leaves_nothing_public_and_closes_the_change(w: World) -> None:
    revision = _new_service(w)
    client_for(w.staff).post(f"/en/records/changes/{revision.pk}/", {"action": "withdraw"})
    revision.refresh_from_db()
    assert revision.status == Revision.Status.WITHDRAWN and not Service.objects.exists()


def test_add_a_row_shows_one_more_row_and_saves_nothing(w: World) -> None:
    data = service_post(w.org, w.location, add_hours="1", name="")
    page = client_for(w.staff).post(f"/en/records/services/new/?organisation={w.org.pk}", data).content.decode()
    assert 'name="hours-2-opens_at"' in page and 'value="11:30"' in page
    assert "There is a problem" not in page, "adding a row is not a save: no errors yet"
    assert not Revision.objects.exists()


def _submitted(w: World) -> Revision:
    revision = _new_service(w)
    records.revision_submit(actor=actor_for_user(w.staff.user), revision=revision)
    return revision


def test_the_city_publishes_and_the_service_is_live_with_who_and_when(w: World) -> None:
    revision = _submitted(w)
    response = client_for(w.reviewer).post(f"/en/records/review/{revision.pk}/", {"action": "publish"})
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PUBLISHED
    assert revision.reviewed_by == w.reviewer and revision.reviewed_at is not None
    service = Service.objects.get(pk=revision.target)
    assert service.name == "Warme maaltijden aan huis" and service.organisation == w.org
    assert service.published_by == w.reviewer and service.published_at is not None
    assert service.checked_at is not None and service.assured_date is not None
    assert service.minimum_age == 65 and service.maximum_age is None
    assert service.status == Service.Status.ACTIVE
    assert list(service.attributes.values_list("taxonomy_term_id", flat=True)) == [w.meals.pk]
    assert sorted(service.languages.values_list("code", flat=True)) == ["fr", "nl"]
    sal = service.service_at_locations.get()
    assert sal.location == w.location
    assert [(s.byday, f"{s.opens_at:%H:%M}") for s in sal.schedules.all()] == [("MO,WE", "11:30")]
    manage = client_for(w.staff).get(f"/en/records/?organisation={w.org.pk}").content.decode()
    assert "Warme maaltijden aan huis" in manage and "No change waiting" in manage


def test_two_reviewers_publish_at_once_one_wins_the_other_is_told(w: World) -> None:
    revision = _submitted(w)
    first = actor_for_user(w.reviewer.user)
    records.revision_publish(actor=first, revision=revision)
    with pytest.raises(ValidationError, match="already reviewed this change") as refused:
        records.revision_publish(actor=first, revision=revision)
    assert "Nothing was changed" in refused.value.messages[0]
    assert Service.objects.count() == 1
    page = client_for(w.reviewer).post(f"/en/records/review/{revision.pk}/", {"action": "publish"}).content.decode()
    assert "already reviewed this change" in page


def test_a_published_service_edited_again_starts_from_the_live_record_and_shows_the_difference(w: World) -> None:
    revision = _submitted(w)
    records.revision_publish(actor=actor_for_user(w.reviewer.user), revision=revision)
    staff = client_for(w.staff)
    form = staff.get(f"/en/records/services/{revision.target}/").content.decode()
    assert 'value="Warme maaltijden aan huis"' in form and 'value="11:30"' in form
    staff.post(
        f"/en/records/services/{revision.target}/",
        service_post(w.org, w.location, maximum_age="99", types=[str(w.meals.pk)], status="temporarily closed"),
    )
    change = Revision.objects.get(status=Revision.Status.DRAFT)
    assert change.target == revision.target
    records.revision_submit(actor=actor_for_user(w.staff.user), revision=change)
    queue = client_for(w.reviewer).get("/en/records/review/").content.decode()
    assert "Age" in queue
    detail = client_for(w.reviewer).get(f"/en/records/review/{change.pk}/").content.decode()
    assert "From 65 years" in detail and "From 65 to 99 years" in detail and "2 fields change" in detail
    assert "Temporarily closed" in detail
    records.revision_publish(actor=actor_for_user(w.reviewer.user), revision=change)
    service = Service.objects.get(pk=revision.target)
    assert service.maximum_age == 99 and service.status == Service.Status.TEMPORARILY_CLOSED
    assert service.service_at_locations.get().schedules.count() == 1, "children replaced, not added twice"


def test_a_new_location_is_published_with_its_district_and_then_offered_in_the_service_form(w: World) -> None:
    staff = client_for(w.staff)
    staff.post(f"/en/records/locations/new/?organisation={w.org.pk}", {
        "organisation": w.org.pk, "name": "Buurtcentrum Brugse Poort", "address": "Sint-Pietersnieuwstraat 33",
        "accessibility": "Ingang zonder trap",
    })  # fmt: skip
    revision = Revision.objects.get(kind="location")
    staff.post(f"/en/records/changes/{revision.pk}/", {"action": "submit"})
    client_for(w.reviewer).post(f"/en/records/review/{revision.pk}/", {"action": "publish"})
    location = Location.objects.get(pk=revision.target)
    assert location.organisation == w.org and location.published_by == w.reviewer
    assert location.district is not None and location.district.number == 1
    assert location.accessibility.get().description == "Ingang zonder trap"
    form = staff.get(f"/en/records/services/new/?organisation={w.org.pk}").content.decode()
    assert "Buurtcentrum Brugse Poort" in form


def test_the_profile_is_published_under_the_organisations_own_id(w: World) -> None:
    staff = client_for(w.staff)
    staff.post(f"/en/records/profile/?organisation={w.org.pk}", {
        "organisation": w.org.pk, "description": "Zorg in de buurt", "legal_status": "vzw", "year_incorporated": "1998",
        "email": "info@buurtzorg.example",
    })  # fmt: skip
    revision = Revision.objects.get(kind="organization")
    records.revision_submit(actor=actor_for_user(w.staff.user), revision=revision)
    records.revision_publish(actor=actor_for_user(w.reviewer.user), revision=revision)
    profile = OrganisationRecord.objects.get(organisation=w.org)
    assert profile.pk == revision.target and profile.legal_status == "vzw" and profile.year_incorporated == 1998
    assert profile.published_by == w.reviewer
    w.org.refresh_from_db()
    assert w.org.description == "Zorg in de buurt" and w.org.name == "Buurtzorg Sint-Pieters"
    page = staff.get(f"/en/records/?organisation={w.org.pk}").content.decode()
    assert "Edit the profile" in page


def test_a_service_without_a_location_is_saved_too(w: World) -> None:
    org = w.other_org  # has no location
    staff = client_for(w.other_staff)
    form = staff.get(f"/en/records/services/new/?organisation={org.pk}").content.decode()
    assert "Add a location first" in form
    data = service_post(org, None, by_appointment="on", appointment_note="Bel eerst")
    assert staff.post(f"/en/records/services/new/?organisation={org.pk}", data).status_code == 302
    assert Revision.objects.get().document["service_at_locations"] == []


def test_every_saved_proposal_is_valid_hsds_and_a_bad_one_is_refused_before_review(w: World) -> None:
    from apps.directory.hsds import validate_schema

    revision = _new_service(w)
    validate_schema("service", revision.document, "service")  # the official compiled schema, with formats
    with pytest.raises(ValidationError, match="This change cannot be saved"):
        records.revision_save(
            actor=actor_for_user(w.staff.user), organisation=w.org, kind="service", target=revision.target,
            document={**revision.document, "status": "maybe"},
        )  # fmt: skip
    revision.refresh_from_db()
    assert revision.document["status"] == "active"
