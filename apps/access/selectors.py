"""Reads of the access log, for auditors and for the person concerned."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from .labels import purpose_codes
from .models import AccessLogEntry


def access_log_search(filters: dict[str, Any]) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.all()
    if filters.get("subject"):
        entries = entries.filter(subject_person_id=filters["subject"])
    if filters.get("actor"):
        entries = entries.filter(actor_user_id=filters["actor"])
    if filters.get("role"):
        entries = entries.filter(actor_role=filters["role"])
    if filters.get("purpose"):
        entries = entries.filter(purpose__in=purpose_codes(filters["purpose"]))
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("outcome"):
        entries = entries.filter(outcome=filters["outcome"])
    if filters.get("since"):
        entries = entries.filter(at__date__gte=filters["since"])
    if filters.get("until"):
        entries = entries.filter(at__date__lte=filters["until"])
    return entries.order_by("-at", "-id")


def with_reader_names(entries: Iterable[AccessLogEntry]) -> list[AccessLogEntry]:
    """Entries for the person whose data was read, each with ``reader``: the name of a fellow resident who
    read it (a helper: first name and the initial of the last name, as the coordinator's pages name them),
    empty for staff, who are named by their role only.  The person is always told which helper saw them."""
    from apps.people.models import Person

    from .rules import STAFF_ROLES

    found = list(entries)
    ids = {e.actor_person_id for e in found if e.actor_person_id is not None and e.actor_role not in STAFF_ROLES}
    people = Person.objects.filter(pk__in=ids, erased_at__isnull=True).only("first_name", "last_name")
    names = {p.pk: f"{p.first_name} {p.last_name[:1]}." if p.last_name else p.first_name for p in people}
    for entry in found:
        entry.reader = names.get(entry.actor_person_id or 0, "")  # type: ignore[attr-defined]
    return found
