"""Referral pages: the coordinator refers a person and follows up, the organisation answers, the person sees
where they were referred and what happened.

Views parse input and call ``referral_selectors`` (reads: 404 for "missing" and "forbidden" alike, every read
of a referral logged) and ``referrals`` (writes: the rules decide, one transaction each).  Every page works
without JavaScript; referring is three steps on one URL (choose a service, say what to pass on with the
person's consent, check and send), carried by the query string and the posted form.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.access.actors import Actor, actor_for
from apps.access.decorators import requires
from apps.core.components import Cell, Column, Table, Tag
from apps.core.inputs import as_number
from apps.people import selectors as people_selectors
from apps.people.consent_texts import CONSENT_TEXTS
from apps.people.models import Person, Purpose, Role

from . import referral_selectors as selectors
from . import referrals as services
from .forms_referrals import IncomingFilterForm, ReferForm, ReferralFilterForm, ServiceSearchForm, StatusForm
from .models import Referral, Service

PAGE_SIZE = 50

STATUS_VARIANTS = {
    Referral.Status.SENT: "info",
    Referral.Status.RECEIVED: "info",
    Referral.Status.ACCEPTED: "success",
    Referral.Status.DECLINED: "error",
    Referral.Status.COMPLETED: "success",
    Referral.Status.NO_ANSWER: "warning",
    Referral.Status.WITHDRAWN: "neutral",
}

RESIDENT_WORDS = {
    Referral.Status.SENT: gettext_lazy("Sent to the service. They have not answered yet."),
    Referral.Status.RECEIVED: gettext_lazy("The service has received it and will answer soon."),
    Referral.Status.ACCEPTED: gettext_lazy("The service will help you. They will contact you."),
    Referral.Status.DECLINED: gettext_lazy("The service cannot help. Your coordinator looks for another way."),
    Referral.Status.COMPLETED: gettext_lazy("The service has helped you."),
    Referral.Status.NO_ANSWER: gettext_lazy("The service did not answer. Your coordinator follows it up."),
    Referral.Status.WITHDRAWN: gettext_lazy("Stopped. The service no longer sees it."),
}
"""A referral's status as the person reads it on their own page."""

COORDINATOR_ACTIONS = {
    Referral.Status.WITHDRAWN: gettext_lazy("Withdraw the referral (the service no longer sees it)"),
    Referral.Status.NO_ANSWER: gettext_lazy("Mark as “no answer”"),
}
ORGANISATION_ACTIONS = {
    Referral.Status.RECEIVED: gettext_lazy("Received: we will look at it"),
    Referral.Status.ACCEPTED: gettext_lazy("Accepted: we will help"),
    Referral.Status.DECLINED: gettext_lazy("Declined: we cannot help (say why)"),
    Referral.Status.COMPLETED: gettext_lazy("Completed: help was given"),
}


def status_tag(referral: Referral, today: Any = None) -> Tag:
    """The referral's status, or "answer overdue" when it waits past the day it was due."""
    today = today or timezone.localdate()
    if referral.status in selectors.WAITING and referral.answer_due < today:
        return Tag(_("Answer overdue"), "warning")
    return Tag(referral.get_status_display(), STATUS_VARIANTS.get(referral.status, "neutral"))


def history(referral: Referral) -> list[dict[str, Any]]:
    labels = dict(Referral.Status.choices)
    return [
        {"event": e, "label": labels.get(e.status, e.status), "note": services.note_in_words(e.note)}
        for e in referral.events.select_related("by").order_by("at", "pk")
    ]


def _page(request: HttpRequest, found: Any) -> Any:
    return Paginator(found, PAGE_SIZE).get_page(as_number(request.GET.get("page")) or 1)


def _add_error(form: Any, error: ValidationError, fields: dict[str, str]) -> None:
    field = fields.get(getattr(error, "code", "") or "")
    for message in error.messages:
        form.add_error(field if field in form.fields else None, message)


# --- the coordinator's list ------------------------------------------------------------------------------


