"""Reads of the access log, for auditors and for the person concerned."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .activity import Report, activity_report
from .labels import purpose_codes
from .models import AccessLogEntry
from .services import log_request_access


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
    """Entries for the person whose data was read, each with ``reader``: who read it, in words the person can
    place.  A fellow resident (a helper): first name and the initial of the last name, as the coordinator's
    pages name them.  A coordinator: first name and organisation (the organisation of their grant, else the
    city).  Other staff: their organisation only (organisation staff) or the city, never a name.  Two
    queries, whatever the number of entries."""
    from apps.people.models import Person, Role, RoleAssignment
    from apps.people.rules import STAFF_ROLES

    found = list(entries)
    ids = {e.actor_person_id for e in found if e.actor_person_id is not None}
    people = Person.objects.filter(pk__in=ids, erased_at__isnull=True).only("first_name", "last_name")
    names = {
        p.pk: (p.first_name, f"{p.first_name} {p.last_name[:1]}." if p.last_name else p.first_name) for p in people
    }
    grants: dict[tuple[int, str], str] = {}
    staff = {(e.actor_person_id, e.actor_role) for e in found if e.actor_person_id and e.actor_role in STAFF_ROLES}
    if staff:
        held = (
            RoleAssignment.objects.filter(person_id__in={pk for pk, _role in staff}, organisation__isnull=False)
            .select_related("organisation")
            # a grant still held first (no withdrawal: NULL first on every database), then the newest
            .order_by(F("withdrawn_at").asc(nulls_first=True), "-granted_at")
        )
        for grant in held:
            grants.setdefault((grant.person_id, grant.role), grant.organisation.name)  # type: ignore[union-attr]
    city = _("City of %(city)s") % {"city": settings.CITY_NAME}
    for entry in found:
        first, short = names.get(entry.actor_person_id or 0, ("", ""))
        if entry.actor_role not in STAFF_ROLES:
            reader = short
        else:
            where = grants.get((entry.actor_person_id or 0, entry.actor_role), city)
            reader = f"{first}, {where}" if entry.actor_role == Role.COORDINATOR and first else where
        entry.reader = reader  # type: ignore[attr-defined]
    return found


def search_summary(filters: dict[str, Any]) -> str:
    """The filters of a search, short enough for the log's record field (ids, codes and dates only)."""
    return " ".join(f"{key}={value}" for key, value in filters.items() if value not in (None, ""))[:60] or "all"


def log_search_logged(
    request: HttpRequest, filters: dict[str, Any], *, allowed: bool = True
) -> QuerySet[AccessLogEntry]:
    """The auditor's search (page or API), itself written down: who searched whose reads.  A refused search
    (``allowed=False``) is written down as refused, and finds nothing."""
    log_request_access(
        request,
        subject_person_id=None,
        record_type="access.log",
        record_id=search_summary(filters),
        action=AccessLogEntry.Action.LIST,
        purpose="access.search_log",
        allowed=allowed,
    )
    return access_log_search(filters) if allowed else AccessLogEntry.objects.none()


def activity_logged(request: HttpRequest, *, since: date, until: date) -> Report:
    """The activity of every account per day (page or API), its reading written down like any other."""
    report = activity_report(since=since, until=until)
    log_request_access(
        request,
        subject_person_id=None,
        record_type="access.activity",
        record_id=f"{since.isoformat()}..{until.isoformat()}",
        action=AccessLogEntry.Action.LIST,
        purpose="access.view_activity",
        allowed=True,
    )
    return report
