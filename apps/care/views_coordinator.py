"""Pages for the coordinator: worklist, intake by phone, suggestions, rounds, call list and vetting.

Views parse input and call selectors and services; who may see or do what is decided by the rules in
``apps/care/rules.py`` (through the selectors, which answer 404 for "missing" and "forbidden" alike,
and the services, which refuse with PermissionDenied).  Every page works without JavaScript; htmx only
refreshes a running round's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.access.actors import Actor, actor_for
from apps.access.decorators import requires
from apps.access.services import log_request_list
from apps.core.components import Cell, Column, Table
from apps.core.inputs import as_number
from apps.people import selectors as people_selectors
from apps.people.consent_texts import CONSENT_TEXTS
from apps.people.models import Consent, Purpose
from apps.people.services import consent_give

from . import selectors, services, tables, wording
from .forms_coordinator import (
    VETTING_ERROR_FIELDS,
    AcceptForm,
    CallListDayForm,
    ExplainForm,
    HelperDoneForm,
    PlanForm,
    ProposeForm,
    ReasonForm,
    ResidentFeedbackForm,
    RoundStartForm,
    TakeByPhoneForm,
    VettingForm,
    add_service_error,
)
from .models import CareRequest, HelperOffer, Match, MatchEvent, MatchingRound
from .wording import language_names, note_in_words, short_name

RULE_LABELS = {
    1: gettext_lazy("Kind of help"),
    2: gettext_lazy("Distance"),
    3: gettext_lazy("Language"),
    4: gettext_lazy("Vetting"),
    5: gettext_lazy("Not excluded by the person"),
    6: gettext_lazy("A common free time"),
}
"""The engine's six eligibility rules (docs/matching.md), as a coordinator calls them."""


def _with_labels(events: Iterable[MatchEvent]) -> list[MatchEvent]:
    """Events with their states and system notes in words (``from_label``, ``to_label``, ``note``), for the
    history lists."""
    labels = dict(Match.Status.choices)
    found = []
    for event in events:
        event.from_label = str(labels.get(event.from_status, event.from_status))  # type: ignore[attr-defined]
        event.to_label = str(labels.get(event.to_status, event.to_status))  # type: ignore[attr-defined]
        event.note = note_in_words(event.note, coordinator=True)
        found.append(event)
    return found


def _say_refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, _("You may not do this for this request."))
    else:
        messages.error(request, " ".join(error.messages))


# --- the worklist ------------------------------------------------------------------------------------


SECTION_TEXTS = {
    "to_check": (
        gettext_lazy("New helpers to check"),
        gettext_lazy(
            "A helper who is new here said “I can help”. They see the person's details only after you confirm."
        ),
    ),
    "new": (gettext_lazy("New requests"), gettext_lazy("Open requests nobody has been asked for yet.")),
    "waiting": (
        gettext_lazy("Proposals waiting for an answer"),
        gettext_lazy("A helper has been asked and has not answered yet."),
    ),
    "without_helper": (
        gettext_lazy("No helper fits"),
        gettext_lazy(
            "No helper with room fits these requests: call the person, to widen the request or to find another way."
        ),
    ),
    "follow_ups": (gettext_lazy("Follow-ups due"), gettext_lazy("Requests to call back about today or earlier.")),
    "overdue": (
        gettext_lazy("Visits not closed"),
        gettext_lazy("Planned visits that ended more than a day ago and were not marked done."),
    ),
    "referrals": (
        gettext_lazy("To refer to a professional service"),
        gettext_lazy("Professional care (nursing, hygiene, medication) is never given by volunteers."),
    ),
    "cancelling": (
        gettext_lazy("Helpers who cancel often"),
        gettext_lazy(
            "These helpers cancelled several visits after they had seen the person's details. Call the helper, "
            "and check that the persons are all right."
        ),
    ),
}
"""The worklist's sections, in the order of the page: their title and what they mean."""

SECTION_PAGE_SIZE = 50
"""Rows on one page of a whole section."""


