"""Every demo role against every referral, change and record of the demo directory: pages, the admin and the
HSDS API.  What a role may not read answers exactly as something that does not exist; the admin never shows a
referral; the public API never shows a change that was not published.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.access.actors import actor_for_user
from apps.access.rules import can
from apps.directory.models import Referral, Revision, Service
from apps.people.demo import DEMO_ACCOUNTS
from domain.directory.text import normalise

from ..access.access_rows import ROLES

pytestmark = pytest.mark.django_db
ID_aa = "0a1b2c3d-0000-4000-8000-0000000000aa"


def _actor(role: str):  # type: ignore[no-untyped-def]
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    return actor_for_user(get_user_model().objects.get(username=account.email))


def test_every_role_reads_exactly_the_referrals_its_rules_allow(client_as: Callable[[str], Client]) -> None:
    referrals = list(Referral.objects.select_related("person"))
    assert referrals, "the demo has referrals"
    missing = max(r.pk for r in referrals) + 1000
    for role in ROLES[1:]:
        client, actor = client_as(role), _actor(role)
        gone = client.get(f"/en/referrals/{missing}/").status_code
        for referral in referrals:
            for url, rule in ((f"/en/referrals/{referral.pk}/", "directory.manage_referral"),
                              (f"/en/referrals/received/{referral.pk}/", "directory.answer_referral")):  # fmt: skip
                status = client.get(url).status_code
                if can(actor, rule, referral):
                    assert status == 200, (role, url)
                else:
                    assert status in (403, 404) and (status == gone or "received" in url), (role, url, status)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_never_shows_a_referral_or_changes_the_directory(
    client_as: Callable[[str], Client], role: str
) -> None:
    client = client_as(role)
    referral = Referral.objects.first()
    service = Service.objects.first()
    assert referral is not None and service is not None
    for path in ("referral/", f"referral/{referral.pk}/change/", "referralevent/", "referral/add/"):
        assert client.get(f"/nl/admin/directory/{path}").status_code in (302, 403, 404), (role, path)
    # filtering the services by what was written in a referral is refused, not answered
    response = client.get("/nl/admin/directory/service/", {"referrals__need__icontains": "a"})
    assert response.status_code in (302, 400, 403, 404) or "?e=1" in response.get("Location", ""), role
    response = client.get("/nl/admin/directory/service/", {"q": referral.need[:10]})
    assert response.status_code != 200 or "0 resultaten" in response.content.decode(), "a need is not searchable"
    before = list(Service.objects.filter(pk=service.pk).values())
    client.post(f"/nl/admin/directory/service/{service.pk}/change/", {"name": "Overgenomen", "status": "active"})
    client.post(f"/nl/admin/directory/service/{service.pk}/delete/", {"post": "yes"})
    revision = Revision.objects.first()
    if revision is not None:
        client.post(f"/nl/admin/directory/revision/{revision.pk}/change/", {"status": "published"})
        assert Revision.objects.get(pk=revision.pk).status == revision.status
    assert list(Service.objects.filter(pk=service.pk).values()) == before


def test_the_hsds_api_never_shows_a_change_that_was_not_published(client_as: Callable[[str], Client]) -> None:
    waiting = Revision.objects.exclude(status=Revision.Status.PUBLISHED).filter(kind="service")
    assert waiting.exists(), "the demo has changes waiting"
    client = client_as("anonymous")
    for revision in waiting:
        name = revision.document.get("name", "")
        live = Service.objects.filter(pk=revision.target).first()
        one = client.get(f"/api/v1/hsds/services/{revision.target}")
        if live is None:
            assert one.status_code == 404
        else:
            assert one.json()["name"] == live.name
        words = [w for w in normalise(name).split() if len(w) > 3]
        found = client.get("/api/v1/hsds/services", {"search": " ".join(words), "per_page": 500}).json()
        for document in found["contents"]:
            if document["id"] == str(revision.target):
                assert live is not None and set(words) <= set(live.search_text.split())
        everything = _streamed(client.get("/api/v1/hsds/services", {"format": "ndjson"}))
        if live is None:
            assert str(revision.target) not in everything
    full = _streamed(client.get("/api/v1/hsds/services", {"format": "ndjson", "full": "true"}))
    assert not any(r.need in full for r in Referral.objects.exclude(need=""))


def _streamed(response: object) -> str:
    return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "query",
    [
        {"search": "\x00"},
        {"search": "x" * 201},
        {"page": "0"},
        {"page": "-1"},
        {"page": "9" * 30},
        {"per_page": "0"},
        {"per_page": "100000"},
        {"taxonomy_term_id": "not-a-uuid"},
        {"organization_id": "00000000-0000-0000-0000-00000000000g"},
        {"modified_after": "NaN"},
        {"modified_after": "0.5"},
        {"modified_after": "9999-99-99T99:99:99Z"},
        {"proximity": "NaN", "postcode": "9000"},
        {"proximity": "inf", "postcode": "9000"},
        {"postcode": "\x00"},
        {"full": "maybe"},
        {"format": "xml"},
    ],
)
def test_the_hsds_api_refuses_hostile_queries_without_a_server_error(
    client_as: Callable[[str], Client], query: dict[str, str]
) -> None:
    client = client_as("anonymous")
    for path in ("services", "service_at_locations", "organizations", "taxonomy_terms", "taxonomies"):
        response = client.get(f"/api/v1/hsds/{path}", query)
        assert response.status_code in (200, 400, 422), (path, query, response.status_code)
    for path in ("services/not-a-uuid", "services/%00", "organizations/" + "f" * 5000, "service_at_locations/-1"):
        assert client.get(f"/api/v1/hsds/{path}").status_code in (404, 422), path


def test_the_public_search_never_shows_a_change_that_was_not_published(client_as: Callable[[str], Client]) -> None:
    """B's "Find help" pages, attacked from outside: a waiting new service is neither found nor shown."""
    from apps.directory import records

    staff = _actor("organisation_staff")
    waiting = records.revision_save(
        actor=staff, organisation=records.organisations_of(staff).first(), kind="service",
        target=uuid.UUID(ID_aa), document={"id": ID_aa,
                                               "name": "Geheime nieuwe dienst", "status": "active"},
    )  # fmt: skip
    records.revision_submit(actor=staff, revision=waiting)
    client = client_as("anonymous")
    new = [r for r in Revision.objects.exclude(status=Revision.Status.PUBLISHED).filter(kind="service")
           if not Service.objects.filter(pk=r.target).exists()]  # fmt: skip
    for revision in new:
        assert client.get(f"/en/find-help/services/{revision.target}/").status_code == 404
        page = client.get("/en/find-help/", {"words": revision.document.get("name", "")}).content.decode()
        assert str(revision.target) not in page
    changed = [r for r in Revision.objects.filter(status=Revision.Status.UNDER_REVIEW, kind="service")
               if Service.objects.filter(pk=r.target).exists()]  # fmt: skip
    for revision in changed:
        live = Service.objects.get(pk=revision.target)
        page = client.get(f"/en/find-help/services/{live.pk}/").content.decode()
        proposed = revision.document.get("description", "")
        if proposed and proposed != live.description:
            assert proposed not in page
    assert new and changed, "the demo has a new service and a change to a live one waiting"
