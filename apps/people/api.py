"""JSON API for persons, consents, roles and personal data; same rules as the pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from apps.access.actors import actor_for
from apps.access.models import AccessLogEntry
from apps.access.privacy import export_as_csv, export_person
from apps.access.rules import can
from apps.access.selectors import with_reader_names
from apps.access.services import log_request_access, via_of
from apps.organisations.selectors import organisation_by_slug

from . import reauthentication, selectors, services
from .models import Person, RoleAssignment
from .schemas import (
    ConsentIn,
    ConsentOut,
    EraseIn,
    MessageOut,
    PersonDetailOut,
    PersonIn,
    PersonOut,
    ProfileIn,
    ReadOut,
    RoleAssignmentOut,
    RoleIn,
    RoleOut,
)

router = Router(tags=["people"], auth=django_auth)
ERRORS: dict[int, Any] = {401: MessageOut, 403: MessageOut, 404: MessageOut, 422: MessageOut}
CHANGES: dict[int, Any] = {**ERRORS, 409: MessageOut}
"""A write may also meet a state that changed meanwhile (409)."""
CSV_EXPORT: dict[str, Any] = {
    "responses": {
        200: {
            "description": "All the person's data as one CSV text: a line ``# app.table`` per table, then its rows",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


def _person_out(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "phone": person.phone,
        "email": person.email,
        "street": person.street,
        "house_number": person.house_number,
        "postcode": person.postcode,
        "district_number": person.district.number if person.district else None,
        "languages": person.languages,
        "birth_date": person.birth_date,
        "contact_preference": person.contact_preference,
        "has_account": person.user_id is not None,
        "organisation_slug": person.organisation.slug if person.organisation else None,
    }


def _role_out(role: RoleAssignment) -> dict[str, Any]:
    return {
        "id": role.pk,
        "role": role.role,
        "district_number": role.district.number if role.district else None,
        "place_slug": role.place.slug if role.place else None,
        "organisation_slug": role.organisation.slug if role.organisation else None,
        "granted_at": role.granted_at,
        "withdrawn_at": role.withdrawn_at,
    }


def _me(request: HttpRequest) -> Person:
    person = selectors.own_person(actor_for(request))
    if person is None:
        person = services.person_link_account(
            user=request.user, email=request.user.email or "", email_verified=services.email_is_verified(request.user)
        )
        request._actor = None  # type: ignore[attr-defined]
    return person


def _unprocessable(error: ValidationError) -> HttpError:
    return HttpError(422, " ".join(error.messages))


@router.get("/me", response={200: PersonDetailOut, **ERRORS})
def me(request: HttpRequest) -> Any:
    """My own record, including what I told about the help I need."""
    person = _me(request)
    return {**_person_out(person), "support_needs": person.support_needs}


@router.patch("/me", response={200: PersonDetailOut, **ERRORS, 429: MessageOut})
def update_me(request: HttpRequest, payload: ProfileIn) -> Any:
    """Change my own profile; an address is looked up in the register and must lie in the city."""
    person = _me(request)
    fields = payload.dict(exclude_unset=True)
    address = fields.pop("address", None)
    try:
        services.person_update(actor=actor_for(request), person=person, address=address, via=request.path, **fields)
    except ValidationError as error:
        if getattr(error, "code", None) == "limit":  # the day's changes of one's address are used up
            raise HttpError(429, " ".join(error.messages)) from error
        raise _unprocessable(error) from error
    return {**_person_out(person), "support_needs": person.support_needs}


@router.get("/me/roles", response={200: list[RoleOut], **ERRORS})
def my_roles(request: HttpRequest) -> Any:
    return [_role_out(role) for role in selectors.role_history(_me(request))]


@router.get("/me/consents", response={200: list[ConsentOut], **ERRORS})
def my_consents(request: HttpRequest) -> Any:
    return list(selectors.consent_history(_me(request)))


@router.post("/me/consents", response={201: ConsentOut, **ERRORS})
def give_my_consent(request: HttpRequest, payload: ConsentIn) -> Any:
    try:
        consent = services.consent_give(
            actor=actor_for(request), person=_me(request), purpose=payload.purpose, method="online"
        )
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, consent)


@router.delete("/me/consents/{purpose}", response={204: None, **ERRORS})
def withdraw_my_consent(request: HttpRequest, purpose: str) -> Any:
    if not services.consent_withdraw(actor=actor_for(request), person=_me(request), purpose=purpose):
        raise HttpError(404, _("There is no active consent for this purpose."))
    return Status(204, None)


@router.get("/me/reads", response={200: list[ReadOut], **ERRORS})
def my_reads(request: HttpRequest) -> Any:
    """When, in which role and why others read sensitive data about me."""
    entries = with_reader_names(AccessLogEntry.objects.filter(subject_person_id=_me(request).pk).order_by("-at")[:500])
    return [
        {"at": e.at, "role": e.actor_role, "reader": e.reader, "action": e.action, "purpose": e.purpose,
         "outcome": e.outcome}
        for e in entries
    ]  # fmt: skip


@router.get("/me/export", response={200: dict[str, list[dict[str, Any]]], **ERRORS})
def my_export(request: HttpRequest) -> Any:
    return export_person(_me(request))


@router.get("/me/export.csv", response=ERRORS, openapi_extra=CSV_EXPORT)
def my_export_csv(request: HttpRequest) -> Any:
    """All my data as CSV, the same as the download on the "My data" page."""
    return _csv(request, _me(request))


@router.post("/me/erase", response={204: None, **ERRORS})
def erase_me(request: HttpRequest, payload: EraseIn) -> Any:
    """Erase all my personal data in every app and close my account; statistics stay whole.

    Send ``{"confirm": true}``: anything else changes nothing.  Irreversible, so the session must have
    confirmed it is me within the last five minutes (every factor of the account again, on
    ``/accounts/reauthenticate/``, as before changing sign-in details): else 403 and nothing changes.
    """
    person = _me(request)
    _erase(request, person, payload)
    logout(request)  # the account is gone and so are its sessions, this one included
    return Status(204, None)


@router.get("/persons", response={200: list[PersonOut], **ERRORS})
def search_persons(request: HttpRequest, q: str = Query("", max_length=100)) -> Any:
    """Coordinators: residents of their own districts only."""
    actor = actor_for(request)
    if not can(actor, "people.search_persons"):
        raise HttpError(403, _("You may not search residents."))
    return [_person_out(p) for p in selectors.persons_search(actor, q)[:100]]


@router.post("/persons", response={201: PersonDetailOut, **ERRORS})
def register_person(request: HttpRequest, payload: PersonIn) -> Any:
    """Coordinators: register a resident by phone, with the consents they gave.

    A coordinator for organisations names the one that follows the person (``organisation``, its slug).
    """
    fields = payload.dict()
    slug = fields.pop("organisation")
    organisation = organisation_by_slug(slug) if slug else None
    if slug and organisation is None:
        raise HttpError(422, _("You do not coordinate for this organisation."))
    try:
        person = services.person_register(
            actor=actor_for(request), **fields, organisation=organisation, consent_method="phone", via=via_of(request)
        )
    except PermissionDenied:
        raise HttpError(403, _("You may not register residents.")) from None
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, {**_person_out(person), "support_needs": person.support_needs})


@router.get("/persons/{person_id}", response={200: PersonDetailOut, **ERRORS})
def get_person(request: HttpRequest, person_id: int) -> Any:
    """Another person's id and an id that does not exist give the same 404."""
    person = selectors.person_for(actor_for(request), person_id, request=request)
    return {**_person_out(person), "support_needs": selectors.support_needs_read(request, person)}


