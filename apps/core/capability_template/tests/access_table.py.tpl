"""{{ title }}: its rows of the URL × role access table.

Read by ``tests/apps/access/test_access_table.py``.

Every URL of the app needs a row here, or the table's test fails: decide who may reach each page and
endpoint.  Object pages take "@name" placeholders that ``samples`` fills from the demo city.
"""

from __future__ import annotations

from tests.apps.access.access_rows import Rows, signed_in

ROWS: Rows = {
    "{{ app_name }}:index": ({}, signed_in(200)),  # anonymous visitors go to the login page
}
