"""Outreach cases (issue 17, item 4): the coordinator's worklist, a new case, one case and what is done on it, and
the printable call list.

Every page that shows a case reads it through ``cases.case_for`` (one access-log entry per read, allowed or
refused; 404 for "missing" and "forbidden" alike); the lists log one entry per case they name.  A refused write
re-draws the case page with the message at its field, and changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
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

from apps.access.actors import Actor, actor_for
from apps.access.decorators import requires
from apps.access.rules import can
from apps.access.services import log_request_list
from apps.core.components import Cell, Column, Table, Tag
from apps.core.formats import moment
from apps.people import selectors as people_selectors
from apps.people.consent_texts import CONSENT_TEXTS
from apps.people.models import Person, Purpose, Role
from apps.places.models import District

from . import cases
from .forms_cases import (
    AssignForm,
    AttemptForm,
    CallListForm,
    CloseForm,
    ConsentForm,
    FollowUpForm,
    OfferAnswerForm,
    OfferForm,
    OpenCaseForm,
    PersonForm,
    TeamLeadForm,
)
from .models import OutreachCase, Screening
from .retention import case_days
from .screening import meaning
from .views_screening import results_table

STATUS_VARIANTS = {"open": "warning", "in_contact": "info", "closed": "neutral"}


def status_tag(case: OutreachCase) -> Tag:
    return Tag(case.get_status_display(), STATUS_VARIANTS.get(case.status, "neutral"))  # type: ignore[arg-type]


def who(case: OutreachCase) -> str:
    if case.person is not None:
        return f"{case.person.first_name} {case.person.last_name}"
    return _("Not known yet")


def _follow_up_cell(case: OutreachCase, today: date) -> Cell:
    if case.follow_up_on is None:
        return Cell("–")
    if case.follow_up_on < today:
        return Cell(case.follow_up_on, tag=Tag(_("Overdue"), "error"))
    if case.follow_up_on == today:
        return Cell(case.follow_up_on, tag=Tag(_("Today"), "warning"))
    return Cell(case.follow_up_on)


def _table(caption: str, rows: list[OutreachCase], today: date, *, assignee: bool, empty: str) -> Table:
    columns = [Column(_("Case")), Column(_("Who")), Column(_("District")), Column(_("Follow up")),
               Column(_("Status"))]  # fmt: skip
    if assignee:
        columns.append(Column(_("Coordinator")))
    table = Table(caption=caption, columns=columns, empty=empty)
    for case in rows:
        cells: list[Any] = [
            Cell(_("Case %(number)d") % {"number": case.pk}, url=reverse("wellbeing:case", args=[case.pk])),
            who(case), case.district.name, _follow_up_cell(case, today), Cell(tag=status_tag(case)),
        ]  # fmt: skip
        if assignee:
            cells.append(str(case.assigned_to) if case.assigned_to else _("nobody"))
        table.add(*cells, highlight=case.follow_up_on is not None and case.follow_up_on <= today)
    return table


def _online_table(found: list[Screening]) -> Table:
    table = Table(
        caption=_("Filled in online, not followed up yet"),
        columns=[Column(_("Date")), Column(_("Who")), Column(_("District")), Column(_("Meaning"))],
        empty=_("Nothing to follow up."),
    )  # fmt: skip
    for found_one in found:
        person = found_one.person
        table.add(
            Cell(moment(found_one.taken_at), url=reverse("wellbeing:screening", args=[found_one.pk])),
            f"{person.first_name} {person.last_name}" if person else "–",
            person.district.name if person and person.district else "–",
            meaning(found_one.category),
        )
    return table


def _closed_table(rows: list[OutreachCase]) -> Table:
    table = Table(
        caption=_("Closed cases"),
        columns=[Column(_("Case")), Column(_("Who")), Column(_("District")), Column(_("Closed on")),
                 Column(_("Outcome")), Column(_("Coordinator"))],
        empty=_("No closed cases."),
    )  # fmt: skip
    for case in rows:
        table.add(
            Cell(_("Case %(number)d") % {"number": case.pk}, url=reverse("wellbeing:case", args=[case.pk])),
            who(case),
            case.district.name,
            moment(case.closed_at),
            case.get_outcome_display(),
            str(case.assigned_to) if case.assigned_to else _("nobody"),
        )
    return table


@never_cache
@require_GET
@requires("wellbeing.view_cases")
def closed_list(request: HttpRequest) -> HttpResponse:
    """The closed cases one still sees, until retention anonymises them (and for a team lead their team's): to
    look up what was done when someone is reported again."""
    page = Paginator(cases.closed_cases(actor_for(request)), PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    cases.log_list(request, rows)
    context = {"closed": _closed_table(rows), "days": case_days(), "page": page, "query": ""}
    return render(request, "wellbeing/cases/closed.html", context)


PER_PAGE = 50
ONLINE_SHOWN = 50


@never_cache
@require_GET
@requires("wellbeing.view_cases")
def case_list(request: HttpRequest) -> HttpResponse:
    """My open cases, due today or overdue first, 50 a page; for a team lead the count of the team's (their own
    page) and what residents filled in online that nobody follows up yet.  Only what is shown is logged."""
    actor = actor_for(request)
    today = timezone.localdate()
    mine = cases.my_open_cases(actor, today)
    page = Paginator(mine, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    cases.log_list(request, shown)
    is_lead = any(cases.lead_scope(actor))
    online = cases.screenings_to_follow(actor, limit=ONLINE_SHOWN) if is_lead else []
    log_request_list(
        request, records=[(s.person_id, "wellbeing.Screening", s.pk) for s in online], action="list",
        purpose="wellbeing.view_screening",
    )  # fmt: skip
    context = {
        "mine": _table(_("My outreach cases"), shown, today, assignee=False, empty=_("You have no open cases.")),
        "page": page, "query": "", "is_lead": is_lead, "online": _online_table(online),
        "team_count": cases.team_case_count(actor) if is_lead else 0,
        "due": mine.filter(follow_up_on__lte=today).count(),
    }  # fmt: skip
    return render(request, "wellbeing/cases/list.html", context)


@never_cache
@require_GET
@requires("wellbeing.view_cases")
def team_list(request: HttpRequest) -> HttpResponse:
    """For a team lead: the open cases of their teams assigned to someone else (or to no one), due first, 50 a
    page; anyone else: an empty list."""
    actor = actor_for(request)
    today = timezone.localdate()
    page = Paginator(cases.team_cases(actor, today), PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    cases.log_list(request, shown)
    table = _table(_("Cases of my team"), shown, today, assignee=True, empty=_("No other open cases."))
    context = {"team": table, "page": page, "query": "", "is_lead": any(cases.lead_scope(actor))}
    return render(request, "wellbeing/cases/team.html", context)


def _districts(actor: Actor) -> Any:
    return District.objects.filter(pk__in=actor.district_scope(Role.COORDINATOR)).defer("geometry").order_by("number")


def _open(request: HttpRequest, person: Person | None) -> HttpResponse:
    actor = actor_for(request)
    form = OpenCaseForm(request.POST if request.method == "POST" else None, districts=_districts(actor), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            case = cases.case_open(
                actor=actor, person=person, district=form.cleaned_data.get("district"), notes=form.cleaned_data["notes"]
            )
        except ValidationError as error:
            field = "district" if error.code == "district" and "district" in form.fields else None
            form.add_error(field, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("The outreach case was opened and assigned to you."))
            return redirect("wellbeing:case", pk=case.pk)
    status = 400 if form.errors else 200
    return render(request, "wellbeing/cases/new.html", {"form": form, "person": person}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@requires("wellbeing.view_cases")
def case_new(request: HttpRequest) -> HttpResponse:
    """A case from one's own observation, about someone not known by name: who and where."""
    return _open(request, None)


