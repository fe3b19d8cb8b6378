"""The helper's pages, made for a phone: requests near me that fit me, my offer, times away, my matches.

Privacy on the way: before a helper has said yes, a request shows only its category, district,
approximate distance, time, duration and languages; never the person's name, address or the
description.  After saying yes the helper sees what they need to go there, read through
``selectors.request_for`` so that the read is in the access log.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.access.rules import can
from apps.access.services import log_request_list
from apps.core import formats as shown
from apps.core.components import Cell, Column, Table
from apps.people import selectors as people_selectors
from apps.people.models import Person, Purpose
from domain.matching import Fit

from . import selectors, services
from .forms_helper import (
    AWAY_ERROR_FIELDS,
    DONE_ERROR_FIELDS,
    OFFER_ERROR_FIELDS,
    PLAN_ERROR_FIELDS,
    AttestationForm,
    AwayForm,
    DoneForm,
    OfferForm,
    PlanForm,
    ReasonForm,
    rows_wanted,
)
from .models import HelperOffer, Match
from .problem import aware_local, planned_visits
from .selectors import RequestSummary
from .views_resident import (
    distance_in_words,
    duration_in_words,
    languages_in_words,
    messages_page,
    service_errors,
    when_in_words,
)

# ----------------------------------------------------------------------------------------------------------
# a request as a helper sees it before saying yes


@dataclass(frozen=True)
class Card:
    """What a helper may know of an open request before saying yes: nothing that identifies the person."""

    pk: int
    category: str
    district: str
    distance: str
    when: str
    duration: str
    languages: str
    fits: bool = True

    @property
    def dom_id(self) -> str:
        """The card's id on the page (an anchor, and what a refused take keeps in place)."""
        return f"request-{self.pk}"


def card_of(request: RequestSummary, fit: Fit | None, distance_km: float | None = None) -> Card:
    """The anonymous card: the common free time when the engine says it fits, else the request's first time."""
    if fit is not None:
        distance_km = fit.distance_km
        when = when_in_words(aware_local(fit.overlap_start), aware_local(fit.overlap_end))
    else:
        upcoming = [w for w in request.windows.all() if w.end > timezone.now()]
        when = when_in_words(upcoming[0].start, upcoming[0].end) if upcoming else ""
    return Card(
        pk=request.pk,
        category=request.category.name,
        district=request.district.name,
        distance=distance_in_words(distance_km) if distance_km is not None else "",
        when=when,
        duration=duration_in_words(request.duration_minutes),
        languages=languages_in_words(request.languages),
        fits=fit is not None,
    )


def _offer_or_invite(http: HttpRequest) -> HelperOffer | None:
    return selectors.offer_of(actor_for(http))


def _me(http: HttpRequest) -> Person:
    person = people_selectors.own_person(actor_for(http))
    if person is None:
        raise Http404
    return person


# ----------------------------------------------------------------------------------------------------------
# requests near me


@never_cache
@requires("care.view_my_requests")
def near_me(request: HttpRequest) -> HttpResponse:
    """ "Requests near me that fit me", best first; without an offer, an invitation to make one."""
    offer = _offer_or_invite(request)
    if offer is None:
        return render(request, "care/helper/near_me.html", {"offer": None})
    cards = [card_of(summary, fit) for fit, summary in selectors.requests_near(offer)]
    waiting = selectors.helper_matches(offer).filter(status=Match.Status.PROPOSED).count()
    context = {
        "offer": offer,
        "cards": cards,
        "waiting": waiting,
        "is_new": selectors.helper_is_new(offer),
        # at capacity (or the day's limit, or a take waiting for a check): said on the page and on each card
        # before the helper taps, instead of a button that can only be refused
        "refusal": selectors.take_refusal(offer),
    }
    return render(request, "care/helper/near_me.html", context)


