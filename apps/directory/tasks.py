"""Background work of the directory: the daily reminder to check published records.

Tasks take plain data and are queued on commit.  As in care and retention, the daily task queues its own next
run (django-tasks has no clock); ``schedule_directory_daily`` (the management command of the same name, run at
start like ``schedule_care_daily``) makes sure exactly one run is waiting.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

DAY = timedelta(days=1)
logger = logging.getLogger(__name__)


def _language(person: Any) -> str:
    """The person's language (the account's, else the platform's default), as care's messages choose it."""
    return getattr(getattr(person, "user", None), "language", None) or settings.LANGUAGE_CODE


def _due(model: Any, organisation_id: int | None, now: datetime) -> Any:
    """Published records (of one organisation, or of every active one) not checked for long enough and not
    reminded of lately."""
    from .records import unchecked

    remind_before = now - timedelta(days=settings.DIRECTORY_REMIND_EVERY_DAYS)
    found = model.objects.filter(organisation__active=True)
    if organisation_id is not None:
        found = found.filter(organisation_id=organisation_id)
    return unchecked(found, now).filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=remind_before))


def remind_organisation(organisation_id: int, now: datetime) -> int:
    """Email the staff of one organisation about its records to check; returns how many records it named.

    The records are locked and their ``reminded_at`` written in the same transaction as the mail is queued
    (the mail leaves on commit), so two runs at once never send it twice.
    """
    from apps.people.models import Person, Role

    from .models import Location, OrganisationRecord, Service

    with transaction.atomic():
        due = {model: list(_due(model, organisation_id, now).select_for_update(of=("self",))) for model in
               (Service, Location, OrganisationRecord)}  # fmt: skip
        count = sum(len(found) for found in due.values())
        if not count:
            return 0
        staff = Person.objects.filter(
            roles__role=Role.ORGANISATION_STAFF, roles__organisation_id=organisation_id,
            roles__withdrawn_at__isnull=True, erased_at__isnull=True,
        ).exclude(email="").select_related("user").distinct()  # fmt: skip
        names = [str(record) for found in due.values() for record in found]
        for person in staff:
            _send(person, organisation_id, names)
        for model, found in due.items():
            model.objects.filter(pk__in=[r.pk for r in found]).update(reminded_at=now)
    return count


def _send(person: Any, organisation_id: int, names: list[str]) -> None:
    with translation.override(_language(person)):
        link = settings.SITE_URL.rstrip("/") + reverse("directory:manage") + f"?organisation={organisation_id}"
        subject = ngettext(
            "One record in the directory to check", "%(n)d records in the directory to check", len(names)
        ) % {"n": len(names)}
        body = "\n".join([
            _("Hello %(name)s,") % {"name": person.first_name},
            "",
            _("These records of your organisation were not checked for %(days)d days:") % {
                "days": settings.DIRECTORY_CHECK_AFTER_DAYS
            },
            *[f"- {name}" for name in names[:30]],
            "",
            _("Please look at them. If nothing changed, press “Still correct”; otherwise change what is no longer "
              "right and send it for review."),
            link,
        ])  # fmt: skip
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[person.email])


def send_check_reminders(*, now: datetime | None = None) -> int:
    """Remind every organisation with records to check (at most once per ``DIRECTORY_REMIND_EVERY_DAYS``)."""
    from .models import Location, OrganisationRecord, Service

    now = now or timezone.now()
    organisations: set[int] = set()
    for model in (Service, Location, OrganisationRecord):
        organisations.update(_due(model, None, now).values_list("organisation_id", flat=True).distinct())
    return sum(remind_organisation(pk, now) for pk in sorted(organisations))


@task()
def directory_daily() -> dict[str, int]:
    """Every day: the reminders to check; tomorrow's run is queued whatever happens."""
    try:
        return {"reminded": send_check_reminders()}
    finally:
        transaction.on_commit(lambda: directory_daily.using(run_after=timezone.now() + DAY).enqueue())


def directory_daily_is_scheduled() -> bool:
    from django_tasks_db.models import DBTaskResult

    name = f"{directory_daily.func.__module__}.{directory_daily.func.__qualname__}"
    return DBTaskResult.objects.filter(task_path=name, status__in=["READY", "RUNNING"]).exists()


def schedule_directory_daily() -> bool:
    """Queue the daily directory run unless one is already waiting; returns whether it queued one."""
    if directory_daily_is_scheduled():
        return False
    directory_daily.enqueue()
    return True
