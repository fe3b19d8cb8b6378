"""Community life: the forms of support requests and of the jury (issue 18, item 2).  One short form per kind of
request, each on its own page, so a phone shows only what that kind needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ClockInput, DayInput

from .models import GrantCall, JuryScore, Material
from .support import HELP_TOPICS, PERMIT_EVENTS

DATE_ERRORS = {"required": _("Give the date."), "invalid": _("Write the date as dd/mm/yyyy.")}
TIME_ERRORS = {"required": _("Give the time."), "invalid": _("Write the time as hh:mm.")}
MESSAGE = forms.CharField(
    label=_("Anything else the city should know"),
    required=False,
    max_length=2000,
    widget=forms.Textarea(attrs={"rows": 3}),
    error_messages={"max_length": _("At most 2,000 characters.")},
)


class MaterialsForm(forms.Form):
    """The days of the loan and how many of each thing; one number field per material the city lends."""

    needed_from = forms.DateField(
        label=_("First day"),
        help_text=_("dd/mm/yyyy: the day you pick it up"),
        widget=DayInput(),
        error_messages=DATE_ERRORS,
    )
    needed_until = forms.DateField(
        label=_("Last day"),
        help_text=_("dd/mm/yyyy: the day you bring it back"),
        widget=DayInput(),
        error_messages=DATE_ERRORS,
    )

    def __init__(self, *args: Any, materials: list[Material], free: dict[int, int] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.materials = materials
        for material in materials:
            hint = _("The city has %(count)d.") % {"count": material.quantity}
            if free is not None and material.pk in free:
                hint = _("%(free)d of %(count)d free on the days you chose.") % {
                    "free": free[material.pk],
                    "count": material.quantity,
                }
            self.fields[f"material_{material.pk}"] = forms.IntegerField(
                label=material.name,
                required=False,
                min_value=0,
                max_value=999,
                initial=0,
                help_text=hint,
                error_messages={
                    "invalid": _("Write a number."),
                    "min_value": _("Write 0 or more."),
                    "max_value": _("At most 999."),
                },
            )
        self.fields["message"] = MESSAGE

    def wanted(self) -> dict[int, int]:
        return {m.pk: self.cleaned_data.get(f"material_{m.pk}") or 0 for m in self.materials}


class AvailabilityForm(forms.Form):
    """The days to look at on the public list of materials."""

    first = forms.DateField(label=_("From"), widget=DayInput(), error_messages=DATE_ERRORS)
    last = forms.DateField(label=_("Until"), widget=DayInput(), error_messages=DATE_ERRORS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and not 0 <= (last - first).days <= 60:
            raise forms.ValidationError(_("Choose at most 61 days, the last after the first."))
        return data


class PermitForm(forms.Form):
    event = forms.ChoiceField(
        label=_("What kind of event"),
        choices=list(PERMIT_EVENTS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of event it is.")},
    )
    street = forms.CharField(
        label=_("Street or square"),
        max_length=200,
        help_text=_("With the house numbers, for example “Kongostraat 1–40”."),
        error_messages={"required": _("Say where it is.")},
    )
    day = forms.DateField(label=_("Date"), help_text=_("dd/mm/yyyy"), widget=DayInput(), error_messages=DATE_ERRORS)
    starts = forms.TimeField(label=_("From"), help_text=_("hh:mm"), widget=ClockInput(), error_messages=TIME_ERRORS)
    ends = forms.TimeField(label=_("Until"), help_text=_("hh:mm"), widget=ClockInput(), error_messages=TIME_ERRORS)
    people = forms.IntegerField(
        label=_("How many people you expect"),
        min_value=1,
        max_value=5000,
        error_messages={
            "required": _("Say how many people you expect."),
            "invalid": _("Write a number."),
            "min_value": _("From 1 to 5000."),
            "max_value": _("From 1 to 5000."),
        },
    )
    closes_street = forms.BooleanField(label=_("The street is closed to traffic"), required=False)
    amplified_sound = forms.BooleanField(label=_("There is music through loudspeakers"), required=False)
    food_or_drinks = forms.BooleanField(label=_("Food or drinks are served"), required=False)
    structures = forms.CharField(
        label=_("Tents or stands"),
        required=False,
        max_length=300,
        help_text=_("Optional: what you put up, and how big."),
    )
    set_up = forms.CharField(
        label=_("Setting up and clearing away"),
        required=False,
        max_length=300,
        help_text=_("Optional: from when you set up, until when you clear away."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["message"] = MESSAGE


class GrantForm(forms.Form):
    call = forms.ModelChoiceField(
        label=_("Grant call"),
        queryset=GrantCall.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose a call."), "invalid_choice": _("Choose one of the calls shown.")},
    )
    amount_eur = forms.IntegerField(
        label=_("Amount you ask (euro)"),
        min_value=1,
        max_value=1_000_000,
        error_messages={
            "required": _("Say how much you ask."),
            "invalid": _("Write a whole number of euro."),
            "min_value": _("Ask at least 1 euro."),
            "max_value": _("That is more than any call gives."),
        },
    )
    plan = forms.CharField(
        label=_("What you will do with it"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happens, for whom, and how the neighbourhood takes part."),
        error_messages={"required": _("Describe your plan.")},
    )
    budget = forms.CharField(
        label=_("Your budget"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What it costs, one line each: “soup ingredients: 120 euro”."),
        error_messages={"required": _("Give your budget.")},
    )

    def __init__(self, *args: Any, calls: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        call = self.fields["call"]
        assert isinstance(call, forms.ModelChoiceField)
        call.queryset = calls
        call.label_from_instance = lambda c: f"{c.title} (max. {c.ceiling_eur} euro)"  # type: ignore[method-assign]


class HelpForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("What you need help with"),
        choices=list(HELP_TOPICS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you need help with.")},
    )
    message = forms.CharField(
        label=_("Your question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your question.")},
    )


class TextForm(forms.Form):
    """One text: a question of the city, the applicant's reply, a note, the reason of an answer."""

    text = forms.CharField(label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label


class DecisionForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer to the initiative"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you say no: the reason."),
    )
    granted_eur = forms.IntegerField(
        label=_("Amount granted (euro)"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        error_messages={"invalid": _("Write a whole number of euro.")},
    )

    def __init__(self, *args: Any, grant: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not grant:
            del self.fields["granted_eur"]


SCORE_CHOICES = [(str(n), str(n)) for n in range(6)]


class ScoreForm(forms.Form):
    """Four criteria of the grant rules, 0 (not at all) to 5 (fully), and a comment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in JuryScore.CRITERIA:
            self.fields[name] = forms.TypedChoiceField(
                label=JuryScore._meta.get_field(name).verbose_name,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Give this criterion a score from 0 to 5."),
                    "invalid_choice": _("Give a score from 0 to 5."),
                },
            )
        self.fields["comment"] = forms.CharField(
            label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
        )


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you cannot judge this one"),
        max_length=300,
        help_text=_("For example: “I am a member of this group.”"),
        error_messages={"required": _("Say why.")},
    )
