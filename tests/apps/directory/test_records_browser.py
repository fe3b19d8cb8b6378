"""The service form on a phone (390×844), in a real browser, checked with axe-core at every step: the empty
form, the form with its errors (summary at the top, focused), the saved change, and the reviewer's comparison."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import Page, expect

from apps.directory.models import Revision
from apps.people.demo import DEMO_ACCOUNTS
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, site, visit  # noqa: F401

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, site: Any, role: str) -> None:  # noqa: F811 (the live site, not the fixture)
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    client = Client()
    client.force_login(get_user_model().objects.get(username=account.email))
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}])


def fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px"


def test_the_service_form_on_a_phone_from_draft_to_review(
    page: Page,
    site: Any,  # noqa: F811
    visit: Callable[[str], Page],  # noqa: F811
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, site, "organisation_staff")
    visit("/en/records/")
    fits_the_phone(page)
    page.get_by_role("link", name="Add a service").first.click()
    assert_accessible(page)
    fits_the_phone(page)
    expect(page.get_by_role("heading", name="New service")).to_be_visible()

    page.get_by_label("Minimum age").fill("70")
    page.get_by_label("Maximum age").fill("18")
    page.get_by_role("button", name="Save the draft").click()
    summary = page.locator(".error-summary, [role=alert]").first
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("The maximum age is lower than the minimum age.")
    assert_accessible(page)
    fits_the_phone(page)

    page.get_by_role("button", name="Add a row of closed days").click()
    expect(page.get_by_role("group", name="Closed, row 3")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name of the service").fill("Boodschappendienst")
    page.get_by_label("Maximum age").fill("")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", name="Change: Boodschappendienst")).to_be_visible()
    assert_accessible(page)
    fits_the_phone(page)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Sent for review.")).to_be_visible()
    revision = Revision.objects.get(document__name="Boodschappendienst")
    assert revision.status == Revision.Status.UNDER_REVIEW

    sign_in(page, site, "city_staff")
    visit("/en/records/review/")
    fits_the_phone(page)
    visit(f"/en/records/review/{revision.pk}/")
    fits_the_phone(page)
    expect(page.get_by_role("button", name="Publish this change")).to_be_visible()
