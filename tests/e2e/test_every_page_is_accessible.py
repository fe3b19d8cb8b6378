"""Every page of the site passes axe-core (WCAG 2.1 A and AA), in each language, on a phone and a desktop."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from apps.places.models import District, Place

PAGES = [
    "/{lang}/",
    "/{lang}/about/",
    "/{lang}/open-data/",
    "/{lang}/districts/",
    "/{lang}/districts/{district}/",
    "/{lang}/districts/places/{place}/",
    "/{lang}/districts/address/",
    "/{lang}/districts/address/?address=Sint-Pietersnieuwstr+12",
    "/{lang}/districts/address/?address=Korenmrakt+1",
    "/{lang}/districts/address/?address=Nergensstraat+1",
    "/{lang}/districts/address/?address=",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/password/reset/",
]


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 740}, {"width": 1280, "height": 900}], ids=["phone", "desktop"]
)
def test_every_page_passes_axe(
    page: Page, visit: Callable[[str], Page], language: str, viewport: dict[str, int]
) -> None:
    page.set_viewport_size(viewport)
    district = District.objects.get(number=1)
    place = Place.objects.filter(district=district).first()
    assert place is not None
    for template in PAGES:
        visited = visit(template.format(lang=language, district=district.slug, place=place.slug))
        assert visited.locator("html").get_attribute("lang") == language
        assert visited.locator("main h1").count() == 1, f"{template}: one main heading"


def test_the_api_documentation_page_loads(page: Page, site: object) -> None:
    response = page.goto(f"{site.url}/api/v1/docs")  # type: ignore[attr-defined]
    assert response is not None and response.status == 200
