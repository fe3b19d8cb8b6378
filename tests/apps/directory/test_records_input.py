"""Bad input gets a clear message beside its field and changes nothing; a location's address is found in the
city's address register (latitude, longitude and district come from there)."""

from __future__ import annotations

import pytest
from django.test import Client

from apps.directory.models import Revision

from .records_builders import World, client_for, service_post, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


@pytest.fixture
def staff(w: World) -> Client:
    return client_for(w.staff)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "Maaltijden\x00"}, "Null characters are not allowed."),
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"description": "lang " * 1200}, "Ensure this value has at most 5000 characters"),
        ({"minimum_age": "-3"}, "Ensure this value is greater than or equal to 0."),
        ({"minimum_age": "70", "maximum_age": "18"}, "The maximum age is lower than the minimum age."),
        ({"maximum_age": "1000"}, "Ensure this value is less than or equal to 120."),
        ({"cost": "amount", "amount": ""}, "Give the amount, or choose “It is free”."),
        ({"amount": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"phone": "12"}, "This phone number does not exist. Check the digits."),
        ({"email": "geen-adres"}, "Enter a valid email address."),
        ({"hours-0-opens_at": "14:00", "hours-0-closes_at": "09:00"}, "It closes before it opens. Check the times."),
        ({"hours-0-opens_at": "25:00"}, "Enter a valid time."),
        ({"hours-0-days": []}, "Tick at least one day."),
        ({"locations": []}, "Tick this location under “Where it is offered” too."),
        ({"closures-0-valid_from": "24/12/2026", "closures-0-valid_to": "20/12/2026"},
         "The last day is before the first day."),
        ({"closures-0-reason": "Kerstmis"}, "Give the first day it is closed."),
        ({"languages": ["xx"]}, "Select a valid choice. xx is not one of the available choices."),
        ({"hours-TOTAL_FORMS": "100000"}, "Please submit at most 30 forms."),
    ],
)  # fmt: skip
def test_bad_service_input_is_refused_with_a_clear_message(
    w: World, staff: Client, changes: dict, message: str
) -> None:
    response = staff.post(
        f"/en/records/services/new/?organisation={w.org.pk}", service_post(w.org, w.location, **changes)
    )
    page = response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert response.status_code == 200
    assert message in page
    assert "There is a problem" in page
    assert not Revision.objects.exists(), "nothing is saved"


def test_closures_and_by_appointment_are_written_as_hsds_schedules(w: World, staff: Client) -> None:
    data = service_post(w.org, w.location, **{
        "closures-0-valid_from": "24/12/2026", "closures-0-valid_to": "2/1/2027", "closures-0-reason": "Kerstvakantie",
        "by_appointment": "on", "appointment_note": "Bel eerst",
    })  # fmt: skip
    assert staff.post(f"/en/records/services/new/?organisation={w.org.pk}", data).status_code == 302
    schedules = Revision.objects.get().document["schedules"]
    assert {"valid_from": "2026-12-24", "valid_to": "2027-01-02", "description": "Kerstvakantie"}.items() <= schedules[
        0
    ].items()
    assert schedules[1]["attending_type"] == "by appointment" and schedules[1]["description"] == "Bel eerst"
    assert not any("opens_at" in s for s in schedules)


def test_a_location_is_found_in_the_address_register(w: World, staff: Client) -> None:
    response = staff.post(f"/en/records/locations/new/?organisation={w.org.pk}", {
        "organisation": w.org.pk, "name": "Lokaal dienstencentrum", "address": "Sint-Pietersnieuwstraat 33",
        "transportation": "Tram 4, halte Sint-Pietersplein", "accessibility": "Ingang zonder trap",
        "phone": "09 225 12 34",
    })  # fmt: skip
    assert response.status_code == 302
    doc = Revision.objects.get(kind="location").document
    assert doc["name"] == "Lokaal dienstencentrum"
    assert abs(doc["latitude"] - 51.047) < 0.01 and abs(doc["longitude"] - 3.728) < 0.01
    address = doc["addresses"][0]
    assert address["address_1"].startswith("Sint-Pietersnieuwstraat 33") and address["postal_code"] == "9000"
    assert doc["accessibility"][0]["description"] == "Ingang zonder trap"
    page = staff.get(response["Location"].replace("/nl/", "/en/")).content.decode()
    assert "District" in page and "Sint-Pietersnieuwstraat 33" in page


@pytest.mark.parametrize(
    ("address", "message"),
    [("Nergensstraat 12", "We do not know this street in the city."),
     ("Sint-Pietersnieuwstraat", "Add the house number"), ("", "This field is required.")],
)  # fmt: skip
def test_an_address_that_is_not_found_is_refused(w: World, staff: Client, address: str, message: str) -> None:
    response = staff.post(f"/en/records/locations/new/?organisation={w.org.pk}", {
        "organisation": w.org.pk, "name": "Lokaal", "address": address,
    })  # fmt: skip
    assert response.status_code == 200 and message in response.content.decode()
    assert not Revision.objects.exists()


def test_the_profile_keeps_the_citys_name_and_refuses_a_future_year(w: World, staff: Client) -> None:
    url = f"/en/records/profile/?organisation={w.org.pk}"
    refused = staff.post(url, {"organisation": w.org.pk, "year_incorporated": "2999"})
    assert "This year has not come yet." in refused.content.decode() and not Revision.objects.exists()
    staff.post(url, {"organisation": w.org.pk, "description": "Zorg in de buurt", "email": "info@buurtzorg.example",
                     "legal_status": "vzw", "year_incorporated": "1998"})  # fmt: skip
    revision = Revision.objects.get()
    assert revision.kind == "organization" and revision.document["name"] == "Buurtzorg Sint-Pieters"
    assert revision.document["legal_status"] == "vzw" and revision.document["year_incorporated"] == 1998
    again = staff.get(url).content.decode()
    assert "Zorg in de buurt" in again, "the draft is shown again for editing"
