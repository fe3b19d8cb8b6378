"""Every attempt to take a request is in the access log once (issue 6, item 5), in the API as on the page.

"I can help" on a request the helper may not take (a professional kind of help, someone who is not a
helper) answers like a missing request, and the refused attempt is one entry of the access log; a
request another helper was faster for is one entry too; a success is one entry, the read of the visit.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.access.models import AccessLogEntry
from apps.care import services
from apps.care.models import CareRequest, HelperOffer
from apps.people.models import Person, Role

from .conftest import CareWorld, grant, make_person

pytestmark = pytest.mark.django_db

API = "/api/v1/care"


def entries(person: Person, request: CareRequest) -> list[tuple[str, str]]:
    return list(
        AccessLogEntry.objects.filter(
            actor_person_id=person.pk, record_type="care.CareRequest", record_id=str(request.pk)
        ).values_list("outcome", "purpose")
    )


@pytest.fixture
def nursing(make_request: Callable[..., CareRequest]) -> CareRequest:
    """A request for professional care: never taken by a volunteer (a referral instead)."""
    return make_request(category="nursing", description="Wondzorg aan mijn been.")


@pytest.mark.parametrize("where", ["api", "page"])
def test_a_take_refused_by_the_rule_is_logged_once(
    care_world: CareWorld, nursing: CareRequest, client_for: Callable[[Person], Client], where: str
) -> None:
    client = client_for(care_world.helper)
    if where == "api":
        response = client.post(f"{API}/requests/{nursing.pk}/take", HTTP_ACCEPT_LANGUAGE="en")
        missing = client.post(f"{API}/requests/2000000000/take", HTTP_ACCEPT_LANGUAGE="en")
        assert (response.status_code, response.json()) == (missing.status_code, missing.json())
    else:
        response = client.post(f"/en/help/requests/{nursing.pk}/take/")
    assert response.status_code == 404
    assert entries(care_world.helper, nursing) == [("denied", "care.take_request")]
    assert not nursing.matches.exists()


def test_a_take_by_someone_who_is_not_a_helper_is_logged_once_in_the_api(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[[Person], Client]
) -> None:
    neighbour = make_person("Nina", care_world.district)
    grant(neighbour, Role.RESIDENT)
    response = client_for(neighbour).post(f"{API}/requests/{care_request.pk}/take", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert entries(neighbour, care_request) == [("denied", "care.take_request")]
    assert not care_request.matches.exists()


@pytest.mark.parametrize("where", ["api", "page"])
def test_a_take_refused_because_another_helper_was_faster_is_logged_once(
    care_world: CareWorld, care_request: CareRequest, make_helper: Callable[..., HelperOffer],
    client_for: Callable[[Person], Client], where: str,
) -> None:  # fmt: skip
    services.request_take(actor=care_world.helper_actor, request=care_request)
    late = make_helper(care_world.district, name="Laura", lat_offset=0.001).person
    client = client_for(late)
    if where == "api":
        response = client.post(f"{API}/requests/{care_request.pk}/take", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 409
    else:
        response = client.post(f"/en/help/requests/{care_request.pk}/take/")
        assert response.status_code == 302
    assert entries(late, care_request) == [("allowed", "care.take_request")]


def test_a_successful_take_in_the_api_is_one_entry_the_read_of_the_visit(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[[Person], Client]
) -> None:
    response = client_for(care_world.helper).post(f"{API}/requests/{care_request.pk}/take")
    assert response.status_code == 200
    assert response.json()["visit"]["street"] == care_request.street
    assert entries(care_world.helper, care_request) == [("allowed", "care.view_request")]
