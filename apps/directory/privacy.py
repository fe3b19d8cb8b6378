"""What the directory holds about a person (their referrals to services), for export and erasure, and which
of its fields are special-category data.

A referral says that a person needed professional help, from which kind of service, in the coordinator's
words (``need``), with a copy of what was passed on (``shared``), and why a service declined or a step was
taken (``status_reason``, ``ReferralEvent.note``): GDPR art. 9 data.  Declared once here
(``apps/access/special_category.py``): the admin cannot search, filter or order on them, an export for anyone
but the person carries them only where ``directory.view_referral`` allows, and erasure empties them.

Erasure keeps each referral's row (service, organisation, district, status, dates), so the counts per service
and district stay, and withdraws the ones still open, so no organisation goes on working from them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from apps.access import special_category
from apps.access.privacy import PersonalDataSource, Rows
from apps.access.special_category import Reader

from .models import Referral, ReferralEvent

ART9 = "GDPR art. 9: says something about a person's health or dependency"
CLOSED = (Referral.Status.DECLINED, Referral.Status.COMPLETED, Referral.Status.NO_ANSWER, Referral.Status.WITHDRAWN)


def declare_special_category() -> None:
    """The directory's special-category fields, declared once (called from ``apps.py``)."""
    special_category.declare(
        Referral, fields=["service", "service_at_location", "need", "shared", "status_reason"],
        rule="directory.view_referral", subjects=["person"],
        why=f"{ART9}: that a person was referred to a care or welfare service (a mental-health contact point, home "
            "nursing…), what they need, what was passed on and why a service declined",
        kept={
            "service": "counts per service and district stay; the row no longer names anyone",
            "service_at_location": "as the service: counts per location stay",
        },
    )  # fmt: skip
    special_category.declare(
        ReferralEvent, fields=["note"], rule="directory.view_referral", rule_on="referral",
        subjects=["referral__person"], why=f"{ART9}: the notes of the service and the coordinator on a referral",
    )  # fmt: skip


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _referral_row(referral: Referral, reader: Reader) -> dict[str, Any]:
    shown = reader.may_read(referral)
    withheld = special_category.WITHHELD
    location = str(referral.service_at_location.location) if referral.service_at_location else None
    return {  # to which service a person was referred is declared too: withheld with the texts
        "id": referral.pk,
        "service": referral.service.name if shown else withheld,
        "organisation": referral.organisation.name if shown else withheld,
        "location": location if shown else withheld,
        "origin": referral.origin,
        "status": referral.status,
        "need": referral.need if shown else withheld,
        "passed_on": referral.shared if shown else withheld,
        "reason": referral.status_reason if shown else withheld,
        "answer_due": _value(referral.answer_due),
        "sent_at": _value(referral.created_at),
        "consent_given_at": _value(referral.consent.given_at),
        "steps": [
            {"status": e.status, "at": _value(e.at), "note": e.note if shown else withheld}
            for e in referral.events.all()
        ],
    }


def export(person: Any, reader: Reader) -> dict[str, Rows]:
    """The person's referrals with their steps; declared fields only where the reader may read them."""
    referrals = (
        Referral.objects.filter(person=person)
        .select_related("service", "organisation", "service_at_location__location", "consent", "person")
        .prefetch_related("events")
        .order_by("created_at", "pk")
    )
    return {"referrals": [_referral_row(r, reader) for r in referrals]}


def erase(person: Any) -> None:
    """Withdraw the person's open referrals, then empty every text (``erase_declared`` repeats the last part
    for any field declared later)."""
    now = timezone.now()
    open_referrals = Referral.objects.filter(person=person, status__in=Referral.OPEN)
    for referral in open_referrals:
        ReferralEvent.objects.create(referral=referral, status=Referral.Status.WITHDRAWN, at=now)
    open_referrals.update(status=Referral.Status.WITHDRAWN, updated_at=now)
    Referral.objects.filter(person=person).update(need="", shared={}, status_reason="")
    ReferralEvent.objects.filter(referral__person=person).exclude(note="").update(note="")


def clear_closed_referrals(*, before: datetime) -> int:
    """Retention: referrals closed (last changed) before ``before`` lose their texts; rows and steps stay."""
    old = Referral.objects.filter(status__in=CLOSED, updated_at__lt=before)
    ReferralEvent.objects.filter(referral__in=old).exclude(note="").update(note="")
    return int(
        old.filter(~Q(need="") | ~Q(shared={}) | ~Q(status_reason="")).update(need="", shared={}, status_reason="")
    )


SOURCE = PersonalDataSource(name="directory", export=export, erase=erase)
