"""The form renderer: every Django form on the site is drawn by the design system's templates.

Why a renderer rather than a template per page: a field, its label, its hint and its error are one component
(``components/field.html``), so a checkbox can never drift away from its label again and ``aria-describedby``
always points at ids the same template writes. Pages render ``{{ form }}`` or ``{{ form.name.as_field_group }}``.
"""

from __future__ import annotations

from django.forms.renderers import TemplatesSetting


class CityFormRenderer(TemplatesSetting):
    """Django's renderer with the project's templates (a theme may override them, they go through TEMPLATES)."""

    form_template_name = "components/form.html"
    formset_template_name = "components/formset.html"
    field_template_name = "components/field.html"
