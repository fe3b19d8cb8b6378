"""Pages of "Our services" (organisation staff) and "Changes to review" (city staff).

Views parse input and call ``records.py``; who may do what is decided by ``rules.py`` there (404 for "missing"
and "forbidden" alike).  Every page works without JavaScript: rows of hours and closures grow with a submit
button, and every action is a small form with one button.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from apps.access.actors import actor_for
from apps.access.decorators import requires
from apps.core import formats
from apps.core.components import Cell, Column, Table, Tag
from apps.core.templatetags.components import error_summary
from apps.organisations.models import Organisation
from apps.places.models import District

from . import records
from .forms_records import (
    LANGUAGES,
    WEEKDAYS,
    ClosureFormSet,
    HoursFormSet,
    LocationForm,
    ProfileForm,
    ReturnForm,
    ServiceForm,
    document_location,
    document_organisation,
    document_service,
    grown,
    initial_location,
    initial_organisation,
    initial_service,
    schedule_kind,
)
from .models import Location, OrganisationRecord, Revision, Service, TaxonomyTerm

DASH = "–"
STATUS_VARIANTS = {
    Revision.Status.DRAFT: "neutral",
    Revision.Status.UNDER_REVIEW: "info",
    Revision.Status.PUBLISHED: "success",
    Revision.Status.RETURNED: "warning",
    Revision.Status.WITHDRAWN: "neutral",
}
STATUSES = dict(Service.Status.choices)
REVIEW_ROWS = 100
"""Changes the review list shows at once (the oldest first); each is compared with its live record."""
KIND_WORDS = {
    Revision.Kind.SERVICE: gettext_lazy("Service"),
    Revision.Kind.LOCATION: gettext_lazy("Location"),
    Revision.Kind.ORGANIZATION: gettext_lazy("Organisation profile"),
}


def _revision_tag(revision: Revision) -> Tag:
    return Tag(revision.get_status_display(), STATUS_VARIANTS.get(revision.status, "neutral"))


def _manage_url(organisation: Organisation) -> str:
    return f"{reverse('directory:manage')}?organisation={organisation.pk}"


# --- documents in words ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One field of a record as people read it."""

    key: str
    label: str
    text: str


def _join(values: list[str]) -> str:
    return ", ".join(v for v in values if v) or DASH


def _ages(doc: dict[str, Any]) -> str:
    low, high = doc.get("minimum_age"), doc.get("maximum_age")
    if low is not None and high is not None:
        return _("From %(low)s to %(high)s years") % {"low": low, "high": high}
    if low is not None:
        return _("From %(low)s years") % {"low": low}
    if high is not None:
        return _("Up to %(high)s years") % {"high": high}
    return _("Any age")


def _costs(doc: dict[str, Any]) -> str:
    costs = doc.get("cost_options") or []
    paid = [c for c in costs if c.get("amount") not in (None, 0, 0.0, "0")]
    if paid:
        return _join([f"€ {formats_amount(c['amount'])}" for c in paid])
    if costs:
        return _("Free")
    return _("See “about the costs”") if doc.get("fees_description") else DASH


def formats_amount(value: Any) -> str:
    try:
        return f"{float(value):.2f}".replace(".", ",")
    except (TypeError, ValueError):
        return str(value)


def _days(byday: str) -> str:
    names = dict(WEEKDAYS)
    return ", ".join(str(names.get(code.strip(), code)) for code in (byday or "").split(",") if code.strip())


def _hours(doc: dict[str, Any], location_names: dict[str, str]) -> str:
    rows = []
    for sal in doc.get("service_at_locations") or []:
        place = location_names.get(str(sal.get("location_id")), (sal.get("location") or {}).get("name", ""))
        for s in sal.get("schedules") or []:
            if schedule_kind(s) == "hours":
                rows.append(
                    f"{place}: {_days(s.get('byday', ''))} {s.get('opens_at', '')[:5]}–{s.get('closes_at', '')[:5]}"
                )
    return "; ".join(rows) or DASH


def _closures(doc: dict[str, Any]) -> str:
    rows = []
    for s in doc.get("schedules") or []:
        if schedule_kind(s) == "closed":
            period = f"{_date(s.get('valid_from'))} – {_date(s.get('valid_to'))}"
            rows.append(f"{period} ({s['description']})" if s.get("description") else period)
    return "; ".join(rows) or DASH


def _date(value: Any) -> str:
    from datetime import date

    try:
        return formats.day(date.fromisoformat(str(value)[:10]))
    except (TypeError, ValueError):
        return str(value or "")


