"""Coordinator pages speak the coordinator's language, not the engine's (issue 14).

No "Score 299,4", "Proven optimal", "Time taken" (computing time) or "Download as JSON" on the main pages:
the worklist, the rounds, a round, a request, a match and a person's page.  The numbers stay, folded in a
"Details of the calculation" disclosure for whoever wants them.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from apps.care import services
from apps.care.models import CareRequest, Match, MatchingRound

from .conftest import CareWorld
from .test_coordinator_pages import coordinator_client, text_of_details, text_outside_details  # noqa: F401

pytestmark = pytest.mark.django_db

ENGINE_WORDS = ("Score", "score", "Proven optimal", "proven optimal", "Time taken", "seconds", "engine", "JSON")


def test_the_main_pages_hide_the_engines_numbers_in_a_disclosure(
    coordinator_client: Client, care_world: CareWorld, care_request: CareRequest  # noqa: F811
) -> None:
    matching_round = services.round_start(actor=care_world.coordinator_actor, district_id=care_world.district.pk)
    services.round_run(matching_round.pk, [care_world.district.pk])
    assert MatchingRound.objects.get(pk=matching_round.pk).status == MatchingRound.Status.DONE
    match = Match.objects.create(request=care_request, helper=care_world.offer, status=Match.Status.PROPOSED,
                                 score=399.7, distance_km=0.3, created_at=timezone.now())  # fmt: skip
    pages = {
        "worklist": "/en/coordinate/",
        "rounds": "/en/coordinate/rounds/",
        "round": f"/en/coordinate/rounds/{matching_round.pk}/",
        "match": f"/en/coordinate/matches/{match.pk}/",
        "person": f"/en/persons/{care_world.resident.pk}/",
    }
    for name, path in pages.items():
        response = coordinator_client.get(path)
        assert response.status_code == 200, name
        shown = text_outside_details(response)
        assert not [word for word in ENGINE_WORDS if word in shown], (name, shown)

    round_page = coordinator_client.get(pages["round"])
    assert "Details of the calculation" in text_of_details(round_page)
    assert "Proven optimal" in text_of_details(round_page) and "Time taken" in text_of_details(round_page)
    person_page = coordinator_client.get(pages["person"])
    assert "Download as JSON" in text_of_details(person_page)


def test_the_request_page_names_distances_and_keeps_scores_behind_details(
    coordinator_client: Client, care_world: CareWorld, care_request: CareRequest  # noqa: F811
) -> None:
    response = coordinator_client.get(f"/en/coordinate/requests/{care_request.pk}/")

    shown = text_outside_details(response)
    assert "0.3 km away" in shown
    assert not [word for word in ENGINE_WORDS if word in shown], shown
    folded = text_of_details(response)
    helper = care_world.helper
    assert f"{helper.first_name} {helper.last_name[0]}.: score" in folded
