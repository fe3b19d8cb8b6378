"""Forms of the helper's pages: the offer, times away, and the answers to a match.

Made for a phone and for no JavaScript: the free moments of the week are rows of (day, from, until),
with an "add a row" button that simply sends the form back one row longer.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.people.consent_texts import CONSENT_TEXTS
from apps.people.forms import LANGUAGES
from apps.people.models import Purpose

from .forms_resident import YES_NO
from .forms_windows import date_input, time_input
from .models import CareCategory, HelperOffer, WeeklyAvailability
from .services import Slot

MIN_ROWS, MAX_ROWS = 3, 21

DISTANCES = [
    ("0.5", _("500 metres: a few streets")),
    ("1.0", _("1 km: my neighbourhood")),
    ("2.0", _("2 km")),
    ("3.0", _("3 km")),
    ("5.0", _("5 km: by bike")),
    ("10.0", _("10 km")),
]

OFFER_ERROR_FIELDS = {
    "kind": "kind",
    "categories": "categories",
    "professional": "categories",
    "slots": "day_0",
    "slot_order": "day_0",
    "distance": "max_distance_km",
    "capacity": "requests_per_week",
    "languages": "languages",
    "language": "languages",
}
AWAY_ERROR_FIELDS = {"order": "last_day", "past": "last_day"}
PLAN_ERROR_FIELDS = {"window_order": "end", "window_past": "day", "too_long": "end", "overlap": "start"}
DONE_ERROR_FIELDS = {"hours": "hours"}


class NamedCategories(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CareCategory) -> str:  # type: ignore[override]
        return obj.name


def rows_wanted(data: QueryDict | None, slots: int) -> int:
    """How many (day, from, until) rows to show: what was sent, one more when "add a row" was pressed."""
    if data is None:
        return max(MIN_ROWS, slots + 1)
    try:
        rows = int(data.get("rows", MIN_ROWS))
    except ValueError:
        rows = MIN_ROWS
    if "add_row" in data:
        rows += 1
    return min(MAX_ROWS, max(MIN_ROWS, rows))


class OfferForm(forms.Form):
    """Sign up as a helper, or change the offer: what, when, how far, how often, which languages, as whom."""

    categories = NamedCategories(
        label=_("What can you help with?"),
        queryset=CareCategory.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of help.")},
    )
    max_distance_km = forms.TypedChoiceField(
        label=_("How far will you go?"), choices=DISTANCES, coerce=Decimal, initial="2.0", widget=forms.RadioSelect
    )
    requests_per_week = forms.IntegerField(
        label=_("How many requests a week, at most?"),
        min_value=1,
        max_value=20,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Which languages do you speak?"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language you speak.")},
    )
    kind = forms.ChoiceField(
        label=_("How do you help?"),
        choices=HelperOffer.Kind.choices,
        initial=HelperOffer.Kind.NEIGHBOUR,
        widget=forms.RadioSelect,
    )
    active = forms.BooleanField(label=_("I am available for new requests"), required=False, initial=True)

    def __init__(
        self, *args: Any, categories: QuerySet[CareCategory], rows: int, needs_consent: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.fields["categories"].queryset = categories  # type: ignore[attr-defined]
        distance = self.initial.get("max_distance_km")
        if distance and distance not in dict(DISTANCES):  # a distance a coordinator set stays choosable
            field = self.fields["max_distance_km"]
            field.choices = [*DISTANCES, (distance, _("%(km)s km") % {"km": distance})]  # type: ignore[attr-defined]
        days = [("", _("– no day –")), *WeeklyAvailability.Weekday.choices]
        for row in range(rows):
            self.fields[f"day_{row}"] = forms.TypedChoiceField(
                label=_("Day"), choices=days, coerce=int, required=False, empty_value=None
            )
            self.fields[f"start_{row}"] = forms.TimeField(label=_("From"), required=False, widget=time_input())
            self.fields[f"end_{row}"] = forms.TimeField(label=_("Until"), required=False, widget=time_input())
        if needs_consent:
            self.fields["consent"] = forms.BooleanField(
                label=CONSENT_TEXTS[Purpose.LISTED_AS_HELPER][1],
                error_messages={"required": _("Tick this box to agree; otherwise coordinators cannot ask you.")},
            )

    def slot_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [(row + 1, self[f"day_{row}"], self[f"start_{row}"], self[f"end_{row}"]) for row in range(self.rows)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        slots: list[Slot] = []
        for row in range(self.rows):
            names = (f"day_{row}", f"start_{row}", f"end_{row}")
            if any(name in self.errors for name in names):
                continue
            day, start, end = (data.get(name) for name in names)
            if day is None and start is None and end is None:
                continue
            if day is None or start is None or end is None:
                missing = next(name for name, value in zip(names, (day, start, end), strict=True) if value is None)
                self.add_error(missing, _("Fill in the day, from and until, or leave the whole row empty."))
            elif end <= start:
                self.add_error(f"end_{row}", _("The end time comes before the start time."))
            else:
                slots.append(Slot(day, start, end))
        if not slots and not any(
            f"{name}_{row}" in self.errors for name in ("day", "start", "end") for row in range(self.rows)
        ):
            self.add_error("day_0", _("Give at least one moment in the week when you are free."))
        data["slots"] = slots
        return data


class AwayForm(forms.Form):
    no_optional_marks = True  # the note's label says "(optional)" itself
    first_day = forms.DateField(label=_("From"), widget=date_input())
    last_day = forms.DateField(label=_("Until and including"), widget=date_input())
    note = forms.CharField(label=_("Note for yourself (optional)"), required=False, max_length=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day comes before the first day."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why? (a few words)"),
        max_length=300,
        error_messages={"required": _("Say briefly why, so the coordinator can find someone else.")},
    )


class PlanForm(forms.Form):
    """The day and time agreed with the person; it must lie in the future."""

    end_before_start = _("The end time comes before the start time.")
    in_the_past = _("This moment has already passed. Choose a day in the future.")

    day = forms.DateField(label=_("Day"), widget=date_input())
    start = forms.TimeField(label=_("From"), widget=time_input())
    end = forms.TimeField(label=_("Until"), widget=time_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day is None or start is None or end is None:
            return data
        data["start_at"] = timezone.make_aware(datetime.combine(day, start))
        data["end_at"] = timezone.make_aware(datetime.combine(day, end))
        if data["end_at"] <= data["start_at"]:
            self.add_error("end", self.end_before_start)
        elif data["start_at"] <= timezone.now():
            self.add_error("day", self.in_the_past)
        return data


class DoneForm(forms.Form):
    """After the visit: how long it took, a short word, and whether the helper would come again."""

    hours = forms.DecimalField(
        label=_("How many hours did you help?"),
        min_value=Decimal("0.25"),
        max_value=Decimal("12"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
        help_text=_("For example 1.5 for an hour and a half."),
    )
    feedback = forms.CharField(label=_("How did it go? (a few words)"), required=False, max_length=500)
    would_come_again = forms.ChoiceField(
        label=_("I would come again"), choices=YES_NO, required=False, widget=forms.RadioSelect
    )

    def answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("would_come_again") or "")


class AttestationForm(forms.Form):
    """The period of an attestation of volunteer hours (sent with GET: the attestation is a page to print)."""

    first_day = forms.DateField(label=_("From"), widget=date_input())
    last_day = forms.DateField(label=_("Until and including"), widget=date_input())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day comes before the first day."))
        if first and first.year < 2000:
            self.add_error("first_day", _("Choose a day from the year 2000 on."))
        if last and last > timezone.localdate() + timedelta(days=366):
            self.add_error("last_day", _("Choose a day within the coming year."))
        return data
