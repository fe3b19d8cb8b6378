"""Data export and erasure across every app.

Each app declares what it holds about a person: an exporter (plain
JSON-able rows per table) and an eraser (remove or anonymise personal fields
while keeping the rows that aggregate figures count).  A new app that stores
personal data declares its ``PersonalDataSource`` as ``personal_data=`` in its
``capability.py``; ``/me/export``, a coordinator's export and erasure find it there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from .special_category import Reader, erase_declared

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class PersonalDataSource:
    """``export(person, reader)``: the app's tables, with declared special-category fields only where
    ``reader`` may read them (``special_category.Reader``); ``erase(person)``: what the app removes."""

    name: str
    export: Callable[[Any, Reader], dict[str, Rows]]
    erase: Callable[[Any], None]


def sources() -> list[PersonalDataSource]:
    """Every installed app's personal data, in the order of ``INSTALLED_APPS``."""
    from apps.core.capabilities import capabilities

    declared = [c.personal_data for c in capabilities() if c.personal_data is not None]
    names = [source.name for source in declared]
    if len(names) != len(set(names)):
        raise ValueError(f"two apps declare personal data under one name: {names}")
    return declared


def export_person(person: Any, actor: Any = None) -> dict[str, Rows]:
    """Every table of every app, keyed ``app.table``.

    ``actor`` is who receives it: ``None`` or the person themselves get everything; anyone else (a
    coordinator on the person's behalf) gets a declared special-category field only where its rule
    allows it for that row, so a withdrawn consent also holds back the care needs in a download.
    """
    reader = Reader(actor, person)
    tables: dict[str, Rows] = {}
    for source in sources():
        for table, rows in source.export(person, reader).items():
            tables[f"{source.name}.{table}"] = rows
    return tables


def export_as_csv(tables: dict[str, Rows]) -> str:
    """One CSV text: a header line per table (``# table``), then its rows; a cell a spreadsheet would run as a
    formula is made plain text (an event title "=HYPERLINK(...)" typed by someone else, in this person's file)."""
    from apps.core.open_data import neutralise

    buffer = io.StringIO()
    for table, rows in tables.items():
        buffer.write(f"# {table}\n")
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({key: neutralise(value) for key, value in row.items()} for row in rows)
        buffer.write("\n")
    return buffer.getvalue()


@transaction.atomic
def erase_person(person: Any) -> None:
    """Each app's eraser, then every declared special-category field of every row that is the person's
    (``special_category.erase_declared``): a field declared later is erased without touching an eraser."""
    for source in sources():
        source.erase(person)
    erase_declared(person)
