"""Community life: the forms of initiatives.  Starting one takes four short steps (what, for whom, where and
when, contact and access) and a last page to check and send; each step is its own form, saved on its own, so a
phone that loses the connection loses one step at most."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.forms import DayInput
from apps.people.forms import LANGUAGES
from apps.people.phones import normalise_phone
from apps.places.models import District, Place

from .models import Event, Initiative, Theme
from .selectors import PublicFilter


def one_line(value: str) -> str:
    """A name on one line: a line break or another control character in a title would break the headers of the
    emails and the lines of the calendar files that carry it (an attacker review)."""
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise forms.ValidationError(_("Write the name on one line, without special characters."), code="one_line")
    return value


class ThemesField(forms.ModelMultipleChoiceField):
    """Themes by id; an id no database column can hold is "not one of the themes", not a server error."""

    def _check_values(self, value: Any) -> Any:
        if any(not str(v).isascii() or not str(v).isdigit() or int(str(v)) > 2**31 - 1 for v in value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": ""})  # fmt: skip
        return super()._check_values(value)


class WhatForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["title", "summary", "organiser", "organiser_name"]
        widgets = {"organiser": forms.RadioSelect, "summary": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "title": _("Short and clear, for example “Language café Brugse Poort”."),
            "summary": _("What happens, and what people can expect. At most 2,000 characters."),
            "organiser_name": _("Optional: the name of your group, association, school or shop."),
        }
        error_messages = {
            "title": {"required": _("Give your initiative a name.")},
            "summary": {"required": _("Say what you do.")},
            "organiser": {"required": _("Choose who runs it.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organiser = self.fields["organiser"]
        assert isinstance(organiser, forms.ChoiceField)
        organiser.choices = Initiative.Organiser.choices  # radio buttons: no "---------" among them

    def clean_title(self) -> str:
        return one_line(self.cleaned_data["title"])


class WhoForm(forms.ModelForm):
    audience = forms.MultipleChoiceField(
        label=_("For whom"), choices=Initiative.Audience.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one group."),
                        "invalid_choice": _("Choose from the groups shown.")},
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False,
        error_messages={"invalid_choice": _("Choose from the languages shown.")},
    )  # fmt: skip
    themes = ThemesField(
        label=_("Themes"), queryset=Theme.objects.none(), widget=forms.CheckboxSelectMultiple, required=False,
        error_messages={"invalid_choice": _("Choose from the themes shown."),
                        "invalid_pk_value": _("Choose from the themes shown.")},
    )  # fmt: skip

    class Meta:
        model = Initiative
        fields = ["audience", "intergenerational", "intercultural", "languages"]
        labels = {
            "intergenerational": _("Young and old meet each other"),
            "intercultural": _("People of different backgrounds meet each other"),
        }
        help_texts = {
            "intergenerational": _("The city especially supports initiatives where generations meet."),
            "intercultural": _("For example newcomers and people who have lived here long."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["themes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Theme.objects.filter(active=True)
        if self.instance.pk and not self.is_bound:
            self.initial["themes"] = list(self.instance.themes.values_list("pk", flat=True))
        self.order_fields(["audience", "intergenerational", "intercultural", "themes", "languages"])


class WhereForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["district", "place", "street", "rhythm", "when_text", "starts_on", "ends_on"]
        widgets = {
            "rhythm": forms.RadioSelect,
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"place": _("In a neighbourhood centre or other place"), "street": _("Or in a street")}
        help_texts = {
            "place": _("Optional. Leave empty when it happens in the street or at someone's home."),
            "street": _("Optional: only the street, no house number."),
            "when_text": _("For example “every Tuesday from 14:00 to 16:00” or “Saturday 21 June, all day”."),
            "starts_on": _("Optional (dd/mm/yyyy)."),
            "ends_on": _("Optional (dd/mm/yyyy)."),
        }
        error_messages = {
            "district": {"required": _("Choose the district."),
                         "invalid_choice": _("Choose one of the districts shown.")},
            "place": {"invalid_choice": _("Choose one of the places shown.")},
            "starts_on": {"invalid": _("Write the date as dd/mm/yyyy.")},
            "ends_on": {"invalid": _("Write the date as dd/mm/yyyy.")},
        }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = District.objects.defer("geometry").order_by("name")
        district.required = True
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = Place.objects.select_related("district").defer("district__geometry").order_by("name")
        place.label_from_instance = lambda p: f"{p.name} ({p.district.name})"  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        district, place = data.get("district"), data.get("place")
        if district is not None and place is not None and place.district_id != district.pk:
            self.add_error("place", _("This place is in %(district)s. Choose that district, or another place.")
                           % {"district": place.district.name})  # fmt: skip
        street = data.get("street") or ""
        if any(ch.isdigit() for ch in street):
            self.add_error("street", _("Only the street, without a house number."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end comes before the start."))
        if data.get("rhythm") != Initiative.Rhythm.ONGOING and not (data.get("when_text") or "").strip() and not starts:
            self.add_error("when_text", _("Say when it happens, or give a start date."))
        return data


class ContactForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["contact_name", "contact_email", "contact_phone", "wheelchair_accessible", "accessibility_note",
                  "costs_note"]  # fmt: skip
        labels = {
            "wheelchair_accessible": _("A wheelchair user can take part"),
            "accessibility_note": _("What else helps people take part?"),
            "costs_note": _("Does it cost anything?"),
        }
        help_texts = {
            "contact_name": _("Only the city sees the contact. It is never on the public page."),
            "contact_email": _("The city writes here about your initiative and its requests."),
            "accessibility_note": _("For example: ground floor, a toilet, sign language, a quiet corner."),
            "costs_note": _("For example “free” or “€2 for soup, free for who cannot pay”."),
        }
        error_messages = {"contact_email": {"invalid": _("Write an email address like name@example.org.")}}

    def clean_contact_phone(self) -> str:
        value = (self.cleaned_data.get("contact_phone") or "").strip()
        if not value:
            return ""
        return normalise_phone(value)  # its own message when it is not a number that exists

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("contact_email") and not data.get("contact_phone") and not self.errors:
            self.add_error("contact_email", _("Give an email address or a phone number, so the city can reach you."))
        return data


STEPS: dict[str, tuple[Any, Any]] = {
    "what": (WhatForm, _("What")),
    "who": (WhoForm, _("For whom")),
    "where": (WhereForm, _("Where and when")),
    "contact": (ContactForm, _("Contact and access")),
}
"""The steps in order: their form and their name in the step list."""


class SendForm(forms.Form):
    commitment = forms.BooleanField(
        label=_("We sign the inclusion commitment."), required=True,
        error_messages={"required": _("Sign the inclusion commitment to send your initiative.")},
    )  # fmt: skip


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is returned"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The starter reads this. Say what they should change."),
        error_messages={"required": _("Say why, so the starter knows what to change."),
                        "max_length": _("At most 1,000 characters.")},
    )  # fmt: skip


class NeedForm(forms.Form):
    what = forms.CharField(
        label=_("What do you need?"), max_length=100,
        help_text=_("For example “chairs”, “soup”, “someone to translate”."),
        error_messages={"required": _("Say what is needed."), "max_length": _("At most 100 characters.")},
    )  # fmt: skip
    wanted = forms.IntegerField(
        label=_("How many?"), min_value=1, max_value=50, initial=1,
        error_messages={"required": _("Say how many."), "invalid": _("Write a number from 1 to 50."),
                        "min_value": _("Write a number from 1 to 50."), "max_value": _("Write a number from 1 to 50.")},
    )  # fmt: skip


TAGS = [("intergenerational", _("Young and old")), ("intercultural", _("Different backgrounds"))]


class FilterForm(forms.Form):
    """The public list's filters (GET).  A value that is not offered is refused with a message, not ignored."""

    words = forms.CharField(label=_("Search"), max_length=100, required=False)
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("All districts"),
        error_messages={"invalid_choice": _("Choose one of the districts shown.")},
    )  # fmt: skip
    theme = forms.ChoiceField(
        label=_("Theme"), required=False, error_messages={"invalid_choice": _("Choose one of the themes shown.")}
    )
    audience = forms.ChoiceField(
        label=_("For whom"), required=False, choices=[("", _("Everyone")), *list(Initiative.Audience.choices)[1:]],
        error_messages={"invalid_choice": _("Choose one of the groups shown.")},
    )  # fmt: skip
    tags = forms.MultipleChoiceField(
        label=_("Meeting"), choices=TAGS, required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose from the options shown.")},
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = District.objects.defer("geometry").order_by("name")
        theme = self.fields["theme"]
        assert isinstance(theme, forms.ChoiceField)
        theme.choices = [("", _("All themes")), *[(t.slug, t.name) for t in Theme.objects.filter(active=True)]]

    def chosen(self) -> PublicFilter:
        if not self.is_bound or not self.is_valid():
            return PublicFilter()
        data = self.cleaned_data
        district = data.get("district")
        return PublicFilter(
            district=district.pk if district else None, theme=data.get("theme") or "",
            audience=data.get("audience") or "", tags=frozenset(data.get("tags") or []),
            words=(data.get("words") or "").strip(),
        )  # fmt: skip


class EventForm(forms.ModelForm):
    """An event of an initiative: what, when (local time; weekly until a date), where (one of the district's places,
    or an address), for whom and in which languages (as the initiative says them), and how many places (empty: no
    registration needed)."""

    audience = forms.MultipleChoiceField(
        label=_("For whom"), choices=Initiative.Audience.choices, widget=forms.CheckboxSelectMultiple, required=False,
        error_messages={"invalid_choice": _("Choose from the groups shown.")},
    )  # fmt: skip
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False,
        error_messages={"invalid_choice": _("Choose from the languages shown.")},
    )  # fmt: skip

    class Meta:
        model = Event
        fields = ["title", "description", "starts_on", "start_time", "duration_minutes", "repeat", "repeat_until",
                  "place", "address", "wheelchair_accessible", "audience", "languages", "capacity"]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "repeat_until": forms.DateInput(attrs={"type": "date"}),
            "repeat": forms.RadioSelect,
        }
        labels = {"starts_on": _("Date (the first date, when it repeats)"), "address": _("Or an address")}
        help_texts = {
            "starts_on": _("dd/mm/yyyy"), "start_time": _("hh:mm, Ghent time"),
            "duration_minutes": _("For example 90 for an hour and a half."),
            "repeat_until": _("Only for a weekly event: the last date (dd/mm/yyyy)."),
            "place": _("Optional: one of the places of the district."),
            "capacity": _("How many people can come. Leave it empty when people can just come, without registering."),
        }  # fmt: skip
        error_messages = {
            "title": {"required": _("Give the event a title.")},
            "starts_on": {"required": _("Give the date."), "invalid": _("Write the date as dd/mm/yyyy.")},
            "start_time": {"required": _("Give the start time."), "invalid": _("Write the time as hh:mm.")},
            "duration_minutes": {"required": _("Say how long it lasts, in minutes."),
                                 "invalid": _("Write a number of minutes."),
                                 "min_value": _("An event lasts from 15 minutes to 24 hours."),
                                 "max_value": _("An event lasts from 15 minutes to 24 hours.")},
            "repeat_until": {"invalid": _("Write the date as dd/mm/yyyy.")},
            "place": {"invalid_choice": _("Choose one of the places shown.")},
            "capacity": {"invalid": _("Write a number of places."),
                         "min_value": _("Give from 1 to 5,000 places, or leave it empty."),
                         "max_value": _("Give from 1 to 5,000 places, or leave it empty.")},
        }  # fmt: skip

    def __init__(self, *args: Any, district: District | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = Place.objects.filter(district=district).order_by("name") if district else Place.objects.none()
        repeat = self.fields["repeat"]
        assert isinstance(repeat, forms.ChoiceField)
        repeat.choices = Event.Repeat.choices

    def clean_title(self) -> str:
        return one_line(self.cleaned_data["title"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("repeat") == Event.Repeat.NONE:
            data["repeat_until"] = None  # a date left in the field of a single event means nothing
        until, first = data.get("repeat_until"), data.get("starts_on")
        if data.get("repeat") == Event.Repeat.WEEKLY and not until:
            self.add_error("repeat_until", _("Say until when it repeats."))
        elif data.get("repeat") == Event.Repeat.WEEKLY and until and first and until < first:
            self.add_error("repeat_until", _("It cannot stop repeating before it starts."))
        if not data.get("place") and not (data.get("address") or "").strip():
            self.add_error("address", _("Choose a place or give an address."))
        return data


class CityEventForm(EventForm):
    """An event of a place or of the city (no initiative), in a district the coordinator or city staff reviews."""

    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), empty_label=None,
        error_messages={"required": _("Choose the district."),
                        "invalid_choice": _("Choose one of the districts shown.")},
    )  # fmt: skip
    field_order = ["district"]

    def __init__(self, *args: Any, districts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = districts if districts is not None else District.objects.none()
        place = self.fields["place"]
        assert isinstance(place, forms.ModelChoiceField)
        place.queryset = Place.objects.filter(district__in=district.queryset).order_by("name")
        place.help_text = _("Optional: one of the places of the district.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        place, district = data.get("place"), data.get("district")
        if place is not None and district is not None and place.district_id != district.pk:
            self.add_error("place", _("Choose a place in the district."))
        return data


class RegisterForm(forms.Form):
    """The date of an occurrence to register for (the button on the event page sends it)."""

    day = forms.DateField(
        error_messages={"required": _("Give the date."), "invalid": _("Write the date as dd/mm/yyyy.")}
    )


class CancelDateForm(forms.Form):
    day = forms.DateField(
        label=_("Cancel one date"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("dd/mm/yyyy"),
        error_messages={"required": _("Give the date."), "invalid": _("Write the date as dd/mm/yyyy.")},
    )  # fmt: skip


class WhatsOnForm(forms.Form):
    """What's on's filters (GET): a value that is not offered is refused with a message, not ignored."""

    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.none(), required=False, empty_label=_("All districts"),
        error_messages={"invalid_choice": _("Choose one of the districts shown.")},
    )  # fmt: skip
    audience = forms.ChoiceField(
        label=_("For whom"), required=False, choices=[("", _("Everyone")), *list(Initiative.Audience.choices)[1:]],
        error_messages={"invalid_choice": _("Choose one of the groups shown.")},
    )  # fmt: skip
    first_day = forms.DateField(
        label=_("From"), required=False, widget=DayInput(), help_text=_("dd/mm/yyyy; empty: from today"),
        error_messages={"invalid": _("Write the date as dd/mm/yyyy.")},
    )  # fmt: skip
    wheelchair = forms.BooleanField(label=_("Only wheelchair accessible"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = District.objects.defer("geometry").order_by("name")

    def clean_first_day(self) -> Any:
        day = self.cleaned_data.get("first_day")
        if day is not None and not -1 <= (day - timezone.localdate()).days <= 5 * 366:
            raise forms.ValidationError(_("Choose a date from today to five years ahead."))
        return day
