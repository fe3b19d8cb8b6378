"""An organisation's staff never see or touch another organisation's records or changes: every page and every
POST answers 404, exactly as for an id that does not exist, and nothing changes."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from apps.access.actors import actor_for_user
from apps.directory import records
from apps.directory.models import Revision, Service

from .records_builders import World, client_for, published_service, service_post, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


def _theirs(w: World) -> tuple[Service, Revision]:
    """A published service of the first organisation, with a change of it under review."""
    service = published_service(w.org)
    revision = Revision.objects.create(
        kind=Revision.Kind.SERVICE, target=service.pk, organisation=w.org, status=Revision.Status.UNDER_REVIEW,
        document={"id": str(service.pk), "name": "X"}, created_by=w.staff,
    )  # fmt: skip
    return service, revision


def _same_as_missing(client: Client, url: str, missing: str, data: dict | None = None) -> None:
    answer = client.post(url, data or {}) if data is not None else client.get(url)
    other = client.post(missing, data or {}) if data is not None else client.get(missing)
    assert answer.status_code == 404, url
    assert other.status_code == 404, missing
    assert answer.content == other.content, "someone else's record answers exactly like a missing one"


def test_another_organisations_staff_get_404_on_every_page_and_post(w: World) -> None:
    service, revision = _theirs(w)
    location = w.location
    intruder = client_for(w.other_staff)
    nothing = uuid.uuid4()
    _same_as_missing(intruder, f"/en/records/?organisation={w.org.pk}", "/en/records/?organisation=999999")
    _same_as_missing(intruder, f"/en/records/services/{service.pk}/", f"/en/records/services/{nothing}/")
    _same_as_missing(intruder, f"/en/records/services/{revision.target}/", f"/en/records/services/{nothing}/")
    _same_as_missing(intruder, f"/en/records/locations/{location.pk}/", f"/en/records/locations/{nothing}/")
    _same_as_missing(
        intruder, f"/en/records/profile/?organisation={w.org.pk}", "/en/records/profile/?organisation=999999"
    )
    _same_as_missing(intruder, f"/en/records/services/new/?organisation={w.org.pk}",
                     "/en/records/services/new/?organisation=999999")  # fmt: skip
    _same_as_missing(intruder, f"/en/records/changes/{revision.pk}/", "/en/records/changes/999999/")
    # and every POST
    _same_as_missing(intruder, f"/en/records/services/{service.pk}/", f"/en/records/services/{nothing}/",
                     service_post(w.other_org, name="Overgenomen"))  # fmt: skip
    _same_as_missing(intruder, f"/en/records/services/new/?organisation={w.org.pk}",
                     "/en/records/services/new/?organisation=999999", service_post(w.org, name="Ander"))  # fmt: skip
    _same_as_missing(
        intruder, f"/en/records/changes/{revision.pk}/", "/en/records/changes/999999/", {"action": "withdraw"}
    )
    _same_as_missing(intruder, f"/en/records/locations/{location.pk}/", f"/en/records/locations/{nothing}/",
                     {"name": "X", "address": "Korenmarkt 1"})  # fmt: skip
    _same_as_missing(intruder, "/en/records/confirm/", "/en/records/confirm/",
                     {"kind": "service", "target": str(service.pk)})  # fmt: skip
    _same_as_missing(intruder, "/en/records/confirm/", "/en/records/confirm/",
                     {"kind": "location", "target": str(location.pk)})  # fmt: skip
    revision.refresh_from_db()
    service.refresh_from_db()
    assert revision.status == Revision.Status.UNDER_REVIEW and revision.document["name"] == "X"
    assert Revision.objects.count() == 1 and Service.objects.get().name == "Warme maaltijden"
    assert service.assured_date is None


def test_the_organisations_list_never_shows_another_organisations_records(w: World) -> None:
    _theirs(w)
    published_service(w.other_org, "Eigen dienst")
    page = client_for(w.other_staff).get("/en/records/").content.decode()
    assert "Eigen dienst" in page and "Warme maaltijden" not in page and "Buurtzorg" not in page


def test_a_draft_is_not_the_reviewers_and_reviewers_cannot_edit(w: World) -> None:
    service = published_service(w.org)
    draft = Revision.objects.create(kind="service", target=service.pk, organisation=w.org, document={"name": "D"})
    reviewer = client_for(w.reviewer)
    assert reviewer.get(f"/en/records/review/{draft.pk}/").status_code == 404, "a draft is not sent yet"
    assert reviewer.get(f"/en/records/changes/{draft.pk}/").status_code == 403
    assert reviewer.get(f"/en/records/services/{service.pk}/").status_code == 403
    assert client_for(w.staff).get(f"/en/records/review/{draft.pk}/").status_code == 403


def test_the_service_layer_refuses_too(w: World) -> None:
    service, revision = _theirs(w)
    intruder = actor_for_user(w.other_staff.user)
    with pytest.raises(Exception) as refused:
        records.revision_save(actor=intruder, organisation=w.org, kind="service", target=service.pk, document={})
    assert refused.type.__name__ == "PermissionDenied"
    with pytest.raises(Exception) as refused:
        records.revision_publish(actor=intruder, revision=revision)
    assert refused.type.__name__ == "PermissionDenied"


def test_staff_of_several_organisations_choose_one(w: World) -> None:
    from apps.people.models import Role, RoleAssignment

    RoleAssignment.objects.create(person=w.staff, role=Role.ORGANISATION_STAFF, organisation=w.other_org)
    staff = client_for(w.staff)
    chooser = staff.get("/en/records/").content.decode()
    assert "You work for several organisations" in chooser
    assert f"?organisation={w.org.pk}" in chooser and f"?organisation={w.other_org.pk}" in chooser
    page = staff.get(f"/en/records/?organisation={w.other_org.pk}").content.decode()
    assert "Our services: Andere Dienst" in page and "Choose another organisation" in page
    assert staff.get("/en/records/services/new/").status_code == 404, "a new record needs its organisation"


def test_the_pages_queries_do_not_grow_with_the_records(w: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for(w.staff)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff.get(url).status_code == 200
        return len(queries)

    url = f"/en/records/?organisation={w.org.pk}"
    published_service(w.org, "Eerste")
    count(url)  # the session's first page writes where the person is signed in
    few = count(url)
    for n in range(10):
        published_service(w.org, f"Dienst {n}")
        Revision.objects.create(kind="location", organisation=w.org, document={"name": f"Lokaal {n}"})
    assert count(url) == few
