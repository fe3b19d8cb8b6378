"""The suites' copy of the demo city (``tests/demo_snapshot.py``) is exactly what ``load_demo`` writes.

Most tests that need the demo city get it from that copy; if the copy missed a table or a row, they
would test another city than the one a user gets.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from apps.places.models import District
from tests.demo_snapshot import DemoCity, DemoSnapshot

pytestmark = pytest.mark.django_db


def every_row() -> dict[str, Any]:
    """Each table's primary keys and, for the tables without a clock in them, their whole rows.

    A model whose rows change on every write elsewhere (``CHANGES_ON_EVERY_WRITE``, such as the directory
    search's token) counts as having a clock."""
    found: dict[str, Any] = {}
    for model in apps.get_models(include_auto_created=True):
        manager = model._base_manager
        timed = getattr(model, "CHANGES_ON_EVERY_WRITE", False) or any(
            f.get_internal_type() == "DateTimeField" for f in model._meta.concrete_fields
        )
        rows = manager.order_by("pk").values_list("pk", flat=True) if timed else manager.order_by("pk").values()
        found[model._meta.db_table] = list(rows)
    return found


def restart_ids() -> None:
    """PostgreSQL keeps drawn ids when a transaction rolls back: start again after the largest id left."""
    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_the_copy_holds_every_row_load_demo_writes() -> None:
    restart_ids()
    snapshot = DemoSnapshot.take()
    before = transaction.savepoint()
    restart_ids()
    snapshot.restore()
    copied = every_row()
    transaction.savepoint_rollback(before)
    assert District.objects.filter(population__isnull=False).count() == 0, "back to the districts alone"
    restart_ids()
    call_command("load_demo", verbosity=0)
    loaded = every_row()
    assert sum(len(rows) for rows in loaded.values()) > 1000, "the demo city is there"
    assert copied == loaded


@pytest.mark.django_db(transaction=True)
def test_the_copy_comes_back_after_a_test_that_emptied_the_database(demo_rows: DemoCity) -> None:
    demo_rows.load()
    first = every_row()
    call_command("flush", interactive=False, verbosity=0)  # what this test, which commits, ends with
    assert not District.objects.exists()
    demo_rows.load()
    assert every_row() == first


@pytest.mark.django_db(transaction=True)
def test_a_copy_taken_just_after_a_flush_serves_the_tests_after_it_too() -> None:
    call_command("flush", interactive=False, verbosity=0)
    snapshot = DemoSnapshot.take()  # as the first demo test of a process that just ran a committing one
    call_command("load_districts", verbosity=0)  # as every test finds them (``django_db_setup``)
    snapshot.restore()
    assert District.objects.filter(population__isnull=False).count() == District.objects.count() == 25
