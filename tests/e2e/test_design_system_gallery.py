"""The component gallery at phone and desktop size, in each language: axe-clean, and each component behaves as
a person expects (issue 14: checkboxes tied to their labels, a focused and linked error summary)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TITLES = {"nl": "Er is een probleem", "en": "There is a problem", "fr": "Il y a un problème"}


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_gallery_passes_axe_and_fits_the_screen(
    page: Page, visit: Callable[[str], Page], language: str, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    visit(f"/{language}/design-system/?errors=1")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(TITLES[language])


def test_tapping_a_label_ticks_its_own_box_on_a_phone(page: Page, visit: Callable[[str], Page]) -> None:
    page.set_viewport_size(PHONE)
    visit("/en/design-system/")
    page.get_by_text("I agree that the coordinator may call me.").click()
    expect(page.get_by_label("I agree that the coordinator may call me.")).to_be_checked()
    page.get_by_text("Arabic", exact=True).click()
    expect(page.get_by_label("Arabic", exact=True)).to_be_checked()
    for other in ("Dutch", "French", "English", "Turkish"):
        expect(page.get_by_label(other, exact=True)).not_to_be_checked()
    # each box is drawn on the line of its own words, not between two labels
    for text in ("I agree that the coordinator may call me.", "Arabic"):
        label = page.get_by_text(text, exact=True).bounding_box()
        box = page.get_by_label(text, exact=True).bounding_box()
        assert label is not None and box is not None
        assert label["y"] <= box["y"] + box["height"] / 2 <= label["y"] + label["height"]


def test_a_link_in_the_error_summary_takes_the_keyboard_to_the_field(page: Page, visit: Callable[[str], Page]) -> None:
    visit("/en/design-system/")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".error-summary")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="First name: This field is required.")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("First name")).to_be_focused()


def test_the_error_summary_is_focused_without_javascript(browser: object, site: object) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site.url + "/en/design-system/?errors=1")  # type: ignore[attr-defined]
    # scripts are off; the browser's own autofocus puts the keyboard on the summary
    expect(page.locator(".error-summary")).to_be_focused()
    context.close()
