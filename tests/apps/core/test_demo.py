"""The demo city: real districts and addresses, fictitious people for every role, loaded once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from apps.organisations.demo import DEMO_ORGANISATION, ORGANISATIONS
from apps.organisations.models import Organisation
from apps.people.demo import DEMO_ACCOUNTS, demo_password
from apps.people.models import Person, Role, RoleAssignment
from apps.places.models import Place, Room

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        RoleAssignment.objects.count(),
        Place.objects.count(),
        Room.objects.count(),
        Organisation.objects.count(),
        get_user_model().objects.count(),
    )


def test_demo_loads_once_and_again_without_duplicates(demo_city: None) -> None:
    first = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == first
    assert Place.objects.filter(kind=Place.Kind.NEIGHBOURHOOD_CENTRE).count() == 25
    assert Organisation.objects.filter(slug__in=[slug for slug, *_ in ORGANISATIONS]).count() == len(ORGANISATIONS)
    staff = RoleAssignment.objects.get(role=Role.ORGANISATION_STAFF, person__user__username__startswith="organisation")
    assert staff.organisation is not None and staff.organisation.slug == DEMO_ORGANISATION
    assert Person.objects.filter(organisation__isnull=False).exists(), "some residents are followed by an organisation"


def test_every_role_has_a_demo_login(demo_city: None, client: Client) -> None:
    assert {account.role for account in DEMO_ACCOUNTS} == set(Role)
    for account in DEMO_ACCOUNTS:
        assert client.login(username=account.email, password=demo_password(account)), account.email
        client.logout()


def test_demo_people_live_at_real_addresses_in_their_district(demo_city: None) -> None:
    from apps.places import geo

    for person in Person.objects.select_related("district")[:60]:
        assert person.lat is not None and person.lon is not None
        located = geo.district_at(person.lat, person.lon)
        assert located is not None
        assert located.number == person.district.number


def test_residents_are_spread_by_population(demo_city: None) -> None:
    from django.db.models import Count

    per_district = dict(Person.objects.values_list("district__number").annotate(n=Count("id")))
    assert len(per_district) >= 20, "almost every district has demo residents"


def test_demo_is_refused_when_not_allowed(settings: object) -> None:
    from django.core.management import CommandError

    settings.DEMO_ALLOWED = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="COP_ALLOW_DEMO"):
        call_command("load_demo", verbosity=0)
