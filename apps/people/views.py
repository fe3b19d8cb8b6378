"""Pages about people: my profile, roles, consents, reads and data; coordinators' phone intake and search.

Views parse input and call selectors and services; they never decide who may
see what themselves (that is ``apps/people/rules.py``).
"""

from __future__ import annotations

import json
from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.access.actors import Actor, actor_for
from apps.access.decorators import requires
from apps.access.models import AccessLogEntry
from apps.access.privacy import export_as_csv, export_person
from apps.access.selectors import with_reader_names
from apps.access.services import log_request_access, log_request_list, via_of
from apps.core import formats
from apps.core.inputs import as_number
from apps.organisations.selectors import coordinated_organisations

from . import selectors, services, tables
from .consent_texts import CONSENT_TEXTS
from .forms import ConsentForm, ConsentMethodForm, EraseForm, GrantRoleForm, ProfileForm, RegisterPersonForm, SearchForm
from .models import Consent, Person, Purpose, Role, RoleAssignment
from .reauthentication import require_reauthentication
from .rules import roles_grantable


def _me(request: HttpRequest) -> Person:
    actor = actor_for(request)
    person = selectors.own_person(actor)
    if person is None:
        person = services.person_link_account(
            user=request.user, email=request.user.email or "", email_verified=services.email_is_verified(request.user)
        )
        request._actor = None  # type: ignore[attr-defined]  # the actor now has a person
    return person


def _add_form_errors(form: object, error: ValidationError, field: str | None = None) -> None:
    for message in error.messages:
        form.add_error(field, message)  # type: ignore[attr-defined]


def _consent_rows(person: Person, methods: list[tuple[str, str]] | None = None) -> list[dict[str, object]]:
    """One card per purpose; with ``methods`` (a coordinator on the phone) each card asks how consent was given."""
    active = selectors.active_consents(person)
    return [
        {
            "purpose": value,
            "label": label,
            "text": CONSENT_TEXTS[value][1],
            "consent": active.get(value),
            "method_form": ConsentMethodForm(purpose=value, methods=methods) if methods else None,
        }
        for value, label in Purpose.choices
    ]


# --- my pages -------------------------------------------------------------------------------------