@never_cache
@require_http_methods(["GET", "POST"])
@requires("authenticated")  # the object rule decides: a person the coordinator does not coordinate is a 404
def case_new_for_person(request: HttpRequest, person_pk: int) -> HttpResponse:
    """A case about a known person (the button on their page)."""
    person = people_selectors.person_for(
        actor_for(request), person_pk, rule="wellbeing.open_case_for_person", request=request
    )
    return _open(request, person)


@require_POST
@requires("authenticated")
def case_from_screening(request: HttpRequest, screening_pk: int) -> HttpResponse:
    """Open a case from a screening (the button on a screening's page): read and logged as the screening page."""
    from .screening import screening_for

    actor = actor_for(request)
    found = screening_for(actor, screening_pk, request)
    try:
        case = cases.open_case_from_screening(found, actor)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("wellbeing:screening", pk=found.pk)
    messages.success(request, _("The outreach case was opened and assigned to you."))
    return redirect("wellbeing:case", pk=case.pk)


# --- one case ----------------------------------------------------------------------------------------------


def _refer_url(case: OutreachCase) -> str:
    if case.person_id is None:
        return ""
    query = urlencode({"origin": "outreach", "origin_id": case.pk})
    return f"{reverse('directory:refer', args=[case.person_id])}?{query}"


