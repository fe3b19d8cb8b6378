"""Access rows of this part (placeholder until written)."""

from tests.apps.access.access_rows import Rows

ROWS: Rows = {}