def _appointment(doc: dict[str, Any]) -> str:
    found = next((s for s in doc.get("schedules") or [] if schedule_kind(s) == "appointment"), None)
    if found is None:
        return _("No")
    return _("Yes") + (f": {found['description']}" if found.get("description") else "")


def _yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def describe(kind: str, doc: dict[str, Any]) -> list[Line]:
    """A record's document as the public reads it, field by field (for the preview and the review)."""
    if not doc:
        return []
    if kind == Revision.Kind.SERVICE:
        return _describe_service(doc)
    if kind == Revision.Kind.LOCATION:
        return _describe_location(doc)
    return _describe_organisation(doc)


def _describe_service(doc: dict[str, Any]) -> list[Line]:
    term_ids = [a.get("taxonomy_term_id") for a in doc.get("attributes") or [] if a.get("taxonomy_term_id")]
    terms = {str(t.pk): t.name for t in TaxonomyTerm.objects.filter(pk__in=_uuids(term_ids))}
    numbers = [a.get("district") for a in doc.get("service_areas") or [] if a.get("district") is not None]
    districts = list(District.objects.filter(number__in=numbers).values_list("name", flat=True))
    location_ids = [str(sal.get("location_id")) for sal in doc.get("service_at_locations") or []]
    places = {
        str(pk): name for pk, name in Location.objects.filter(pk__in=_uuids(location_ids)).values_list("pk", "name")
    }
    languages = dict(LANGUAGES)
    codes = [lang.get("code") or lang.get("name") or "" for lang in doc.get("languages") or []]
    return [
        Line("name", _("Name"), doc.get("name") or DASH),
        Line("status", _("Status"), str(STATUSES.get(doc.get("status"), doc.get("status") or DASH))),
        Line("description", _("What the service does"), doc.get("description") or DASH),
        Line("types", _("Types of help"), _join(sorted(terms.get(str(t), "") for t in term_ids))),
        Line("eligibility", _("Who it is for"), doc.get("eligibility_description") or DASH),
        Line("ages", _("Age"), _ages(doc)),
        Line("districts", _("Districts"), _join(sorted(districts)) if districts else _("The whole city")),
        Line("income", _("Only for people with a low income"), _yes_no(doc.get("income_limited"))),
        Line("costs", _("Costs"), _costs(doc)),
        Line("fees", _("About the costs"), doc.get("fees_description") or DASH),
        Line("apply", _("How to apply"), doc.get("application_process") or DASH),
        Line("documents", _("Documents to bring"), _join(sorted(_texts(doc, "required_documents", "document")))),
        Line("languages", _("Languages spoken"), _join(sorted(str(languages.get(code, code)) for code in codes))),
        Line("phone", _("Phone"), _join([formats.phone(p.get("number", "")) for p in doc.get("phones") or []])),
        Line("email", _("Email"), doc.get("email") or DASH),
        Line("url", _("Website"), doc.get("url") or DASH),
        Line("locations", _("Where it is offered"), _join(sorted(places.get(i, "") for i in location_ids))),
        Line("hours", _("Opening hours"), _hours(doc, places)),
        Line("closures", _("Closed"), _closures(doc)),
        Line("appointment", _("Only by appointment"), _appointment(doc)),
    ]  # fmt: skip


def _texts(doc: dict[str, Any], children: str, field: str) -> list[str]:
    return [str(child.get(field) or "") for child in doc.get(children) or []]


def _uuids(values: list[Any]) -> list[uuid.UUID]:
    found = []
    for value in values:
        try:
            found.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return found


def _describe_location(doc: dict[str, Any]) -> list[Line]:
    district = _district_name(doc.get("latitude"), doc.get("longitude"))
    return [
        Line("name", _("Name"), doc.get("name") or DASH),
        Line("address", _("Address"), initial_location(doc)["address"] or DASH),
        Line("district", _("District"), district or DASH),
        Line("transportation", _("How to get there"), doc.get("transportation") or DASH),
        Line("accessibility", _("Accessibility"), _join(_texts(doc, "accessibility", "description"))),
        Line("phone", _("Phone"), _join([formats.phone(p.get("number", "")) for p in doc.get("phones") or []])),
    ]  # fmt: skip


def _district_name(latitude: Any, longitude: Any) -> str | None:
    from apps.places.geo import district_at

    try:
        district = district_at(float(latitude), float(longitude))
    except (TypeError, ValueError):
        return None
    return district.name if district else None


