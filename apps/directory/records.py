"""Organisations keep their own records; city staff review them before they are public.

Reads (``*_of``, ``*_for``) and writes (``revision_*``, ``record_confirm``, ``remind_unchecked``) of the "Our
services" and "Changes to review" pages.  A change is never written to the live tables by an organisation: every
save makes or updates the organisation's one open :class:`Revision` for that record (an HSDS 3.0 document), and
only a reviewer's "Publish" applies it, through the same code as an HSDS import (``hsds.apply_document``), so
what was reviewed is exactly what is published.

Object access: "missing" and "forbidden" both raise ``Http404`` (an organisation's staff never learn that another
organisation's record or change exists).  Writes are one transaction each and lock the revision they change
(``select_for_update``): two colleagues saving, or two reviewers publishing, at the same moment never both win.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.rules import can
from apps.organisations.models import Organisation
from apps.people.models import Person, Role

from .models import Location, OrganisationRecord, Revision, Service

OPEN = (Revision.Status.DRAFT, Revision.Status.UNDER_REVIEW)
"""A record has at most one revision in these states (the model's constraint)."""
EDITABLE = (Revision.Status.DRAFT, Revision.Status.UNDER_REVIEW, Revision.Status.RETURNED)
"""States in which the organisation's next save continues the same revision."""

KIND_MODELS: dict[str, type[Service] | type[Location] | type[OrganisationRecord]] = {
    Revision.Kind.SERVICE: Service,
    Revision.Kind.LOCATION: Location,
    Revision.Kind.ORGANIZATION: OrganisationRecord,
}


# --- reads -----------------------------------------------------------------------------------------------


def organisations_of(actor: Actor) -> QuerySet[Organisation]:
    """The active organisations the actor works for (organisation staff), by name."""
    return Organisation.objects.filter(pk__in=actor.organisation_scope(Role.ORGANISATION_STAFF), active=True)


def organisation_for(actor: Actor, pk: Any) -> Organisation:
    """One of the actor's own organisations; any other id (or none that exists) is 404."""
    try:
        organisation = organisations_of(actor).get(pk=int(pk))
    except (TypeError, ValueError, Organisation.DoesNotExist):
        raise Http404 from None
    return organisation


def live_record(kind: str, target: uuid.UUID) -> Any:
    """The published record a revision is about, or None for a record that was never published."""
    return KIND_MODELS[kind].objects.filter(pk=target).first()


def record_of(actor: Actor, kind: str, target: uuid.UUID) -> tuple[Organisation, Any, Revision | None]:
    """A record of one of the actor's organisations: its organisation, the live record (or None) and the
    revision the next save continues (or None).  404 when neither a live record nor a revision of theirs has
    this id."""
    record = live_record(kind, target)
    revision = Revision.objects.filter(kind=kind, target=target, status__in=EDITABLE).order_by("-created_at").first()
    organisation_id = _organisation_id(kind, record) if record is not None else None
    if organisation_id is None and revision is not None:
        organisation_id = revision.organisation_id
    if organisation_id is None or not can(actor, "directory.edit_records", Organisation(pk=organisation_id)):
        raise Http404
    organisation = organisation_for(actor, organisation_id)
    if revision is not None and revision.organisation_id != organisation.pk:
        raise Http404
    return organisation, record, revision


def _organisation_id(kind: str, record: Any) -> int | None:
    return record.organisation_id  # type: ignore[no-any-return]


def revision_of(actor: Actor, pk: Any) -> Revision:
    """A revision of one of the actor's organisations (404 otherwise)."""
    revision = Revision.objects.select_related("organisation").filter(pk=_int(pk)).first()
    if revision is None or not can(actor, "directory.edit_records", revision.organisation):
        raise Http404
    return revision


def revision_for_review(actor: Actor, pk: Any) -> Revision:
    """A revision a reviewer looks at: any organisation's, once submitted (a draft is not theirs to see)."""
    if not can(actor, "directory.review"):
        raise Http404
    revision = (
        Revision.objects.select_related("organisation", "submitted_by", "reviewed_by")
        .exclude(status=Revision.Status.DRAFT)
        .filter(pk=_int(pk))
        .first()
    )
    if revision is None or not can(actor, "directory.view_revision", revision):
        raise Http404
    return revision


def review_queue() -> QuerySet[Revision]:
    """Changes waiting for a reviewer, the longest waiting first."""
    return (
        Revision.objects.filter(status=Revision.Status.UNDER_REVIEW)
        .select_related("organisation", "submitted_by")
        .order_by("submitted_at", "pk")
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def check_before(now: datetime | None = None) -> datetime:
    """A published record last checked before this moment is "to check"."""
    return (now or timezone.now()) - timedelta(days=settings.DIRECTORY_CHECK_AFTER_DAYS)


def unchecked(queryset: QuerySet[Any], now: datetime | None = None) -> QuerySet[Any]:
    """The published records of a queryset that were not checked for ``DIRECTORY_CHECK_AFTER_DAYS``."""
    before = check_before(now)
    return queryset.filter(Q(checked_at__lt=before) | Q(checked_at__isnull=True, published_at__lt=before))


def is_unchecked(record: Any, now: datetime | None = None) -> bool:
    last = record.checked_at or record.published_at
    return last is not None and last < check_before(now)


@dataclass(frozen=True)
class Records:
    """Everything of one organisation on its "Our services" page."""

    organisation: Organisation
    profile: OrganisationRecord | None
    services: list[Service]
    locations: list[Location]
    revisions: list[Revision]
    """Open and returned changes, and new records that were never published."""


def records_of(organisation: Organisation) -> Records:
    """An organisation's live records and its changes that are not closed (four queries)."""
    profile = OrganisationRecord.objects.filter(organisation=organisation).first()
    services = list(Service.objects.filter(organisation=organisation).order_by("name"))
    locations = list(Location.objects.filter(organisation=organisation).order_by("name"))
    revisions = list(
        Revision.objects.filter(organisation=organisation, status__in=EDITABLE).order_by("kind", "-created_at")
    )
    return Records(organisation, profile, services, locations, revisions)


# --- writes ----------------------------------------------------------------------------------------------


def _person(actor: Actor) -> Person | None:
    return Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None


@transaction.atomic
def revision_save(
    *, actor: Actor, organisation: Organisation, kind: str, target: uuid.UUID, document: dict[str, Any]
) -> Revision:
    """Save the organisation's proposal for one record: its open revision is updated (back to a draft, also
    when it was under review or returned), or a new draft is made.  Nothing live changes."""
    if not can(actor, "directory.edit_records", organisation):
        raise PermissionDenied
    _check_document(kind, document)
    _check_target(document, target)
    record = live_record(kind, target)
    if record is not None and record.organisation_id != organisation.pk:
        raise PermissionDenied
    revision = (
        Revision.objects.select_for_update(of=("self",))
        .filter(kind=kind, target=target, status__in=EDITABLE)
        .order_by("-created_at")
        .first()
    )
    if revision is not None and revision.organisation_id != organisation.pk:
        raise PermissionDenied
    if revision is None:
        try:
            with transaction.atomic():
                return Revision.objects.create(
                    kind=kind, target=target, organisation=organisation, document=document,
                    created_by=_person(actor),
                )  # fmt: skip
        except IntegrityError:  # a colleague made the open revision just now: continue theirs
            revision = Revision.objects.select_for_update(of=("self",)).get(target=target, status__in=OPEN)
    revision.document = document
    revision.status = Revision.Status.DRAFT
    revision.submitted_at = None
    revision.submitted_by = None
    revision.save(update_fields=["document", "status", "submitted_at", "submitted_by"])
    return revision


def _check_document(kind: str, document: dict[str, Any]) -> None:
    """Refuse at once a proposal the official HSDS 3.0 schema would refuse at publishing: the organisation can
    still correct it, the reviewer never gets a change that cannot be published."""
    from . import hsds

    try:
        hsds.validate_schema(kind, document, kind)
    except hsds.HsdsError as error:
        raise ValidationError(_("This change cannot be saved: %(reason)s") % {"reason": error}) from error


def _check_target(document: dict[str, Any], target: uuid.UUID) -> None:
    """The document's id is the record the change is about: publishing writes the record of the document's id,
    and the reviewer is shown the record of ``target``, so the two must never differ (a forged document could
    otherwise show the reviewer "a new record" and overwrite another one)."""
    if str(document.get("id", "")) != str(target):
        raise ValidationError(
            _("This change names another record (%(id)s) than the one it changes.") % {"id": document.get("id")}
        )


def _locked(revision: Revision) -> Revision:
    return Revision.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=revision.pk)


def _locked_under_review(revision: Revision) -> Revision:
    """The revision, locked, if it still waits for a review; else why not (another reviewer was quicker)."""
    query = Revision.objects.select_for_update(of=("self",)).select_related("organisation", "reviewed_by")
    locked = query.get(pk=revision.pk)
    if locked.status != Revision.Status.UNDER_REVIEW:
        raise _already_reviewed(locked)
    return locked


@transaction.atomic
def revision_submit(*, actor: Actor, revision: Revision) -> Revision:
    """Send a draft (or a returned change) to the city's reviewers."""
    revision = _locked(revision)
    if not can(actor, "directory.edit_records", revision.organisation):
        raise PermissionDenied
    if revision.status not in (Revision.Status.DRAFT, Revision.Status.RETURNED):
        raise ValidationError(_("This change cannot be sent for review: it is %(status)s.") % {
            "status": revision.get_status_display().lower()
        })  # fmt: skip
    revision.status = Revision.Status.UNDER_REVIEW
    revision.submitted_by = _person(actor)
    revision.submitted_at = timezone.now()
    revision.save(update_fields=["status", "submitted_by", "submitted_at"])
    return revision


@transaction.atomic
def revision_withdraw(*, actor: Actor, revision: Revision) -> Revision:
    """Drop a change that is not published: the live record stays as it is."""
    revision = _locked(revision)
    if not can(actor, "directory.edit_records", revision.organisation):
        raise PermissionDenied
    if revision.status not in EDITABLE:
        raise ValidationError(_("This change can no longer be withdrawn: it is %(status)s.") % {
            "status": revision.get_status_display().lower()
        })  # fmt: skip
    revision.status = Revision.Status.WITHDRAWN
    revision.save(update_fields=["status"])
    return revision


def _already_reviewed(revision: Revision) -> ValidationError:
    if revision.status in (Revision.Status.PUBLISHED, Revision.Status.RETURNED) and revision.reviewed_at:
        who = str(revision.reviewed_by) if revision.reviewed_by else _("another reviewer")
        return ValidationError(
            _("%(who)s already reviewed this change at %(when)s: it is %(status)s. Nothing was changed.")
            % {
                "who": who,
                "when": timezone.localtime(revision.reviewed_at).strftime("%H:%M"),
                "status": revision.get_status_display().lower(),
            }
        )
    return ValidationError(
        _("This change is no longer waiting for review: it is %(status)s. Nothing was changed.")
        % {"status": revision.get_status_display().lower()}
    )


@transaction.atomic
def revision_publish(*, actor: Actor, revision: Revision) -> Any:
    """Make a change public: apply its document to the live tables, with who and when.

    The revision is locked first; a second reviewer who presses "Publish" at the same moment waits for the
    first and then finds it published, and is told so.  A document the HSDS code refuses (``HsdsError``)
    leaves everything as it was and says why.
    """
    from . import hsds

    if not can(actor, "directory.review"):
        raise PermissionDenied
    revision = _locked_under_review(revision)
    _check_target(revision.document, revision.target)
    reviewer = _person(actor)
    try:
        with transaction.atomic():
            record = hsds.apply_document(
                revision.kind, revision.document, organisation=revision.organisation, published_by=reviewer
            )
    except hsds.HsdsError as error:
        raise ValidationError(_("This change cannot be published: %(reason)s") % {"reason": error}) from error
    now = timezone.now()
    _mark_published(record, reviewer, now)
    revision.status = Revision.Status.PUBLISHED
    revision.reviewed_by = reviewer
    revision.reviewed_at = now
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return record


def _mark_published(record: Any, reviewer: Person | None, now: datetime) -> None:
    """Who published the live record and when; publishing is also a check, so "last checked" is now."""
    fields = {"published_at": now, "published_by": reviewer, "checked_at": now, "reminded_at": None}
    if isinstance(record, Service):
        fields["assured_date"] = timezone.localdate(now)
    type(record).objects.filter(pk=record.pk).update(**fields)
    for name, value in fields.items():
        setattr(record, name, value)


@transaction.atomic
def revision_return(*, actor: Actor, revision: Revision, reason: str) -> Revision:
    """Send a change back to the organisation with the reviewer's reason; they can edit it and send it again."""
    if not can(actor, "directory.review"):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the change is returned, so the organisation knows what to do."))
    revision = _locked_under_review(revision)
    revision.status = Revision.Status.RETURNED
    revision.review_note = reason
    revision.reviewed_by = _person(actor)
    revision.reviewed_at = timezone.now()
    revision.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    return revision


@transaction.atomic
def record_confirm(*, actor: Actor, kind: str, target: uuid.UUID) -> Any:
    """ "Still correct": the organisation confirms a published record without changing it, so no review is
    needed; its "last checked" becomes now (a service's ``assured_date`` today, by the person's email)."""
    model = KIND_MODELS.get(kind)
    if model is None:
        raise Http404
    record = model.objects.select_for_update(of=("self",)).filter(pk=target).first()
    if record is None or not can(actor, "directory.edit_records", Organisation(pk=record.organisation_id)):
        raise Http404
    organisation_for(actor, record.organisation_id)
    now = timezone.now()
    record.checked_at = now
    fields = ["checked_at"]
    if isinstance(record, Service):
        person = _person(actor)
        record.assured_date = timezone.localdate(now)
        record.assurer_email = person.email if person and person.email else record.assurer_email
        fields += ["assured_date", "assurer_email"]
    record.save(update_fields=fields)
    return record


def new_target() -> uuid.UUID:
    return uuid.uuid4()