@dataclass(frozen=True)
class Section:
    """One part of the worklist: a title, what it means, and its rows (requests or matches)."""

    key: str
    title: str
    explanation: str
    requests: list[CareRequest]
    matches: list[Match]

    @classmethod
    def of(cls, key: str, rows: list[Any]) -> Section:
        """The section ``key`` (of ``SECTION_TEXTS``) with these rows, requests or matches as the key says."""
        title, explanation = SECTION_TEXTS[key]
        if key in selectors.MATCH_SECTIONS:
            return cls(key, str(title), str(explanation), [], rows)
        return cls(key, str(title), str(explanation), rows, [])

    @property
    def count(self) -> int:
        return len(self.requests) + len(self.matches)

    @property
    def is_capped(self) -> bool:
        return self.count >= selectors.WORKLIST_LIMIT

    @property
    def table(self) -> Table:
        """The section's rows as the design system's table (cards on a phone), built from the rows read."""
        if self.matches:
            return tables.worklist_matches(self.key, self.title, self.matches)
        return tables.worklist_requests(self.key, self.title, self.requests)

    @property
    def shown_requests(self) -> list[CareRequest]:
        """The requests the rows show, a match's included: what the access log records as read."""
        return self.requests + [m.request for m in self.matches]


def _log_shown(request: HttpRequest, care_requests: list[CareRequest], purpose: str) -> None:
    """A list with names beside kinds of help reads care data: one access-log entry per request shown."""
    log_request_list(
        request,
        records=[(r.person_id, selectors.RECORD, r.pk) for r in care_requests],
        action="list",
        purpose=purpose,
    )


@never_cache
@requires("care.view_worklist")
def worklist(request: HttpRequest) -> HttpResponse:
    """What to act on today, in eight sections; only the coordinator's districts and organisations."""
    actor = actor_for(request)
    found = selectors.worklist(actor)
    sections = [Section.of(key, found.rows(key)) for key in SECTION_TEXTS]
    _log_shown(request, [r for s in sections for r in s.shown_requests], "care.view_worklist")
    round_form = RoundStartForm(districts=selectors.coordinated_districts(actor))
    round_form.fields["district"].label = _("Look for helpers for all open requests in")
    context = {
        "sections": sections,
        "limit": selectors.WORKLIST_LIMIT,
        "round_form": round_form,
        "can_run_round": bool(selectors.coordinated_districts(actor).exists()),
        "now": timezone.now(),
    }
    return render(request, "care/coordinator/worklist.html", context)


