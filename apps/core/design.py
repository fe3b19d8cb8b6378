"""The component gallery (``/design-system/``): every design-system component once, with made-up content.

Why a page and not only docs: the browser suite opens it at phone and desktop size and checks it with axe, so a
change to a component is seen on one page before it reaches the forty pages that use it (docs/design.md).
"""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from apps.core.components import Cell, Column, Table, Tag


class GalleryForm(forms.Form):
    """One field of each kind the site uses; nothing is stored."""

    name = forms.CharField(label=_("First name"), max_length=50, help_text=_("As the person likes to be called."))
    phone = forms.CharField(
        label=_("Phone number"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    district = forms.ChoiceField(
        label=_("District"), choices=[("", "—"), ("1", "Sluizeken-Tolhuis-Ham"), ("2", "Brugse Poort")]
    )
    part_of_day = forms.ChoiceField(
        label=_("When may we call?"),
        choices=[
            ("morning", _("In the morning")),
            ("afternoon", _("In the afternoon")),
            ("evening", _("In the evening")),
        ],
        widget=forms.RadioSelect,
        help_text=_("Choose one."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[
            ("nl", _("Dutch")),
            ("fr", _("French")),
            ("en", _("English")),
            ("ar", _("Arabic")),
            ("tr", _("Turkish")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    consent = forms.BooleanField(
        label=_("I agree that the coordinator may call me."), help_text=_("You can take this back at any time.")
    )


def _example_table() -> Table:
    table = Table(
        caption=str(_("Example: requests this week")),
        columns=[Column(_("Request")), Column(_("District")), Column(_("Status")), Column(_("Hours"), numeric=True)],
    )
    table.add(Cell("Boodschappen", url="#"), "Brugse Poort", Cell("", tag=Tag(str(_("Waiting")), "warning")), "1")
    table.add(Cell("Gezelschap", url="#"), "Ledeberg", Cell("", tag=Tag(str(_("Done")), "success")), "1,5")
    return table


@require_http_methods(["GET", "HEAD", "POST"])
def gallery(request: HttpRequest) -> HttpResponse:
    """GET shows the empty form; POST (or ?errors=1) shows it with its errors and the error summary."""
    if request.method == "POST":
        form = GalleryForm(request.POST)
        form.is_valid()
    elif request.GET.get("errors"):
        form = GalleryForm({"name": "", "district": "", "languages": [], "phone": "0477 50 30 67"})
        form.is_valid()
    else:
        form = GalleryForm()
    return render(
        request,
        "core/design.html",
        {
            "form": form,
            "table": _example_table(),
            "empty_table": Table(
                caption=str(_("Example: an empty table")),
                columns=[Column(_("Request")), Column(_("Status"))],
                empty=str(_("No requests yet.")),
            ),
        },
    )
