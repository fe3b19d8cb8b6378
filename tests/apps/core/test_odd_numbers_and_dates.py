"""Found in review: numbers and dates that pass a first check but break the arithmetic or the database
after it gave server errors.  Each is now a clear answer and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.care.models import CareRequest
from apps.core.inputs import MAX_INTEGER, as_number
from apps.people.models import Person, Role

pytestmark = pytest.mark.django_db

ODD_NUMBERS = ["²", "١٢", "99999999999999999999999", str(MAX_INTEGER + 1), " ", "-1", "1e3"]


def test_as_number_takes_only_what_a_database_stores() -> None:
    assert [as_number(text) for text in ODD_NUMBERS] == [None] * len(ODD_NUMBERS)
    assert as_number("42") == 42 and as_number(str(MAX_INTEGER)) == MAX_INTEGER


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_the_auditors_pages_answer_odd_numbers_and_far_dates_without_a_server_error(
    client_as: Callable[[str], Client], odd: str
) -> None:
    auditor = client_as("auditor")
    for path, query in [
        ("/nl/audit/place-changes/", {"account": odd}),
        ("/nl/audit/", {"subject": odd, "actor": odd}),
        ("/nl/audit/activity/", {"since": "9999-12-30", "until": "9999-12-31"}),
        ("/nl/audit/place-changes/", {"since": "0001-01-01", "until": "0001-01-03"}),
    ]:
        assert auditor.get(path, query).status_code == 200, (path, query)
    far = auditor.get("/nl/audit/activity/", {"since": "9999-12-30", "until": "9999-12-31"}).content.decode()
    assert "Kies datums tussen het jaar 2000 en vandaag." in far
    api = auditor.get("/api/v1/access-log/activity", {"since": "0001-01-01", "until": "0001-01-03"})
    assert api.status_code == 422 and "detail" in api.json()


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_a_coordinator_naming_an_odd_helper_number_reads_no_helper_has_it(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], odd: str
) -> None:
    coordinator = client_as("coordinator")
    district = person_of("coordinator").roles.get(role=Role.COORDINATOR).district_id
    request = CareRequest.objects.filter(district_id=district, status=CareRequest.Status.OPEN).first()
    assert request is not None
    page = coordinator.get(f"/nl/coordinate/requests/{request.pk}/", {"helper": odd})
    assert page.status_code == 200
    proposed = coordinator.post(f"/nl/coordinate/requests/{request.pk}/propose/", {"offer": odd})
    assert proposed.status_code in (200, 302)
    assert not request.matches.filter(status="proposed", helper_id__gt=MAX_INTEGER // 2).exists()
