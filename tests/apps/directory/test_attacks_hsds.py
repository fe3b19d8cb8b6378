"""Attacks on publishing: can organisation X's revision document write organisation Y's records?

An organisation's proposal is an HSDS document; every id in it is public (the HSDS API shows them all).  The
attacker is X's office worker who knows Y's ids and puts them in X's document (a hand-made POST, a future API, an
import through a revision); the reviewer cannot tell one UUID from another, so publishing itself must refuse to
touch anything that is not X's.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.access.actors import actor_for_user
from apps.directory import hsds, records
from apps.directory.models import (
    Accessibility,
    Contact,
    Location,
    Phone,
    Revision,
    Schedule,
    Service,
    ServiceAtLocation,
)

from .records_builders import World, published_location, published_service, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return world()


def _their_service(w: World) -> tuple[Service, ServiceAtLocation, Phone, Schedule, Contact]:
    """Y's published service at Y's location, with a phone, opening hours and a contact."""
    theirs = published_service(w.other_org, "Hun dienst")
    location = published_location(w.other_org, "Hun gebouw")
    sal = ServiceAtLocation.objects.create(service=theirs, location=location)
    phone = Phone.objects.create(service=theirs, number="+3292000000")
    schedule = Schedule.objects.create(service_at_location=sal, byday="MO", freq="WEEKLY")
    contact = Contact.objects.create(service=theirs, name="Hun onthaal", email="onthaal@hun.example")
    return theirs, sal, phone, schedule, contact


def _publish(w: World, kind: str, document: dict[str, Any], target: uuid.UUID) -> Revision:
    """X's staff save and submit the document, the city's reviewer publishes it."""
    staff, reviewer = actor_for_user(w.staff.user), actor_for_user(w.reviewer.user)
    revision = records.revision_save(actor=staff, organisation=w.org, kind=kind, target=target, document=document)
    records.revision_submit(actor=staff, revision=revision)
    records.revision_publish(actor=reviewer, revision=revision)
    return revision


def _rows(*objects: Any) -> list[dict[str, Any]]:
    return [type(obj).objects.filter(pk=obj.pk).values().get() for obj in objects]


def _own_service_document(w: World, target: uuid.UUID, **nested: Any) -> dict[str, Any]:
    return {"id": str(target), "name": "Onze dienst", "status": "active", **nested}


@pytest.mark.parametrize("what", ["phone", "contact", "service_at_location", "schedule"])
def test_a_service_document_cannot_take_over_another_organisations_nested_rows(w: World, what: str) -> None:
    theirs, sal, phone, schedule, contact = _their_service(w)
    before = _rows(theirs, sal, phone, schedule, contact)
    target = uuid.uuid4()
    ours = str(target)
    nested = {
        "phone": {"phones": [{"id": str(phone.pk), "service_id": ours, "number": "+3299999999"}]},
        "contact": {"contacts": [{"id": str(contact.pk), "service_id": ours, "name": "Overgenomen"}]},
        "service_at_location": {"service_at_locations": [
            {"id": str(sal.pk), "service_id": ours, "location_id": str(w.location.pk)}]},
        "schedule": {"service_at_locations": [{
            "id": str(uuid.uuid4()), "service_id": ours, "location_id": str(w.location.pk),
            "schedules": [{"id": str(schedule.pk), "freq": "WEEKLY", "byday": "FR", "opens_at": "09:00",
                           "closes_at": "10:00"}]}]},
    }[what]  # fmt: skip
    with pytest.raises(ValidationError, match="another organisation"):
        _publish(w, "service", _own_service_document(w, target, **nested), target)
    assert _rows(theirs, sal, phone, schedule, contact) == before, "Y's rows are exactly as they were"
    assert not Service.objects.filter(pk=target).exists(), "nothing of the refused change is public"
    assert Revision.objects.get(target=target).status == Revision.Status.UNDER_REVIEW


def test_a_location_document_cannot_take_over_another_organisations_address_or_accessibility(w: World) -> None:
    their_location = published_location(w.other_org, "Hun gebouw")
    address = their_location.addresses.get()
    access = Accessibility.objects.create(location=their_location, description="Rolstoeltoegankelijk")
    before = _rows(their_location, address, access)
    target = uuid.uuid4()
    document = {
        "id": str(target), "name": "Ons gebouw", "location_type": "physical",
        "addresses": [{"id": str(address.pk), "location_id": str(target), "address_1": "Valsestraat 1",
                       "city": "Gent", "state_province": "Oost-Vlaanderen", "postal_code": "9000", "country": "BE",
                       "address_type": "physical"}],
        "accessibility": [{"id": str(access.pk), "location_id": str(target), "description": "Trappen"}],
    }  # fmt: skip
    with pytest.raises(ValidationError, match="another organisation"):
        _publish(w, "location", document, target)
    assert _rows(their_location, address, access) == before
    assert not Location.objects.filter(pk=target).exists()


def test_an_organisation_profile_cannot_take_over_another_organisations_phone(w: World) -> None:
    their_record_id = hsds.record_id(w.other_org)
    hsds.apply_document("organization", {"id": str(their_record_id), "name": w.other_org.name, "description": "Hun",
                        "phones": [{"id": str(uuid.uuid4()), "number": "+3293333333"}]},
                        organisation=w.other_org, published_by=None)  # fmt: skip
    their_phone = Phone.objects.get(organisation__organisation=w.other_org)
    before = _rows(their_phone)
    target = hsds.record_id(w.org)
    document = {
        "id": str(target),
        "name": w.org.name,
        "description": "Wij",
        "phones": [{"id": str(their_phone.pk), "organization_id": str(target), "number": "+3299999999"}],
    }
    with pytest.raises(ValidationError, match="another organisation"):
        _publish(w, "organization", document, target)
    assert _rows(their_phone) == before


def test_an_organisation_still_republishes_its_own_nested_rows_with_their_ids(w: World) -> None:
    """The guard refuses only what belongs to someone else: X's own phone keeps its id through an edit."""
    target = uuid.uuid4()
    phone_id = str(uuid.uuid4())
    first = _own_service_document(w, target, phones=[{"id": phone_id, "service_id": str(target), "number": "+3291"}])
    _publish(w, "service", first, target)
    second = _own_service_document(w, target, phones=[{"id": phone_id, "service_id": str(target), "number": "+3292"}])
    _publish(w, "service", second, target)
    assert list(Phone.objects.filter(service_id=target).values_list("pk", "number")) == [(uuid.UUID(phone_id), "+3292")]


