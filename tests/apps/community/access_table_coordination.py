"""Rows of the access table (merged into access_table.py): the coordination view (item 4).

The demo coordinator and the demo city staff both review district 1 (the demo accounts live there, and their roles
name it), so the index shows them its page straight away; every other role may not open it (403).  Noting a
follow-up and marking one done are buttons (POST only).
"""

from __future__ import annotations

from tests.apps.access.access_rows import Rows, everyone, only

REVIEWERS = {"coordinator", "city_staff"}

ROWS: Rows = {
    "community:coordination_index": ({}, only(REVIEWERS)),
    "community:coordination": ({"number": 1}, only(REVIEWERS)),
    "community:coordination_note": ({"number": 1}, everyone(405)),
    "community:coordination_done": ({"number": 1, "pk": 1}, everyone(405)),
}