@router.get("/persons/{person_id}/consents", response={200: list[ConsentOut], **ERRORS})
def person_consents(request: HttpRequest, person_id: int) -> Any:
    person = selectors.person_for(actor_for(request), person_id, rule="people.record_consent", request=request)
    return list(selectors.consent_history(person))


@router.post("/persons/{person_id}/consents", response={201: ConsentOut, **ERRORS})
def record_consent(request: HttpRequest, person_id: int, payload: ConsentIn) -> Any:
    """Coordinators: record a consent given by phone or on paper."""
    person = selectors.person_for(actor_for(request), person_id, rule="people.record_consent", request=request)
    try:
        consent = services.consent_give(
            actor=actor_for(request), person=person, purpose=payload.purpose, method=payload.method
        )
    except ValidationError as error:
        raise _unprocessable(error) from error
    return Status(201, consent)


@router.delete("/persons/{person_id}/consents/{purpose}", response={204: None, **ERRORS})
def withdraw_consent(request: HttpRequest, person_id: int, purpose: str) -> Any:
    person = selectors.person_for(actor_for(request), person_id, rule="people.record_consent", request=request)
    if not services.consent_withdraw(actor=actor_for(request), person=person, purpose=purpose):
        raise HttpError(404, _("There is no active consent for this purpose."))
    return Status(204, None)


