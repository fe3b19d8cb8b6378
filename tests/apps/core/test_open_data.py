"""Open data (issue 13, item 3): one page lists every dataset the apps declare; each file downloads as such.

The page is linked from "About this site", shows each dataset's licence and source, and links every
format; a download has no language prefix, its own content type and a file name, and anything not
declared answers 404.  What each dataset holds is tested beside its app (tests/apps/<app>/test_open_data.py).
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.test import Client

from apps.core import checks_capabilities
from apps.core.capabilities import Capability, OpenDataset, capabilities

pytestmark = pytest.mark.django_db


def declared() -> list[tuple[str, OpenDataset]]:
    return [(c.app, dataset) for c in capabilities() for dataset in c.open_data]


def test_the_about_page_links_the_open_data_page(client: Client) -> None:
    html = client.get("/en/about/").content.decode()
    assert 'href="/en/open-data/"' in html


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_page_lists_every_declared_dataset_with_its_downloads_licence_and_source(
    client: Client, language: str
) -> None:
    response = client.get(f"/{language}/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(declared()) >= 3, "places' districts and places, care's categories"
    for app, dataset in declared():
        assert f">{dataset.title}</h2>" in html
        for ext in dataset.formats:
            link = f'href="/open-data/{app}/{dataset.slug}.{ext}"'
            assert link in html, link
    assert 'href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license"' in html


def test_the_page_is_in_the_visitors_language(client: Client) -> None:
    dutch = client.get("/nl/open-data/").content.decode()
    assert "<h1>Open data</h1>" in dutch
    assert "Wijken" in dutch and "Modellicentie Gratis Hergebruik" in dutch and "Downloaden" in dutch
    french = client.get("/fr/open-data/").content.decode()
    assert "<h1>Données ouvertes</h1>" in french and "Quartiers" in french and "Licence" in french
    english = client.get("/en/open-data/").content.decode()
    assert "Model Licence for Free Reuse v1.0" in english and "Stad Gent open data" in english


def test_every_download_has_its_content_type_and_file_name(client: Client) -> None:
    for app, dataset in declared():
        for ext in dataset.formats:
            response = client.get(f"/open-data/{app}/{dataset.slug}.{ext}")
            assert response.status_code == 200, (app, dataset.slug, ext)
            expected = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json", "json": "application/json"}
            assert response["Content-Type"] == expected[ext]
            assert response["Content-Disposition"] == f'attachment; filename="{app}-{dataset.slug}.{ext}"'
            text = response.content.decode("utf-8")
            if ext == "csv":
                assert len(list(csv.reader(io.StringIO(text)))) >= 1
            else:
                json.loads(text)


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/places/nothing.csv",  # no such dataset
        "/open-data/people/districts.csv",  # another app
        "/open-data/places/places.geojson",  # a format the dataset does not offer
        "/open-data/places/districts.exe",
        "/open-data/nowhere/districts.csv",
        "/en/open-data/places/districts.csv",  # downloads have no language
    ],
)
def test_anything_not_declared_answers_404(client: Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_download_is_read_only(client: Client) -> None:
    assert client.post("/open-data/places/districts.csv").status_code == 405


def test_a_dataset_declared_twice_or_with_an_unknown_format_stops_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    def text() -> str:
        return ""

    twice = Capability(
        app="places",
        open_data=(
            OpenDataset("rooms", "Rooms", "", {"csv": text}),
            OpenDataset("rooms", "Rooms", "", {"xlsx": text}),
            OpenDataset("Not a slug", "?", "", {}),
        ),
    )
    monkeypatch.setattr(checks_capabilities, "capabilities", lambda: (twice,))
    errors = checks_capabilities.open_datasets_are_well_formed()
    assert [error.id for error in errors] == [
        "cityofpeople.E102",
        "cityofpeople.E103",
        "cityofpeople.E102",
        "cityofpeople.E103",
    ]
    assert re.search(r"places: open dataset 'rooms' .*xlsx", errors[1].msg)
    monkeypatch.undo()
    assert checks_capabilities.open_datasets_are_well_formed() == []


@pytest.mark.django_db
def test_a_download_answers_head_without_a_body(client: Client) -> None:
    """Data catalogues and link checkers ask with HEAD before they download."""
    response = client.head("/open-data/care/categories.csv")
    assert response.status_code == 200 and response.content == b""
