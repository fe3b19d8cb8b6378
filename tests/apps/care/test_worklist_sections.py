"""Every row of a worklist section, a page at a time: what the worklist leaves out after its first rows.

A section's page has the worklist's scope (the coordinator's districts and organisations only), its
order, its access-log entries (one per request shown) and its rule (``care.view_worklist``); its
pages are plain links, and the number of queries does not grow with the rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.access.models import AccessLogEntry
from apps.care import selectors, services
from apps.care.models import CareRequest, HelperOffer
from apps.care.views_coordinator import SECTION_PAGE_SIZE, SECTION_TEXTS
from apps.people.models import Person

from .conftest import CareWorld

pytestmark = pytest.mark.django_db

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
MANY = max(selectors.WORKLIST_LIMIT, SECTION_PAGE_SIZE) + 5
"""More than the worklist shows and than one page of a section holds."""
NEW = "/en/coordinate/worklist/new/"

SECTION_QUERIES = 12
"""Queries of a section's page: five of the middleware (session, user, roles, second factor), the requests
waiting for a referral in one (a coordinator for an organisation has one more: the persons it follows), the
helpers who cancel often in one, then
the rows counted in one, read in one, the categories and districts in one each, and their access-log entries
written in one, however many rows there are."""


def signed_in(person: Person) -> Client:
    """A coordinator of the care world, with the second factor that staff must have."""
    TOTP.activate(person.user, TOTP_SECRET)
    client = Client()
    client.force_login(person.user)
    return client


@pytest.fixture
def coordinator_client(care_world: CareWorld) -> Client:
    return signed_in(care_world.coordinator)


@pytest.fixture
def many_new(make_request: Callable[..., CareRequest]) -> list[CareRequest]:
    """More new requests than the worklist shows, in the order it shows them (same urgency: oldest first)."""
    return [make_request() for _ in range(MANY)]


def request_links(response: object) -> list[int]:
    """The requests a page lists, in their order."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return [int(pk) for pk in re.findall(r'href="/en/coordinate/requests/(\d+)/"', html)]


def logged() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action="list", record_type="care.CareRequest").order_by("pk"))


def test_the_worklist_links_a_capped_section_to_its_whole_list(
    coordinator_client: Client, many_new: list[CareRequest]
) -> None:
    response = coordinator_client.get("/en/coordinate/")
    html = response.content.decode()
    assert request_links(response) == [r.pk for r in many_new[: selectors.WORKLIST_LIMIT]]
    assert f'<a href="{NEW}">See all: New requests</a>' in html
    assert "/en/coordinate/worklist/without_helper/" not in html, "a section that is not capped has no link"


def test_a_coordinator_sees_the_rows_beyond_the_first_page_on_page_2(
    coordinator_client: Client, many_new: list[CareRequest]
) -> None:
    first = coordinator_client.get(NEW)
    second = coordinator_client.get(NEW, {"page": 2})

    assert first.status_code == second.status_code == 200
    assert request_links(first) == [r.pk for r in many_new[:SECTION_PAGE_SIZE]]
    assert request_links(second) == [r.pk for r in many_new[SECTION_PAGE_SIZE:]]
    first_html, second_html = first.content.decode(), second.content.decode()
    assert "Page 1 of 2" in first_html and "Page 2 of 2" in second_html
    assert '<a href="?page=2" rel="next">Next page</a>' in first_html and 'rel="prev"' not in first_html
    assert '<a href="?page=1" rel="prev">Previous page</a>' in second_html and 'rel="next"' not in second_html
    assert f'<h1 id="h-new">New requests <span class="care-count">({MANY})</span></h1>' in first_html


def test_a_page_out_of_range_shows_the_last_one_and_a_bad_one_the_first(
    coordinator_client: Client, many_new: list[CareRequest]
) -> None:
    assert request_links(coordinator_client.get(NEW, {"page": 99})) == [r.pk for r in many_new[SECTION_PAGE_SIZE:]]
    assert request_links(coordinator_client.get(NEW, {"page": "x"})) == [r.pk for r in many_new[:SECTION_PAGE_SIZE]]


def test_each_section_lists_what_the_worklist_lists(
    coordinator_client: Client, care_world: CareWorld, make_request: Callable[..., CareRequest]
) -> None:
    asked = make_request()
    services.match_propose(actor=care_world.coordinator_actor, request=asked, offer=care_world.offer)
    nobody = make_request()
    CareRequest.objects.filter(pk=nobody.pk).update(eligible_helpers=0)
    call_back = make_request(follow_up_on=timezone.localdate())
    expected = {
        "to_check": [],  # a new helper's take: its row links to the match
        "new": [call_back.pk],
        "waiting": [],  # a proposal's row links to the match
        "without_helper": [nobody.pk],
        "follow_ups": [call_back.pk],
        "overdue": [],
        "referrals": [],
        "cancelling": [],
    }
    assert set(expected) == set(SECTION_TEXTS)
    for section, pks in expected.items():
        response = coordinator_client.get(f"/en/coordinate/worklist/{section}/")
        assert response.status_code == 200, section
        assert request_links(response) == pks, section
        assert "Page 1 of 1" in response.content.decode()
    waiting = coordinator_client.get("/en/coordinate/worklist/waiting/").content.decode()
    match = asked.matches.get()
    assert f'href="/en/coordinate/matches/{match.pk}/"' in waiting and str(asked.person) in waiting


