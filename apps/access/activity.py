"""What each account did per day, and what stands out: the auditor's activity view (``access:activity``).

Rules stop what they know; this view shows what nobody wrote a rule for yet: a helper who takes and
calls off ten requests in an afternoon, a coordinator who opens eighty files in a day, a thousand wrong
passwords on one account.  It counts, per account and per day (in the city's time zone), each kind of
activity an app registered here, and flags a count that

* reaches the kind's fixed limit (``threshold`` of the source, which the app that registers it declares;
  a deployment overrides it with ``COP_ACTIVITY_<KIND>`` or ``settings.ACTIVITY_THRESHOLDS``), or
* is at least ``ACTIVITY_FACTOR`` times that account's usual day (the median of its days with that
  activity in the ``ACTIVITY_BASELINE_DAYS`` before), or at least ``ACTIVITY_FACTOR`` times the median
  of the others with the same role that day (when at least ``ACTIVITY_MIN_PEERS`` others were active),
  and is at least half the fixed limit (so that 2 against a usual 0 does not count as unusual).

The foundation imports no capability app: each app registers its own sources (``register``), the way
apps register their personal data in ``privacy.py``.  This app registers what it holds itself: reads
and refused attempts from the access log, failed sign-ins from the security events.  Every source counts
in the database (one ``GROUP BY`` over an indexed time range), never row by row in Python.
"""

from __future__ import annotations

import bisect
import functools
import math
import os
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, Count, F, Func, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ActorKey = tuple[int | None, str]
"""Who: an account number, or (for failed sign-ins on no known account) ``None`` and the network's hash."""

Counts = Iterable[tuple[ActorKey, date, int]]


@dataclass(frozen=True)
class ActivitySource:
    """One kind of activity.  ``counts(start, end)`` gives (who, day, how many) for ``start <= at < end``,
    days in the current (the city's) time zone.  ``threshold`` is the fixed daily limit the app proposes;
    the environment's ``COP_ACTIVITY_<KIND>`` and then ``settings.ACTIVITY_THRESHOLDS[kind]`` override it."""

    kind: str
    label: Promise
    explanation: Promise
    counts: Callable[[datetime, datetime], Counts]
    order: int = 100
    threshold: int = 10

    @property
    def env(self) -> str:
        """The environment variable that sets this kind's limit: ``COP_ACTIVITY_TAKES`` for ``takes``."""
        return f"COP_ACTIVITY_{self.kind.upper()}"

    def limit(self) -> int:
        """The deployment's limit for this kind: its settings, then its environment, then the declared one."""
        configured = getattr(settings, "ACTIVITY_THRESHOLDS", {})
        if self.kind in configured:
            return int(configured[self.kind])
        if self.env in os.environ:
            return int(os.environ[self.env])
        return self.threshold


SOURCES: dict[str, ActivitySource] = {}


def register(source: ActivitySource) -> None:
    SOURCES[source.kind] = source


def sources() -> list[ActivitySource]:
    return sorted(SOURCES.values(), key=lambda source: (source.order, source.kind))


