"""Services and referrals: its rows of the URL × role access table.

Read by ``tests/apps/access/test_access_table.py``.  Each part of the app keeps its rows beside its tests:
``rows_search.py``, ``rows_records.py``, ``rows_referrals.py``.
"""

from __future__ import annotations

from tests.apps.access.access_rows import Rows

from .rows_records import ROWS as RECORDS
from .rows_referrals import ROWS as REFERRALS
from .rows_search import ROWS as SEARCH

ROWS: Rows = {**SEARCH, **RECORDS, **REFERRALS}
