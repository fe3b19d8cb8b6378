"""Forms of the referral pages: finding a service, what to pass on with the person's consent, the answers.

Each form checks what a person can fix on the page (a missing reason, a text too long); the services
(``referrals.py``) check again and decide what may happen, so a form never decides who may do what.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.people.models import Consent, Person
from apps.places.models import District

from .models import Referral, ServiceAtLocation
from .referrals import NEED_MAX, REASON_MAX, SHAREABLE, shareable_values, shared_rows


class ServiceSearchForm(forms.Form):
    """Step 1: a service by its name or type of help, in a district."""

    no_optional_marks = True

    q = forms.CharField(
        label=_("Name or type of help"), max_length=100, required=False,
        help_text=_("For example “home nursing”, “meals” or the name of the organisation."),
    )  # fmt: skip
    district = forms.ModelChoiceField(
        label=_("Offered in the district"), queryset=District.objects.order_by("number"), required=False,
        empty_label=_("Any district"),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.order_by("number").defer("geometry")


def location_label(place: ServiceAtLocation) -> str:
    location = place.location
    address = next(iter(location.addresses.all()), None)
    parts = [location.name or location.get_location_type_display()]
    if address is not None:
        parts.append(str(address))
    return " – ".join(parts)


class ReferForm(forms.Form):
    """Step 2: where, what the person needs, what to pass on (each box shows the value that will be sent), and
    the consent for sharing, read to the person."""

    location = forms.ChoiceField(
        label=_("Where"), widget=forms.RadioSelect, required=False,
        error_messages={"invalid_choice": _("Choose one of the places where this service is offered.")},
    )  # fmt: skip
    need = forms.CharField(
        label=_("What the person needs from this service"), max_length=NEED_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The service reads this only if you tick it below. Write only what the service needs to know."),
        error_messages={"required": _("Say what the person needs from the service.")},
    )  # fmt: skip
    shared = forms.MultipleChoiceField(
        label=_("Pass on to the service"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what you tick is sent, exactly as shown. Leave out what the service does not need."),
        error_messages={
            "required": _("Tick at least one piece of information: the service needs to know whom to help.")
        },
    )  # fmt: skip
    consent_method = forms.ChoiceField(
        label=_("How the person gave their consent"), widget=forms.RadioSelect,
        choices=[(Consent.Method.PHONE, Consent.Method.PHONE.label),
                 (Consent.Method.PAPER, Consent.Method.PAPER.label)],
        initial=Consent.Method.PHONE, required=False,
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("I read the consent text to the person and they agree."), required=False,
    )  # fmt: skip

    def __init__(
        self, *args: Any, person: Person, locations: list[ServiceAtLocation], has_consent: bool, need: str = "",
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.person = person
        self.locations = {str(place.pk): place for place in locations}
        self.has_consent = has_consent
        location = self.fields["location"]
        assert isinstance(location, forms.ChoiceField)
        location.choices = [(key, location_label(place)) for key, place in self.locations.items()]
        location.required = bool(self.locations)
        if len(self.locations) == 1:
            location.initial = next(iter(self.locations))
        shared = self.fields["shared"]
        assert isinstance(shared, forms.MultipleChoiceField)
        shared.choices = self._shareable_choices(need)
        if has_consent:
            del self.fields["consent_method"]
            del self.fields["consent"]
        if not self.is_bound and need:
            self.initial.setdefault("need", need)

    def _shareable_choices(self, need: str) -> list[tuple[str, str]]:
        values = shareable_values(self.person, need)
        choices = []
        for key in SHAREABLE:
            if key == "need":
                choices.append((key, str(_("What the person needs (the text above)"))))
                continue
            (label, text), *_rest = shared_rows({key: values[key]})
            choices.append((key, f"{label}: {text}"))
        return choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.has_consent:
            if not cleaned.get("consent"):
                self.add_error("consent", _("Read the consent text to the person; refer only when they agree."))
            if not cleaned.get("consent_method"):
                self.add_error("consent_method", _("Say how the person gave their consent."))
        return cleaned

    def service_at_location(self) -> ServiceAtLocation | None:
        return self.locations.get(self.cleaned_data.get("location") or "")

    def shared_preview(self) -> list[tuple[str, str]]:
        """The rows the service will read, exactly as the organisation's page shows them."""
        values = shareable_values(self.person, self.cleaned_data["need"])
        return shared_rows({key: values[key] for key in self.cleaned_data["shared"]})


class StatusForm(forms.Form):
    """The organisation's answer, or the coordinator's step: one of the statuses offered now, with a note."""

    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect,
                               error_messages={"invalid_choice": _("This step is not possible now.")})  # fmt: skip
    note = forms.CharField(
        label=_("Note or reason"), max_length=REASON_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline: the coordinator reads it and looks for another service."),
    )  # fmt: skip

    def __init__(self, *args: Any, statuses: list[str], labels: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(Referral.Status.choices) | (labels or {})
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [(value, names[value]) for value in statuses]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("status") == Referral.Status.DECLINED and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say why the service cannot help: the coordinator reads it."))
        return cleaned


class ReferralFilterForm(forms.Form):
    """The coordinator's list: by status and by the person's district (never by what was written)."""

    no_optional_marks = True

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Referral.Status.choices])  # fmt: skip
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False,
                                      empty_label=_("Any district"))  # fmt: skip

    def __init__(self, *args: Any, district_ids: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = District.objects.order_by("number").defer("geometry")
        if district_ids is not None:
            found = found.filter(pk__in=district_ids)
        self.fields["district"].queryset = found  # type: ignore[attr-defined]


class IncomingFilterForm(forms.Form):
    no_optional_marks = True

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Referral.Status.choices])  # fmt: skip
