"""Helpers' privacy from coordinators in the API (issue 6, items 3, 5 and 8): what the pages show, no more.

The coordinator's pages name a helper by first name and initial and show distances to 0.1 km; the API's
suggestions and explanations say the same.  "Why (not) this helper?" by number is limited to the helpers
the coordinator coordinates, the helpers already part of the request and the helpers who fit it: any
other number answers like a number that does not exist, so nobody can probe the helpers of the city
one number after the other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.care import services
from apps.care.models import CareRequest, HelperOffer, Match, Message
from apps.care.wording import short_name
from apps.people.models import Person

from .conftest import CareWorld

pytestmark = pytest.mark.django_db

API = "/api/v1/care"
UNKNOWN = {"detail": "There is no helper with this number."}


@pytest.fixture
def coordinator_api(care_world: CareWorld, client_for: Callable[[Person], Client]) -> Client:
    client = client_for(care_world.coordinator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def near_the_resident_but_of_another_district(
    world: CareWorld, make_helper: Callable[..., HelperOffer], name: str, **fields: object
) -> HelperOffer:
    """A helper who lives (as far as their district says) in the other coordinator's district, but
    whose point is 200 m from the resident: they fit the request without being this coordinator's."""
    offer = make_helper(
        world.other_district, name=name,
        lat_offset=world.district.interior_lat - world.other_district.interior_lat + 0.0009,
        lon=world.district.interior_lon, **fields,
    )  # fmt: skip
    assert offer.person.district_id == world.other_district.pk
    return offer


def test_suggestions_name_helpers_and_distances_as_the_pages_do(
    care_world: CareWorld, care_request: CareRequest, coordinator_api: Client
) -> None:
    response = coordinator_api.get(f"{API}/requests/{care_request.pk}/suggestions")
    assert response.status_code == 200
    (suggestion,) = [s for s in response.json() if s["helper_id"] == care_world.offer.pk]
    helper = care_world.helper
    assert suggestion["helper_name"] == short_name(helper) == f"{helper.first_name} {helper.last_name[0]}."
    assert helper.last_name not in response.content.decode()
    assert suggestion["distance_km"] == 0.3, "rounded to 0.1 km, as the page's “0.3 km away”"


