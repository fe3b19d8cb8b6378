"""OWASP ASVS 5.0 chapter V8 (authorization), level 2: docs/security.md names each test.

Function level: the access table (test_access_table.py).  Here: object level
on every person endpoint and for writes too, field level, the service layer,
and the admin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from apps.access.actors import actor_for_user
from apps.access.models import AccessLogEntry
from apps.people import schemas, services
from apps.people.models import Person, Purpose, Role

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]

READS = ["/nl/persons/{}/", "/nl/persons/{}/export/", "/nl/persons/{}/erase/"]
API_READS = [
    "/api/v1/persons/{}",
    "/api/v1/persons/{}/consents",
    "/api/v1/persons/{}/export",
    "/api/v1/persons/{}/export.csv",
]
API_WRITES = [
    ("post", "/api/v1/persons/{}/roles", {"role": "helper"}),
    ("post", "/api/v1/persons/{}/erase", {"confirm": True}),
    ("delete", "/api/v1/persons/{}/roles/1", None),
    ("post", "/api/v1/persons/{}/consents", {"purpose": "contact_email", "method": "phone"}),
    ("delete", "/api/v1/persons/{}/consents/care_matching", None),
]


@pytest.mark.parametrize("role", ["resident", "helper", "city_staff", "administrator", "auditor", "centre_committee"])
def test_another_persons_id_answers_like_a_missing_id_for_reads_and_writes(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person, role: str
) -> None:
    """8.2.2 (IDOR / BOLA): same status and same body, and nothing changes."""
    client = client_as(role)
    someone = resident_in_coordinators_district
    missing = Person.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    roles_before, consents_before = someone.roles.count(), someone.consents.filter(withdrawn_at__isnull=True).count()
    for url in READS + API_READS:
        forbidden, absent = client.get(url.format(someone.pk)), client.get(url.format(missing))
        assert forbidden.status_code == absent.status_code == 404, url
        assert forbidden.content == absent.content, url
    for method, url, body in API_WRITES:
        call = getattr(client, method)
        kwargs = {"content_type": "application/json"} if body is not None else {}
        forbidden = call(url.format(someone.pk), body, **kwargs) if body else call(url.format(someone.pk))
        absent = call(url.format(missing), body, **kwargs) if body else call(url.format(missing))
        assert forbidden.status_code == absent.status_code == 404, url
        assert forbidden.json() == absent.json(), url
    for url in READS[1:]:
        assert client.post(url.format(someone.pk), {"confirm": "on"}).status_code == 404
    assert someone.roles.count() == roles_before
    assert someone.consents.filter(withdrawn_at__isnull=True).count() == consents_before
    someone.refresh_from_db()
    assert someone.erased_at is None


def test_care_needs_are_a_field_only_some_may_read(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    """8.2.3 (BOPLA), reading: lists never carry care needs; the detail only while consent holds."""
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    listed = client.get("/api/v1/persons", {"q": resident.last_name}).json()
    assert listed and all("support_needs" not in row for row in listed)
    assert client.get(f"/api/v1/persons/{resident.pk}").json()["support_needs"] == resident.support_needs
    resident.consents.filter(purpose=Purpose.CARE_MATCHING).update(withdrawn_at="2026-01-01T00:00Z")
    assert client.get(f"/api/v1/persons/{resident.pk}").json()["support_needs"] is None


def test_fields_outside_the_schema_cannot_be_written(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    """8.2.3 (BOPLA), writing: no mass assignment of care needs, district, account link or verification."""
    client = client_as("resident")
    me = person_of("resident")
    before = (me.support_needs, me.district_id, me.user_id, me.phone_verified, me.erased_at)
    response = client.patch(
        "/api/v1/me",
        {
            "first_name": "Roza",
            "support_needs": "iets anders",
            "district_id": 7,
            "district_number": 7,
            "user_id": 1,
            "phone_verified": False,
            "erased_at": "2026-01-01T00:00:00Z",
            "id": 1,
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    me.refresh_from_db()
    assert me.first_name == "Roza"
    assert (me.support_needs, me.district_id, me.user_id, me.phone_verified, me.erased_at) == before


def test_administrators_do_not_see_care_needs_in_the_admin(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    """8.2.3: least privilege for the administrator too."""
    html = client_as("administrator").get(f"/nl/admin/people/person/{resident_in_coordinators_district.pk}/change/")
    assert html.status_code == 200
    assert resident_in_coordinators_district.support_needs not in html.content.decode()
    assert 'name="support_needs"' not in html.content.decode()


def test_the_documented_field_rules_cover_every_field_of_the_person_api() -> None:
    """8.1.2: every field the person API reads or writes has a row in docs/security.md."""
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = doc.split("<!-- fields -->")[1].split("<!-- /fields -->")[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    for schema in (schemas.PersonOut, schemas.PersonDetailOut, schemas.PersonIn, schemas.ProfileIn):
        missing = set(schema.model_fields) - documented
        assert not missing, f"{schema.__name__}: {sorted(missing)} not in the field rules of docs/security.md"


def test_the_services_refuse_whatever_page_or_client_calls_them(
    demo_city: None, resident_in_coordinators_district: Person, person_of: Callable[[str], Person]
) -> None:
    """8.3.1: the rules sit in the service layer, not in a page or in the browser."""
    helper = actor_for_user(person_of("helper").user)
    resident = resident_in_coordinators_district
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=helper, person=resident, role=Role.HELPER)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=helper, person=resident, first_name="X")
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(actor=helper, person=resident, purpose=Purpose.CARE_MATCHING)


def test_the_admin_closes_when_the_administrator_role_is_withdrawn(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    """8.2.1, and role changes apply at once (no permissions cached in the session)."""
    client = client_as("administrator")
    assert client.get("/nl/admin/").status_code == 200
    person_of("administrator").roles.filter(role=Role.ADMINISTRATOR).update(withdrawn_at="2026-01-01T00:00Z")
    assert client.get("/nl/admin/").status_code == 302
    assert client.get("/nl/admin/people/person/").status_code == 302


def test_the_superuser_flag_alone_does_not_open_the_admin(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    """8.2.1: explicit permission is the role; a leftover is_staff/is_superuser flag is not enough."""
    user = person_of("helper").user
    user.is_staff = user.is_superuser = True  # type: ignore[union-attr]
    user.save()  # type: ignore[union-attr]
    assert client_as("helper").get("/nl/admin/").status_code == 302


@pytest.mark.parametrize("staff", ["administrator", "auditor", "city_staff", "organisation_staff"])
def test_a_coordinator_has_no_power_over_staff_in_their_district(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], staff: str
) -> None:
    """8.2.2: staff who live in the coordinator's district are no "residents of my districts": they answer like
    a missing id on every page and endpoint (the refusal logged), cannot be erased, and are never listed."""
    client = client_as("coordinator")
    target = person_of(staff)
    target.support_needs = "Iets wat de coördinator niet mag lezen."
    target.save(update_fields=["support_needs"])
    coordinator_districts = set(person_of("coordinator").roles.values_list("district_id", flat=True))
    assert target.district_id in coordinator_districts  # in scope by address: the role is what keeps them out
    missing = Person.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    denied_before = AccessLogEntry.objects.filter(subject_person_id=target.pk, outcome="denied").count()
    consents_before = target.consents.count()
    for url in READS + API_READS:
        forbidden, absent = client.get(url.format(target.pk)), client.get(url.format(missing))
        assert forbidden.status_code == absent.status_code == 404, url
        assert forbidden.content == absent.content, url
    for method, url, body in API_WRITES:
        call = getattr(client, method)
        kwargs = {"content_type": "application/json"} if body is not None else {}
        response = call(url.format(target.pk), body, **kwargs) if body else call(url.format(target.pk))
        assert response.status_code == 404, url
    assert client.post(f"/nl/persons/{target.pk}/erase/", {"confirm": "on"}).status_code == 404
    assert client.post(f"/nl/persons/{target.pk}/", {"purpose": "contact_email", "action": "give"}).status_code == 404
    target.refresh_from_db()
    assert target.erased_at is None and target.user is not None and target.first_name
    assert target.consents.count() == consents_before
    assert not target.roles.filter(role=Role.HELPER).exists()
    assert AccessLogEntry.objects.filter(subject_person_id=target.pk, outcome="denied").count() > denied_before
    page = client.get("/nl/persons/", {"q": target.last_name}).content.decode()
    assert f"/persons/{target.pk}/" not in page
    listed = client.get("/api/v1/persons", {"q": target.last_name}).json()
    assert target.pk not in [row["id"] for row in listed]
    # a resident of the same district still is (the rule did not close the door on everyone)
    assert any(row["id"] for row in client.get("/api/v1/persons").json())


@pytest.mark.parametrize("neighbour", ["initiative_starter", "centre_committee"])
def test_a_coordinator_still_helps_residents_who_took_something_on_in_their_neighbourhood(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], neighbour: str
) -> None:
    """An initiative starter or a centre committee member is a resident, not staff: their coordinator opens
    their record and finds them in the search."""
    client = client_as("coordinator")
    target = person_of(neighbour)
    assert client.get(f"/nl/persons/{target.pk}/").status_code == 200
    listed = client.get("/api/v1/persons", {"q": target.last_name}).json()
    assert target.pk in [row["id"] for row in listed]


def _admin_post_data(response: object) -> dict[str, object]:
    """What the admin's change form would post back unchanged: the person's fields and the role rows."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]  # type: ignore[attr-defined]
    for inline in response.context["inline_admin_formsets"]:  # type: ignore[attr-defined]
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for bound in form:
            value, widget = bound.value(), bound.field.widget
            if hasattr(widget, "decompress"):
                for index, part in enumerate(widget.decompress(value)):
                    data[f"{bound.html_name}_{index}"] = "" if part is None else part
            elif isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            elif value is not None:
                data[bound.html_name] = value
    return data


