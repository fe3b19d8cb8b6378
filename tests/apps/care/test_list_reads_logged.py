"""Lists that show a person's name beside the kind of help they asked for are reads of care data too:
the worklist, the call list and a round's proposals write one access-log entry per request shown."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from apps.access.models import AccessLogEntry
from apps.care import services
from apps.care.models import CareRequest

from .conftest import CareWorld, actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(care_world: CareWorld) -> Client:
    TOTP.activate(care_world.coordinator.user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(care_world.coordinator.user)
    return client


def list_entries() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action="list", record_type="care.CareRequest"))


def test_the_worklist_logs_each_request_it_shows_once(
    coordinator: Client, care_world: CareWorld, care_request: CareRequest
) -> None:
    page = coordinator.get("/en/coordinate/")
    assert page.status_code == 200
    assert care_request.person.last_name in page.content.decode()
    entries = list_entries()
    assert [(e.record_id, e.subject_person_id) for e in entries] == [(str(care_request.pk), care_request.person_id)]
    entry = entries[0]
    assert entry.actor_person_id == care_world.coordinator.pk and entry.actor_role == "coordinator"
    assert entry.outcome == AccessLogEntry.Outcome.ALLOWED and "worklist" in entry.via
    assert care_request.description not in (entry.purpose + entry.via + entry.record_id), "never the data itself"
    coordinator.get("/en/coordinate/")
    assert len(list_entries()) == 2, "one entry per request per time it is shown"


def test_a_rounds_proposals_are_logged(coordinator: Client, care_world: CareWorld, care_request: CareRequest) -> None:
    matching_round = services.round_start(actor=actor(care_world.coordinator), district_id=None)
    services.round_run(matching_round.pk, [care_request.district_id])
    assert matching_round.proposals.count() == 1
    before = len(list_entries())
    assert coordinator.get(f"/en/coordinate/rounds/{matching_round.pk}/").status_code == 200
    assert len(list_entries()) == before + 1


def test_an_empty_call_list_logs_nothing(coordinator: Client) -> None:
    assert coordinator.get("/en/coordinate/calls/").status_code == 200
    assert list_entries() == []
