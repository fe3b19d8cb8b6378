"""Attacks on "Our services", the city's review and the public search through HTTP: another organisation's
records by id, forged form fields (another organisation's location, extra fields), hostile values.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.test import Client

from apps.access.actors import actor_for_user
from apps.directory import records
from apps.directory.models import Revision, Service

from .records_builders import World, client_for, published_location, published_service, service_post, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


def _their_draft(w: World) -> Revision:
    target = uuid.uuid4()
    return records.revision_save(
        actor=actor_for_user(w.other_staff.user), organisation=w.other_org, kind="service", target=target,
        document={"id": str(target), "name": "Hun geheim plan", "status": "active"},
    )  # fmt: skip


def _same(client: Client, url: str, missing: str) -> None:
    found, absent = client.get(url), client.get(missing)
    assert found.status_code == absent.status_code and found.status_code in (403, 404), (url, found.status_code)


def test_another_organisations_records_and_changes_are_as_missing(w: World) -> None:
    theirs = published_service(w.other_org, "Hun dienst")
    their_location = published_location(w.other_org, "Hun gebouw")
    draft = _their_draft(w)
    ingrid = client_for(w.staff)
    _same(ingrid, f"/en/records/services/{theirs.pk}/", f"/en/records/services/{uuid.uuid4()}/")
    _same(ingrid, f"/en/records/locations/{their_location.pk}/", f"/en/records/locations/{uuid.uuid4()}/")
    _same(ingrid, f"/en/records/services/{draft.target}/", f"/en/records/services/{uuid.uuid4()}/")
    _same(ingrid, f"/en/records/changes/{draft.pk}/", f"/en/records/changes/{draft.pk + 1000}/")
    _same(ingrid, f"/en/records/?organisation={w.other_org.pk}", "/en/records/?organisation=999999")
    _same(ingrid, f"/en/records/services/new/?organisation={w.other_org.pk}",
          "/en/records/services/new/?organisation=999999")  # fmt: skip
    # a reviewer never sees a draft (it is the organisation's until it is sent)
    _same(client_for(w.reviewer), f"/en/records/review/{draft.pk}/", f"/en/records/review/{draft.pk + 1000}/")
    before = list(Service.objects.values()), list(Revision.objects.values())
    ingrid.post(f"/en/records/services/{theirs.pk}/", service_post(w.org))
    ingrid.post(f"/en/records/changes/{draft.pk}/", {"action": "submit"})
    ingrid.post(f"/en/records/changes/{draft.pk}/", {"action": "withdraw"})
    ingrid.post("/en/records/confirm/", {"kind": "service", "target": str(theirs.pk), "organisation": w.org.pk})
    ingrid.post(f"/en/records/services/new/?organisation={w.other_org.pk}", service_post(w.other_org))
    assert (list(Service.objects.values()), list(Revision.objects.values())) == before


def test_a_forged_service_form_cannot_offer_it_at_another_organisations_location(w: World) -> None:
    their_location = published_location(w.other_org, "Hun gebouw")
    ingrid = client_for(w.staff)
    data = service_post(w.org, their_location)
    response = ingrid.post(f"/en/records/services/new/?organisation={w.org.pk}", data)
    assert response.status_code == 200 and not Revision.objects.exists()
    forged = {"hours-0-location": str(their_location.pk), "id": str(uuid.uuid4()), "target": str(uuid.uuid4()),
              "organisation_id": w.other_org.pk}  # fmt: skip
    data = service_post(w.org, w.location, **forged)
    response = ingrid.post(f"/en/records/services/new/?organisation={w.org.pk}", data)
    assert response.status_code in (200, 302)
    assert all(str(their_location.pk) not in json.dumps(r.document) for r in Revision.objects.all())


@pytest.mark.parametrize(
    "changes",
    [
        {"name": "Naam\x00"},
        {"description": "x" * 1_000_000},
        {"minimum_age": "-1"},
        {"minimum_age": "9" * 30},
        {"minimum_age": "NaN"},
        {"amount": "NaN"},
        {"amount": "1e400"},
        {"amount": "-5"},
        {"status": "gestopt"},
        {"url": "javascript:alert(1)"},
        {"hours-0-opens_at": "25:00"},
        {"hours-TOTAL_FORMS": "100000"},
        {"locations": ["not-a-uuid"]},
        {"types": ["not-a-uuid"]},
        {"languages": ["\x00"]},
    ],
)
def test_hostile_values_in_the_service_form_are_refused_and_save_nothing(w: World, changes: dict[str, object]) -> None:
    response = client_for(w.staff).post(f"/en/records/services/new/?organisation={w.org.pk}",
                                        service_post(w.org, w.location, **changes))  # fmt: skip
    assert response.status_code in (200, 400), response.status_code
    assert not Revision.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"words": "\x00"},
        {"words": "x" * 100_000},
        {"address": "\x00"},
        {"address": "x" * 100_000},
        {"day": "9999-99-99"},
        {"day": "0001-01-01"},
        {"page": "9" * 30},
        {"page": "-1"},
        {"need": "not-a-uuid"},
        {"district": "99999999999999999999"},
        {"language": "\x00"},
        {"open_now": "NaN"},
        {"sort": "need"},
    ],
)
def test_the_public_search_answers_hostile_queries_without_a_server_error(w: World, query: dict[str, str]) -> None:
    for path in ("/en/find-help/", "/en/find-help/print/"):
        assert Client().get(path, query).status_code in (200, 400), (path, query)
    assert Client().get(f"/en/find-help/services/{uuid.uuid4()}/").status_code == 404
