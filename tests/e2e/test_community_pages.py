"""Neighbourhood initiatives in a browser (issue 18, items 1 and 3): a resident starts a language café on a phone
without JavaScript, step by step, and sends it; the pages of the list, an initiative, the steps, "Check and send",
"My initiatives", the reviewers' worklist, "What's on", an event and its form pass axe on a phone in Dutch, English
and French and on a desktop in Dutch."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser, Page, expect

from apps.community.models import Event, Initiative
from tests.e2e.axe import assert_accessible
from tests.e2e.test_menus_and_home_panels import SIZES, context_for


def submit(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").last.click()


def test_a_resident_starts_an_initiative_on_a_phone_without_javascript(browser: Browser, site: Any) -> None:
    page = context_for(browser, site, "initiative_starter", java_script_enabled=False).new_page()
    page.goto(site.url + "/nl/initiatives/new/")
    page.locator("[name=title]").fill("Taalcafé De Babbel")
    page.locator("[name=summary]").fill("Nieuwkomers oefenen Nederlands met oudere buren, bij een kop koffie.")
    page.locator("label[for=id_organiser_1]").click()
    submit(page)
    expect(page.locator("h1")).to_have_text("Voor wie")
    page.locator("label[for=id_audience_6]").click()  # newcomers
    page.locator("label[for=id_audience_5]").click()  # older residents
    page.locator("label[for=id_intercultural]").click()
    submit(page)
    expect(page.locator("h1")).to_have_text("Waar en wanneer")
    page.locator("[name=when_text]").fill("Elke dinsdag van 14:00 tot 16:00")
    submit(page)
    expect(page.locator("h1")).to_have_text("Contact en toegankelijkheid")
    page.locator("[name=contact_phone]").fill("0470 12 34 56")
    submit(page)
    expect(page.locator("h1")).to_have_text("Nakijken en versturen")
    submit(page)  # without signing: refused with a message
    expect(page.locator(".error-summary")).to_contain_text("inclusie-engagement")
    page.locator("label[for=id_commitment]").click()
    submit(page)
    expect(page.locator("h1")).to_have_text("Taalcafé De Babbel")
    initiative = Initiative.objects.get(title="Taalcafé De Babbel")
    assert initiative.status == "submitted" and initiative.audience == ["older_residents", "newcomers"]


def test_the_pages_of_initiatives_pass_axe_on_a_phone_and_a_desktop(browser: Browser, site: Any) -> None:
    published = Initiative.objects.filter(status="published", needs__isnull=False).first()
    draft = Initiative.objects.filter(status="draft", starter__user__username__startswith="initiative").first()
    returned = Initiative.objects.filter(status="returned").first()
    assert published is not None and draft is not None and returned is not None
    event = Event.objects.filter(initiative__starter__user__username__startswith="initiative").first()
    assert event is not None
    visits = {
        "anonymous": [
            "/initiatives/", "/initiatives/?theme=language&tags=intercultural", f"/initiatives/{published.pk}/",
            "/whats-on/", f"/whats-on/?district={published.district_id}", f"/whats-on/{event.pk}/",
        ],
        "initiative_starter": [
            f"/initiatives/{draft.pk}/", f"/initiatives/{returned.pk}/", "/initiatives/mine/", "/initiatives/new/",
            *[f"/initiatives/{draft.pk}/edit/{step}/" for step in ("who", "where", "contact")],
            f"/initiatives/{draft.pk}/send/", f"/initiatives/{event.initiative_id}/events/new/",
            f"/whats-on/{event.pk}/", f"/whats-on/{event.pk}/edit/",
        ],
        "coordinator": ["/initiatives/review/", f"/initiatives/{returned.pk}/"],
        "resident": [f"/initiatives/{published.pk}/"],
    }  # fmt: skip
    for role, paths in visits.items():
        page = context_for(browser, site, role).new_page()
        for name, size in SIZES.items():
            page.set_viewport_size(size)
            # every language on a phone, where text runs longest; the desktop in Dutch (keeps the suite in time)
            for language in ("nl", "en", "fr") if name == "phone" else ("nl",):
                for path in paths:
                    response = page.goto(site.url + f"/{language}{path}")
                    assert response is not None and response.status == 200, (role, language, path)
                    assert_accessible(page)
                    width = page.evaluate("document.documentElement.scrollWidth")
                    assert width <= size["width"], f"{language}{path} is {width} px wide"
        page.context.close()
