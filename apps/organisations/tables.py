"""The tables of the organisation pages, as data for the design system's ``{% table %}`` (apps/core/components.py):
a table on a wide screen, one card per row on a phone."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core import formats
from apps.core.components import Cell, Column, Table, Tag
from apps.people.models import RoleAssignment

from .models import Organisation

DASH = "–"


def organisations(rows: Iterable[Organisation]) -> Table:
    """Name (a link to the organisation), email, phone, whether it is active."""
    table = Table(
        caption=_("Organisations"),
        caption_hidden=True,
        columns=[Column(_("Name")), Column(_("Email")), Column(_("Phone")), Column(_("Active"))],
    )
    for organisation in rows:
        active = Tag(_("yes"), "success") if organisation.active else Tag(_("no"), "neutral")
        table.add(
            Cell(organisation.name, url=reverse("organisations:organisation_detail", args=[organisation.slug])),
            organisation.email or DASH,
            formats.phone(organisation.phone) or DASH,
            Cell(tag=active),
        )
    return table


def staff(organisation: Organisation, assignments: Iterable[RoleAssignment], csrf_token: str) -> Table:
    """Who works here: name, role, since, and a button to withdraw the role (a form in the cell).

    ``{% table %}`` draws its cells without the page's context, so the form's CSRF token is handed to the cell.
    """
    table = Table(
        caption=_("Who works here"),
        caption_hidden=True,
        columns=[Column(_("Name")), Column(_("Role")), Column(_("Since")), Column(_("Withdraw"))],
    )
    action = reverse("organisations:organisation_detail", args=[organisation.slug])
    for assignment in assignments:
        label = _("Withdraw role: %(role)s of %(name)s") % {
            "role": assignment.get_role_display(),
            "name": assignment.person,
        }
        table.add(
            str(assignment.person),
            assignment.get_role_display(),
            date_format(assignment.granted_at, "DATE_FORMAT"),
            Cell(
                template="organisations/_withdraw_role_cell.html",
                context={"action": action, "assignment": assignment.pk, "label": label, "csrf_token": csrf_token},
            ),
        )
    return table
