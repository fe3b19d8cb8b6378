"""The rows of "when" on a request form, shared by the resident's and the coordinator's: a day, a start and
an end per row, the first row required, parsed into :class:`~apps.care.services.Window`.

Each form names its fields and words its messages (``WindowsForm``'s class attributes); what a row
means, and which mistake is shown at which field, is decided here once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.forms import ClockInput, DayInput

from .services import Window

WINDOW_ROWS = 3
"""Rows for "when" on a form: enough for most requests, and the form needs no JavaScript to add one."""

PARTS = ("date", "start", "end")


def date_input() -> forms.DateInput:
    return DayInput()


def time_input() -> forms.TimeInput:
    return ClockInput()


class WindowsForm(forms.Form):
    """A form with ``WINDOW_ROWS`` rows of "when": call ``add_window_fields`` in ``__init__`` and
    ``clean_windows`` in ``clean``; ``window_rows`` gives the template its rows."""

    window_field_name: ClassVar[str]
    """The name of a row's field, from ``row`` (1, 2, 3) and ``part`` (``date``, ``start`` or ``end``)."""
    window_required_messages: ClassVar[dict[str, Promise]] = {}
    """The message when the first row's day (``date``) or a time (``time``) is left out; Django's by default."""
    window_incomplete: ClassVar[Promise]
    """A row with some but not all of its fields filled in."""
    window_incomplete_at_every_field: ClassVar[bool]
    """Show ``window_incomplete`` at every empty field of the row, or only at the first one."""
    window_ends_before_start: ClassVar[Promise]
    window_past: ClassVar[Promise]
    window_default_duration: ClassVar[int] = 0
    """The duration checked when none was chosen (0: none is checked)."""

    def window_too_short(self, duration: int) -> str:
        """The message for a row shorter than the ``duration`` (minutes) the help takes."""
        raise NotImplementedError

    def window_names(self, row: int) -> list[str]:
        return [self.window_field_name.format(row=row, part=part) for part in PARTS]

    def add_window_fields(self) -> None:
        for row in range(1, WINDOW_ROWS + 1):
            required = row == 1
            day, start, end = self.window_names(row)
            self.fields[day] = forms.DateField(
                label=_("Day"), required=required, widget=date_input(), error_messages=self._required("date")
            )
            self.fields[start] = forms.TimeField(
                label=_("From"), required=required, widget=time_input(), error_messages=self._required("time")
            )
            self.fields[end] = forms.TimeField(
                label=_("Until"), required=required, widget=time_input(), error_messages=self._required("time")
            )

    def _required(self, part: str) -> dict[str, Promise]:
        message = self.window_required_messages.get(part)
        return {} if message is None else {"required": message}

    def window_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField, forms.BoundField]]:
        """The rows of "when", for the template: (number, day, from, until)."""
        found = []
        for row in range(1, WINDOW_ROWS + 1):
            day, start, end = (self[name] for name in self.window_names(row))
            found.append((row, day, start, end))
        return found

    def clean_windows(self, data: dict[str, Any]) -> list[Window]:
        """The filled-in rows as aware datetimes; each mistake is reported at its row."""
        now = timezone.now()
        duration = data.get("duration_minutes") or self.window_default_duration
        windows: list[Window] = []
        for row in range(1, WINDOW_ROWS + 1):
            names = self.window_names(row)
            if any(name in self.errors for name in names):
                continue
            day, start, end = (data.get(name) for name in names)
            if day is None and start is None and end is None:
                continue
            missing = [name for name, value in zip(names, (day, start, end), strict=True) if value is None]
            if missing:
                for name in missing if self.window_incomplete_at_every_field else missing[:1]:
                    self.add_error(name, self.window_incomplete)
                continue
            assert isinstance(day, date) and isinstance(start, time) and isinstance(end, time)
            begin = timezone.make_aware(datetime.combine(day, start))
            finish = timezone.make_aware(datetime.combine(day, end))
            if finish <= begin:
                self.add_error(names[2], self.window_ends_before_start)
            elif finish <= now:
                self.add_error(names[0], self.window_past)
            elif duration and finish - begin < timedelta(minutes=duration):
                self.add_error(names[2], self.window_too_short(duration))
            else:
                windows.append(Window(begin, finish))
        return windows
