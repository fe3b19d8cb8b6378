"""The forms of structural signals: reporting one (anyone signed in), the staff's filter and their triage.

Reporting: a category, the place (an address of the city's register, or a point typed as latitude and
longitude; the district always follows from it, it is never typed), a few words if one wishes and a photo if
one has it.  The photo is judged by its bytes (``domain.photos``: JPEG or PNG, whole and well formed, not too
many pixels) and by its size (``WELLBEING_SIGNAL_PHOTO_MAX_BYTES``), and what is stored is the rewritten file
without its metadata.  Django's fields refuse NUL characters; every text has a maximum length.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from apps.places.models import District
from domain import photos

from . import signals_service as service
from .models import Signal

DESCRIPTION_MAX = 1000
PHOTO_TYPES = "image/jpeg,image/png"


def photo_problem_message(problem: photos.Problem) -> str:
    messages = {
        photos.Problem.EMPTY: _("This file is empty. Choose a photo, or leave this field empty."),
        photos.Problem.NOT_AN_IMAGE: _(
            "This file is not a photo in JPEG or PNG format. Choose a JPEG or PNG photo, or leave this field empty."
        ),
        photos.Problem.DAMAGED: _("This photo is damaged or incomplete. Choose another photo."),
        photos.Problem.TOO_LARGE_PICTURE: _(
            "This photo has too many pixels (at most %(side)s pixels wide and high). Choose a smaller photo."
        )
        % {"side": photos.MAX_SIDE},
    }
    return str(messages[problem])


def too_big_message() -> str:
    return str(
        _("This photo is larger than %(size)s. Choose a smaller photo, or leave it out.")
        % {"size": filesizeformat(settings.WELLBEING_SIGNAL_PHOTO_MAX_BYTES)}
    )


class SignalForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What makes it harder for people here to get out and meet others?"), widget=forms.RadioSelect
    )
    address = forms.CharField(
        label=_("Street and house number"), required=False, max_length=200,
        help_text=_("The nearest address, for example: Sint-Pietersnieuwstraat 33. We find the district."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    lat = forms.FloatField(
        label=_("Latitude"), required=False, help_text=_("For example: 51.0453"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    lon = forms.FloatField(
        label=_("Longitude"), required=False, help_text=_("For example: 3.7270"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )  # fmt: skip
    description = forms.CharField(
        label=_("What is the matter?"), required=False, max_length=DESCRIPTION_MAX,
        help_text=_("Only the city's staff read this. Do not write names of people."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    photo = forms.FileField(
        label=_("A photo"), required=False,
        help_text=_("JPEG or PNG. Only the city's staff see it; we remove the place and time your phone stores in it."),
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_TYPES}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = service.category_choices()  # type: ignore[attr-defined]
        self.place: service.Place | None = None
        self.photo: photos.Photo | None = None
        self.photo_refused = False
        """Set by the view when the person is over the day's photos (``signals_service.photo_try_take``)."""

    def clean_photo(self) -> Any:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if self.photo_refused:
            raise ValidationError(
                _("You sent many photos today. Send the signal without a photo, or try again tomorrow."),
                code="photo_tries",
            )
        if upload.size > settings.WELLBEING_SIGNAL_PHOTO_MAX_BYTES:
            raise ValidationError(too_big_message(), code="too_big")
        try:
            self.photo = photos.clean(upload.read())
        except photos.PhotoError as error:
            raise ValidationError(photo_problem_message(error.problem), code=error.problem.value) from error
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if {"address", "lat", "lon"} & set(self.errors):
            return data
        address = (data.get("address") or "").strip()
        lat, lon = data.get("lat"), data.get("lon")
        try:
            if address and (lat is not None or lon is not None):
                self.add_error("address", _("Give an address or a point, not both."))
            elif address:
                self.place = service.place_from_address(address)
            elif lat is not None and lon is not None:
                self.place = service.place_from_point(lat, lon)
            elif lat is not None or lon is not None:
                self.add_error("lat" if lat is None else "lon", _("Give both the latitude and the longitude."))
            else:
                self.add_error("address", _("Give the address, or a point (latitude and longitude)."))
        except ValidationError as error:
            self.add_error("address" if address else "lat", error)
        return data

    def signal_input(self) -> service.SignalInput:
        """What to store; call after ``is_valid()``."""
        assert self.place is not None
        data = self.cleaned_data
        return service.SignalInput(
            category=data["category"], place=self.place, description=data["description"].strip(), photo=self.photo
        )


class StaffFilterForm(forms.Form):
    """The staff list's filter (a GET form: bookmarkable, works without JavaScript); every field optional."""

    no_optional_marks = True

    district = forms.ChoiceField(label=_("District"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    month = forms.CharField(
        label=_("Month"), required=False, max_length=7, help_text=_("Year and month, for example: 2026-11"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = District.objects.order_by("name").values_list("slug", "name")
        self.fields["district"].choices = [("", _("Every district")), *districts]  # type: ignore[attr-defined]
        self.fields["status"].choices = [("", _("Every status")), *Signal.Status.choices]  # type: ignore[attr-defined]
        categories = [("", _("Every category")), *service.category_choices()]
        self.fields["category"].choices = categories  # type: ignore[attr-defined]

    def clean_month(self) -> date | None:
        typed = (self.cleaned_data.get("month") or "").strip()
        if not typed:
            return None
        try:
            year, month = (int(part) for part in typed.split("-"))
            if not 2000 <= year <= 2100:
                raise ValueError(year)
            return date(year, month, 1)
        except ValueError as error:
            raise ValidationError(_("Give the month as year and month, for example: 2026-11."), code="month") from error

    def chosen(self) -> service.StaffFilter:
        """What was asked; call after ``is_valid()`` (an invalid form filters nothing)."""
        data = self.cleaned_data if self.is_valid() else {}
        district = District.objects.filter(slug=data["district"]).first() if data.get("district") else None
        return service.StaffFilter(
            district=district, status=data.get("status") or "", category=data.get("category") or "",
            month=data.get("month"),
        )  # fmt: skip


class TriageForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happens with this signal?"), widget=forms.RadioSelect,
        choices=[(status.value, status.label) for status in service.TRIAGE_STATUSES],
    )  # fmt: skip
    forwarded_to = forms.CharField(
        label=_("Forwarded to which department?"), required=False, max_length=200,
        help_text=_("Needed when you forward it, for example: Mobility department, or De Lijn."),
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Signal.Status.FORWARDED and not (data.get("forwarded_to") or "").strip():
            self.add_error("forwarded_to", _("Say which department it was forwarded to."))
        return data