def test_the_admin_grants_and_withdraws_roles_on_record_and_never_deletes(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], resident_in_coordinators_district: Person
) -> None:
    """8.2.1/8.3.1: in the admin too, who granted or withdrew a role is recorded, not typed; no hard deletes."""
    client = client_as("administrator")
    administrator, coordinator = person_of("administrator"), person_of("coordinator")
    resident = resident_in_coordinators_district
    url = f"/nl/admin/people/person/{resident.pk}/change/"
    page = client.get(url)
    html = page.content.decode()
    for name in ("granted_by", "withdrawn_at", "withdrawn_by", "DELETE"):
        assert f'name="roles-0-{name}' not in html, name
    data = _admin_post_data(page)
    count = int(data["roles-TOTAL_FORMS"])  # type: ignore[call-overload]
    data.update(
        {
            "roles-TOTAL_FORMS": count + 1,
            f"roles-{count}-person": resident.pk,
            f"roles-{count}-role": Role.HELPER,
            f"roles-{count}-district": resident.district_id,
            # forged: these are not fields of the form, so they are ignored
            f"roles-{count}-granted_by": coordinator.pk,
            f"roles-{count}-withdrawn_at_0": "2026-01-01",
            f"roles-{count}-withdrawn_at_1": "00:00",
        }
    )
    assert client.post(url, data).status_code == 302
    helper = resident.roles.get(role=Role.HELPER)
    assert helper.granted_by == administrator and helper.withdrawn_at is None
    data = _admin_post_data(client.get(url))
    row = next(key.split("-")[1] for key, value in data.items() if key.endswith("-id") and str(value) == str(helper.pk))
    data[f"roles-{row}-withdraw"] = "on"
    assert client.post(url, data).status_code == 302
    helper.refresh_from_db()
    assert helper.withdrawn_at is not None and helper.withdrawn_by == administrator
    assert resident.roles.filter(pk=helper.pk).exists()  # withdrawn, not deleted
    assert client.get(f"/nl/admin/people/person/{resident.pk}/delete/").status_code == 403
    assert client.post(f"/nl/admin/people/person/{resident.pk}/delete/", {"post": "yes"}).status_code == 403
    resident.refresh_from_db()
    assert resident.erased_at is None