def per_day(
    queryset: QuerySet,  # type: ignore[type-arg]
    actor_field: str,
    count: Count,
    field_name: str = "at",
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> Counts:
    """``(account, day, n)`` counted by the database: a helper for the sources of every app.

    Days are the city's (the current time zone).  PostgreSQL converts each time itself (``AT TIME ZONE``);
    SQLite would call back into Python for every row, so there, when the range is given, the time is moved
    by the zone's offset in SQL (``date(at, '+3600 seconds')``), with one offset per stretch between two
    daylight-saving changes of the range (:func:`offsets`).
    """
    if start is not None and end is not None and connection.vendor == "sqlite":
        day: Any = Func(F(field_name), _offset_case(field_name, start, end), function="DATE", output_field=CharField())
    else:
        day = TruncDate(field_name, tzinfo=timezone.get_current_timezone())
    rows = queryset.annotate(day=day).values(actor_field, "day").annotate(n=count).values_list(actor_field, "day", "n")
    for actor, when, n in rows.order_by():
        if n:
            yield (actor, ""), (date.fromisoformat(when) if isinstance(when, str) else when), n


def offsets(start: datetime, end: datetime) -> list[tuple[datetime, int]]:
    """``(from, seconds east of UTC)`` of the current time zone for each stretch of ``start``–``end``."""
    return _offsets(start, end, timezone.get_current_timezone())


@functools.lru_cache(maxsize=32)
def _offsets(start: datetime, end: datetime, zone: tzinfo) -> list[tuple[datetime, int]]:
    moment = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    stretches: list[tuple[datetime, int]] = []
    while moment < end + timedelta(hours=1):
        offset = moment.astimezone(zone).utcoffset()
        seconds = int(offset.total_seconds()) if offset is not None else 0
        if not stretches or stretches[-1][1] != seconds:
            stretches.append((moment, seconds))
        moment += timedelta(hours=1)
    return stretches


def _offset_case(field_name: str, start: datetime, end: datetime) -> Case | Value:
    stretches = offsets(start, end)
    whens = [
        When(**{f"{field_name}__lt": stretches[index + 1][0]}, then=Value(f"{seconds:+d} seconds"))
        for index, (_from, seconds) in enumerate(stretches[:-1])
    ]
    last = Value(f"{stretches[-1][1]:+d} seconds")
    return Case(*whens, default=last, output_field=CharField()) if whens else last


# --- this app's own sources ----------------------------------------------------------------------------


def _reads(start: datetime, end: datetime) -> Counts:
    from .models import AccessLogEntry

    entries = AccessLogEntry.objects.filter(
        at__gte=start,
        at__lt=end,
        outcome=AccessLogEntry.Outcome.ALLOWED,
        action__in=[AccessLogEntry.Action.READ, AccessLogEntry.Action.EXPORT],
        actor_user_id__isnull=False,
        subject_person_id__isnull=False,
    )
    return per_day(entries, "actor_user_id", Count("subject_person_id", distinct=True), start=start, end=end)


def _refused(start: datetime, end: datetime) -> Counts:
    from .models import AccessLogEntry

    entries = AccessLogEntry.objects.filter(at__gte=start, at__lt=end, outcome=AccessLogEntry.Outcome.DENIED)
    return per_day(entries, "actor_user_id", Count("id"), start=start, end=end)


def _failed_logins(start: datetime, end: datetime) -> Counts:
    from .models import SecurityEvent

    events = SecurityEvent.objects.filter(at__gte=start, at__lt=end, kind=SecurityEvent.Kind.FAILED_LOGIN)
    yield from per_day(events.filter(user_id__isnull=False), "user_id", Count("id"), start=start, end=end)
    # on no known account: one line per network, so spraying many addresses from one place stands out
    unknown = events.filter(user_id__isnull=True)
    for (network, _empty), day, n in per_day(unknown, "client_network", Count("id"), start=start, end=end):
        yield (None, network or ""), day, n


def register_own_sources() -> None:
    """Called from ``AccessConfig.ready``; other apps register theirs in their own ``ready``."""
    register(
        ActivitySource(
            "reads",
            _("Persons read"),
            _("How many different persons' sensitive data (such as the help they need) the account opened."),
            _reads,
            order=10,
            threshold=50,
        )
    )
    register(
        ActivitySource(
            "refused",
            _("Refused"),
            _("How many times the rules refused the account something it tried to open or do."),
            _refused,
            order=40,
            threshold=3,
        )
    )
    register(
        ActivitySource(
            "failed_logins",
            _("Failed sign-ins"),
            _(
                "Wrong passwords, codes or second factors typed for the account (or, without a known account, "
                "from one network)."
            ),
            _failed_logins,
            order=50,
            threshold=10,
        )
    )


# --- the report --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    thresholds: dict[str, int]
    factor: int
    baseline_days: int
    min_peers: int

    @classmethod
    def from_settings(cls) -> Rules:
        return cls(
            thresholds={source.kind: source.limit() for source in sources()},
            factor=settings.ACTIVITY_FACTOR,
            baseline_days=settings.ACTIVITY_BASELINE_DAYS,
            min_peers=settings.ACTIVITY_MIN_PEERS,
        )

    def threshold(self, kind: str) -> int:
        return max(1, int(self.thresholds.get(kind, 10)))

    def floor(self, kind: str) -> int:
        """A relative rule flags nothing under half the fixed limit."""
        return max(1, math.ceil(self.threshold(kind) / 2))


@dataclass
class Cell:
    kind: str
    count: int = 0
    threshold: int = 1
    reasons: list[str] = field(default_factory=list)  # "limit", "own", "peers"
    usual: float | None = None  # the account's own usual day (median of its active days before)
    peer_median: float | None = None  # the median of the others with the same role that day

    @property
    def unusual(self) -> bool:
        return bool(self.reasons)


@dataclass
class Row:
    day: date
    user_id: int | None
    network: str
    role: str
    cells: list[Cell]

    @property
    def unusual(self) -> bool:
        return any(cell.unusual for cell in self.cells)

    @property
    def weight(self) -> float:
        """How far above its limit the most unusual count is: the order within the unusual rows."""
        return max((cell.count / cell.threshold for cell in self.cells if cell.unusual), default=0.0)


@dataclass
class Report:
    since: date
    until: date
    rules: Rules
    kinds: list[ActivitySource]
    rows: list[Row]

    @property
    def unusual_rows(self) -> list[Row]:
        return [row for row in self.rows if row.unusual]


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _roles_of(user_ids: set[int]) -> dict[int, str]:
    """Each account's most powerful role now (as the access log writes it), in one query."""
    from apps.people.models import RoleAssignment

    from .actors import Actor, Grant

    grants: dict[int, list[Grant]] = defaultdict(list)
    held = RoleAssignment.objects.filter(
        person__user_id__in=user_ids, withdrawn_at__isnull=True, person__erased_at__isnull=True
    ).values_list("person__user_id", "role")
    for user_id, role in held:
        grants[user_id].append(Grant(role))
    return {user_id: Actor(user_id=user_id, grants=tuple(grants.get(user_id, ()))).main_role() for user_id in user_ids}


def median_without(values: list[int], value: int) -> float:
    """The median of the sorted ``values`` without one occurrence of ``value`` (the account itself)."""
    skip = bisect.bisect_left(values, value)

    def nth(index: int) -> int:
        return values[index] if index < skip else values[index + 1]

    size = len(values) - 1
    middle = size // 2
    return float(nth(middle)) if size % 2 else (nth(middle - 1) + nth(middle)) / 2


def activity_report(*, since: date, until: date, rules: Rules | None = None) -> Report:
    """Every account active between ``since`` and ``until`` (both included), per day, unusual first.

    Each source is asked once, for the period and the ``baseline_days`` before it (the account's usual
    day is read from those); everything after is arithmetic over those per-day totals.
    """
    rules = rules or Rules.from_settings()
    kinds = sources()
    start, end = _start_of(since - timedelta(days=rules.baseline_days)), _start_of(until + timedelta(days=1))
    # counts[(who, day)][kind] and history[(who, kind)] = [(day, n), ...] of the active days
    counts: dict[tuple[ActorKey, date], dict[str, int]] = defaultdict(dict)
    history: dict[tuple[ActorKey, str], list[tuple[date, int]]] = defaultdict(list)
    for source in kinds:
        for who, day, n in source.counts(start, end):
            history[(who, source.kind)].append((day, n))
            if since <= day <= until:
                counts[(who, day)][source.kind] = counts[(who, day)].get(source.kind, 0) + n
    roles = _roles_of({who[0] for who, _day in counts if who[0] is not None})

    def role_of(who: ActorKey) -> str:
        return roles.get(who[0], "account") if who[0] is not None else "anonymous"

    # the role's day: every count of every account of that role, per kind and day, sorted
    by_role: dict[tuple[str, str, date], list[int]] = defaultdict(list)
    for (who, day), per_kind in counts.items():
        for kind, n in per_kind.items():
            by_role[(role_of(who), kind, day)].append(n)
    for values in by_role.values():
        values.sort()

    baseline = timedelta(days=rules.baseline_days)
    limits = {source.kind: rules.threshold(source.kind) for source in kinds}
    floors = {source.kind: rules.floor(source.kind) for source in kinds}
    history_sorted: dict[tuple[ActorKey, str], tuple[list[date], list[int]]] = {}
    for key, active in history.items():
        active.sort()
        history_sorted[key] = ([d for d, _n in active], [n for _d, n in active])
    rows = []
    for (who, day), per_kind in counts.items():
        cells = []
        for source in kinds:
            n = per_kind.get(source.kind, 0)
            cell = Cell(source.kind, n, limits[source.kind])
            if n:
                days, values = history_sorted[(who, source.kind)]
                window = slice(bisect.bisect_left(days, day - baseline), bisect.bisect_left(days, day))
                before = values[window]
                cell.usual = statistics.median(before) if before else None
                peers = by_role[(role_of(who), source.kind, day)]
                cell.peer_median = median_without(peers, n) if len(peers) - 1 >= rules.min_peers else None
                if n >= limits[source.kind]:
                    cell.reasons.append("limit")
                if n >= floors[source.kind]:
                    if cell.usual is not None and n >= rules.factor * cell.usual:
                        cell.reasons.append("own")
                    if cell.peer_median is not None and n >= rules.factor * max(1.0, cell.peer_median):
                        cell.reasons.append("peers")
            cells.append(cell)
        rows.append(Row(day=day, user_id=who[0], network=who[1], role=role_of(who), cells=cells))
    rows.sort(key=lambda row: (not row.unusual, -row.day.toordinal(), -row.weight, row.user_id or 0, row.network))
    return Report(since=since, until=until, rules=rules, kinds=kinds, rows=rows)


def reasons_in_words(report: Report, row: Row) -> list[str]:
    """Why each count of a row stands out, one sentence each (in the current language)."""
    from django.template.defaultfilters import floatformat
    from django.utils.translation import gettext

    from .labels import role_label

    words = []
    for source, cell in zip(report.kinds, row.cells, strict=True):
        values = {
            "kind": source.label,
            "count": cell.count,
            "limit": cell.threshold,
            "factor": report.rules.factor,
            "usual": floatformat(cell.usual, -1),
            "median": floatformat(cell.peer_median, -1),
            "role": role_label(row.role),
        }
        if "limit" in cell.reasons:
            words.append(gettext("%(kind)s: %(count)s, the limit is %(limit)s a day.") % values)
        if "own" in cell.reasons:
            words.append(
                gettext("%(kind)s: %(count)s, at least %(factor)s times this account's usual day (%(usual)s).") % values
            )
        if "peers" in cell.reasons:
            words.append(
                gettext(
                    "%(kind)s: %(count)s, at least %(factor)s times the middle value of the others with the role "
                    "%(role)s that day (%(median)s)."
                )
                % values
            )
    return words
