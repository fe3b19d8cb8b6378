"""Everything works with JavaScript switched off: plain forms and links, no htmx needed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect


@pytest.fixture
def page_without_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        java_script_enabled=False, locale="nl-BE", bypass_csp=True, viewport={"width": 375, "height": 740}
    )
    yield context.new_page()
    context.close()


def test_find_an_address_without_javascript(page_without_js: Page, site: Any) -> None:
    page = page_without_js
    page.goto(f"{site.url}/nl/districts/address/")
    page.get_by_label("Adres").fill("Korenmrakt 1")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#address-result")).to_contain_text("Korenmarkt 1, 9000")
    assert "address=Korenmrakt" in page.url
    page.get_by_role("link", name="Binnenstad").click()
    expect(page.locator("h1")).to_have_text("Binnenstad")


def test_switch_language_without_javascript(page_without_js: Page, site: Any) -> None:
    page = page_without_js
    page.goto(f"{site.url}/nl/districts/")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url.endswith("/fr/districts/")


def test_walk_from_home_to_a_place_without_javascript(page_without_js: Page, site: Any) -> None:
    page = page_without_js
    page.goto(f"{site.url}/nl/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Wijken").click()
    page.locator(".card-list").get_by_role("link", name="Binnenstad").click()
    page.locator("#places-heading ~ ul a").first.click()
    expect(page.get_by_role("heading", name="Zalen")).to_be_visible()
    assert page.locator("table").count() >= 1


def test_log_in_with_a_demo_account_without_javascript(page_without_js: Page, site: Any) -> None:
    from apps.people.demo import DEMO_ACCOUNTS, demo_password

    account = DEMO_ACCOUNTS[0]
    page = page_without_js
    page.goto(f"{site.url}/nl/accounts/login/")
    page.get_by_label("E-mailadres of gsm-nummer").fill(account.email)
    page.get_by_label("Wachtwoord").fill(demo_password(account))
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
