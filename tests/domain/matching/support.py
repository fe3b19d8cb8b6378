"""Small helpers shared by the matching tests: hand-made records, and running the command line in-process."""

from __future__ import annotations

import contextlib
import io
from typing import Any

from cityofpeople.cli import main as cityofpeople

MORNING = ["2026-11-24T09:00", "2026-11-24T12:00"]


def request(rid: str = "r1", lat: float = 51.05, lon: float = 3.72, **fields: Any) -> dict[str, Any]:
    """A request in the spec's JSON form: shopping, one hour in the morning, any language, priority 3."""
    record: dict[str, Any] = {
        "id": rid,
        "lat": lat,
        "lon": lon,
        "category": "shopping",
        "duration_minutes": 60,
        "windows": [MORNING],
        "languages": [],
        "priority": 3,
        "requires_vetted": False,
    }
    record.update(fields)
    return record


def helper(hid: str = "h1", lat: float = 51.05, lon: float = 3.72, **fields: Any) -> dict[str, Any]:
    """A helper in the spec's JSON form: shopping, free all day, Dutch, 3 km, capacity 1, vetted."""
    record: dict[str, Any] = {
        "id": hid,
        "lat": lat,
        "lon": lon,
        "categories": ["shopping"],
        "windows": [["2026-11-24T08:00", "2026-11-24T18:00"]],
        "languages": ["nl"],
        "max_distance_km": 3.0,
        "capacity": 1,
        "vetted": True,
    }
    record.update(fields)
    return record


def problem(requests: list[dict[str, Any]], helpers: list[dict[str, Any]]) -> dict[str, Any]:
    return {"version": 1, "requests": requests, "helpers": helpers}


def run_cli(*argv: str) -> tuple[int, str, str]:
    """``cityofpeople ARGV...`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cityofpeople(list(argv))
        except SystemExit as leaving:  # argparse leaves this way
            code = leaving.code if isinstance(leaving.code, int) else 1
    return code, out.getvalue(), err.getvalue()
