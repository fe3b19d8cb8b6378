"""The first page of a screening: which questionnaire, which answer format, how it is taken, and the consent.

The form checks what a person can fix on the page; ``screening.screening_start`` checks again and decides (the
consent, the rule, the instrument and language the domain accepts).  A questionnaire without a published wording in
the page's language is not offered (the page says so in plain words).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.people.models import Consent

from .models import Screening
from .screening import INSTRUMENT_NAMES, available

FORMATS = [("3", _("3 answers: yes – more or less – no")), ("5", _("5 answers: yes! – yes – more or less – no – no!"))]


class StartForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Questionnaire"), widget=forms.RadioSelect,
        error_messages={"required": _("Choose a questionnaire."),
                        "invalid_choice": _("Choose one of the questionnaires offered.")},
    )  # fmt: skip
    answer_format = forms.ChoiceField(
        label=_("Answer options"), widget=forms.RadioSelect, choices=FORMATS, initial="3",
        help_text=_("For the De Jong Gierveld scales. The UCLA scale always has 3 answers."),
        error_messages={"required": _("Choose the answer options."),
                        "invalid_choice": _("Choose 3 or 5 answer options.")},
    )  # fmt: skip
    mode = forms.ChoiceField(
        label=_("How is it taken?"), widget=forms.RadioSelect,
        choices=[(Screening.Mode.VISIT, Screening.Mode.VISIT.label),
                 (Screening.Mode.PHONE, Screening.Mode.PHONE.label)],
        error_messages={"required": _("Choose how the screening is taken."),
                        "invalid_choice": _("Choose how the screening is taken.")},
    )  # fmt: skip
    consent_method = forms.ChoiceField(
        label=_("How the person gave their consent"), widget=forms.RadioSelect,
        choices=[(Consent.Method.PHONE, Consent.Method.PHONE.label),
                 (Consent.Method.PAPER, Consent.Method.PAPER.label)],
        initial=Consent.Method.PHONE, required=False,
    )  # fmt: skip
    consent = forms.BooleanField(label=_("I read the consent text to the person and they agree."), required=False)
    case = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1,
        error_messages={"invalid": _("This case number cannot be read. Start again from the case's page.")},
    )  # fmt: skip

    def __init__(self, *args: Any, language: str, online: bool, has_consent: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.online, self.has_consent = online, has_consent
        offered = [key for key, ok in available(language).items() if ok]
        field = self.fields["instrument"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, INSTRUMENT_NAMES[key]) for key in offered]
        if len(offered) == 1:
            field.initial = offered[0]
        if "ucla3" not in offered:
            self.fields["answer_format"].help_text = ""
        if not has_consent and not online:
            method = self.fields["consent_method"]
            method.required = True
            method.error_messages["required"] = _("Say how the person gave their consent.")
        if online:
            del self.fields["mode"], self.fields["consent_method"]
            self.fields["consent"].label = _("I agree.")
        if has_consent:
            self.fields.pop("consent_method", None)
            del self.fields["consent"]

    @property
    def offered(self) -> bool:
        field = self.fields["instrument"]
        assert isinstance(field, forms.ChoiceField)
        return bool(field.choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("instrument") == "ucla3" and data.get("answer_format") == "5":
            self.add_error("answer_format", _("The UCLA scale has only 3 answers: choose 3 answer options."))
        if not self.has_consent and not data.get("consent"):
            mine = _("Tick this only when you agree: without consent nothing is asked and nothing is stored.")
            theirs = _("Tick this only when the person agrees: without consent nothing is asked and nothing is stored.")
            self.add_error("consent", mine if self.online else theirs)
        return data
