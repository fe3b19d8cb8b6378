"""Print one pytest-style summary line over all suites of bin/test (from their JUnit XML reports)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(arguments: list[str]) -> int:
    totals = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    seconds = 0.0
    for argument in arguments:
        path = Path(argument)
        if not path.is_file():
            continue
        for suite in ET.parse(path).getroot().iter("testsuite"):
            tests, failures = int(suite.get("tests", 0)), int(suite.get("failures", 0))
            errors, skipped = int(suite.get("errors", 0)), int(suite.get("skipped", 0))
            totals["failed"] += failures
            totals["errors"] += errors
            totals["skipped"] += skipped
            totals["passed"] += tests - failures - errors - skipped
            seconds += float(suite.get("time", 0))
            print(f"  {path.stem:<10} {tests:>5} tests  {suite.get('time')} s")
    parts = [f"{count} {name}" for name, count in totals.items() if count or name == "passed"]
    print(f"{'=' * 20} {', '.join(parts)} in {seconds:.2f}s (all suites) {'=' * 20}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
