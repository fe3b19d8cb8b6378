"""docs/security.md cannot rot: every test it names exists, and every ASVS 5.0 level 1 and 2 id of V6–V8 has a row."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "security.md"

# OWASP ASVS 5.0.0, chapters V6, V7 and V8: every requirement of level 1 or 2 (from the release's CSV export)
LEVEL_1_AND_2 = {
    "V6": "6.1.1 6.1.2 6.1.3 6.2.1 6.2.2 6.2.3 6.2.4 6.2.5 6.2.6 6.2.7 6.2.8 6.2.9 6.2.10 6.2.11 6.2.12 "
    "6.3.1 6.3.2 6.3.3 6.3.4 6.4.1 6.4.2 6.4.3 6.4.4 6.5.1 6.5.2 6.5.3 6.5.4 6.5.5 6.6.1 6.6.2 6.6.3 "
    "6.8.1 6.8.2 6.8.3 6.8.4",
    "V7": "7.1.1 7.1.2 7.1.3 7.2.1 7.2.2 7.2.3 7.2.4 7.3.1 7.3.2 7.4.1 7.4.2 7.4.3 7.4.4 7.4.5 7.5.1 7.5.2 7.6.1 7.6.2",
    "V8": "8.1.1 8.1.2 8.2.1 8.2.2 8.2.3 8.3.1 8.4.1",
}
STATUS = re.compile(r"^(\*\*)?(met|not applicable|not met|partly met)\b")


@cache
def functions_in(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))


def chapter_rows(chapter: str) -> dict[str, list[str]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"\n## {chapter} ")[1].split("\n## ")[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells and re.fullmatch(r"\d+\.\d+\.\d+", cells[0]):
            rows[cells[0]] = cells
    return rows


def test_every_test_named_in_the_security_doc_exists() -> None:
    named = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", DOC.read_text(encoding="utf-8"))
    assert len(named) > 50
    missing = [
        f"{path}::{name}"
        for path, name in named
        if not (ROOT / path).is_file() or name not in functions_in(ROOT / path)
    ]
    assert missing == [], f"docs/security.md names tests that do not exist: {missing}"


def test_every_level_1_and_2_requirement_has_one_row_with_a_status() -> None:
    for chapter, ids in LEVEL_1_AND_2.items():
        rows = chapter_rows(chapter)
        assert set(rows) == set(ids.split()), chapter
        for requirement, cells in rows.items():
            assert cells[1] in {"1", "2"}, requirement
            assert STATUS.match(cells[3]), f"{requirement}: status {cells[3]!r}"
            if cells[3].startswith("met"):
                assert "::" in cells[5], f"{requirement} is marked met without a test"


def test_the_summary_counts_match_the_tables() -> None:
    text = DOC.read_text(encoding="utf-8")
    for chapter in LEVEL_1_AND_2:
        statuses = [STATUS.match(cells[3]).group(2) for cells in chapter_rows(chapter).values()]  # type: ignore[union-attr]
        summary = re.search(rf"^\| {chapter} [^|]+\| (\d+) \| (\d+) \| (\d+) \| (\d+)", text, re.MULTILINE)
        assert summary is not None, chapter
        total, met, not_applicable, not_met = (int(n) for n in summary.groups())
        assert total == len(statuses)
        assert met == statuses.count("met")
        assert not_applicable == statuses.count("not applicable")
        assert not_met == statuses.count("not met") + statuses.count("partly met")
