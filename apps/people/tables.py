"""The tables of the people pages, built as data for the design system's ``{% table %}`` (apps/core/components.py).

A table drawn from data becomes a list of cards on a phone, each value with its column's name, so the persons
list a coordinator searches on a phone is never wider than the phone (issue 14).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core import formats
from apps.core.components import Cell, Column, Table

from .models import Consent, Person, PlaceChange, RoleAssignment

DASH = "–"


def _date(value: object, style: str = "DATE_FORMAT") -> str:
    return date_format(value, style) if value else DASH


def persons(found: list[Person]) -> Table:
    """The residents a coordinator found: name (a link to the person), address, phone, district, organisation."""
    caption = ngettext("%(counter)s resident found", "%(counter)s residents found", len(found)) % {
        "counter": len(found)
    }
    table = Table(
        caption=caption,
        columns=[
            Column(_("Name")),
            Column(_("Address")),
            Column(_("Phone")),
            Column(_("District")),
            Column(_("Organisation")),
        ],
        extra_class="persons-table",
    )
    for person in found:
        table.add(
            Cell(f"{person.last_name}, {person.first_name}", url=reverse("people:person_detail", args=[person.pk])),
            formats.address(person) or DASH,
            formats.phone(person.phone) or DASH,
            person.district.name if person.district else DASH,
            person.organisation.name if person.organisation else DASH,
        )
    return table


def roles(assignments: Iterable[RoleAssignment]) -> Table:
    """My roles, now and before: role, where, since, until."""
    table = Table(
        caption=_("My roles"),
        caption_hidden=True,
        columns=[Column(_("Role")), Column(_("Where")), Column(_("Since")), Column(_("Until"))],
    )
    for role in assignments:
        table.add(
            role.get_role_display(),
            ", ".join(str(name) for name in role.scope_names) or DASH,
            _date(role.granted_at),
            _date(role.withdrawn_at),
        )
    return table


def consent_history(consents: Iterable[Consent]) -> Table:
    """Every consent given and withdrawn: purpose, given, how, text version, withdrawn."""
    table = Table(
        caption=_("History"),
        caption_hidden=True,
        columns=[
            Column(_("Purpose")),
            Column(_("Given")),
            Column(_("How")),
            Column(_("Text version")),
            Column(_("Withdrawn")),
        ],
    )
    for consent in consents:
        table.add(
            consent.get_purpose_display(),
            _date(consent.given_at, "DATETIME_FORMAT"),
            consent.get_method_display(),
            consent.text_version,
            _date(consent.withdrawn_at, "DATETIME_FORMAT"),
        )
    return table


def place_changes(changes: Iterable[PlaceChange]) -> Table:
    """The auditor's changes of home or reach: when, account (a link to that account's changes), whose, what,
    before, after."""
    table = Table(
        caption=_("Changes of home or reach"),
        caption_hidden=True,
        columns=[
            Column(_("When")),
            Column(_("Account")),
            Column(_("Whose")),
            Column(_("What")),
            Column(_("Before")),
            Column(_("After")),
        ],
    )
    for change in changes:
        account = DASH
        url = None
        if change.actor_user_id:
            account = _("Account %(number)s") % {"number": change.actor_user_id}
            url = f"{reverse('people:place_changes')}?account={change.actor_user_id}"
        whose = (
            _("their own")
            if change.actor_person_id == change.person_id
            else _("person %(number)s") % {"number": change.person_id}
        )
        table.add(
            formats.time_element(change.at, "moment"),
            Cell(account, url=url),
            whose,
            change.get_kind_display(),
            change.before or DASH,
            change.after or DASH,
        )
    return table


def reads(entries: Iterable[object]) -> Table:
    """Who read my data: when, who (the helper by first name and initial, a coordinator by first name and
    organisation, other staff by organisation; ``access.selectors.with_reader_names``), what, why, result."""
    from apps.access import labels

    table = Table(
        caption=_("Who read my data"),
        caption_hidden=True,
        columns=[Column(_("When")), Column(_("Who")), Column(_("What")), Column(_("Why")), Column(_("Result"))],
        empty=_("Nobody else has read sensitive data about you."),
    )
    for entry in entries:
        role = labels.role_label(entry.actor_role)  # type: ignore[attr-defined]
        reader = getattr(entry, "reader", "")
        table.add(
            formats.moment(entry.at),  # type: ignore[attr-defined]
            Cell(reader or role, note=role if reader else None),
            entry.get_action_display(),  # type: ignore[attr-defined]
            labels.purpose_label(entry.purpose),  # type: ignore[attr-defined]
            entry.get_outcome_display(),  # type: ignore[attr-defined]
        )
    return table
