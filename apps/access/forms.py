from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import purpose_choices, role_choices
from .models import AccessLogEntry


class LogSearchForm(forms.Form):
    subject = forms.IntegerField(label=_("Whose data (person number)"), required=False, min_value=1)
    actor = forms.IntegerField(label=_("Account number"), required=False, min_value=1)
    role = forms.ChoiceField(label=_("Role of who acted"), required=False, choices=[])
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, choices=[])
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("any")), *list(AccessLogEntry.Action.choices)]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("any")), *list(AccessLogEntry.Outcome.choices)]
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("any")), *role_choices()]
        self.fields["purpose"].choices = [("", _("any")), *purpose_choices()]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
