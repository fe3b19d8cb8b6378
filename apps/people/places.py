"""Changes of where one lives and how far one travels: limited per day and written down.

Which requests for help a helper is shown depends on their home and their reach.  Someone who moves
them again and again, watching which requests come and go, learns where the requests are (the attack
of issue 12; the shown position of a request, ``apps/care/position.py``, is the real defence).  So a
person's own changes of either are limited (``settings.PLACE_CHANGES_PER_DAY``, per kind, over the last
24 hours), and every change, by the person or by a coordinator on their behalf, is recorded in
:class:`~apps.people.models.PlaceChange` with coarse old and new values, for the auditor.

The count is made in the database under a lock on the person's row (``select_for_update``; SQLite's
transactions take the write lock at their start), so twenty changes sent at once cannot all pass.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access import activity
from apps.access.actors import Actor
from apps.access.models import AccessLogEntry
from apps.access.services import _entry
from apps.core import formats as shown

from .models import Person, PlaceChange

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)


def per_day(kind: str) -> int:
    """How many changes of this kind a person may make themselves in 24 hours."""
    limits: dict[str, Any] = settings.PLACE_CHANGES_PER_DAY
    return max(1, int(limits.get(kind, 3)))


def coarse_home(person: Any) -> str:
    """A home as the record keeps it: the district and the postcode, never the street or the number."""
    district = getattr(person, "district", None)
    if district is None and not person.postcode:
        return ""
    where = f"{district.number} {district.name}" if district is not None else ""
    return ", ".join(part for part in (where, person.postcode) if part)


def coarse_reach(km: Any) -> str:
    return "" if km is None else f"{float(km):.1f} km"


def _refusal(kind: str, limit: int, again: Any) -> ValidationError:
    when = shown.moment(again)  # "di 8 dec, 14:57"
    if kind == PlaceChange.Kind.HOME:
        message = _(
            "You have already changed your address %(count)s times in the last 24 hours. You can change it "
            "again from %(when)s. Is it urgent? Call your coordinator."
        )
    else:
        message = _(
            "You have already changed how far you travel %(count)s times in the last 24 hours. You can change "
            "it again from %(when)s."
        )
    return ValidationError(message % {"count": limit, "when": when}, code="limit")


def place_change_record(*, actor: Actor, person: Person, kind: str, before: str, after: str, via: str = "") -> None:
    """Count and record one change of ``person``'s home or reach; refuse the person's own change beyond the limit.

    Call it only when the value really changes (a move within one district counts, though its coarse
    values look the same), inside the transaction that makes the change and before saving it: a refusal
    raises a ``ValidationError`` (code ``limit``) and nothing is changed.  A coordinator's change on
    someone's behalf is recorded, never refused (they correct an address on the phone).
    """
    if kind not in PlaceChange.Kind.values:
        raise ValueError(f"unknown kind {kind!r}")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()
        now = timezone.now()
        own = actor.person_id is not None and actor.person_id == person.pk
        if own:
            limit = per_day(kind)
            recent = list(
                PlaceChange.objects.filter(person=person, kind=kind, at__gt=now - WINDOW, actor_person_id=person.pk)
                .order_by("-at")
                .values_list("at", flat=True)[:limit]
            )
            if len(recent) >= limit:
                logger.warning("change of %s refused for person %s: %s in 24 hours", kind, person.pk, len(recent))
                raise _refusal(kind, limit, recent[-1] + WINDOW)
        change = PlaceChange.objects.create(
            person=person,
            actor_person_id=actor.person_id,
            actor_user_id=actor.user_id,
            kind=kind,
            at=now,
            before=before[:120],
            after=after[:120],
            via=via[:200],
        )
        if not own:
            # someone else's change of where a person lives is in the access log too, which the person
            # reads ("who read my data"): the change's number and the coarsest values (district number, km)
            entry = _entry(
                actor, person.pk, "people.PlaceChange", f"{change.pk} {kind} {_short(before)} → {_short(after)}"[:60],
                action=AccessLogEntry.Action.CHANGE, purpose=f"people.change_{kind}", via=via[:200],
            )  # fmt: skip
            entry.save(force_insert=True)


def _short(value: str) -> str:
    """A coarse value for the access log: a district's number (not its name, not the postcode), or km."""
    return value.split(" ", 1)[0] if value and not value.endswith(" km") else (value or "-")


def _own_changes(start: datetime, end: datetime) -> activity.Counts:
    own = PlaceChange.objects.filter(at__gte=start, at__lt=end, actor_user_id__isnull=False)
    return activity.per_day(own.filter(actor_person_id=F("person_id")), "actor_user_id", Count("id"))


def register_activity() -> None:
    """The auditor's activity view counts each account's changes of its own home and reach per day."""
    activity.register(
        activity.ActivitySource(
            "place_changes",
            gettext_lazy("Home or reach changed"),
            gettext_lazy(
                "How often the account changed its own home address or how far it travels to help. Many "
                "changes can mean someone tries to find where a request for help is."
            ),
            _own_changes,
            order=40,
            threshold=4,
        )
    )
