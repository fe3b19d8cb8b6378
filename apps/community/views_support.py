"""Community life: the pages of support requests, materials and grant calls (issue 18, item 2).

The starter of a published initiative: "Ask the city" (one page per kind), their requests with the status, the
date of the promised answer and the history; reply to a question, withdraw.  The city (the responsible team, the
district's coordinators and city staff): the worklist, the answer due first; take up, ask, note, grant or decline.
The jury of a grant call: its applications, once the call has closed; score or step aside.  Everyone: which
materials the city lends and how many are free, and the grant calls.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.access.rules import can
from apps.core.components import Cell, Column, Table, Tag
from apps.core.formats import day as day_text
from apps.core.formats import moment

from . import selectors, support
from .forms_support import (
    AvailabilityForm,
    DecisionForm,
    GrantForm,
    HelpForm,
    MaterialsForm,
    PermitForm,
    RecusalForm,
    ScoreForm,
    TextForm,
)
from .models import GrantCall, Initiative, JuryScore, Material, SupportKind, SupportRequest
from .views import run_button

STATUS_VARIANTS = {
    "submitted": "info",
    "in_progress": "info",
    "question": "warning",
    "approved": "success",
    "declined": "error",
    "withdrawn": "neutral",
}
KIND_TEXT = {
    SupportKind.MATERIALS: _("Tables, benches, a tent, a sound system: borrow them for a few days."),
    SupportKind.PERMIT: _("A street party, a neighbourhood meal, a play street: the events service gives the permit."),
    SupportKind.GRANT: _("Up to the ceiling of an open call, judged by a jury of the district."),
    SupportKind.HELP: _("Insurance for volunteers, a room to meet, help with publicity."),
}
PER_PAGE = 50


def status_tag(request: SupportRequest) -> Tag:
    return Tag(request.get_status_display(), STATUS_VARIANTS.get(request.status, "neutral"))  # type: ignore[arg-type]


def due_cell(request: SupportRequest) -> Cell:
    """The date of the promised answer; marked late when it passed without one."""
    return Cell(day_text(request.answer_due), tag=Tag(_("Late"), "error") if support.is_late(request) else None)


def _requests_table(caption: str, empty: str, rows: Any, *, with_initiative: bool) -> Table:
    extra = [Column(_("Initiative")), Column(_("District"))] if with_initiative else []
    columns = [Column(_("Support request")), *extra]
    table = Table(
        caption=caption, columns=[*columns, Column(_("Status")), Column(_("Answer by")), Column(_("Team"))], empty=empty
    )
    for found in rows:
        first = Cell(
            f"{found.get_kind_display()} · {day_text(timezone.localtime(found.submitted_at))}",
            url=reverse("community:support_request", args=[found.pk]),
        )
        middle = [found.initiative.title, found.initiative.district.name if found.initiative.district else "–"]
        table.add(
            first,
            *(middle if with_initiative else []),
            Cell(tag=status_tag(found)),
            due_cell(found),
            found.team.name if found.team else "–",
        )
    return table


# --- the starter -------------------------------------------------------------------------------------------------


@never_cache
@require_GET
@requires("community.start_initiative")
def support_list(request: HttpRequest, pk: int) -> HttpResponse:
    """An initiative's requests and the four kinds it may ask for."""
    actor = actor_for(request)
    found = selectors.initiative_for(actor, pk, rule="community.manage_initiative")
    table = _requests_table(
        _("Your requests"),
        _("You have not asked the city anything yet."),
        support.of_initiative(found),
        with_initiative=False,
    )
    kinds = [
        {
            "kind": kind,
            "label": label,
            "text": KIND_TEXT[kind],
            "url": reverse("community:support_new", args=[found.pk, kind]),
        }
        for kind, label in SupportKind.choices
    ]
    context = {
        "initiative": found,
        "table": table,
        "kinds": kinds,
        "may_ask": can(actor, "community.ask_support", found),
    }
    return render(request, "community/support/list.html", context)


