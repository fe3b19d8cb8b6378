"""Forms of the coordinator's pages.  They parse and check what was typed; ``services`` does the writing.

Each check that a coordinator on the phone can get wrong is made here first, so the message appears at
the field concerned; the services check again (they are also called by the API), and whatever they
still refuse is put back at a field by ``add_service_error``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import formats
from apps.core.forms import DayInput
from apps.core.inputs import MAX_INTEGER
from apps.people.forms import LANGUAGES
from apps.people.models import Person

from .forms_helper import PlanForm as HelperPlanForm
from .forms_windows import WindowsForm
from .models import CareCategory, CareRequest, HelperOffer, Urgency, Vetting

DURATIONS = [15, 30, 45, 60, 90, 120, 180, 240]

# where the errors a service raises belong, by their code
SERVICE_ERROR_FIELDS = {
    "consent_missing": "consent",
    "category": "category",
    "urgency": "urgency",
    "duration": "duration_minutes",
    "repeat_until": "repeat_until",
    "windows": "window_1_date",
    "window_order": "window_1_end",
    "window_past": "window_1_date",
    "window_short": "window_1_end",
    "address": "address",
    "address_not_found": "address",
    "outside_city": "address",
    "language": "languages",
    "unknown_helper": "preferred_helpers",
    "helper_both": "excluded_helpers",
}


def duration_label(minutes: int) -> str:
    """As typed: "45 minuten", "1 uur", "1,5 uur" (``apps/core/formats.py``)."""
    return formats.duration(minutes)


def helper_label(offer: HelperOffer) -> str:
    """How a helper is named in a choice: full name, district and number (the number is typed elsewhere)."""
    person = offer.person
    return f"{person.first_name} {person.last_name} (#{offer.pk})"


class CategoryChoiceField(forms.ModelChoiceField[CareCategory]):
    def label_from_instance(self, obj: Any) -> str:
        if obj.professional:
            return str(_("%(name)s (professional care: referred to a service)") % {"name": obj.name})
        return str(obj.name)


class HelperChoiceField(forms.ModelMultipleChoiceField[HelperOffer]):
    def label_from_instance(self, obj: Any) -> str:
        return helper_label(obj)


def add_service_error(
    form: forms.Form, error: ValidationError, fields: dict[str, str] | None = None, default: str | None = None
) -> None:
    """Put a service's refusal at the field it concerns (or above the form when none fits)."""
    code = getattr(error, "code", None)
    field = (SERVICE_ERROR_FIELDS if fields is None else fields).get(code or "", default)
    if field is not None and field not in form.fields:
        field = default if default in form.fields else None
    for message in error.messages:
        form.add_error(field, message)


