"""The resident's pages: my requests, ask for help, one request, messages.

Written for the person who asks, often older: one column, large type, plain words, the status as a
sentence ("Yasmine comes on Tuesday 3 December at 10:00") rather than a code.  The words helpers at
the top are shared with the helper's pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.core import formats as shown
from apps.core.components import Tag
from apps.people import selectors as people_selectors
from apps.people.forms import LANGUAGES
from apps.people.models import Consent, Person, Purpose, Role
from apps.people.services import consent_give

from . import selectors, services, tables
from .forms_resident import ASK_ERROR_FIELDS, AskForm, CancelRequestForm, ResidentFeedbackForm
from .models import CareRequest, Match
from .wording import short_name

# ----------------------------------------------------------------------------------------------------------
# in words


def day_in_words(moment: datetime) -> str:
    """The day as people say it ("Tuesday 3 December 2026"), in the page's language."""
    return _day_text(timezone.localtime(moment).date(), get_language() or "")


@lru_cache(maxsize=1024)
def _day_text(day: date, language: str) -> str:
    """Kept per day and language: a helper's page of 30 cards names the same few days again and again.

    Dutch and French write day names in lower case inside a sentence ("komt op dinsdag"), while the
    catalogues give them capitalised, as for a heading."""
    return shown.day(day)


def hour_in_words(moment: datetime) -> str:
    """24-hour time ("09:30"), as in all three languages."""
    local = timezone.localtime(moment)
    return f"{local.hour:02d}:{local.minute:02d}"


def when_in_words(start: datetime, end: datetime | None = None) -> str:
    """A moment or a stretch of time in full words, on one day or across two."""
    if end is None:
        return _("%(day)s at %(start)s") % {"day": day_in_words(start), "start": hour_in_words(start)}
    if timezone.localtime(start).date() == timezone.localtime(end).date():
        return _("%(day)s, from %(start)s to %(end)s") % {
            "day": day_in_words(start),
            "start": hour_in_words(start),
            "end": hour_in_words(end),
        }
    return _("from %(start)s to %(end)s") % {"start": when_in_words(start), "end": when_in_words(end)}


def duration_in_words(minutes: int) -> str:
    """As typed: "45 minuten", "1 uur", "1,5 uur" (``apps/core/formats.py``)."""
    return shown.duration(minutes)


LANGUAGE_NAMES = dict(LANGUAGES)


def languages_in_words(codes: list[str]) -> str:
    return shown.language_names(codes) or _("any language")


def distance_in_words(km: float) -> str:
    """Rounded to half a kilometre: close enough to decide, too rough to find a house with."""
    rounded = max(0.5, round(km * 2) / 2)
    return _("about %(km)s km") % {"km": number_format(Decimal(str(rounded)), 1)}


def service_errors(
    form: forms.Form, error: ValidationError, fields: dict[str, str], default: str | None = None
) -> None:
    """Put a service's ValidationError next to the field its code concerns (or above the form)."""
    for item in getattr(error, "error_list", [error]):
        name = fields.get(item.code or "", default)
        for message in item.messages:
            form.add_error(name if name in form.fields else None, message)


# ----------------------------------------------------------------------------------------------------------
# a request as the resident reads it


HELD = (Match.Status.ACCEPTED, Match.Status.PLANNED, Match.Status.DONE)


@dataclass
class RequestView:
    """One request with what the resident wants to know about it, already in words."""

    request: CareRequest
    status: str
    tag: Tag | None = None
    helper_name: str = ""
    planned: str = ""
    duration: str = ""
    times: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    feedback_matches: list[Match] = field(default_factory=list)
    given_feedback: list[Match] = field(default_factory=list)

    @property
    def can_cancel(self) -> bool:
        return self.request.status not in (CareRequest.Status.DONE, CareRequest.Status.CANCELLED)


def _helper_match(matches: list[Match]) -> Match | None:
    """The match of the helper who holds the request now, or else who helped last."""
    holding = [m for m in matches if m.status in Match.HOLDING]
    if holding:
        return holding[0]
    done = [m for m in matches if m.status == Match.Status.DONE]
    return max(done, key=lambda m: m.done_at or m.created_at) if done else None


