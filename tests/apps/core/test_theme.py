"""The Ghent look by default; another city brings its own logo and stylesheet."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_ghent_style_guide_is_served_from_our_own_static_files(client: Client) -> None:
    html = client.get("/nl/").content.decode()
    assert "/static/vendor/gent_styleguide/css/main.css" in html
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "http://" not in html.split("<body")[0] and "https://" not in html.split("<body")[0], "no CDN"


def test_another_city_sets_its_own_logo(client: Client, settings: object) -> None:
    settings.THEME_LOGO = "theme/img/antwerpen.svg"  # type: ignore[attr-defined]
    html = client.get("/nl/").content.decode()
    assert 'src="/static/theme/img/antwerpen.svg"' in html


def test_page_landmarks_and_skip_link(client: Client) -> None:
    html = client.get("/nl/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html