def test_administrators_do_not_browse_the_access_log(client_as: Callable[[str], Client]) -> None:
    """8.2.3: who read whose data is for the auditor's search only."""
    client = client_as("administrator")
    assert client.get("/nl/admin/access/accesslogentry/").status_code == 403
    assert "accesslogentry" not in client.get("/nl/admin/").content.decode()
    assert client_as("auditor").get("/nl/audit/").status_code == 200


# --- an administrator cannot become someone who reads care data ------------------------------------------


def test_an_administrator_cannot_make_themselves_coordinator_in_the_admin_or_the_api(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], resident_in_coordinators_district: Person
) -> None:
    """Found from the outside: an administrator added a coordinator role to their own person in the admin and
    then read care needs.  Nobody grants (or withdraws) a staff role of their own; they still grant others'."""
    client = client_as("administrator")
    administrator = person_of("administrator")
    district = resident_in_coordinators_district.district_id
    url = f"/nl/admin/people/person/{administrator.pk}/change/"
    page = client.get(url)
    data = _admin_post_data(page)
    count = int(data["roles-TOTAL_FORMS"])  # type: ignore[call-overload]
    data.update({"roles-TOTAL_FORMS": count + 1, f"roles-{count}-person": administrator.pk,
                 f"roles-{count}-role": Role.COORDINATOR, f"roles-{count}-district": district})  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "U kunt uzelf geen rol als medewerker geven" in refused.content.decode()
    assert not administrator.roles.filter(role=Role.COORDINATOR).exists()
    api = client.post(f"/api/v1/persons/{administrator.pk}/roles", {"role": "auditor"}, content_type="application/json")
    assert api.status_code == 403, api.content
    assert not administrator.roles.filter(role__in=[Role.COORDINATOR, Role.AUDITOR]).exists()
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=actor_for_user(administrator.user), person=administrator, role=Role.AUDITOR)
    # granting someone else a coordinator role is still an administrator's work
    other = resident_in_coordinators_district
    granted = services.role_grant(
        actor=actor_for_user(administrator.user), person=other, role=Role.COORDINATOR,
        district=other.district,
    )  # fmt: skip
    assert granted.granted_by == administrator


