"""Forms of the resident's pages: asking for help, cancelling, saying how it went.

They parse what was typed into plain values and catch what can be told at once (an end before its
start, a date already past) next to the field concerned; the services decide the rest and their
errors are put back on the field they concern (``ASK_ERROR_FIELDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.formats import day_short
from apps.people.consent_texts import CONSENT_TEXTS
from apps.people.forms import LANGUAGES
from apps.people.models import Purpose

from .forms_windows import date_input
from .models import CareCategory, CareRequest, Urgency
from .services import Window

DURATIONS = [
    (30, _("Half an hour")),
    (60, _("1 hour")),
    (90, _("1 hour and a half")),
    (120, _("2 hours")),
    (180, _("3 hours")),
    (240, _("4 hours")),
]

# the service's error codes → the field that shows the message
ASK_ERROR_FIELDS = {
    "consent_missing": "consent",
    "category": "category",
    "urgency": "urgency",
    "duration": "duration_minutes",
    "repeat_until": "repeat_until",
    "windows": "when",
    "window_order": "when",
    "window_past": "when",
    "window_short": "when",
    "address": "address",
    "address_not_found": "address",
    "outside_city": "address",
    "language": "languages",
}

DAY_PARTS = (
    ("morning", _("morning"), "CARE_MORNING"),
    ("afternoon", _("afternoon"), "CARE_AFTERNOON"),
    ("evening", _("evening"), "CARE_EVENING"),
)
"""The parts of a day the resident chooses from, and the setting that says their hours (``capability.py``)."""

MAIN_LANGUAGES = ("nl", "fr", "en")
"""Shown unfolded, beside the person's own, when their profile names no language."""


def day_part_hours(part: str) -> tuple[time, time]:
    """The hours of a part of the day (``"morning"``), as the city set them."""
    setting = next(name for key, _label, name in DAY_PARTS if key == part)
    start, end = getattr(settings, setting)
    return start, end


@dataclass(frozen=True)
class DayCell:
    part: str
    label: str
    choice: forms.BoundWidget | None
    """The checkbox of this part of this day; ``None`` when that part has already ended (today)."""


@dataclass(frozen=True)
class DayRow:
    day: date
    label: str
    cells: list[DayCell]


class CategoryChoiceField(forms.ModelChoiceField):
    """Choices whose label is the category's name in the page's language; professional care says so (the
    request goes to a care service, not to a volunteer)."""

    def label_from_instance(self, obj: CareCategory) -> str:  # type: ignore[override]
        if obj.professional:
            return str(_("%(category)s (by a care professional)") % {"category": obj.name})
        return obj.name


