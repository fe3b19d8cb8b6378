"""``cityofpeople disclosure`` (or ``python -m domain.disclosure``): hide the small counts of a table, on the command
line, to see what a page would show.

    cityofpeople disclosure protect table.json            # {"counts": [[5, 20, 31], [12, 14, 3]]}
    cityofpeople disclosure protect table.json --no-column-totals --threshold 5

Prints one JSON object: the cells, the row totals, the column totals and the grand total as they would be shown
("<10" for a small count, "x" for a count hidden to protect one).  Input it cannot read exits 2 with one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .suppression import THRESHOLD, protect

MAX_BYTES = 1_000_000
MAX_CELLS = 10_000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"cityofpeople disclosure: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cityofpeople disclosure", description="Hide small counts so they cannot be worked out.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("protect", help='a table as JSON: {"counts": [[...], ...]}')
    run.add_argument("table", type=Path)
    run.add_argument("--no-row-totals", action="store_true")
    run.add_argument("--no-column-totals", action="store_true")
    run.add_argument("--threshold", type=int, default=THRESHOLD)
    return parser


def _counts(path: Path) -> list[list[int]]:
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise ValueError(f"the file is larger than {MAX_BYTES} bytes")
    document: Any = json.loads(raw.decode("utf-8"))
    counts = document.get("counts") if isinstance(document, dict) else None
    if not isinstance(counts, list) or not counts or not all(isinstance(row, list) and row for row in counts):
        raise ValueError('expected {"counts": [[...], ...]} with at least one row and one column')
    if sum(len(row) for row in counts) > MAX_CELLS:
        raise ValueError(f"more than {MAX_CELLS} cells")
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"counts[{i}][{j}]: {value!r} is not a count (a whole number, 0 or more)")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.threshold < 1:
        return _fail("--threshold must be 1 or more")
    try:
        counts = _counts(args.table)
        table = protect(counts, row_totals=not args.no_row_totals, column_totals=not args.no_column_totals,
                        threshold=args.threshold)  # fmt: skip
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as problem:
        return _fail(str(problem))
    threshold = args.threshold
    result = {
        "cells": [[cell.shown(threshold) for cell in row] for row in table.cells],
        "row_totals": [cell.shown(threshold) for cell in table.row_totals] if table.row_totals else None,
        "column_totals": [cell.shown(threshold) for cell in table.column_totals] if table.column_totals else None,
        "total": table.total.shown(threshold) if table.total else None,
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


def _fail(message: str) -> int:
    print(f"cityofpeople disclosure: {message}", file=sys.stderr)
    return 2
