"""Open data: the datasets the apps declare (``Capability.open_data``), on one page and as downloads.

Each app declares only what is public by nature (districts, places, lists of categories) and writes the
file's text itself; the frame lists them on ``core:open_data`` and serves them at
``/open-data/<app>/<slug>.<ext>``, without a language prefix, so that a link in a catalogue or a script
keeps working whatever language the page was read in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .capabilities import OpenDataset, Text, capabilities

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "json": "application/json",
}
"""The formats a dataset may offer, by extension, with the content type the download answers with."""

LICENCES: dict[str, tuple[Text, str]] = {
    "CC0-1.0": (
        _("CC0 1.0: free to use for any purpose, no conditions"),
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
}
"""Licences by SPDX identifier: how the page names them, and where their text is.  A dataset whose licence
is not listed here shows its own words (a licence without an identifier, such as a city's model licence)."""


@dataclass(frozen=True)
class Listed:
    """One dataset as the page shows it: the app that declares it and how its licence reads."""

    app: str
    dataset: OpenDataset
    licence: Text
    licence_url: str


def listed() -> list[Listed]:
    """Every declared dataset, in the order of ``INSTALLED_APPS`` and then of each app's declaration."""
    found = []
    for declared in capabilities():
        for dataset in declared.open_data:
            name, url = LICENCES.get(str(dataset.licence), (dataset.licence, ""))
            found.append(Listed(declared.app, dataset, name, url))
    return found


def dataset_file(app: str, slug: str, ext: str) -> tuple[str, str]:
    """The text and content type of one download; ``Http404`` for an app, dataset or format not declared."""
    for item in listed():
        if item.app == app and item.dataset.slug == slug and ext in item.dataset.formats and ext in CONTENT_TYPES:
            return item.dataset.formats[ext](), CONTENT_TYPES[ext]
    raise Http404("no such dataset")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (tab and carriage return too, as OWASP lists them)."""


def neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made plain text; other values as they are.  Every CSV
    the site writes of what people typed goes through this (open data, a person's own data)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV file (RFC 4180: commas, CRLF, quotes where needed), ``None`` written as an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue()
