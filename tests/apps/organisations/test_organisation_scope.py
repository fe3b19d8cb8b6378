"""Roles scoped to an organisation: its staff keep its profile, its coordinators follow its persons anywhere.

Another organisation, or a person of another organisation, answers exactly like
one that does not exist (404), and refused attempts on a person are logged.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from apps.access.actors import actor_for_user
from apps.access.models import AccessLogEntry
from apps.organisations.demo import DEMO_ORGANISATION
from apps.organisations.models import Organisation
from apps.people.models import Person, Role, RoleAssignment
from apps.people.services import role_grant

pytestmark = pytest.mark.django_db

MISSING = "no-such-organisation"


@pytest.fixture
def own() -> Organisation:
    return Organisation.objects.get(slug=DEMO_ORGANISATION)


@pytest.fixture
def other(demo_city: None) -> Organisation:
    return Organisation.objects.exclude(slug=DEMO_ORGANISATION).order_by("slug").first()  # type: ignore[return-value]


def coordinator_district(person_of: Callable[[str], Person]) -> int:
    return person_of("coordinator").roles.get(role=Role.COORDINATOR).district_id  # type: ignore[return-value]


# --- granting -------------------------------------------------------------------------------------


def test_organisation_staff_without_an_organisation_is_refused_and_nothing_changes(
    person_of: Callable[[str], Person],
) -> None:
    administrator = actor_for_user(person_of("administrator").user)
    helper = person_of("helper")
    before = RoleAssignment.objects.count()
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        role_grant(actor=administrator, person=helper, role=Role.ORGANISATION_STAFF)
    assert refused.value.messages == [
        "Medewerkers van een organisatie werken voor een organisatie: kies de organisatie."
    ]
    assert RoleAssignment.objects.count() == before
    assert not helper.roles.filter(role=Role.ORGANISATION_STAFF).exists()


def test_the_django_admin_refuses_it_too(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    helper = person_of("helper")
    roles = list(helper.roles.values_list("pk", "role"))
    form = {
        "first_name": helper.first_name,
        "last_name": helper.last_name,
        "contact_preference": helper.contact_preference,
        "languages": "[]",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-0-role": Role.ORGANISATION_STAFF,
    }
    client = client_as("administrator")
    response = client.post(f"/nl/admin/people/person/{helper.pk}/change/", form)
    assert response.status_code == 200
    assert "kies de organisatie" in response.content.decode()
    assert list(helper.roles.values_list("pk", "role")) == roles


def test_city_staff_give_someone_a_role_for_an_organisation_and_take_it_back(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], own: Organisation
) -> None:
    helper = person_of("helper")
    city = client_as("city_staff")
    url = f"/nl/organisations/{own.slug}/"
    response = city.post(url, {"form": "role", "login": helper.email, "role": Role.ORGANISATION_STAFF})
    assert response.status_code == 302
    grant = helper.roles.get(role=Role.ORGANISATION_STAFF, withdrawn_at__isnull=True)
    assert grant.organisation == own and grant.granted_by == person_of("city_staff")
    assert client_as("helper").get("/nl/my-organisation/").status_code == 200
    city.post(url, {"form": "withdraw_role", "assignment": grant.pk})
    grant.refresh_from_db()
    assert grant.withdrawn_at is not None and grant.withdrawn_by == person_of("city_staff")
    assert client_as("helper").get("/nl/my-organisation/").status_code == 403


def test_city_staff_may_not_make_someone_a_coordinator(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], own: Organisation
) -> None:
    helper = person_of("helper")
    response = client_as("city_staff").post(
        f"/nl/organisations/{own.slug}/", {"form": "role", "login": helper.email, "role": Role.COORDINATOR}
    )
    assert response.status_code == 200, "the form says what is wrong"
    assert not helper.roles.filter(role=Role.COORDINATOR).exists()
    api = client_as("city_staff").post(
        f"/api/v1/organisations/{own.slug}/staff",
        {"login": helper.email, "role": Role.COORDINATOR},
        content_type="application/json",
    )
    assert api.status_code == 403


def test_an_unknown_account_is_explained_and_changes_nothing(
    client_as: Callable[[str], Client], own: Organisation
) -> None:
    before = RoleAssignment.objects.count()
    response = client_as("administrator").post(
        f"/nl/organisations/{own.slug}/",
        {"form": "role", "login": "nobody@example.org", "role": Role.ORGANISATION_STAFF},
    )
    assert response.status_code == 200
    assert "Vraag hen eerst een account te maken." in response.content.decode()
    assert RoleAssignment.objects.count() == before


def test_staff_are_granted_through_the_api(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], own: Organisation
) -> None:
    helper = person_of("helper")
    admin = client_as("administrator")
    url = f"/api/v1/organisations/{own.slug}/staff"
    granted = admin.post(url, {"login": helper.email, "role": "coordinator"}, content_type="application/json")
    assert granted.status_code == 201 and granted.json()["role"] == "coordinator"
    assert helper.roles.get(role=Role.COORDINATOR).organisation == own
    assert {row["name"] for row in admin.get(url).json()} >= {str(helper), str(person_of("organisation_staff"))}
    assert admin.delete(f"{url}/{granted.json()['id']}").status_code == 204
    assert helper.roles.get(role=Role.COORDINATOR).withdrawn_at is not None


# --- the coordinator for an organisation ------------------------------------------------------------


def test_coordinator_finds_a_person_of_their_organisation_in_another_district_but_not_of_another(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], own: Organisation, other: Organisation
) -> None:
    district = coordinator_district(person_of)
    ours = Person.objects.filter(organisation=own, user__isnull=True).exclude(district_id=district).first()
    theirs = Person.objects.filter(organisation=other, user__isnull=True).exclude(district_id=district).first()
    assert ours is not None and theirs is not None
    client = client_as("coordinator")
    html = client.get("/nl/persons/").content.decode()
    assert f"/nl/persons/{ours.pk}/" in html and f"/nl/persons/{theirs.pk}/" not in html
    assert client.get(f"/nl/persons/{ours.pk}/").status_code == 200
    assert client.get(f"/api/v1/persons/{ours.pk}").json()["organisation_slug"] == own.slug
    missing = Person.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    before = AccessLogEntry.objects.filter(subject_person_id=theirs.pk, outcome="denied").count()
    for url in ("/nl/persons/{}/", "/api/v1/persons/{}", "/nl/persons/{}/export/"):
        refused, absent = client.get(url.format(theirs.pk)), client.get(url.format(missing))
        assert refused.status_code == absent.status_code == 404
        assert refused.content == absent.content
    denied = AccessLogEntry.objects.filter(subject_person_id=theirs.pk, outcome="denied")
    assert denied.count() == before + 3, "each refused attempt on the record is logged"
    assert set(denied.values_list("actor_role", flat=True)) == {"coordinator"}


def test_coordinator_registers_a_person_for_their_organisation_outside_their_district(
    client_as: Callable[[str], Client], own: Organisation
) -> None:
    form = {
        "first_name": "Georgette",
        "last_name": "Vermeersch",
        "address": "Kerkstraat 1 9050",
        "phone": "09 266 11 11",
        "contact_preference": "phone",
    }
    client = client_as("coordinator")
    refused = client.post("/nl/persons/new/", form)
    assert refused.status_code == 200
    assert "Kies de organisatie die deze persoon volgt." in refused.content.decode()
    assert not Person.objects.filter(last_name="Vermeersch").exists()
    registered = client.post("/nl/persons/new/", {**form, "organisation": own.pk})
    assert registered.status_code == 302
    person = Person.objects.get(last_name="Vermeersch")
    assert person.organisation == own and person.district is not None and person.district.number != 1


def test_a_coordinator_cannot_register_for_an_organisation_they_do_not_work_for(
    client_as: Callable[[str], Client], other: Organisation
) -> None:
    body = {"first_name": "Georgette", "last_name": "Vermeersch", "address": "Kerkstraat 1 9050"}
    client = client_as("coordinator")
    for organisation in (other.slug, MISSING):
        response = client.post(
            "/api/v1/persons", {**body, "organisation": organisation}, content_type="application/json"
        )
        assert response.status_code == 422
    assert not Person.objects.filter(last_name="Vermeersch").exists()


# --- organisation staff -----------------------------------------------------------------------------


def test_organisation_staff_edit_their_own_organisation(client_as: Callable[[str], Client], own: Organisation) -> None:
    client = client_as("organisation_staff")
    assert own.name in client.get("/nl/my-organisation/").content.decode()
    form = {"name": own.name, "description": "Ook op zaterdag open.", "email": "Onthaal@Het-Punt.example", "phone": ""}
    response = client.post(f"/nl/organisations/{own.slug}/edit/", {**form, "website": "https://het-punt.example"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.description, own.email, own.phone) == ("Ook op zaterdag open.", "onthaal@het-punt.example", "")
    patched = client.patch(
        f"/api/v1/organisations/{own.slug}", {"phone": "09 210 10 10"}, content_type="application/json"
    )
    assert patched.status_code == 200 and patched.json()["phone"] == "+3292101010"


def test_bad_input_on_the_profile_is_explained_and_changes_nothing(
    client_as: Callable[[str], Client], own: Organisation
) -> None:
    client = client_as("organisation_staff")
    before = Organisation.objects.values().get(pk=own.pk)
    page = client.post(f"/nl/organisations/{own.slug}/edit/", {"name": "", "website": "geen website", "phone": "12"})
    assert page.status_code == 200 and 'class="field-error"' in page.content.decode()
    api = client.patch(f"/api/v1/organisations/{own.slug}", {"name": " "}, content_type="application/json")
    assert api.status_code == 422 and api.json()["detail"]
    assert Organisation.objects.values().get(pk=own.pk) == before


def test_another_organisation_is_the_same_404_as_a_missing_one(
    client_as: Callable[[str], Client], other: Organisation
) -> None:
    client = client_as("organisation_staff")
    for url in (
        "/nl/organisations/{}/",
        "/nl/organisations/{}/edit/",
        "/api/v1/organisations/{}",
        "/api/v1/organisations/{}/staff",
    ):
        refused, absent = client.get(url.format(other.slug)), client.get(url.format(MISSING))
        assert refused.status_code == absent.status_code == 404, url
        assert refused.content == absent.content
    patched = client.patch(
        f"/api/v1/organisations/{other.slug}", {"name": "Overgenomen"}, content_type="application/json"
    )
    assert patched.status_code == 404
    assert Organisation.objects.get(pk=other.pk).name != "Overgenomen"
    assert [o["slug"] for o in client.get("/api/v1/organisations").json()] == [DEMO_ORGANISATION]


def test_organisation_staff_see_nothing_of_the_persons_their_organisation_follows(
    client_as: Callable[[str], Client], own: Organisation
) -> None:
    followed = Person.objects.filter(organisation=own, user__isnull=True).first()
    assert followed is not None
    client = client_as("organisation_staff")
    assert client.get("/nl/persons/").status_code == 403
    for url in (f"/nl/persons/{followed.pk}/", f"/api/v1/persons/{followed.pk}"):
        assert client.get(url).status_code == 404


def test_city_staff_see_but_do_not_change_an_organisation(
    client_as: Callable[[str], Client], own: Organisation
) -> None:
    client = client_as("city_staff")
    assert client.get(f"/nl/organisations/{own.slug}/").status_code == 200
    response = client.patch(f"/api/v1/organisations/{own.slug}", {"name": "Nieuw"}, content_type="application/json")
    assert response.status_code == 403
    assert Organisation.objects.get(pk=own.pk).name == own.name


def test_an_inactive_organisation_gives_no_access(client_as: Callable[[str], Client], own: Organisation) -> None:
    Organisation.objects.filter(pk=own.pk).update(active=False)
    staff = client_as("organisation_staff")
    assert staff.get("/nl/my-organisation/").status_code == 403
    assert staff.get(f"/nl/organisations/{own.slug}/").status_code == 404
    assert client_as("administrator").get(f"/nl/organisations/{own.slug}/").status_code == 200
