"""Reads of organisations.  Object access is checked here: missing and forbidden both raise Http404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from apps.access.actors import Actor
from apps.access.rules import can
from apps.people.models import Role, RoleAssignment

from .models import Organisation


def organisation_for(actor: Actor, slug: str, rule: str = "organisations.view_organisation") -> Organisation:
    """The organisation, if the rule allows; otherwise the same 404 as for one that does not exist."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not can(actor, rule, organisation):
        raise Http404
    return organisation


def organisation_by_slug(slug: str) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first()


def organisations_for(actor: Actor) -> QuerySet[Organisation]:
    """Every organisation for administrators and city staff; otherwise the ones the actor works for."""
    if can(actor, "organisations.list_organisations"):
        return Organisation.objects.order_by("name")
    return own_organisations(actor)


def own_organisations(actor: Actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=actor.organisation_scope(Role.ORGANISATION_STAFF), active=True)


def coordinated_organisations(actor: Actor) -> QuerySet[Organisation]:
    """The organisations a coordinator registers and follows persons for."""
    return Organisation.objects.filter(pk__in=actor.organisation_scope(Role.COORDINATOR), active=True)


def organisation_staff(organisation: Organisation) -> QuerySet[RoleAssignment]:
    """The roles people now hold for the organisation (staff and coordinators)."""
    return (
        RoleAssignment.objects.filter(
            organisation=organisation, withdrawn_at__isnull=True, person__erased_at__isnull=True
        )
        .select_related("person", "organisation")
        .order_by("person__last_name", "person__first_name", "role")
    )


def staff_assignment(organisation: Organisation, assignment_id: int) -> RoleAssignment:
    assignment = organisation_staff(organisation).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    return assignment