@never_cache
@requires("care.helper_pages")
def request_summary(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    target = selectors.request_summary_for(actor, pk)
    offer = selectors.offer_of(actor)
    fit, distance = selectors.fit_for(offer, target) if offer else (None, None)
    is_new = offer is not None and selectors.helper_is_new(offer)
    refusal = selectors.take_refusal(offer) if offer is not None else None
    context = {"card": card_of(target, fit, distance), "offer": offer, "is_new": is_new, "refusal": refusal}
    return render(request, "care/helper/request_summary.html", context)


@never_cache
@requires("care.helper_pages")
@require_POST
def take(request: HttpRequest, pk: int) -> HttpResponse:
    """ "I can help": the request is the helper's at once, unless someone else was faster (then nothing changes)."""
    actor = actor_for(request)
    if selectors.offer_of(actor) is None:
        flash.info(request, _("First tell us how you would like to help."))
        return redirect("care:offer")
    target = selectors.request_for(actor, pk, request, rule="care.take_request")
    try:
        match = services.request_take(actor=actor, request=target)
    except ValidationError as error:
        # the card stays where it was, with the answer in place of its button: with htmx only the button is
        # swapped; without, the request's own page shows its card again while it is open (else near me)
        text = " ".join(error.messages)
        codes = {getattr(item, "code", None) for item in error.error_list}
        if request.htmx:  # type: ignore[attr-defined]
            return render(request, "care/helper/_gone.html", {"text": text, "pk": pk, "codes": codes})
        flash.error(request, text)
        target.refresh_from_db()  # as it is now: taken by someone faster, the request's page is gone for this helper
        if can(actor, "care.view_request_summary", target):
            return redirect("care:request_summary", pk)
        return redirect("care:helper_home")
    except PermissionDenied:
        raise Http404 from None
    if match.awaiting_check:
        flash.success(request, _("Thank you!") + " " + checking_text())
    else:
        flash.success(request, _("Thank you! The request is yours. Here is what you need to know to go there."))
    url = reverse("care:helper_match", args=[match.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)  # type: ignore[attr-defined]


@never_cache
@requires("care.view_my_requests")
def helper_messages(request: HttpRequest) -> HttpResponse:
    """My messages, opened from the helper's pages: the same messages, with the helper's menu and sub-menu."""
    return messages_page(request, frame="care/helper/_base.html")


# ----------------------------------------------------------------------------------------------------------
# my offer and my times away


def _initial(offer: HelperOffer | None, person: Person) -> dict[str, Any]:
    if offer is None:
        return {"languages": person.languages or ["nl"], "active": True}
    initial: dict[str, Any] = {
        "kind": offer.kind,
        "categories": list(offer.categories.all()),
        "max_distance_km": f"{offer.max_distance_km:.1f}",
        "requests_per_week": offer.requests_per_week,
        "languages": offer.languages,
        "active": offer.active,
    }
    for row, slot in enumerate(offer.availability.all()):
        initial |= {f"day_{row}": slot.weekday, f"start_{row}": slot.start, f"end_{row}": slot.end}
    return initial


@never_cache
@requires("care.view_my_requests")
@require_http_methods(["GET", "POST"])
def offer(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    person = _me(request)
    current = selectors.offer_of(actor)
    context: dict[str, Any] = {"offer": current, "person": person}
    if person.lat is None or person.district_id is None:
        return render(request, "care/helper/offer.html", {**context, "form": None})
    needs_consent = Purpose.LISTED_AS_HELPER not in people_selectors.active_consents(person)
    slots = current.availability.count() if current else 0
    data = request.POST if request.method == "POST" else None
    options = {
        "categories": selectors.care_categories(for_helpers=True),
        "rows": rows_wanted(data, slots),
        "needs_consent": needs_consent,
    }
    if data is not None and "add_row" in data:
        # one more row, and everything typed so far stays: no saving, no error messages yet
        typed = {
            name: data.getlist(name)
            if len(data.getlist(name)) > 1 or name in ("categories", "languages")
            else data.get(name)
            for name in data
            if name not in ("csrfmiddlewaretoken", "add_row")
        }
        form = OfferForm(initial=typed, **options)
        return render(request, "care/helper/offer.html", {**context, "form": form})
    form = OfferForm(data, initial=_initial(current, person), **options)
    if data is not None and form.is_valid():
        values = form.cleaned_data
        try:
            with transaction.atomic():
                services.offer_save(
                    actor=actor,
                    person=person,
                    kind=values["kind"],
                    categories=list(values["categories"]),
                    slots=values["slots"],
                    max_distance_km=Decimal(values["max_distance_km"]),
                    requests_per_week=values["requests_per_week"],
                    languages=values["languages"],
                    active=values["active"],
                    via=request.path,
                )
        except ValidationError as error:
            service_errors(form, error, OFFER_ERROR_FIELDS)
        else:
            flash.success(request, _("Thank you! Your offer is saved. Here are the requests near you that fit it."))
            return redirect("care:helper_home")
    return render(request, "care/helper/offer.html", {**context, "form": form})


def _offer_required(http: HttpRequest) -> HelperOffer | HttpResponse:
    offer = selectors.offer_of(actor_for(http))
    if offer is None:
        flash.info(http, _("First tell us how you would like to help."))
        return redirect("care:offer")
    return offer


@never_cache
@requires("care.view_my_requests")
@require_http_methods(["GET", "POST"])
def away(request: HttpRequest) -> HttpResponse:
    found = _offer_required(request)
    if isinstance(found, HttpResponse):
        return found
    form = AwayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.exception_add(
                actor=actor_for(request),
                offer=found,
                first_day=values["first_day"],
                last_day=values["last_day"],
                note=values["note"],
            )
        except ValidationError as error:
            service_errors(form, error, AWAY_ERROR_FIELDS)
        else:
            flash.success(request, _("Saved. We will not ask you for help on these days."))
            return redirect("care:away")
    return render(request, "care/helper/away.html", {"form": form, "exceptions": selectors.exceptions_of(found)})


@never_cache
@requires("care.view_my_requests")
@require_POST
def away_remove(request: HttpRequest, pk: int) -> HttpResponse:
    found = _offer_required(request)
    if isinstance(found, HttpResponse):
        return found
    exception = selectors.exceptions_of(found).filter(pk=pk).first()
    if exception is None:
        raise Http404
    services.exception_remove(actor=actor_for(request), exception=exception)
    flash.success(request, _("Removed. You can be asked for help on these days again."))
    return redirect("care:away")


# ----------------------------------------------------------------------------------------------------------
# my matches


def checking_text() -> str:
    """What a new helper reads while a coordinator checks their "I can help"."""
    return _(
        "A coordinator checks this first, because you are new here. You hear from us within %(hours)d hours. "
        "Then you see the name, the address and the phone number."
    ) % {"hours": settings.CARE_CHECK_WITHIN_HOURS}


def helper_status(match: Match) -> str:
    """Where a match stands, in words, as the helper reads it."""
    if match.awaiting_check and match.status in Match.HOLDING:
        return checking_text()
    if match.status == Match.Status.PROPOSED:
        return _("Waiting for your answer.")
    if match.status == Match.Status.ACCEPTED:
        return _("You said yes. Call the person to agree on a day and time, then write it down here.")
    if match.status == Match.Status.PLANNED and match.planned_start:
        return _("Planned: %(when)s.") % {"when": when_in_words(match.planned_start, match.planned_end)}
    if match.status == Match.Status.DONE:
        return _("Done. Thank you!")
    if match.status == Match.Status.DECLINED:
        return _("You said no.")
    return _("Cancelled.")


@never_cache
@requires("care.helper_pages")
def helper_matches(request: HttpRequest) -> HttpResponse:
    """My visits: what waits for my answer, what is coming (day, time, whom), what is done with its hours and
    the running total, and the way to an attestation of my volunteer hours for a period."""
    found = _offer_required(request)
    if isinstance(found, HttpResponse):
        return found
    groups: dict[str, list[tuple[selectors.Visit, str]]] = {"waiting": [], "current": [], "done": [], "other": []}
    visits = selectors.helper_visits(found)
    for visit in visits:
        group = {
            Match.Status.PROPOSED: "waiting",
            Match.Status.ACCEPTED: "current",
            Match.Status.PLANNED: "current",
            Match.Status.DONE: "done",
        }.get(visit.match.status, "other")
        groups[group].append((visit, helper_status(visit.match)))
    # the visits coming first, soonest on top; planned ones before those without a day yet
    groups["current"].sort(key=lambda row: (row[0].start is None, row[0].start or row[0].match.created_at))
    # a name beside a kind of help is a read of care data, as on the coordinator's lists
    log_request_list(
        request,
        records=[(v.match.request.person_id, selectors.RECORD, v.match.request_id) for v in visits if v.first_name],
        action="list",
        purpose="care.view_request",
    )
    total, count = selectors.helper_hours_total(found)
    today = timezone.localdate()
    period = AttestationForm(initial={"first_day": today.replace(month=1, day=1), "last_day": today})
    context = {
        "groups": groups,
        "done_table": _done_table(groups["done"], total),
        "total": total,
        "count": count,
        "offer": found,
        "period_form": period,
        "this_year": {"first_day": today.replace(month=1, day=1).isoformat(), "last_day": today.isoformat()},
    }
    return render(request, "care/helper/matches.html", context)


def _done_table(rows: list[tuple[selectors.Visit, str]], total: Decimal) -> Table:
    """Done visits, newest first: the day, whom, what, the hours and the hours so far (the running total)."""
    table = Table(
        caption=_("Visits done"),
        columns=[
            Column(_("Day")),
            Column(_("Who")),
            Column(_("What")),
            Column(_("Hours"), numeric=True),
            Column(_("Hours so far"), numeric=True),
        ],
        empty=_("No visits done yet."),
        caption_hidden=True,
    )
    so_far = total  # the newest first: each row's total counts it and every visit before it
    for visit, _status in rows:
        match = visit.match
        when = visit.start or match.done_at
        table.add(
            Cell(shown.day_short(when) if when else "–", url=reverse("care:helper_match", args=[match.pk])),
            visit.first_name or "–",
            match.request.category.name,
            shown.hours(visit.hours),
            shown.hours(so_far),
        )
        so_far -= visit.hours or Decimal(0)
    return table


@never_cache
@requires("authenticated")  # the object rule decides (``care.view_helper_hours``); refusals are logged, look like 404
def attestation(request: HttpRequest, pk: int) -> HttpResponse:
    """An attestation of volunteer hours for a period, to print (a page that needs no JavaScript): for the
    helper themself, or a coordinator who handles their offer (``care.view_helper_hours``; logged)."""
    actor = actor_for(request)
    offer = selectors.attested_offer(actor, pk, request)
    today = timezone.localdate()
    data = request.GET if "first_day" in request.GET or "last_day" in request.GET else None
    form = AttestationForm(data, initial={"first_day": today.replace(month=1, day=1), "last_day": today})
    if data is None:
        first_day, last_day = today.replace(month=1, day=1), today
    elif form.is_valid():
        first_day, last_day = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
    else:
        first_day = last_day = None
    found = selectors.attestation(offer, first_day, last_day) if first_day and last_day else None
    context = {
        "offer": offer,
        "form": form,
        "attestation": found,
        "own": actor.person_id == offer.person_id,
        "organisation": settings.CARE_ATTESTATION_ORGANISATION or _("City of People %(city)s")
        % {"city": settings.CITY_NAME},
        "city": settings.CITY_NAME if settings.CARE_ATTESTATION_ORGANISATION else "",  # the default names the city
        "today": today,
    }
    return render(request, "care/helper/attestation.html", context)


@dataclass
class MatchForms:
    decline: ReasonForm | None = None
    plan: PlanForm | None = None
    done: DoneForm | None = None
    cancel: ReasonForm | None = None


def _match_page(http: HttpRequest, match: Match, forms: MatchForms | None = None) -> HttpResponse:
    """Before saying yes: the anonymous card.  After: the person, the address, the phone, the times."""
    actor = actor_for(http)
    forms = forms or MatchForms()
    # after a visit, the person's details stay for a week only (the rule ``care.view_request``)
    # a new helper's take shows only the card until a coordinator confirmed it (``awaiting_check``)
    holds = (
        match.status in (Match.Status.ACCEPTED, Match.Status.PLANNED, Match.Status.DONE)
        and (match.status != Match.Status.DONE or can(actor, "care.view_request", match.request))
        and not match.awaiting_check
    )
    full = selectors.request_for(actor, match.request_id, http) if holds else None
    now = timezone.now()
    context: dict[str, Any] = {"match": match, "status": helper_status(match), "full": full}
    if full is not None:
        context["times"] = [when_in_words(w.start, w.end) for w in full.windows.all() if w.end > now]
        context["duration"] = duration_in_words(full.duration_minutes)
        context["languages"] = languages_in_words(full.languages)
    else:
        summary = RequestSummary.of(match.request)  # only what may be shown before saying yes
        fit, distance = selectors.fit_for(match.helper, summary)
        context["card"] = card_of(summary, fit if match.status == Match.Status.PROPOSED else None, distance)
    if match.status == Match.Status.PROPOSED:
        context["decline_form"] = forms.decline or ReasonForm(prefix="decline")
    if match.status in Match.HOLDING:
        context["cancel_form"] = forms.cancel or ReasonForm(prefix="cancel")
    if match.status in Match.HOLDING and not match.awaiting_check:
        context["plan_form"] = forms.plan or PlanForm(prefix="plan")
        # the helper's other visits still to come: two visits never overlap (``services.match_plan``)
        context["taken"] = planned_visits(match.helper_id, exclude_match=match.pk)
        # logging is offered only when the service allows it: planned, and the visit has begun
        done_from = services.done_possible_from(match)
        if (done_from is not None and done_from <= now) or forms.done is not None:  # a refused try keeps its message
            initial = _planned_hours(match) or (Decimal(full.duration_minutes) / 60 if full else None)
            context["done_form"] = forms.done or DoneForm(prefix="done", initial={"hours": initial})
        context["done_from"] = done_from
    if match.status == Match.Status.DONE:
        context["hours"] = match.hours.normalize() if match.hours is not None else None
    return render(http, "care/helper/match.html", context)


def _planned_hours(match: Match) -> Decimal | None:
    if match.planned_start and match.planned_end:
        return Decimal((match.planned_end - match.planned_start).total_seconds() / 3600).quantize(Decimal("0.25"))
    return None


def _mine(http: HttpRequest, pk: int) -> Match:
    return selectors.match_for(actor_for(http), pk, "care.respond_to_match", http)


@never_cache
@requires("care.helper_pages")
def helper_match(request: HttpRequest, pk: int) -> HttpResponse:
    return _match_page(request, _mine(request, pk))


def _done_message(http: HttpRequest, error: ValidationError, pk: int) -> HttpResponse:
    flash.error(http, " ".join(error.messages))
    return redirect("care:helper_match", pk)


@never_cache
@requires("care.helper_pages")
@require_POST
def match_accept(request: HttpRequest, pk: int) -> HttpResponse:
    match = _mine(request, pk)
    try:
        services.match_accept(actor=actor_for(request), match=match)
    except ValidationError as error:
        return _done_message(request, error, pk)
    flash.success(request, _("Thank you! Here is what you need to know to go there."))
    return redirect("care:helper_match", pk)


@never_cache
@requires("care.helper_pages")
@require_POST
def match_decline(request: HttpRequest, pk: int) -> HttpResponse:
    match = _mine(request, pk)
    form = ReasonForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            services.match_decline(actor=actor_for(request), match=match, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            service_errors(form, error, {"reason": "reason"})
        else:
            flash.success(request, _("Thank you for letting us know. We will ask someone else."))
            return redirect("care:helper_matches")
    return _match_page(request, match, MatchForms(decline=form))


@never_cache
@requires("care.helper_pages")
@require_POST
def match_plan(request: HttpRequest, pk: int) -> HttpResponse:
    match = _mine(request, pk)
    form = PlanForm(request.POST, prefix="plan")
    if form.is_valid():
        try:
            services.match_plan(
                actor=actor_for(request),
                match=match,
                start=form.cleaned_data["start_at"],
                end=form.cleaned_data["end_at"],
            )
        except ValidationError as error:
            service_errors(form, error, PLAN_ERROR_FIELDS)
        else:
            flash.success(request, _("Planned. We let the person know."))
            return redirect("care:helper_match", pk)
    return _match_page(request, match, MatchForms(plan=form))


@never_cache
@requires("care.helper_pages")
@require_POST
def match_done(request: HttpRequest, pk: int) -> HttpResponse:
    match = _mine(request, pk)
    form = DoneForm(request.POST, prefix="done")
    if form.is_valid():
        try:
            services.match_done(
                actor=actor_for(request),
                match=match,
                hours=form.cleaned_data["hours"],
                feedback=form.cleaned_data["feedback"],
                would_come_again=form.answer(),
            )
        except ValidationError as error:
            service_errors(form, error, DONE_ERROR_FIELDS)
        else:
            flash.success(request, _("Thank you for helping! Your hours are written down."))
            return redirect("care:helper_match", pk)
    return _match_page(request, match, MatchForms(done=form))


@never_cache
@requires("care.helper_pages")
@require_POST
def match_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    match = _mine(request, pk)
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.match_cancel(actor=actor_for(request), match=match, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            service_errors(form, error, {"reason": "reason"})
        else:
            flash.success(request, _("Cancelled. We let the person know and look for someone else."))
            return redirect("care:helper_matches")
    return _match_page(request, match, MatchForms(cancel=form))
