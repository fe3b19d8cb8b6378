"""The district's coordination view (issue 18, item 4): the index of one's districts, a district's page, and the
buttons that note a follow-up on a finding and mark one done.  Reads and writes are in ``coordination.py``; who
may do what in ``rules_coordination.py``.  Bad input answers with a message and stores nothing."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.access.actors import Actor, actor_for
from apps.access.decorators import requires
from apps.access.rules import can
from apps.core.components import Cell, Column, Table, Tag
from apps.core.formats import day_short, moment
from apps.places.models import District

from . import coordination
from .views import audience_text, where_text


class FollowUpForm(forms.Form):
    """A follow-up on one finding: its key (hidden) and what to do."""

    finding = forms.CharField(
        widget=forms.HiddenInput, max_length=200,
        error_messages={"required": gettext_lazy("Choose an overlap or a gap of the list."),
                        "max_length": gettext_lazy("Choose an overlap or a gap of the list.")},
    )  # fmt: skip
    text = forms.CharField(
        label=gettext_lazy("What is to be done?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example “talk to both organisers”. At most 1,000 characters."),
        error_messages={"required": gettext_lazy("Say what is to be done."),
                        "max_length": gettext_lazy("At most 1,000 characters."),
                        "null_characters_not_allowed": gettext_lazy("The text holds a character that cannot be stored "
                                                                    "(a null character). Remove it.")},
    )  # fmt: skip


@never_cache
@require_GET
@requires("community.coordinate")
def coordination_index(request: HttpRequest) -> HttpResponse:
    """The districts the actor reviews; who reviews one district finds its page straight away (here, not by a
    redirect: a link of the menu opens its page)."""
    actor = actor_for(request)
    districts = coordination.districts_for(actor)
    if len(districts) == 1:
        return _district_page(request, actor, coordination.district_for(actor, districts[0].number), several=False)
    table = Table(caption=_("Your districts"), columns=[Column(_("District")), Column(_("Number"), numeric=True)],
                  empty=_("You coordinate no district."))  # fmt: skip
    for district in districts:
        table.add(Cell(district.name, url=reverse("community:coordination", args=[district.number])), district.number)
    return render(request, "community/coordination/index.html", {"table": table})


def _follow_ups_table(actor: object, view: coordination.CoordinationView) -> Table:
    table = Table(
        caption=_("Open follow-ups"),
        columns=[Column(_("About")), Column(_("What to do")), Column(_("Noted by")), Column(_("Noted")),
                 Column(_("Still found?")), Column(_("Done?"))],
        empty=_("No follow-ups are open in this district."),
    )  # fmt: skip
    for note in view.follow_ups:
        found = Tag(_("Still found"), "info") if note.still_found else Tag(_("No longer found"), "success")  # type: ignore[attr-defined]
        who = f"{note.by.first_name} {note.by.last_name}".strip() if note.by else _("someone who left")
        done = Cell(template="community/coordination/_done.html", context={
            "url": reverse("community:coordination_done", args=[view.district.number, note.pk]),
            "may": can(actor, "community.finish_follow_up", note),  # type: ignore[arg-type]
        })  # fmt: skip
        url = f"#{coordination.anchor_of(note.finding)}" if note.still_found else None  # type: ignore[attr-defined]
        table.add(Cell(note.summary, url=url), note.text, who, moment(note.created_at), Cell(tag=found), done)
    return table


def _tables(view: coordination.CoordinationView) -> list[Table]:
    initiatives = Table(
        caption=_("Published initiatives"),
        columns=[Column(_("Initiative")), Column(_("Themes")), Column(_("For whom")), Column(_("Where")),
                 Column(_("Meeting"))],
        empty=_("No initiative is published in this district."),
    )  # fmt: skip
    for i in view.initiatives:
        tags = [
            _("young and old") if i.intergenerational else "",
            _("different backgrounds") if i.intercultural else "",
        ]
        initiatives.add(
            Cell(i.title, url=reverse("community:initiative", args=[i.pk])),
            ", ".join(theme.name for theme in i.themes.all()), audience_text(i), where_text(i),
            ", ".join(tag for tag in tags if tag),
        )  # fmt: skip
    counts = Table(
        caption=_("Initiatives by theme, group and meeting"),
        columns=[Column(_("What")), Column(_("Initiatives"), numeric=True)],
        empty=_("No initiative is published in this district."),
    )
    for label, count in view.by_theme:
        counts.add(_("Theme: %(theme)s") % {"theme": label}, count)
    for label, count in view.by_audience:
        counts.add(_("For: %(group)s") % {"group": label}, count)
    if view.initiatives_count:
        for label, count in view.tags:
            counts.add(label, count)
    events = Table(
        caption=_("Events in the next 4 weeks"),
        columns=[Column(_("When")), Column(_("Event")), Column(_("Where")), Column(_("For whom"))],
        empty=_("No event in the next 4 weeks."),
    )  # fmt: skip
    labels = dict(coordination.Initiative.Audience.choices)
    for row in view.occurrences:
        event = row["event"]
        where = event.place.name if event.place else (event.address or _("no place given"))
        codes = event.audience or (event.initiative.audience if event.initiative else [])
        audience = ", ".join(str(labels[c]) for c in codes if c in labels) or _("Everyone")
        events.add(moment(row["start"]), Cell(event.title, url=reverse("community:event", args=[event.pk])), where,
                   audience)  # fmt: skip
    return [initiatives, counts, events]


@never_cache
@require_GET
@requires("community.coordinate")
def coordination_page(request: HttpRequest, number: int) -> HttpResponse:
    actor = actor_for(request)
    district = coordination.district_for(actor, number)
    return _district_page(request, actor, district, several=len(coordination.districts_for(actor)) > 1)


def _page_number(value: str | None) -> int:
    text = str(value or "1")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 7 else 1


def _district_page(request: HttpRequest, actor: Actor, district: District, *, several: bool) -> HttpResponse:
    view = coordination.view(actor, district, page=_page_number(request.GET.get("page")))
    may_note = can(actor, "community.note_follow_up", district)
    for row in view.rows:
        row.form = FollowUpForm(initial={"finding": row.finding.key}, auto_id=f"{row.anchor}-%s") if may_note else None  # type: ignore[attr-defined]
        row.tag = Tag(_("Overlap"), "warning") if row.finding.is_overlap else Tag(_("Gap"), "error")  # type: ignore[attr-defined]
    context = {
        "view": view, "district": district, "svg": mark_safe(view.svg),  # noqa: S308  # built and escaped by domain.neighbourhood.drawing
        "follow_ups": _follow_ups_table(actor, view), "tables": _tables(view),
        "note_url": reverse("community:coordination_note", args=[district.number]),
        "several": several, "today": day_short(timezone.localdate()),
    }  # fmt: skip
    return render(request, "community/coordination/district.html", context)


@require_POST
@requires("community.coordinate")
def follow_up_note(request: HttpRequest, number: int) -> HttpResponse:
    actor = actor_for(request)
    district = coordination.district_for(actor, number)
    form = FollowUpForm(request.POST)
    page = reverse("community:coordination", args=[district.number])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(page)
    try:
        coordination.note_follow_up(actor=actor, district=district, finding=form.cleaned_data["finding"],
                                    text=form.cleaned_data["text"])  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(page)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("The follow-up is noted. It is on your home page until it is done."))
    return redirect(f"{page}#{coordination.anchor_of(form.cleaned_data['finding'])}")


@require_POST
@requires("community.coordinate")
def follow_up_done(request: HttpRequest, number: int, pk: int) -> HttpResponse:
    actor = actor_for(request)
    district = coordination.district_for(actor, number)
    note = coordination.follow_up_for(actor, district, pk)
    try:
        coordination.finish_follow_up(actor=actor, follow_up=note)
    except PermissionDenied as error:
        raise Http404 from error
    messages.success(request, _("The follow-up is marked done."))
    return redirect("community:coordination", number=district.number)
