from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DayInput
from apps.core.inputs import MAX_INTEGER

from .labels import purpose_choices, role_choices
from .models import AccessLogEntry


class LogSearchForm(forms.Form):
    no_optional_marks = True  # a filter: every field is optional, so none says so
    subject = forms.IntegerField(
        label=_("Whose data (person number)"), required=False, min_value=1, max_value=MAX_INTEGER
    )
    actor = forms.IntegerField(label=_("Account number"), required=False, min_value=1, max_value=MAX_INTEGER)
    role = forms.ChoiceField(label=_("Role of who acted"), required=False, choices=[])
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=[])
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("any")), *list(AccessLogEntry.Action.choices)]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("any")), *list(AccessLogEntry.Outcome.choices)]
    )
    since = forms.DateField(label=_("From"), required=False, widget=DayInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DayInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("any")), *role_choices()]
        self.fields["purpose"].choices = [("", _("any")), *purpose_choices()]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data


ACTIVITY_MAX_DAYS = 92
"""The longest period the activity view shows at once (three months): the page stays quick; older days
stay searchable in the access log."""


EARLIEST_DAY = date(2000, 1, 1)
"""No record is older: a period must start after it (and end by tomorrow), so the arithmetic on days never
leaves the calendar (``date.max + 1 day`` was a server error)."""


def period_is_reasonable(since: date, until: date) -> bool:
    latest = timezone.localdate() + timedelta(days=1)
    return EARLIEST_DAY <= since <= latest and EARLIEST_DAY <= until <= latest


class ActivityForm(forms.Form):
    """The period of the activity view: the last 7, 14 or 30 days, or two dates of the auditor's own."""

    no_optional_marks = True

    days = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=14,
        initial=14,  # what an empty period shows: the list below must match the choice shown above it
        choices=[(7, _("the last 7 days")), (14, _("the last 14 days")), (30, _("the last 30 days"))],
    )
    since = forms.DateField(
        label=_("Or from"),
        required=False,
        widget=DayInput(),
        help_text=_("Fill in both dates to choose the period yourself."),
    )
    until = forms.DateField(label=_("Until"), required=False, widget=DayInput())
    unusual_only = forms.BooleanField(label=_("Only what stands out"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if bool(since) != bool(until):
            self.add_error("until" if since else "since", _("Fill in both dates, or neither."))
        elif since and until:
            if not period_is_reasonable(since, until):  # type: ignore[arg-type]
                self.add_error("since", _("Choose dates between the year 2000 and today."))
            elif until < since:
                self.add_error("until", _("The end date is before the start date."))
            elif (until - since).days >= ACTIVITY_MAX_DAYS:  # type: ignore[operator]
                self.add_error("since", _("Choose a period of at most %(days)s days.") % {"days": ACTIVITY_MAX_DAYS})
        return data

    def period(self, today: date) -> tuple[date, date]:
        """(first day, last day), both included: the dates chosen, or the last ``days`` days up to today."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("since") and data.get("until"):
            return data["since"], data["until"]
        days = data.get("days") or 14
        return today - timedelta(days=days - 1), today