def _describe_organisation(doc: dict[str, Any]) -> list[Line]:
    return [
        Line("name", _("Name"), doc.get("name") or DASH),
        Line("description", _("What the organisation does"), doc.get("description") or DASH),
        Line("email", _("Email"), doc.get("email") or DASH),
        Line("website", _("Website"), doc.get("website") or DASH),
        Line("alternate_name", _("Other name"), doc.get("alternate_name") or DASH),
        Line("legal_status", _("Legal status"), doc.get("legal_status") or DASH),
        Line("year", _("Year founded"), str(doc.get("year_incorporated") or DASH)),
        Line("logo", _("Link to the logo"), doc.get("logo") or DASH),
        Line("uri", _("Link to the organisation's own record"), doc.get("uri") or DASH),
    ]


def live_document(kind: str, record: Any) -> dict[str, Any]:
    """The live record's HSDS document (``hsds.py``), or an empty one for a record never published."""
    if record is None:
        return {}
    from . import hsds

    if kind == Revision.Kind.SERVICE:
        return hsds.service_document(record)
    if kind == Revision.Kind.LOCATION:
        return hsds.location_document(record)
    return hsds.organization_core(record.organisation)  # its own fields: services and locations are records too


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str
    changed: bool


def differences(kind: str, live: dict[str, Any], proposal: dict[str, Any]) -> list[Difference]:
    """Field by field, what the public sees now and what it would see after publishing."""
    before = {line.key: line.text for line in describe(kind, live)}
    found = []
    for line in describe(kind, proposal):
        old = before.get(line.key, DASH) if live else DASH
        found.append(Difference(line.label, old, line.text, old != line.text))
    return found


def _name(revision: Revision) -> str:
    return str(revision.document.get("name") or DASH)


# --- "Our services" ---------------------------------------------------------------------------------------


def _chosen_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation a page is about: the one asked for (``?organisation=``), or the only one."""
    actor = actor_for(request)
    asked = request.POST.get("organisation") or request.GET.get("organisation")
    if asked:
        return records.organisation_for(actor, asked)
    mine = list(records.organisations_of(actor)[:2])
    return mine[0] if len(mine) == 1 else None


def _checked_cell(record: Any) -> Cell:
    last = record.checked_at or record.published_at
    if last is None:
        return Cell(DASH)
    tag = Tag(_("To check"), "warning") if records.is_unchecked(record) else None
    return Cell(formats.day(last), tag=tag)


def _change_cell(open_revisions: dict[uuid.UUID, Revision], target: uuid.UUID) -> Cell:
    revision = open_revisions.get(target)
    if revision is None:
        return Cell(_("No change waiting"))
    return Cell(_("See the change"), url=reverse("directory:revision", args=[revision.pk]), tag=_revision_tag(revision))


def _confirm_cell(kind: str, record: Any, organisation: Organisation) -> Cell:
    return Cell(
        template="directory/records/_confirm_cell.html",
        context={"kind": kind, "target": record.pk, "organisation": organisation.pk, "name": str(record)},
    )


@requires("directory.manage_own_records")
def manage(request: HttpRequest) -> HttpResponse:
    """An organisation's services, locations and profile, with the state of each change and "last checked"."""
    actor = actor_for(request)
    organisation = _chosen_organisation(request)
    if organisation is None:
        return render(request, "directory/records/choose.html", {"organisations": records.organisations_of(actor)})
    found = records.records_of(organisation)
    open_revisions = {r.target: r for r in found.revisions}
    columns = [Column(_("Name")), Column(_("Last checked")), Column(_("Change")), Column(_("Still correct?"))]
    services = Table(caption=_("Services"), columns=columns, empty=_("No published services yet."))
    for service in found.services:
        services.add(
            Cell(service.name, url=reverse("directory:manage_service", args=[service.pk])), _checked_cell(service),
            _change_cell(open_revisions, service.pk), _confirm_cell(Revision.Kind.SERVICE, service, organisation),
        )  # fmt: skip
    locations = Table(caption=_("Locations"), columns=columns, empty=_("No published locations yet."))
    for location in found.locations:
        locations.add(
            Cell(str(location), url=reverse("directory:manage_location", args=[location.pk])),
            _checked_cell(location), _change_cell(open_revisions, location.pk),
            _confirm_cell(Revision.Kind.LOCATION, location, organisation),
        )  # fmt: skip
    live_ids = {s.pk for s in found.services} | {loc.pk for loc in found.locations}
    if found.profile is not None:
        live_ids.add(found.profile.pk)
    changes = Table(
        caption=_("Changes not yet published"),
        columns=[Column(_("Name")), Column(_("What")), Column(_("Status")), Column(_("Saved"))],
        empty=_("No changes waiting."),
    )
    for revision in found.revisions:
        changes.add(
            Cell(_name(revision), url=reverse("directory:revision", args=[revision.pk]),
                 note=_("New") if revision.target not in live_ids else None),
            KIND_WORDS.get(revision.kind, revision.kind), Cell("", tag=_revision_tag(revision)),
            formats.day(revision.created_at),
        )  # fmt: skip
    return render(request, "directory/records/manage.html", {
        "organisation": organisation, "profile": found.profile, "services": services, "locations": locations,
        "changes": changes, "profile_checked": _checked_cell(found.profile) if found.profile else None,
        "profile_revision": open_revisions.get(found.profile.pk) if found.profile else None,
        "returned": [r for r in found.revisions if r.status == Revision.Status.RETURNED],
        "several": records.organisations_of(actor).count() > 1,
        "new_service_url": f"{reverse('directory:manage_service')}?organisation={organisation.pk}",
        "new_location_url": f"{reverse('directory:manage_location')}?organisation={organisation.pk}",
        "profile_url": f"{reverse('directory:manage_profile')}?organisation={organisation.pk}",
    })  # fmt: skip


