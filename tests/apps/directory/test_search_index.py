"""The search's index in memory (``search_index.py``) is never stale: every way of writing to a table it reads
is seen by the next search, and a change that was rolled back is not."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from apps.directory import search_index as index_module
from apps.directory import search_triggers
from apps.directory.models import Attribute, Language, Location, Schedule, Service, ServiceArea, TaxonomyTerm
from apps.directory.search import Criteria, Near, search
from apps.organisations.models import Organisation
from apps.places.models import District
from tests.apps.directory.search_builders import GENTBRUGGE, KORENMARKT, hours, place, service, term

pytestmark = pytest.mark.django_db
MONDAY_MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))


def names(**asked: object) -> list[str]:
    return [result.service.name for result in search(Criteria(**asked)).results]  # type: ignore[arg-type]


def test_a_word_added_after_a_search_is_found_by_the_same_typed_word() -> None:
    service("Poetsdienst", "Hulp bij het poetsen.")
    assert names(words="strijkdienst") == []
    service("Strijkatelier", "Een strijkdienst in de buurt.")
    assert names(words="strijkdienst") == ["Strijkatelier"]
    assert names(words="strykdienst") == ["Strijkatelier"]  # a spelling variant too


def test_a_text_changed_by_a_bulk_update_is_matched_as_it_is_now() -> None:
    changed = service("Klusdienst", "Kleine klussen in huis.")
    assert names(words="klussen") == ["Klusdienst"]
    Service.objects.filter(pk=changed.pk).update(search_text="klusdienst tuinonderhoud")
    assert names(words="klussen") == []
    assert names(words="tuinonderhoud") == ["Klusdienst"]


def test_a_change_in_plain_sql_is_seen() -> None:
    made = service("Klusdienst", "Kleine klussen in huis.")
    assert names(words="klussen") == ["Klusdienst"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE directory_service SET status = %s WHERE id = %s", ["defunct", made.pk.hex
                       if connection.vendor == "sqlite" else made.pk])  # fmt: skip
    assert names(words="klussen") == []


def test_an_organisation_made_inactive_takes_its_services_out_at_once() -> None:
    made = service("Klusdienst", "Kleine klussen in huis.")
    assert names() == ["Klusdienst"]
    Organisation.objects.filter(pk=made.organisation_id).update(active=False)
    assert names() == []


def test_types_districts_languages_places_and_hours_are_seen_when_they_change() -> None:
    made = service("Buurtwerk")
    meals, district = term("Maaltijden"), District.objects.get(number=1)
    assert names(need=meals) == [] and names(district=district) == [] and names(language="fr") == []
    Attribute.objects.create(taxonomy_term=meals, service=made)
    assert names(need=meals) == ["Buurtwerk"]
    area_row = ServiceArea.objects.create(service=made, district=district, name="Binnenstad")
    assert names(district=district) == ["Buurtwerk"]
    area_row.delete()
    assert names(district=district) == []
    Language.objects.create(service=made, code="FR")
    assert names(language="fr") == ["Buurtwerk"]
    at = place(made, KORENMARKT)
    near = Near(*GENTBRUGGE, label="Gentbrugge")
    first = search(Criteria(near=near)).results[0].distance_km
    Location.objects.filter(pk=at.location_id).update(latitude=GENTBRUGGE[0], longitude=GENTBRUGGE[1])
    assert search(Criteria(near=near)).results[0].distance_km < first
    assert names(open_now=True, moment=MONDAY_MORNING) == []
    hours("MO", time(9), time(12), service=made)
    assert names(open_now=True, moment=MONDAY_MORNING) == ["Buurtwerk"]
    Schedule.objects.filter(service=made).update(opens_at=time(11))
    assert names(open_now=True, moment=MONDAY_MORNING) == []
    assert names(day=date(2026, 12, 7)) == ["Buurtwerk"]
    child = term("Warme maaltijden", parent=None)
    assert names(need=child) == []
    TaxonomyTerm.objects.filter(pk=child.pk).update(parent=meals)
    assert names(need=meals) == ["Buurtwerk"]  # the tree is read again too


def test_a_change_rolled_back_leaves_no_trace_in_the_index() -> None:
    service("Klusdienst", "Kleine klussen in huis.")
    assert names(words="klussen") == ["Klusdienst"]
    with pytest.raises(RuntimeError), transaction.atomic():
        service("Klusatelier", "Nog meer klussen.")
        assert sorted(names(words="klussen")) == ["Klusatelier", "Klusdienst"]  # seen inside the transaction
        raise RuntimeError("rolled back")
    assert names(words="klussen") == ["Klusdienst"]


def test_a_current_index_is_kept_and_a_changed_directory_builds_a_new_one() -> None:
    service("Klusdienst")
    first = index_module.search_index()
    assert index_module.search_index() is first
    service("Strijkdienst")
    assert index_module.search_index() is not first


def test_the_triggers_are_on_every_table_the_index_reads_and_come_back_after_a_table_is_rebuilt() -> None:
    assert search_triggers.installed(connection) >= set(search_triggers.TABLES)
    with connection.cursor() as cursor:  # as SQLite does when a migration changes a column: the table is new
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER directory_schedule_search_token ON directory_schedule")
        else:
            cursor.execute("DROP TRIGGER directory_schedule_search_token_update")
    assert "directory_schedule" not in search_triggers.installed(connection)
    search_triggers.on_post_migrate(sender=None, using="default")  # what every migrate and flush sends
    assert search_triggers.installed(connection) >= set(search_triggers.TABLES)
    made = service("Buurtwerk")
    hours("MO", time(9), time(12), service=made)
    assert names(open_now=True, moment=MONDAY_MORNING) == ["Buurtwerk"]
    Schedule.objects.filter(service=made).update(opens_at=time(11))
    assert names(open_now=True, moment=MONDAY_MORNING) == []


def test_without_a_token_nothing_is_remembered() -> None:
    from apps.directory.models import SearchState

    service("Klusdienst")
    SearchState.objects.all().delete()
    first = index_module.search_index()
    assert index_module.search_index() is not first
    assert names() == ["Klusdienst"]
