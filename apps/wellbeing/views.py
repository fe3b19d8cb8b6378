"""Wellbeing and loneliness: its pages.

"I am worried about a neighbour" is for anyone, without an account, and shows nothing back: the thank-you page
is the same whatever was sent (and whether it was stored).  The coordinators of a district read the reports of
their district, each read in the access log, and pick them up or open an outreach case.  Views parse input and
call selectors (reads, 404 for "missing" and "forbidden" alike) and services (writes); the rules are in rules.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.access.services import client_network
from apps.core.components import Cell, Column, Table, Tag
from apps.core.formats import moment

from . import selectors, services
from .forms import WorryForm
from .models import WorryReport

STATUS_VARIANTS = {
    WorryReport.Status.NEW: "warning",
    WorryReport.Status.PICKED_UP: "info",
    WorryReport.Status.CASE_OPENED: "success",
}


def status_tag(report: WorryReport) -> Tag:
    return Tag(report.get_status_display(), STATUS_VARIANTS.get(report.status, "neutral"))  # type: ignore[arg-type]


@never_cache
@require_http_methods(["GET", "POST"])
@requires("public")
def worried(request: HttpRequest) -> HttpResponse:
    """The form: who, what was noticed, how to reach the reporter if they wish."""
    form = WorryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        language = (get_language() or "nl")[:2]
        try:
            services.report_create(data=form.report_input(language), network=client_network(request))
        except services.RateLimited:
            context = {"form": form, "limited": True}
            return render(request, "wellbeing/worried.html", context, status=429)
        return redirect("wellbeing:worried_thanks")
    return render(request, "wellbeing/worried.html", {"form": form})


@require_GET
@requires("public")
def worried_thanks(request: HttpRequest) -> HttpResponse:
    """Thank you, and what happens next: nothing of what was sent, nothing about the person."""
    return render(request, "wellbeing/worried_thanks.html")


@require_GET
@requires("wellbeing.view_reports")
def reports(request: HttpRequest) -> HttpResponse:
    """The coordinator's reports: when, district, status, whether a contact was left; no word of a report."""
    actor = actor_for(request)
    table = Table(
        caption=_("Reports of worried neighbours"),
        columns=[Column(_("Report")), Column(_("District")), Column(_("Status")), Column(_("Reporter can be told"))],
        empty=_("No reports in your districts."),
    )
    for report in selectors.reports_for(actor)[:200]:
        table.add(
            Cell(moment(report.created_at), url=reverse("wellbeing:report", args=[report.pk])),
            report.district.name,
            Cell(tag=status_tag(report)),
            _("yes") if report.has_contact else _("no"),
        )
    return render(request, "wellbeing/reports.html", {"table": table})


@require_GET
@requires("wellbeing.view_reports")
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """One report, read (and logged) by a coordinator of its district."""
    found = selectors.report_for(actor_for(request), pk, request)
    signs = [label for code, label in WorryReport.Sign.choices if code in found.signs]
    case = found.cases.order_by("pk").first()
    context = {"report": found, "signs": signs, "tag": status_tag(found), "case": case}
    return render(request, "wellbeing/report.html", context)


def _handle(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = actor_for(request)
    found = selectors.report_for(actor, pk, request, rule="wellbeing.handle_report", action=action)
    try:
        if action == "pick_up":
            told = services.report_pick_up(actor=actor, report=found)
            messages.success(request, _("You picked up this report."))
            if told:
                messages.info(request, _("The reporter gets one message that their report was picked up."))
        else:
            services.report_open_case(actor=actor, report=found)
            messages.success(request, _("An outreach case was opened and assigned to you."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        raise Http404 from error
    return redirect("wellbeing:report", pk=found.pk)


@require_POST
@requires("wellbeing.view_reports")
def report_pick_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "pick_up")


@require_POST
@requires("wellbeing.view_reports")
def report_open_case(request: HttpRequest, pk: int) -> HttpResponse:
    return _handle(request, pk, "open_case")
