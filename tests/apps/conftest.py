"""Fixtures for people tests: the demo city, and a logged-in client per demo role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role

ROLES = [account.role.value for account in DEMO_ACCOUNTS]


@pytest.fixture
def client_as(demo_city: None) -> Callable[[str], Client]:
    """A client logged in as the demo account of a role ("anonymous" gives a fresh client)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
            client.force_login(get_user_model().objects.get(username=account.email))
        return client

    return make


@pytest.fixture
def person_of(demo_city: None) -> Callable[[str], Person]:
    def find(role: str) -> Person:
        account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
        return Person.objects.get(user__username=account.email)

    return find


@pytest.fixture
def resident_in_coordinators_district(demo_city: None, person_of: Callable[[str], Person]) -> Person:
    coordinator = person_of(Role.COORDINATOR)
    district_id = coordinator.roles.get(role=Role.COORDINATOR).district_id
    resident = Person.objects.filter(district_id=district_id, user__isnull=True, support_needs__gt="").first()
    assert resident is not None
    return resident


@pytest.fixture
def resident_elsewhere(demo_city: None, person_of: Callable[[str], Person]) -> Person:
    """A resident the coordinator does not coordinate: in another district, not followed by their organisation."""
    coordinator = person_of(Role.COORDINATOR)
    grant = coordinator.roles.get(role=Role.COORDINATOR)
    resident = (
        Person.objects.exclude(district_id=grant.district_id)
        .exclude(organisation_id=grant.organisation_id)
        .filter(user__isnull=True)
        .first()
    )
    assert resident is not None
    return resident
