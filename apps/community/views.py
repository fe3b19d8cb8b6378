"""Community life: the pages of initiatives (issue 18, item 1).

Public: the list of published initiatives with filters (district, theme, for whom, meeting young and old or
different backgrounds, words) and one initiative's page.  A resident's account: start one in four short steps and
a last page to check, sign the inclusion commitment and send; "My initiatives"; follow one, and take part of what
it needs.  Reviewers (the coordinators of the district, city staff): the worklist, publish or return with a reason.
Views parse input and call selectors and services; who may do what is in ``rules.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.access.rules import can
from apps.core.components import Cell, Column, Table, Tag
from apps.core.formats import language_names, moment

from . import selectors, services
from .events import events_of_initiative
from .forms import STEPS, FilterForm, NeedForm, ReturnForm, SendForm
from .models import Initiative

PER_PAGE = 20
STATUS_VARIANTS = {"draft": "neutral", "submitted": "info", "published": "success", "returned": "warning",
                   "ended": "neutral"}  # fmt: skip


def status_tag(initiative: Initiative) -> Tag:
    return Tag(initiative.get_status_display(), STATUS_VARIANTS.get(initiative.status, "neutral"))  # type: ignore[arg-type]


def audience_text(initiative: Initiative) -> str:
    labels = dict(Initiative.Audience.choices)
    return ", ".join(str(labels[code]) for code in initiative.audience if code in labels)


def where_text(initiative: Initiative) -> str:
    district = initiative.district.name if initiative.district else ""
    parts = [initiative.place.name if initiative.place else "", initiative.street, district]
    return ", ".join(part for part in parts if part)


# --- public ------------------------------------------------------------------------------------------------------


@require_GET
@requires("public")
def initiatives(request: HttpRequest) -> HttpResponse:
    """Published initiatives, filtered; 20 a page."""
    form = FilterForm(request.GET or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    found = selectors.published(form.chosen())
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    kept = [(key, value) for key, values in request.GET.lists() if key != "page" for value in values if value]
    query = urlencode(kept)
    context = {
        "form": form, "page": page, "query": query, "count": page.paginator.count,
        "rows": [{"initiative": i, "audience": audience_text(i), "where": where_text(i)} for i in page.object_list],
        "may_start": can(actor_for(request), "community.start_initiative"),
        "start_url": reverse("community:initiative_new"), "is_anonymous": actor_for(request).is_anonymous,
    }  # fmt: skip
    return render(request, "community/initiatives.html", context, status=status)


@never_cache
@require_GET
@requires("public")  # the object rule decides: a draft is a 404 for anyone else
def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    found = selectors.initiative_for(actor, pk)
    is_starter = can(actor, "community.manage_initiative", found)
    helpers = selectors.helpers_of(found) if is_starter else {}
    context: dict[str, Any] = {
        "initiative": found, "tag": status_tag(found), "audience": audience_text(found), "where": where_text(found),
        "languages": language_names(found.languages), "themes": list(found.themes.all()),
        "needs": [{"need": n, "names": helpers.get(n.pk, [])} for n in selectors.needs_of(found)],
        "mine": selectors.pledged_by(actor, found),
        "follows": selectors.follows(actor, found), "followers": found.follows.count(),
        "may_take_part": can(actor, "community.take_part", found), "is_starter": is_starter,
        "show_contact": can(actor, "community.view_contact", found),
        "may_review": can(actor, "community.review_initiative", found),
        "step_links": [(key, label) for key, (_form, label) in STEPS.items()],
        "send_url": reverse("community:initiative_send", args=[found.pk]),
        "support_url": reverse("community:support_list", args=[found.pk]),
        "steps": list(found.steps.select_related("by").order_by("at", "pk")) if is_starter or can(
            actor, "community.review_initiative", found) else [],
        "returned": found.steps.filter(kind="returned").order_by("-at", "-pk").first()
        if found.status == Initiative.Status.RETURNED else None,
        "need_form": NeedForm(), "return_form": ReturnForm(), "is_anonymous": actor.is_anonymous,
        "events": list(events_of_initiative(found)), "may_add_event": can(actor, "community.add_event", found),
        "event_new_url": reverse("community:event_new", args=[found.pk]),
        "feed": {"https": (feed := request.build_absolute_uri(reverse("community:feed_initiative", args=[found.pk]))),
                 "webcal": "webcal://" + feed.split("://", 1)[1]},
    }  # fmt: skip
    return render(request, "community/initiative.html", context)


# --- starting and changing one -----------------------------------------------------------------------------------


def _fields(form: forms.ModelForm) -> dict[str, Any]:  # type: ignore[type-arg]
    return {key: value for key, value in form.cleaned_data.items() if key != "themes"}


def _step_page(request: HttpRequest, step: str, form: Any, found: Initiative | None, status: int = 200) -> HttpResponse:
    names = [(key, label) for key, (_form, label) in STEPS.items()]
    context = {
        "form": form, "step": step, "steps": names, "number": list(STEPS).index(step) + 1, "count": len(STEPS) + 1,
        "initiative": found, "title": dict(names)[step],
    }  # fmt: skip
    return render(request, "community/step.html", context, status=status)


def _next_url(found: Initiative, step: str) -> str:
    keys = list(STEPS)
    if step != keys[-1]:
        return reverse("community:initiative_step", args=[found.pk, keys[keys.index(step) + 1]])
    return reverse("community:initiative_send", args=[found.pk])


@never_cache
@require_http_methods(["GET", "POST"])
@requires("community.start_initiative")
def initiative_new(request: HttpRequest) -> HttpResponse:
    """The first step; saving it makes the draft."""
    form_class = STEPS["what"][0]
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.initiative_create(actor=actor_for(request), fields=_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(_next_url(found, "what"))
    return _step_page(request, "what", form, None, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@requires("community.start_initiative")
def initiative_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if step not in STEPS:
        raise Http404
    actor = actor_for(request)
    found = selectors.initiative_for(actor, pk, rule="community.manage_initiative")
    form_class = STEPS[step][0]
    form = form_class(request.POST, instance=found) if request.method == "POST" else form_class(instance=found)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                actor=actor, initiative=found, fields=_fields(form),
                themes=form.cleaned_data.get("themes") if "themes" in form.fields else None,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if found.status == Initiative.Status.PUBLISHED:
                messages.success(request, _("Saved. The city will look at the changes."))
                return redirect("community:initiative", pk=found.pk)
            return redirect(_next_url(found, step))
    return _step_page(request, step, form, found, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@requires("community.start_initiative")
def initiative_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Check everything, sign the inclusion commitment and send it to the city."""
    actor = actor_for(request)
    found = selectors.initiative_for(actor, pk, rule="community.manage_initiative")
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_submit(actor=actor, initiative=found, commitment=form.cleaned_data["commitment"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. The city looks at your initiative and answers within a few days."))
            return redirect("community:initiative", pk=found.pk)
    context = {
        "form": form, "initiative": found, "missing": services.missing_parts(found), "audience": audience_text(found),
        "where": where_text(found), "languages": language_names(found.languages), "themes": list(found.themes.all()),
        "steps": [(key, label) for key, (_form, label) in STEPS.items()], "number": len(STEPS) + 1,
        "count": len(STEPS) + 1,
        "may_send": found.status in (Initiative.Status.DRAFT, Initiative.Status.RETURNED),
    }  # fmt: skip
    return render(request, "community/send.html", context, status=400 if form.errors else 200)


def _initiatives_table(caption: str, empty: str, last: str, rows: list[tuple[Initiative, Tag, str]]) -> Table:
    """The starter's and the reviewers' lists: the initiative (a link), its district, a status and one date."""
    columns = [Column(_("Initiative")), Column(_("District")), Column(_("Status")), Column(last)]
    table = Table(caption=caption, columns=columns, empty=empty)
    for found, tag, when in rows:
        table.add(
            Cell(found.title, url=reverse("community:initiative", args=[found.pk])),
            found.district.name if found.district else "–", Cell(tag=tag), when,
        )  # fmt: skip
    return table


def run_button(request: HttpRequest, handlers: dict[str, Callable[[], str]], action: str, then: str) -> HttpResponse:
    """Run one button's handler: its message on success, the refusal's message otherwise (nothing changed); a
    button the actor may not press answers as a missing object (404).  Then back to ``then``."""
    if action not in handlers:
        raise Http404
    try:
        messages.success(request, handlers[action]())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404 from error
    return redirect(then)


def _act(request: HttpRequest, found: Initiative, handlers: dict[str, Callable[[], str]], action: str) -> HttpResponse:
    return run_button(request, handlers, action, reverse("community:initiative", args=[found.pk]))


def _valid(form: forms.Form) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError(" ".join(str(e) for errors in form.errors.values() for e in errors))
    return form.cleaned_data


@never_cache
@require_GET
@requires("community.start_initiative")
def initiatives_mine(request: HttpRequest) -> HttpResponse:
    rows = [(i, status_tag(i), moment(i.updated_at)) for i in selectors.mine(actor_for(request))[:200]]
    table = _initiatives_table(_("My initiatives"), _("You have not started an initiative yet."), _("Changed"), rows)
    return render(request, "community/mine.html", {"table": table, "start_url": reverse("community:initiative_new")})


@require_POST
@requires("community.start_initiative")
def initiative_manage(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The starter's buttons: add or remove a need, end the initiative, delete a draft."""
    actor = actor_for(request)
    found = selectors.initiative_for(actor, pk, rule="community.manage_initiative")

    def need() -> str:
        data = _valid(NeedForm(request.POST))
        services.need_add(actor=actor, initiative=found, what=data["what"], wanted=data["wanted"])
        return _("Added to what you need.")

    def remove_need() -> str:
        services.need_remove(actor=actor, initiative=found, need_pk=_int(request.POST.get("need")))
        return _("Removed.")

    def end() -> str:
        services.initiative_end(actor=actor, initiative=found)
        return _("The initiative has ended. Its page stays, marked as ended.")

    if action == "delete":
        try:
            services.initiative_delete_draft(actor=actor, initiative=found)
        except PermissionDenied as error:
            raise Http404 from error
        messages.success(request, _("The draft is deleted."))
        return redirect("community:mine")
    return _act(request, found, {"need": need, "remove-need": remove_need, "end": end}, action)


def _int(value: Any) -> int:
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) < 10):
        raise ValidationError(_("This is not one of the things listed."))
    return int(text)


# --- taking part -------------------------------------------------------------------------------------------------


@require_POST
@requires("authenticated")  # the object rule decides
def initiative_take_part(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Follow or stop following; bring something it needs, or no longer."""
    actor = actor_for(request)
    found = selectors.initiative_for(actor, pk)

    def follow(on: bool) -> Callable[[], str]:
        def run() -> str:
            services.follow_set(actor=actor, initiative=found, on=on)
            return _("You follow this initiative.") if on else _("You no longer follow it.")

        return run

    def bring(on: bool) -> Callable[[], str]:
        def run() -> str:
            services.pledge_set(actor=actor, initiative=found, need_pk=_int(request.POST.get("need")), on=on)
            return _("Thank you! The organisers see your first name.") if on else _("You no longer bring this.")

        return run

    handlers = {"follow": follow(True), "unfollow": follow(False), "bring": bring(True), "not-bring": bring(False)}
    return _act(request, found, handlers, action)


# --- review ------------------------------------------------------------------------------------------------------


@never_cache
@require_GET
@requires("community.review_initiatives")
def review_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for found in selectors.to_review(actor_for(request))[:300]:
        changed = found.status == Initiative.Status.PUBLISHED
        tag = Tag(_("Changed after publication"), "warning") if changed else status_tag(found)
        rows.append((found, tag, moment(found.submitted_at) if found.submitted_at else "–"))
    table = _initiatives_table(_("Initiatives waiting for the city"), _("Nothing waits."), _("Sent"), rows)
    return render(request, "community/review.html", {"table": table})


@require_POST
@requires("community.review_initiatives")
def review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_for(request)
    found = selectors.initiative_for(actor, pk, rule="community.review_initiative")

    def publish() -> str:
        services.initiative_publish(actor=actor, initiative=found)
        return _("The initiative is published.")

    def checked() -> str:
        services.initiative_checked(actor=actor, initiative=found)
        return _("The changes are checked; it stays published.")

    def send_back() -> str:
        services.initiative_return(actor=actor, initiative=found, reason=_valid(ReturnForm(request.POST))["reason"])
        return _("The initiative is returned to its starter with your reason.")

    return _act(request, found, {"publish": publish, "checked": checked, "return": send_back}, action)
