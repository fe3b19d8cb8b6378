"""axe-core, injected from the npm package into the page under test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# "needs review" results that count as failures: a contrast axe cannot measure (text over a gradient or an image)
# and a reference it cannot resolve (aria-describedby to an id that is not there) are defects a person meets
REVIEW_RULES = {"color-contrast", "aria-valid-attr-value"}


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    needs_review = []
    for item in result["incomplete"]:
        # text covered by an open menu panel is not a contrast defect: it is out of sight while the panel is open;
        # a text of one or two characters (a chart's axis figure "4") axe leaves for review only because it could
        # be an icon font's ligature, which the project does not use; the text of a server-drawn chart (an SVG
        # with role="img") axe cannot measure at all: the charts' own tests check its colours instead
        # (tests/apps/wellbeing/test_screening_chart.py)
        # and a link of the open menu panel itself, when the panel reaches over a boxed element below it: axe gives
        # up on an element that partly overlaps others, but the panel is opaque white (its colours are measured
        # wherever it covers plain text); anywhere else that reason still fails
        skipped = {"bgOverlap", "shortTextContent", "imgNode"}
        nodes = [
            node for node in item["nodes"]
            if _reason(node) not in skipped and not (
                _reason(node) == "elmPartiallyObscuring" and _in_open_menu(page, node)
            )
        ]  # fmt: skip
        if item["id"] in REVIEW_RULES and nodes:
            needs_review.append({**item, "nodes": nodes})
    return list(result["violations"]) + needs_review


def _in_open_menu(page: Page, node: dict[str, Any]) -> bool:
    selector = node["target"][0] if node.get("target") else ""
    return bool(
        isinstance(selector, str)
        and page.evaluate("(s) => !!document.querySelector(s)?.closest('details[open] .menu-group__links')", selector)
    )


def _reason(node: dict[str, Any]) -> str:
    checks = node.get("any") or []
    data = checks[0].get("data") if checks else None
    return str(data.get("messageKey", "")) if isinstance(data, dict) else ""


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [[n["target"], _reason(n)] for n in v["nodes"]][:5]}
        for v in violations
    ]
    assert violations == [], f"axe-core found violations on {page.url}:\n{json.dumps(summary, indent=1)}"
