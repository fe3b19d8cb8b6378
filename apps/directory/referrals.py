"""Writes of referrals: a person handed over to a service, with their consent, and what became of it.

Keyword-only, validated, one transaction each; bad input raises ``ValidationError`` (with a code the form
puts at its field) or ``PermissionDenied``, and changes nothing.  Two people may act on one referral at once
(the organisation's office worker and the coordinator, or two office workers): every status change locks the
referral row (``SELECT … FOR UPDATE``) and checks the transition again under the lock, so the history holds
one step per change and never two answers to one referral.

Who sets which status (``docs/referrals.md``):

- the receiving organisation: sent → received → accepted → completed; sent or received → declined (with a
  reason); sent → accepted in one step is allowed (an office worker who says yes at once);
- the coordinator: withdrawn (any open referral), no answer (waiting after the day it was due), and "send it
  elsewhere" (declined or no answer → a new referral to another service; the old one keeps its history);
- a withdrawn consent for sharing withdraws every open referral of the person (``referrals_withdraw_without_consent``).

Other apps follow a referral through the signal ``referral_changed`` (care keeps its own referral row of a
professional request in step): the directory imports no other capability.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.actors import Actor, Grant
from apps.access.rules import can
from apps.core import formats
from apps.core.inputs import MAX_INTEGER, unstorable_text
from apps.people.models import Consent, Person, Purpose, RoleAssignment
from apps.people.services import consent_give
from domain.directory.workdays import add_working_days

from .models import Referral, ReferralEvent, Service, ServiceAtLocation

referral_changed = Signal()
"""Sent inside the transaction after a referral was created or changed status: ``referral`` (the row as
saved), ``status`` (the new status), ``created`` (True for a new referral).  A receiver that raises undoes the
change."""

NEED_MAX = 2000
"""Characters of "what the person needs" (a few paragraphs)."""
REASON_MAX = 1000

SHAREABLE: dict[str, Any] = {
    "name": gettext_lazy("Name"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("Email"),
    "address": gettext_lazy("Address"),
    "birth_date": gettext_lazy("Date of birth"),
    "languages": gettext_lazy("Languages"),
    "need": gettext_lazy("What the person needs"),
    "contact_preference": gettext_lazy("How the person prefers to be contacted"),
}
"""What a coordinator may pass on, in the order shown; only what they tick is sent."""

ORGANISATION_STEPS: dict[str, tuple[str, ...]] = {
    Referral.Status.SENT: (Referral.Status.RECEIVED, Referral.Status.ACCEPTED, Referral.Status.DECLINED),
    Referral.Status.RECEIVED: (Referral.Status.ACCEPTED, Referral.Status.DECLINED),
    Referral.Status.ACCEPTED: (Referral.Status.COMPLETED,),
}
"""The statuses the receiving organisation may set, from each status."""

COORDINATOR_STEPS: dict[str, tuple[str, ...]] = {
    Referral.Status.SENT: (Referral.Status.WITHDRAWN, Referral.Status.NO_ANSWER),
    Referral.Status.RECEIVED: (Referral.Status.WITHDRAWN, Referral.Status.NO_ANSWER),
    Referral.Status.ACCEPTED: (Referral.Status.WITHDRAWN,),
}
"""The statuses the coordinator may set ("no answer" only once the answer is overdue)."""

NOTE_CONSENT_WITHDRAWN = "system:consent_withdrawn"
NOTE_RESENT = "system:resent:"
"""System notes in the history, put in words when shown (``note_in_words``)."""


# --- what is passed on ----------------------------------------------------------------------------------


def shareable_values(person: Person, need: str) -> dict[str, Any]:
    """Every value a coordinator could pass on, as it would be sent (a snapshot: later changes to the person's
    record do not change what the service received)."""
    return {
        "name": f"{person.first_name} {person.last_name}".strip(),
        "phone": formats.phone(person.phone),
        "email": person.email,
        "address": formats.address(person) if person.street else "",
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "languages": list(person.languages or []),
        "need": need,
        "contact_preference": person.contact_preference or "",
    }


def shared_rows(shared: dict[str, Any]) -> list[tuple[str, str]]:
    """What was (or will be) passed on, as label and text in the reader's language: the same rows on the
    coordinator's "check before sending" step and on the organisation's page."""
    rows = []
    preferences = dict(Person.ContactPreference.choices)
    for key, label in SHAREABLE.items():
        if key not in shared:
            continue
        value = shared[key]
        if key == "languages":
            text = formats.language_names(value)
        elif key == "birth_date" and value:
            text = formats.day(_parse_day(value)) if _parse_day(value) else str(value)
        elif key == "contact_preference":
            text = str(preferences.get(value, value))
        else:
            text = str(value)
        rows.append((str(label), text or "–"))
    return rows


def _parse_day(value: str) -> Any:
    from datetime import date

    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


# --- who acts -------------------------------------------------------------------------------------------


def as_actor(actor_person: Actor | Person) -> Actor:
    """The actor of a write: an ``Actor`` as the pages have it, or a person (the demo, a command) whose active
    roles are read fresh."""
    if isinstance(actor_person, Actor):
        return actor_person
    grants = tuple(
        Grant(role, district_id, place_id, organisation_id)
        for role, district_id, place_id, organisation_id in RoleAssignment.objects.filter(
            person=actor_person, withdrawn_at__isnull=True
        ).values_list("role", "district_id", "place_id", "organisation_id")
    )
    return Actor(user_id=actor_person.user_id, person_id=actor_person.pk, grants=grants)


def _person_of(actor: Actor) -> Person | None:
    return Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None


# --- checks ---------------------------------------------------------------------------------------------


def _text(value: str, *, field: str, limit: int, required: bool, required_message: str = "") -> str:
    text = (value or "").strip()
    problem = unstorable_text(text)
    if problem is not None:
        raise ValidationError(problem, code=f"{field}_unstorable")
    if required and not text:
        raise ValidationError(required_message or _("This field is required."), code=f"{field}_required")
    if len(text) > limit:
        raise ValidationError(
            _("Keep it under %(limit)s characters (now %(length)s).") % {"limit": limit, "length": len(text)},
            code=f"{field}_too_long",
        )
    return text


def _check_service(service: Any, service_at_location: Any) -> tuple[Service, ServiceAtLocation | None]:
    live = (
        Service.objects.filter(pk=getattr(service, "pk", None), published_at__isnull=False,
                               status=Service.Status.ACTIVE).select_related("organisation").first()
        if isinstance(service, Service) else None
    )  # fmt: skip
    if live is None or not live.organisation.active:
        raise ValidationError(_("Choose a service from the directory: this one is not (or no longer) published."),
                              code="unknown_service")  # fmt: skip
    if service_at_location is None:
        return live, None
    place = (
        ServiceAtLocation.objects.filter(pk=getattr(service_at_location, "pk", None), service=live).first()
        if isinstance(service_at_location, ServiceAtLocation) else None
    )  # fmt: skip
    if place is None:
        raise ValidationError(_("Choose one of the places where this service is offered."), code="unknown_location")
    return live, place


def _check_not_open_already(person: Person, service: Service) -> None:
    """One open referral of a person to a service: a double click on "Send", a form sent again or two
    coordinators at once never hand the person over twice.  The person's row is locked first, so that on
    PostgreSQL a second transaction waits and then finds the first referral."""
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()
    open_one = Referral.objects.filter(person=person, service=service, status__in=Referral.OPEN).first()
    if open_one is not None:
        raise ValidationError(
            _("%(person)s already has an open referral to this service (referral %(number)s): look at it, or "
              "withdraw it first.") % {"person": person.first_name, "number": open_one.pk},
            code="already_open",
        )  # fmt: skip


def _check_origin(origin: str, origin_id: int | None) -> None:
    if origin not in Referral.Origin.values:
        raise ValidationError(_("Unknown reason for the referral."), code="unknown_origin")
    if origin_id is not None and (not isinstance(origin_id, int) or not 1 <= origin_id <= MAX_INTEGER):
        raise ValidationError(_("Unknown record to refer from."), code="unknown_origin")
    if origin == Referral.Origin.CARE_REQUEST and origin_id is None:
        raise ValidationError(_("Say which request for help this referral comes from."), code="unknown_origin")


def _check_fields(shared_fields: Any) -> list[str]:
    chosen = list(dict.fromkeys(shared_fields or ()))
    if any(key not in SHAREABLE for key in chosen):
        raise ValidationError(_("Choose only from the information listed."), code="shared_unknown")
    if not chosen:
        raise ValidationError(
            _("Tick at least one piece of information: the service needs to know whom to help."),
            code="shared_required",
        )
    return [key for key in SHAREABLE if key in chosen]


def _event(referral: Referral, status: str, by: Person | None, note: str = "") -> ReferralEvent:
    return ReferralEvent.objects.create(referral=referral, status=status, by=by, note=note, at=timezone.now())


# --- the writes -----------------------------------------------------------------------------------------


def answer_due_from(day: Any) -> Any:
    """The day an answer is expected: ``REFERRAL_ANSWER_WORKING_DAYS`` working days after ``day``."""
    return add_working_days(day, int(settings.REFERRAL_ANSWER_WORKING_DAYS))


@transaction.atomic
def referral_create(
    *,
    actor_person: Actor | Person,
    person: Person,
    service: Service,
    service_at_location: ServiceAtLocation | None = None,
    need: str,
    shared_fields: Any,
    origin: str = Referral.Origin.COORDINATOR,
    origin_id: int | None = None,
    consent_method: str = Consent.Method.PHONE,
) -> Referral:
    """Refer a person the actor coordinates: the consent for sharing first (an active one is reused), then
    the referral with a snapshot of only the ticked information, due in N working days, and its first step."""
    actor = as_actor(actor_person)
    if not can(actor, "directory.refer", person):
        raise PermissionDenied
    live, place = _check_service(service, service_at_location)
    _check_not_open_already(person, live)
    need_text = _text(need, field="need", limit=NEED_MAX, required=True,
                      required_message=_("Say what the person needs from the service."))  # fmt: skip
    chosen = _check_fields(shared_fields)
    _check_origin(origin, origin_id)
    if consent_method not in Consent.Method.values:
        raise ValidationError(_("Say how the person gave their consent."), code="consent_method")
    consent = consent_give(actor=actor, person=person, purpose=Purpose.SHARE_WITH_SERVICE, method=consent_method)
    values = shareable_values(person, need_text)
    now = timezone.now()
    referral = Referral.objects.create(
        person=person, service=live, service_at_location=place, organisation=live.organisation,
        district_id=person.district_id, origin=origin, origin_id=origin_id, consent=consent, need=need_text,
        shared={key: values[key] for key in chosen}, status=Referral.Status.SENT,
        answer_due=answer_due_from(timezone.localdate(now)), created_by=_person_of(actor), created_at=now,
        updated_at=now,
    )  # fmt: skip
    _event(referral, Referral.Status.SENT, referral.created_by)
    referral_changed.send(sender=Referral, referral=referral, status=referral.status, created=True)
    return referral


@dataclass(frozen=True)
class Side:
    """Whether the actor answers as the receiving organisation or follows up as the coordinator."""

    organisation: bool
    coordinator: bool


def side_of(actor: Actor, referral: Referral) -> Side:
    return Side(
        organisation=can(actor, "directory.answer_referral", referral),
        coordinator=can(actor, "directory.manage_referral", referral),
    )


def next_statuses(actor: Actor, referral: Referral) -> list[str]:
    """The statuses this actor may set now (the pages offer exactly these)."""
    side = side_of(actor, referral)
    found: list[str] = []
    if side.organisation:
        found += ORGANISATION_STEPS.get(referral.status, ())
    if side.coordinator:
        for status in COORDINATOR_STEPS.get(referral.status, ()):
            if status == Referral.Status.NO_ANSWER and referral.answer_due >= timezone.localdate():
                continue
            found.append(status)
    return list(dict.fromkeys(found))


def referral_set_status(*, actor_person: Actor | Person, referral: Referral, status: str, reason: str = "") -> Referral:
    """Set the next status of a referral (see the module's docstring for who may set which).

    ``reason`` is required for "declined" (it goes back to the coordinator) and kept as the referral's reason
    for "declined", "withdrawn" and "no answer"; for the other steps it is a note in the history.
    """
    actor = as_actor(actor_person)
    if status not in Referral.Status.values:
        raise ValidationError(_("Unknown status."), code="unknown_status")
    text = _text(reason, field="reason", limit=REASON_MAX, required=status == Referral.Status.DECLINED,
                 required_message=_("Say why the service cannot help: the coordinator reads it."))  # fmt: skip
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
        side = side_of(actor, locked)
        if not side.organisation and not side.coordinator:
            raise PermissionDenied
        if status not in next_statuses(actor, locked):
            raise ValidationError(
                _("This referral is now “%(status)s”: that step is not possible any more. Look at it again.")
                % {"status": locked.get_status_display()},
                code="not_now",
            )
        _apply(locked, status, text, _person_of(actor))
    referral.refresh_from_db()
    return referral


def _apply(locked: Referral, status: str, text: str, by: Person | None, note: str | None = None) -> None:
    """Set the status of a locked referral, add its step (``note``, else the reason) and tell the listeners."""
    locked.status = status
    locked.updated_at = timezone.now()
    fields = ["status", "updated_at"]
    if status in (Referral.Status.DECLINED, Referral.Status.WITHDRAWN, Referral.Status.NO_ANSWER):
        locked.status_reason = text
        fields.append("status_reason")
    if status in (Referral.Status.DECLINED, Referral.Status.NO_ANSWER):
        locked.seen_by_coordinator_at = None  # back on the coordinator's list
        fields.append("seen_by_coordinator_at")
    locked.save(update_fields=fields)
    _event(locked, status, by, text if note is None else note)
    referral_changed.send(sender=Referral, referral=locked, status=status, created=False)


@transaction.atomic
def referral_mark_seen(*, actor_person: Actor | Person, referral: Referral) -> Referral:
    """The coordinator has read why a referral came back: it leaves their list of referrals to follow up."""
    actor = as_actor(actor_person)
    locked = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    if not can(actor, "directory.manage_referral", locked):
        raise PermissionDenied
    if locked.status not in (Referral.Status.DECLINED, Referral.Status.NO_ANSWER):
        raise ValidationError(_("Only a referral that came back can be marked as seen."), code="not_now")
    if locked.seen_by_coordinator_at is None:
        locked.seen_by_coordinator_at = timezone.now()
        locked.save(update_fields=["seen_by_coordinator_at"])
    return locked


def referral_resend(
    *,
    actor_person: Actor | Person,
    referral: Referral,
    service: Service,
    service_at_location: ServiceAtLocation | None = None,
    need: str,
    shared_fields: Any,
    consent_method: str = Consent.Method.PHONE,
) -> Referral:
    """Send a declined (or unanswered) referral to another service: a new referral, from the same origin; the
    old one stays as it was, marked seen, with a step that says where the person was sent instead."""
    actor = as_actor(actor_person)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
        if not can(actor, "directory.manage_referral", locked):
            raise PermissionDenied
        if locked.status not in (Referral.Status.DECLINED, Referral.Status.NO_ANSWER):
            raise ValidationError(
                _("Only a declined referral, or one without an answer, can be sent to another service."),
                code="not_now",
            )
        if getattr(service, "pk", None) == locked.service_id:
            raise ValidationError(_("Choose another service than the one that declined."), code="unknown_service")
        new = referral_create(
            actor_person=actor, person=locked.person, service=service, service_at_location=service_at_location,
            need=need, shared_fields=shared_fields, origin=locked.origin, origin_id=locked.origin_id,
            consent_method=consent_method,
        )  # fmt: skip
        locked.seen_by_coordinator_at = locked.seen_by_coordinator_at or timezone.now()
        locked.save(update_fields=["seen_by_coordinator_at"])
        _event(locked, locked.status, _person_of(actor), f"{NOTE_RESENT}{new.pk}")
    return new


def on_consent_withdrawn(sender: object, *, person_id: int, purpose: str, **kwargs: object) -> None:
    """The people app's ``consent_withdrawn``: a withdrawn consent for sharing withdraws the open referrals."""
    if purpose == Purpose.SHARE_WITH_SERVICE:
        referrals_withdraw_without_consent(person_id=person_id)


def referrals_withdraw_without_consent(*, person_id: int | None = None) -> int:
    """Withdraw every open referral whose person no longer consents to sharing with a referred service.

    Called when a consent is withdrawn, and before the referral lists are read (``views_referrals``), so that
    a withdrawal made anywhere (the person's page, the API, the person themself online) reaches the referrals
    even without a signal from the people app.  The organisation stops seeing them at once either way: its
    rule asks for the consent too.
    """
    active = Consent.objects.filter(
        person_id=OuterRef("person_id"), purpose=Purpose.SHARE_WITH_SERVICE, withdrawn_at__isnull=True
    )
    stale = Referral.objects.filter(status__in=Referral.OPEN).exclude(Exists(active))
    if person_id is not None:
        stale = stale.filter(person_id=person_id)
    pks = list(stale.values_list("pk", flat=True)[:500])
    withdrawn = 0
    for pk in pks:
        with transaction.atomic():
            locked = Referral.objects.select_for_update().filter(pk=pk, status__in=Referral.OPEN).first()
            if (
                locked is None
                or Consent.objects.filter(
                    person_id=locked.person_id, purpose=Purpose.SHARE_WITH_SERVICE, withdrawn_at__isnull=True
                ).exists()
            ):
                continue
            _apply(locked, Referral.Status.WITHDRAWN, "", None, note=NOTE_CONSENT_WITHDRAWN)
            withdrawn += 1
    return withdrawn


def note_in_words(note: str) -> str:
    """A step's note as people read it: system notes in words, a person's note as they wrote it."""
    if note == NOTE_CONSENT_WITHDRAWN:
        return _("The person withdrew their consent for sharing: the referral was withdrawn.")
    if note.startswith(NOTE_RESENT):
        return _("Sent to another service instead (referral %(number)s).") % {"number": note[len(NOTE_RESENT) :]}
    return note
