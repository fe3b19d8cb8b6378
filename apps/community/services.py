"""Community life: the writes of initiatives (issue 18, item 1).  One transaction each, the rule asked again on
the locked row, so two clicks at once cannot both publish, and a starter cannot send what a reviewer just
returned without seeing why.

The way of an initiative: ``initiative_create`` (a draft) → ``initiative_update`` (the steps of the form, as
often as needed) → ``initiative_submit`` (signs the inclusion commitment; needs every required part) →
``initiative_publish`` or ``initiative_return`` (with a reason) by a reviewer of the district → after a return,
changed and sent again.  A published initiative may still be changed by its starter: it stays published, the
change is a step (``CHANGED``) and the reviewers' worklist shows it until one of them has looked
(``initiative_checked``).  ``initiative_end`` closes it (its page stays, marked ended).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.rules import can
from apps.people.models import Person

from .models import Follow, Initiative, InitiativeStep, Need, Pledge, Theme

COMMITMENT_VERSION = "2026-12"
"""The version of the inclusion commitment (its text is in ``texts.COMMITMENT``); stored with the signature."""

EDITABLE = (
    "title", "summary", "organiser", "organiser_name", "audience", "district", "place", "street", "rhythm",
    "when_text", "starts_on", "ends_on", "languages", "wheelchair_accessible", "accessibility_note", "costs_note",
    "intergenerational", "intercultural", "contact_name", "contact_email", "contact_phone",
)  # fmt: skip
"""What a starter fills in (the forms' fields; themes are set apart, being many-to-many)."""
MAX_NEEDS = 20
MAX_OPEN_DRAFTS = 10
"""A person's drafts at one time: more is a mistake or a script."""


def _locked(pk: int) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=pk)


def _step(initiative: Initiative, kind: str, actor: Actor, reason: str = "", now: datetime | None = None) -> None:
    InitiativeStep.objects.create(
        initiative=initiative, kind=kind, reason=reason, by_id=actor.person_id, at=now or timezone.now()
    )


def _clean_text(value: str, limit: int, what: str) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError(_("The text contains a character that cannot be saved (NUL, 0x00)."), code="nul")
    if len(value) > limit:
        raise ValidationError(
            _("%(what)s has at most %(limit)d characters.") % {"what": what, "limit": limit}, code="too_long"
        )
    return value


def missing_parts(initiative: Initiative) -> list[str]:
    """What must still be filled in before it can be sent, in words (empty: complete)."""
    missing = []
    if not initiative.title.strip():
        missing.append(_("its name"))
    if not initiative.summary.strip():
        missing.append(_("what you do"))
    if not initiative.audience:
        missing.append(_("for whom"))
    if initiative.district_id is None:
        missing.append(_("the district"))
    if initiative.rhythm != Initiative.Rhythm.ONGOING and not (initiative.when_text.strip() or initiative.starts_on):
        missing.append(_("when"))
    if not (initiative.contact_email or initiative.contact_phone):
        missing.append(_("an email address or phone number for the city"))
    return missing


@transaction.atomic
def initiative_create(*, actor: Actor, fields: dict[str, Any], themes: Iterable[Theme] = ()) -> Initiative:
    """A new draft of the actor's, from the first step of the form."""
    if actor.person_id is None or not can(actor, "community.start_initiative"):
        raise PermissionDenied
    drafts = Initiative.objects.select_for_update().filter(starter_id=actor.person_id, status=Initiative.Status.DRAFT)
    if drafts.count() >= MAX_OPEN_DRAFTS:
        raise ValidationError(
            _("You have %(count)d drafts already. Finish or delete one first.") % {"count": MAX_OPEN_DRAFTS},
            code="drafts",
        )
    values = {key: value for key, value in fields.items() if key in EDITABLE}
    values.setdefault("district", Person.objects.get(pk=actor.person_id).district)  # the starter's, to begin with
    initiative = Initiative.objects.create(starter_id=actor.person_id, **values)
    initiative.themes.set(themes)
    _step(initiative, InitiativeStep.Kind.CREATED, actor)
    return initiative


