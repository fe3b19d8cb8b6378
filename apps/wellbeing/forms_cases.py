"""The forms of outreach cases (``views_cases.py``).  They parse and bound the input; ``cases.py`` decides.

Django's text fields refuse NUL characters; lengths are capped here and again in the services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DayInput
from apps.organisations.models import Organisation
from apps.people.models import Consent, Person
from apps.places.models import District

from . import cases
from .models import CaseOffer, ContactAttempt, OutreachCase


class OpenCaseForm(forms.Form):
    """A case from the coordinator's own observation: the person if known (from their page), else who and where."""

    notes = forms.CharField(
        label=_("Who is it about, and what did you notice?"), max_length=cases.NOTES_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: the lady at number 12, I have not seen her for weeks."),
    )  # fmt: skip
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)

    def __init__(self, *args: Any, districts: Any, person: Person | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        if person is not None:
            del self.fields["district"]
            self.fields["notes"].label = _("What did you notice?")
            self.fields["notes"].help_text = ""
        else:
            field = self.fields["district"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = districts
            field.required = True
            self.fields["notes"].required = True


class AttemptForm(forms.Form):
    channel = forms.ChoiceField(label=_("How did you try?"), choices=ContactAttempt.Channel.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    outcome = forms.ChoiceField(label=_("What came of it?"), choices=ContactAttempt.Outcome.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    on = forms.DateField(label=_("When"), required=False, widget=DayInput(),
                         help_text=_("Leave empty for today."))  # fmt: skip
    note = forms.CharField(label=_("Short note"), max_length=cases.NOTE_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class FollowUpForm(forms.Form):
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DayInput(),
                                   help_text=_("Leave empty for no follow-up."))  # fmt: skip
    notes = forms.CharField(
        label=_("Notes: what to ask next time"), max_length=cases.NOTES_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Shown on your call list."),
    )  # fmt: skip


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(label=_("Coordinator"), queryset=Person.objects.none())

    def __init__(self, *args: Any, case: OutreachCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ModelChoiceField)
        # any person number is parsed; the service refuses someone outside the team with its own message
        field.queryset = Person.objects.filter(erased_at__isnull=True)
        field.choices = [(p.pk, f"{p.first_name} {p.last_name}") for p in cases.colleagues(case)]


class PersonForm(forms.Form):
    person = forms.IntegerField(
        label=_("Person number"), min_value=1, max_value=2_147_483_647,
        help_text=_("The number on the person's page, under Residents."),
    )  # fmt: skip


class ConsentForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How did the person give their consent?"), widget=forms.RadioSelect,
        choices=[(m.value, m.label) for m in (Consent.Method.PHONE, Consent.Method.PAPER)],
    )  # fmt: skip
    agreed = forms.BooleanField(label=_("The person agrees, after I read them the text above."), required=True)


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What was offered"), widget=forms.RadioSelect,
        choices=[(k, k.label) for k in (CaseOffer.Kind.CARE_REQUEST, CaseOffer.Kind.BUDDY, CaseOffer.Kind.ACTIVITY)],
    )  # fmt: skip
    care_request = forms.TypedChoiceField(label=_("Request for help"), required=False, coerce=int, empty_value=None)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, requests: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["care_request"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "–")] + [(r.pk, f"{r.pk}: {r.category}") for r in requests]
        self.requests = {r.pk: r for r in requests}


class OfferAnswerForm(forms.Form):
    offer = forms.IntegerField(min_value=1, max_value=2_147_483_647, widget=forms.HiddenInput)
    answer = forms.ChoiceField(label=_("Answer"), choices=CaseOffer.Answer.choices)


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("How does the case end?"), choices=OutreachCase.Outcome.choices,
                                widget=forms.RadioSelect)  # fmt: skip


class CallListForm(forms.Form):
    day = forms.DateField(label=_("Day"), required=False, widget=DayInput())


class TeamLeadForm(forms.Form):
    """An administrator marks a coordinator as team lead of a district or of an organisation."""

    person = forms.IntegerField(
        label=_("Person number of the coordinator"), min_value=1, max_value=2_147_483_647,
        help_text=_("The number on the person's page, under Residents."),
    )  # fmt: skip
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    organisation = forms.ModelChoiceField(label=_("or organisation"), queryset=Organisation.objects.none(),
                                          required=False)  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        organisation = self.fields["organisation"]
        assert isinstance(district, forms.ModelChoiceField) and isinstance(organisation, forms.ModelChoiceField)
        district.queryset = District.objects.defer("geometry").order_by("number")
        organisation.queryset = Organisation.objects.filter(active=True).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("district")) == bool(data.get("organisation")):
            raise forms.ValidationError(_("Choose a district or an organisation."), code="scope")
        return data
