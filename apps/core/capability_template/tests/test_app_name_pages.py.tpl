"""{{ title }}.

The start page answers in each language and the menu leads a signed-in resident to it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

pytestmark = pytest.mark.django_db

HEADINGS = [
    ("nl", "{{ title_nl }}"),
    ("en", "{{ title }}"),
    ("fr", "{{ title_fr }}"),
]


@pytest.mark.parametrize(("language", "heading"), HEADINGS)
def test_the_start_page_speaks_the_language_of_its_address(
    client_as: Callable[[str], Client], language: str, heading: str
) -> None:
    with translation.override(language):
        url = reverse("{{ app_name }}:index")
    response = client_as("resident").get(url)
    assert response.status_code == 200
    assert f"<h1>{escape(heading)}</h1>" in response.content.decode()


def test_the_menu_leads_to_the_start_page(client_as: Callable[[str], Client]) -> None:
    with translation.override("nl"):
        home, start = reverse("core:home"), reverse("{{ app_name }}:index")
    assert f'href="{start}"' in client_as("resident").get(home).content.decode()
    assert f'href="{start}"' not in client_as("anonymous").get(home).content.decode()
