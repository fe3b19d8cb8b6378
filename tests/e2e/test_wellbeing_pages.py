"""The wellbeing pages in a browser (issue 17): a worried neighbour on a phone without JavaScript, and the
coordinator's pages of a report, a case, a screening and a person's screenings with their chart, all axe-clean on
a phone and a desktop in Dutch, English and French.  (The pages of the menu are in test_menus_and_home_panels.)"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Browser, expect

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Consent, Person, Purpose, Role
from apps.wellbeing.models import OutreachCase, Screening, WorryReport
from tests.e2e.axe import assert_accessible
from tests.e2e.test_menus_and_home_panels import SIZES, context_for


def coordinator() -> Person:
    account = next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR)
    return Person.objects.get(user=get_user_model().objects.get(username=account.email))


def test_a_worried_neighbour_sends_a_report_on_a_phone_without_javascript(browser: Browser, site: Any) -> None:
    checked = context_for(browser, site, "anonymous").new_page()  # axe needs script; the report below does not
    for language in ("en", "fr", "nl"):
        response = checked.goto(site.url + f"/{language}/wellbeing/worried/")
        assert response is not None and response.status == 200
        assert_accessible(checked)
        assert checked.evaluate("document.documentElement.scrollWidth") <= SIZES["phone"]["width"]
    page = context_for(browser, site, "anonymous", java_script_enabled=False).new_page()
    before = WorryReport.objects.count()
    page.goto(site.url + "/nl/wellbeing/worried/")
    page.locator("[name=description]").fill("De oudere dame op de hoek, met de rode deur")
    page.locator("select[name=district]").select_option(index=1)
    page.locator("label[for=id_signs_0]").click()  # the design system draws the box on the label
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    expect(page).to_have_url(site.url + "/nl/wellbeing/worried/thanks/")
    assert "rode deur" not in page.content()  # nothing of what was sent is shown back
    assert WorryReport.objects.count() == before + 1


def test_the_coordinators_pages_of_a_report_a_case_and_screenings_pass_axe(browser: Browser, site: Any) -> None:
    me = coordinator()
    district = me.roles.filter(role=Role.COORDINATOR, district__isnull=False).first().district  # type: ignore[union-attr]
    resident = Person.objects.filter(district=district, user__isnull=True, erased_at__isnull=True).first()
    assert resident is not None
    consent, _new = Consent.objects.get_or_create(
        person=resident, purpose=Purpose.WELLBEING_SCREENING,
        defaults={"method": "phone", "text_version": "1", "given_at": timezone.now()},
    )  # fmt: skip
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=None)
    screening = Screening.objects.create(
        person=resident, instrument="djg6", instrument_version="djg6-1", answer_format="3", language="nl",
        answers={"3": "yes", "4": "no", "7": "more_or_less", "8": "yes", "9": "no", "10": "no"}, total=3,
        emotional=1, social=2, category="moderately_lonely", emotional_category="lonely", social_category="lonely",
        mode="phone", taken_by=me, consent=consent, district=district,
    )  # fmt: skip
    case = OutreachCase.objects.create(district=district, person=resident, origin="screening", screening=screening,
                                       assigned_to=me, consent=consent, created_by=me)  # fmt: skip
    Screening.objects.filter(pk=screening.pk).update(case=case)  # listed on the case's page
    report = WorryReport.objects.filter(district=district).first()
    assert report is not None
    paths = [
        f"/wellbeing/reports/{report.pk}/",
        f"/wellbeing/cases/{case.pk}/",
        "/wellbeing/cases/calls/",
        "/wellbeing/cases/",  # the demo coordinator is team lead: the team's cases and online results too
        "/wellbeing/cases/closed/",
        "/wellbeing/cases/team/",
        f"/wellbeing/screenings/{screening.pk}/",
        f"/wellbeing/persons/{resident.pk}/screenings/",
        f"/wellbeing/persons/{resident.pk}/screening/",
        "/wellbeing/district/",
    ]
    page = context_for(browser, site, "coordinator").new_page()
    for size in SIZES.values():
        page.set_viewport_size(size)
        for language in ("nl", "en", "fr"):
            for path in paths:
                response = page.goto(site.url + f"/{language}{path}")
                assert response is not None and response.status == 200, (language, path)
                assert_accessible(page)
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= size["width"], f"{language}{path} is {width} px wide"