def test_explanation_names_the_helper_and_distance_as_the_pages_do(
    care_world: CareWorld, care_request: CareRequest, coordinator_api: Client
) -> None:
    response = coordinator_api.get(f"{API}/requests/{care_request.pk}/explain/{care_world.offer.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["helper_name"] == short_name(care_world.helper)
    assert care_world.helper.last_name not in response.content.decode()
    assert body["eligible"] is True
    assert body["distance_km"] == 0.3


def test_explaining_a_helper_far_away_of_another_district_answers_like_an_unknown_number(
    care_world: CareWorld, care_request: CareRequest, coordinator_api: Client,
    make_helper: Callable[..., HelperOffer], client_for: Callable[[Person], Client],
) -> None:  # fmt: skip
    stranger = make_helper(care_world.other_district, name="Farah")  # at home in the other district: too far
    theirs = coordinator_api.get(f"{API}/requests/{care_request.pk}/explain/{stranger.pk}")
    missing = coordinator_api.get(f"{API}/requests/{care_request.pk}/explain/2000000000")
    assert (theirs.status_code, theirs.json()) == (missing.status_code, missing.json()) == (404, UNKNOWN)
    assert "Farah" not in theirs.content.decode()
    # the page's "Why not this helper?" by number answers the same
    page = client_for(care_world.coordinator).get(
        f"/en/coordinate/requests/{care_request.pk}/", {"helper": f"#{stranger.pk}"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert f"No helper has number {stranger.pk}." in text and "Farah" not in text


def test_a_helper_of_another_district_who_fits_or_is_named_on_the_request_can_be_explained(
    care_world: CareWorld, make_request: Callable[..., CareRequest], coordinator_api: Client,
    make_helper: Callable[..., HelperOffer],
) -> None:  # fmt: skip
    fitting = near_the_resident_but_of_another_district(care_world, make_helper, "Fien")
    far = make_helper(care_world.other_district, name="Ferre")
    request = make_request(preferred_helper_ids=[far.pk])
    fits = coordinator_api.get(f"{API}/requests/{request.pk}/explain/{fitting.pk}")
    assert fits.status_code == 200 and fits.json()["eligible"] is True, "one the suggestions would list anyway"
    named = coordinator_api.get(f"{API}/requests/{request.pk}/explain/{far.pk}")
    assert named.status_code == 200, "a preferred helper of the request"
    assert named.json()["eligible"] is False
    assert named.json()["helper_name"] == short_name(far.person)


def test_a_helper_of_the_coordinators_own_district_who_does_not_fit_can_be_explained(
    care_world: CareWorld, care_request: CareRequest, coordinator_api: Client,
    make_helper: Callable[..., HelperOffer],
) -> None:  # fmt: skip
    gardener = make_helper(care_world.district, name="Greta", categories=("gardening",))
    response = coordinator_api.get(f"{API}/requests/{care_request.pk}/explain/{gardener.pk}")
    assert response.status_code == 200
    assert response.json()["eligible"] is False


# --- issue 12, item 6: proposing goes the same way as explaining ---------------------------------------


def propose_api(client: Client, request: CareRequest, helper_id: int) -> Any:
    return client.post(
        f"{API}/requests/{request.pk}/propose", json.dumps({"helper_id": helper_id}), content_type="application/json"
    )


def said_on_the_page(client: Client, request: CareRequest, offer: int) -> list[str]:
    """What the coordinator is told after "Propose" on the request's page (the messages of the next page)."""
    page = client.post(f"/en/coordinate/requests/{request.pk}/propose/", {"offer": offer}, follow=True)
    assert page.status_code == 200 and page.redirect_chain[-1][0] == f"/en/coordinate/requests/{request.pk}/"
    return [str(m) for m in page.context["messages"]]


def test_proposing_a_helper_out_of_reach_answers_like_an_unknown_number(
    care_world: CareWorld, care_request: CareRequest, coordinator_api: Client,
    make_helper: Callable[..., HelperOffer], client_for: Callable[[Person], Client],
) -> None:  # fmt: skip
    """The attack: "Propose" with the number of a helper of another district answered "This helper does not
    fit this request: distance, ...", so numbers could be walked for the city's helpers and their rules,
    which "why (not) this helper?" already refused.  Both now go through one selector and say the same for
    such a helper as for a number nobody has: the API, the page and the service."""
    stranger = make_helper(care_world.other_district, name="Farah")  # at home in the other district: too far
    missing = 2_000_000_000
    theirs = propose_api(coordinator_api, care_request, stranger.pk)
    nobody = propose_api(coordinator_api, care_request, missing)
    assert (theirs.status_code, theirs.json()) == (nobody.status_code, nobody.json()) == (422, UNKNOWN)
    assert "Farah" not in theirs.content.decode() and "fit" not in theirs.content.decode()
    # "why (not) this helper?" answers the same for both, in its own way (a number in the path: 404)
    explained = [coordinator_api.get(f"{API}/requests/{care_request.pk}/explain/{n}") for n in (stranger.pk, missing)]
    assert [(e.status_code, e.json()) for e in explained] == [(404, UNKNOWN)] * 2

    page = client_for(care_world.coordinator)
    on_the_page = said_on_the_page(page, care_request, stranger.pk)
    unknown = ["Unknown helper: choose one of the suggestions."]
    assert on_the_page == said_on_the_page(page, care_request, missing) == unknown

    with pytest.raises(ValidationError) as refused:  # the service itself, for any other caller
        services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=stranger)
    assert (refused.value.code, refused.value.messages) == ("unknown_helper", [UNKNOWN["detail"]])
    assert not Match.objects.filter(request=care_request).exists()
    assert not Message.objects.filter(person=stranger.person).exists(), "the helper was not asked"


def test_a_helper_the_coordinator_may_name_is_still_proposed_or_told_why_not(
    care_world: CareWorld, care_request: CareRequest, coordinator_api: Client,
    make_helper: Callable[..., HelperOffer],
) -> None:  # fmt: skip
    """What the coordinator may see is unchanged: their own helper who does not fit is explained, and a
    helper of another district who fits (the suggestions list them) can be asked."""
    gardener = make_helper(care_world.district, name="Greta", categories=("gardening",))
    refused = propose_api(coordinator_api, care_request, gardener.pk)
    assert refused.status_code == 422 and "does not fit this request" in refused.json()["detail"]
    fitting = near_the_resident_but_of_another_district(care_world, make_helper, "Fien")
    asked = propose_api(coordinator_api, care_request, fitting.pk)
    assert asked.status_code == 201, asked.content
    assert asked.json()["helper"]["id"] == fitting.pk


def test_a_number_nobody_has_and_a_helper_out_of_reach_make_the_same_reads(
    care_world: CareWorld, care_request: CareRequest, coordinator_api: Client,
    make_helper: Callable[..., HelperOffer],
) -> None:  # fmt: skip
    """Not only the same answer: the same queries, so the time taken does not tell a helper's number from a
    free one either (timings themselves: ``bench/care/naming.py``)."""
    stranger = make_helper(care_world.other_district, name="Farah")
    coordinator_api.get(f"{API}/requests/{care_request.pk}/explain/1")  # the session's own writes come first
    for ask in (
        lambda n: coordinator_api.get(f"{API}/requests/{care_request.pk}/explain/{n}"),
        lambda n: propose_api(coordinator_api, care_request, n),
    ):
        counted = []
        for number in (stranger.pk, 2_000_000_000):
            with CaptureQueriesContext(connection) as queries:
                ask(number)
            counted.append([re.sub(r"\b\d+\b", "N", q["sql"]) for q in queries.captured_queries])
        assert counted[0] == counted[1]
