"""The care pages' tables and status tags, built for the design system (apps/core/components.py).

A view (or a worklist section) hands a ``Table`` to ``{% table table %}``: on a wide screen a table, on a phone a
list of cards with each value after its column's name, so no care page scrolls sideways. The rows read only what
the selectors already loaded (person, category, district, helper): building them adds no query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from apps.core import formats
from apps.core.components import Cell, Column, Table, Tag

from .models import CareRequest, Match, MatchingRound
from .wording import short_name

DASH = "–"

REQUEST_TAGS = {
    CareRequest.Status.OPEN: "warning",
    CareRequest.Status.MATCHED: "info",
    CareRequest.Status.DONE: "success",
    CareRequest.Status.REFERRED: "neutral",
    CareRequest.Status.CANCELLED: "neutral",
}
"""A request's status as a tag: still waiting for a helper asks for attention, found is on its way, done is done."""

MATCH_TAGS = {
    Match.Status.PROPOSED: "warning",
    Match.Status.ACCEPTED: "info",
    Match.Status.PLANNED: "info",
    Match.Status.DONE: "success",
    Match.Status.DECLINED: "neutral",
    Match.Status.CANCELLED: "neutral",
}
"""A helper's match as a tag: waiting for an answer, planned, done, or no longer going on."""

ROUND_TAGS = {
    MatchingRound.Status.QUEUED: "neutral",
    MatchingRound.Status.RUNNING: "info",
    MatchingRound.Status.DONE: "success",
    MatchingRound.Status.FAILED: "error",
}


def request_tag(care_request: CareRequest) -> Tag:
    return Tag(care_request.get_status_display(), REQUEST_TAGS.get(care_request.status, "neutral"))


def match_tag(match: Match) -> Tag:
    return Tag(match.get_status_display(), MATCH_TAGS.get(match.status, "neutral"))


def _phone(number: str | None) -> Cell:
    """A phone number to tap: national format, dialled in E.164."""
    if not number:
        return Cell(DASH)
    return Cell(formats.phone(number), url=formats.tel_uri(number))


def _short_datetime(value: datetime | None) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else DASH


def worklist_requests(key: str, title: str, requests: Iterable[CareRequest], now: datetime | None = None) -> Table:
    """A worklist section of requests: the person (to their request), phone, what, district, urgency, and how
    long it waits (or the day to call back)."""
    follow_ups = key == "follow_ups"
    table = Table(
        title, caption_hidden=True, extra_class="care-worklist",
        columns=[Column(_("Person")), Column(_("Phone")), Column(_("What")), Column(_("District")),
                 Column(_("Urgency")), Column(_("Call back on") if follow_ups else _("Waiting for"))],
    )  # fmt: skip
    for care_request in requests:
        if follow_ups:
            when = date_format(care_request.follow_up_on, "DATE_FORMAT") if care_request.follow_up_on else DASH
        else:
            when = formats.ago(care_request.created_at, now)
        table.add(
            Cell(str(care_request.person), url=reverse("care:request_detail", args=[care_request.pk])),
            _phone(care_request.person.phone), care_request.category.name, care_request.district.name,
            care_request.get_urgency_display(), when,
        )  # fmt: skip
    return table


def worklist_matches(key: str, title: str, matches: Iterable[Match], now: datetime | None = None) -> Table:
    """A worklist section of matches: the person (to the match), phone, what, district, the helper (first name
    and initial) and when it was asked (or when the visit was, for a visit not closed)."""
    overdue = key == "overdue"
    table = Table(
        title, caption_hidden=True, extra_class="care-worklist",
        columns=[Column(_("Person")), Column(_("Phone")), Column(_("What")), Column(_("District")),
                 Column(_("Helper")), Column(_("Visit was on") if overdue else _("Asked"))],
    )  # fmt: skip
    for match in matches:
        care_request = match.request
        table.add(
            Cell(str(care_request.person), url=reverse("care:coordinator_match", args=[match.pk])),
            _phone(care_request.person.phone), care_request.category.name, care_request.district.name,
            short_name(match.helper.person),
            _short_datetime(match.planned_start) if overdue else formats.ago(match.created_at, now),
        )  # fmt: skip
    return table


def rounds(matching_rounds: Iterable[MatchingRound]) -> Table:
    """The recent matching rounds: when (to the round), where, how it went, how many open requests it saw."""
    table = Table(
        _("Recent rounds"), caption_hidden=True,
        columns=[Column(_("Started")), Column(_("Where")), Column(_("Status")),
                 Column(_("Open requests"), numeric=True)],
    )  # fmt: skip
    for matching_round in matching_rounds:
        done = matching_round.status == MatchingRound.Status.DONE
        table.add(
            Cell(_short_datetime(matching_round.created_at), url=reverse("care:round", args=[matching_round.pk])),
            matching_round.district.name if matching_round.district else _("All my districts"),
            Cell(tag=Tag(matching_round.get_status_display(), ROUND_TAGS.get(matching_round.status, "neutral"))),
            matching_round.requests_count if done else DASH,
        )  # fmt: skip
    return table


def checks(rows: Sequence[dict[str, Any]]) -> Table:
    """A helper's checks (vetting): kind, when checked, valid until, whether valid today, who recorded it."""
    table = Table(
        _("Checks recorded"), caption_hidden=True,
        columns=[Column(_("Kind")), Column(_("Checked on")), Column(_("Valid until")), Column(_("Status")),
                 Column(_("Recorded by"))],
    )  # fmt: skip
    for row in rows:
        vetting = row["vetting"]
        if row["expired"]:
            tag = Tag(_("expired"), "error")
        elif row["valid"]:
            tag = Tag(_("valid"), "success")
        else:
            tag = Tag(_("not yet valid"), "neutral")
        table.add(
            vetting.get_kind_display(), date_format(vetting.checked_on, "DATE_FORMAT"),
            date_format(vetting.expires_on, "DATE_FORMAT"), Cell(tag=tag),
            str(vetting.recorded_by) if vetting.recorded_by else DASH,
        )  # fmt: skip
    return table