@never_cache
@requires("directory.follow_referrals")
def referral_list(request: HttpRequest) -> HttpResponse:
    """Every referral of the persons the coordinator follows: overdue first, then those that came back, then the
    open ones, then the closed; filtered by status and district (never by what was written)."""
    actor = actor_for(request)
    services.referrals_withdraw_without_consent()
    districts = actor.district_scope(Role.COORDINATOR)
    form = ReferralFilterForm(request.GET or None, district_ids=districts or None)
    status, district_id = "", None
    if form.is_valid():
        status = form.cleaned_data["status"] or ""
        district_id = form.cleaned_data["district"].pk if form.cleaned_data["district"] else None
    page = _page(request, selectors.followed_by(actor, status=status, district_id=district_id))
    rows = list(page.object_list)
    selectors.log_shown(request, rows, "directory.follow_referrals")
    today = timezone.localdate()
    table = Table(
        caption=_("Referrals"), caption_hidden=True, empty=_("No referrals match."),
        columns=[Column(_("Person")), Column(_("Service")), Column(_("Status")), Column(_("Answer expected by")),
                 Column(_("District"))],
    )  # fmt: skip
    for referral in rows:
        table.add(
            Cell(str(referral.person), url=reverse("directory:referral", args=[referral.pk])),
            f"{referral.service.name} ({referral.organisation.name})",
            Cell(tag=status_tag(referral, today), note=_("Not seen yet") if referral.rank == 1 else None),  # type: ignore[attr-defined]
            referral.answer_due,
            referral.district.name if referral.district else "–",
        )
    query = urlencode({k: v for k, v in (("status", status), ("district", district_id or "")) if v})
    context = {
        "form": form,
        "table": table,
        "page_obj": page,
        "query": query,
        "counts": selectors.follow_up_counts(actor),
    }
    return render(request, "directory/referrals/list.html", context)


# --- referring: three steps ------------------------------------------------------------------------------


def _origin(request: HttpRequest) -> tuple[str, int | None, str]:
    """Where the referral comes from (``?origin=care_request&origin_id=12&need=…``); anything unknown is the
    coordinator's own judgement."""
    origin = request.GET.get("origin", "")
    origin_id = as_number(request.GET.get("origin_id"))
    if origin not in Referral.Origin.values or (origin == Referral.Origin.CARE_REQUEST and origin_id is None):
        return Referral.Origin.COORDINATOR, None, ""
    need = (request.GET.get("need") or "")[:200]
    return origin, origin_id, "" if "\x00" in need else need


def _carry(request: HttpRequest, **changes: Any) -> str:
    """The query string of this referral in progress, with ``changes``."""
    keep = {k: request.GET.get(k, "") for k in ("origin", "origin_id", "need", "resend", "q", "district", "service")}
    keep.update({k: str(v) for k, v in changes.items()})
    return "?" + urlencode({k: v for k, v in keep.items() if v})


@never_cache
@requires("authenticated")  # the object rule decides: a person the coordinator does not coordinate is a 404
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, person_pk: int) -> HttpResponse:
    """Refer a person: 1. choose a service, 2. where, what the person needs, what to pass on and their consent,
    3. check exactly what will be sent, and send."""
    actor = actor_for(request)
    person = people_selectors.person_for(actor, person_pk, rule="directory.refer", request=request)
    previous = _previous(actor, request, person)
    service = selectors.published_service(request.GET.get("service")) if request.GET.get("service") else None
    if service is None:
        return _choose_service(request, person, previous)
    origin, origin_id, need = _origin(request)
    if previous is not None:
        origin, origin_id, need = previous.origin, previous.origin_id, previous.need
    has_consent = Purpose.SHARE_WITH_SERVICE in people_selectors.active_consents(person)
    locations = selectors.locations_of(service)
    step = request.POST.get("step", "")
    form = ReferForm(
        request.POST if request.method == "POST" else None, person=person, locations=locations,
        has_consent=has_consent, need=need,
    )  # fmt: skip
    context: dict[str, Any] = {
        "person": person, "service": service, "form": form, "previous": previous, "has_consent": has_consent,
        "consent_text": CONSENT_TEXTS[Purpose.SHARE_WITH_SERVICE][1],
        "due": services.answer_due_from(timezone.localdate()), "back_url": _carry(request, service=""),
    }  # fmt: skip
    if request.method == "POST" and step in ("check", "send") and form.is_valid():
        if step == "check":
            context.update(preview=form.shared_preview(), place=form.service_at_location())
            return render(request, "directory/referrals/confirm.html", context)
        created = _send(actor, form, person, service, previous, origin, origin_id)
        if created is not None:
            messages.success(request, _("The referral was sent to %(service)s.") % {"service": service.name})
            return redirect("directory:referral", pk=created.pk)
    return render(request, "directory/referrals/refer.html", context)


def _previous(actor: Actor, request: HttpRequest, person: Person) -> Referral | None:
    """The declined (or unanswered) referral this one replaces (``?resend=<number>``), if any."""
    number = as_number(request.GET.get("resend"))
    if number is None:
        return None
    previous = selectors.referral_for(actor, number, request, rule="directory.manage_referral")
    if previous.person_id != person.pk:
        raise Http404
    return previous