def _materials_form(request: HttpRequest) -> MaterialsForm:
    """The materials form; once the days are filled in (any POST), each material says how many are free then."""
    materials = list(Material.objects.filter(active=True).order_by("slug"))
    data = request.POST if request.method == "POST" else None
    free = None
    if data is not None:
        probe = MaterialsForm(data, materials=materials)
        probe.is_valid()
        first, last = probe.cleaned_data.get("needed_from"), probe.cleaned_data.get("needed_until")
        today = timezone.localdate()
        if first and last and today <= first <= today + timedelta(days=366) and 0 <= (last - first).days <= 61:
            free = {material.pk: count for material, count, _days in support.availability(first, last)}
    return MaterialsForm(data, materials=materials, free=free)


def _send(kind: str, form: Any, actor: Any, initiative: Initiative) -> SupportRequest:
    data = form.cleaned_data
    if kind == SupportKind.MATERIALS:
        return support.request_materials(
            actor=actor,
            initiative=initiative,
            needed_from=data["needed_from"],
            needed_until=data["needed_until"],
            wanted=form.wanted(),
            message=data.get("message", ""),
        )
    if kind == SupportKind.PERMIT:
        permit = support.Permit(**{k: v for k, v in data.items() if k != "message"})
        return support.request_permit(actor=actor, initiative=initiative, permit=permit, message=data["message"])
    if kind == SupportKind.GRANT:
        return support.request_grant(
            actor=actor,
            initiative=initiative,
            call=data["call"],
            amount_eur=data["amount_eur"],
            plan=data["plan"],
            budget=data["budget"],
        )
    return support.request_help(actor=actor, initiative=initiative, topic=data["topic"], message=data["message"])


@never_cache
@require_http_methods(["GET", "POST"])
@requires("community.start_initiative")
def support_new(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in SupportKind.values:
        raise Http404
    actor = actor_for(request)
    found = selectors.initiative_for(actor, pk, rule="community.ask_support")
    data = request.POST if request.method == "POST" else None
    calls = support.open_calls(found)
    form: Any = {
        SupportKind.MATERIALS: lambda: _materials_form(request),
        SupportKind.PERMIT: lambda: PermitForm(data),
        SupportKind.GRANT: lambda: GrantForm(data, calls=calls),
        SupportKind.HELP: lambda: HelpForm(data),
    }[kind]()
    looking = kind == SupportKind.MATERIALS and "look" in request.POST
    if request.method == "POST" and not looking and form.is_valid():
        try:
            made = _send(kind, form, actor, found)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("Sent. The city answers by %(day)s.") % {"day": day_text(made.answer_due)})
            return redirect("community:support_request", pk=made.pk)
    context = {
        "initiative": found,
        "form": form,
        "kind": kind,
        "label": SupportKind(kind).label,
        "text": KIND_TEXT[kind],
        "no_calls": kind == SupportKind.GRANT and not calls.exists(),
        "lead_days": support.settings.COMMUNITY_PERMIT_LEAD_DAYS,
        "first_day": support.permit_first_day(),
        "answer_days": support.settings.COMMUNITY_SUPPORT_ANSWER_DAYS,
    }
    return render(request, "community/support/new.html", context, status=400 if form.errors and not looking else 200)


# --- one request -------------------------------------------------------------------------------------------------


def _facts(found: SupportRequest) -> list[tuple[str, str]]:
    """What was asked, in words, for the page of the request."""
    facts: list[tuple[str, str]] = []
    if found.kind == SupportKind.MATERIALS:
        facts.append((_("Days"), f"{day_text(found.needed_from)} – {day_text(found.needed_until)}"))
        for line in found.lines.select_related("material"):
            facts.append((line.material.name, str(line.quantity)))
    elif found.kind == SupportKind.PERMIT:
        d = found.details
        yes, no = _("yes"), _("no")
        facts += [
            (_("What kind of event"), str(support.PERMIT_EVENTS.get(d.get("event"), "–"))),
            (_("Street or square"), d.get("street", "")),
            (_("Date"), f"{day_text(found.needed_from)}, {d.get('starts')}–{d.get('ends')}"),
            (_("How many people you expect"), str(d.get("people", ""))),
            (_("The street is closed to traffic"), yes if d.get("closes_street") else no),
            (_("There is music through loudspeakers"), yes if d.get("amplified_sound") else no),
            (_("Food or drinks are served"), yes if d.get("food_or_drinks") else no),
            (_("Tents or stands"), d.get("structures") or "–"),
            (_("Setting up and clearing away"), d.get("set_up") or "–"),
        ]
    elif found.kind == SupportKind.GRANT:
        facts += [
            (_("Grant call"), found.call.title if found.call else "–"),
            (_("Amount asked"), f"{found.amount_eur} euro"),
            (_("What you will do with it"), found.details.get("plan", "")),
            (_("Your budget"), found.details.get("budget", "")),
        ]
        if found.granted_eur:
            facts.append((_("Amount granted"), f"{found.granted_eur} euro"))
    else:
        facts.append((_("What you need help with"), str(support.HELP_TOPICS.get(found.details.get("topic"), "–"))))
    if found.message:
        facts.append((_("Your question") if found.kind == SupportKind.HELP else _("Anything else"), found.message))
    return facts


