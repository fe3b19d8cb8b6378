"""Pages about organisations: "my organisation" for its staff; the list and who works where for the city.

Views parse input and call selectors and services; who may see what is
declared in ``apps/organisations/rules.py`` and ``apps/people/rules.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.access.rules import can
from apps.people import selectors as people_selectors
from apps.people import services as people_services
from apps.people.models import Role
from apps.people.rules import roles_grantable_for_organisation
from apps.people.views import withdraw_role_and_say_so

from . import selectors, services, tables
from .forms import OrganisationForm, StaffGrantForm
from .models import Organisation


@never_cache
@requires("organisations.list_organisations")
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = list(selectors.organisations_for(actor_for(request)))
    context = {"organisations": organisations, "organisations_table": tables.organisations(organisations)}
    return render(request, "organisations/organisation_list.html", context)


@never_cache
@requires("organisations.view_own_organisation")
def my_organisation(request: HttpRequest) -> HttpResponse:
    """The profile of the organisation I work for, or the list when I work for several."""
    organisations = list(selectors.own_organisations(actor_for(request)))
    if len(organisations) == 1:
        return _detail(request, organisations[0])
    context = {"organisations": organisations, "organisations_table": tables.organisations(organisations)}
    return render(request, "organisations/my_organisations.html", context)


@never_cache
@requires("authenticated")  # the object rule decides; another organisation answers like a missing one (404)
@require_http_methods(["GET", "POST"])
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_for(request)
    organisation = selectors.organisation_for(actor, slug)
    staff_form = None
    if request.method == "POST":
        if not can(actor, "organisations.manage_staff", organisation):
            raise PermissionDenied
        if request.POST.get("form") == "withdraw_role":
            withdraw_role_and_say_so(request, selectors.organisation_staff(organisation))
            return redirect("organisations:organisation_detail", slug=organisation.slug)
        staff_form = StaffGrantForm(request.POST, roles=roles_grantable_for_organisation(actor))
        if _grant_role(request, organisation, staff_form):
            return redirect("organisations:organisation_detail", slug=organisation.slug)
    return _detail(request, organisation, staff_form)


def _detail(request: HttpRequest, organisation: Organisation, staff_form: StaffGrantForm | None = None) -> HttpResponse:
    actor = actor_for(request)
    can_manage = can(actor, "organisations.manage_staff", organisation)
    context = {
        "organisation": organisation,
        "can_list": can(actor, "organisations.list_organisations"),
        "can_change": can(actor, "organisations.change_organisation", organisation),
        "can_manage": can_manage,
    }
    if can_manage:
        context["staff"] = staff = list(selectors.organisation_staff(organisation))
        context["staff_table"] = tables.staff(organisation, staff, get_token(request))
        context["staff_form"] = staff_form or StaffGrantForm(roles=roles_grantable_for_organisation(actor))
    return render(request, "organisations/organisation_detail.html", context)


def _grant_role(request: HttpRequest, organisation: Organisation, form: StaffGrantForm) -> bool:
    """Grant the role; on bad input the form carries the message and nothing changes."""
    if not form.is_valid():
        return False
    person = people_selectors.person_with_account(form.cleaned_data["login"])
    if person is None:
        form.add_error(
            "login",
            _("Nobody has an account with this email address or mobile number. Ask them to sign up first."),
        )
        return False
    role = form.cleaned_data["role"]
    try:
        people_services.role_grant(actor=actor_for(request), person=person, role=role, organisation=organisation)
    except ValidationError as error:
        form.add_error("role", error)
        return False
    except PermissionDenied:
        form.add_error("role", _("You may not grant this role."))
        return False
    messages.success(
        request,
        _("%(name)s now has the role %(role)s at %(organisation)s.")
        % {"name": person, "role": Role(role).label, "organisation": organisation.name},
    )
    return True


@never_cache
@requires("authenticated")  # the object rule decides; another organisation answers like a missing one (404)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_for(request)
    organisation = selectors.organisation_for(actor, slug, rule="organisations.change_organisation")
    initial = {name: getattr(organisation, name) for name in services.CHANGEABLE}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=actor, organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The profile of %(organisation)s is saved.") % {"organisation": organisation})
            return redirect("organisations:organisation_detail", slug=organisation.slug)
    return render(request, "organisations/organisation_edit.html", {"form": form, "organisation": organisation})
