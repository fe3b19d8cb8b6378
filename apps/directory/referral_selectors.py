"""Reads of referrals: who may see which, in which order, and the access-log entry for every read.

A referral carries special-category data (what the person needs, what was passed on, reasons and notes:
``privacy.py``), so every page that shows one goes through here: ``referral_for`` answers 404 for "missing"
and "forbidden" alike and writes the read (or the refusal) to the access log; the lists return rows the
caller logs with ``log_shown`` before showing them.  No list filters or orders on a declared field: filters
are the status and the person's district, ordering is by status, due date and time.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone

from apps.access.actors import Actor
from apps.access.rules import can
from apps.access.services import log_request_access, log_request_list
from apps.people.models import Consent, Purpose, Role, RoleAssignment
from apps.people.rules import STAFF_ROLES
from apps.places.models import District

from .models import Referral, Service, ServiceAtLocation

RECORD = "directory.Referral"
"""The access log's record type of a referral."""

WAITING = (Referral.Status.SENT, Referral.Status.RECEIVED)
"""Open and not answered yet: "received" only says the referral arrived, not what the service will do."""

RETURNED = (Referral.Status.DECLINED, Referral.Status.NO_ANSWER)
"""Referrals that come back to the coordinator, until they mark them seen (or send the person elsewhere)."""


def _base() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "person", "service", "organisation", "district", "service_at_location__location", "created_by"
    ).defer("person__support_needs", "district__geometry")


def active_share_consent() -> Exists:
    """The referred person's consent for sharing with a referred service still holds."""
    return Exists(
        Consent.objects.filter(
            person_id=OuterRef("person_id"), purpose=Purpose.SHARE_WITH_SERVICE, withdrawn_at__isnull=True
        )
    )


def log_shown(http: HttpRequest, referrals: list[Referral], purpose: str) -> int:
    """One access-log entry per referral shown in a list (the person's own are not logged)."""
    return log_request_list(
        http, records=[(r.person_id, RECORD, r.pk) for r in referrals], action="list", purpose=purpose
    )


def referral_for(actor: Actor, pk: int, http: HttpRequest | None, *, rule: str, action: str = "read") -> Referral:
    """One referral if ``rule`` allows it, else 404; the read (or the refusal) is logged for anyone but the
    person themself."""
    referral = _base().filter(pk=pk).first()
    if referral is None:
        raise Http404
    allowed = can(actor, rule, referral)
    if http is not None and (not allowed or actor.person_id != referral.person_id):
        log_request_access(
            http, subject_person_id=referral.person_id, record_type=RECORD, record_id=referral.pk, action=action,
            purpose=rule, allowed=allowed,
        )  # fmt: skip
    if not allowed:
        raise Http404
    return referral


def coordinated(actor: Actor) -> Q:
    """Referrals of persons the actor coordinates (``people.rules.coordinates_resident``), as a query."""
    districts = actor.district_scope(Role.COORDINATOR)
    organisations = actor.organisation_scope(Role.COORDINATOR)
    if not districts and not organisations:
        return Q(pk__in=[])
    staff = RoleAssignment.objects.filter(
        person_id=OuterRef("person_id"), role__in=STAFF_ROLES, withdrawn_at__isnull=True
    )
    return (Q(person__district_id__in=districts) | Q(person__organisation_id__in=organisations)) & ~Q(Exists(staff))


def overdue(today: date | None = None) -> Q:
    """Waiting for an answer after the day it was due."""
    return Q(status__in=WAITING, answer_due__lt=today or timezone.localdate())


def returned_unseen() -> Q:
    """Declined or without an answer, and the coordinator has not marked it seen."""
    return Q(status__in=RETURNED, seen_by_coordinator_at__isnull=True)


def followed_by(actor: Actor, *, status: str = "", district_id: int | None = None) -> QuerySet[Referral]:
    """The coordinator's referrals: overdue first, then those that came back (declined, no answer) and were
    not seen yet, then the open ones, then the closed; within each the oldest due first."""
    today = timezone.localdate()
    rank = Case(
        When(overdue(today), then=Value(0)),
        When(returned_unseen(), then=Value(1)),
        When(status__in=Referral.OPEN, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    found = _base().filter(coordinated(actor)).annotate(rank=rank)
    if status:
        found = found.filter(status=status)
    if district_id is not None:
        found = found.filter(district_id=district_id)
    return found.order_by("rank", "answer_due", "-created_at", "pk")


def follow_up_counts(actor: Actor) -> dict[str, int]:
    """How many of the coordinator's referrals are overdue, and how many came back unseen (two queries)."""
    mine = Referral.objects.filter(coordinated(actor))
    return {"overdue": mine.filter(overdue()).count(), "returned": mine.filter(returned_unseen()).count()}


def incoming(actor: Actor, *, status: str = "") -> QuerySet[Referral]:
    """Referrals to the organisations the actor works for, newest first, while the person's consent holds."""
    organisations = actor.organisation_scope(Role.ORGANISATION_STAFF)
    found = _base().filter(organisation_id__in=organisations).filter(active_share_consent())
    if status:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


def incoming_counts(actor: Actor) -> dict[str, int]:
    found = incoming(actor)
    return {
        "new": found.filter(status=Referral.Status.SENT).count(),
        "open": found.filter(status__in=Referral.OPEN).count(),
    }


def of_person(person_id: int) -> QuerySet[Referral]:
    """A person's referrals, newest first, with their history (for the person and their coordinators)."""
    return _base().filter(person_id=person_id).prefetch_related("events__by").order_by("-created_at", "-pk")


def published_services(*, text: str = "", district_id: int | None = None, limit: int = 30) -> list[Service]:
    """Published, active services for ``text`` (name, organisation, type of help), offered in the district (at a
    location there, or for the people of it) when one is given: the public search's own selection and order
    (``search.py``: forgiving accents and typos), so a coordinator finds what a resident finds.
    """
    from . import search

    district = District.objects.filter(pk=district_id).defer("geometry").first() if district_id else None
    results = search.search(search.Criteria(district=district, words=text), per_page=limit)
    return [result.service for result in results.results]


def published_service(service_id: object) -> Service | None:
    """A published, active service by its id, or None (an unknown or malformed id included)."""
    try:
        return (
            Service.objects.select_related("organisation")
            .filter(pk=service_id, published_at__isnull=False, status=Service.Status.ACTIVE, organisation__active=True)
            .first()
        )
    except (ValueError, TypeError, ValidationError):  # a malformed UUID
        return None


def locations_of(service: Service) -> list[ServiceAtLocation]:
    return list(
        ServiceAtLocation.objects.filter(service=service)
        .select_related("location__district")
        .prefetch_related("location__addresses", "location__phones")
        .order_by("location__name", "pk")
    )


def open_in_district(actor: Actor, district: District) -> int | None:
    """For the district's coordination view (``DistrictFact``): the open referrals of the district among those the
    actor follows as coordinator (the referrals page, filtered by district); ``None`` outside their districts."""
    if district.pk not in actor.district_scope(Role.COORDINATOR):
        return None
    return Referral.objects.filter(coordinated(actor), district_id=district.pk, status__in=Referral.OPEN).count()
