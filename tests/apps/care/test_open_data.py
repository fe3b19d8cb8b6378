"""Care's open data: the categories of help, in three languages, and whether only professionals give it.

The list a resident chooses from, nothing more: no request, offer or count of them, and no person.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from apps.care.models import CareCategory, CareRequest

pytestmark = pytest.mark.django_db

URL = "/open-data/care/categories.csv"


def test_the_categories_csv_holds_each_active_category_in_three_languages(
    client: Client, care_categories: dict[str, CareCategory]
) -> None:
    CareCategory.objects.create(code="retired", name_nl="Oud", name_en="Old", name_fr="Ancien", active=False, order=99)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.splitlines()[0] == "code,label_nl,label_en,label_fr,professional"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["code"] for row in rows] == list(care_categories), "in the order residents see them"
    for row in rows:
        category = care_categories[row["code"]]
        assert (row["label_nl"], row["label_en"], row["label_fr"]) == (
            category.name_nl,
            category.name_en,
            category.name_fr,
        )
        assert row["professional"] == ("true" if category.professional else "false")
    assert {row["professional"] for row in rows} == {"true", "false"}
    assert "retired" not in text, "a category no longer in use is not offered"


def test_the_categories_say_nothing_about_requests_or_people(client: Client, demo_city: None) -> None:
    assert CareRequest.objects.exists()
    text = client.get(URL).content.decode("utf-8")
    header = text.splitlines()[0].split(",")
    assert header == ["code", "label_nl", "label_en", "label_fr", "professional"]
    for request in CareRequest.objects.select_related("person")[:50]:
        assert request.person.last_name not in text
        assert not request.description or request.description not in text
