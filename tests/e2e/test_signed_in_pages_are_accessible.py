"""The pages behind a login pass axe-core too, for residents, coordinators, organisations and auditors, on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.organisations.demo import DEMO_ORGANISATION
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role
from tests.e2e.axe import assert_accessible


def signed_in_context(browser: Browser, site: Any, role: str, **options: Any) -> BrowserContext:
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    client = Client()
    client.force_login(get_user_model().objects.get(username=account.email))
    context = browser.new_context(locale="nl-BE", bypass_csp=True, viewport={"width": 375, "height": 740}, **options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])
    return context


def open_checked(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"
    assert_accessible(page)


def test_my_pages(browser: Browser, site: Any) -> None:
    page = signed_in_context(browser, site, "resident").new_page()
    for path in (
        "/nl/me/",
        "/nl/me/roles/",
        "/nl/me/consents/",
        "/nl/me/reads/",
        "/nl/me/data/",
        "/nl/accounts/sessions/",
        "/nl/accounts/2fa/",
        "/nl/accounts/email/",
        "/en/me/",
        "/fr/me/consents/",
    ):
        open_checked(page, site.url + path)


def test_coordinator_pages(browser: Browser, site: Any) -> None:
    page = signed_in_context(browser, site, "coordinator").new_page()
    coordinator = Person.objects.get(user__username="coordinator@demo.cityofpeople.example")
    district = coordinator.roles.get(role=Role.COORDINATOR).district_id
    resident = Person.objects.filter(district_id=district, user__isnull=True).first()
    assert resident is not None
    for path in (
        "/nl/persons/",
        "/nl/persons/?q=a",
        "/nl/persons/new/",
        f"/nl/persons/{resident.pk}/",
        f"/nl/persons/{resident.pk}/erase/",
    ):
        open_checked(page, site.url + path)


def test_organisation_pages(browser: Browser, site: Any) -> None:
    """Organisation staff keep their organisation's profile; city staff see the organisations and who works there."""
    staff = signed_in_context(browser, site, "organisation_staff").new_page()
    for path in ("/nl/my-organisation/", f"/nl/organisations/{DEMO_ORGANISATION}/edit/", "/fr/my-organisation/"):
        open_checked(staff, site.url + path)
    city = signed_in_context(browser, site, "city_staff").new_page()
    for path in (
        "/nl/organisations/",
        f"/nl/organisations/{DEMO_ORGANISATION}/",
        f"/en/organisations/{DEMO_ORGANISATION}/",
    ):
        open_checked(city, site.url + path)


def test_auditor_and_sign_up_pages(browser: Browser, site: Any) -> None:
    page = signed_in_context(browser, site, "auditor").new_page()
    open_checked(page, site.url + "/nl/audit/")
    anonymous = browser.new_context(locale="nl-BE", bypass_csp=True).new_page()
    for path in ("/nl/signup/phone/", "/nl/accounts/login/code/"):
        open_checked(anonymous, site.url + path)


def test_coordinator_registers_a_resident_with_the_keyboard(browser: Browser, site: Any) -> None:
    page = signed_in_context(browser, site, "coordinator").new_page()
    page.goto(site.url + "/nl/persons/new/")
    page.get_by_label("Voornaam").focus()
    page.keyboard.type("Georgette")
    page.keyboard.press("Tab")
    page.keyboard.type("Vermeersch")
    page.keyboard.press("Tab")
    page.keyboard.type("Korenmarkt 1")
    page.get_by_label("Telefoon").focus()
    page.keyboard.type("09 266 11 11")
    page.get_by_label("Een helper zoeken voor mijn hulpvraag").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Registreren").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Georgette Vermeersch")
    assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_resident_withdraws_a_consent(browser: Browser, site: Any, javascript: bool) -> None:
    page = signed_in_context(browser, site, "resident", java_script_enabled=javascript).new_page()
    page.goto(site.url + "/nl/me/consents/")
    page.get_by_role("button", name="Toestemming geven: Een e-mail krijgen").click()
    expect(page.get_by_role("button", name="Toestemming intrekken: Een e-mail krijgen")).to_be_visible()
    page.get_by_role("button", name="Toestemming intrekken: Een e-mail krijgen").click()
    expect(page.get_by_role("button", name="Toestemming geven: Een e-mail krijgen")).to_be_visible()


def test_coordinator_makes_recovery_codes_after_giving_both_factors_with_the_keyboard(
    browser: Browser, site: Any
) -> None:
    """ASVS 6.5.2 and 7.5.1 as a person meets them: password, then authenticator code, then ten codes shown once."""
    from apps.people.demo import demo_password, demo_totp_code

    coordinator = next(a for a in DEMO_ACCOUNTS if a.role.value == "coordinator")
    page = signed_in_context(browser, site, "coordinator").new_page()
    open_checked(page, site.url + "/nl/accounts/2fa/")
    page.get_by_role("link", name="Bekijk hoeveel er nog over zijn, of maak nieuwe").click()
    assert_accessible(page)
    page.get_by_role("button", name="Maak mijn herstelcodes").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Stap 1 van 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Wachtwoord").fill(demo_password(coordinator))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Stap 2 van 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill(demo_totp_code(coordinator))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Uw nieuwe herstelcodes")).to_be_visible()
    assert page.locator(".recovery-code-list li").count() == 10
    assert_accessible(page)


def test_a_phone_only_resident_confirms_it_is_them_with_a_code_before_changing_their_number(
    browser: Browser, site: Any
) -> None:
    """The code step of ASVS 7.5.1, for an account with neither password nor authenticator."""
    user = get_user_model().objects.create_user(username="phone-only-e2e")
    user.set_unusable_password()
    user.save()
    Person.objects.create(
        user=user, first_name="Mariette", last_name="Claeys", phone="+32470123456", phone_verified=True
    )
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="nl-BE", bypass_csp=True, viewport={"width": 375, "height": 740})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])
    page = context.new_page()
    page.goto(site.url + "/nl/accounts/phone/change/")
    page.locator("input[name=phone]").fill("0470 99 88 77")
    page.keyboard.press("Enter")
    expect(page.get_by_text("eindigt op …56")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Stuur mij een code").click()
    expect(page.get_by_label("Code")).to_be_visible()
    assert_accessible(page)
