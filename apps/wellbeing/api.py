"""JSON API of wellbeing (issue 17, item 7): a neighbour's report, structural signals and, for the roles that may
read them, outreach cases and screenings.  See ``docs/wellbeing-api.md``.

Every route calls the same forms, selectors and services as the pages, so the rules cannot drift apart: a report,
case or screening one may not read answers exactly like an id that does not exist (404, and the attempt is in the
access log, written by the selector), a refusal that is not about one object is a 403 (the page's own rule, as
``@requires`` asks it), bad input is a 422 with the page's message, and a state that changed meanwhile (a report
already picked up) is a 409.  Lists come in pages of at most 100.  Cases and screenings are read-only here.

No query parameter reaches a special-category field: the only filters are the staff's filters of signals
(district, status, category code, month), which hold nothing about a person.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth
from ninja.utils import check_csrf
from pydantic import Field

from apps.access.actors import Actor, actor_for
from apps.access.rules import can
from apps.access.services import client_network
from apps.people import selectors as people_selectors
from apps.people.models import Person
from apps.people.schemas import MessageOut
from apps.places.models import District

from . import cases, selectors, services
from . import screening as sc
from . import signals_service as signals
from .forms import WorryForm
from .forms_signals import SignalForm, TriageForm
from .models import OutreachCase, Screening, Signal, WorryReport
from .schemas import (
    CaseOpenedOut,
    CaseOut,
    CasePageOut,
    MySignalOut,
    MySignalPageOut,
    PickUpOut,
    PublicCountOut,
    PublicSignalPageOut,
    ReportOut,
    ReportPageOut,
    ScreeningOut,
    ScreeningPageOut,
    SignalIn,
    StaffSignalOut,
    StaffSignalPageOut,
    TriageIn,
    WorriedFormOut,
    WorriedIn,
)

router = Router(tags=["wellbeing"], auth=django_auth)

ERRORS: dict[int, Any] = {401: MessageOut, 403: MessageOut, 404: MessageOut, 422: MessageOut}
CHANGES: dict[int, Any] = {**ERRORS, 409: MessageOut}
LIMITED: dict[int, Any] = {**ERRORS, 429: MessageOut}
LANGUAGES = ("nl", "en", "fr")


class Paging(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


# --- helpers ---------------------------------------------------------------------------------------------


def _page_rule(actor: Actor, rule: str, message: str) -> None:
    """The page's own rule (``@requires``): a refusal not about one object is a 403."""
    if not can(actor, rule):
        raise HttpError(403, message)


def _form_errors(form: forms.Form) -> HttpError:
    """A form's refusal as the pages word it: ``field: message`` for each, one line."""
    parts = []
    for name, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        parts.append(text if name == "__all__" else f"{name}: {text}")
    return HttpError(422, " ".join(parts))


def _district(district: District) -> dict[str, Any]:
    return {"id": district.pk, "number": district.number, "name": district.name}


def _name(person: Person | None) -> str | None:
    return None if person is None else f"{person.first_name} {person.last_name}"


def _language() -> str:
    language = (get_language() or "nl")[:2]
    return language if language in LANGUAGES else "nl"


# --- "I am worried about a neighbour" (anyone, no account) -------------------------------------------------


def _thanks() -> str:
    """The thank-you page's own words, whatever was sent and whether it was stored."""
    return " ".join((
        _("Thank you for your report"),
        _("A coordinator of the city reads it and decides, carefully, whether and how to reach your neighbour. "
          "Nothing happens on a report alone."),
        _("If you left a phone number or an email address, you get one message when your report is picked up. To "
          "protect your neighbour's privacy, we tell you nothing more."),
        _("In danger now? Call 112."),
    ))  # fmt: skip