# --- imports (an administrator's command, with a file from another system)


def _org_document(w: World) -> dict[str, Any]:
    return {"id": str(hsds.record_id(w.org)), "name": w.org.name, "description": "Wij"}


def test_an_import_refuses_a_service_given_twice_with_different_values(w: World) -> None:
    sid = str(uuid.uuid4())
    service = {"id": sid, "name": "Eerst", "status": "active", "organization_id": str(hsds.record_id(w.org))}
    with pytest.raises(hsds.HsdsError, match=r"record 3 .*twice with different values \(first at record 2"):
        hsds.import_dataset(json.dumps([_org_document(w), service, {**service, "name": "Daarna"}]))
    assert not Service.objects.filter(pk=sid).exists(), "nothing of the file is written"
    report = hsds.import_dataset(json.dumps([_org_document(w), service, service]))  # the same twice is fine
    assert report.added == {"service": 1} and Service.objects.get(pk=sid).name == "Eerst"


def test_an_import_does_not_move_another_organisations_service_or_its_phone(w: World) -> None:
    theirs, sal, phone, schedule, contact = _their_service(w)
    before = _rows(theirs, sal, phone, schedule, contact)
    ours = str(uuid.uuid4())
    own = str(hsds.record_id(w.org))
    for service in (
        {"id": str(theirs.pk), "name": "Overgenomen", "status": "active", "organization_id": own},
        {"id": ours, "name": "Onze", "status": "active", "organization_id": own,
         "phones": [{"id": str(phone.pk), "service_id": ours, "number": "+3299999999"}]},
    ):  # fmt: skip
        with pytest.raises(hsds.HsdsError, match="another organisation"):
            hsds.import_dataset(json.dumps([_org_document(w), service]))
    assert _rows(theirs, sal, phone, schedule, contact) == before
    assert not Service.objects.filter(pk=ours).exists()


def test_an_import_nested_too_deeply_is_one_message() -> None:
    for text in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        with pytest.raises(hsds.HsdsError, match="nested too deeply"):
            hsds.import_dataset(text)


def test_a_change_whose_document_names_another_record_than_its_own_is_refused(w: World) -> None:
    """The reviewer is shown the record of the revision's target; publishing writes the document's id.  A forged
    document naming another of the organisation's records would be reviewed as "a new record" and overwrite that
    one: refused when saved, and again when published (a revision made some other way)."""
    ours = published_service(w.org, "Onze bestaande dienst")
    before = _rows(ours)
    target = uuid.uuid4()
    staff = actor_for_user(w.staff.user)
    document = {"id": str(ours.pk), "name": "Stilletjes overschreven", "status": "active"}
    with translation.override("en"), pytest.raises(ValidationError, match="names another record"):
        records.revision_save(actor=staff, organisation=w.org, kind="service", target=target, document=document)
    revision = Revision.objects.create(kind="service", target=target, organisation=w.org, document=document,
                                       status=Revision.Status.UNDER_REVIEW)  # fmt: skip
    with translation.override("en"), pytest.raises(ValidationError, match="names another record"):
        records.revision_publish(actor=actor_for_user(w.reviewer.user), revision=revision)
    assert _rows(ours) == before
