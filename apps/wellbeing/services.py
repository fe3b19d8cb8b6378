"""Wellbeing: the writes, one transaction each (``<entity>_<action>``, keyword-only).

A neighbour's report (item 3): ``report_create`` counts it against the limits per network and per address in
its own transaction (``rate_take``), so a refused report stores nothing and twenty posts at once cannot pass a
limit; ``report_pick_up`` and ``report_open_case`` lock the report, and the one message to the reporter is
guarded by a conditional update of ``reporter_told_at``, so it leaves at most once whatever happens at once.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.rules import can
from apps.core.tasks import send_sms
from apps.people.models import Person
from apps.people.phones import is_mobile
from apps.places.models import District

from .models import OutreachCase, RateBucket, WorryReport

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
NETWORK = "report_network"
ADDRESS = "report_address"


class RateLimited(Exception):
    """A report over the limit of its sender's network (``scope`` is ``NETWORK``)."""

    def __init__(self, scope: str) -> None:
        super().__init__(scope)
        self.scope = scope


def window_start(now: datetime, window: timedelta) -> datetime:
    """The start of the fixed window ``now`` falls in (windows counted from 2000-01-01 UTC)."""
    return EPOCH + ((now - EPOCH) // window) * window


def rate_take(*, scope: str, key: str, limit: int, window: timedelta, now: datetime | None = None) -> bool:
    """Count one for ``key`` in the current window if it is still under ``limit``; whether it was counted.

    Call inside the transaction of what is counted: the conditional update holds the counter's row until it
    commits, so of many at once exactly ``limit`` pass (PostgreSQL re-reads the row after the lock), and a
    rollback gives the count back."""
    start = window_start(now or timezone.now(), window)
    RateBucket.objects.bulk_create(
        [RateBucket(scope=scope, key=key, window_start=start, count=0)], ignore_conflicts=True
    )
    counted = RateBucket.objects.filter(scope=scope, key=key, window_start=start, count__lt=limit).update(
        count=F("count") + 1
    )
    return counted == 1


def address_key(street: str, house_number: str, postal_code: str) -> str:
    """The address reported, as a keyed hash (the counter never holds the address itself)."""
    text = "|".join(part.strip().casefold() for part in (street, house_number, postal_code))
    return hmac.new(settings.SECRET_KEY.encode(), f"worry-address:{text}".encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class ReportInput:
    """What the form found valid: who (an address located in a district, or a description and a chosen
    district), what was noticed, and how to reach the reporter (all optional)."""

    district: District
    district_chosen: bool = False
    street: str = ""
    house_number: str = ""
    postal_code: str = ""
    description: str = ""
    signs: list[str] = field(default_factory=list)
    noticed: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    language: str = "nl"


def report_create(*, data: ReportInput, network: str, now: datetime | None = None) -> WorryReport | None:
    """Store a neighbour's report, if neither the sender's network nor the address is over its limit.

    Over the network's limit: ``RateLimited`` (nothing stored, nothing counted), and the page says so.  Over the
    address's limit: ``None``, nothing stored, but the network's count stays taken; the page answers as for a
    stored report, because "this address was reported often" would tell the sender something about the person.
    No action follows a report on its own: it waits for a coordinator of its district."""
    now = now or timezone.now()
    with transaction.atomic():
        # always in this order (network, then address), so two reports at once never wait on each other crosswise
        if not rate_take(
            scope=NETWORK, key=network or "unknown", limit=settings.WELLBEING_REPORTS_PER_NETWORK,
            window=timedelta(hours=24), now=now,
        ):  # fmt: skip
            raise RateLimited(NETWORK)
        if data.street and not rate_take(
            scope=ADDRESS, key=address_key(data.street, data.house_number, data.postal_code),
            limit=settings.WELLBEING_REPORTS_PER_ADDRESS,
            window=timedelta(days=settings.WELLBEING_REPORT_ADDRESS_WINDOW_DAYS), now=now,
        ):  # fmt: skip
            return None
        return WorryReport.objects.create(
            street=data.street, house_number=data.house_number, postal_code=data.postal_code,
            description=data.description, district=data.district, district_chosen=data.district_chosen,
            signs=list(data.signs), noticed=data.noticed, reporter_name=data.reporter_name,
            reporter_phone=data.reporter_phone, reporter_email=data.reporter_email, language=data.language,
            created_at=now,
        )  # fmt: skip


def _reporter_channel(report: WorryReport) -> str:
    """How the one message can reach the reporter: ``sms`` to a mobile number, else ``email``, else ``""``."""
    if report.reporter_phone and is_mobile(report.reporter_phone):
        return "sms"
    return "email" if report.reporter_email else ""


def _tell_reporter(report: WorryReport, now: datetime) -> bool:
    """The one message "your report was picked up", if the reporter left a contact and was not told yet.

    Guarded by a conditional update, so it leaves once even if two coordinators press at the same moment; by
    SMS to a mobile number, else by email; never a detail of the report or of the person.  A landline alone gets
    no message (the coordinator may call back)."""
    channel = _reporter_channel(report)
    if not channel:
        return False
    if not WorryReport.objects.filter(pk=report.pk, reporter_told_at__isnull=True).update(reporter_told_at=now):
        return False
    with translation.override(report.language or settings.LANGUAGE_CODE):
        text = _(
            "Thank you for your report about a neighbour. A coordinator of the city has picked it up. We tell you "
            "nothing more, to protect your neighbour's privacy."
        )
        if channel == "sms":
            send_sms(to=report.reporter_phone, text=text)
        else:
            subject = _("Your report was picked up")
            send_mail(subject=subject, message=text, from_email=None, recipient_list=[report.reporter_email])
    return True


def _locked(report: WorryReport, actor: Actor) -> WorryReport:
    locked = WorryReport.objects.select_for_update().get(pk=report.pk)
    if not can(actor, "wellbeing.handle_report", locked):
        raise PermissionDenied
    return locked


def _pick_up(report: WorryReport, actor: Actor, now: datetime) -> None:
    if report.status == WorryReport.Status.NEW:
        report.status = WorryReport.Status.PICKED_UP
        report.picked_up_by_id = actor.person_id
        report.picked_up_at = now
        report.save(update_fields=["status", "picked_up_by", "picked_up_at"])


def report_pick_up(*, actor: Actor, report: WorryReport, now: datetime | None = None) -> bool:
    """A coordinator of the report's district takes it on; whether the reporter was told (at most once ever)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(report, actor)
        if locked.status != WorryReport.Status.NEW:
            raise ValidationError(_("This report was already picked up."), code="picked_up")
        _pick_up(locked, actor, now)
        return _tell_reporter(locked, now)


def report_open_case(*, actor: Actor, report: WorryReport, now: datetime | None = None) -> OutreachCase:
    """Open an outreach case from a report, assigned to the coordinator who opens it (picking the report up,
    and telling the reporter, if that was not done yet).  The person is not known yet: the case says where."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(report, actor)
        if locked.status == WorryReport.Status.CASE_OPENED:
            raise ValidationError(_("An outreach case was already opened from this report."), code="case_opened")
        _pick_up(locked, actor, now)
        coordinator = Person.objects.get(pk=actor.person_id)
        case = OutreachCase.objects.create(
            district_id=locked.district_id, assigned_to=coordinator, origin=OutreachCase.Origin.REPORT,
            report=locked, created_by=coordinator, created_at=now,
        )  # fmt: skip
        locked.status = WorryReport.Status.CASE_OPENED
        locked.save(update_fields=["status"])
        _tell_reporter(locked, now)
        return case
