"""What the people app holds about a person, for export and erasure."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.access import special_category
from apps.access.models import AccessLogEntry
from apps.access.privacy import PersonalDataSource, Rows
from apps.access.special_category import Reader

from .models import Person, PlaceChange


def declare_special_category() -> None:
    """The people app's special-category field (``apps/access/special_category.py``)."""
    special_category.declare(
        Person, fields=["support_needs"], rule="people.view_support_needs", subjects=[""],
        why="GDPR art. 9: the help a person needs, as told to a coordinator, says something about their health",
    )  # fmt: skip


PERSON_FIELDS = [
    "id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "street",
    "house_number",
    "postcode",
    "lat",
    "lon",
    "languages",
    "birth_date",
    "contact_preference",
    "support_needs",
    "created_at",
    "updated_at",
]


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export(person: Person, reader: Reader) -> dict[str, Rows]:
    me = {name: _value(reader.value(person, name)) for name in PERSON_FIELDS}
    me["district"] = person.district.name if person.district else None
    me["organisation"] = person.organisation.name if person.organisation else None
    consents = [
        {
            "purpose": c.purpose,
            "method": c.method,
            "text_version": c.text_version,
            "given_at": _value(c.given_at),
            "withdrawn_at": _value(c.withdrawn_at),
        }
        for c in person.consents.order_by("given_at")
    ]
    roles = [
        {
            "role": r.role,
            "district": r.district.name if r.district else None,
            "place": r.place.name if r.place else None,
            "organisation": r.organisation.name if r.organisation else None,
            "granted_at": _value(r.granted_at),
            "withdrawn_at": _value(r.withdrawn_at),
        }
        for r in person.roles.select_related("district", "place", "organisation").order_by("granted_at")
    ]
    reads = [
        {
            "at": _value(e.at),
            "role": e.actor_role,
            "record": e.record_type,
            "action": e.action,
            "purpose": e.purpose,
            "outcome": e.outcome,
        }
        for e in AccessLogEntry.objects.filter(subject_person_id=person.pk).order_by("at")
    ]
    mine = person.pk
    places = [
        {"what": c.kind, "at": _value(c.at), "before": c.before, "after": c.after, "by_me": c.actor_person_id == mine}
        for c in PlaceChange.objects.filter(person=person).order_by("at")
    ]
    return {
        "person": [me], "consents": consents, "roles": roles, "reads_of_my_data": reads,
        "changes_of_home_or_reach": places,
    }  # fmt: skip


def erase(person: Person) -> None:
    """Anonymise every personal field; keep district, organisation, dates and role/consent rows for statistics."""
    user_id = person.user_id
    Person.objects.filter(pk=person.pk).update(
        first_name="",
        last_name="",
        phone="",
        email="",
        street="",
        house_number="",
        postcode="",
        lat=None,
        lon=None,
        languages=[],
        birth_date=None,
        support_needs="",
        user=None,
        demo_key="",
        erased_at=timezone.now(),
    )
    PlaceChange.objects.filter(person=person).update(before="", after="", via="")  # when stays, not where
    if user_id is not None:
        get_user_model().objects.filter(pk=user_id).delete()


SOURCE = PersonalDataSource(name="people", export=export, erase=erase)