@never_cache
@requires("care.view_worklist")
def worklist_section(request: HttpRequest, section: str) -> HttpResponse:
    """Every row of one worklist section, a page at a time: what the worklist leaves out after its first rows.

    The same scope, order and access-log entries as the worklist; the page's rows are read in one query
    (besides counting them), however many there are.
    """
    if section not in SECTION_TEXTS:
        raise Http404
    found = selectors.worklist_sections(actor_for(request))[section]
    page = Paginator(found, SECTION_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = Section.of(section, selectors.with_names(list(page.object_list)))
    _log_shown(request, shown.shown_requests, "care.view_worklist")
    context = {"section": shown, "page_obj": page, "now": timezone.now()}
    return render(request, "care/coordinator/worklist_section.html", context)


# --- a request taken by phone --------------------------------------------------------------------------


@never_cache
@requires("authenticated")  # the object rule decides: a person the coordinator does not coordinate is a 404
@require_http_methods(["GET", "POST"])
def take_by_phone(request: HttpRequest, person_pk: int) -> HttpResponse:
    """The intake form for a call: consent first when missing, then what, where, when and who may help.

    Consent and request are written in one transaction: a request that is refused leaves no consent
    behind either, so "nothing saved" holds for every mistake.
    """
    actor = actor_for(request)
    person = people_selectors.person_for(actor, person_pk, rule="care.take_request_by_phone", request=request)
    needs_consent = Purpose.CARE_MATCHING not in people_selectors.active_consents(person)
    form = TakeByPhoneForm(
        request.POST or None, person=person, offers=selectors.offers_in_scope(actor), needs_consent=needs_consent
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if needs_consent:
                    consent_give(actor=actor, person=person, purpose=Purpose.CARE_MATCHING,
                                 method=Consent.Method.PHONE)  # fmt: skip
                care_request = services.care_request_create(actor=actor, person=person, **form.request_arguments())
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied:
            form.add_error(None, _("You may not take a request for this person."))
        else:
            # the helpers who fit are counted in the background, queued by the service
            if care_request.status == CareRequest.Status.REFERRED:
                messages.success(request, _("The request is recorded. It is professional care: refer it to a service."))
            else:
                messages.success(request, _("The request is recorded. Choose a helper below, or start a round."))
            return redirect("care:request_detail", pk=care_request.pk)
    context = {
        "person": person,
        "form": form,
        "consent_text": CONSENT_TEXTS[Purpose.CARE_MATCHING][1],
        "has_address": person.lat is not None and person.district_id is not None,
        "languages": language_names(person.languages),
    }
    return render(request, "care/coordinator/take_by_phone.html", context)


# --- one request ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleLine:
    label: str
    ok: bool
    detail: str


def _explanation(actor: Actor, care_request: CareRequest, typed: str) -> dict[str, object]:
    """Why not this helper? Find the helper typed (number, or a name among the coordinator's helpers)."""
    typed = typed.strip()
    number = typed.lstrip("#hH").strip()
    if as_number(number) is not None:
        # not any helper of the city: see ``offer_named_by_coordinator``; anyone else reads like an unknown number
        try:
            offer = selectors.offer_named_by_coordinator(actor, care_request, as_number(number) or 0)
        except Http404:
            return {"error": _("No helper has number %(number)s.") % {"number": number}}
        return _explained(care_request, offer)
    offers = selectors.offers_in_scope(actor)
    for word in typed.split()[:3]:
        offers = offers.filter(Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word))
    found = list(offers[:11])
    if not found:
        return {"error": _("No helper of your districts is called “%(name)s”. Try the number.") % {"name": typed}}
    if len(found) > 1:
        return {"choices": found[:10], "more": len(found) > 10}
    return _explained(care_request, found[0])


def _explained(care_request: CareRequest, offer: HelperOffer) -> dict[str, object]:
    explanation = selectors.explanation_for(care_request, offer)
    if explanation is None:
        if not offer.active:
            reason = _("This helper has paused their offer.")
        elif not care_request.windows.filter(end__gt=timezone.now()).exists():
            reason = _("This request has no time left to help.")
        else:
            reason = _(
                "This helper cannot be matched now (no consent to be listed, no address, or no time in the next "
                "%(days)d days), or the request has no time in that period."
            ) % {"days": settings.CARE_HORIZON_DAYS}
        return {"offer": offer, "unavailable": reason}
    lines = [
        RuleLine(
            str(RULE_LABELS.get(check.rule, check.name)),
            check.ok,
            wording.rule_detail(check, care_request, offer, explanation.distance_km),
        )
        for check in explanation.rules
    ]
    return {"offer": offer, "explanation": explanation, "lines": lines, "table": tables.rules(lines)}


@never_cache
@requires("authenticated")  # the object rule decides; refusals are logged and look like 404
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about a request, its history, and the engine's suggestions with a "Propose" button."""
    actor = actor_for(request)
    care_request = selectors.request_for(actor, pk, request, rule="care.manage_request")
    looking = care_request.status == CareRequest.Status.OPEN and not care_request.category.professional
    matches = list(selectors.request_matches(care_request))
    asked = {m.helper_id for m in matches if m.status == Match.Status.PROPOSED}
    suggestions = []
    if looking:
        suggestions = [
            {
                "suggestion": s,
                "reasons": wording.suggestion_reasons(s, care_request, offer),
                "offer": offer,
                "name": short_name(offer.person),
                "asked": offer.pk in asked,
            }
            for s, offer in selectors.suggestions_for(care_request)
        ]
    for match in matches:
        match.history = _with_labels(match.events.all())  # type: ignore[attr-defined]
    explain_form = ExplainForm(request.GET if "helper" in request.GET else None)
    explained = (
        _explanation(actor, care_request, explain_form.cleaned_data["helper"]) if explain_form.is_valid() else None
    )
    context = {
        "care_request": care_request,
        "windows": list(care_request.windows.all()),
        "matches": matches,
        "referral": getattr(care_request, "referral", None),
        "looking": looking,
        "suggestions": suggestions,
        "explain_form": explain_form,
        "explained": explained,
        "closed": care_request.status in (CareRequest.Status.DONE, CareRequest.Status.CANCELLED),
        # "Proposed to Yasmine H., waiting for an answer" from the moment the proposal is made
        "proposed_to": [short_name(m.helper.person) for m in matches if m.status == Match.Status.PROPOSED],
        "horizon_days": settings.CARE_HORIZON_DAYS,
        "languages": language_names(care_request.languages),
    }
    return render(request, "care/coordinator/request_detail.html", context)


@require_POST
@requires("authenticated")
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a suggested helper (the helper is told at once and answers on their phone)."""
    actor = actor_for(request)
    care_request = selectors.request_for(actor, pk, request, rule="care.manage_request", action="change")
    form = ProposeForm(request.POST)
    offer: HelperOffer | None = None
    if form.is_valid():
        try:  # the same selector as "why (not) this helper?": a helper out of reach reads like a missing number
            offer = selectors.offer_named_by_coordinator(actor, care_request, form.cleaned_data["offer"])
        except Http404:
            offer = None
    if offer is None:
        messages.error(request, _("Unknown helper: choose one of the suggestions."))
        return redirect("care:request_detail", pk=care_request.pk)
    try:
        services.match_propose(actor=actor, request=care_request, offer=offer)
    except (ValidationError, PermissionDenied) as error:
        _say_refused(request, error)
    else:
        messages.success(request, _("%(name)s has been asked and gets a message.") % {"name": short_name(offer.person)})
    return redirect("care:request_detail", pk=care_request.pk)


@never_cache
@requires("authenticated")
@require_http_methods(["GET", "POST"])
def cancel_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a request on the person's behalf, with a reason (a helper who had it is told)."""
    actor = actor_for(request)
    care_request = selectors.request_for(actor, pk, request, rule="care.manage_request", action="change")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_request_cancel(actor=actor, request=care_request, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error, {"reason": "reason"})
        except PermissionDenied:
            form.add_error(None, _("You may not cancel this request."))
        else:
            messages.success(request, _("The request is cancelled."))
            return redirect("care:request_detail", pk=care_request.pk)
    return render(request, "care/coordinator/cancel_request.html", {"care_request": care_request, "form": form})


# --- a match -------------------------------------------------------------------------------------------


MATCH_ERROR_FIELDS = {
    "window_order": "end",
    "window_past": "day",
    "too_long": "end",
    "overlap": "start",
    "reason": "reason",
    "hours": "hours",
}
"""Where a refusal of the services shows on the match page's forms, by its code."""


@never_cache
@requires("authenticated")  # the object rule decides; refusals are logged and look like 404
@require_http_methods(["GET", "POST"])
def coordinator_match(request: HttpRequest, pk: int) -> HttpResponse:
    """A match as the coordinator handles it: plan, cancel, or note the resident's feedback on their behalf;
    and for a helper who is not online, what they said on the phone: yes, no (with a reason), or the visit
    done (hours and their word)."""
    actor = actor_for(request)
    match = selectors.match_for(actor, pk, "care.coordinate_match", request)
    action = request.POST.get("action") if request.method == "POST" else None

    def bound(name: str) -> Any:
        return request.POST if action == name else None

    forms: dict[str, Any] = {
        "plan": PlanForm(bound("plan"), prefix="plan"),
        "cancel": ReasonForm(bound("cancel"), prefix="cancel"),
        "feedback": ResidentFeedbackForm(bound("feedback"), prefix="feedback"),
        "decline": ReasonForm(bound("decline"), prefix="decline"),
        "done": HelperDoneForm(bound("done"), prefix="done", initial={"hours": _visit_hours(match)}),
        "accept": AcceptForm(bound("accept"), prefix="accept"),
        "confirm": AcceptForm(bound("confirm"), prefix="confirm"),
        "refuse": ReasonForm(bound("refuse"), prefix="refuse"),
    }
    if action is not None and _match_action(request, actor, match, action, forms):
        return redirect("care:coordinator_match", pk=match.pk)
    if not forms["plan"].is_bound and match.planned_start:
        start, end = (
            timezone.localtime(match.planned_start),
            timezone.localtime(match.planned_end or match.planned_start),
        )
        forms["plan"] = PlanForm(initial={"day": start.date(), "start": start.time(), "end": end.time()}, prefix="plan")
    holding = match.status in Match.HOLDING
    done_from = services.done_possible_from(match)
    context = {
        "match": match,
        "care_request": match.request,
        "events": _with_labels(match.events.select_related("actor").order_by("at", "pk")),
        "plan_form": forms["plan"],
        "cancel_form": forms["cancel"],
        "feedback_form": forms["feedback"],
        "decline_form": forms["decline"],
        "done_form": forms["done"],
        "accept_form": forms["accept"],
        "confirm_form": forms["confirm"],
        "refuse_form": forms["refuse"],
        "can_check": holding and match.awaiting_check,
        "helper_record": _helper_record(match.helper) if holding and match.awaiting_check else None,
        "can_plan": holding and not match.awaiting_check,
        "can_cancel": match.status in (Match.Status.PROPOSED, *Match.HOLDING),
        "can_feedback": match.status == Match.Status.DONE,
        "can_answer": match.status == Match.Status.PROPOSED,
        # a visit is done once it was planned and has begun (the service's rule); a refused try keeps its message
        "can_mark_done": holding
        and not match.awaiting_check
        and ((done_from is not None and done_from <= timezone.now()) or forms["done"].is_bound),
        "done_from": done_from if holding and not match.awaiting_check else None,
        "cancel_reason": note_in_words(match.cancel_reason, coordinator=True),
    }
    return render(request, "care/coordinator/match.html", context)


def _helper_record(offer: HelperOffer) -> dict[str, Any]:
    """What a coordinator weighs before confirming a new helper's take: since when they help, what they did."""
    since = timezone.now() - timedelta(days=settings.CARE_CANCEL_FLAG_DAYS)
    matches = offer.matches.all()
    return {
        "since": offer.created_at,
        "done": matches.filter(status=Match.Status.DONE).count(),
        "cancelled": MatchEvent.objects.filter(
            match__helper=offer, actor_id=offer.person_id, to_status=Match.Status.CANCELLED, at__gte=since
        ).count(),
        "days": settings.CARE_CANCEL_FLAG_DAYS,
        "vettings": list(selectors.vettings_of(offer)),
    }


def _visit_hours(match: Match) -> Decimal | None:
    """The hours the visit was planned for (a quarter of an hour at most off), to start the form with."""
    if match.planned_start and match.planned_end:
        seconds = (match.planned_end - match.planned_start).total_seconds()
        return Decimal(seconds / 3600).quantize(Decimal("0.25"))
    return None


def _match_action(request: HttpRequest, actor: Actor, match: Match, action: str, forms: dict[str, Any]) -> bool:
    """Carry out one of the forms; True when it went through (the page then reloads)."""
    form = forms.get(action)
    if form is None or not form.is_valid():
        if form is None:
            messages.error(request, _("Unknown action."))
        return False
    data = form.cleaned_data
    try:
        if action == "plan":
            services.match_plan(actor=actor, match=match, start=data["start_at"], end=data["end_at"])
            messages.success(request, _("The visit is planned; the helper and the person are told."))
        elif action == "cancel":
            services.match_cancel(actor=actor, match=match, reason=data["reason"])
            messages.success(request, _("The match is cancelled; the request looks for a helper again."))
        elif action == "feedback":
            services.match_resident_feedback(
                actor=actor, match=match, feedback=data["feedback"], same_helper_again=data["same_helper_again"]
            )
            messages.success(request, _("The person's feedback is recorded."))
        elif action == "confirm":
            services.match_check(actor=actor, match=match, confirm=True)
            text = _("Confirmed: the helper now sees what they need to go there; the person is told.")
            messages.success(request, text)
        elif action == "refuse":
            services.match_check(actor=actor, match=match, confirm=False, reason=data["reason"])
            messages.success(request, _("Not confirmed: the request looks for a helper again; the helper is told."))
        elif action == "accept":
            services.match_accept(actor=actor, match=match)
            messages.success(request, _("The helper's yes is recorded; the person is told."))
        elif action == "decline":
            services.match_decline(actor=actor, match=match, reason=data["reason"])
            messages.success(request, _("The helper's no is recorded; the request needs someone else."))
        else:
            services.match_done(
                actor=actor,
                match=match,
                hours=data["hours"],
                feedback=data["feedback"],
                would_come_again=data["would_come_again"],
            )
            messages.success(request, _("The visit is recorded as done, with the helper's hours."))
    except ValidationError as error:
        add_service_error(form, error, MATCH_ERROR_FIELDS)
        return False
    except PermissionDenied:
        form.add_error(None, _("You may not change this match."))
        return False
    return True


# --- matching rounds -------------------------------------------------------------------------------------


@never_cache
@requires("care.view_worklist")
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest) -> HttpResponse:
    """Start a round over one district or all of them (a background task), and see the recent ones."""
    actor = actor_for(request)
    districts = selectors.coordinated_districts(actor)
    form = RoundStartForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            matching_round = services.round_start(actor=actor, district_id=form.cleaned_data["district"])
        except PermissionDenied:
            form.add_error("district", _("You can run rounds only in the districts you coordinate."))
        else:
            messages.success(request, _("The round has started. The proposals appear here when it is ready."))
            return redirect("care:round", pk=matching_round.pk)
    found = list(selectors.rounds_of(actor))
    context = {"form": form, "rounds": found, "rounds_table": tables.rounds(found), "can_run_round": districts.exists()}
    return render(request, "care/coordinator/rounds.html", context)