@dataclass
class Editing:
    """What an edit page works on: whose record, the live one, the revision a save continues, its document."""

    organisation: Organisation
    target: uuid.UUID
    record: Any
    revision: Revision | None
    kind: str = ""

    @cached_property
    def document(self) -> dict[str, Any]:
        """The draft's document, else the live record's: the form starts from what was last proposed."""
        if self.revision is not None:
            return dict(self.revision.document)
        return live_document(self.kind, self.record)


def _editing(request: HttpRequest, kind: str, pk: uuid.UUID | None) -> Editing:
    actor = actor_for(request)
    if pk is None:
        organisation = _chosen_organisation(request)
        if organisation is None:
            raise Http404
        if kind == Revision.Kind.ORGANIZATION:
            profile = OrganisationRecord.objects.filter(organisation=organisation).first()
            if profile is not None:
                return _editing_of(actor, kind, profile.pk)
            pending = (
                Revision.objects.filter(kind=kind, organisation=organisation, status__in=records.EDITABLE)
                .order_by("-created_at")
                .first()
            )
            if pending is not None:
                return _editing_of(actor, kind, pending.target)
        return Editing(organisation, _new_target(kind, organisation), None, None, kind)
    return _editing_of(actor, kind, pk)


def _new_target(kind: str, organisation: Organisation) -> uuid.UUID:
    """A new record's id; an organisation's profile has the id HSDS already gives it (``hsds.record_id``)."""
    if kind == Revision.Kind.ORGANIZATION:
        from .hsds import record_id

        return record_id(organisation)
    return uuid.uuid4()


def _editing_of(actor: Any, kind: str, target: uuid.UUID) -> Editing:
    organisation, record, revision = records.record_of(actor, kind, target)
    return Editing(organisation, target, record, revision, kind)


def _saved(request: HttpRequest, editing: Editing, document: dict[str, Any], form: forms.Form) -> HttpResponse | None:
    """Save the proposal and go to it; None when it is refused (the reason is then on the form, shown again)."""
    try:
        revision = records.revision_save(
            actor=actor_for(request), organisation=editing.organisation, kind=editing.kind, target=editing.target,
            document=document,
        )  # fmt: skip
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("Saved as a draft. Nothing is public yet: send it for review when it is ready."))
    return redirect("directory:revision", revision.pk)


def _page_context(editing: Editing) -> dict[str, Any]:
    return {
        "organisation": editing.organisation, "record": editing.record, "revision": editing.revision,
        "manage_url": _manage_url(editing.organisation),
    }  # fmt: skip


def _quiet(form: forms.Form, *formsets: forms.BaseFormSet) -> None:
    """Show what was typed without errors: "Add a row" is not a save, so nothing is wrong yet."""
    form._errors = ErrorDict()
    for formset in formsets:
        formset._non_form_errors = formset.error_class()
        for row in formset.forms:
            row._errors = ErrorDict()
        formset._errors = [row._errors for row in formset.forms]


