"""The people and places of the community tests: a starter, the reviewers of their district, a coordinator of
another district, city staff for the whole city, residents who take part."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import Client

from apps.community.models import Theme
from apps.people.models import Person, Role, RoleAssignment
from apps.places.models import District
from tests.apps.wellbeing.conftest import client_for, make_person


@dataclass
class World:
    district: District
    other_district: District
    starter: Person
    resident: Person
    helper: Person
    coordinator: Person
    other_coordinator: Person
    city_staff: Person

    def client(self, who: str) -> Client:
        return client_for(None if who == "anonymous" else getattr(self, who))


@pytest.fixture
def world(db: None) -> World:
    if not District.objects.exists():
        call_command("load_districts", verbosity=0)
    binnenstad, macharius = District.objects.get(number=1), District.objects.get(number=3)
    city = make_person("Stijn", binnenstad)
    RoleAssignment.objects.create(person=city, role=Role.CITY_STAFF)
    for n, (slug, nl, en, fr) in enumerate([("language", "Taal", "Language", "Langue"),
                                            ("food", "Samen eten", "Eating together", "Manger ensemble")]):
        Theme.objects.create(slug=slug, name_nl=nl, name_en=en, name_fr=fr, order=n)
    return World(
        district=binnenstad, other_district=macharius,
        starter=make_person("Karim", binnenstad, Role.RESIDENT), resident=make_person("Rik", binnenstad, Role.RESIDENT),
        helper=make_person("Hanne", binnenstad, Role.HELPER),
        coordinator=make_person("Tine", binnenstad, Role.COORDINATOR),
        other_coordinator=make_person("Omar", macharius, Role.COORDINATOR), city_staff=city,
    )  # fmt: skip