class TakeByPhoneForm(WindowsForm):
    """A request for help taken by phone on the person's behalf: what, where, when, who may help."""

    window_field_name = "window_{row}_{part}"
    window_incomplete = _("Give the day, the start and the end of this time.")
    window_incomplete_at_every_field = True
    window_ends_before_start = _("This time ends before it starts.")
    window_past = _("This time lies in the past.")
    window_default_duration = 60

    consent = forms.BooleanField(label=_("The person agreed by phone to this"), required=False)
    category = CategoryChoiceField(
        label=_("What kind of help?"), queryset=CareCategory.objects.none(), empty_label=_("Choose…")
    )
    description = forms.CharField(
        label=_("What is needed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In the person's words. The helper reads this only after saying yes."),
    )
    address = forms.CharField(
        label=_("Another address"),
        required=False,
        max_length=200,
        help_text=_("Leave empty to use the person's own address. For example: Sint-Pietersnieuwstraat 33, 9000 Gent"),
    )
    recurrence = forms.ChoiceField(
        label=_("How often"), choices=CareRequest.Recurrence.choices, initial=CareRequest.Recurrence.NONE,
        widget=forms.RadioSelect,
    )  # fmt: skip
    repeat_until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        widget=DayInput(),
        help_text=_("Only when the help comes back every week or every two weeks."),
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("How long does it take?"), coerce=int, initial=60,
        choices=[(m, duration_label(m)) for m in DURATIONS],
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages the helper should speak (any one of them)"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it?"), coerce=int, choices=Urgency.choices, initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )  # fmt: skip
    requires_vetted = forms.BooleanField(
        label=_("Only a vetted helper (certificate of good conduct), for example for visits at home"),
        required=False,
    )
    preferred_helpers = HelperChoiceField(
        label=_("Preferred helpers"),
        queryset=HelperOffer.objects.none(),
        required=False,
        help_text=_("Helpers of your districts: tick as many as you like."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown helper: %(value)s. Choose a helper from the list.")},
    )
    excluded_helpers = HelperChoiceField(
        label=_("Helpers who should not come"),
        queryset=HelperOffer.objects.none(),
        required=False,
        help_text=_("Helpers of your districts: tick as many as you like."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown helper: %(value)s. Choose a helper from the list.")},
    )
    follow_up_on = forms.DateField(
        label=_("Call back on"),
        required=False,
        widget=DayInput(),
        help_text=_("The request appears under “Follow-ups due” on that day."),
    )

    def __init__(
        self, *args: Any, person: Person, offers: QuerySet[HelperOffer], needs_consent: bool, **kwargs: Any
    ) -> None:
        """``needs_consent``: the person has not (or no longer) consented to care matching: ask first."""
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("languages", list(person.languages))
        super().__init__(*args, **kwargs)
        self.person = person
        self.needs_consent = needs_consent
        if not needs_consent:
            del self.fields["consent"]
        offers = offers.exclude(person=person)  # nobody helps themselves
        for name, queryset in (
            ("category", CareCategory.objects.filter(active=True)),
            ("preferred_helpers", offers),
            ("excluded_helpers", offers),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        self.add_window_fields()

    # --- what the template needs -------------------------------------------------------------------

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("category", "description", "address")]

    def when_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("recurrence", "repeat_until", "duration_minutes")]

    def who_fields(self) -> list[forms.BoundField]:
        names = ("languages", "urgency", "requires_vetted", "preferred_helpers", "excluded_helpers", "follow_up_on")
        return [self[name] for name in names]

    # --- checks --------------------------------------------------------------------------------------

    def clean_consent(self) -> bool:
        given = bool(self.cleaned_data.get("consent"))
        if self.needs_consent and not given:
            raise ValidationError(
                _("Read the consent text to the person first. Tick the box only if they agreed; without it no request "
                  "can be taken."),
                code="consent_missing",
            )  # fmt: skip
        return given

    def clean_address(self) -> str:
        # whether it lies in the city is the address finder's answer (services.address_locate)
        address: str = self.cleaned_data.get("address", "").strip()
        return address

    def clean_follow_up_on(self) -> date | None:
        day: date | None = self.cleaned_data.get("follow_up_on")
        if day is not None and day < timezone.localdate():
            raise ValidationError(_("The call-back date lies in the past."), code="past")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        windows = self.clean_windows(data)
        data["windows"] = windows
        recurrence = data.get("recurrence")
        until = data.get("repeat_until")
        if recurrence and recurrence != CareRequest.Recurrence.NONE and windows:
            first = min(timezone.localtime(w.start).date() for w in windows)
            if until is None:
                self.add_error("repeat_until", _("Say until when the help should come back."))
            elif until < first:
                self.add_error("repeat_until", _("The last date of the repetition lies before the first time."))
        preferred = {o.pk for o in data.get("preferred_helpers") or ()}
        excluded = {o.pk for o in data.get("excluded_helpers") or ()}
        if preferred & excluded:
            self.add_error("excluded_helpers", _("A helper cannot be both preferred and excluded."))
        return data

    def window_too_short(self, duration: int) -> str:
        return str(
            _("This time is shorter than the %(duration)s the help takes.") % {"duration": duration_label(duration)}
        )

    def request_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``services.care_request_create``."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "windows": data["windows"],
            "description": data["description"],
            "address": data["address"],
            "duration_minutes": data["duration_minutes"],
            "recurrence": data["recurrence"],
            "repeat_until": data["repeat_until"],
            "languages": data["languages"],
            "urgency": data["urgency"],
            "requires_vetted": data["requires_vetted"],
            "preferred_helper_ids": [o.pk for o in data["preferred_helpers"]],
            "excluded_helper_ids": [o.pk for o in data["excluded_helpers"]],
            "follow_up_on": data["follow_up_on"],
        }


