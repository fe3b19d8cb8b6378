from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessLogEntry


class LogSearchForm(forms.Form):
    subject = forms.IntegerField(label=_("Whose data (person number)"), required=False, min_value=1)
    actor = forms.IntegerField(label=_("Account number"), required=False, min_value=1)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("any")), *list(AccessLogEntry.Action.choices)]
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("any")), *list(AccessLogEntry.Outcome.choices)]
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data