@never_cache
@requires("authenticated")  # the object rule decides: another coordinator's round is a 404
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round: still running (the page says so and refreshes itself with htmx), its error, or its proposals."""
    actor = actor_for(request)
    matching_round = selectors.round_for(actor, pk)
    proposals = (
        list(selectors.round_proposals(matching_round)) if matching_round.status == MatchingRound.Status.DONE else []
    )
    _log_shown(request, [p.request for p in proposals], "care.view_round")
    context = {
        "round": matching_round,
        "proposals": proposals,
        "proposals_table": _proposals_table(proposals),
        "open_count": len([p for p in proposals if p.match is None]),
        "running": matching_round.status in (MatchingRound.Status.QUEUED, MatchingRound.Status.RUNNING),
    }
    return render(request, "care/coordinator/round.html", context)


def _proposals_table(proposals: list[Any]) -> Table:
    """A round's proposed pairs, the design system's table (cards on a phone): the person, what, where, the
    helper (first name and initial), how far, and a box to confirm (or the link to the confirmed match)."""
    table = Table(
        _("Proposed pairs: a helper is only asked once you confirm."),
        columns=[Column(_("Person")), Column(_("What")), Column(_("District")), Column(_("Helper")),
                 Column(_("Distance")), Column(_("Confirm"))],
    )  # fmt: skip
    for proposal in proposals:
        care_request = proposal.request
        table.add(
            str(care_request.person),
            Cell(care_request.category.name, url=reverse("care:request_detail", args=[care_request.pk])),
            care_request.district.name,
            f"{short_name(proposal.helper.person)} (#{proposal.helper_id})",
            f"{wording.km(proposal.distance_km)} km",
            Cell(template="care/coordinator/_confirm_cell.html", context={"proposal": proposal}),
        )
    return table


@require_POST
@requires("authenticated")
def round_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn the chosen proposals, or all of them, into proposals to the helpers."""
    actor = actor_for(request)
    matching_round = selectors.round_for(actor, pk)
    if request.POST.get("action") == "all":
        chosen: list[int] | None = None
    else:
        chosen = [n for n in map(as_number, request.POST.getlist("proposal")) if n is not None]
        if not chosen:
            messages.error(request, _("Tick at least one proposal, or confirm them all."))
            return redirect("care:round", pk=matching_round.pk)
    try:
        result = services.round_confirm(actor=actor, matching_round=matching_round, proposal_ids=chosen)
    except (ValidationError, PermissionDenied) as error:
        _say_refused(request, error)
        return redirect("care:round", pk=matching_round.pk)
    messages.success(
        request,
        _("%(confirmed)d confirmed: the helpers have been asked. %(skipped)d skipped.")
        % {"confirmed": len(result.matches), "skipped": len(result.skipped)},
    )
    for proposal, reason in result.skipped:
        messages.warning(
            request,
            _("Skipped: %(category)s for %(person)s with %(helper)s: %(reason)s")
            % {
                "category": proposal.request.category.name,
                "person": proposal.request.person,
                "helper": short_name(proposal.helper.person),
                "reason": reason,
            },
        )
    return redirect("care:round", pk=matching_round.pk)