@router.get("/wellbeing/worried", response={200: WorriedFormOut, 422: MessageOut}, auth=None)
def wellbeing_worried_form(request: HttpRequest, response: HttpResponse) -> Any:
    """What the form offers (the signs one can tick, the districts to choose without an address) and a CSRF
    token: a report is sent as the page's form is, with the token (X-CSRFToken header and csrftoken cookie)."""
    response["Cache-Control"] = "no-store"
    return {
        "signs": [{"code": code, "label": str(label)} for code, label in WorryReport.Sign.choices],
        "districts": [_district(d) for d in District.objects.order_by("name").only("pk", "number", "name")],
        "csrf_token": get_token(request),
    }


def csrf_checked(request: HttpRequest) -> bool:
    """Anyone, but with the page's CSRF token (``X-CSRFToken`` and the ``csrftoken`` cookie): a page elsewhere
    cannot make its visitors' browsers send reports, each from its own network, round the limit per network.
    Run as the operation's ``auth``, so before the body is read: without the token a 403, whatever the body."""
    if check_csrf(request) is not None:
        raise HttpError(403, "CSRF check Failed")
    return True


@router.post("/wellbeing/worried", response={202: MessageOut, 403: MessageOut, 422: MessageOut, 429: MessageOut},
             auth=csrf_checked)  # fmt: skip
def wellbeing_worried_send(request: HttpRequest, payload: WorriedIn) -> Any:
    """Send a report about a neighbour you are worried about; no account needed.

    The answer is the same thank-you for every report that is accepted, also when the address was reported
    often lately and the report was not stored (saying so would tell something about the person).  Limits per
    network and per address, as the page; over the network's limit a 429 and nothing is stored.  Nothing is ever
    shown back about the report or the person."""
    data: dict[str, Any] = {
        "address": payload.address, "description": payload.description,
        "district": "" if payload.district_id is None else str(payload.district_id), "signs": payload.signs,
        "noticed": payload.noticed, "name": payload.name, "phone": payload.phone, "email": payload.email,
    }  # fmt: skip
    form = WorryForm(data)
    if not form.is_valid():
        raise _form_errors(form)
    try:
        services.report_create(data=form.report_input(_language()), network=client_network(request))
    except services.RateLimited:
        limited = _("You have sent as many reports as we accept in one day")
        stored = _("Nothing was stored. Try again tomorrow, or call the city's social services.")
        raise HttpError(429, f"{limited}. {stored}") from None
    return Status(202, {"detail": _thanks()})


# --- reports (the coordinators of the district) ------------------------------------------------------------


def _coordinator(request: HttpRequest) -> Actor:
    actor = actor_for(request)
    _page_rule(actor, "wellbeing.view_reports", _("Only coordinators see this."))
    return actor


def _report_item(report: WorryReport) -> dict[str, Any]:
    return {
        "id": report.pk, "created_at": report.created_at, "district": _district(report.district),
        "status": report.status, "status_label": str(report.get_status_display()),
        "reporter_can_be_told": report.has_contact,
    }  # fmt: skip


def _report_out(actor: Actor, report: WorryReport) -> dict[str, Any]:
    """A report as its page shows it; ``report`` was read through ``selectors.report_for`` (logged)."""
    signs = dict(WorryReport.Sign.choices)
    case = report.cases.order_by("pk").first()
    return {
        **_report_item(report),
        "district_chosen": report.district_chosen, "street": report.street, "house_number": report.house_number,
        "postal_code": report.postal_code, "description": report.description,
        "signs": [{"code": code, "label": str(signs[code])} for code in report.signs if code in signs],
        "noticed": report.noticed, "reporter_name": report.reporter_name, "reporter_phone": report.reporter_phone,
        "reporter_email": report.reporter_email, "picked_up_at": report.picked_up_at,
        "picked_up_by": _name(report.picked_up_by), "reporter_told_at": report.reporter_told_at,
        "case_id": case.pk if case is not None and can(actor, "wellbeing.view_case", case) else None,
    }  # fmt: skip


