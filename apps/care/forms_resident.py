"""Forms of the resident's pages: asking for help, cancelling, saying how it went.

They parse what was typed into plain values and catch what can be told at once (an end before its
start, a date already past) next to the field concerned; the services decide the rest and their
errors are put back on the field they concern (``ASK_ERROR_FIELDS``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.people.consent_texts import CONSENT_TEXTS
from apps.people.forms import LANGUAGES
from apps.people.models import Purpose

from .forms_windows import WindowsForm, date_input
from .models import CareCategory, CareRequest, Urgency

DURATIONS = [
    (30, _("Half an hour")),
    (60, _("1 hour")),
    (90, _("1 hour and a half")),
    (120, _("2 hours")),
    (180, _("3 hours")),
    (240, _("4 hours")),
]

# the service's error codes → the field that shows the message
ASK_ERROR_FIELDS = {
    "consent_missing": "consent",
    "category": "category",
    "urgency": "urgency",
    "duration": "duration_minutes",
    "repeat_until": "repeat_until",
    "windows": "date_1",
    "window_order": "end_1",
    "window_past": "date_1",
    "window_short": "end_1",
    "address": "address",
    "address_not_found": "address",
    "outside_city": "address",
    "language": "languages",
}


class CategoryChoiceField(forms.ModelChoiceField):
    """Radio buttons whose label is the category's name in the page's language."""

    def label_from_instance(self, obj: CareCategory) -> str:  # type: ignore[override]
        return obj.name


class AskForm(WindowsForm):
    """A resident asks for help online: what, where, when, how long, in which language, how urgent."""

    window_field_name = "{part}_{row}"
    window_required_messages = {"date": _("Give the day."), "time": _("Give the time.")}
    window_incomplete = _("Fill in the day, from and until, or leave the whole row empty.")
    window_incomplete_at_every_field = False
    window_ends_before_start = _("The end time comes before the start time.")
    window_past = _("This moment has already passed. Choose a day in the future.")

    category = CategoryChoiceField(
        label=_("What do you need help with?"),
        queryset=CareCategory.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose what you need help with."),
            "invalid_choice": _("Choose one of the kinds of help in the list."),
        },
    )
    description = forms.CharField(
        label=_("Tell us a bit more (you may leave this empty)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the coordinator and the helper who says yes can read this."),
    )
    address = forms.CharField(
        label=_("Where do you need help?"),
        required=False,
        max_length=200,
        help_text=_("Street and house number in Ghent. We filled in the address of your profile."),
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("How long will it take?"), choices=DURATIONS, coerce=int, initial=60, widget=forms.RadioSelect
    )
    recurrence = forms.ChoiceField(
        label=_("How often?"),
        choices=CareRequest.Recurrence.choices,
        initial=CareRequest.Recurrence.NONE,
        widget=forms.RadioSelect,
    )
    repeat_until = forms.DateField(label=_("Repeat until (only if it repeats)"), required=False, widget=date_input())
    languages = forms.MultipleChoiceField(
        label=_("Which languages may the helper speak?"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    requires_vetted = forms.BooleanField(
        label=_("I want a helper whose certificate of good conduct has been checked"), required=False
    )

    def __init__(self, *args: Any, categories: QuerySet[CareCategory], needs_consent: bool, **kwargs: Any) -> None:
        """``needs_consent``: the person has not agreed to care matching yet, so the form asks for it."""
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.add_window_fields()
        if needs_consent:
            self.fields["consent"] = forms.BooleanField(
                label=CONSENT_TEXTS[Purpose.CARE_MATCHING][1],
                required=True,
                error_messages={
                    "required": _("Tick this box to agree. Without your agreement we cannot look for a helper.")
                },
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in ("duration_minutes", "recurrence", "repeat_until", "languages", "urgency", "requires_vetted")
        ]

    def window_too_short(self, duration: int) -> str:
        return str(_("This time is shorter than the help takes. Choose a later end time."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        windows = self.clean_windows(data)
        data["windows"] = windows
        if data.get("recurrence") not in (None, CareRequest.Recurrence.NONE) and not data.get("repeat_until"):
            self.add_error("repeat_until", _("Say until when the help should repeat."))
        return data


class CancelRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you cancel? (a few words)"),
        max_length=300,
        error_messages={"required": _("Say in a few words why you cancel.")},
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ResidentFeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("How did it go? (a few words)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    same_helper_again = forms.ChoiceField(
        label=_("I'd like the same helper again"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )

    def answer(self) -> bool | None:
        value = self.cleaned_data.get("same_helper_again")
        return {"yes": True, "no": False}.get(value or "")
