"""The auditor's tables, as data for the design system's ``{% table %}`` (apps/core/components.py): a table on a
wide screen, one card per row on a phone, each value with its column's name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from typing import Any

from django.apps import apps as django_apps
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import formats
from apps.core.components import Cell, Column, Table, Tag

from .activity import Report
from .labels import purpose_label, role_label
from .models import AccessLogEntry

DASH = "–"


def log_entries(entries: Iterable[AccessLogEntry]) -> Table:
    """The access log, newest first: every column an auditor filters or reads, the time in UTC as stored."""
    table = Table(
        caption=_("Access log"),
        caption_hidden=True,
        row_headers=False,
        columns=[
            Column(_("When (UTC)")),
            Column(_("Account")),
            Column(_("Role")),
            Column(_("Whose data")),
            Column(_("Record")),
            Column(_("Action")),
            Column(_("Purpose")),
            Column(_("Outcome")),
            Column(_("Page or endpoint")),
        ],
    )
    for entry in entries:
        table.add(
            entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_user_id or DASH,
            role_label(entry.actor_role),
            entry.subject_person_id or DASH,
            _record(entry.record_type, entry.record_id),
            entry.get_action_display(),
            purpose_label(entry.purpose),
            entry.get_outcome_display(),
            entry.via,
        )
    return table


def _record(record_type: str, record_id: Any) -> Cell:
    """The record in words ("hulpvraag #63"), with its technical name below for comparing with server logs."""
    try:
        name = str(django_apps.get_model(record_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return Cell(f"{record_type} #{record_id}")
    return Cell(f"{name} #{record_id}", note=record_type)


def activity(report: Report, rows: list[dict[str, Any]]) -> Table:
    """Per account and day (rows from ``views.activity_rows``): what it did, what stands out (a tag) and why."""
    table = Table(
        caption=_("Unusual activity"),
        caption_hidden=True,
        columns=[
            Column(_("Day")),
            Column(_("Account")),
            Column(_("Role")),
            *[Column(source.label, numeric=True) for source in report.kinds],
            Column(_("Why it stands out")),
        ],
    )
    log = reverse("access:log_search")
    for row in rows:
        if row["user_id"]:
            iso = row["day"].isoformat()
            account = Cell(
                _("Account %(number)s") % {"number": row["user_id"]},
                url=f"{log}?actor={row['user_id']}&since={iso}&until={iso}",
            )
        elif row["network"]:
            account = Cell(_("No known account, network %(network)s") % {"network": row["network"][:8]})
        else:
            account = Cell(_("Not signed in"))
        counts = [
            Cell(cell["count"], tag=Tag(_("stands out"), "warning") if cell["unusual"] else None)
            for cell in row["cells"]
        ]
        reasons = (
            Cell(template="access/_reasons_cell.html", context={"reasons": row["reasons"]}) if row["reasons"] else DASH
        )
        table.add(
            formats.time_element(row["day"], "day_short"),
            account,
            row["role"],
            *counts,
            reasons,
            highlight=row["unusual"],
        )
    return table
