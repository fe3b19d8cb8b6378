"""The duplicate warning is not an oracle (attack review of issue 14), in a browser on a phone: a number
registered outside the coordinator's districts and organisations gets one sentence that names nobody, counts
nobody and does not say whether the number or the name and address matched; the page stays accessible."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, expect

from apps.people.models import Person, Role
from tests.e2e.axe import assert_accessible
from tests.e2e.test_care_flow_mended import demo_person, on_phone, opened


def test_a_duplicate_outside_ones_scope_is_one_sentence(browser: Browser, site: Any) -> None:
    grant = demo_person("coordinator").roles.get(role=Role.COORDINATOR)
    elsewhere = (
        Person.objects.exclude(district_id=grant.district_id).exclude(organisation_id=grant.organisation_id)
        .filter(user__isnull=True).exclude(phone="").first()
    )  # fmt: skip
    assert elsewhere is not None
    page = opened(on_phone(browser, site, "coordinator"), site.url + "/en/persons/new/")
    page.get_by_label("First name").fill("Proef")
    page.get_by_label("Last name").fill("Orakel")
    page.locator("#id_address").fill("Korenmarkt 1")
    page.locator("#id_phone").fill(elsewhere.phone)
    page.get_by_role("button", name="Register").click()

    notice = page.locator("#likely-duplicates")
    expect(notice).to_contain_text("already registered outside the districts and organisations you coordinate")
    expect(notice).not_to_contain_text("same phone number")
    expect(notice).not_to_contain_text(elsewhere.last_name)
    expect(notice.get_by_role("listitem")).to_have_count(0)
    assert not Person.objects.filter(last_name="Orakel").exists()
    assert_accessible(page)