@transaction.atomic
def initiative_update(
    *, actor: Actor, initiative: Initiative, fields: dict[str, Any], themes: Iterable[Theme] | None = None
) -> Initiative:
    """Change what the starter filled in (one step of the form).  A published one stays published; the change is
    noted for the reviewers."""
    locked = _locked(initiative.pk)
    if not can(actor, "community.manage_initiative", locked):
        raise PermissionDenied
    if locked.status == Initiative.Status.SUBMITTED:
        raise ValidationError(
            _("The city is looking at it now. You can change it again once it is published or returned."),
            code="submitted",
        )
    changed = [key for key, value in fields.items() if key in EDITABLE and getattr(locked, key) != value]
    if "district" in changed and locked.status == Initiative.Status.PUBLISHED:
        # the reviewers of the new district never approved it, and its events are in the old one
        raise ValidationError(
            _("A published initiative stays in its district. To move it, end it and start it again there."),
            code="district",
        )
    for key in changed:
        setattr(locked, key, fields[key])
    theme_ids = None if themes is None else sorted(t.pk for t in themes)
    themes_changed = theme_ids is not None and theme_ids != sorted(locked.themes.values_list("pk", flat=True))
    if not changed and not themes_changed:
        return locked
    if locked.status == Initiative.Status.PUBLISHED:
        locked.changed_after_publication = True
        _step(locked, InitiativeStep.Kind.CHANGED, actor)
    locked.full_clean(exclude=["starter", "themes"])
    locked.save()
    if themes_changed and themes is not None:
        locked.themes.set(themes)
    return locked


@transaction.atomic
def initiative_submit(*, actor: Actor, initiative: Initiative, commitment: bool) -> Initiative:
    """Send it to the city, signing the inclusion commitment; refused (nothing changed) when a part is missing."""
    locked = _locked(initiative.pk)
    if not can(actor, "community.manage_initiative", locked):
        raise PermissionDenied
    if locked.status not in (Initiative.Status.DRAFT, Initiative.Status.RETURNED):
        raise ValidationError(_("It was sent already."), code="status")
    if not commitment:
        raise ValidationError(
            _("Sign the inclusion commitment: the city supports only initiatives open to every resident."),
            code="commitment",
        )
    missing = missing_parts(locked)
    if missing:
        raise ValidationError(_("Fill in first: %(parts)s.") % {"parts": ", ".join(missing)}, code="missing")
    now = timezone.now()
    locked.status = Initiative.Status.SUBMITTED
    locked.commitment_version, locked.commitment_signed_at, locked.submitted_at = COMMITMENT_VERSION, now, now
    locked.save(update_fields=["status", "commitment_version", "commitment_signed_at", "submitted_at", "updated_at"])
    _step(locked, InitiativeStep.Kind.SUBMITTED, actor, now=now)
    return locked


@transaction.atomic
def initiative_publish(*, actor: Actor, initiative: Initiative) -> Initiative:
    locked = _locked(initiative.pk)
    if not can(actor, "community.review_initiative", locked):
        raise PermissionDenied
    if locked.status != Initiative.Status.SUBMITTED:
        raise ValidationError(_("Only an initiative that was sent in can be published."), code="status")
    now = timezone.now()
    locked.status, locked.published_at, locked.changed_after_publication = Initiative.Status.PUBLISHED, now, False
    locked.save(update_fields=["status", "published_at", "changed_after_publication", "updated_at"])
    _step(locked, InitiativeStep.Kind.PUBLISHED, actor, now=now)
    return locked


@transaction.atomic
def initiative_return(*, actor: Actor, initiative: Initiative, reason: str) -> Initiative:
    """Back to the starter with a question or a reason; a published one that was changed may be returned too
    (it is then no longer public until it is sent and published again)."""
    locked = _locked(initiative.pk)
    if not can(actor, "community.review_initiative", locked):
        raise PermissionDenied
    reason = _clean_text(reason, 1000, _("The reason"))
    if not reason:
        raise ValidationError(_("Say why, so the starter knows what to change."), code="reason")
    if locked.status not in (Initiative.Status.SUBMITTED, Initiative.Status.PUBLISHED):
        raise ValidationError(_("Only an initiative that was sent in or published can be returned."), code="status")
    locked.status, locked.changed_after_publication = Initiative.Status.RETURNED, False
    locked.save(update_fields=["status", "changed_after_publication", "updated_at"])
    _step(locked, InitiativeStep.Kind.RETURNED, actor, reason=reason)
    return locked


@transaction.atomic
def initiative_checked(*, actor: Actor, initiative: Initiative) -> Initiative:
    """A reviewer looked at the changes of a published initiative and leaves it published."""
    locked = _locked(initiative.pk)
    if not can(actor, "community.review_initiative", locked):
        raise PermissionDenied
    if locked.status == Initiative.Status.PUBLISHED and locked.changed_after_publication:
        locked.changed_after_publication = False
        locked.save(update_fields=["changed_after_publication", "updated_at"])
        _step(locked, InitiativeStep.Kind.PUBLISHED, actor, reason=_("Changes checked"))
    return locked


