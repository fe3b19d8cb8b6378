"""Forms for organisations.  They parse and validate input; services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.people.forms import PhoneField
from apps.people.models import Role


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("What the organisation does"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", help_text=_("For example: https://www.example.be")
    )
    phone = PhoneField(label=_("Phone"), required=False, max_length=30, help_text=_("For example: 09 210 10 10"))


class StaffGrantForm(forms.Form):
    """Give someone with an account a role for this organisation."""

    login = forms.CharField(
        label=_("Email address or mobile number of their account"),
        max_length=254,
        help_text=_("They sign up first; then you give them their role here."),
    )
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in roles]
