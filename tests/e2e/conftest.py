"""Browser suite: Debian's Chromium (never a downloaded browser) driven by Playwright.

Every page visited through ``visit`` is checked with axe-core (WCAG 2.1 A and
AA rules) and must have zero violations.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.demo_snapshot import DemoCity
from tests.e2e.axe import assert_accessible

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # axe-core is injected as an inline script, which our strict CSP would block
    return {**browser_context_args, "locale": "nl-BE", "bypass_csp": True}


@pytest.fixture
def site(live_server: Any, transactional_db: None, demo_rows: DemoCity) -> Any:
    """The live site with the demo city loaded (the live server flushes the database after each test)."""
    demo_rows.load()
    return live_server


@pytest.fixture
def visit(page: Page, site: Any) -> Callable[[str], Page]:
    """Open a path of the live site and check the page with axe-core."""

    def _visit(path: str) -> Page:
        response = page.goto(site.url + path)
        assert response is not None and response.status == 200, f"{path} answered {response and response.status}"
        assert_accessible(page)
        return page

    return _visit
