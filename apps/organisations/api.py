"""JSON API for organisations: the same rules as the pages.

Another organisation answers exactly like one that does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from apps.access.actors import actor_for
from apps.access.rules import can
from apps.people import selectors as people_selectors
from apps.people import services as people_services
from apps.people.api import ERRORS
from apps.people.models import RoleAssignment

from . import selectors, services
from .models import Organisation
from .schemas import OrganisationIn, OrganisationOut, StaffIn, StaffOut

router = Router(tags=["organisations"], auth=django_auth)


def _staff_out(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "person_id": assignment.person_id,
        "name": str(assignment.person),
        "role": assignment.role,
        "granted_at": assignment.granted_at,
    }


def _managed(request: HttpRequest, slug: str) -> Organisation:
    """An organisation whose staff the actor manages: 404 when they may not see it, 403 when they only see it."""
    actor = actor_for(request)
    organisation = selectors.organisation_for(actor, slug)
    if not can(actor, "organisations.manage_staff", organisation):
        raise HttpError(403, _("You may not manage who works for this organisation."))
    return organisation


@router.get("/organisations", response={200: list[OrganisationOut], **ERRORS})
def list_organisations(request: HttpRequest) -> Any:
    """All organisations for administrators and city staff; the ones I work for otherwise."""
    return list(selectors.organisations_for(actor_for(request)))


@router.get("/organisations/{slug}", response={200: OrganisationOut, **ERRORS})
def get_organisation(request: HttpRequest, slug: str) -> Any:
    return selectors.organisation_for(actor_for(request), slug)


@router.patch("/organisations/{slug}", response={200: OrganisationOut, **ERRORS})
def update_organisation(request: HttpRequest, slug: str, payload: OrganisationIn) -> Any:
    """Its staff and administrators change the profile; bad input changes nothing."""
    actor = actor_for(request)
    organisation = selectors.organisation_for(actor, slug)
    try:
        services.organisation_update(actor=actor, organisation=organisation, **payload.dict(exclude_unset=True))
    except PermissionDenied:
        raise HttpError(403, _("You may not change this organisation.")) from None
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    return organisation


@router.get("/organisations/{slug}/staff", response={200: list[StaffOut], **ERRORS})
def organisation_staff(request: HttpRequest, slug: str) -> Any:
    """Administrators and city staff: who holds a role for the organisation."""
    return [_staff_out(a) for a in selectors.organisation_staff(_managed(request, slug))]


@router.post("/organisations/{slug}/staff", response={201: StaffOut, **ERRORS})
def grant_staff_role(request: HttpRequest, slug: str, payload: StaffIn) -> Any:
    """Give someone with an account a role for the organisation; every grant is recorded."""
    organisation = _managed(request, slug)
    person = people_selectors.person_with_account(payload.login)
    if person is None:
        raise HttpError(
            422, _("Nobody has an account with this email address or mobile number. Ask them to sign up first.")
        )
    try:
        assignment = people_services.role_grant(
            actor=actor_for(request), person=person, role=payload.role, organisation=organisation
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    except PermissionDenied:
        raise HttpError(403, _("You may not grant this role.")) from None
    return Status(201, _staff_out(assignment))


@router.delete("/organisations/{slug}/staff/{assignment_id}", response={204: None, **ERRORS})
def withdraw_staff_role(request: HttpRequest, slug: str, assignment_id: int) -> Any:
    organisation = _managed(request, slug)
    assignment = selectors.staff_assignment(organisation, assignment_id)
    try:
        people_services.role_withdraw(actor=actor_for(request), assignment=assignment)
    except PermissionDenied:
        raise HttpError(403, _("You may not withdraw this role.")) from None
    return Status(204, None)