def _choose_service(request: HttpRequest, person: Person, previous: Referral | None) -> HttpResponse:
    form = ServiceSearchForm(request.GET or None)
    text, district_id = "", person.district_id
    if form.is_bound and form.is_valid():
        text = form.cleaned_data["q"] or ""
        district_id = form.cleaned_data["district"].pk if form.cleaned_data["district"] else None
    elif not form.is_bound:
        form = ServiceSearchForm(initial={"district": person.district_id})
    found = selectors.published_services(text=text, district_id=district_id)
    if previous is not None:
        found = [s for s in found if s.pk != previous.service_id]
    choices = [(s, _carry(request, service=s.pk)) for s in found]
    unknown = bool(request.GET.get("service"))
    context = {"person": person, "form": form, "choices": choices, "unknown": unknown, "previous": previous}
    return render(request, "directory/referrals/choose.html", context)


def _send(actor: Actor, form: ReferForm, person: Person, service: Service, previous: Referral | None, origin: str,
          origin_id: int | None) -> Referral | None:  # fmt: skip
    fields = {"need_required": "need", "need_too_long": "need", "need_unstorable": "need", "shared_unknown": "shared",
              "shared_required": "shared", "unknown_location": "location", "consent_method": "consent_method",
              "online_only_by_person": "consent_method"}  # fmt: skip
    arguments = {
        "actor_person": actor, "person": person, "service": service,
        "service_at_location": form.service_at_location(), "need": form.cleaned_data["need"],
        "shared_fields": form.cleaned_data["shared"],
        "consent_method": form.cleaned_data.get("consent_method") or "phone",
    }  # fmt: skip
    try:
        if previous is not None:
            del arguments["person"]  # the person of the referral that came back
            return services.referral_resend(referral=previous, **arguments)
        return services.referral_create(origin=origin, origin_id=origin_id, **arguments)
    except ValidationError as error:
        _add_error(form, error, fields)
    except PermissionDenied:
        form.add_error(None, _("You may not refer this person."))
    return None


# --- one referral, for the coordinator ---------------------------------------------------------------------


@never_cache
@requires("authenticated")
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What was sent, to whom, its history, and the coordinator's steps: withdraw, "no answer", seen, elsewhere."""
    actor = actor_for(request)
    referral = selectors.referral_for(actor, pk, request, rule="directory.manage_referral")
    if referral.status in Referral.OPEN and services.referrals_withdraw_without_consent(person_id=referral.person_id):
        referral.refresh_from_db()
    statuses = services.next_statuses(actor, referral)
    posted = request.method == "POST" and request.POST.get("action") == "status"
    form = StatusForm(request.POST if posted else None, statuses=statuses, labels=COORDINATOR_ACTIONS)
    form.fields["note"].help_text = _("The service reads the reason when you withdraw.")
    if request.method == "POST":
        if request.POST.get("action") == "seen":
            try:
                services.referral_mark_seen(actor_person=actor, referral=referral)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except PermissionDenied as error:
                raise Http404 from error
            return redirect("directory:referrals")
        if posted and form.is_valid():
            try:
                services.referral_set_status(actor_person=actor, referral=referral, status=form.cleaned_data["status"],
                                             reason=form.cleaned_data["note"])  # fmt: skip
            except ValidationError as error:
                _add_error(form, error, {"reason_required": "note", "reason_too_long": "note",
                                         "reason_unstorable": "note"})  # fmt: skip
            except PermissionDenied as error:
                raise Http404 from error
            else:
                messages.success(
                    request, _("The referral is now “%(status)s”.") % {"status": referral.get_status_display()}
                )
                return redirect("directory:referral", pk=referral.pk)
    context = {
        "referral": referral, "tag": status_tag(referral), "shared": services.shared_rows(referral.shared),
        "history": history(referral), "form": form if statuses else None,
        "returned": referral.status in selectors.RETURNED,
        "unseen": referral.status in selectors.RETURNED and referral.seen_by_coordinator_at is None,
        "resend_url": reverse("directory:refer", args=[referral.person_id]) + f"?resend={referral.pk}",
        "contact": contact_of(referral),
    }  # fmt: skip
    return render(request, "directory/referrals/referral.html", context)