def _status(request: CareRequest, matches: list[Match], helper: Match | None) -> str:
    name = helper.helper.person.first_name if helper else ""
    if request.status == CareRequest.Status.CANCELLED:
        return _("This request is cancelled.")
    if request.status == CareRequest.Status.REFERRED:
        return _(
            "This is care for a professional. We pass your request on to a care service. A coordinator will call you."
        )
    if request.status == CareRequest.Status.DONE:
        return _("Done. %(name)s helped you.") % {"name": name} if name else _("Done.")
    if helper is not None and helper.status == Match.Status.PLANNED and helper.planned_start:
        return _("%(name)s will come on %(when)s.") % {"name": name, "when": when_in_words(helper.planned_start)}
    if helper is not None and helper.awaiting_check:
        return _("A helper offered to help. A coordinator checks this first; you get a message when it is settled.")
    if helper is not None and helper.status == Match.Status.ACCEPTED:
        return _("%(name)s will help you. %(name)s will contact you to agree on a day and time.") % {"name": name}
    proposed = [m for m in matches if m.status == Match.Status.PROPOSED]
    if proposed:  # named as soon as the proposal is made: first name and initial, as on the coordinator's page
        return _("Proposed to %(name)s, waiting for an answer.") % {
            "name": ", ".join(short_name(m.helper.person) for m in proposed)
        }
    return _("We are looking for a helper. You will get a message as soon as someone says yes.")


def _history(matches: list[Match]) -> list[str]:
    """What happened, in plain words and in order.  Only the helper who said yes is named."""
    lines: list[tuple[datetime, str]] = []
    for match in matches:
        name = match.helper.person.first_name
        for event in match.events.all():
            day = date_format(timezone.localtime(event.at), "j F")
            text = {
                Match.Status.PROPOSED: _("%(day)s: we asked a helper."),
                Match.Status.ACCEPTED: _("%(day)s: %(name)s said yes."),
                Match.Status.DECLINED: _("%(day)s: the helper we asked could not come. We look further."),
                Match.Status.PLANNED: _("%(day)s: the day and time were agreed."),
                Match.Status.DONE: _("%(day)s: %(name)s helped you."),
                Match.Status.CANCELLED: _("%(day)s: the visit was cancelled."),
            }.get(event.to_status)
            if text is None or event.note == "another helper accepted" or event.from_status == event.to_status:
                continue  # (from and to the same state: a coordinator confirmed a new helper's take)
            if match.awaiting_check and event.to_status == Match.Status.ACCEPTED:
                text = _("%(day)s: a helper offered to help. A coordinator checks this first.")  # not named yet
            lines.append((event.at, text % {"day": day, "name": name}))
    return [text for _at, text in sorted(lines, key=lambda line: line[0])]


def request_view(request: CareRequest, *, with_history: bool = False) -> RequestView:
    matches = list(request.matches.all())
    helper = _helper_match(matches)
    now = timezone.now()
    view = RequestView(
        request=request,
        status=_status(request, matches, helper),
        tag=tables.resident_tag(request, helper, any(m.status == Match.Status.PROPOSED for m in matches)),
        helper_name=helper.helper.person.first_name if helper and not helper.awaiting_check else "",
        planned=when_in_words(helper.planned_start, helper.planned_end)
        if helper and helper.status == Match.Status.PLANNED and helper.planned_start
        else "",
        times=[when_in_words(w.start, w.end) for w in request.windows.all() if w.end > now],
        duration=duration_in_words(request.duration_minutes),
    )
    if with_history:
        view.history = _history(matches)
        view.feedback_matches = [
            m
            for m in matches
            if m.status == Match.Status.DONE and not m.resident_feedback and m.resident_continues is None
        ]
        view.given_feedback = [m for m in matches if m.status == Match.Status.DONE and m not in view.feedback_matches]
    return view


def _own_request(http: HttpRequest, pk: int) -> CareRequest:
    """The resident's own request, with its times and matches; anyone else's answers 404 (and is logged)."""
    request = selectors.request_for(actor_for(http), pk, http, rule="care.view_own_request")
    matches = Match.objects.select_related("helper__person").prefetch_related("events").order_by("-created_at")
    prefetch_related_objects([request], "windows", Prefetch("matches", queryset=matches))
    return request


def _me(http: HttpRequest) -> Person:
    person = people_selectors.own_person(actor_for(http))
    if person is None:  # the page rule lets only accounts with a person in
        raise Http404
    return person


# ----------------------------------------------------------------------------------------------------------
# pages


