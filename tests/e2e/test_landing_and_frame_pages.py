"""In a browser: each role lands on its own page after signing in; the sign-in page, the 403 and the 404 are in the
site's style and in the page's language (Dutch with "u", never allauth's "je"), at phone and desktop size, axe-clean.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Browser, Page, expect

from apps.people.demo import DEMO_ACCOUNTS, demo_password, demo_totp_code, needs_second_factor
from tests.e2e.axe import assert_accessible

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf)\b", re.I)
BROWSER_GREY = "rgb(239, 239, 239)"  # Chromium's own button background
NOT_FOR_WORK = ["Mijn hulpvragen", "Een buur helpen"]  # a work account (staff roles only) neither asks nor offers help


def sign_in(page: Page, site: Any, role: str) -> None:
    """Through the login page as a person does it: address, password, and the authenticator's code for staff."""
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    page.goto(site.url + "/nl/accounts/login/")
    page.get_by_label("E-mailadres of gsm-nummer").fill(account.email)
    page.get_by_label("Wachtwoord", exact=True).fill(demo_password(account))
    page.get_by_role("main").get_by_role("button", name="Aanmelden").click()
    if needs_second_factor(account):
        page.wait_for_url("**/2fa/authenticate/")
        cache.clear()  # allauth takes a code once per 30 seconds; an earlier test may have used this one
        page.locator("input[name=code]").fill(demo_totp_code(account))
        page.get_by_role("main").get_by_role("button").first.click()


def menu_labels(page: Page) -> list[str]:
    links = page.get_by_role("navigation", name="Hoofdmenu").locator("a")
    return [(links.nth(i).text_content() or "").strip() for i in range(links.count())]


@pytest.mark.parametrize(
    ("role", "path", "heading", "has", "has_not"),
    [
        ("resident", "/nl/care/", "Mijn hulpvragen", ["Mijn hulpvragen", "Een buur helpen"], ["Werklijst"]),
        ("helper", "/nl/help/", "Hulpvragen in mijn buurt", ["Een buur helpen"], ["Werklijst"]),
        ("coordinator", "/nl/coordinate/", "Werklijst", ["Werklijst", "Bewoners"], NOT_FOR_WORK),
        ("auditor", "/nl/audit/", "Toegangslogboek", ["Toegangslogboek"], NOT_FOR_WORK),
    ],
)
def test_each_role_lands_on_its_own_page_after_signing_in(
    browser: Browser, site: Any, role: str, path: str, heading: str, has: list[str], has_not: list[str]
) -> None:
    page = browser.new_page(locale="nl-BE", bypass_csp=True, viewport=SIZES["phone"])
    sign_in(page, site, role)
    page.wait_for_url(f"**{path}")
    assert page.url == site.url + path
    if heading:
        expect(page.locator("h1")).to_contain_text(heading)
    labels = menu_labels(page)
    for label in has:
        assert label in labels, (role, labels)
    for label in has_not:
        assert label not in labels, (role, labels)
    assert_accessible(page)


@pytest.mark.parametrize("size", SIZES)
def test_the_sign_in_page_is_in_the_sites_style_and_says_u(browser: Browser, site: Any, size: str) -> None:
    page = browser.new_page(locale="nl-BE", bypass_csp=True, viewport=SIZES[size])
    page.goto(site.url + "/nl/accounts/login/")
    button = page.get_by_role("main").get_by_role("button", name="Aanmelden")
    expect(button).to_have_class(re.compile(r"\bbutton-primary\b"))
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") != BROWSER_GREY
    main = page.get_by_role("main").inner_text()
    assert not INFORMAL.search(main), main
    assert "Hebt u nog geen account?" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    assert_accessible(page)
    # a wrong password: the error summary in the site's words, with "u"
    page.get_by_label("E-mailadres of gsm-nummer").fill("resident@demo.cityofpeople.example")
    page.get_by_label("Wachtwoord", exact=True).fill("not-the-password-at-all")
    button.click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Er is een probleem")
    expect(summary).to_be_focused()
    assert not INFORMAL.search(page.get_by_role("main").inner_text())
    assert_accessible(page)


ERROR_PAGES = {
    "nl": ("U kunt deze pagina niet openen", "Pagina niet gevonden", "Naar uw startpagina"),
    "en": ("You cannot open this page", "Page not found", "Go to your start page"),
    "fr": ("Vous ne pouvez pas ouvrir cette page", "Page introuvable", "Aller à votre page d'accueil"),
}


@pytest.mark.parametrize("language", ERROR_PAGES)
@pytest.mark.parametrize("size", SIZES)
def test_403_and_404_are_in_the_sites_style_and_language(
    browser: Browser, site: Any, language: str, size: str
) -> None:
    forbidden, missing, start = ERROR_PAGES[language]
    page = browser.new_page(locale="nl-BE", bypass_csp=True, viewport=SIZES[size])
    sign_in(page, site, "resident")
    page.wait_for_load_state()
    response = page.goto(site.url + f"/{language}/coordinate/")
    assert response is not None and response.status == 403
    expect(page.locator("h1")).to_have_text(forbidden)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_role("banner").get_by_role("img")).to_be_visible()  # the city's logo
    expect(page.get_by_role("navigation").first).to_be_visible()  # the reader's own menu
    page.get_by_role("main").get_by_role("link", name=start).click()
    page.wait_for_url(f"**/{language}/care/")
    response = page.goto(site.url + f"/{language}/no-such-page/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text(missing)
    expect(page.get_by_role("banner").get_by_role("img")).to_be_visible()  # the city's logo
    assert_accessible(page)
    response = page.goto(site.url + f"/{language}/coordinate/")
    assert_accessible(page)