# --- the call list ---------------------------------------------------------------------------------------


CALL_SECTIONS = {
    "visits": gettext_lazy("a visit that day"),
    "follow_ups": gettext_lazy("to call back"),
    "without_helper": gettext_lazy("no helper fits"),
    "waiting": gettext_lazy("a helper who has not answered"),
}
"""The call list's sections, as the list of people not called names them."""
NOT_CALLED_REASONS = {
    "no_consent": gettext_lazy("did not agree to be called"),
    "no_phone": gettext_lazy("no phone number"),
}


@never_cache
@requires("care.view_worklist")
def call_list(request: HttpRequest) -> HttpResponse:
    """The calls of the day, made to be printed (print stylesheet: no menu, a table with a column to tick)."""
    actor = actor_for(request)
    form = CallListDayForm(request.GET or None)
    day = (form.cleaned_data["day"] if form.is_valid() else None) or timezone.localdate()
    calls = selectors.call_list(actor, timezone.make_aware(datetime.combine(day, time(12))))
    _log_shown(request, calls.shown_requests, "care.view_worklist")
    not_called = [
        {
            "row": row,
            "why": NOT_CALLED_REASONS[row.reason],
            "about": CALL_SECTIONS[row.section],
            "url": reverse("care:coordinator_match", args=[row.match.pk])
            if row.match
            else reverse("care:request_detail", args=[row.request.pk]),
        }
        for row in calls.not_called
    ]
    context = {
        "form": form, "day": day, "calls": calls, "is_today": day == timezone.localdate(), "not_called": not_called,
        "left_out": {key: calls.left_out(key) for key in CALL_SECTIONS}, "tables": tables.call_list(calls, not_called),
    }  # fmt: skip
    return render(request, "care/coordinator/call_list.html", context)


