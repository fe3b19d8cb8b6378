"""The form renderer: every Django form on the site is drawn by the design system's templates.

Why a renderer rather than a template per page: a field, its label, its hint and its error are one component
(``components/field.html``), so a checkbox can never drift away from its label again and ``aria-describedby``
always points at ids the same template writes. Pages render ``{{ form }}`` or ``{{ form.name.as_field_group }}``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class CityFormRenderer(TemplatesSetting):
    """Django's renderer with the project's templates (a theme may override them, they go through TEMPLATES)."""

    form_template_name = "components/form.html"
    formset_template_name = "components/formset.html"
    field_template_name = "components/field.html"


class DayInput(forms.DateInput):
    """A day typed as a Belgian writes it, ``31/12/2026`` (ISO and other day-first forms are read too).

    Why not the browser's own date box: it follows the browser's language, not the page's, so an English browser
    shows ``12/07/2026`` for 7 December to a Dutch reader. The label says the format (components/field.html).
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {"inputmode": "numeric", "autocomplete": "off", "size": 10, **(attrs or {})}
        super().__init__(attrs, format="%d/%m/%Y")


class ClockInput(forms.TimeInput):
    """A time on the 24-hour clock, ``14:30``: the browser's own time box shows ``02:30 PM`` in an English browser."""

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "numeric", "autocomplete": "off", "size": 5, **(attrs or {})}, format="%H:%M")
