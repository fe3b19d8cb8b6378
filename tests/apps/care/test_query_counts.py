"""The care pages and API lists ask the database the same number of questions whatever the city's size.

The demo city is filled once with a small city (``fill_city --scale 0.01``: 200 more persons, 633
requests) and once with one five times as big (``--scale 0.05``), and every page and API list is
asked for by the demo person who uses it.  The two counts must be equal (a query per row would show
as a difference), and equal to the pinned ones below, so that a new query on a page is a decision
someone made, not an accident: change the number here when you add one on purpose.

Besides, the lighter problems the pages build (only the helpers near a request, only the requests near
a helper, one urgency at a time) must give exactly the engine's answer over the whole city.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from apps.access.actors import actor_for_user
from apps.care import problem, selectors
from apps.care.models import CareRequest
from apps.people.models import Person, Role
from cityofpeople.api import api
from domain.matching import fitting_requests, make_problem, suggest

pytestmark = pytest.mark.django_db

ROLES = ("coordinator", "helper", "resident")

EXPECTED = {
    "care:worklist": 20,  # with "new helpers to check" and "helpers who cancel often"
    "care:worklist_section": 13,  # the helpers who cancel often: a short list of ids read first
    "care:helper_home": 20,  # whether "I can help" would be refused (the day's takes, the requests held): issue 14
    "care:request_detail": 28,
    "care:call_list": 12,  # the persons no helper fits, and who of those called agreed to be called (one query each)
    "care:rounds": 7,
    "care:helper_matches": 8,  # the hours done in all (one sum) and the names shown logged (one insert): issue 14
    "care:my_requests": 10,
    "care:messages": 5,
    "GET /api/v1/care/categories": 6,
    "GET /api/v1/care/matches": 6,
    "GET /api/v1/care/offer": 11,  # cannot_take: the day's takes and the requests held (issue 14)
    "GET /api/v1/care/requests/mine": 7,
    "GET /api/v1/care/requests/near-me": 18,
    "GET /api/v1/care/rounds": 6,
    "GET /api/v1/care/worklist": 17,
    "GET /api/v1/care/requests/{request_id}/suggestions": 21,
}
"""Queries per page, middleware included (session, user, the person's roles, the access log), counted inside
the test's transaction: outside one, a write also counts its BEGIN and COMMIT (``bench/care/run.py``)."""


def the_request(coordinator: Person) -> CareRequest:
    """An open request of the demo in the coordinator's district: there before either city is filled."""
    actor = actor_for_user(coordinator.user)
    found = (
        selectors.requests_in_scope(actor)
        .filter(status=CareRequest.Status.OPEN, district_id__in=actor.district_scope(Role.COORDINATOR))
        .order_by("pk")
        .first()
    )
    assert found is not None
    return found


def pages(request_pk: int) -> dict[str, tuple[str, str]]:
    """Name → (role, URL): the pages of issue 6 item 9 and every API list that exists now."""
    with translation.override("nl"):
        found = {
            "care:worklist": ("coordinator", reverse("care:worklist")),
            "care:worklist_section": ("coordinator", reverse("care:worklist_section", args=["new"])),
            "care:helper_home": ("helper", reverse("care:helper_home")),
            "care:request_detail": ("coordinator", reverse("care:request_detail", args=[request_pk])),
            "care:call_list": ("coordinator", reverse("care:call_list")),
            "care:rounds": ("coordinator", reverse("care:rounds")),
            "care:helper_matches": ("helper", reverse("care:helper_matches")),
            "care:my_requests": ("resident", reverse("care:my_requests")),
            "care:messages": ("resident", reverse("care:messages")),
        }
    paths = api.get_openapi_schema()["paths"]
    for path in sorted(p for p, methods in paths.items() if p.startswith("/api/v1/care/") and "get" in methods):
        if "{" not in path:
            found[f"GET {path}"] = ("", path)
    if "/api/v1/care/requests/{request_id}/suggestions" in paths:
        found["GET /api/v1/care/requests/{request_id}/suggestions"] = (
            "coordinator",
            f"/api/v1/care/requests/{request_pk}/suggestions",
        )
    return found


def count_queries(clients: dict[str, Client], request_pk: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, (role, url) in pages(request_pk).items():
        # an API list is asked for by the first demo person who may (it says who: 403 for the others)
        client = next((clients[r] for r in ([role] if role else ROLES) if clients[r].get(url).status_code == 200), None)
        assert client is not None, f"{name}: no demo person may see it"
        client.get(url)  # once more: what a process reads once (district index, content types) is read now
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


@pytest.fixture
def clients(client_as: Callable[[str], Client]) -> dict[str, Client]:
    return {role: client_as(role) for role in ROLES}


def test_query_counts_do_not_grow_with_the_city(clients: dict[str, Client], person_of: Callable[[str], Person]) -> None:
    request_pk = the_request(person_of("coordinator")).pk
    with transaction.atomic():
        call_command("fill_city", scale=0.01, verbosity=0)
        small = count_queries(clients, request_pk)
        transaction.set_rollback(True)
    call_command("fill_city", scale=0.05, verbosity=0)
    assert CareRequest.objects.count() > 3000
    big = count_queries(clients, request_pk)
    assert big == small
    assert {name: small[name] for name in EXPECTED} == EXPECTED
    assert set(small) == set(EXPECTED), "a new API list: pin its count in EXPECTED"


# ----------------------------------------------------------------------------------------------------------
# the lighter problems give the engine's answer over the whole city


@pytest.fixture
def small_city(db: None) -> None:
    """600 persons, 150 helpers, 90 open requests: no demo needed."""
    call_command("fill_city", scale=0.03, verbosity=0)


def test_suggestions_from_nearby_helpers_are_those_of_the_whole_city(
    small_city: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "NEAREST_FIRST", 1)  # build few helpers at a time: every step is taken
    horizon = selectors._horizon()
    checked = 0
    for request in problem.open_requests().select_related("category").order_by("pk")[:60]:
        whole = problem.build_problem(requests=[request], horizon=horizon)
        if not whole.requests:
            continue
        for top in (None, 1, 3, 10):
            expected = [(s.helper, s.score) for s in suggest(whole, request.engine_id, top=top)]
            got = [(s.helper, s.score) for s, _offer in selectors.suggestions_for(request, top=top)]
            assert got == expected, (request.pk, top)
            checked += len(expected) >= 2
    assert checked > 40


@pytest.mark.parametrize(("limit", "first", "both"), [(2, 8, True), (5, 10, True), (30, 1, True), (30, 120, False)])
def test_requests_near_a_helper_are_the_best_the_whole_city_has_for_them(
    small_city: None, monkeypatch: pytest.MonkeyPatch, limit: int, first: int, both: bool
) -> None:
    """A page often fills with the best placed candidates (one go); otherwise the others come in the
    second go.  Both happen here (``both``; the small city is read in one go with the settings of the
    pages), and either way the page is the engine's over the whole city."""
    monkeypatch.setattr(selectors, "NEAR_ME_LIMIT", limit)
    monkeypatch.setattr(selectors, "NEAR_ME_FIRST", first)
    goes: list[int] = []
    read_windows = problem.RequestFacts.with_windows_of

    def counted(facts: problem.RequestFacts, requests: Any, **options: Any) -> problem.RequestFacts:
        goes[-1] += 1
        return read_windows(facts, requests, **options)

    monkeypatch.setattr(problem.RequestFacts, "with_windows_of", counted)
    horizon = selectors._horizon()
    # a helper is shown each request at its shown position (apps/care/position.py), never at the house
    everything = problem.request_rows(problem.open_requests().order_by("pk"), shown=True)
    checked = 0
    for offer in problem.available_offers().order_by("pk")[:60]:
        theirs = [r for r in everything if r.person_id != offer.person_id]
        whole = make_problem(problem.engine_requests(theirs, horizon), problem.engine_helpers([offer], horizon))
        expected = [(f.request, f.score) for f in fitting_requests(whole, offer.engine_id)][:limit]
        goes.append(0)
        got = [(fit.request, fit.score) for fit, _summary in selectors.requests_near(offer)]
        assert got == expected, offer.pk
        checked += len(expected) >= 2
    assert checked > 5
    assert {1, 2} <= set(goes) if both else 2 not in goes, goes