@never_cache
@require_GET
@requires("authenticated")  # the object rule decides: the applicant and who answers
def support_request(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    found = support.request_for(actor, pk)
    answers = can(actor, "community.answer_support", found)
    context = {
        "found": found,
        "tag": status_tag(found),
        "facts": _facts(found),
        "steps": support.steps_for(actor, found),
        "answers": answers,
        "is_applicant": not answers,
        "decision_form": DecisionForm(grant=found.kind == SupportKind.GRANT),
        "ask_form": TextForm(prefix="ask", label=_("Your question to the initiative")),
        "note_form": TextForm(prefix="note", label=_("A note for the city (the initiative does not see it)")),
        "reply_form": TextForm(prefix="reply", label=_("Your answer")),
        "scores": support.summary(found) if answers and found.kind == SupportKind.GRANT else None,
        "scores_hidden": answers and found.kind == SupportKind.GRANT and not support.may_see_scores(actor, found),
        "may_withdraw": support.may_withdraw(found),
        "late": due_cell(found).tag is not None,
        "deadline_passed": found.call is not None and timezone.localdate() > found.call.deadline,
    }
    return render(request, "community/support/request.html", context)


@require_POST
@requires("authenticated")
def support_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The buttons of a request; a button the actor may not press answers as a missing request."""
    actor = actor_for(request)
    found = support.request_for(actor, pk)
    text = str(request.POST.get(f"{action}-text", ""))

    def decide() -> str:
        form = DecisionForm(request.POST, grant=found.kind == SupportKind.GRANT)
        if not form.is_valid():
            raise ValidationError(" ".join(str(e) for errors in form.errors.values() for e in errors))
        if request.POST.get("answer") not in ("yes", "no"):
            raise ValidationError(_("Choose to grant it or not."))
        support.decide(
            actor=actor,
            request=found,
            approve=request.POST["answer"] == "yes",
            text=form.cleaned_data["text"],
            granted_eur=form.cleaned_data.get("granted_eur"),
        )
        return _("Your answer is sent to the initiative.")

    handlers: dict[str, Callable[[], str]] = {
        "take": lambda: (support.take(actor=actor, request=found), _("You handle this request."))[1],
        "ask": lambda: (support.ask(actor=actor, request=found, text=text), _("Your question is sent."))[1],
        "note": lambda: (support.note(actor=actor, request=found, text=text), _("The note is kept."))[1],
        "reply": lambda: (support.reply(actor=actor, request=found, text=text), _("Your answer is sent."))[1],
        "withdraw": lambda: (support.withdraw(actor=actor, request=found), _("The request is withdrawn."))[1],
        "decide": decide,
    }
    return run_button(request, handlers, action, reverse("community:support_request", args=[found.pk]))


# --- the city's worklist -----------------------------------------------------------------------------------------


@never_cache
@require_GET
@requires("community.support_worklist")
def support_worklist(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    kind = request.GET.get("kind", "")
    if kind and kind not in SupportKind.values:
        kind, status = "", 400
        messages.error(request, _("Choose one of the kinds shown."))
    else:
        status = 200
    mine = request.GET.get("mine") == "1"
    page = Paginator(support.worklist(actor, kind=kind, mine=mine), PER_PAGE).get_page(request.GET.get("page"))
    table = _requests_table(
        _("Support requests waiting for an answer"), _("Nothing waits."), page.object_list, with_initiative=True
    )
    filters = [
        {"label": _("All"), "url": "?", "current": not kind and not mine},
        {"label": _("Handled by me"), "url": "?mine=1", "current": mine},
    ] + [{"label": label, "url": f"?kind={value}", "current": kind == value} for value, label in SupportKind.choices]
    return render(
        request,
        "community/support/worklist.html",
        {"table": table, "page": page, "filters": filters, "count": page.paginator.count},
        status=status,
    )


# --- everyone: materials and grant calls -------------------------------------------------------------------------


@require_GET
@requires("public")
def materials(request: HttpRequest) -> HttpResponse:
    """What the city lends, and how many are free on the days asked (the next two weeks when none are)."""
    form = AvailabilityForm(request.GET or None)
    today = timezone.localdate()
    first, last, status = today, today + timedelta(days=13), 200
    if form.is_bound:
        if form.is_valid() and not today <= form.cleaned_data["first"] <= today + timedelta(days=366):
            form.add_error("first", _("Choose days from today to a year ahead."))
        if form.is_valid():
            first, last = form.cleaned_data["first"], form.cleaned_data["last"]
        else:
            status = 400
    table = Table(
        caption=_("Materials the city lends"),
        columns=[
            Column(_("Material")),
            Column(_("The city has"), numeric=True),
            Column(_("Free on every day chosen"), numeric=True),
            Column(_("Where to pick it up")),
        ],
        empty=_("The city lends nothing at the moment."),
    )
    for material, free, _days in support.availability(first, last):
        table.add(material.name, material.quantity, free, material.pick_up or "–")
    return render(
        request,
        "community/support/materials.html",
        {"form": form, "table": table, "first": first, "last": last},
        status=status,
    )


@require_GET
@requires("public")
def grant_calls(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    table = Table(
        caption=_("Grant calls"),
        columns=[
            Column(_("Call")),
            Column(_("District")),
            Column(_("Open from")),
            Column(_("Deadline")),
            Column(_("At most"), numeric=True),
        ],
        empty=_("There is no grant call yet."),
    )
    for call in support.calls_for()[:100]:
        open_now = call.opens_on <= today <= call.deadline
        table.add(
            Cell(
                call.title,
                url=reverse("community:grant_call", args=[call.pk]),
                tag=Tag(_("Open"), "success") if open_now else None,
            ),
            call.district.name if call.district else _("Every district"),
            day_text(call.opens_on),
            day_text(call.deadline),
            f"{call.ceiling_eur} euro",
        )
    return render(request, "community/support/calls.html", {"table": table})


@never_cache
@require_GET
@requires("public")
def grant_call(request: HttpRequest, pk: int) -> HttpResponse:
    """A call: what it is for, until when, how much; for the city, its applications with the jury's scores."""
    actor = actor_for(request)
    call = support.calls_for().filter(pk=pk).first()
    if call is None:
        raise Http404
    applications = None
    rows = [
        a
        for a in support._requests().filter(call=call).prefetch_related("scores").order_by("initiative__title")
        if can(actor, "community.answer_support", a)
    ]
    if rows:
        applications = Table(
            caption=_("Applications"),
            columns=[
                Column(_("Initiative")),
                Column(_("Asked"), numeric=True),
                Column(_("Status")),
                Column(_("Jury: scored"), numeric=True),
                Column(_("Jury: average of 20"), numeric=True),
            ],
        )
        for application in rows:
            s = support.summary(application)
            hidden = not support.may_see_scores(actor, application)
            applications.add(
                Cell(application.initiative.title, url=reverse("community:support_request", args=[application.pk])),
                f"{application.amount_eur} euro",
                Cell(tag=status_tag(application)),
                s.scored,
                "–" if s.average is None or hidden else s.average,
            )
    today = timezone.localdate()
    context = {
        "call": call,
        "open_now": call.opens_on <= today <= call.deadline,
        "applications": applications,
        "jury": can(actor, "community.sit_on_jury", call),
        "jury_url": reverse("community:jury", args=[call.pk]),
    }
    return render(request, "community/support/call.html", context)


# --- the jury ----------------------------------------------------------------------------------------------------


@never_cache
@require_GET
@requires("community.sit_on_jury")
def jury(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    call = GrantCall.objects.filter(pk=pk).first()
    if call is None or not can(actor, "community.sit_on_jury", call):
        raise Http404
    closed = timezone.localdate() > call.deadline
    table = Table(
        caption=_("Applications to score"),
        columns=[
            Column(_("Initiative")),
            Column(_("Asked"), numeric=True),
            Column(_("Your score")),
            Column(_("Average of the jury"), numeric=True),
        ],
        empty=_("No applications."),
    )
    if closed:
        for row in support.applications_for_jury(actor, call):
            application, mine, summary = row["application"], row["mine"], row["summary"]
            yours = (
                (Tag(_("You stepped aside"), "neutral") if mine.recused else Tag(str(mine.total), "success"))
                if mine
                else Tag(_("To score"), "warning")
            )
            table.add(
                Cell(application.initiative.title, url=reverse("community:jury_score", args=[application.pk])),
                f"{application.amount_eur} euro",
                Cell(tag=yours),
                "–" if summary is None or summary.average is None else summary.average,
            )
    return render(request, "community/support/jury.html", {"call": call, "table": table, "closed": closed})


@never_cache
@require_http_methods(["GET", "POST"])
@requires("community.sit_on_jury")
def jury_score(request: HttpRequest, pk: int) -> HttpResponse:
    """One application for a jury member: what it asks (never its contact), the score form or the recusal; once
    they scored, the others' scores beside theirs."""
    actor = actor_for(request)
    application = support._requests().filter(pk=pk, kind=SupportKind.GRANT).first()
    if application is None or not can(actor, "community.score_application", application):
        raise Http404
    member = support.member_of(actor, application.call_id or 0)
    mine = JuryScore.objects.filter(application=application, member=member).first()
    score_form = ScoreForm(request.POST if request.method == "POST" and "recuse" not in request.POST else None)
    recusal_form = RecusalForm(request.POST if request.method == "POST" and "recuse" in request.POST else None)
    if request.method == "POST" and mine is None:
        form: Any = recusal_form if "recuse" in request.POST else score_form
        if form.is_valid():
            try:
                if form is recusal_form:
                    support.score(
                        actor=actor, application=application, marks=None, recusal_reason=form.cleaned_data["reason"]
                    )
                else:
                    marks = {name: form.cleaned_data[name] for name in JuryScore.CRITERIA}
                    support.score(
                        actor=actor, application=application, marks=marks, comment=form.cleaned_data["comment"]
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you. Your score is kept."))
                return redirect("community:jury_score", pk=application.pk)
    others = None
    if mine is not None and not mine.recused:
        others = Table(
            caption=_("The jury's scores"),
            columns=[Column(_("Seat"))]
            + [Column(str(JuryScore._meta.get_field(name).verbose_name), numeric=True) for name in JuryScore.CRITERIA]
            + [Column(_("Total of 20"), numeric=True)],
        )
        rows = list(application.scores.select_related("member"))
        # an order of its own per application: the same seat on the same line every time would name its member
        rows.sort(key=lambda r: hashlib.sha256(f"{application.pk}:{r.member_id}".encode()).hexdigest())
        for row in rows:
            seat = str(row.member.get_seat_display())
            if row.pk == mine.pk:
                seat = _("%(seat)s (you)") % {"seat": seat}
            if row.recused:
                others.add(seat, "–", "–", "–", "–", _("stepped aside"))
            else:
                others.add(seat, *(getattr(row, name) for name in JuryScore.CRITERIA), row.total)
    status = 400 if request.method == "POST" and (score_form.errors or recusal_form.errors) else 200
    context = {
        "application": application,
        "facts": _facts(application),
        "mine": mine,
        "others": others,
        "score_form": score_form,
        "recusal_form": recusal_form,
        "initiative": application.initiative,
        "moment": moment,
    }
    return render(request, "community/support/score.html", context, status=status)