def contact_of(referral: Referral) -> dict[str, Any]:
    """How to reach the service: the location's address, and the first phone number of the place, the
    location, the service or the organisation."""
    place = referral.service_at_location
    location = place.location if place else None
    address = next(iter(location.addresses.all()), None) if location else None
    phone = ""
    for owner in (place, location, referral.service):
        if owner is not None:
            first = owner.phones.order_by("number").first()
            if first is not None:
                phone = first.number
                break
    return {
        "location": location, "address": address, "phone": phone or referral.organisation.phone,
        "email": referral.service.email or referral.organisation.email,
    }  # fmt: skip


# --- the organisation's pages ----------------------------------------------------------------------------


@never_cache
@requires("directory.incoming_referrals")
def incoming(request: HttpRequest) -> HttpResponse:
    """Referrals to the services of the organisations one works for, newest first; only while the person's
    consent for sharing holds."""
    actor = actor_for(request)
    form = IncomingFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = _page(request, selectors.incoming(actor, status=status))
    rows = list(page.object_list)
    selectors.log_shown(request, rows, "directory.incoming_referrals")
    table = Table(
        caption=_("Referrals received"), caption_hidden=True, empty=_("No referrals match."),
        columns=[Column(_("Referral")), Column(_("Service")), Column(_("Sent on")), Column(_("Status")),
                 Column(_("Answer expected by"))],
    )  # fmt: skip
    today = timezone.localdate()
    for referral in rows:
        who = (not _withdrawn(referral) and referral.shared.get("name")) or _("Referral %(number)s") % {
            "number": referral.pk
        }
        table.add(
            Cell(who, url=reverse("directory:incoming_referral", args=[referral.pk])),
            referral.service.name,
            referral.created_at.date(),
            Cell(tag=status_tag(referral, today)),
            referral.answer_due,
        )
    query = urlencode({"status": status} if status else {})
    return render(request, "directory/referrals/incoming.html", {"form": form, "table": table, "page_obj": page,
                                                                   "query": query})  # fmt: skip


@never_cache
@requires("directory.incoming_referrals")
@require_http_methods(["GET", "POST"])
def incoming_referral(request: HttpRequest, pk: int) -> HttpResponse:
    """What was passed on about the person, and the organisation's answer (received, accepted, declined with a
    reason, completed), each with a note."""
    actor = actor_for(request)
    referral = selectors.referral_for(actor, pk, request, rule="directory.answer_referral")
    statuses = [
        s for s in services.next_statuses(actor, referral) if s in services.ORGANISATION_STEPS.get(referral.status, ())
    ]
    form = StatusForm(request.POST if request.method == "POST" else None, statuses=statuses,
                      labels=ORGANISATION_ACTIONS)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_set_status(actor_person=actor, referral=referral, status=form.cleaned_data["status"],
                                         reason=form.cleaned_data["note"])  # fmt: skip
        except ValidationError as error:
            _add_error(form, error, {"reason_required": "note", "reason_too_long": "note", "reason_unstorable": "note"})
        except PermissionDenied as error:
            raise Http404 from error
        else:
            messages.success(request, _("Saved: the referral is now “%(status)s”. The coordinator sees it.")
                             % {"status": referral.get_status_display()})  # fmt: skip
            return redirect("directory:incoming_referral", pk=referral.pk)
    withdrawn = _withdrawn(referral)
    context = {
        "referral": referral, "tag": status_tag(referral), "history": history(referral),
        "shared": [] if withdrawn else services.shared_rows(referral.shared), "withdrawn": withdrawn,
        "form": form if statuses else None,
    }  # fmt: skip
    return render(request, "directory/referrals/incoming_referral.html", context)


def _withdrawn(referral: Referral) -> bool:
    """Withdrawn by the coordinator: the service still sees that it was, and why, but no longer what was passed
    on about the person (the coordinator's button and the person's page both say "the service no longer sees
    it")."""
    return referral.status == Referral.Status.WITHDRAWN


# --- the person's own page -------------------------------------------------------------------------------


@never_cache
@requires("directory.view_my_referrals")
def my_referrals(request: HttpRequest) -> HttpResponse:
    """Where the person was referred, to whom, what happened: their own referrals only."""
    actor = actor_for(request)
    if actor.person_id is not None:
        services.referrals_withdraw_without_consent(person_id=actor.person_id)
    rows = [
        {"referral": r, "words": RESIDENT_WORDS.get(r.status, ""), "tag": status_tag(r), "contact": contact_of(r),
         "history": history(r)}
        for r in selectors.of_person(actor.person_id or 0)
    ]  # fmt: skip
    return render(request, "directory/referrals/mine.html", {"rows": rows})