@requires("directory.manage_own_records")
@require_http_methods(["GET", "POST"])
def manage_service(request: HttpRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    """A new service, or a change to one: saved as a draft of the organisation's revision."""
    editing = _editing(request, Revision.Kind.SERVICE, pk)
    organisation = editing.organisation
    kwargs = {"organisation": organisation}
    if request.method == "POST":
        data = request.POST
        adding = "add_hours" in data or "add_closure" in data
        if "add_hours" in data:
            data = grown(data, "hours")
        if "add_closure" in data:
            data = grown(data, "closures")
        form = ServiceForm(data, **kwargs)
        hours = HoursFormSet(data, prefix="hours", organisation=organisation)
        closures = ClosureFormSet(data, prefix="closures")
        if adding:
            _quiet(form, hours, closures)
        valid = [form.is_valid(), hours.is_valid(), closures.is_valid()]
        for rows in (hours, closures):
            for problem in rows.non_form_errors():
                form.add_error(None, problem)  # shown in the error summary at the top
        if not adding and all(valid) and form.is_valid():
            chosen = set(form.cleaned_data.get("locations") or [])
            for row in hours.forms:
                location = (row.cleaned_data or {}).get("location")
                if location is not None and location not in chosen:
                    row.add_error("location", _("Tick this location under “Where it is offered” too."))
            if hours.is_valid():
                from . import hsds

                document = document_service(
                    editing.document or None, target=editing.target, organisation=organisation,
                    data=form.cleaned_data, hours=hours.filled, closures=closures.filled,
                    location_document=hsds.location_document,
                )  # fmt: skip
                saved = _saved(request, editing, document, form)
                if saved is not None:
                    return saved
    else:
        initial, hour_rows, closure_rows = initial_service(editing.document) if editing.document else ({}, [], [])
        if not editing.document:
            initial = {"cost": "free"}
        form = ServiceForm(initial=initial, **kwargs)
        hours = HoursFormSet(initial=hour_rows, prefix="hours", organisation=organisation)
        closures = ClosureFormSet(initial=closure_rows, prefix="closures")
    return render(request, "directory/records/service_form.html", {
        **_page_context(editing), "form": form, "hours": hours, "closures": closures,
        "summary": error_summary(form, *hours.forms, *closures.forms),
        "has_locations": form.fields["locations"].queryset.exists(),  # type: ignore[attr-defined]
    })  # fmt: skip


@requires("directory.manage_own_records")
@require_http_methods(["GET", "POST"])
def manage_location(request: HttpRequest, pk: uuid.UUID | None = None) -> HttpResponse:
    """A new location, or a change to one; its address is found in the city's address register."""
    editing = _editing(request, Revision.Kind.LOCATION, pk)
    if request.method == "POST":
        form = LocationForm(request.POST)
        if form.is_valid() and form.located is not None:
            document = document_location(
                editing.document or None, target=editing.target, organisation=editing.organisation,
                data=form.cleaned_data, located=form.located,
            )  # fmt: skip
            saved = _saved(request, editing, document, form)
            if saved is not None:
                return saved
    else:
        form = LocationForm(initial=initial_location(editing.document) if editing.document else None)
    return render(request, "directory/records/location_form.html", {**_page_context(editing), "form": form})


@requires("directory.manage_own_records")
@require_http_methods(["GET", "POST"])
def manage_profile(request: HttpRequest) -> HttpResponse:
    """What the directory says about the organisation itself."""
    editing = _editing(request, Revision.Kind.ORGANIZATION, None)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            document = document_organisation(
                editing.document or None, target=editing.target, organisation=editing.organisation,
                data=form.cleaned_data,
            )  # fmt: skip
            saved = _saved(request, editing, document, form)
            if saved is not None:
                return saved
    else:
        form = ProfileForm(initial=initial_organisation(editing.document, editing.organisation))
    return render(request, "directory/records/profile_form.html", {**_page_context(editing), "form": form})


def _edit_url(revision: Revision) -> str:
    if revision.kind == Revision.Kind.SERVICE:
        return reverse("directory:manage_service", args=[revision.target])
    if revision.kind == Revision.Kind.LOCATION:
        return reverse("directory:manage_location", args=[revision.target])
    return f"{reverse('directory:manage_profile')}?organisation={revision.organisation_id}"


@requires("directory.manage_own_records")
@require_http_methods(["GET", "POST"])
def revision(request: HttpRequest, pk: int) -> HttpResponse:
    """One change: as the public would read it, and "send for review" or "withdraw"."""
    actor = actor_for(request)
    found = records.revision_of(actor, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "submit":
                records.revision_submit(actor=actor, revision=found)
                messages.success(request, _("Sent for review. The city checks it before it is public."))
            elif action == "withdraw":
                records.revision_withdraw(actor=actor, revision=found)
                messages.success(request, _("The change is withdrawn. What is public stays as it was."))
                return redirect(_manage_url(found.organisation))
            else:
                messages.error(request, _("Choose what to do with the change."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        return redirect("directory:revision", found.pk)
    record = records.live_record(found.kind, found.target)
    return render(request, "directory/records/revision.html", {
        "revision": found, "organisation": found.organisation, "lines": describe(found.kind, found.document),
        "kind": KIND_WORDS.get(found.kind, found.kind), "tag": _revision_tag(found), "is_new": record is None,
        "editable": found.status in records.EDITABLE, "edit_url": _edit_url(found),
        "can_submit": found.status in (Revision.Status.DRAFT, Revision.Status.RETURNED),
        "manage_url": _manage_url(found.organisation),
    })  # fmt: skip


@require_POST
@requires("directory.manage_own_records")
def confirm(request: HttpRequest) -> HttpResponse:
    """ "Still correct": the record's "last checked" becomes today, without a review (nothing changed)."""
    actor = actor_for(request)
    kind = request.POST.get("kind", "")
    try:
        target = uuid.UUID(request.POST.get("target", ""))
    except ValueError:
        raise Http404 from None
    record = records.record_confirm(actor=actor, kind=kind, target=target)
    messages.success(request, _("Thank you: “%(name)s” is marked as checked today.") % {"name": record})
    return redirect(f"{reverse('directory:manage')}?organisation={record.organisation_id}")


# --- city review ------------------------------------------------------------------------------------------


@requires("directory.review")
def review(request: HttpRequest) -> HttpResponse:
    """Changes waiting for review, the longest waiting first, with what they change."""
    table = Table(
        caption=_("Changes waiting for review"),
        columns=[Column(_("Name")), Column(_("Organisation")), Column(_("What")), Column(_("Sent")),
                 Column(_("What changes"))],
        empty=_("No changes are waiting. Thank you."),
    )  # fmt: skip
    for found in records.review_queue()[:REVIEW_ROWS]:
        record = records.live_record(found.kind, found.target)
        if record is None:
            what_changes = _("A new record")
        else:
            changed = [
                d.label for d in differences(found.kind, live_document(found.kind, record), found.document) if d.changed
            ]
            what_changes = ", ".join(changed) or _("Nothing visible")
        table.add(
            Cell(_name(found), url=reverse("directory:review_revision", args=[found.pk])), str(found.organisation),
            KIND_WORDS.get(found.kind, found.kind), formats.moment(found.submitted_at), what_changes,
        )  # fmt: skip
    return render(request, "directory/records/review.html", {"table": table})


@requires("directory.review")
@require_http_methods(["GET", "POST"])
def review_revision(request: HttpRequest, pk: int) -> HttpResponse:
    """One change side by side with what is public now; publish it, or return it with a reason."""
    actor = actor_for(request)
    found = records.revision_for_review(actor, pk)
    form = ReturnForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "publish":
                records.revision_publish(actor=actor, revision=found)
                messages.success(request, _("Published: “%(name)s” is now public.") % {"name": _name(found)})
                return redirect("directory:review")
            if action == "return":
                form = ReturnForm(request.POST)
                if form.is_valid():
                    records.revision_return(actor=actor, revision=found, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Returned to %(organisation)s with your reason.") % {
                        "organisation": found.organisation
                    })  # fmt: skip
                    return redirect("directory:review")
            else:
                messages.error(request, _("Choose what to do with the change."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            found.refresh_from_db()
    record = records.live_record(found.kind, found.target)
    live = live_document(found.kind, record)
    rows = differences(found.kind, live, found.document)
    table = Table(
        caption=_("What changes"),
        columns=[Column(_("Field")), Column(_("Public now")), Column(_("Proposed"))],
    )
    for row in rows:
        changed = row.changed and bool(live)
        table.add(row.label, row.before, Cell(row.after, tag=Tag(_("Changed"), "info") if changed else None),
                  highlight=changed)  # fmt: skip
    return render(request, "directory/records/review_revision.html", {
        "revision": found, "table": table, "form": form, "is_new": record is None,
        "kind": KIND_WORDS.get(found.kind, found.kind), "tag": _revision_tag(found),
        "waiting": found.status == Revision.Status.UNDER_REVIEW, "changed": sum(r.changed for r in rows),
    })  # fmt: skip
