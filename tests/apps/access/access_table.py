"""The access app's rows of the URL × role access table (``test_access_table.py``): the auditor's pages."""

from __future__ import annotations

from tests.apps.access.access_rows import Rows, only

ROWS: Rows = {
    "access:log_search": ({}, only({"auditor"})),
    "access:activity": ({}, only({"auditor"})),  # unusual activity per account and day
    "api:search_log": ({}, only({"auditor"}, anonymous=401)),
    "api:access_activity": ({}, only({"auditor"}, anonymous=401)),
}
