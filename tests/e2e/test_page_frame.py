"""The frame every page shares, as a person sees it (issue 14): the style guide's colours on links and buttons,
the logo on the content column, and on a phone a header small enough that the page's first item is in view."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page

from tests.e2e.test_menus_and_home_panels import context_for

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
BROWSER_DEFAULT_LINK_BLUE = "rgb(0, 0, 238)"
BROWSER_DEFAULT_BUTTON_GREY = "rgb(239, 239, 239)"


def style(page: Page, selector: str, prop: str) -> str:
    return str(page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}"))


def test_links_and_buttons_wear_the_style_guide_not_the_browser_defaults(page: Page, site: Any) -> None:
    page.goto(site.url + "/nl/about/")
    content_link = "main a[href]"
    assert style(page, content_link, "color") != BROWSER_DEFAULT_LINK_BLUE
    page.goto(site.url + "/nl/design-system/")
    for selector in ("main .button-primary", "main .button-secondary", "main .button-danger"):
        assert style(page, selector, "backgroundColor") != BROWSER_DEFAULT_BUTTON_GREY, selector
    assert style(page, "main .button-primary", "color") == "rgb(255, 255, 255)"


def test_the_logo_starts_where_the_content_starts(page: Page, site: Any) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(site.url + "/nl/districts/")
        logo = page.locator(".site-header img").first.bounding_box()
        heading = page.locator("main h1").bounding_box()
        assert logo is not None and heading is not None
        assert abs(logo["x"] - heading["x"]) <= 2, (size, logo["x"], heading["x"])


def test_on_a_phone_the_helpers_first_request_is_in_view_without_scrolling(browser: Browser, site: Any) -> None:
    page = context_for(browser, site, "helper", viewport=PHONE).new_page()
    page.goto(site.url + "/nl/help/")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 240, header
    # the whole first request, down to its "I can help" button, is on the first screen
    first_button = page.locator("main .card").first.get_by_role("button").first.bounding_box()
    assert first_button is not None
    assert first_button["y"] + first_button["height"] <= PHONE["height"], first_button
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