def test_the_admin_shows_no_second_factor_secret_and_sets_no_ones_password_or_address(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    """Found from the outside: the admin showed each staff member's authenticator secret (so an administrator
    could sign in as the auditor) and set any account's password.  What is left: see, deactivate, end
    sessions, remove a lost authenticator."""
    from allauth.mfa.models import Authenticator

    client = client_as("administrator")
    coordinator = person_of("coordinator").user
    authenticator = Authenticator.objects.filter(user=coordinator, type="totp").get()
    secret = authenticator.data.get("secret")
    assert secret
    listed = client.get("/nl/admin/mfa/authenticator/")
    assert listed.status_code == 200 and secret not in listed.content.decode()
    page = client.get(f"/nl/admin/mfa/authenticator/{authenticator.pk}/change/")
    assert page.status_code == 403 or secret not in page.content.decode()
    assert client.post(f"/nl/admin/mfa/authenticator/{authenticator.pk}/change/", {"data": "{}"}).status_code == 403
    assert client.get("/nl/admin/mfa/authenticator/add/").status_code == 403
    password_page = client.get(f"/nl/admin/auth/user/{coordinator.pk}/password/", follow=True)
    assert 'name="password1"' not in password_page.content.decode()
    taken_over = {"password1": "Overgenomen-wachtwoord-99", "password2": "Overgenomen-wachtwoord-99"}
    forged = client.post(f"/nl/admin/auth/user/{coordinator.pk}/password/", taken_over)
    assert forged.status_code in (302, 403, 404)
    coordinator.refresh_from_db()
    assert not coordinator.check_password("Overgenomen-wachtwoord-99")
    assert client.get("/nl/admin/auth/user/add/").status_code == 403
    assert client.get("/nl/admin/account/emailaddress/add/").status_code == 403
    page = client.get(f"/nl/admin/auth/user/{coordinator.pk}/change/").content.decode()
    assert 'name="email"' not in page and 'name="password"' not in page
    page = client.get(f"/nl/admin/people/person/{person_of('coordinator').pk}/change/").content.decode()
    assert 'name="user"' not in page
    assert client.get(f"/nl/admin/mfa/authenticator/{authenticator.pk}/delete/").status_code == 200  # lost one


def test_a_category_in_use_has_no_delete_page_that_lists_its_requests(
    client_as: Callable[[str], Client], demo_city: None
) -> None:
    from apps.care.models import CareCategory

    used = CareCategory.objects.filter(requests__isnull=False).distinct().first()
    assert used is not None
    assert client_as("administrator").get(f"/nl/admin/care/carecategory/{used.pk}/delete/").status_code == 403
