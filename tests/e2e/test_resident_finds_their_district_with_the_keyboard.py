"""A resident who uses only the keyboard skips to the content, finds their address and its district."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.e2e.axe import assert_accessible


def test_skip_link_then_address_then_district(page: Page, visit: Callable[[str], Page]) -> None:
    visit("/nl/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Ga naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "id_address":
            break
        page.keyboard.press("Tab")
    expect(page.get_by_label("Adres")).to_be_focused()
    page.keyboard.type("Sint-Pietersnieuwstr 12")
    page.keyboard.press("Enter")
    result = page.locator("#address-result")
    expect(result).to_contain_text("Sint-Pietersnieuwstraat 12, 9000")
    district_link = result.get_by_role("link")
    district_name = district_link.inner_text()

    district_link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(district_name)
    assert_accessible(page)


def test_language_switch_by_keyboard_keeps_the_page(page: Page, visit: Callable[[str], Page]) -> None:
    visit("/nl/districts/")
    english = page.get_by_role("button", name="English")
    english.focus()
    expect(english).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/districts/")
    expect(page.locator("h1")).to_have_text("Districts")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_focus_is_visible(page: Page, visit: Callable[[str], Page]) -> None:
    visit("/nl/districts/")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
