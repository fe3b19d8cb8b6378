"""The core app's rows of the URL × role access table (``tests/apps/access/test_access_table.py``)."""

from __future__ import annotations

from tests.apps.access.access_rows import Rows, everyone

ROWS: Rows = {
    "core:home": ({}, everyone(200)),
    "core:landing": ({}, everyone(302)),  # after signing in: to the person's own start page
    "core:about": ({}, everyone(200)),
    "core:open_data": ({}, everyone(200)),  # every app's open datasets
    "core:design": ({}, everyone(200)),  # the component gallery: made-up content only
    "open_data_download": ({"app": "places", "slug": "districts", "ext": "csv"}, everyone(200)),
}
