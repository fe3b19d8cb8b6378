"""The access log in the API: auditors search it; nobody can change it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from .activity import reasons_in_words
from .actors import actor_for
from .forms import ACTIVITY_MAX_DAYS, period_is_reasonable
from .rules import can
from .selectors import activity_logged, log_search_logged

router = Router(tags=["access log"], auth=django_auth)


class EntryOut(Schema):
    at: datetime
    actor_user_id: int | None
    actor_role: str
    subject_person_id: int | None
    record_type: str
    record_id: str
    action: str
    purpose: str
    outcome: str
    via: str


class MessageOut(Schema):
    detail: str


class LogFilter(Schema):
    subject: int | None = None
    actor: int | None = None
    role: str | None = None
    purpose: str | None = None
    action: str | None = None
    outcome: str | None = None
    since: date | None = None
    until: date | None = None


@router.get("/access-log", response={200: list[EntryOut], 401: MessageOut, 403: MessageOut, 422: MessageOut})
def search_log(request: HttpRequest, filters: Query[LogFilter]) -> Any:
    """As the auditor's page (``views.log_search``): who searched whose reads is itself written down, and so
    is a refused search."""
    allowed = can(actor_for(request), "access.search_log")
    found = log_search_logged(request, filters.dict(), allowed=allowed)
    if not allowed:
        raise HttpError(403, _("Only auditors may search the access log."))
    return list(found[:500])


class ActivityFilter(Schema):
    since: date | None = None
    until: date | None = None
    days: int = 14
    unusual_only: bool = False


class ActivityKindOut(Schema):
    kind: str
    label: str
    limit: int
    explanation: str


class ActivityCellOut(Schema):
    count: int
    unusual: bool
    reasons: list[str]  # "limit", "own" (the account's usual day), "peers" (the median of its role that day)
    usual: float | None
    peer_median: float | None


class ActivityRowOut(Schema):
    day: date
    account: int | None
    network: str  # only for failed sign-ins on no known account: a keyed hash of the network
    role: str
    unusual: bool
    counts: dict[str, ActivityCellOut]
    why: list[str]


class ActivityOut(Schema):
    since: date
    until: date
    factor: int
    baseline_days: int
    min_peers: int
    kinds: list[ActivityKindOut]
    total: int
    unusual: int
    rows: list[ActivityRowOut]


ACTIVITY_API_ROWS = 1000


def wrong_period() -> str:
    return _("Choose a period of at most %(days)s days, the end after the start.") % {"days": ACTIVITY_MAX_DAYS}


@router.get(
    "/access-log/activity",
    response={200: ActivityOut, 401: MessageOut, 403: MessageOut, 422: MessageOut},
)
def access_activity(request: HttpRequest, filters: Query[ActivityFilter]) -> Any:
    """The auditor's activity view as data: per account and day, the count of each kind and what stands out
    (first); at most 1000 rows.  Each call is written to the access log."""
    if not can(actor_for(request), "access.view_activity"):
        raise HttpError(403, _("Only auditors may see the activity of accounts."))
    if (filters.since is None) != (filters.until is None):
        raise HttpError(422, _("Fill in both dates, or neither."))
    if filters.since is not None and filters.until is not None:
        since, until = filters.since, filters.until
        if not period_is_reasonable(since, until) or until < since or (until - since).days >= ACTIVITY_MAX_DAYS:
            raise HttpError(422, wrong_period())
    else:
        if not 1 <= filters.days <= ACTIVITY_MAX_DAYS:
            raise HttpError(422, wrong_period())
        until = timezone.localdate()
        since = until - timedelta(days=filters.days - 1)
    report = activity_logged(request, since=since, until=until)
    rows = report.unusual_rows if filters.unusual_only else report.rows
    return {
        "since": since,
        "until": until,
        "factor": report.rules.factor,
        "baseline_days": report.rules.baseline_days,
        "min_peers": report.rules.min_peers,
        "kinds": [
            {
                "kind": source.kind,
                "label": str(source.label),
                "limit": report.rules.threshold(source.kind),
                "explanation": str(source.explanation),
            }
            for source in report.kinds
        ],
        "total": len(report.rows),
        "unusual": len(report.unusual_rows),
        "rows": [
            {
                "day": row.day,
                "account": row.user_id,
                "network": row.network,
                "role": row.role,
                "unusual": row.unusual,
                "counts": {
                    cell.kind: {
                        "count": cell.count,
                        "unusual": cell.unusual,
                        "reasons": cell.reasons,
                        "usual": cell.usual,
                        "peer_median": cell.peer_median,
                    }
                    for cell in row.cells
                },
                "why": reasons_in_words(report, row),
            }
            for row in rows[:ACTIVITY_API_ROWS]
        ],
    }