class AskForm(forms.Form):
    """A resident asks for help online: what, where, when (parts of days), how long, in which language, how
    urgent.  Short enough for two phone screens: the choices that rarely change (another address, other
    languages, repeating, a checked helper) are folded, and "when" is a tick per morning, afternoon or evening
    of the coming days instead of times to type.  Each part becomes a time window of its hours (settings
    ``CARE_MORNING``...); parts of one day that touch become one window."""

    category = CategoryChoiceField(
        label=_("What do you need help with?"),
        queryset=CareCategory.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose what you need help with."),
            "invalid_choice": _("Choose one of the kinds of help in the list."),
        },
    )
    description = forms.CharField(
        label=_("Tell us a bit more"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only the coordinator and your helper read this."),
    )
    when = forms.MultipleChoiceField(
        label=_("When can the helper come?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Tick at least one morning, afternoon or evening when the helper may come."),
            "invalid_choice": _("Choose one of the days and parts of the day in the list."),
        },
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("How long?"), choices=DURATIONS, coerce=int, initial=60
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent?"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL
    )
    languages = forms.MultipleChoiceField(
        label=_("In which language?"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    address = forms.CharField(
        label=_("Another address in Ghent"),
        required=False,
        max_length=200,
        help_text=_("Street and house number. Leave empty for your own address."),
    )
    recurrence = forms.ChoiceField(
        label=_("How often?"),
        choices=CareRequest.Recurrence.choices,
        initial=CareRequest.Recurrence.NONE,
        widget=forms.RadioSelect,
    )
    repeat_until = forms.DateField(label=_("Repeat until (only if it repeats)"), required=False, widget=date_input())
    requires_vetted = forms.BooleanField(
        label=_("I want a helper whose certificate of good conduct has been checked"), required=False
    )

    def __init__(
        self, *args: Any, categories: QuerySet[CareCategory], needs_consent: bool,
        own_languages: list[str] | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        """``needs_consent``: the person has not agreed to care matching yet, so the form asks for it;
        ``own_languages``: those of their profile, ticked and shown first (the others are folded)."""
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories  # type: ignore[attr-defined]
        self.own_languages = list(own_languages or [])
        self.days = self._days()
        self.fields["when"].choices = [
            (self._value(day, part), f"{day_short(day)}, {label}") for day, parts in self.days for part, label in parts
        ]
        if needs_consent:
            self.fields["consent"] = forms.BooleanField(
                label=CONSENT_TEXTS[Purpose.CARE_MATCHING][1],
                required=True,
                error_messages={
                    "required": _("Tick this box to agree. Without your agreement we cannot look for a helper.")
                },
            )

    @staticmethod
    def _value(day: date, part: str) -> str:
        return f"{day.isoformat()}:{part}"

    def _days(self) -> list[tuple[date, list[tuple[str, str]]]]:
        """The days offered (``CARE_ASK_DAYS`` from today) with the parts of each that have not ended yet."""
        now = timezone.localtime()
        found = []
        for offset in range(settings.CARE_ASK_DAYS):
            day = now.date() + timedelta(days=offset)
            parts = [
                (key, str(label))
                for key, label, _setting in DAY_PARTS
                if timezone.make_aware(datetime.combine(day, day_part_hours(key)[1])) > now
            ]
            if parts:
                found.append((day, parts))
        return found

    def day_parts(self) -> list[tuple[str, str, str]]:
        """The columns of the "when" grid: (part, its name, its hours as "9–12")."""
        return [(key, str(label), _hours_text(*day_part_hours(key))) for key, label, _setting in DAY_PARTS]

    def day_rows(self) -> list[DayRow]:
        """The rows of the "when" grid: each day with a checkbox per part (none for a part that has ended)."""
        boxes = {widget.data["value"]: widget for widget in self["when"].subwidgets}
        rows = []
        for day, _parts in self.days:
            cells = [
                DayCell(key, f"{day_short(day)}, {label}", boxes.get(self._value(day, key)))
                for key, label, _setting in DAY_PARTS
            ]
            rows.append(DayRow(day, day_short(day), cells))
        return rows

    def language_boxes(self) -> tuple[list[forms.BoundWidget], list[forms.BoundWidget]]:
        """The language checkboxes: the person's own (or Dutch, French and English) first, the others to fold."""
        first = set(self.own_languages or MAIN_LANGUAGES)
        boxes = list(self["languages"].subwidgets)
        return [b for b in boxes if b.data["value"] in first], [b for b in boxes if b.data["value"] not in first]

    def others_open(self) -> bool:
        """Unfold "other languages" when one of them is ticked (or the field has an error)."""
        _own, others = self.language_boxes()
        return bool(self["languages"].errors) or any(box.data["selected"] for box in others)

    def more_open(self) -> bool:
        """Unfold "more choices" when one of them was changed or has an error."""
        names = ("recurrence", "repeat_until", "requires_vetted")
        if any(self[name].errors for name in names):
            return True
        if not self.is_bound:
            return False
        return self.data.get("recurrence", "none") != "none" or bool(self.data.get("requires_vetted"))

    def address_open(self) -> bool:
        return bool(self["address"].errors) or bool(self.is_bound and self.data.get("address", "").strip())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["windows"] = self._windows(data)
        if data.get("recurrence") not in (None, CareRequest.Recurrence.NONE) and not data.get("repeat_until"):
            self.add_error("repeat_until", _("Say until when the help should repeat."))
        return data

    def _windows(self, data: dict[str, Any]) -> list[Window]:
        """The ticked parts as time windows, the touching parts of one day as one; a window shorter than the help
        takes is reported at "when"."""
        chosen = data.get("when") or []
        by_day: dict[date, list[tuple[time, time]]] = {}
        for value in chosen:
            day_text, _sep, part = value.partition(":")
            by_day.setdefault(date.fromisoformat(day_text), []).append(day_part_hours(part))
        windows = []
        for day in sorted(by_day):
            spans: list[list[time]] = []
            for start, end in sorted(by_day[day]):
                if spans and spans[-1][1] >= start:
                    spans[-1][1] = max(spans[-1][1], end)
                else:
                    spans.append([start, end])
            for start, end in spans:
                begin, finish = (timezone.make_aware(datetime.combine(day, moment)) for moment in (start, end))
                windows.append(Window(begin, finish))
        duration = data.get("duration_minutes")
        if duration and any(w.end - w.start < timedelta(minutes=duration) for w in windows):
            self.add_error(
                "when",
                _(
                    "The help takes longer than a part of the day you ticked. Tick the part before or after it too, "
                    "or choose a shorter time."
                ),
            )
        return windows


def _hours_text(start: time, end: time) -> str:
    """``9–12``, or ``9:30–12`` when a part does not start on the hour."""

    def short(moment: time) -> str:
        return f"{moment.hour}" if moment.minute == 0 else f"{moment.hour}:{moment.minute:02d}"

    return f"{short(start)}–{short(end)}"


class CancelRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you cancel? (a few words)"),
        max_length=300,
        error_messages={"required": _("Say in a few words why you cancel.")},
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ResidentFeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("How did it go? (a few words)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    same_helper_again = forms.ChoiceField(
        label=_("I'd like the same helper again"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
    )

    def answer(self) -> bool | None:
        value = self.cleaned_data.get("same_helper_again")
        return {"yes": True, "no": False}.get(value or "")