@router.post("/persons/{person_id}/roles", response={201: RoleOut, **ERRORS})
def grant_role(request: HttpRequest, person_id: int, payload: RoleIn) -> Any:
    """Coordinators grant helper or resident roles in their districts; administrators any role."""
    actor = actor_for(request)
    person = selectors.person_for(actor, person_id, request=request)
    try:
        assignment = services.role_grant(
            actor=actor, person=person, role=payload.role, district=selectors.grant_district(actor, person)
        )
    except ValidationError as error:
        raise _unprocessable(error) from error
    except PermissionDenied:
        raise HttpError(403, _("You may not grant this role.")) from None
    return Status(201, _role_out(assignment))


@router.delete("/persons/{person_id}/roles/{assignment_id}", response={200: RoleAssignmentOut, **CHANGES})
def withdraw_role(request: HttpRequest, person_id: int, assignment_id: int) -> Any:
    """Withdraw one of the person's roles, as those entitled to grant it may; who withdrew it is recorded.

    A role that was already withdrawn gives 409 and changes nothing.
    """
    actor = actor_for(request)
    person = selectors.person_for(actor, person_id, request=request)
    assignment = person.roles.select_related("district", "place", "organisation").filter(pk=assignment_id).first()
    if assignment is None:
        raise HttpError(404, _("This role does not exist."))
    already_withdrawn = assignment.withdrawn_at is not None
    try:
        services.role_withdraw(actor=actor, assignment=assignment)  # the rule first; a withdrawn role stays as it is
    except PermissionDenied:
        raise HttpError(403, _("You may not withdraw this role.")) from None
    if already_withdrawn:
        raise HttpError(409, _("This role was already withdrawn."))
    return {**_role_out(assignment), "withdrawn_by_person_id": assignment.withdrawn_by_id}


def _export_for(request: HttpRequest, person_id: int) -> Person:
    """The person whose data the actor may export, and the export written to the access log."""
    person = selectors.person_for(actor_for(request), person_id, rule="people.export_data", request=request)
    log_request_access(
        request,
        subject_person_id=person.pk,
        record_type="people.Person",
        record_id=person.pk,
        action="export",
        purpose="data_export",
        allowed=True,
    )
    return person


def _csv(request: HttpRequest, person: Person) -> HttpResponse:
    tables = export_person(person, actor_for(request))  # declared fields only where the rule allows
    response = HttpResponse(export_as_csv(tables), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="my-data-{person.pk}.csv"'
    return response


def _erase(request: HttpRequest, person: Person, payload: EraseIn) -> None:
    if payload.confirm is not True:
        raise HttpError(
            422,
            _('Nothing was erased. To erase all personal data for good, send {"confirm": true}.'),
        )
    if not reauthentication.reauthenticated_recently(request):  # the same mark the pages' steps set
        raise HttpError(
            403,
            _(
                "Nothing was erased. Confirm that it is you first (%(url)s, with the same session), "
                "then send this again within %(minutes)d minutes."
            )
            % {
                "url": reauthentication.first_step_url(request),
                "minutes": settings.ACCOUNT_REAUTHENTICATION_TIMEOUT // 60,
            },
        )
    try:
        services.person_erase(actor=actor_for(request), person=person, via=via_of(request))
    except PermissionDenied:
        raise Http404 from None


@router.get("/persons/{person_id}/export", response={200: dict[str, list[dict[str, Any]]], **ERRORS})
def person_export(request: HttpRequest, person_id: int) -> Any:
    return export_person(_export_for(request, person_id), actor_for(request))


@router.get("/persons/{person_id}/export.csv", response=ERRORS, openapi_extra=CSV_EXPORT)
def person_export_csv(request: HttpRequest, person_id: int) -> Any:
    """Coordinators: all the data of a resident they coordinate, as CSV; every export is in the access log."""
    return _csv(request, _export_for(request, person_id))


@router.post("/persons/{person_id}/erase", response={204: None, **ERRORS})
def person_erase(request: HttpRequest, person_id: int, payload: EraseIn) -> Any:
    """Coordinators: erase all personal data of a resident they coordinate, on their behalf.

    Send ``{"confirm": true}``: anything else changes nothing.  Another person's id gives the same 404
    as an id that does not exist.  Irreversible, so the coordinator's session must have confirmed it is
    them within the last five minutes (password and authenticator code again, on
    ``/accounts/reauthenticate/``): else 403 and nothing changes.
    """
    person = selectors.person_for(actor_for(request), person_id, rule="people.erase_data", request=request)
    _erase(request, person, payload)
    return Status(204, None)