@never_cache
@requires("authenticated")
@require_http_methods(["GET", "POST"])
def my_profile(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "phone": formats.phone(person.phone),  # as the person writes it; saved again in E.164
        "email": person.email,
        "languages": person.languages,
        "birth_date": person.birth_date,
        "contact_preference": person.contact_preference,
        "address": formats.address(person) if person.street else "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        address = data.pop("address")
        try:
            services.person_update(
                actor=actor_for(request),
                person=person,
                address=address if address != initial["address"] else None,
                via=request.path,
                **data,
            )
        except ValidationError as error:
            _add_form_errors(form, error, "phone" if getattr(error, "code", None) == "phone_is_login" else "address")
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("people:my_profile")
    return render(request, "people/my_profile.html", {"form": form, "person": person})


@never_cache
@requires("authenticated")
def my_roles(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    return render(request, "people/my_roles.html", {"roles_table": tables.roles(selectors.role_history(person))})


@never_cache
@requires("authenticated")
@require_http_methods(["GET", "POST"])
def my_consents(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    if request.method == "POST":
        _change_consent(request, person, default_method=Consent.Method.ONLINE)
        return redirect("people:my_consents")
    return render(
        request,
        "people/my_consents.html",
        {"rows": _consent_rows(person), "history_table": tables.consent_history(selectors.consent_history(person))},
    )


def _change_consent(request: HttpRequest, person: Person, default_method: str) -> None:
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a purpose and whether you give or withdraw consent."))
        return
    actor = actor_for(request)
    purpose, label = form.cleaned_data["purpose"], Purpose(form.cleaned_data["purpose"]).label
    if form.cleaned_data["action"] == "give":
        try:
            services.consent_give(
                actor=actor, person=person, purpose=purpose, method=form.cleaned_data["method"] or default_method
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return
        messages.success(request, _("Consent recorded: %(purpose)s.") % {"purpose": label})
    elif services.consent_withdraw(actor=actor, person=person, purpose=purpose):
        messages.success(request, _("Consent withdrawn: %(purpose)s. This takes effect now.") % {"purpose": label})


@never_cache
@requires("access.view_own_reads")
def my_reads(request: HttpRequest) -> HttpResponse:
    """When and why my data was read, and by whom: a helper by first name and initial, a coordinator by first
    name and organisation, other staff by their organisation (``with_reader_names``); a list on a phone."""
    person = _me(request)
    found = AccessLogEntry.objects.filter(subject_person_id=person.pk).order_by("-at", "-pk")
    page = Paginator(found, READS_PER_PAGE).get_page(request.GET.get("page"))
    entries = with_reader_names(page.object_list)
    return render(request, "people/my_reads.html", {"page": page, "reads_table": tables.reads(entries)})


READS_PER_PAGE = 25
"""Reads on one page of "Who read my data": on a phone each is a card."""


@never_cache
@requires("authenticated")
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    person = _me(request)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        require_reauthentication(request)  # irreversible: confirm it is you first; the POST is replayed after
        _erase(request, person)
        logout(request)  # the account is gone and so are its sessions (this one included): start a fresh one
        messages.success(request, _("All your personal data has been erased. Your account is closed."))
        return redirect("core:home")
    return render(
        request, "people/my_data.html", {"form": form, "person": person, "export_url": reverse("people:my_export")}
    )


@never_cache
@requires("authenticated")
def my_export(request: HttpRequest) -> HttpResponse:
    return _export(request, _me(request))


def _export(request: HttpRequest, person: Person) -> HttpResponse:
    log_request_access(
        request,
        subject_person_id=person.pk,
        record_type="people.Person",
        record_id=person.pk,
        action="export",
        purpose="data_export",
        allowed=True,
    )
    tables = export_person(person, actor_for(request))  # declared fields only where the rule allows
    if request.GET.get("format") == "csv":
        response = HttpResponse(export_as_csv(tables), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="my-data-{person.pk}.csv"'
    else:
        response = HttpResponse(
            json.dumps(tables, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="my-data-{person.pk}.json"'
    return response


def _erase(request: HttpRequest, person: Person) -> None:
    services.person_erase(actor=actor_for(request), person=person, via=via_of(request))


# --- coordinators -------------------------------------------------------------------------------


@never_cache
@requires("people.search_persons")
def person_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    persons = list(selectors.persons_search(actor_for(request), query)[:50])
    template = "people/person_results.html" if request.htmx else "people/person_search.html"
    shown = SearchForm.shown(query)
    context = {"form": shown, "persons": persons, "persons_table": tables.persons(persons), "query": query}
    return render(request, template, context)


@never_cache
@requires("people.register_person")
@require_http_methods(["GET", "POST"])
def person_register(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = RegisterPersonForm(
        request.POST or None,
        organisations=coordinated_organisations(actor),
        choose_none=bool(actor.district_scope(Role.COORDINATOR)),
    )
    duplicates: list[selectors.LikelyDuplicate] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        different = data.pop("different_person", False)
        if not different and not ratelimit.consume(request, action="person_duplicate_check"):
            form.add_error(None, _("You have checked many registrations in a short time. Try again later, or ask "
                                   "another coordinator to register this person."))  # fmt: skip
            status = 429
        else:
            try:
                duplicates = [] if different else _likely_duplicates(request, actor, data)
                person = None if duplicates else services.person_register(actor=actor, **data, via=via_of(request))
            except ValidationError as error:
                _add_form_errors(form, error, "address")
            else:
                if person is not None:
                    messages.success(request, _("%(name)s is registered.") % {"name": person})
                    return redirect("people:person_detail", person_id=person.pk)
    if not duplicates and not (form.is_bound and form.data.get("different_person")):
        form.hide_duplicate_check()
    context = {
        "form": form,
        "duplicates": duplicates,
        "duplicates_shown": [found for found in duplicates if found.visible],
        # outside one's scope only that someone is registered: no count, no name, no reason (not an oracle)
        "duplicates_elsewhere": any(not found.visible for found in duplicates),
    }
    return render(request, "people/person_register.html", context, status=status)


def _likely_duplicates(request: HttpRequest, actor: Actor, data: dict[str, Any]) -> list[selectors.LikelyDuplicate]:
    """Who may already be registered as the person in ``data`` (same phone, or same name and address): nothing
    is saved until the coordinator has looked and ticked "a different person".  An address the register does
    not know raises the ValidationError the registration would.  Each person found is written to the access
    log (purpose ``duplicate_check``): the check tells a coordinator that they are registered, even where the
    page names nobody, so the person sees it among who read their data."""
    located = services.address_locate(data["address"])
    found = selectors.likely_duplicates(
        actor, first_name=data["first_name"], last_name=data["last_name"], phone=data.get("phone", ""),
        street=located.street, house_number=located.house_number, postcode=located.postcode,
    )  # fmt: skip
    log_request_list(
        request,
        records=[(duplicate.person.pk, "people.Person", duplicate.person.pk) for duplicate in found],
        action=AccessLogEntry.Action.LIST,
        purpose="duplicate_check",
    )
    return found


@never_cache
@requires("authenticated")  # the object rule decides; refusals are logged and look like 404
@require_http_methods(["GET", "POST"])
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = actor_for(request)
    person = selectors.person_for(actor, person_id, request=request)
    if request.method == "POST":
        if request.POST.get("form") == "role":
            _grant_role(request, person)
        elif request.POST.get("form") == "withdraw_role":
            _withdraw_role(request, person)
        else:
            _change_consent(request, person, default_method=Consent.Method.PHONE)
        return redirect("people:person_detail", person_id=person.pk)
    methods = [m for m in Consent.Method.choices if m[0] != Consent.Method.ONLINE]
    context = {
        "person": person,
        "support_needs": selectors.support_needs_read(request, person),
        "rows": _consent_rows(person, methods=methods),
        "roles": selectors.active_roles(person),
        "role_form": GrantRoleForm(roles=roles_grantable(actor)),
        "methods": methods,
    }
    return render(request, "people/person_detail.html", context)


def _grant_role(request: HttpRequest, person: Person) -> None:
    actor = actor_for(request)
    form = GrantRoleForm(request.POST, roles=roles_grantable(actor))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("role", [])) or _("Choose a role."))
        return
    try:
        services.role_grant(
            actor=actor,
            person=person,
            role=form.cleaned_data["role"],
            district=selectors.grant_district(actor, person),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("You may not grant this role."))
    else:
        messages.success(request, _("Role granted: %(role)s.") % {"role": Role(form.cleaned_data["role"]).label})


def _withdraw_role(request: HttpRequest, person: Person) -> None:
    withdraw_role_and_say_so(request, person.roles.all())


def withdraw_role_and_say_so(request: HttpRequest, roles: QuerySet[RoleAssignment]) -> None:
    """Withdraw the role posted as ``assignment``, one of ``roles``, and say how it went (organisation pages too)."""
    posted = request.POST.get("assignment", "")
    number = as_number(posted)
    assignment = roles.filter(pk=number, withdrawn_at__isnull=True).first() if number is not None else None
    if assignment is None:
        messages.error(request, _("This role does not exist or was already withdrawn."))
        return
    try:
        services.role_withdraw(actor=actor_for(request), assignment=assignment)
    except PermissionDenied:
        messages.error(request, _("You may not withdraw this role."))
    else:
        messages.success(request, _("Role withdrawn: %(role)s.") % {"role": assignment.get_role_display()})


@never_cache
@requires("authenticated")  # the object rule decides; refusals are logged and look like 404
def person_export(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_for(actor_for(request), person_id, rule="people.export_data", request=request)
    return _export(request, person)


@never_cache
@requires("authenticated")  # the object rule decides; refusals are logged and look like 404
@require_http_methods(["GET", "POST"])
def person_erase(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_for(actor_for(request), person_id, rule="people.erase_data", request=request)
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        require_reauthentication(request)  # irreversible: the coordinator confirms it is them, as for a sign-in change
        _erase(request, person)
        messages.success(request, _("The personal data of this person has been erased."))
        return redirect("people:person_search")
    return render(request, "people/person_erase.html", {"form": form, "person": person})