@router.get("/wellbeing/reports", response={200: ReportPageOut, **ERRORS})
def wellbeing_reports(request: HttpRequest, paging: Query[Paging]) -> Any:
    """Coordinators: the reports of my districts, new ones first, the oldest on top.  No word of a report here
    (when, district, status, whether the reporter can be told), so nothing is read: the words are in
    ``GET /wellbeing/reports/{id}``, which is logged."""
    found = selectors.reports_for(_coordinator(request))
    page = list(found[paging.offset : paging.offset + paging.limit])
    return {"count": found.count(), "items": [_report_item(r) for r in page]}


@router.get("/wellbeing/reports/{report_id}", response={200: ReportOut, **ERRORS})
def wellbeing_report(request: HttpRequest, report_id: int) -> Any:
    """Coordinators of the report's district: one report with what was written; every attempt in the access
    log; another district's report answers as a missing one (404)."""
    actor = _coordinator(request)
    found = selectors.report_for(actor, report_id, request)
    return _report_out(actor, found)


def _handle(request: HttpRequest, report_id: int, action: str) -> tuple[Actor, WorryReport]:
    actor = _coordinator(request)
    return actor, selectors.report_for(actor, report_id, request, rule="wellbeing.handle_report", action=action)


@router.post("/wellbeing/reports/{report_id}/pick-up", response={200: PickUpOut, **CHANGES})
def wellbeing_report_pick_up(request: HttpRequest, report_id: int) -> Any:
    """Coordinators of the district: take the report on.  The reporter who left a contact gets one message, at
    most once ever; a report already picked up gives 409."""
    actor, found = _handle(request, report_id, "pick_up")
    try:
        told = services.report_pick_up(actor=actor, report=found)
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error
    except PermissionDenied as error:
        raise Http404 from error
    found.refresh_from_db()
    return {**_report_out(actor, found), "reporter_told_now": told}


@router.post("/wellbeing/reports/{report_id}/open-case", response={201: CaseOpenedOut, **CHANGES})
def wellbeing_report_open_case(request: HttpRequest, report_id: int) -> Any:
    """Coordinators of the district: open an outreach case from the report, assigned to me (this picks the
    report up if that was not done).  A case already opened from it gives 409."""
    actor, found = _handle(request, report_id, "open_case")
    try:
        case = services.report_open_case(actor=actor, report=found)
    except ValidationError as error:
        raise HttpError(409, " ".join(error.messages)) from error
    except PermissionDenied as error:
        raise Http404 from error
    return Status(201, {"case_id": case.pk})


# --- structural signals ----------------------------------------------------------------------------------


def _category(code: str) -> dict[str, str]:
    return {"code": code, "label": signals.category_label(code)}


def _signal_out(signal: Signal) -> dict[str, Any]:
    """What the reporter sees of their own signal (their pages): never who triaged it."""
    return {
        "id": signal.pk, "created_at": signal.created_at, "category": _category(signal.category),
        "place": signal.address or _("a point in %(district)s") % {"district": signal.district.name},
        "district": _district(signal.district), "status": signal.status,
        "status_label": str(signal.get_status_display()), "forwarded_to": signal.forwarded_to,
    }  # fmt: skip


def _staff_signal_out(signal: Signal) -> dict[str, Any]:
    """What the staff's pages show: the signal without its reporter, the photo only on its page."""
    return {
        **_signal_out(signal), "description": signal.description, "lat": signal.lat, "lon": signal.lon,
        "has_photo": bool(signal.photo), "triaged_by": _name(signal.triaged_by), "triaged_at": signal.triaged_at,
    }  # fmt: skip


