"""Support requests, registrations and the district's coordination in a browser (issue 18, items 2–4): a starter
asks for tables on a phone without JavaScript; the coordinator grants it by keyboard only; every page of support
requests, materials, grant calls and the jury, "My registrations", the weekly programme and the coordination view
passes axe on a phone (French, where text runs longest) and a desktop (Dutch), without sideways scrolling.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Browser, expect

from apps.community.models import GrantCall, Initiative, JuryScore, SupportRequest
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Role
from tests.e2e.axe import assert_accessible
from tests.e2e.test_menus_and_home_panels import SIZES, context_for


def _own_initiative() -> Initiative:
    email = next(a for a in DEMO_ACCOUNTS if a.role == Role.INITIATIVE_STARTER).email
    found = Initiative.objects.filter(status="published", starter__user__username=email).first()
    assert found is not None
    return found


def test_a_starter_asks_for_tables_on_a_phone_without_javascript(browser: Browser, site: Any) -> None:
    initiative = _own_initiative()
    page = context_for(browser, site, "initiative_starter", java_script_enabled=False).new_page()
    page.goto(site.url + f"/nl/initiatives/{initiative.pk}/")
    page.get_by_role("link", name="Steun vragen aan de stad").click()
    page.get_by_role("link", name="Materiaal lenen", exact=True).click()
    first = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Eerste dag").fill(first.strftime("%d/%m/%Y"))
    page.get_by_label("Laatste dag").fill((first + timedelta(days=1)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Bekijk wat beschikbaar is").click()
    expect(page.locator("main")).to_contain_text("40 beschikbaar")  # the form says how many tables are free then
    page.get_by_label("Tafels").fill("8")
    page.get_by_role("button", name="Versturen naar de stad").click()
    expect(page.locator("h1")).to_have_text("Materiaal lenen")
    expect(page.locator(".status-tag").first).to_have_text("Ontvangen")
    made = SupportRequest.objects.filter(initiative=initiative, kind="materials").order_by("-pk").first()
    assert made is not None and made.lines.get().quantity == 8


def test_the_coordinator_grants_it_by_keyboard_only(browser: Browser, site: Any) -> None:
    request = SupportRequest.objects.filter(kind="materials", status="submitted").first()
    assert request is not None
    page = context_for(browser, site, "coordinator").new_page()
    page.goto(site.url + f"/nl/support/{request.pk}/")
    button = page.get_by_role("button", name="Ik behandel dit")
    for _ in range(60):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".status-tag").first).to_have_text("In behandeling")
    grant = page.get_by_role("button", name="Toekennen", exact=True)
    for _ in range(60):
        page.keyboard.press("Tab")
        if grant.evaluate("element => element === document.activeElement"):
            break
    expect(grant).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".status-tag").first).to_have_text("Toegekend")
    request.refresh_from_db()
    assert request.status == "approved"


def test_the_pages_of_support_registrations_and_coordination_pass_axe(browser: Browser, site: Any) -> None:
    initiative = _own_initiative()
    asked = {r.kind: r for r in SupportRequest.objects.filter(initiative=initiative)}
    open_call = GrantCall.objects.filter(deadline__gte=timezone.localdate()).first()
    closed_call = GrantCall.objects.filter(deadline__lt=timezone.localdate()).first()
    coordinator = next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR).email
    scored = JuryScore.objects.filter(member__call=closed_call, member__person__user__username=coordinator)
    assert open_call and closed_call and {"materials", "permit", "grant"} <= set(asked)
    number = initiative.district.number
    visits = {
        "anonymous": ["/materials/", "/grants/", f"/grants/{open_call.pk}/",
                      f"/whats-on/programme/district/{number}/", "/whats-on/?audience=older_residents&wheelchair=on"],
        "initiative_starter": [
            f"/initiatives/{initiative.pk}/support/",
            *[f"/initiatives/{initiative.pk}/support/new/{kind}/" for kind in ("materials", "permit", "grant", "help")],
            *[f"/support/{r.pk}/" for r in asked.values()], "/whats-on/mine/",
        ],
        "coordinator": [
            "/support/", f"/support/{asked['permit'].pk}/", f"/grants/{closed_call.pk}/",
            f"/grants/{closed_call.pk}/jury/",
            *[f"/grants/applications/{s.application_id}/score/" for s in scored[:1]],
            "/districts/all/coordination/", f"/districts/{number}/coordination/",
        ],
    }  # fmt: skip
    for role, paths in visits.items():
        page = context_for(browser, site, role).new_page()
        for name, size in SIZES.items():
            page.set_viewport_size(size)
            for language in ("fr",) if name == "phone" else ("nl",):  # French runs longest on a phone
                for path in paths:
                    response = page.goto(site.url + f"/{language}{path}")
                    assert response is not None and response.status == 200, (role, language, path)
                    assert_accessible(page)
                    width = page.evaluate("document.documentElement.scrollWidth")
                    assert width <= size["width"], f"{language}{path} is {width} px wide"
        page.context.close()
