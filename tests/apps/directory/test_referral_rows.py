"""The referral rows of the access table (``rows_referrals.py``), checked on the demo city for every role.

The same check as ``tests/apps/access/test_access_table.py`` for these rows only, so that a change to a referral
page's rule fails here, beside the referral tests, with the page named.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from apps.people.models import Person
from apps.places.models import District
from tests.apps.access.access_rows import ROLES
from tests.apps.directory.access_table import samples as directory_samples
from tests.apps.directory.rows_referrals import ROWS


def resolve_url(name: str, kwargs: dict[str, Any], samples: dict[str, Any]) -> str:
    return reverse(name, kwargs={k: samples[v] if str(v).startswith("@") else v for k, v in kwargs.items()})


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_referral_page(
    role: str, client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    district = District.objects.get(number=1)
    found: dict[str, Any] = {"@resident": resident_in_coordinators_district.pk,
                             **directory_samples(district, resident_in_coordinators_district)}  # fmt: skip
    client = client_as(role)
    wrong = []
    for name, (kwargs, expected) in ROWS.items():
        url = resolve_url(name, kwargs, found)
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} {url}: {status}, expected {expected[role]}")
    assert wrong == []
