"""A coordinator finds a person by phone number however it is typed, within the same scope as before."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.access.actors import actor_for_user
from apps.people.models import Person, Role
from apps.people.selectors import persons_search

pytestmark = pytest.mark.django_db

NUMBER = "+32477503067"
TYPED = [
    "+32 477 50.30.67",
    "0477/503067",
    "0032477503067",
    "0477 50 30 67",
    "0477-50-30-67",
    "+32477503067",
    "0477 50",  # the beginning of the number
    "503067",  # the end of the number
]


@pytest.fixture
def caller(demo_city: None) -> Person:
    """The demo city's resident with this mobile number (Olena Hermans, in the coordinator's district)."""
    return Person.objects.get(phone=NUMBER)


@pytest.mark.parametrize("typed", TYPED)
def test_the_page_finds_a_person_by_phone_in_any_format(
    client_as: Callable[[str], Client], caller: Person, typed: str
) -> None:
    html = client_as("coordinator").get("/nl/persons/", {"q": typed}).content.decode()
    assert f"/nl/persons/{caller.pk}/" in html


@pytest.mark.parametrize("typed", ["+32 477 50.30.67", "0477/503067", "0032477503067"])
def test_the_api_finds_a_person_by_phone_in_any_format(
    client_as: Callable[[str], Client], caller: Person, typed: str
) -> None:
    found = client_as("coordinator").get("/api/v1/persons", {"q": typed}).json()
    assert [p["id"] for p in found] == [caller.pk]
    assert found[0]["phone"] == NUMBER, "the API keeps the machine format (E.164)"


def test_a_name_and_a_number_together_narrow_the_search(
    person_of: Callable[[str], Person], caller: Person
) -> None:
    actor = actor_for_user(person_of(Role.COORDINATOR).user)
    assert list(persons_search(actor, f"{caller.last_name} 0477/503067")) == [caller]
    assert list(persons_search(actor, "Zzzzz 0477/503067")) == []


def test_a_number_stored_in_another_form_is_found_too(person_of: Callable[[str], Person], caller: Person) -> None:
    """Numbers are stored in E.164, but one typed in before that rule (or in the admin) is found all the same."""
    Person.objects.filter(pk=caller.pk).update(phone="0477 50.30.67")
    actor = actor_for_user(person_of(Role.COORDINATOR).user)
    for typed in ("+32 477 50 30 67", "0032477503067", "0477503067"):
        assert caller in persons_search(actor, typed)


def test_searching_by_phone_keeps_the_coordinators_scope(
    client_as: Callable[[str], Client], caller: Person, resident_elsewhere: Person
) -> None:
    """Someone outside the coordinator's districts with the same number stays out, on the page and in the API."""
    resident_elsewhere.phone = NUMBER
    resident_elsewhere.save(update_fields=["phone"])
    client = client_as("coordinator")
    html = client.get("/nl/persons/", {"q": "0477 50 30 67"}).content.decode()
    assert f"/nl/persons/{caller.pk}/" in html
    assert f"/nl/persons/{resident_elsewhere.pk}/" not in html
    assert [p["id"] for p in client.get("/api/v1/persons", {"q": "0477503067"}).json()] == [caller.pk]


def test_a_helper_cannot_search_by_phone(client_as: Callable[[str], Client], caller: Person) -> None:
    assert client_as("helper").get("/api/v1/persons", {"q": "0477503067"}).status_code == 403
    assert client_as("helper").get("/nl/persons/", {"q": "0477503067"}).status_code in {403, 404}


def test_the_results_show_the_number_as_a_belgian_reads_it(
    client_as: Callable[[str], Client], caller: Person
) -> None:
    html = client_as("coordinator").get("/nl/persons/", {"q": "0477503067"}).content.decode()
    assert "0477 50 30 67" in html
    assert NUMBER not in html.replace(f"tel:{NUMBER}", "")
