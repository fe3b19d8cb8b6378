"""A coordinator on the phone registers a resident without an account, with consent recorded first."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from apps.access.models import AccessLogEntry
from apps.organisations.demo import DEMO_ORGANISATION
from apps.people.models import Consent, Person, Purpose

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Georgette",
    "last_name": "Vermeersch",
    "address": "Korenmarkt 1",
    "phone": "09 266 11 11",
    "contact_preference": "phone",
    "languages": ["nl", "fr"],
    "support_needs": "Boodschappen op vrijdag.",
    "consents": [Purpose.CARE_MATCHING, Purpose.CONTACT_PHONE],
}


def test_register_with_consents_by_phone(client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    response = client.post("/nl/persons/new/", FORM)
    assert response.status_code == 302
    person = Person.objects.get(last_name="Vermeersch")
    assert response["Location"] == f"/nl/persons/{person.pk}/"
    assert person.user is None
    assert person.phone == "+3292661111"
    assert person.district is not None and person.district.number == 1
    assert person.languages == ["fr", "nl"]
    consents = {c.purpose: c for c in person.consents.all()}
    assert set(consents) == {Purpose.CARE_MATCHING, Purpose.CONTACT_PHONE}
    assert all(c.method == Consent.Method.PHONE and c.recorded_by is not None for c in consents.values())
    assert all(c.text_version == "2026-11" for c in consents.values())


def test_support_needs_without_consent_are_refused(client_as: Callable[[str], Client]) -> None:
    response = client_as("coordinator").post("/nl/persons/new/", {**FORM, "consents": [Purpose.CONTACT_PHONE]})
    assert response.status_code == 200
    assert "Vraag toestemming voor het zoeken van hulp" in response.content.decode()
    assert not Person.objects.filter(last_name="Vermeersch").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("address", "Nergensstraat 4", "Energiestraat"),
        ("phone", "12345", "telefoonnummer"),
        ("address", "Korenmarkt", "huisnummer"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    client_as: Callable[[str], Client], field: str, value: str, message: str
) -> None:
    before = Person.objects.count()
    response = client_as("coordinator").post("/nl/persons/new/", {**FORM, field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "aria-invalid" in html or "errorlist" in html
    assert message in html, re.findall(r"errorlist[^>]*>(.*?)</ul>", html, re.S)
    assert Person.objects.count() == before


def test_an_address_in_another_district_is_refused(client_as: Callable[[str], Client]) -> None:
    response = client_as("coordinator").post("/nl/persons/new/", {**FORM, "address": "Kerkstraat 1 9050"})
    assert response.status_code == 200
    assert not Person.objects.filter(last_name="Vermeersch").exists()


def test_search_shows_only_the_coordinators_districts(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person, resident_elsewhere: Person
) -> None:
    client = client_as("coordinator")
    html = client.get("/nl/persons/", {"q": ""}).content.decode()
    assert f"/nl/persons/{resident_in_coordinators_district.pk}/" in html
    assert f"/nl/persons/{resident_elsewhere.pk}/" not in html
    api = client.get("/api/v1/persons").json()
    elsewhere = {p["organisation_slug"] for p in api if p["district_number"] != 1}
    assert {p["district_number"] for p in api} >= {1}
    assert elsewhere <= {DEMO_ORGANISATION}, "outside their district, only the persons their organisation follows"


def test_another_districts_person_is_the_same_404_as_a_missing_one(
    client_as: Callable[[str], Client], resident_elsewhere: Person
) -> None:
    client = client_as("coordinator")
    missing = Person.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    for url in ("/nl/persons/{}/", "/api/v1/persons/{}", "/nl/persons/{}/export/"):
        forbidden = client.get(url.format(resident_elsewhere.pk))
        absent = client.get(url.format(missing))
        assert forbidden.status_code == absent.status_code == 404
        assert forbidden.content == absent.content


def test_reading_support_needs_writes_exactly_one_log_entry(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident = resident_in_coordinators_district
    before = AccessLogEntry.objects.count()
    html = client_as("coordinator").get(f"/nl/persons/{resident.pk}/").content.decode()
    assert resident.support_needs in html
    written = list(AccessLogEntry.objects.all()[: AccessLogEntry.objects.count() - before])
    # the page's care, referral and screening sections log the rows they list, one entry each
    # (tests/apps/care/test_person_page_section.py, tests/apps/directory/test_referral_access_log.py,
    # tests/apps/wellbeing/test_screening_access.py)
    listed = ("care.CareRequest", "directory.Referral", "wellbeing.Screening")
    entries = [e for e in written if e.record_type not in listed]
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.actor_role, entry.subject_person_id, entry.action, entry.outcome, entry.purpose) == (
        "coordinator",
        resident.pk,
        "read",
        "allowed",
        "care_matching",
    )
    assert entry.via == "GET people:person_detail"
    assert resident.support_needs not in str(entry.__dict__), "the log never holds the data itself"


def test_api_read_is_logged_too(client_as: Callable[[str], Client], resident_in_coordinators_district: Person) -> None:
    before = AccessLogEntry.objects.count()
    body = client_as("coordinator").get(f"/api/v1/persons/{resident_in_coordinators_district.pk}").json()
    assert body["support_needs"] == resident_in_coordinators_district.support_needs
    assert AccessLogEntry.objects.count() == before + 1
    assert AccessLogEntry.objects.first().via == "GET api:get_person"  # type: ignore[union-attr]


def test_withdrawn_consent_hides_support_needs_at_once(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    assert resident.support_needs in client.get(f"/nl/persons/{resident.pk}/").content.decode()
    response = client.post(f"/nl/persons/{resident.pk}/", {"purpose": "care_matching", "action": "withdraw"})
    assert response.status_code == 302
    html = client.get(f"/nl/persons/{resident.pk}/").content.decode()
    assert resident.support_needs not in html
    assert client.get(f"/api/v1/persons/{resident.pk}").json()["support_needs"] is None
    denied = AccessLogEntry.objects.filter(subject_person_id=resident.pk, outcome="denied")
    assert denied.count() == 2, "refused reads are logged as well"


def test_consent_recorded_on_behalf_by_phone(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident = resident_in_coordinators_district
    client = client_as("coordinator")
    client.post(f"/nl/persons/{resident.pk}/", {"purpose": "contact_sms", "action": "give", "method": "paper"})
    consent = resident.consents.get(purpose="contact_sms", withdrawn_at__isnull=True)
    assert consent.method == "paper"
    online = client.post(
        f"/api/v1/persons/{resident.pk}/consents",
        {"purpose": "contact_email", "method": "online"},
        content_type="application/json",
    )
    assert online.status_code == 422, "only the person can consent online"


def test_pages_and_api_with_care_data_are_never_stored(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    client = client_as("coordinator")
    for url in (
        f"/nl/persons/{resident_in_coordinators_district.pk}/",
        f"/api/v1/persons/{resident_in_coordinators_district.pk}",
    ):
        assert "no-store" in client.get(url)["Cache-Control"]


def test_a_refused_attempt_on_someones_record_is_logged(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    before = AccessLogEntry.objects.count()
    for url in (
        f"/nl/persons/{resident_in_coordinators_district.pk}/",
        f"/api/v1/persons/{resident_in_coordinators_district.pk}",
    ):
        assert client_as("helper").get(url).status_code == 404
    entries = AccessLogEntry.objects.all()[:2]
    assert AccessLogEntry.objects.count() == before + 2
    assert {(e.outcome, e.actor_role, e.subject_person_id) for e in entries} == {
        ("denied", "helper", resident_in_coordinators_district.pk)
    }


def test_registering_care_needs_writes_exactly_one_log_entry(client_as: Callable[[str], Client]) -> None:
    """Care needs noted by the coordinator are a write of special-category data: page and API, one entry each."""
    client = client_as("coordinator")
    assert client.post("/nl/persons/new/", FORM).status_code == 302
    person = Person.objects.get(last_name="Vermeersch")
    entries = list(AccessLogEntry.objects.filter(subject_person_id=person.pk))
    assert len(entries) == 1
    assert (entries[0].action, entries[0].record_type, entries[0].record_id) == (
        "change",
        "people.Person.support_needs",
        str(person.pk),
    )
    assert entries[0].actor_role == "coordinator" and entries[0].via == "POST people:person_register"
    assert "Boodschappen" not in str(vars(entries[0]))  # never the data itself
    payload = {
        "first_name": "Marcel",
        "last_name": "Van Hoecke",
        "address": "Korenmarkt 1",
        "phone": "09 266 11 12",
        "support_needs": "Hulp bij papieren.",
        "consents": [Purpose.CARE_MATCHING],
    }
    response = client.post("/api/v1/persons", payload, content_type="application/json")
    assert response.status_code == 201
    entries = list(AccessLogEntry.objects.filter(subject_person_id=response.json()["id"]))
    assert len(entries) == 1 and entries[0].action == "change" and entries[0].via.startswith("POST ")
    # without care needs there is nothing special to log
    quiet = client.post("/nl/persons/new/", {**FORM, "last_name": "Stil", "support_needs": "", "phone": "09 266 11 13"})
    assert quiet.status_code == 302
    assert not AccessLogEntry.objects.filter(subject_person_id=Person.objects.get(last_name="Stil").pk).exists()


def test_a_persons_page_heads_their_needs_apart_from_their_requests(client_as: Callable[[str], Client]) -> None:
    """The Dutch page said "Hulpvragen: Niets genoteerd." right above "Hulpvragen en bezoeken": on the phone a
    coordinator read that the person had no requests. What they need is headed as what they need."""
    client = client_as("coordinator")
    client.post("/nl/persons/new/", {**FORM, "support_needs": ""})
    person = Person.objects.get(last_name="Vermeersch")
    html = client.get(f"/nl/persons/{person.pk}/").content.decode()
    headings = [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]
    assert "Welke hulp de persoon nodig heeft" in headings
    assert "Hulpvragen" not in headings


def test_the_message_after_registering_is_the_design_systems_notice(client_as: Callable[[str], Client]) -> None:
    """"Godelieve De Smet is geregistreerd." came as grey centred text in a bare box (the style guide's .messages
    around an old .message paragraph), unlike every notice on the page: now a success notice with its icon, in a
    region that announces it."""
    client = client_as("coordinator")
    html = client.post("/nl/persons/new/", FORM, follow=True).content.decode()
    region = html[html.index('<div class="site-messages" role="status">') :]
    region = region[: region.index("</main>")]
    assert 'class="notice messages messages--status"' in region and "icon-checkmark" in region
    assert "is geregistreerd" in region
    assert 'class="message ' not in html
