"""Reads of the access log, for auditors and for the person concerned."""

from __future__ import annotations

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
