"""After the visit, the helper keeps the person's details for a week, not for ever (issue 6, item 5).

While a helper holds a request they see who, where and what; after the visit (its planned end, or when
it was logged done if it was never planned) for ``CARE_AFTER_VISIT`` more; then only their own match
and the anonymous card, on the page and in the API.  A recurring request that goes on with the same
helper (continuity) keeps them in the know through the next accepted match.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from apps.access.rules import can
from apps.care import selectors, services
from apps.care.models import CareRequest, Match
from apps.care.rules import CARE_AFTER_VISIT
from apps.people.models import Person

from .conftest import CareWorld, begun, clock

pytestmark = pytest.mark.django_db

ENDED = "A week after the visit, the name, the address and the phone number are no longer shown"


def done_visit(world: CareWorld, request: CareRequest, *, planned_days_ago: int = 0) -> Match:
    """The world's helper took the request and logged the visit just now (planned to end now, or some days
    ago: a visit is logged only once it was planned and has begun)."""
    match = services.request_take(actor=world.helper_actor, request=request)
    begun(match, ended_ago=timedelta(days=planned_days_ago))
    return services.match_done(actor=world.helper_actor, match=match, hours=Decimal("1"), feedback="Fijn.")


def sees_details(world: CareWorld, request: CareRequest) -> bool:
    return can(world.helper_actor, "care.view_request", CareRequest.objects.get(pk=request.pk))


def test_the_helper_sees_the_details_for_a_week_after_the_visit_then_no_more(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[[Person], Client]
) -> None:
    match = done_visit(care_world, care_request)
    client = client_for(care_world.helper)
    page = client.get(f"/en/help/matches/{match.pk}/")
    assert care_request.street in page.content.decode() and ENDED in page.content.decode()
    with clock(timezone.now() + CARE_AFTER_VISIT - timedelta(hours=1)):
        assert sees_details(care_world, care_request)
    with clock(timezone.now() + CARE_AFTER_VISIT + timedelta(hours=1)):
        assert not sees_details(care_world, care_request)
        with pytest.raises(Http404):
            selectors.request_for(care_world.helper_actor, care_request.pk, None)
        client = client_for(care_world.helper)  # signed in again: a session does not last a week unused
        page = client.get(f"/en/help/matches/{match.pk}/")
        html = page.content.decode()
        assert page.status_code == 200, "the helper still sees their own match: hours, feedback, the card"
        assert care_request.street not in html and care_request.description not in html
        assert care_world.resident.last_name not in html and ENDED in html
        api = client.get(f"/api/v1/care/matches/{match.pk}")
        assert api.status_code == 200 and api.json()["visit"] is None and api.json()["hours"] == 1.0
        assert client.get(f"/api/v1/care/requests/{care_request.pk}").status_code == 404
    # the resident and the coordinator keep their view
    assert can(care_world.resident_actor, "care.view_request", care_request)
    assert can(care_world.coordinator_actor, "care.view_request", care_request)


def test_the_week_counts_from_the_visit_not_from_when_it_was_logged(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    """A visit planned ten days ago and logged done only today: its week is already over."""
    done_visit(care_world, care_request, planned_days_ago=10)
    assert not sees_details(care_world, care_request)


def test_a_recurring_request_that_goes_on_with_the_same_helper_keeps_them_in_the_know(
    care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    until = timezone.localdate() + timedelta(days=40)
    weekly = make_request(recurrence=CareRequest.Recurrence.WEEKLY, repeat_until=until)
    match = begun(services.request_take(actor=care_world.helper_actor, request=weekly))
    services.match_done(actor=care_world.helper_actor, match=match, hours=Decimal("1"), would_come_again=True)
    follow = Match.objects.get(request=weekly, status=Match.Status.ACCEPTED)
    assert follow.helper_id == care_world.offer.pk
    with clock(timezone.now() + CARE_AFTER_VISIT + timedelta(days=1)):
        assert sees_details(care_world, weekly), "the next visit is theirs: continuity"
    services.match_cancel(actor=care_world.helper_actor, match=follow, reason="Ik verhuis.")
    with clock(timezone.now() + CARE_AFTER_VISIT + timedelta(days=1)):
        assert not sees_details(care_world, weekly)
