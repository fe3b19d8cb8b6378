"""Find help in a browser, on the demo directory: axe-clean at 390 × 844 (a phone) and 1280 × 800, usable with
the keyboard only, and the search works without JavaScript (a plain GET form).

English pages (/en/) where the test reads texts, so it holds whatever the Dutch translation says.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from apps.directory.search import published_services
from tests.e2e.axe import assert_accessible

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}


def opened(browser: Browser, viewport: dict[str, int], javascript: bool = True) -> Page:
    context = browser.new_context(viewport=viewport, locale="nl-BE", bypass_csp=True, java_script_enabled=javascript)
    return context.new_page()


def check(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{url} is {width} px wide"  # type: ignore[index]
    assert_accessible(page)


def test_every_search_page_passes_axe_on_a_phone_and_a_wide_screen(browser: Browser, site: Any) -> None:
    service = published_services().order_by("name").first()
    assert service is not None, "the demo directory has no published service"
    paths = [
        "/nl/find-help/",
        "/en/find-help/?words=thuisverplegin",
        "/fr/find-help/?words=maaltijden&address=Korenmarkt+1&open_now=on",
        "/en/find-help/?address=Nergensstraat+4",  # the error summary
        "/en/find-help/?words=zzzzqqq",  # nothing found
        f"/nl/find-help/services/{service.pk}/",
        "/en/find-help/print/?words=thuisverpleging",
    ]
    for viewport in (PHONE, WIDE):
        page = opened(browser, viewport)
        for path in paths:
            check(page, site.url + path)


def test_a_coordinator_mid_call_searches_with_the_keyboard_only(browser: Browser, site: Any) -> None:
    page = opened(browser, PHONE)
    page.goto(site.url + "/en/find-help/")
    words = page.get_by_label("What are you looking for?")
    words.focus()
    page.keyboard.type("Thuisverpléging")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/find-help/?words=*")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("found")
    first = page.locator(".directory-results__list .card__title a").first
    expect(first).to_be_visible()
    # on a phone the first result is near the top, above the map and the more choices (folded after a search)
    assert first.bounding_box()["y"] < 900  # type: ignore[index]
    first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="Where and when")).to_be_visible()
    assert_accessible(page)


def test_the_search_works_without_javascript(browser: Browser, site: Any) -> None:
    page = opened(browser, PHONE, javascript=False)
    page.goto(site.url + "/en/find-help/")
    page.get_by_label("What are you looking for?").fill("maaltyden")
    page.get_by_label("Or near an address").fill("Korenmarkt 1")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".directory-result__why").first).to_contain_text("km from Korenmarkt 1")
    page.get_by_role("link", name="A list of these services to print").click()
    expect(page.locator("h1")).to_have_text("Help found")
    expect(page.locator(".directory-print__list > li").first).to_be_visible()
