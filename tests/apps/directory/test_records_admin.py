"""Administrators manage the types of help in Dutch, English and French; services, locations and changes are
shown read-only; referrals are not in the admin at all (their texts are special-category data)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import Client

from apps.directory.models import Attribute, Location, Referral, Revision, Service, TaxonomyTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client_as: Callable[[str], Client]) -> Client:
    return client_as("administrator")


def test_an_administrator_adds_a_type_of_help_in_three_languages(administrator: Client) -> None:
    form = administrator.get("/en/admin/directory/taxonomyterm/add/").content.decode()
    assert "Nederlands" in form and "English" in form and "Français" in form
    response = administrator.post("/en/admin/directory/taxonomyterm/add/", {
        "code": "mantelzorg", "name_nl": "Mantelzorgondersteuning", "name_en": "Support for carers",
        "name_fr": "Soutien aux aidants proches", "description_nl": "", "description_en": "", "description_fr": "",
        "active": "on", "order": "3", "language": "nl", "term_uri": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    term = TaxonomyTerm.objects.get(code="mantelzorg")
    assert (term.name_nl, term.name_en, term.name_fr) == (
        "Mantelzorgondersteuning",
        "Support for carers",
        "Soutien aux aidants proches",
    )
    assert "Support for carers" in administrator.get("/en/admin/directory/taxonomyterm/").content.decode()


def test_a_type_of_help_that_services_use_cannot_be_deleted(administrator: Client) -> None:
    used = TaxonomyTerm.objects.create(name_nl="Maaltijden", name_en="Meals")
    service = Service.objects.filter(published_at__isnull=False).first()
    assert service is not None
    Attribute.objects.create(taxonomy_term=used, service=service)
    assert administrator.get(f"/en/admin/directory/taxonomyterm/{used.pk}/delete/").status_code == 403
    unused = TaxonomyTerm.objects.create(name_nl="Ongebruikt", name_en="Unused")
    assert administrator.get(f"/en/admin/directory/taxonomyterm/{unused.pk}/delete/").status_code == 200


def test_services_locations_and_changes_are_read_only_and_referrals_absent(administrator: Client) -> None:
    for model in (Service, Location, Revision):
        path = f"/en/admin/directory/{model._meta.model_name}/"
        assert administrator.get(path).status_code == 200
        assert administrator.get(path + "add/").status_code == 403
    assert Referral not in admin.site._registry
    assert administrator.get("/en/admin/directory/referral/").status_code == 404


def test_nobody_else_opens_the_admin(client_as: Callable[[str], Client]) -> None:
    for role in ("organisation_staff", "city_staff"):
        assert client_as(role).get("/en/admin/directory/taxonomyterm/").status_code == 302
