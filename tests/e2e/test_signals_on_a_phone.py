"""Structural signals in the browser (issue 17, item 5): a resident on a phone, standing at the place, reports it
with "Use where I am now" and a photo from the phone; the pages of the form, one's own signals, the staff's list
and a signal's page, and the public page of a district pass axe; without JavaScript the button never shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from apps.places.models import District
from apps.wellbeing.models import Signal
from tests.apps.wellbeing.signals_helpers import SECRET_CAMERA, tiny_jpeg, with_exif
from tests.e2e.test_people_pages_on_a_phone import PHONE, sign_in

AT_THE_BENCH = {"latitude": 51.046937, "longitude": 3.727884}
"""Sint-Pietersnieuwstraat 33 in the address register: district 1, Binnenstad."""


@pytest.fixture
def photo_folder(settings: Any, tmp_path: Path) -> Path:
    settings.WELLBEING_SIGNAL_PHOTO_DIR = str(tmp_path / "photos")
    return tmp_path / "photos"


def test_a_resident_reports_where_they_stand_with_a_photo(
    page: Page, site: Any, visit: Callable[[str], Page], photo_folder: Path, tmp_path: Path
) -> None:
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"], origin=site.url)
    page.context.set_geolocation(AT_THE_BENCH)
    sign_in(page, site, "resident")
    before = set(Signal.objects.values_list("pk", flat=True))  # the demo city's signals
    visit("/nl/wellbeing/signals/new/")
    page.get_by_label("Straat en huisnummer").fill("Korenmarkt 1")
    page.get_by_role("button", name="Gebruik waar ik nu ben").click()
    expect(page.get_by_label("Breedtegraad")).to_have_value("51.046937")
    expect(page.get_by_label("Lengtegraad")).to_have_value("3.727884")
    expect(page.get_by_label("Straat en huisnummer")).to_have_value("")
    expect(page.get_by_role("status").filter(has_text="Uw plaats is ingevuld")).to_be_visible()
    page.locator("label", has_text="Geen bank om even te rusten").click()
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(with_exif(tiny_jpeg(16, 16)))
    page.get_by_label("Een foto").set_input_files(str(photo))
    page.get_by_role("button", name="Versturen").click()
    page.wait_for_url("**/nl/wellbeing/signals/mine/")
    signal = Signal.objects.exclude(pk__in=before).get()
    assert (signal.category, signal.district) == ("no_bench", District.objects.get(number=1))
    assert signal.address == "Sint-Pietersnieuwstraat"
    stored = (photo_folder / signal.photo).read_bytes()
    assert SECRET_CAMERA not in stored and b"Exif" not in stored
    expect(page.locator("main")).to_contain_text("Geen bank om even te rusten")


def test_without_javascript_the_position_button_stays_hidden(browser: Browser, site: Any) -> None:
    context = browser.new_context(java_script_enabled=False, bypass_csp=True, locale="nl-BE")
    page = context.new_page()
    sign_in(page, site, "resident")
    page.goto(site.url + "/nl/wellbeing/signals/new/")
    expect(page.get_by_role("button", name="Gebruik waar ik nu ben")).to_be_hidden()
    expect(page.get_by_label("Straat en huisnummer")).to_be_visible()
    context.close()


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("resident", "/nl/wellbeing/signals/mine/"),
        ("city_staff", "/nl/wellbeing/signals/"),
        ("city_staff", "/nl/wellbeing/signals/@signal/"),
        (None, "/nl/wellbeing/signals/districts/"),
        (None, "/nl/wellbeing/signals/districts/@district/"),
    ],
)
def test_the_signal_pages_pass_axe_on_a_phone(
    page: Page, site: Any, visit: Callable[[str], Page], role: str | None, path: str
) -> None:
    district = District.objects.get(number=1)
    signal = Signal.objects.create(category="dark_street", district=district, address="Kouter 29", description="Donker")
    page.set_viewport_size(PHONE)
    if role:
        sign_in(page, site, role)
    visit(path.replace("@signal", str(signal.pk)).replace("@district", district.slug))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width}px)"