class ExplainForm(forms.Form):
    """Why not this helper? A helper typed by name or by number."""

    helper = forms.CharField(
        label=_("Helper's name or number"),
        max_length=100,
        help_text=_("For example: Yasmine, or #12 (the number shown next to a helper)."),
    )


class ProposeForm(forms.Form):
    offer = forms.IntegerField(min_value=1, max_value=MAX_INTEGER)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason; the people concerned are told.")},
    )


class PlanForm(HelperPlanForm):
    """The date and time agreed with the resident and the helper (the helper's form, in a coordinator's words)."""

    end_before_start = _("The end lies before the start.")
    in_the_past = _("Choose a moment in the future.")


class ResidentFeedbackForm(forms.Form):
    """What the resident said on the phone about the visit."""

    feedback = forms.CharField(
        label=_("What the person said about the visit"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    same_helper_again = forms.TypedChoiceField(
        label=_("Would they like the same helper again?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("They did not say"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class AcceptForm(forms.Form):
    """The helper's yes, told by phone: nothing to type; the form carries a refusal's message."""


class HelperDoneForm(forms.Form):
    """The visit as the helper told it on the phone: how long they helped, their word, whether they come again.

    The hours have no bounds here: the service checks them, so its one clear message is the one shown.
    """

    hours = forms.DecimalField(
        label=_("How many hours the helper helped"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        help_text=_("For example 1.5 for an hour and a half."),
    )
    feedback = forms.CharField(
        label=_("What the helper said about the visit"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    would_come_again = forms.TypedChoiceField(
        label=_("Would the helper come again?"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("They did not say"))],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class RoundStartForm(forms.Form):
    no_optional_marks = True  # "all my districts" is a choice of its own, not a field left empty
    district = forms.TypedChoiceField(label=_("Where"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, districts: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        field.choices = [("", _("All my districts")), *((d.pk, d.name) for d in districts)]  # type: ignore[attr-defined]


class CallListDayForm(forms.Form):
    no_optional_marks = True  # a filter: today when left empty
    day = forms.DateField(label=_("Day"), required=False, widget=DayInput())

    def clean_day(self) -> date | None:
        """A day between 2000 and a year ahead, as the other periods: a day typed by hand near the ends of the
        calendar (9999-12-31) made the list's "the day after" a server error."""
        day: date | None = self.cleaned_data.get("day")
        if day is not None and not date(2000, 1, 1) <= day <= timezone.localdate() + timedelta(days=366):
            raise ValidationError(_("Choose a day from the year 2000 on, at most a year ahead."), code="far_day")
        return day


class VettingForm(forms.Form):
    """A check the coordinator saw (the document itself is never stored)."""

    kind = forms.ChoiceField(label=_("Kind of check"), choices=Vetting.Kind.choices)
    checked_on = forms.DateField(label=_("Checked on"), widget=DayInput())
    expires_on = forms.DateField(
        label=_("Valid until"),
        widget=DayInput(),
        help_text=_("A certificate of good conduct is usually accepted for one year."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        checked, expires = data.get("checked_on"), data.get("expires_on")
        if checked and checked > timezone.localdate():
            self.add_error("checked_on", _("The check date lies in the future."))
        if checked and expires and expires <= checked:
            self.add_error("expires_on", _("The end of validity must come after the check date."))
        return data


VETTING_ERROR_FIELDS = {"kind": "kind", "future": "checked_on", "order": "expires_on"}
