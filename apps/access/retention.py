"""Retention periods per kind of data (``RETENTION_DAYS``), applied in one transaction each."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from apps.care.privacy import clear_closed_requests
from apps.people.models import Consent, Person, PlaceChange

from .services import access_log_purge, security_events_purge


def apply_retention(*, now: datetime) -> dict[str, int]:
    days = settings.RETENTION_DAYS
    consents_before = now - timedelta(days=days["withdrawn_consents"])
    withdrawn, _ = Consent.objects.filter(withdrawn_at__lt=consents_before).delete()
    needs_before = now - timedelta(days=days["support_needs_inactive"])
    cleared = (
        Person.objects.filter(updated_at__lt=needs_before)
        .exclude(Q(support_needs="") | Q(support_needs__isnull=True))
        .update(support_needs="")
    )
    # the limit needs a day of them; the auditor's activity view reads them as long as the access log
    places, _ = PlaceChange.objects.filter(at__lt=now - timedelta(days=days["place_changes"])).delete()
    return {
        "place_changes": places,
        "care_closed_requests": clear_closed_requests(before=now - timedelta(days=days["care_closed_requests"])),
        "access_log": access_log_purge(now=now),
        "security_events": security_events_purge(now=now),
        "withdrawn_consents": withdrawn,
        "support_needs_inactive": cleared,
    }
