"""Dutch first, English and French complete: every message translated, nothing fuzzy."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.core.management.commands.compile_translations import catalogue_folders, catalogues

CATALOGUES = [path for path in catalogues() if path.name == "django.po"]
LANGUAGES = {code for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize("folder", catalogue_folders(), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_there_is_a_catalogue_for_each_language(folder: Path) -> None:
    """The project's catalogues, and those a capability keeps in ``apps/<app>/locale/``: all three languages."""
    languages = {path.parts[-3] for path in folder.glob("*/LC_MESSAGES/django.po")}
    assert languages == LANGUAGES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_catalogue_is_complete(path: Path) -> None:
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"untranslated in {path}: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy in {path}: {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_placeholders_survive_translation(path: Path) -> None:
    """A translation that drops or renames %(name)s or {{ name }} would crash or mislead."""
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}|%[sd]")
    for entry in polib.pofile(str(path)).translated_entries():
        if entry.msgid_plural:
            assert sorted(pattern.findall(entry.msgid_plural)) == sorted(pattern.findall(entry.msgstr_plural[1])), (
                entry.msgid
            )
        else:
            assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(entry.msgstr)), entry.msgid


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", "Ga naar de inhoud"), ("en", "Skip to main content"), ("fr", "Aller au contenu")],
)
def test_pages_speak_the_language_of_their_address(client: Client, language: str, expected: str) -> None:
    with translation.override(language):
        url = reverse("core:home")
    response = client.get(url)
    html = response.content.decode()
    assert url.startswith(f"/{language}/")
    assert f'<html lang="{language}" dir="ltr">' in html
    assert expected in html


@pytest.mark.django_db
def test_right_to_left_language_sets_dir(client: Client, settings: object) -> None:
    """Adding Arabic needs only a translation: the base template sets dir from the language."""
    with translation.override("ar"):
        from django.template.loader import render_to_string

        html = render_to_string("base.html", {"request": None})
    assert 'lang="ar" dir="rtl"' in html


@pytest.mark.django_db
def test_language_switch_keeps_the_page(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/nl/districts/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/districts/"


@pytest.mark.django_db
def test_numbers_are_localised(client: Client) -> None:
    with translation.override("nl"):
        url = reverse("places:district_list")
    html = client.get(url).content.decode()
    assert "km²" in html
    assert "," in html.split("km²")[0][-8:], "Dutch uses a decimal comma"
