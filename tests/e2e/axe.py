"""axe-core, injected from the npm package into the page under test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return list(result["violations"])


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations
    ]
    assert violations == [], f"axe-core found violations on {page.url}:\n{json.dumps(summary, indent=1)}"
