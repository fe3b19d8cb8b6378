"""A person's page lists their requests for help and visits (issue 14, "The care flow, mended").

The page belongs to the people app, which imports no capability: care declares the section in its
``capability.py`` (``PersonSection``), behind the rule ``care.view_care_of_person``, and logs what it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.access.models import AccessLogEntry
from apps.care.models import CareRequest, Match
from apps.people.models import Consent, Purpose

from .conftest import CareWorld, local
from .test_coordinator_pages import text_of

pytestmark = pytest.mark.django_db


def four_requests(world: CareWorld, make_request: Callable[..., CareRequest]) -> list[CareRequest]:
    """Four requests of the world's resident: one with a planned visit, one done with 1.5 hours, two open."""
    made = [make_request(category=c) for c in ("shopping", "company", "gardening", "shopping")]
    today = timezone.localdate()
    Match.objects.create(
        request=made[0], helper=world.offer, status=Match.Status.PLANNED,
        planned_start=local(today + timedelta(days=1), 10), planned_end=local(today + timedelta(days=1), 11),
    )  # fmt: skip
    Match.objects.create(
        request=made[1], helper=world.offer, status=Match.Status.DONE, hours=Decimal("1.5"),
        planned_start=local(today - timedelta(days=3), 14), planned_end=local(today - timedelta(days=3), 15),
        done_at=local(today - timedelta(days=3), 16),
    )  # fmt: skip
    return made


def test_the_coordinator_sees_the_persons_requests_and_visits(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[..., Client]
) -> None:
    made = four_requests(care_world, make_request)
    client = client_for(care_world.coordinator)

    response = client.get(f"/en/persons/{care_world.resident.pk}/")

    page = text_of(response)
    assert "Requests for help and visits" in page
    html = response.content.decode()
    for care_request in made:
        assert f'href="/en/coordinate/requests/{care_request.pk}/"' in html
    helper = f"{care_world.helper.first_name} {care_world.helper.last_name[0]}."
    assert f"{helper} : planned" in page  # the helper's name is a link to the visit
    assert f"{helper} : done" in page and "1.5 hours" in page
    assert page.count("No helper yet.") == 2
    # what the section shows is read care data: one entry per request, as on the worklist
    logged = AccessLogEntry.objects.filter(
        actor_person_id=care_world.coordinator.pk, purpose="care.view_care_of_person", action="list"
    )
    assert sorted(int(e.record_id) for e in logged) == sorted(r.pk for r in made)


def test_without_consent_or_outside_the_scope_nothing_of_care_is_shown(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[..., Client]
) -> None:
    four_requests(care_world, make_request)
    Consent.objects.filter(person=care_world.resident, purpose=Purpose.CARE_MATCHING).update(
        withdrawn_at=timezone.now()
    )
    page = text_of(client_for(care_world.coordinator).get(f"/en/persons/{care_world.resident.pk}/"))
    assert "Requests for help and visits" not in page and "Shopping" not in page
    assert not AccessLogEntry.objects.filter(purpose="care.view_care_of_person").exists()
    # the coordinator of another district does not even get the page
    other = client_for(care_world.other_coordinator).get(f"/en/persons/{care_world.resident.pk}/")
    assert other.status_code == 404


def test_the_section_reads_a_bounded_number_of_queries(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[..., Client]
) -> None:
    client = client_for(care_world.coordinator)
    four_requests(care_world, make_request)

    def more(count: int) -> None:
        for _ in range(count):
            made = make_request()
            Match.objects.create(request=made, helper=care_world.offer, status=Match.Status.PROPOSED)

    more(7)
    client.get(f"/en/persons/{care_world.resident.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/en/persons/{care_world.resident.pk}/")
    more(10)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/en/persons/{care_world.resident.pk}/")
    assert len(many) == len(few)
    assert "The 10 most recent of 21 requests." in text_of(response)
