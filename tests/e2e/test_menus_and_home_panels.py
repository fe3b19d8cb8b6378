"""The menu and the home page of every role, in a browser: accessible on a phone and a desktop, usable by
keyboard and without JavaScript, and still usable on a phone with ten capabilities' worth of links."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.core import capabilities as registry
from apps.core.capabilities import Capability, MenuEntry, MenuGroup
from apps.people.demo import DEMO_ACCOUNTS
from tests.e2e.axe import assert_accessible

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
ROLES = ["anonymous", *(account.role.value for account in DEMO_ACCOUNTS)]


def context_for(browser: Browser, site: Any, role: str, **options: Any) -> BrowserContext:
    """A browser signed in as the demo account of ``role`` (``anonymous``: nobody)."""
    options = {"locale": "nl-BE", "bypass_csp": True, "viewport": SIZES["phone"], **options}
    context = browser.new_context(**options)
    if role != "anonymous":
        account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
        client = Client()
        client.force_login(get_user_model().objects.get(username=account.email))
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])
    return context


def menu_links(page: Page) -> dict[str, str]:
    """The menu's links, label to address (log in and out are beside the logo, not in the menu)."""
    links = page.get_by_role("navigation", name="Hoofdmenu").locator("a")
    return {
        (links.nth(index).text_content() or "").strip(): links.nth(index).get_attribute("href") or ""
        for index in range(links.count())
    }


def public_paths() -> set[str]:
    """The menu's public pages (rule "public"), as the Dutch menu links them: the same page for every role but for
    the menu, which each role's home page checks, so only the anonymous visitor opens them all."""
    with translation.override("nl"):
        return {reverse(entry.url_name) for capability in registry.capabilities() for entry in capability.menu
                if entry.rule == "public"}  # fmt: skip


def open_checked(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    assert_accessible(page)


@pytest.mark.parametrize("role", ROLES)
def test_the_home_page_and_every_page_of_the_menu_pass_axe_on_a_phone_and_a_desktop(
    browser: Browser, site: Any, role: str
) -> None:
    page = context_for(browser, site, role).new_page()
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        open_checked(page, site.url + "/nl/")
        groups = page.locator("details[data-menu-group] > summary")
        if groups.count():
            groups.first.click()
            expect(page.locator("details[data-menu-group][open] .menu-group__links a").first).to_be_visible()
            assert_accessible(page)  # an open group too: its colours, its links over the page
        links = menu_links(page)
        assert links, f"{role} on a {name}: an empty menu"
        skipped = public_paths() if role != "anonymous" else set()
        for href in links.values():
            if href not in skipped:
                open_checked(page, site.url + href)
        # log out (or log in) stays in sight beside the logo, without opening anything
        page.goto(site.url + "/nl/")
        banner = page.get_by_role("banner")
        if role == "anonymous":
            expect(banner.get_by_role("link", name="Aanmelden", exact=True)).to_be_visible()
        else:
            expect(banner.get_by_role("button", name="Afmelden")).to_be_visible()


@pytest.mark.parametrize("size", SIZES)
def test_a_group_opens_and_its_link_is_followed_by_keyboard_only(browser: Browser, site: Any, size: str) -> None:
    page = context_for(browser, site, "coordinator", viewport=SIZES[size]).new_page()
    page.goto(site.url + "/nl/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    coordination = menu.locator("summary", has_text="Coördinatie")
    worklist = menu.get_by_role("link", name="Werklijst", exact=True)
    for _ in range(20):
        page.keyboard.press("Tab")
        if coordination.evaluate("element => element === document.activeElement"):
            break
    expect(coordination).to_be_focused()
    expect(worklist).to_be_hidden()
    page.keyboard.press("Enter")
    expect(worklist).to_be_visible()
    page.keyboard.press("Escape")  # the script closes it again, focus stays on the heading
    expect(worklist).to_be_hidden()
    expect(coordination).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(worklist).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/nl/coordinate/")
    expect(page.locator("h1")).to_contain_text("Werklijst")
    expect(menu.locator("a[aria-current=page]")).to_have_text("Werklijst")
    expect(menu.locator("details.is-current > summary")).to_have_text("Coördinatie")


def test_one_group_is_open_at_a_time(browser: Browser, site: Any) -> None:
    page = context_for(browser, site, "coordinator", viewport=SIZES["desktop"]).new_page()
    page.goto(site.url + "/nl/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    profile = menu.get_by_role("link", name="Mijn profiel", exact=True)
    worklist = menu.get_by_role("link", name="Werklijst", exact=True)
    menu.locator("summary", has_text="Voor mij").click()
    expect(profile).to_be_visible()
    menu.locator("summary", has_text="Coördinatie").click()
    expect(worklist).to_be_visible()
    expect(profile).to_be_hidden()
    page.mouse.click(5, 700)  # a click elsewhere on the page closes it
    expect(worklist).to_be_hidden()


@pytest.mark.parametrize("size", SIZES)
def test_the_menu_works_without_javascript(browser: Browser, site: Any, size: str) -> None:
    page = context_for(browser, site, "auditor", java_script_enabled=False, viewport=SIZES[size]).new_page()
    page.goto(site.url + "/nl/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Wijken")).to_be_visible()
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    menu.locator("summary", has_text="Controle").click()
    menu.get_by_role("link", name="Opvallende activiteit").click()
    page.wait_for_url("**/nl/audit/activity/")
    expect(menu.locator("a[aria-current=page]")).to_have_text("Opvallende activiteit")
    expect(menu.locator("details.is-current > summary")).to_have_text("Controle")


def test_ten_capabilities_still_fit_a_phones_header(
    browser: Browser, site: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight more apps with two links each: the header keeps to the top of a phone's screen, each group opens
    in full, and "Log out" stays in sight (the live server runs in this process, so it reads these too)."""
    real = registry.capabilities()
    more = []
    groups = ("mine", "coordination", "city", "extra0", "extra1", "mine", "extra0", "extra1")
    for number, group in enumerate(groups, start=1):
        more.append(
            Capability(
                app=f"extra{number}",
                menu_groups=(MenuGroup("extra0", "Samen", order=60), MenuGroup("extra1", "Buurt", order=70)),
                menu=(
                    MenuEntry(f"Ontdek {number}", "core:about", rule="public", group="discover", order=50 + number),
                    MenuEntry(f"Pagina {number}", "core:about", rule="authenticated", group=group, order=50),
                ),
            )
        )
    monkeypatch.setattr(registry, "capabilities", lambda: (*real, *more))
    page = context_for(browser, site, "coordinator", viewport=SIZES["phone"]).new_page()
    page.goto(site.url + "/nl/")
    header = page.locator("header.site-header").bounding_box()
    assert header is not None and header["height"] <= SIZES["phone"]["height"] * 0.45, header
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_role("link", name="Wijken")).to_be_visible()
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    expect(menu.get_by_role("link", name="Ontdek 1")).to_be_hidden()  # beyond the bar's two: in "Ontdekken"
    summaries = menu.locator("summary")
    assert summaries.count() == 6  # Ontdekken, Voor mij, Coördinatie, Stad, Samen, Buurt
    for index in range(summaries.count()):
        summaries.nth(index).click()
        links = menu.locator("details[open] .menu-group__links a")
        assert links.count() >= 1
        for link in range(links.count()):
            expect(links.nth(link)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES["phone"]["width"]
        if index == summaries.count() - 1:
            assert_accessible(page)
        page.keyboard.press("Escape")  # the open list covers the rows under it: closed before the next heading
        expect(links.first).to_be_hidden()
