"""Registering a person warns about a likely duplicate before anything is saved (issue 14).

Same phone number in whatever format it is typed, or the same name at the same address: the form comes
back with the person(s) found (a link only to those the coordinator may open) and a box "This is a
different person, register anyway"; only with that box ticked is the person registered.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.people.models import Person, Purpose, Role

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Georgette",
    "last_name": "Vermeersch",
    "address": "Korenmarkt 1",
    "phone": "09 266 11 11",
    "contact_preference": "phone",
    "languages": ["nl"],
    "consents": [Purpose.CONTACT_PHONE],
}


def registered(client: Client) -> Person:
    assert client.post("/en/persons/new/", FORM).status_code == 302
    return Person.objects.get(last_name="Vermeersch")


def test_the_same_phone_in_another_format_is_a_likely_duplicate(client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    first = registered(client)

    again = {**FORM, "first_name": "Jeanne", "last_name": "Dewitte", "address": "Veldstraat 10"}
    again["phone"] = "+32 9 266.11.11"
    response = client.post("/en/persons/new/", again)

    assert response.status_code == 200
    html = response.content.decode()
    assert "This person may already be registered" in html
    assert f'href="/en/persons/{first.pk}/"' in html and "same phone number" in html
    assert 'name="different_person"' in html and "This is a different person, register anyway" in html
    assert not Person.objects.filter(last_name="Dewitte").exists()  # nothing saved yet

    confirmed = client.post("/en/persons/new/", {**again, "different_person": "on"})

    assert confirmed.status_code == 302
    assert Person.objects.filter(last_name="Dewitte").count() == 1


def test_the_same_name_and_address_is_a_likely_duplicate(client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    first = registered(client)

    response = client.post("/en/persons/new/", {**FORM, "first_name": "georgette ", "phone": "0470 12 34 56"})

    html = response.content.decode()
    assert f'href="/en/persons/{first.pk}/"' in html and "same name and address" in html
    assert Person.objects.filter(last_name="Vermeersch").count() == 1


def test_without_a_likely_duplicate_the_box_is_not_asked(client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    page = client.get("/en/persons/new/").content.decode()
    assert 'name="different_person"' not in page
    assert client.post("/en/persons/new/", FORM).status_code == 302


def test_a_duplicate_the_coordinator_may_not_open_is_named_without_a_link(
    client_as: Callable[[str], Client], resident_elsewhere: Person
) -> None:
    Person.objects.filter(pk=resident_elsewhere.pk).update(phone="+3292661111")

    response = client_as("coordinator").post("/en/persons/new/", FORM)

    html = response.content.decode()
    assert "This person may already be registered" in html
    assert "already registered outside the districts and organisations you coordinate" in html
    assert f"/en/persons/{resident_elsewhere.pk}/" not in html and resident_elsewhere.last_name not in html
    assert not Person.objects.filter(last_name="Vermeersch").exists()


def test_only_coordinators_register(client_as: Callable[[str], Client]) -> None:
    assert client_as(Role.HELPER).post("/en/persons/new/", FORM).status_code in (403, 404)


# The warning must not become an oracle (attack review, issue 14): a coordinator could type any number, or a
# name and an address, to learn whether someone outside their districts and organisations is registered.  For
# those the page says one sentence (no count, no name, no reason: which of phone or name and address matched),
# every person a check finds gets an entry in the access log (they see it in "who read my data"), and the checks
# a coordinator can make are limited (ACCOUNT_RATE_LIMITS["person_duplicate_check"]).


def test_duplicates_outside_ones_scope_are_one_sentence_without_count_or_reason(
    client_as: Callable[[str], Client], resident_elsewhere: Person
) -> None:
    other = (
        Person.objects.exclude(pk=resident_elsewhere.pk)
        .filter(district_id=resident_elsewhere.district_id, user__isnull=True)
        .exclude(organisation_id__isnull=False)
        .first()
    )
    assert other is not None
    Person.objects.filter(pk__in=[resident_elsewhere.pk, other.pk]).update(phone="+3292661111")

    response = client_as("coordinator").post("/en/persons/new/", FORM)

    html = response.content.decode()
    assert html.count("already registered outside the districts and organisations you coordinate") == 1
    assert "same phone number" not in html and "same name and address" not in html
    assert "A person outside the districts and organisations you coordinate" not in html
    assert not Person.objects.filter(last_name="Vermeersch").exists()


def test_each_person_a_duplicate_check_finds_is_in_the_access_log(
    client_as: Callable[[str], Client], resident_elsewhere: Person, person_of: Callable[[str], Person]
) -> None:
    from apps.access.models import AccessLogEntry

    Person.objects.filter(pk=resident_elsewhere.pk).update(phone="+3292661111")

    client_as("coordinator").post("/en/persons/new/", FORM)

    entry = AccessLogEntry.objects.get(subject_person_id=resident_elsewhere.pk, purpose="duplicate_check")
    assert entry.actor_person_id == person_of(Role.COORDINATOR).pk
    assert entry.action == AccessLogEntry.Action.LIST and entry.record_type == "people.Person"
    assert entry.via == "POST people:person_register"


def test_a_coordinator_cannot_check_without_end(client_as: Callable[[str], Client], settings: object) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = {"person_duplicate_check": "2/1h/user"}  # type: ignore[attr-defined]
    client = client_as("coordinator")
    for tried in range(2):
        other = {**FORM, "last_name": f"Probe{tried}", "phone": f"0470 00 00 0{tried}"}
        assert client.post("/en/persons/new/", other).status_code == 302

    refused = client.post("/en/persons/new/", {**FORM, "last_name": "Probe9", "phone": "0470 00 00 09"})

    assert refused.status_code == 429
    assert "You have checked many registrations" in refused.content.decode()
    assert not Person.objects.filter(phone="+32470000009").exists()
    cache.clear()