@transaction.atomic
def initiative_end(*, actor: Actor, initiative: Initiative) -> Initiative:
    locked = _locked(initiative.pk)
    if not can(actor, "community.manage_initiative", locked) or locked.status != Initiative.Status.PUBLISHED:
        raise PermissionDenied  # only what was published can end: an ended one is public (an attacker review)
    locked.status = Initiative.Status.ENDED
    locked.save(update_fields=["status", "updated_at"])
    _step(locked, InitiativeStep.Kind.ENDED, actor)
    cancel_events_of(locked)
    return locked


def cancel_events_of(initiative: Initiative) -> int:
    """An initiative that ends (or whose starter is erased) cancels its events still to come: each gets a higher
    SEQUENCE and STATUS:CANCELLED in the feeds, and whoever registered is told (``registrations.after_cancel``).
    Returns how many."""
    from .events import Event
    from .registrations import after_cancel

    today = timezone.localdate()
    still = Event.objects.select_for_update(of=("self",)).filter(
        initiative=initiative, status=Event.Status.SCHEDULED,
    ).filter(Q(repeat="none", starts_on__gte=today) | Q(repeat="weekly", repeat_until__gte=today))  # fmt: skip
    count = 0
    for event in still:
        event.status = Event.Status.CANCELLED
        event.sequence += 1
        event.updated_at = timezone.now()
        event.save()
        after_cancel(event, day=None)
        count += 1
    return count


@transaction.atomic
def initiative_delete_draft(*, actor: Actor, initiative: Initiative) -> None:
    locked = _locked(initiative.pk)
    if not can(actor, "community.manage_initiative", locked) or locked.status != Initiative.Status.DRAFT:
        raise PermissionDenied
    locked.delete()


# --- taking part ---------------------------------------------------------------------------------------------


def follow_set(*, actor: Actor, initiative: Initiative, on: bool) -> bool:
    """Follow or stop following; whether the actor follows now.  Twice is once (a second click changes nothing)."""
    if actor.person_id is None or not can(actor, "community.take_part", initiative):
        raise PermissionDenied
    if not on:
        Follow.objects.filter(initiative=initiative, person_id=actor.person_id).delete()
        return False
    try:
        with transaction.atomic():
            Follow.objects.create(initiative=initiative, person_id=actor.person_id)
    except IntegrityError:
        pass  # followed already (two clicks at once)
    return True


def need_add(*, actor: Actor, initiative: Initiative, what: str, wanted: int) -> Need:
    with transaction.atomic():
        locked = _locked(initiative.pk)
        if not can(actor, "community.manage_initiative", locked):
            raise PermissionDenied
        what = _clean_text(what, 100, _("What is needed"))
        if not what:
            raise ValidationError(_("Say what is needed."), code="what")
        if not 1 <= wanted <= 50:
            raise ValidationError(_("Ask for 1 to 50."), code="wanted")
        if locked.needs.count() >= MAX_NEEDS:
            raise ValidationError(_("At most %(count)d things per initiative.") % {"count": MAX_NEEDS}, code="many")
        return Need.objects.create(initiative=locked, what=what, wanted=wanted)


def need_remove(*, actor: Actor, initiative: Initiative, need_pk: int) -> None:
    with transaction.atomic():
        locked = _locked(initiative.pk)
        if not can(actor, "community.manage_initiative", locked):
            raise PermissionDenied
        Need.objects.filter(pk=need_pk, initiative=locked).delete()


def pledge_set(*, actor: Actor, initiative: Initiative, need_pk: int, on: bool) -> bool:
    """Take one of what is needed, or give it back; never more helpers than asked for (counted under the need's
    lock, so twenty clicks at once on the last one give it once)."""
    if actor.person_id is None or not can(actor, "community.take_part", initiative):
        raise PermissionDenied
    with transaction.atomic():
        need = Need.objects.select_for_update().filter(pk=need_pk, initiative=initiative).first()
        if need is None:
            raise ValidationError(_("This is no longer needed."), code="need")
        mine = need.pledges.filter(person_id=actor.person_id)
        if not on:
            mine.delete()
            return False
        if mine.exists():
            return True
        if need.pledges.count() >= need.wanted:
            raise ValidationError(_("Enough people bring this already. Thank you!"), code="full")
        Pledge.objects.create(need=need, person_id=actor.person_id)
    return True
