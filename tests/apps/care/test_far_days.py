"""A day typed by hand far in the past or the future never makes a server error (attack review, issue 14).

The call list's "day" filter took any date: 9999-12-31 ran past the last date Python knows when the list
looked at the day after, and 0001-01-01 before the first.  The day is kept between 2000 and a year ahead, as
the other periods (the attestation, the activity report) are, and the page says so instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_the_call_list_of_a_far_day_is_refused_in_words(client_as: Callable[[str], Client], day: str) -> None:
    response = client_as("coordinator").get("/en/coordinate/calls/", {"day": day})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a day from the year 2000 on, at most a year ahead." in html


def test_the_call_list_of_a_near_day_is_shown(client_as: Callable[[str], Client]) -> None:
    response = client_as("coordinator").get("/en/coordinate/calls/", {"day": "2026-12-08"})

    assert response.status_code == 200
    assert "Choose a day from the year 2000 on" not in response.content.decode()
