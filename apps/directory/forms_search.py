"""The "Find help" form: a GET form (bookmarkable, works without JavaScript) whose every field is optional."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DayInput
from apps.places import geo
from apps.places.models import District

from .models import TaxonomyTerm
from .search import Criteria, Near, language_choices, need_choices


class SearchForm(forms.Form):
    no_optional_marks = True  # a filter: every field is optional, so none says so

    words = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=200,
        help_text=_("In your own words, for example: home nursing, warm meals, someone to talk to."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )
    need = forms.ChoiceField(label=_("Type of help"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    address = forms.CharField(
        label=_("Or near an address"),
        required=False,
        max_length=200,
        help_text=_("Street and house number. The nearest services come first."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    day = forms.DateField(
        label=_("Open on"), required=False, widget=DayInput(), help_text=_("A day within the coming year.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = [("", _("Any type of help")), *need_choices()]  # type: ignore[attr-defined]
        districts = District.objects.order_by("name").values_list("slug", "name")
        self.fields["district"].choices = [("", _("The whole city")), *districts]  # type: ignore[attr-defined]
        self.fields["language"].choices = [("", _("Any language")), *language_choices()]  # type: ignore[attr-defined]
        self.near: Near | None = None
        self.understood = ""

    def clean_address(self) -> str:
        """Find the address in the city's register; say why not and suggest streets when it is not found."""
        typed: str = self.cleaned_data.get("address", "").strip()
        if not typed:
            return ""
        found = geo.find_address(typed)
        if not found.found:
            message = found.message
            if found.suggestions:
                message = _("%(message)s Did you mean: %(streets)s?") % {
                    "message": message,
                    "streets": ", ".join(found.suggestions[:3]),
                }
            raise ValidationError(message, code="address")
        label = f"{found.street} {found.house_number}"
        self.near = Near(found.lat, found.lon, label)
        if found.understood:
            self.understood = str(_("We understood: %(address)s.") % {"address": label})
        return typed

    def clean_day(self) -> date | None:
        day: date | None = self.cleaned_data.get("day")
        today = timezone.localdate()
        if day is not None and not today - timedelta(days=1) <= day <= today + timedelta(days=366):
            raise ValidationError(_("Choose a day from today, at most a year ahead."), code="far_day")
        return day

    def criteria(self) -> Criteria:
        """What was asked, for ``search.search``; call after ``is_valid()``."""
        data = self.cleaned_data
        need = None
        if data.get("need"):
            need = TaxonomyTerm.objects.filter(pk=data["need"], active=True).first()
        district = District.objects.filter(slug=data["district"]).first() if data.get("district") else None
        return Criteria(
            need=need,
            district=district,
            near=self.near,
            language=data.get("language") or "",
            open_now=bool(data.get("open_now")),
            day=data.get("day"),
            words=data.get("words") or "",
        )

    def summary(self) -> list[str]:
        """What was asked, in words, for above the results and on the printed list."""
        data, parts = self.cleaned_data, []
        if data.get("words"):
            parts.append(str(_("words: “%(words)s”") % {"words": data["words"]}))
        for name in ("need", "district", "language"):
            if data.get(name):
                choices = dict(self.fields[name].choices)  # type: ignore[attr-defined]
                label = str(choices.get(data[name], "")).lstrip("— ")
                parts.append(f"{str(self.fields[name].label).lower()}: {label}")
        if self.near:
            parts.append(str(_("near %(address)s") % {"address": self.near.label}))
        if data.get("open_now"):
            parts.append(str(_("open now")))
        if data.get("day"):
            from apps.core import formats

            parts.append(str(_("open on %(day)s") % {"day": formats.day(data["day"])}))
        return parts
