"""Data export and erasure across every app.

Each app registers what it holds about a person: an exporter (plain
JSON-able rows per table) and an eraser (remove or anonymise personal fields
while keeping the rows that aggregate figures count).  A new app that stores
personal data registers here, in its ``AppConfig.ready``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class PersonalDataSource:
    name: str
    export: Callable[[Any], dict[str, Rows]]
    erase: Callable[[Any], None]


SOURCES: dict[str, PersonalDataSource] = {}


def register(source: PersonalDataSource) -> None:
    SOURCES[source.name] = source


def export_person(person: Any) -> dict[str, Rows]:
    """Every table of every app, keyed ``app.table``."""
    tables: dict[str, Rows] = {}
    for source in SOURCES.values():
        for table, rows in source.export(person).items():
            tables[f"{source.name}.{table}"] = rows
    return tables


def export_as_csv(tables: dict[str, Rows]) -> str:
    """One CSV text: a header line per table (``# table``), then its rows."""
    buffer = io.StringIO()
    for table, rows in tables.items():
        buffer.write(f"# {table}\n")
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        buffer.write("\n")
    return buffer.getvalue()


@transaction.atomic
def erase_person(person: Any) -> None:
    for source in SOURCES.values():
        source.erase(person)
