"""The access log is append-only, searchable by auditors, and purged only by retention."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from apps.access.actors import Actor, Grant
from apps.access.models import AccessLogEntry, AccessLogIsAppendOnly
from apps.access.services import access_log_purge, access_log_write

pytestmark = pytest.mark.django_db


def entry(**overrides: object) -> AccessLogEntry:
    values = {
        "actor": Actor(user_id=1, person_id=2),
        "subject_person_id": 3,
        "record_type": "people.Person",
        "record_id": 3,
        "action": "read",
        "purpose": "care_matching",
        "allowed": True,
        "via": "test",
    }
    written = access_log_write(**{**values, **overrides})  # type: ignore[arg-type]
    assert written is not None
    return written


def test_entries_cannot_be_changed_or_deleted_through_the_orm() -> None:
    written = entry()
    written.purpose = "other"
    with pytest.raises(AccessLogIsAppendOnly):
        written.save()
    with pytest.raises(AccessLogIsAppendOnly):
        written.delete()
    with pytest.raises(AccessLogIsAppendOnly):
        AccessLogEntry.objects.filter(pk=written.pk).update(purpose="x")
    with pytest.raises(AccessLogIsAppendOnly):
        AccessLogEntry.objects.all().delete()


def test_not_even_an_administrator_can_change_it_in_the_admin(client_as: Callable[[str], Client]) -> None:
    written = entry()
    client = client_as("administrator")
    assert client.get(f"/nl/admin/access/accesslogentry/{written.pk}/delete/").status_code == 403
    response = client.post(f"/nl/admin/access/accesslogentry/{written.pk}/change/", {"purpose": "x"})
    assert response.status_code == 403
    assert AccessLogEntry.objects.get(pk=written.pk).purpose == "care_matching"


@pytest.mark.postgres
def test_postgresql_itself_refuses_update_and_delete() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    written = entry()
    for statement in (
        "UPDATE access_accesslogentry SET purpose = 'x' WHERE id = %s",
        "DELETE FROM access_accesslogentry WHERE id = %s",
    ):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [written.pk])
    assert AccessLogEntry.objects.get(pk=written.pk).purpose == "care_matching"


def test_retention_purges_only_old_entries() -> None:
    recent = entry()
    now = timezone.now()
    assert access_log_purge(now=now) == 0
    assert access_log_purge(now=now + timedelta(days=366)) >= 1
    assert not AccessLogEntry.objects.filter(pk=recent.pk).exists()


def test_the_persons_own_reads_are_not_logged() -> None:
    assert (
        access_log_write(
            actor=Actor(user_id=1, person_id=3),
            subject_person_id=3,
            record_type="x",
            record_id=1,
            action="read",
            purpose="p",
            allowed=True,
            via="t",
        )
        is None
    )


def test_auditor_searches_the_log(client_as: Callable[[str], Client]) -> None:
    entry(subject_person_id=77)
    entry(subject_person_id=78, allowed=False)
    client = client_as("auditor")
    html = client.get("/nl/audit/", {"subject": 77}).content.decode()
    # the record in words, its technical name beside it for comparing with server logs
    assert "persoon #3" in html and '<span class="cell-note">people.Person</span>' in html
    api = client.get("/api/v1/access-log", {"outcome": "denied"}).json()
    assert [e["subject_person_id"] for e in api] == [78]
    bad = client.get("/nl/audit/", {"since": "2026-11-10", "until": "2026-11-01"})
    assert "De einddatum ligt voor de begindatum." in bad.content.decode()


def test_a_search_of_the_log_through_the_api_is_itself_logged_like_the_page(
    client_as: Callable[[str], Client],
) -> None:
    """The auditor is watched too, whichever way they search; a refused search is written down as refused."""
    from apps.access.models import AccessLogEntry

    client_as("auditor").get("/api/v1/access-log", {"subject": 77})
    searched = AccessLogEntry.objects.filter(record_type="access.log", purpose="access.search_log")
    assert [(e.actor_role, e.record_id, e.outcome) for e in searched] == [("auditor", "subject=77", "allowed")]
    assert client_as("coordinator").get("/api/v1/access-log").status_code == 403
    assert searched.filter(outcome="denied", actor_role="coordinator").count() == 1


def test_a_person_sees_when_and_why_their_data_was_read(
    client_as: Callable[[str], Client], person_of: Callable[[str], object]
) -> None:
    me = person_of("resident")
    entry(subject_person_id=me.pk)  # type: ignore[attr-defined]
    entry(subject_person_id=me.pk, actor=Actor(user_id=1, person_id=2, grants=(Grant("coordinator", 1),)))  # type: ignore[attr-defined]
    html = client_as("resident").get("/nl/me/reads/").content.decode()
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "Een helper zoeken voor mijn hulpvraag" in table and "care_matching" not in table
    assert "Coördinator" in table and ">coordinator<" not in table
    assert 'class="data data--stack' in html  # a list of cards on a phone (issue 14)
    reads = client_as("resident").get("/api/v1/me/reads").json()
    assert len(reads) == 2 and {read["role"] for read in reads} == {"account", "coordinator"}


@pytest.mark.postgres
def test_postgresql_refuses_truncate_outside_test_databases() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    entry()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL cityofpeople.allow_truncate = 'off'")
        cursor.execute("TRUNCATE access_accesslogentry")
    assert AccessLogEntry.objects.exists()


def test_the_auditor_sees_words_not_codes_and_the_time_in_utc(client_as: Callable[[str], Client]) -> None:
    at = datetime(2026, 7, 1, 12, 0, 5, tzinfo=UTC)  # 14:00:05 in Brussels (summer time)
    AccessLogEntry(
        at=at, actor_role="coordinator", subject_person_id=71, record_type="people.Person", record_id="71",
        action="read", purpose="care_matching", outcome="allowed", via="GET people:person_detail",
    ).save(force_insert=True)  # fmt: skip
    html = client_as("auditor").get("/nl/audit/", {"subject": 71}).content.decode()
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "2026-07-01 12:00:05" in table and "14:00:05" not in table
    assert "Coördinator" in table and "Een helper zoeken voor mijn hulpvraag" in table
    assert ">coordinator<" not in table and "care_matching" not in table
    # the design system's table: nine columns on a wide screen, one card per entry on a phone (no sideways scroll)
    assert 'class="data data--stack' in html


def test_the_auditor_filters_by_role_and_purpose_and_pages_through_the_log(
    client_as: Callable[[str], Client],
) -> None:
    coordinator = Actor(user_id=1, person_id=2, grants=(Grant("coordinator", 1),))
    for _ in range(105):
        entry(subject_person_id=90, actor=coordinator, purpose="care_matching")
    entry(subject_person_id=90, actor=coordinator, purpose="people.view_person")
    entry(subject_person_id=90, purpose="care_matching")  # an account without a role
    client = client_as("auditor")
    first = client.get("/nl/audit/", {"subject": 90, "role": "coordinator", "purpose": "care_matching"})
    html = first.content.decode()
    assert "105 regels" in html
    assert html.split("<tbody>")[1].count("<tr>") == 100
    assert 'href="?subject=90&amp;role=coordinator&amp;purpose=care_matching&amp;page=2" rel="next"' in html
    second = client.get(
        "/nl/audit/", {"subject": 90, "role": "coordinator", "purpose": "care_matching", "page": 2}
    ).content.decode()
    assert second.split("<tbody>")[1].count("<tr>") == 5
    assert 'page=1" rel="prev"' in second and 'rel="next"' not in second
    assert "106 regels" in client.get("/nl/audit/", {"subject": 90, "role": "coordinator"}).content.decode()
    assert "1 regel" in client.get("/nl/audit/", {"subject": 90, "role": "account"}).content.decode()
    api = client.get("/api/v1/access-log", {"subject": 90, "purpose": "people.view_person"}).json()
    assert [e["purpose"] for e in api] == ["people.view_person"]
