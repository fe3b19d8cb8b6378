"""A coordinator on the phone with a resident takes a loneliness screening with the keyboard only (issue 17):
Tab to each control, Space to choose, arrows inside a group of radio buttons, Enter on the buttons; the focus is
visible all the way, and the result is stored and shown."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Consent, Person, Purpose, Role
from apps.wellbeing.models import Screening
from tests.e2e.axe import assert_accessible
from tests.e2e.test_menus_and_home_panels import SIZES, context_for


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element is focused (as a keyboard user does), and check its focus can be seen."""
    target = page.locator(selector).first
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
            assert outline != "none" or shadow != "none", f"{selector}: the focus is not visible"
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} was not reached with Tab")


def test_a_coordinator_takes_a_screening_with_the_keyboard_only(browser: Browser, site: Any) -> None:
    account = next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR)
    me = Person.objects.get(user=get_user_model().objects.get(username=account.email))
    district = me.roles.filter(role=Role.COORDINATOR, district__isnull=False).first().district  # type: ignore[union-attr]
    resident = (
        Person.objects.filter(district=district, user__isnull=True, erased_at__isnull=True)
        .exclude(consents__purpose=Purpose.WELLBEING_SCREENING)
        .first()
    )
    assert resident is not None
    page = context_for(browser, site, "coordinator", viewport=SIZES["desktop"]).new_page()
    page.goto(site.url + f"/nl/wellbeing/persons/{resident.pk}/screening/")
    tab_to(page, "#id_instrument_0")
    page.keyboard.press("ArrowDown")  # the short scale, inside the group of radio buttons
    expect(page.locator("#id_instrument_1")).to_be_checked()
    tab_to(page, "#id_mode_0")
    page.keyboard.press("Space")  # during a visit
    tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    tab_to(page, "main button[value=start]")
    page.keyboard.press("Enter")
    for number in range(1, 7):
        expect(page.locator(".screening-progress")).to_contain_text(f"Vraag {number} van 6")
        tab_to(page, "main input[name=answer]")
        page.keyboard.press("Space")  # the first answer of each question
        tab_to(page, "main button[value=next]")
        page.keyboard.press("Enter")
    expect(page.locator("main button[value=save]")).to_be_visible()  # the check page
    assert_accessible(page)
    tab_to(page, "main button[value=save]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Uitkomst van een vragenlijst")
    screening = Screening.objects.get(person=resident)
    assert (screening.instrument, screening.mode, screening.taken_by_id) == ("djg6", "visit", me.pk)
    assert Consent.objects.filter(person=resident, purpose=Purpose.WELLBEING_SCREENING, recorded_by=me).exists()
    assert_accessible(page)