# --- vetting -------------------------------------------------------------------------------------------


@never_cache
@requires("authenticated")  # the object rule decides: a helper the coordinator does not coordinate is a 404
@require_http_methods(["GET", "POST"])
def vetting(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a check of a helper (kind, date, valid until) and see the past ones with their expiry."""
    actor = actor_for(request)
    offer = selectors.offer_for(actor, pk)
    form = VettingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.vetting_record(
                actor=actor,
                offer=offer,
                kind=data["kind"],
                checked_on=data["checked_on"],
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            add_service_error(form, error, VETTING_ERROR_FIELDS)
        except PermissionDenied:
            form.add_error(None, _("You may not record checks for this helper."))
        else:
            messages.success(request, _("The check is recorded."))
            return redirect("care:vetting", pk=offer.pk)
    today = timezone.localdate()
    checks = [
        {"vetting": v, "expired": v.expires_on < today, "valid": v.checked_on <= today <= v.expires_on}
        for v in selectors.vettings_of(offer)
    ]
    context = {
        "offer": offer,
        "form": form,
        "checks": checks,
        "checks_table": tables.checks(checks),
        "vetted": any(c["valid"] for c in checks),
        "languages": language_names(offer.languages),
    }
    return render(request, "care/coordinator/vetting.html", context)