def _forms(case: OutreachCase, requests: list[Any]) -> dict[str, forms.Form]:
    return {
        "attempt": AttemptForm(), "follow_up": FollowUpForm(initial={"follow_up_on": case.follow_up_on,
                                                                     "notes": case.notes}),
        "assign": AssignForm(case=case, initial={"to": case.assigned_to_id}), "person": PersonForm(),
        "consent": ConsentForm(), "offer": OfferForm(requests=requests), "answer": OfferAnswerForm(),
        "close": CloseForm(),
    }  # fmt: skip


def _page(request: HttpRequest, case: OutreachCase, bound: dict[str, forms.Form] | None = None) -> HttpResponse:
    cases.case_link_referrals(case)
    requests = cases.open_care_requests(case) if cases.has_consent(case) else []
    page_forms = _forms(case, requests)
    page_forms.update(bound or {})
    attempts = cases.attempts_of(case)
    screenings = _screenings_of_case(request, case)
    context = {
        "screenings": results_table(screenings, caption=_("Screenings in this case")) if screenings else None,
        "case": case, "who": who(case), "tag": status_tag(case), "attempts": attempts,
        "offers": cases.offers_of(case), "forms": page_forms, "has_consent": cases.has_consent(case),
        "is_closed": case.status == OutreachCase.Status.CLOSED,
        "refer_url": _refer_url(case) if cases.may_refer(case) else "",
        "care_url": reverse("care:take_by_phone", args=[case.person_id]) if cases.may_refer(case) else "",
        "consent_text": CONSENT_TEXTS[Purpose.WELLBEING_SCREENING][1], "tries": cases.tries_needed(),
        "attempt_count": len(attempts), "today": timezone.localdate(),
        "is_lead": cases.is_team_lead(actor_for(request), case),
        "bound": next(iter(bound.values())) if bound else None,
    }  # fmt: skip
    return render(request, "wellbeing/cases/detail.html", context, status=400 if bound else 200)


def _screenings_of_case(request: HttpRequest, case: OutreachCase) -> list[Screening]:
    """The screenings taken for this case that the reader may see (their rule: the consent must still hold), each
    read logged as on the person's list."""
    actor = actor_for(request)
    rows = case.screenings.filter(anonymised_at__isnull=True).select_related("person").order_by("taken_at", "pk")
    found = [s for s in rows if can(actor, "wellbeing.view_screening", s)]
    log_request_list(
        request, records=[(s.person_id, "wellbeing.Screening", s.pk) for s in found], action="read",
        purpose="wellbeing.view_screening",
    )  # fmt: skip
    return found


@never_cache
@require_GET
@requires("wellbeing.view_cases")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, cases.case_for(actor_for(request), pk, request))


def _do(actor: Actor, case: OutreachCase, action: str, form: forms.Form) -> str:
    """Run one action with a valid form; the message to show."""
    data = form.cleaned_data
    if action == "attempt":
        cases.case_attempt(actor=actor, case=case, channel=data["channel"], outcome=data["outcome"], note=data["note"],
                           on=data["on"])  # fmt: skip
        return _("The contact attempt is logged.")
    if action == "follow_up":
        cases.case_follow_up(actor=actor, case=case, on=data["follow_up_on"], notes=data["notes"])
        return _("The follow-up is saved.")
    if action == "assign":
        cases.case_assign(actor=actor, case=case, to=data["to"])
        return _("The case is assigned to %(name)s.") % {"name": data["to"]}
    if action == "person":
        person = Person.objects.filter(pk=data["person"], erased_at__isnull=True).first()
        if person is None:
            raise ValidationError(_("You do not coordinate this person."), code="person")
        cases.case_set_person(actor=actor, case=case, person=person)
        return _("The case now says who it is about.")
    if action == "consent":
        cases.case_record_consent(actor=actor, case=case, method=data["method"])
        return _("The consent is recorded.")
    if action == "offer":
        request = None
        if data["kind"] == "care_request":
            request = form.requests.get(data["care_request"]) if data["care_request"] else None  # type: ignore[attr-defined]
        cases.case_offer(actor=actor, case=case, kind=data["kind"], description=data["description"],
                         care_request=request)  # fmt: skip
        return _("The offer is noted.")
    if action == "answer":
        cases.case_offer_answer(actor=actor, case=case, offer_pk=data["offer"], answer=data["answer"])
        return _("The answer is saved.")
    cases.case_close(actor=actor, case=case, outcome=data["outcome"])
    return _("The case is closed.")