def test_a_coordinator_of_another_district_sees_none_of_them(
    care_world: CareWorld, many_new: list[CareRequest]
) -> None:
    other = signed_in(care_world.other_coordinator)
    for section in SECTION_TEXTS:
        for page in (1, 2):
            response = other.get(f"/en/coordinate/worklist/{section}/", {"page": page})
            assert response.status_code == 200
            assert request_links(response) == [], section
            assert str(care_world.resident) not in response.content.decode()
            assert "Nothing here." in response.content.decode()
    assert logged() == []


def test_the_rows_shown_are_in_the_access_log(
    coordinator_client: Client, care_world: CareWorld, many_new: list[CareRequest]
) -> None:
    coordinator_client.get(NEW, {"page": 2})
    entries = logged()
    assert [(int(e.record_id), e.subject_person_id) for e in entries] == [
        (r.pk, r.person_id) for r in many_new[SECTION_PAGE_SIZE:]
    ]
    assert all(e.actor_person_id == care_world.coordinator.pk and e.purpose == "care.view_worklist" for e in entries)
    assert all(e.outcome == AccessLogEntry.Outcome.ALLOWED and "worklist" in e.via for e in entries)


def test_a_proposal_shown_logs_its_request(
    coordinator_client: Client, care_world: CareWorld, care_request: CareRequest
) -> None:
    services.match_propose(actor=care_world.coordinator_actor, request=care_request, offer=care_world.offer)
    assert coordinator_client.get("/en/coordinate/worklist/waiting/").status_code == 200
    assert [(int(e.record_id), e.subject_person_id) for e in logged()] == [(care_request.pk, care_request.person_id)]


@pytest.mark.parametrize("who", ["resident", "helper"])
def test_residents_and_helpers_are_refused(
    client_for: Callable[[Person], Client], care_world: CareWorld, care_request: CareRequest, who: str
) -> None:
    client = client_for(getattr(care_world, who))
    for section in SECTION_TEXTS:
        assert client.get(f"/en/coordinate/worklist/{section}/").status_code == 403
    assert logged() == []


def test_anonymous_visitors_are_sent_to_sign_in(care_request: CareRequest) -> None:
    response = Client().get(NEW)
    assert response.status_code == 302 and "login" in response["Location"]
    assert logged() == []


def test_an_unknown_section_is_a_404(coordinator_client: Client) -> None:
    assert coordinator_client.get("/en/coordinate/worklist/everything/").status_code == 404


def test_queries_do_not_grow_with_the_rows(
    coordinator_client: Client,
    make_request: Callable[..., CareRequest],
    django_assert_num_queries: Callable[..., object],
) -> None:
    make_request()
    make_request()
    coordinator_client.get(NEW)  # the first page of a session also writes the session
    with django_assert_num_queries(SECTION_QUERIES):  # type: ignore[attr-defined]
        assert len(request_links(coordinator_client.get(NEW))) == 2
    for _ in range(MANY - 2):
        make_request()
    with django_assert_num_queries(SECTION_QUERIES):  # type: ignore[attr-defined]
        assert len(request_links(coordinator_client.get(NEW))) == SECTION_PAGE_SIZE
    with django_assert_num_queries(SECTION_QUERIES):  # type: ignore[attr-defined]
        assert len(request_links(coordinator_client.get(NEW, {"page": 2}))) == MANY - SECTION_PAGE_SIZE


def test_match_rows_read_no_more_for_more_matches(
    coordinator_client: Client,
    care_world: CareWorld,
    make_request: Callable[..., CareRequest],
    make_helper: Callable[..., HelperOffer],
) -> None:
    """Rows of matches read only some columns: touching another one would cost a query a row (the
    worklist page and its API both show the helper and the request's category and district)."""

    def propose(n: int) -> None:
        helper = make_helper(care_world.district, name=f"Helper {n}")
        services.match_propose(actor=care_world.coordinator_actor, request=make_request(), offer=helper)

    propose(1)
    coordinator_client.get("/en/coordinate/")
    with CaptureQueriesContext(connection) as one:
        page = coordinator_client.get("/en/coordinate/").content.decode()
        api = coordinator_client.get("/api/v1/care/worklist").json()
    assert "Helper 1" in page and len(api["waiting"]) == 1
    for n in range(2, 6):
        propose(n)
    with CaptureQueriesContext(connection) as five:
        page = coordinator_client.get("/en/coordinate/").content.decode()
        api = coordinator_client.get("/api/v1/care/worklist").json()
    assert all(f"Helper {n}" in page for n in range(1, 6)) and len(api["waiting"]) == 5
    assert {a["district"]["name"] for a in api["waiting"]} == {care_world.district.name}
    assert len(five) == len(one)