@never_cache
@requires("care.view_my_requests")
def my_requests(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    rows = [request_view(r) for r in selectors.my_requests(actor)]
    current = [r for r in rows if r.request.status not in (CareRequest.Status.DONE, CareRequest.Status.CANCELLED)]
    closed = [r for r in rows if r not in current]
    unread = selectors.messages_of(actor).filter(read_at__isnull=True).count()
    return render(request, "care/resident/my_requests.html", {"current": current, "closed": closed, "unread": unread})


@never_cache
@requires("care.view_my_requests")
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    person = _me(request)
    needs_consent = Purpose.CARE_MATCHING not in people_selectors.active_consents(person)
    home = shown.address(person) if person.street else ""
    form = AskForm(
        request.POST or None,
        categories=selectors.care_categories(),
        needs_consent=needs_consent,
        own_languages=person.languages,
        initial={"languages": person.languages},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        address = data["address"].strip()
        try:
            with transaction.atomic():  # the consent and the request are saved together, or neither
                if needs_consent:
                    consent_give(
                        actor=actor, person=person, purpose=Purpose.CARE_MATCHING, method=Consent.Method.ONLINE
                    )
                created = services.care_request_create(
                    actor=actor,
                    person=person,
                    category=data["category"],
                    windows=data["windows"],
                    description=data["description"],
                    address="" if address == home else address,
                    duration_minutes=data["duration_minutes"],
                    recurrence=data["recurrence"],
                    repeat_until=data["repeat_until"],
                    languages=data["languages"],
                    urgency=data["urgency"],
                    requires_vetted=data["requires_vetted"],
                )
        except ValidationError as error:
            service_errors(form, error, ASK_ERROR_FIELDS)
        else:
            if created.status == CareRequest.Status.REFERRED:
                flash.success(
                    request,
                    _(
                        "Thank you. This help is given by care professionals, not by volunteers. We pass your request "
                        "on to a care service, and a coordinator will call you."
                    ),
                )
            else:
                flash.success(
                    request,
                    _(
                        "Thank you. We are now looking for a helper. "
                        "You will get a message as soon as someone says yes."
                    ),
                )
            return redirect("care:my_request", created.pk)
    context = {"form": form, "home": home, "needs_consent": needs_consent}
    return render(request, "care/resident/ask.html", context)


def _request_page(
    http: HttpRequest,
    request: CareRequest,
    *,
    cancel_form: CancelRequestForm | None = None,
    feedback_form: tuple[int, ResidentFeedbackForm] | None = None,
) -> HttpResponse:
    view = request_view(request, with_history=True)
    feedback = [
        (m, feedback_form[1] if feedback_form and feedback_form[0] == m.pk else ResidentFeedbackForm(prefix=f"m{m.pk}"))
        for m in view.feedback_matches
    ]
    return render(
        http,
        "care/resident/my_request.html",
        {"view": view, "req": request, "cancel_form": cancel_form or CancelRequestForm(), "feedback": feedback},
    )


@never_cache
@requires("care.view_my_requests")
def my_request(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_page(request, _own_request(request, pk))


@never_cache
@requires("care.view_my_requests")
@require_POST
def cancel_my_request(request: HttpRequest, pk: int) -> HttpResponse:
    target = _own_request(request, pk)
    form = CancelRequestForm(request.POST)
    if form.is_valid():
        try:
            services.care_request_cancel(actor=actor_for(request), request=target, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            service_errors(form, error, {"reason": "reason"})
        else:
            flash.success(request, _("Your request is cancelled. The helper, if there was one, has been told."))
            return redirect("care:my_request", target.pk)
    return _request_page(request, target, cancel_form=form)


@never_cache
@requires("care.view_my_requests")
@require_POST
def resident_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_for(request)
    match = selectors.match_for(actor, pk, "care.resident_feedback", request)
    if match.request.person_id != actor.person_id:  # the resident's own page; coordinators have theirs
        raise Http404
    form = ResidentFeedbackForm(request.POST, prefix=f"m{match.pk}")
    if form.is_valid():
        try:
            services.match_resident_feedback(
                actor=actor, match=match, feedback=form.cleaned_data["feedback"], same_helper_again=form.answer()
            )
        except ValidationError as error:  # only "not done yet": nothing to correct in the form
            flash.error(request, " ".join(error.messages))
        else:
            flash.success(request, _("Thank you for telling us."))
        return redirect("care:my_request", match.request_id)
    return _request_page(request, _own_request(request, match.request_id), feedback_form=(match.pk, form))


@never_cache
@requires("care.view_my_requests")
def messages(request: HttpRequest) -> HttpResponse:
    """My messages among my requests.  A helper who is not a resident (a message's link, an email) reads them among
    the helper's pages instead, with that menu (``views_helper.helper_messages``)."""
    actor = actor_for(request)
    if actor.has_role(Role.HELPER) and not actor.has_role(Role.RESIDENT):
        return redirect("care:helper_messages")
    return messages_page(request, frame="care/resident/_base.html")


def messages_page(request: HttpRequest, *, frame: str) -> HttpResponse:
    """Newest first; opening the page marks them read (the ones that were new are still shown as new).  ``frame``
    is the template the page sits in: the reader's own sub-menu (a resident's or a helper's)."""
    actor = actor_for(request)
    found = list(selectors.messages_of(actor)[:100])
    unread = {m.pk for m in found if m.read_at is None}
    if unread:
        services.messages_read(actor=actor, message_ids=sorted(unread))
    return render(request, "care/resident/messages.html", {"found": found, "unread": unread, "frame": frame})
