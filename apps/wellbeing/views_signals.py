"""Structural signals (issue 17, item 5): the pages.

- Anyone signed in reports what makes isolation worse in a place and follows the status of their own signals.
- City staff (and administrators) triage them: a list filtered by district, status, category and month with
  the counts per month and district, and a page per signal with its photo.
- Everyone, without an account, sees per district what was reported: category, street, month and status,
  nothing that tells who reported it or what they wrote.

Views parse input and call ``signals_service`` (the reads and the writes); the rules are in ``rules.py``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.core.components import Cell, Column, Table, Tag
from apps.core.formats import moment
from apps.places.models import District

from . import signals_service as service
from .forms_signals import SignalForm, StaffFilterForm, TriageForm, too_big_message
from .models import Signal

PER_PAGE = 50
UPLOAD_SLACK = 64 * 1024
"""What a report's form adds to its photo, at most (the other fields and the multipart framing)."""

STATUS_VARIANTS = {
    Signal.Status.NEW: "warning",
    Signal.Status.FORWARDED: "info",
    Signal.Status.SOLVED: "success",
    Signal.Status.NOT_APPLICABLE: "neutral",
}


def status_tag(signal: Signal) -> Tag:
    return Tag(signal.get_status_display(), STATUS_VARIANTS.get(signal.status, "neutral"))  # type: ignore[arg-type]


def month_text(value: object) -> str:
    return date_format(value, "YEAR_MONTH_FORMAT")


def place_text(signal: Signal) -> str:
    return signal.address or _("a point in %(district)s") % {"district": signal.district.name}


# --- reporting (anyone signed in) ------------------------------------------------------------------------


def _request_too_big(request: HttpRequest) -> bool:
    from django.conf import settings

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.WELLBEING_SIGNAL_PHOTO_MAX_BYTES + UPLOAD_SLACK


@never_cache
@require_http_methods(["GET", "POST"])
@requires("wellbeing.report_signal")
def signal_new(request: HttpRequest) -> HttpResponse:
    """The form; a request far larger than the largest photo taken is refused as a whole (413), before the form
    looks at it (Django has by then written a large upload to a temporary file, not to memory; the proxy in front
    caps request bodies)."""
    if request.method == "POST" and _request_too_big(request):
        context = {"form": SignalForm(), "too_big": too_big_message()}
        return render(request, "wellbeing/signals/new.html", context, status=413)
    form = SignalForm(request.POST, request.FILES) if request.method == "POST" else SignalForm()
    if request.method == "POST" and "photo" in request.FILES and not service.photo_try_take(actor_for(request)):
        form.photo_refused = True  # over the day's photos: the photo is not read (its field says why)
    if request.method == "POST" and form.is_valid():
        try:
            service.signal_create(actor=actor_for(request), data=form.signal_input())
        except service.RateLimited:
            return render(request, "wellbeing/signals/new.html", {"form": form, "limited": True}, status=429)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your signal was sent to the city's staff."))
            return redirect("wellbeing:signals_mine")
    status = 400 if request.method == "POST" else 200
    return render(request, "wellbeing/signals/new.html", {"form": form}, status=status)


@require_GET
@requires("wellbeing.report_signal")
def signals_mine(request: HttpRequest) -> HttpResponse:
    """The person's own signals and what became of them."""
    table = Table(
        caption=_("Your signals"),
        columns=[Column(_("Sent")), Column(_("What")), Column(_("Where")), Column(_("Status"))],
        empty=_("You have not sent a signal yet."),
    )
    for signal in service.signals_of(actor_for(request))[:200]:
        status = Cell(tag=status_tag(signal))
        if signal.status == Signal.Status.FORWARDED and signal.forwarded_to:
            status.note = _("to %(department)s") % {"department": signal.forwarded_to}
        table.add(moment(signal.created_at), service.category_label(signal.category), place_text(signal), status)
    return render(request, "wellbeing/signals/mine.html", {"table": table})


# --- triage (city staff) ---------------------------------------------------------------------------------


