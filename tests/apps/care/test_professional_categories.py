"""Professional care is never given by volunteers (review of issue 6).

When an administrator marks an existing category professional (in the admin's list, a tick), its requests
that still look for a volunteer, or have one, become referrals and their live matches are called off; a
referred or professional request then never reaches a volunteer: not on the helper's "near me" page, not
in a round's problem, not among the suggestions, and it cannot be taken by page or API.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import translation

from apps.care import selectors, services
from apps.care.models import CareCategory, CareRequest, HelperOffer, Match, MatchEvent, Message, Referral
from apps.care.problem import open_requests
from apps.people.models import Person, Role

from .conftest import CareWorld, begun, grant, make_person, tomorrow_at

pytestmark = pytest.mark.django_db

VISIT_CANCELLED = "A visit was cancelled."
PROFESSIONAL = "Your request is for professional care: a professional service will help, not a volunteer."


def nl(msgid: str) -> str:
    """The text as the person receives it (the platform's language)."""
    with translation.override("nl"):
        return translation.gettext(msgid)


@pytest.fixture
def administrator(care_world: CareWorld) -> Person:
    person = make_person("Ada", care_world.district)
    person.user.is_staff = person.user.is_superuser = True
    person.user.save()
    grant(person, Role.ADMINISTRATOR)
    return person


def tick_professional(client: Client, category: CareCategory) -> object:
    """Save the admin's category list with ``category`` ticked professional (the others as they are)."""
    rows = list(CareCategory.objects.order_by("order", "code"))
    data: dict[str, str] = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)), "_save": "Save"}
    for i, row in enumerate(rows):
        data[f"form-{i}-id"] = str(row.pk)
        data[f"form-{i}-order"] = str(row.order)
        if row.active:
            data[f"form-{i}-active"] = "on"
        if row.professional or row.pk == category.pk:
            data[f"form-{i}-professional"] = "on"
    return client.post("/en/admin/care/carecategory/", data)


def test_ticking_a_category_professional_in_the_admin_list_refers_its_requests(
    client_for: Callable[[Person], Client],
    care_world: CareWorld,
    make_request: Callable[..., CareRequest],
    make_helper: Callable[..., HelperOffer],
    administrator: Person,
) -> None:
    world = care_world
    HelperOffer.objects.filter(pk=world.offer.pk).update(requests_per_week=3)
    asked = make_request()
    asked_match = services.match_propose(actor=world.coordinator_actor, request=asked, offer=world.offer)
    held = make_request()
    held_match = services.request_take(actor=world.helper_actor, request=held)
    start = tomorrow_at(14)  # after the other requests' times: two visits of one helper never overlap (issue 14)
    services.match_plan(actor=world.helper_actor, match=held_match, start=start, end=start + timedelta(hours=1))
    finished = make_request()
    visit = services.request_take(actor=world.helper_actor, request=finished)
    begun(visit)  # a visit is logged once it was planned and has begun (issue 14)
    services.match_done(actor=world.helper_actor, match=visit, hours=services.Decimal("1"))
    elsewhere = make_request(category="gardening")

    response = tick_professional(client_for(administrator), world.categories["shopping"])

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert CareCategory.objects.get(code="shopping").professional
    for request, match in ((asked, asked_match), (held, held_match)):
        request.refresh_from_db()
        match.refresh_from_db()
        assert request.status == CareRequest.Status.REFERRED
        assert Referral.objects.filter(request=request, status=Referral.Status.TO_REFER).exists()
        assert match.status == Match.Status.CANCELLED
        event = MatchEvent.objects.filter(match=match).order_by("pk").last()
        assert event is not None and (event.to_status, event.actor) == ("cancelled", administrator)
        helper_told = Message.objects.filter(person=world.helper, link=f"/nl/help/matches/{match.pk}/")
        assert helper_told.filter(text=nl(VISIT_CANCELLED)).count() == 1
        told = Message.objects.filter(person=world.resident, link=f"/nl/care/requests/{request.pk}/")
        assert told.filter(text=nl(PROFESSIONAL)).count() == 1
    finished.refresh_from_db()
    elsewhere.refresh_from_db()
    assert finished.status == CareRequest.Status.DONE, "what is done stays done"
    assert elsewhere.status == CareRequest.Status.OPEN, "other categories do not move"
    assert not Referral.objects.filter(request__in=[finished, elsewhere]).exists()
    assert world.offer.matches.filter(status__in=Match.HOLDING).count() == 0


