"""Which past matches keep a helper away from a request: declining it, or calling off a visit they held.

A proposal closed because another helper was faster, or a visit the resident or coordinator called off,
says nothing against the helper: they must stay eligible when the request looks for someone again.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from apps.care import services
from apps.care.models import CareRequest, HelperOffer, Match
from apps.care.problem import Horizon, build_problem

from .conftest import CareWorld, actor

pytestmark = pytest.mark.django_db


def excluded(request: CareRequest) -> tuple[str, ...]:
    problem = build_problem(requests=[request], horizon=Horizon.from_now(days=14))
    return problem.requests[0].excluded_helpers


def test_the_helper_who_lost_the_race_can_be_asked_again(
    care_world: CareWorld, care_request: CareRequest, make_helper: Callable[..., HelperOffer]
) -> None:
    coordinator = actor(care_world.coordinator)
    second = make_helper(care_world.district, name="Selin")
    first_ask = services.match_propose(actor=coordinator, request=care_request, offer=care_world.offer)
    services.match_propose(actor=coordinator, request=care_request, offer=second)
    won = services.match_accept(actor=actor(second.person), match=Match.objects.get(helper=second))
    first_ask.refresh_from_db()
    assert first_ask.status == Match.Status.CANCELLED, "closed when the other helper accepted"
    services.match_cancel(actor=coordinator, match=won, reason="The resident moved the appointment")
    assert excluded(care_request) == (), "neither helper said no to this request"


def test_a_helper_who_called_off_a_visit_they_held_is_not_asked_again(
    care_world: CareWorld, care_request: CareRequest
) -> None:
    match = services.request_take(actor=actor(care_world.helper), request=care_request)
    services.match_cancel(actor=actor(care_world.helper), match=match, reason="I am ill that week")
    assert excluded(care_request) == (care_world.offer.engine_id,)


def test_a_declined_proposal_keeps_the_helper_away(care_world: CareWorld, care_request: CareRequest) -> None:
    match = services.match_propose(actor=actor(care_world.coordinator), request=care_request, offer=care_world.offer)
    services.match_decline(actor=actor(care_world.helper), match=match, reason="Too far for me on foot")
    assert excluded(care_request) == (care_world.offer.engine_id,)