@router.post("/wellbeing/signals", response={201: MySignalOut, **LIMITED})
def wellbeing_signal_send(request: HttpRequest, payload: SignalIn) -> Any:
    """Anyone signed in: report what makes isolation worse in a place, by an address of the register or a point
    (latitude and longitude); the district always follows from it.  No photo here (the API takes JSON only): a
    photo is added on the page.  Limited per person per day (429 beyond, nothing stored)."""
    actor = actor_for(request)
    _page_rule(
        actor, "wellbeing.report_signal", _("Your account has no personal details yet: fill in your profile first.")
    )
    data: dict[str, Any] = {
        "category": payload.category, "address": payload.address, "description": payload.description,
        "lat": "" if payload.lat is None else repr(payload.lat),
        "lon": "" if payload.lon is None else repr(payload.lon),
    }  # fmt: skip
    form = SignalForm(data)
    if not form.is_valid():
        raise _form_errors(form)
    try:
        signal = signals.signal_create(actor=actor, data=form.signal_input())
    except signals.RateLimited:
        limited = _("You have sent as many signals as we accept in one day")
        raise HttpError(429, f"{limited}. {_('Nothing was stored. Try again tomorrow.')}") from None
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    found = signals.signals_of(actor).get(pk=signal.pk)
    return Status(201, _signal_out(found))


@router.get("/wellbeing/signals/mine", response={200: MySignalPageOut, **ERRORS})
def wellbeing_my_signals(request: HttpRequest, paging: Query[Paging]) -> Any:
    """My own signals, newest first, and what became of them."""
    actor = actor_for(request)
    _page_rule(
        actor, "wellbeing.report_signal", _("Your account has no personal details yet: fill in your profile first.")
    )
    found = signals.signals_of(actor)
    page = list(found[paging.offset : paging.offset + paging.limit])
    return {"count": found.count(), "items": [_signal_out(s) for s in page]}


class StaffFilterIn(Paging):
    district_id: int | None = Field(None, ge=1, description="Only this district")
    status: Signal.Status | None = Field(None, description="Only signals in this state")
    category_code: str | None = Field(None, max_length=40, description="Only this category (its code)")
    month: str | None = Field(None, max_length=7, description="Only this month: year and month, e.g. 2026-11")


def _staff(request: HttpRequest) -> Actor:
    actor = actor_for(request)
    _page_rule(actor, "wellbeing.triage_signals", _("You may not do this."))
    return actor


def _staff_filter(chosen: StaffFilterIn) -> signals.StaffFilter:
    district = None
    if chosen.district_id is not None:
        district = District.objects.filter(pk=chosen.district_id).first()
        if district is None:
            raise HttpError(
                422,
                _("Select a valid choice. %(value)s is not one of the available choices.")
                % {"value": chosen.district_id},
            )
    if chosen.category_code and chosen.category_code not in signals.category_codes():
        raise HttpError(422, _("Choose one of the categories."))
    month: date | None = None
    if chosen.month:
        try:
            year, number = (int(part) for part in chosen.month.split("-"))
            if not 2000 <= year <= 2100:
                raise ValueError(year)
            month = date(year, number, 1)
        except ValueError:
            raise HttpError(422, _("Give the month as year and month, for example: 2026-11.")) from None
    return signals.StaffFilter(
        district=district, status=chosen.status or "", category=chosen.category_code or "", month=month
    )


@router.get("/wellbeing/signals", response={200: StaffSignalPageOut, **ERRORS})
def wellbeing_signals(request: HttpRequest, chosen: Query[StaffFilterIn]) -> Any:
    """City staff: every signal, newest first, filtered as on the staff's page; never who reported it."""
    found = signals.signals_for_staff(_staff(request), _staff_filter(chosen))
    page = list(found[chosen.offset : chosen.offset + chosen.limit])
    return {"count": found.count(), "items": [_staff_signal_out(s) for s in page]}


@router.get("/wellbeing/signals/{signal_id}", response={200: StaffSignalOut, **ERRORS})
def wellbeing_signal(request: HttpRequest, signal_id: int) -> Any:
    """City staff: one signal."""
    return _staff_signal_out(signals.signal_for_staff(_staff(request), signal_id))


