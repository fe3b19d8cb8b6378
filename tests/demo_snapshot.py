"""The demo city, loaded once per test process and put back row for row for each test that needs it.

``load_demo`` takes three to five seconds (a few thousand ``get_or_create`` calls, addresses drawn from
the street list), and some three hundred tests start from the demo city: loading it for each of them
was most of the suites' time.  Here it is loaded once, inside a transaction that is then rolled back
(so, as before, nothing it would queue on commit is queued), and the rows it wrote are kept in memory;
each test then gets the very same rows, ids included, in a few bulk inserts.

Tables the database held before the demo (districts, content types, permissions) are kept too, and
refilled each time: the demo changes the districts (their population), and a test that commits
(``transaction=True``) ends with a flush that empties every table.

Rows are read without conversion so that they go back exactly as they were: on SQLite each column is
selected as ``+"column"`` (an expression, so no converter of Django's applies, and the value's own
storage class is kept); on PostgreSQL with ``COPY`` in its text format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

SKIPPED_TABLES = frozenset({"django_migrations", "sqlite_sequence"})
ALWAYS_BEFORE = frozenset({"places_district"})
"""Filled for every test by ``django_db_setup`` (tests/conftest.py), so always refilled, never "the demo's":
else a copy taken just after a flush would refuse every later test, whose districts are there."""


@dataclass(frozen=True)
class Table:
    """One table's rows: a list of tuples (SQLite) or the text of a ``COPY`` (PostgreSQL)."""

    name: str
    columns: tuple[str, ...]
    rows: Any
    count: int


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - SKIPPED_TABLES)


_COLUMNS: dict[str, tuple[str, ...]] = {}


def _columns(cursor: Any, table: str) -> tuple[str, ...]:
    """A table's columns, asked once per process (no test changes the schema)."""
    if table not in _COLUMNS:
        _COLUMNS[table] = tuple(c.name for c in connection.introspection.get_table_description(cursor, table))
    return _COLUMNS[table]


def _read(cursor: Any, table: str, count: int) -> Table:
    columns = _columns(cursor, table)
    column_list = ", ".join(_quote(c) for c in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {_quote(table)} ({column_list}) TO STDOUT") as copy:
            text = b"".join(bytes(block) for block in copy)
        return Table(table, columns, text, count)
    raw = ", ".join(f"+{_quote(c)}" for c in columns)
    cursor.execute(f"SELECT {raw} FROM {_quote(table)} ORDER BY 1")
    return Table(table, columns, cursor.fetchall(), count)


def _write(cursor: Any, table: Table) -> None:
    if not table.count:
        return
    column_list = ", ".join(_quote(c) for c in table.columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {_quote(table.name)} ({column_list}) FROM STDIN") as copy:
            copy.write(table.rows)
        return
    marks = ", ".join(["%s"] * len(table.columns))
    cursor.executemany(f"INSERT INTO {_quote(table.name)} ({column_list}) VALUES ({marks})", table.rows)


def _counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    """Each table's number of rows, in one query."""
    parts = [f"SELECT {i}, COUNT(*) FROM {_quote(table)}" for i, table in enumerate(tables)]
    cursor.execute(" UNION ALL ".join(parts))
    return {tables[i]: count for i, count in cursor.fetchall()}


@dataclass(frozen=True)
class DemoSnapshot:
    """The rows of the demo city: tables it fills (``demo``) and tables filled before it (``before``: as
    the demo leaves them, the districts with their population)."""

    demo: dict[str, Table]
    before: dict[str, Table]
    taken_on: date

    @classmethod
    def take(cls) -> DemoSnapshot:
        """Load the demo in a transaction (or a savepoint), keep its rows, and roll it back."""
        with transaction.atomic(), connection.cursor() as cursor:
            tables = _tables()
            # the districts count as filled before the demo even when a flush has just emptied them
            filled = {name for name, count in _counts(cursor, tables).items() if count} | ALWAYS_BEFORE
            call_command("load_demo", verbosity=0)
            after = {name: _read(cursor, name, count) for name, count in _counts(cursor, tables).items()}
            transaction.set_rollback(True)
        return cls(
            demo={name: table for name, table in after.items() if name not in filled and table.count},
            before={name: table for name, table in after.items() if name in filled},
            taken_on=timezone.localdate(),
        )

    def restore(self) -> None:
        """Put the demo city in the database (in the caller's transaction, if any), which must hold no more
        than the tables filled before the demo: as after ``django_db_setup``, or after a test's flush.

        Those tables are emptied and filled again: the demo changes the districts, and after a flush
        Django makes the content types again under other ids.  They are a few hundred rows."""
        with transaction.atomic(), connection.cursor() as cursor:
            counts = _counts(cursor, _tables())
            crowded = [name for name in self.demo if counts[name]]
            if crowded:
                raise AssertionError(f"the demo city needs empty tables, but {', '.join(crowded)} hold rows")
            for name in self.before:
                cursor.execute(f"DELETE FROM {_quote(name)}")
            for table in [*self.before.values(), *self.demo.values()]:
                _write(cursor, table)
            self._reset_sequences(cursor)
        ContentType.objects.clear_cache()

    def _reset_sequences(self, cursor: Any) -> None:
        """On PostgreSQL the ids were written, not drawn: move each sequence past them (SQLite does it itself)."""
        written = {*self.demo, *self.before}
        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in written]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


class DemoCity:
    """The demo snapshot of this test process, taken when a test first needs it."""

    def __init__(self) -> None:
        self.snapshot: DemoSnapshot | None = None

    def load(self) -> None:
        """The demo city in the database, as ``load_demo`` would leave it in a test's transaction.

        The demo's dates are relative to the day it was loaded: a run that passes midnight loads it again.
        """
        if self.snapshot is None or self.snapshot.taken_on != timezone.localdate():
            self.snapshot = DemoSnapshot.take()
        self.snapshot.restore()