def rules(lines: Iterable[Any]) -> Table:
    """Why a helper does (not) fit a request: each of the engine's rules, ok or fails, and why."""
    table = Table(
        _("The six rules of the matching engine"), caption_hidden=True,
        columns=[Column(_("Rule")), Column(_("Result")), Column(_("Why"))],
    )  # fmt: skip
    for line in lines:
        tag = Tag(_("ok"), "success") if line.ok else Tag(_("fails"), "error")
        table.add(line.label, Cell(tag=tag), line.detail)
    return table


def resident_tag(care_request: CareRequest, helper: Match | None, proposed: bool) -> Tag:
    """A resident's request in one word beside the sentence that says it in full: waiting for a helper or for an
    answer (warning), a helper found or a visit planned (info), done (success), cancelled or referred (neutral)."""
    if care_request.status in (CareRequest.Status.CANCELLED, CareRequest.Status.REFERRED):
        return request_tag(care_request)
    if care_request.status == CareRequest.Status.DONE:
        return request_tag(care_request)
    if helper is not None and helper.status == Match.Status.PLANNED and helper.planned_start:
        return Tag(Match.Status.PLANNED.label, "info")
    if helper is not None and helper.status == Match.Status.ACCEPTED and not helper.awaiting_check:
        return Tag(CareRequest.Status.MATCHED.label, "info")
    if proposed:
        return Tag(Match.Status.PROPOSED.label, "warning")
    return Tag(CareRequest.Status.OPEN.label, "warning")


# --- the call list -------------------------------------------------------------------------------------------

TICK = "care/coordinator/_tick.html"
"""The cell with a box to tick on paper (print.css)."""


def _calls(title: str, labels: Sequence[str], empty: str, tick: bool = True) -> Table:
    """One section of the call list: the person to call first, their number, what it is about, a box to tick."""
    columns = [Column(label) for label in labels] + ([Column(_("Called"))] if tick else [])
    return Table(title, caption_hidden=True, extra_class="care-calls", columns=columns, empty=empty)


def _call_row(table: Table, who: Any, url: str, phone: str | None, *about: Any) -> None:
    table.add(Cell(str(who), url=url), formats.phone(phone) or DASH, *about, Cell(template=TICK))


def call_list(calls: Any, not_called: list[dict[str, Any]]) -> dict[str, Table]:
    """The call list's tables (a list of cards on a phone, a table on paper), from ``selectors.call_list``."""
    visits = _calls(_("Visits planned that day"), [_("Name"), _("Phone"), _("Time"), _("What"), _("Helper")],
                    _("No visits planned that day."))  # fmt: skip
    for match in calls.visits:
        helper = match.helper.person
        helper_text = str(helper)
        if helper.phone and helper.pk in calls.helpers_by_phone:  # a helper's number only with their consent
            helper_text += f", {formats.phone(helper.phone)}"
        _call_row(
            visits, match.request.person, reverse("care:coordinator_match", args=[match.pk]),
            match.request.person.phone, f"{formats.clock(match.planned_start)}–{formats.clock(match.planned_end)}",
            match.request.category.name, helper_text,
        )  # fmt: skip
    follow_ups = _calls(_("Call back"), [_("Name"), _("Phone"), _("Since"), _("What"), _("Status")],
                        _("Nobody to call back."))  # fmt: skip
    for care_request in calls.follow_ups:
        _call_row(
            follow_ups, care_request.person, reverse("care:request_detail", args=[care_request.pk]),
            care_request.person.phone, formats.day_short(care_request.follow_up_on), care_request.category.name,
            care_request.get_status_display(),
        )  # fmt: skip
    without_helper = _calls(_("No helper fits"), [_("Name"), _("Phone"), _("Asked on"), _("What"), _("Urgency")],
                            _("Nobody without a fitting helper."))  # fmt: skip
    for care_request in calls.without_helper:
        _call_row(
            without_helper, care_request.person, reverse("care:request_detail", args=[care_request.pk]),
            care_request.person.phone, formats.day_short(care_request.created_at), care_request.category.name,
            care_request.get_urgency_display(),
        )  # fmt: skip
    waiting = _calls(_("Helpers who have not answered for two days"),
                     [_("Helper"), _("Phone"), _("Asked on"), _("What"), _("For")],
                     _("No proposals waiting that long."))  # fmt: skip
    for match in calls.waiting:
        _call_row(
            waiting, match.helper.person, reverse("care:coordinator_match", args=[match.pk]),
            match.helper.person.phone, formats.day_short(match.created_at), match.request.category.name,
            str(match.request.person),
        )  # fmt: skip
    apart = _calls(_("Not to be called by phone"),
                   [_("Name"), _("Why not by phone"), _("Preferred contact"), _("For what")], "", tick=False)
    for item in not_called:
        person = item["row"].person
        apart.add(
            Cell(str(person), url=item["url"]), str(item["why"]), person.get_contact_preference_display(),
            str(item["about"]),
        )  # fmt: skip
    return {
        "visits": visits, "follow_ups": follow_ups, "without_helper": without_helper, "waiting": waiting,
        "not_called": apart,
    }  # fmt: skip
