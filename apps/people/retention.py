"""How long the people app keeps withdrawn consents, care needs and changes of place (``RETENTION_DAYS``).

Declared in ``apps/people/capability.py``; the daily retention task (``apps/access/retention.py``) applies them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Retention

from .models import Consent, Person, PlaceChange


def _days(kind: str) -> int:
    return int(settings.RETENTION_DAYS[kind])


def withdrawn_consents_purge(now: datetime) -> int:
    """A withdrawn consent is kept a while as proof of what was agreed and when; then it goes."""
    deleted, _by_model = Consent.objects.filter(
        withdrawn_at__lt=now - timedelta(days=_days("withdrawn_consents"))
    ).delete()
    return int(deleted)


def support_needs_clear(now: datetime) -> int:
    """Care needs written in a record that nobody changed for so long are no longer current: they are emptied."""
    before = now - timedelta(days=_days("support_needs_inactive"))
    old = Person.objects.filter(updated_at__lt=before).exclude(Q(support_needs="") | Q(support_needs__isnull=True))
    return int(old.update(support_needs=""))


def place_changes_purge(now: datetime) -> int:
    """The daily limit needs a day of them; the auditor's activity view reads them as long as the access log."""
    deleted, _by_model = PlaceChange.objects.filter(at__lt=now - timedelta(days=_days("place_changes"))).delete()
    return int(deleted)


RETENTION = (
    Retention(
        "withdrawn_consents",
        days=lambda: _days("withdrawn_consents"),
        apply=withdrawn_consents_purge,
        what=_("Withdrawn consents"),
    ),
    Retention(
        "support_needs_inactive",
        days=lambda: _days("support_needs_inactive"),
        apply=support_needs_clear,
        what=_("The help someone needs, when their record has not changed for a long time"),
    ),
    Retention(
        "place_changes",
        days=lambda: _days("place_changes"),
        apply=place_changes_purge,
        what=_("Changes of home address and of how far a helper travels"),
    ),
)
"""Declared in ``apps/people/capability.py``."""