@router.post("/wellbeing/signals/{signal_id}/triage", response={200: StaffSignalOut, **ERRORS})
def wellbeing_signal_triage(request: HttpRequest, signal_id: int, payload: TriageIn) -> Any:
    """City staff: forwarded (to which department, required), solved or not applicable."""
    actor = _staff(request)
    found = signals.signal_for_staff(actor, signal_id)
    form = TriageForm({"status": payload.status, "forwarded_to": payload.forwarded_to})
    if not form.is_valid():
        raise _form_errors(form)
    try:
        signals.signal_triage(
            actor=actor,
            signal=found,
            status=form.cleaned_data["status"],
            forwarded_to=form.cleaned_data["forwarded_to"],
        )
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    except PermissionDenied as error:
        raise Http404 from error
    return _staff_signal_out(signals.signal_for_staff(actor, signal_id))


@router.get("/wellbeing/districts/signals", response={200: list[PublicCountOut], 422: MessageOut}, auth=None)
def wellbeing_public_counts(request: HttpRequest) -> Any:
    """Everyone: the districts, each with how many signals its public page lists."""
    counts = signals.public_counts()
    return [
        {"district": _district(d), "signals": counts.get(d.pk, 0)}
        for d in District.objects.order_by("name").only("pk", "number", "name")
    ]


@router.get("/wellbeing/districts/{district_id}/signals",
            response={200: PublicSignalPageOut, 404: MessageOut, 422: MessageOut}, auth=None)  # fmt: skip
def wellbeing_public_signals(request: HttpRequest, district_id: int, paging: Query[Paging]) -> Any:
    """Everyone: a district's signals as its public page shows them (category, street without house number,
    month, status), and nothing else: not the reporter, not the words, not the point, not the photo."""
    district = District.objects.only("pk", "number", "name").filter(pk=district_id).first()
    if district is None:
        raise Http404
    rows = signals.public_signals(district)
    page = rows[paging.offset : paging.offset + paging.limit]
    return {
        "district": _district(district),
        "count": len(rows),
        "items": [{"category": r.category, "street": r.street, "month": r.month, "status": r.status} for r in page],
    }


# --- outreach cases (read-only) --------------------------------------------------------------------------


def _case_item(actor: Actor, case: OutreachCase) -> dict[str, Any]:
    return {
        "id": case.pk, "who": _name(case.person) or _("Not known yet"), "person_id": case.person_id,
        "district": _district(case.district), "status": case.status, "status_label": str(case.get_status_display()),
        "origin": case.origin, "follow_up_on": case.follow_up_on, "assigned_to": _name(case.assigned_to),
        "created_at": case.created_at, "mine": case.assigned_to_id == actor.person_id,
    }  # fmt: skip


def _case_pages(request: HttpRequest) -> Actor:
    actor = actor_for(request)
    _page_rule(actor, "wellbeing.view_cases", _("Only coordinators see this."))
    return actor


@router.get("/wellbeing/cases", response={200: CasePageOut, **ERRORS})
def wellbeing_cases(request: HttpRequest, paging: Query[Paging]) -> Any:
    """Coordinators: my open cases (follow-ups due first), then, for a team lead, the open cases of my teams.
    Each case shown is in the access log (a list that names a person says they may be lonely)."""
    actor = _case_pages(request)
    today = timezone.localdate()
    mine = cases.my_cases(actor, today)
    team = cases.team_cases(actor, today)
    count = len(mine) + team.count()
    page = mine[paging.offset : paging.offset + paging.limit]
    if len(page) < paging.limit:  # the team's cases after one's own, read only as far as the page reaches
        start = max(paging.offset - len(mine), 0)
        page += list(team[start : start + paging.limit - len(page)])
    cases.log_list(request, page)
    return {"count": count, "items": [_case_item(actor, c) for c in page]}


