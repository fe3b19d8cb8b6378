"""The organisations app's rows of the URL × role access table (``tests/apps/access/test_access_table.py``)."""

from __future__ import annotations

from typing import Any

from apps.organisations.demo import DEMO_ORGANISATION
from tests.apps.access.access_rows import Rows, everyone, only, signed_in

ROWS: Rows = {
    "organisations:my_organisation": ({}, only({"organisation_staff"})),
    "organisations:organisation_list": ({}, only({"city_staff", "administrator"})),
    "organisations:organisation_detail": (
        {"slug": "@organisation"},
        only({"organisation_staff", "city_staff", "administrator"}, others=404),
    ),
    "organisations:organisation_edit": (
        {"slug": "@organisation"},
        only({"organisation_staff", "administrator"}, others=404),
    ),
    "api:list_organisations": ({}, signed_in(200, anonymous=401)),  # all, or only the ones they work for
    "api:get_organisation": (
        {"slug": "@organisation"},
        only({"organisation_staff", "city_staff", "administrator"}, others=404, anonymous=401),
    ),
    "api:organisation_staff": (
        {"slug": "@organisation"},
        {**only({"city_staff", "administrator"}, others=404, anonymous=401), "organisation_staff": 403},
    ),
    "api:withdraw_staff_role": ({"slug": "@organisation", "assignment_id": 1}, everyone(405)),
    # POST operations sharing a path with a GET one: the GET answer is checked here, writes in their own tests
    "api:update_organisation": (
        {"slug": "@organisation"},
        only({"organisation_staff", "city_staff", "administrator"}, others=404, anonymous=401),
    ),
    "api:grant_staff_role": (
        {"slug": "@organisation"},
        {**only({"city_staff", "administrator"}, others=404, anonymous=401), "organisation_staff": 403},
    ),
}


def samples(district: Any, resident: Any) -> dict[str, Any]:
    """The demo coordinator's organisation."""
    return {"@organisation": DEMO_ORGANISATION}