FORMS: dict[str, Any] = {
    "attempt": AttemptForm, "follow_up": FollowUpForm, "assign": AssignForm, "person": PersonForm,
    "consent": ConsentForm, "offer": OfferForm, "answer": OfferAnswerForm, "close": CloseForm,
}  # fmt: skip
ACTIONS = tuple(FORMS)


def _bind(action: str, request: HttpRequest, case: OutreachCase) -> forms.Form:
    if action == "assign":
        return AssignForm(request.POST, case=case)
    if action == "offer":
        requests = cases.open_care_requests(case) if cases.has_consent(case) else []
        return OfferForm(request.POST, requests=requests)
    form: forms.Form = FORMS[action](request.POST)
    return form


def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_for(request)
    case = cases.case_for(actor, pk, request, action=action)
    form = _bind(action, request, case)
    if form.is_valid():
        try:
            done = _do(actor, case, action, form)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, done)
            if action == "assign" and not cases.may_see_case(actor, cases.case_for_write(pk)):
                return redirect("wellbeing:cases")  # handed over to a colleague: no longer mine to see
            return redirect("wellbeing:case", pk=case.pk)
    case = cases.case_for(actor, pk, None)
    return _page(request, case, {action: form})


def _action_view(action: str) -> Any:
    @require_POST
    @requires("wellbeing.view_cases")
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return case_action(request, pk, action)

    view.__name__ = f"case_{action}"
    view.__doc__ = f"POST: {action.replace('_', ' ')} on one case (the rule of the case decides)."
    return view


ACTION_VIEWS = {action: _action_view(action) for action in ACTIONS}


# --- the call list -----------------------------------------------------------------------------------------


@never_cache
@require_GET
@requires("wellbeing.view_cases")
def call_list(request: HttpRequest) -> HttpResponse:
    """The printable list of one's own cases to follow up on a day (today by default): name, phone, what to ask,
    the last attempt; in large print."""
    actor = actor_for(request)
    form = CallListForm(request.GET or None)
    today = timezone.localdate()
    day = today
    if form.is_bound and form.is_valid() and form.cleaned_data["day"]:
        day = form.cleaned_data["day"]
    calls = cases.call_list(actor, day)
    cases.log_list(request, [call.case for call in calls], action="call_list")
    return render(request, "wellbeing/cases/call_list.html", {"form": form, "calls": calls, "day": day,
                                                              "today": today})  # fmt: skip


# --- team leads (administrators) ---------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@requires("wellbeing.manage_team_leads")
def team_leads(request: HttpRequest) -> HttpResponse:
    """The team leads of outreach, and marking a coordinator as one (of a district or an organisation)."""
    actor = actor_for(request)
    form = TeamLeadForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person = Person.objects.filter(pk=form.cleaned_data["person"], erased_at__isnull=True).first()
        try:
            if person is None:
                raise ValidationError(_("This person is not a coordinator there."), code="not_coordinator")
            cases.team_lead_grant(actor=actor, person=person, district=form.cleaned_data["district"],
                                  organisation=form.cleaned_data["organisation"])  # fmt: skip
        except ValidationError as error:
            form.add_error("person" if error.code == "not_coordinator" else None, error)
        else:
            messages.success(request, _("%(name)s is team lead now.") % {"name": person})
            return redirect("wellbeing:team_leads")
    table = Table(
        caption=_("Team leads of outreach"),
        columns=[Column(_("Team lead")), Column(_("Team")), Column(_("Since")), Column(_("Withdraw"))],
        empty=_("No team leads yet."),
    )
    for lead in cases.team_leads():
        team = lead.district.name if lead.district else str(lead.organisation)
        withdraw = Cell(template="wellbeing/cases/_withdraw_lead.html", context={"lead": lead})
        table.add(str(lead.person), team, lead.granted_at.date(), withdraw)
    status = 400 if form.errors else 200
    return render(request, "wellbeing/cases/team_leads.html", {"form": form, "table": table}, status=status)


@require_POST
@requires("wellbeing.manage_team_leads")
def team_lead_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    lead = cases.team_leads().filter(pk=pk).first()
    if lead is None:
        raise Http404
    cases.team_lead_withdraw(actor=actor_for(request), lead=lead)
    messages.success(request, _("%(name)s is no longer team lead.") % {"name": lead.person})
    return redirect("wellbeing:team_leads")