@router.get("/wellbeing/cases/{case_id}", response={200: CaseOut, **ERRORS})
def wellbeing_case(request: HttpRequest, case_id: int) -> Any:
    """The assigned coordinator and the team lead: one case with its attempts and offers (read-only here; the
    case's page changes it).  Anyone else's answer is that of a missing case (404); every attempt is logged."""
    actor = _case_pages(request)
    case = cases.case_for(actor, case_id, request)
    return {
        **_case_item(actor, case),
        "notes": case.notes, "has_consent": cases.has_consent(case), "report_id": case.report_id,
        "screening_id": case.screening_id, "outcome": case.outcome, "closed_at": case.closed_at,
        "attempts": [
            {"at": a.at, "by": _name(a.by), "channel": a.channel, "outcome": a.outcome, "note": a.note}
            for a in cases.attempts_of(case)
        ],
        "offers": [
            {"kind": o.kind, "description": o.description, "answer": o.answer, "created_at": o.created_at,
             "care_request_id": o.care_request_id, "referral_id": o.referral_id}
            for o in cases.offers_of(case)
        ],
    }  # fmt: skip


# --- screenings (read-only) ------------------------------------------------------------------------------


def _screening_out(screening: Screening) -> dict[str, Any]:
    """A result as its page shows it; ``screening`` was read through ``screening.screening_for`` or
    ``screenings_of`` (the rule asked, the read logged)."""
    return {
        "id": screening.pk, "person_id": screening.person_id, "instrument": screening.instrument,
        "instrument_name": sc.scale_name(screening.instrument), "instrument_version": screening.instrument_version,
        "answer_format": screening.answer_format, "language": screening.language, "mode": screening.mode,
        "taken_at": screening.taken_at, "total": screening.total, "category": screening.category,
        "meaning": sc.meaning(screening.category), "emotional": screening.emotional,
        "emotional_category": screening.emotional_category, "social": screening.social,
        "social_category": screening.social_category, "missing": [str(m) for m in screening.missing or []],
        "scores": sc.result_lines(screening),
        "answers": {str(k): (None if v is None else str(v)) for k, v in (screening.answers or {}).items()},
    }  # fmt: skip


def _screening_page(found: list[Screening], paging: Paging) -> dict[str, Any]:
    page = found[paging.offset : paging.offset + paging.limit]
    return {"count": len(found), "items": [_screening_out(s) for s in page]}


@router.get("/wellbeing/screenings/mine", response={200: ScreeningPageOut, **ERRORS})
def wellbeing_my_screenings(request: HttpRequest, paging: Query[Paging]) -> Any:
    """A resident: my own screenings, oldest first."""
    actor = actor_for(request)
    _page_rule(actor, "wellbeing.screen_self", _("You may not do this."))
    person = Person.objects.filter(pk=actor.person_id, erased_at__isnull=True).first()
    if person is None:
        raise Http404
    return _screening_page(sc.screenings_of(actor, person, request), paging)


@router.get("/wellbeing/persons/{person_id}/screenings", response={200: ScreeningPageOut, **ERRORS})
def wellbeing_person_screenings(request: HttpRequest, person_id: int, paging: Query[Paging]) -> Any:
    """A person's screenings, oldest first: the person, and their coordinator while the person's consent for
    wellbeing holds.  Anyone else's answer is that of a missing person (404); each screening shown is logged."""
    actor = actor_for(request)
    person = people_selectors.person_for(actor, person_id, rule="wellbeing.view_screenings", request=request)
    return _screening_page(sc.screenings_of(actor, person, request), paging)


@router.get("/wellbeing/screenings/{screening_id}", response={200: ScreeningOut, **ERRORS})
def wellbeing_screening(request: HttpRequest, screening_id: int) -> Any:
    """One screening: the person, and their coordinator while the consent holds; 404 for anyone else, logged."""
    return _screening_out(sc.screening_for(actor_for(request), screening_id, request))
