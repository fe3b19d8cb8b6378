"""The form "I am worried about a neighbour": anyone, no account, a minute on a phone, every field short.

Who: an address (found in the city's address register, which gives the district) or a description (then the
district is chosen).  What: a few common signs and, if they wish, their own words.  How to reach the reporter:
optional; anonymous is allowed.  Django's fields refuse NUL characters; lengths are capped; unknown signs and
districts are refused with a message beside their field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.people.phones import normalise_phone
from apps.places import geo
from apps.places.models import District

from .models import WorryReport
from .services import ReportInput

DESCRIPTION_MAX = 500
NOTICED_MAX = 1000


class WorryForm(forms.Form):
    address = forms.CharField(
        label=_("Street and house number"), required=False, max_length=200,
        help_text=_("If you know it, for example: Sint-Pietersnieuwstraat 33"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )  # fmt: skip
    description = forms.CharField(
        label=_("Or describe who you mean"), required=False, max_length=DESCRIPTION_MAX,
        help_text=_("For example: the older man with the grey dog at the corner of the square."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    district = forms.ChoiceField(
        label=_("District"), required=False,
        help_text=_("Only needed when you give no address: the address tells us the district."),
    )  # fmt: skip
    signs = forms.MultipleChoiceField(
        label=_("What you noticed"), required=False, choices=WorryReport.Sign.choices,
        help_text=_("Tick what applies."),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    noticed = forms.CharField(
        label=_("Anything else you want to tell us"), required=False, max_length=NOTICED_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    name = forms.CharField(label=_("Your name"), required=False, max_length=100,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))  # fmt: skip
    phone = forms.CharField(
        label=_("Your phone number"), required=False, max_length=30, help_text=_("For example: 0470 12 34 56"),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )  # fmt: skip
    email = forms.EmailField(label=_("Your email address"), required=False, max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = [(str(pk), name) for pk, name in District.objects.order_by("name").values_list("pk", "name")]
        self.fields["district"].choices = [("", _("Choose a district")), *districts]  # type: ignore[attr-defined]
        self.located: geo.AddressLookup | None = None

    def clean_address(self) -> str:
        typed: str = self.cleaned_data.get("address", "").strip()
        if not typed:
            return ""
        found = geo.find_address(typed)
        if not found.found:
            message = found.message
            if found.suggestions:
                message = _("%(message)s Did you mean: %(streets)s?") % {
                    "message": message, "streets": ", ".join(found.suggestions[:3]),
                }  # fmt: skip
            raise ValidationError(message, code="address")
        if found.district is None:
            raise ValidationError(_("This address lies in none of the city's districts."), code="no_district")
        self.located = found
        return typed

    def clean_phone(self) -> str:
        typed: str = self.cleaned_data.get("phone", "").strip()
        if not typed:
            return ""
        return normalise_phone(typed)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "address" not in self.errors and not data.get("address") and not data.get("description", "").strip():
            self.add_error("address", _("Give an address, or describe who you mean."))
        if not data.get("address") and "address" not in self.errors and not data.get("district"):
            self.add_error("district", _("Choose the district, or give an address."))
        if "signs" not in self.errors and not data.get("signs") and not data.get("noticed", "").strip():
            self.add_error("signs", _("Tick what you noticed, or tell us in your own words."))
        return data

    def report_input(self, language: str) -> ReportInput:
        """What to store; call after ``is_valid()``."""
        data = self.cleaned_data
        common: dict[str, Any] = {
            "description": data["description"].strip(), "signs": list(data["signs"]),
            "noticed": data["noticed"].strip(), "reporter_name": data["name"].strip(),
            "reporter_phone": data["phone"], "reporter_email": data["email"], "language": language,
        }  # fmt: skip
        found = self.located
        if found is not None and found.district is not None:
            return ReportInput(
                district=found.district, street=found.street, house_number=found.house_number,
                postal_code=found.postcode, **common,
            )  # fmt: skip
        return ReportInput(district=District.objects.get(pk=data["district"]), district_chosen=True, **common)
