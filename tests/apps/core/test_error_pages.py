"""The 403, 404 and 500 pages, the refused form (CSRF) and refused input are in the site's frame and in the page's
language; the 500 and the two refusals are drawn without a request's context and without the database."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

TEXTS = {
    "nl": {
        403: "U kunt deze pagina niet openen",
        404: "Pagina niet gevonden",
        500: "Er ging bij ons iets mis",
        "csrf": "Dit formulier kon niet verstuurd worden",
    },
    "en": {
        403: "You cannot open this page",
        404: "Page not found",
        500: "Something went wrong on our side",
        "csrf": "This form could not be sent",
    },
    "fr": {
        403: "Vous ne pouvez pas ouvrir cette page",
        404: "Page introuvable",
        500: "Un problème est survenu de notre côté",
        "csrf": "Ce formulaire n'a pas pu être envoyé",
    },
}
STYLE = "vendor/gent_styleguide/css/main.css"


def in_the_frame(html: str, language: str) -> None:
    assert f'<html lang="{language}"' in html
    assert STYLE in html and 'class="site-header"' in html and "cs--blue" in html
    assert "403 Forbidden" not in html and "Not Found</h1>" not in html


@pytest.mark.parametrize("language", TEXTS)
def test_403_and_404_keep_the_readers_menu_in_their_language(
    client_as: Callable[[str], Client], language: str
) -> None:
    client = client_as("resident")
    refused = client.get(f"/{language}/coordinate/")
    assert refused.status_code == 403
    html = refused.content.decode()
    in_the_frame(html, language)
    assert f"<h1>{TEXTS[language][403]}</h1>" in html
    assert 'class="site-nav"' in html and f'href="/{language}/care/"' in html  # the resident's own menu
    missing = client.get(f"/{language}/no-such-page/")
    assert missing.status_code == 404
    html = missing.content.decode()
    in_the_frame(html, language)
    assert f"<h1>{TEXTS[language][404]}</h1>" in html


@pytest.mark.parametrize("language", TEXTS)
def test_the_server_error_page_needs_neither_request_context_nor_database(language: str) -> None:
    """No ``db`` here: a query would fail the test (as the page must work while the database is down)."""
    with translation.override(language):
        response = server_error(RequestFactory().get(f"/{language}/"))
    assert response.status_code == 500
    html = response.content.decode()
    in_the_frame(html, language)
    assert f"<h1>{TEXTS[language][500]}</h1>" in html
    assert f'href="/{language}/"' in html


@pytest.mark.parametrize("language", TEXTS)
def test_a_form_refused_by_the_csrf_check_says_so_in_the_sites_frame(db: None, language: str) -> None:
    response = Client(enforce_csrf_checks=True).post(f"/{language}/accounts/login/", {"login": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    in_the_frame(html, language)
    assert TEXTS[language]["csrf"] in html


def test_refused_input_is_in_the_sites_frame(db: None) -> None:
    response = Client().get("/nl/districts/address/?q=a%00b")
    assert response.status_code == 400
    html = response.content.decode()
    in_the_frame(html, "nl")
    assert "<h1>" in html and "NUL" in html
