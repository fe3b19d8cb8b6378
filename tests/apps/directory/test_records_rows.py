"""The records rows of the access table, checked on their own for every role (the whole table runs them too,
``tests/apps/access/test_access_table.py``): the demo organisation's staff open their own records, get 404 for
another organisation's change; city staff and administrators review; nobody else gets in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.people.models import Person
from apps.places.models import District
from tests.apps.access.access_rows import ROLES
from tests.apps.directory.access_table import samples
from tests.apps.directory.rows_records import ROWS

pytestmark = pytest.mark.django_db


@pytest.fixture
def placeholders(demo_city: None, resident_in_coordinators_district: Person) -> dict[str, Any]:
    return samples(District.objects.get(number=1), resident_in_coordinators_district)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_the_records_pages(
    role: str, client_as: Callable[[str], Client], placeholders: dict[str, Any]
) -> None:
    client = client_as(role)
    wrong = []
    for name, (kwargs, expected) in ROWS.items():
        filled = {k: placeholders[v] if isinstance(v, str) and v.startswith("@") else v for k, v in kwargs.items()}
        url = reverse(name, kwargs=filled)
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} {url}: {status}, expected {expected[role]}")
    assert wrong == []