def test_the_service_does_nothing_for_a_category_that_is_not_professional(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    shopping = care_request.category
    assert services.category_became_professional(actor=care_world.coordinator_actor, category=shopping) == 0
    care_request.refresh_from_db()
    assert care_request.status == CareRequest.Status.OPEN


# --- never to a volunteer ---------------------------------------------------------------------------------


def referred(world: CareWorld, make_request: Callable[..., CareRequest], how: str) -> CareRequest:
    """A request volunteers must never get: asked in a professional category, or its category made
    professional later, or made professional and then back (the request stays referred)."""
    if how == "asked as professional care":
        request = make_request(category="nursing")
        assert request.status == CareRequest.Status.REFERRED
        return request
    request = make_request()
    shopping = CareCategory.objects.get(code="shopping")
    shopping.professional = True
    shopping.save()
    services.category_became_professional(actor=world.coordinator_actor, category=shopping)
    if how == "category back to volunteers":
        shopping.professional = False
        shopping.save()
    request.refresh_from_db()
    assert request.status == CareRequest.Status.REFERRED
    return request


@pytest.mark.parametrize(
    "how", ["asked as professional care", "category made professional", "category back to volunteers"]
)
def test_a_referred_request_never_reaches_a_volunteer(
    client_for: Callable[[Person], Client],
    care_world: CareWorld,
    make_request: Callable[..., CareRequest],
    how: str,
) -> None:
    world = care_world
    # the helper offers everything volunteers may do, the category of the request included when it is back
    world.offer.categories.add(*CareCategory.objects.filter(professional=False))
    request = referred(world, make_request, how)
    request = CareRequest.objects.select_related("category").get(pk=request.pk)
    helper = client_for(world.helper)

    near_me = helper.get("/en/help/")
    assert near_me.status_code == 200
    assert f"/help/requests/{request.pk}/" not in near_me.content.decode()
    assert request.pk not in [summary.pk for _fit, summary in selectors.requests_near(world.offer)]

    assert request not in open_requests()
    matching_round = services.round_start(actor=world.coordinator_actor, district_id=world.district.pk)
    ran = services.round_run(matching_round.pk, [world.district.pk])
    assert request.engine_id not in [r["id"] for r in (ran.problem or {}).get("requests", [])]
    assert not ran.proposals.filter(request=request).exists()

    assert selectors.suggestions_for(request) == []
    coordinator = client_for(world.coordinator)
    coordinator.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert coordinator.get(f"/api/v1/care/requests/{request.pk}/suggestions").json() == []
    assert "Propose" not in coordinator.get(f"/en/coordinate/requests/{request.pk}/").content.decode()

    assert helper.post(f"/en/help/requests/{request.pk}/take/").status_code in (302, 404)
    api = helper.post(f"/api/v1/care/requests/{request.pk}/take", json.dumps({}), content_type="application/json")
    assert api.status_code in (404, 409)
    with pytest.raises((services.ValidationError, services.PermissionDenied)):
        services.request_take(actor=world.helper_actor, request=request)
    with pytest.raises((services.ValidationError, services.PermissionDenied)):
        services.match_propose(actor=world.coordinator_actor, request=request, offer=world.offer)
    assert not Match.objects.filter(request=request).exists()
    request.refresh_from_db()
    assert request.status == CareRequest.Status.REFERRED