@require_GET
@requires("wellbeing.triage_signals")
def signals(request: HttpRequest) -> HttpResponse:
    """Every signal, filtered; the counts per month and district of the same filter (every month)."""
    actor = actor_for(request)
    form = StaffFilterForm(request.GET or None)
    chosen = form.chosen() if request.GET else service.StaffFilter()
    found = service.signals_for_staff(actor, chosen)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    table = Table(
        caption=_("Signals"),
        columns=[Column(_("Sent")), Column(_("What")), Column(_("Where")), Column(_("District")), Column(_("Status"))],
        empty=_("No signals match this filter."),
    )
    for signal in page.object_list:
        status = Cell(tag=status_tag(signal))
        if signal.forwarded_to:
            status.note = signal.forwarded_to
        table.add(
            Cell(moment(signal.created_at), url=reverse("wellbeing:signal", args=[signal.pk])),
            service.category_label(signal.category), place_text(signal), signal.district.name, status,
        )  # fmt: skip
    counts = Table(
        caption=_("Signals per month and district"),
        columns=[Column(_("Month")), Column(_("District")), Column(_("Signals"), numeric=True)],
        empty=_("No signals match this filter."),
    )
    for row in service.counts_per_month(service.signals_for_staff(actor, chosen, with_month=False)):
        counts.add(month_text(row.month), row.district, row.count)
    query = urlencode([(key, value) for key, value in request.GET.items() if key != "page" and value])
    context = {"form": form, "table": table, "counts": counts, "page": page, "query": query}
    return render(request, "wellbeing/signals/list.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@requires("wellbeing.triage_signals")
def signal(request: HttpRequest, pk: int) -> HttpResponse:
    """One signal, with its photo; the triage form."""
    actor = actor_for(request)
    found = service.signal_for_staff(actor, pk)
    initial = {"status": found.status if found.status != Signal.Status.NEW else "", "forwarded_to": found.forwarded_to}
    form = TriageForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service.signal_triage(
                actor=actor, signal=found, status=form.cleaned_data["status"],
                forwarded_to=form.cleaned_data["forwarded_to"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            raise Http404 from error
        else:
            label = Signal.Status(form.cleaned_data["status"]).label
            messages.success(request, _("Saved: %(status)s.") % {"status": label})
            return redirect("wellbeing:signal", pk=found.pk)
    context = {
        "signal": found, "tag": status_tag(found), "category": service.category_label(found.category),
        "form": form, "street": service.street_of(found.address),
    }  # fmt: skip
    return render(request, "wellbeing/signals/detail.html", context, status=400 if form.errors else 200)


@require_GET
@requires("wellbeing.triage_signals")
def signal_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The photo of a signal, for whoever triages (never cached, never guessed as another type)."""
    found = service.signal_for_staff(actor_for(request), pk)
    storage = service.photo_storage()
    if not found.photo or not storage.exists(found.photo):
        raise Http404
    kind = "image/png" if found.photo.endswith(".png") else "image/jpeg"
    response = FileResponse(storage.open(found.photo, "rb"), content_type=kind)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- public (no account) ---------------------------------------------------------------------------------


@require_GET
@requires("public")
def signals_public(request: HttpRequest) -> HttpResponse:
    """The districts, each with how many signals its page lists."""
    counts = service.public_counts()
    table = Table(
        caption=_("Signals per district"),
        columns=[Column(_("District")), Column(_("Signals"), numeric=True)],
    )
    for district in District.objects.order_by("name").only("pk", "name", "slug"):
        url = reverse("wellbeing:signals_district", args=[district.slug])
        table.add(Cell(district.name, url=url), counts.get(district.pk, 0))
    return render(request, "wellbeing/signals/public_index.html", {"table": table})


@require_GET
@requires("public")
def signals_district(request: HttpRequest, slug: str) -> HttpResponse:
    """One district's signals: category, street, month, status, and nothing else."""
    district = get_object_or_404(District.objects.only("pk", "name", "slug"), slug=slug)
    table = Table(
        caption=_("Signals in %(district)s") % {"district": district.name},
        columns=[Column(_("What")), Column(_("Street")), Column(_("Reported in")), Column(_("Status"))],
        empty=_("Nothing has been reported in this district yet."),
    )
    page = Paginator(service.public_signal_rows(district), PER_PAGE).get_page(request.GET.get("page"))
    for row in map(service.public_signal, page.object_list):
        table.add(row.category, row.street or _("(no street given)"), month_text(row.month), row.status)
    context = {"district": district, "table": table, "page": page, "query": ""}
    return render(request, "wellbeing/signals/public_district.html", context)
