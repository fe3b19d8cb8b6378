"""The district view of wellbeing (issue 17, item 6): what is waiting and what changes, per district, in counts.

For the coordinators of a district and city staff: open reports of neighbours, open outreach cases by how long
they are open, follow-ups due, screenings done and the share of screened residents in each loneliness category
per quarter (the trend), and the signals of what isolates people by category and status.

Every count goes through ``domain.disclosure.protect``: a count from 1 to 9 is shown as "<10", and as many other
cells of its table are hidden as it takes so that it cannot be worked out from the totals (``docs/disclosure.md``).
A share is shown only where both of its counts are.  Pages of two days must not be subtractable either: the
screenings are shown for quarters that are over, each protected on its own (the same row every day it is shown),
and the open cases by age, which move every day, have no total.  The page reads counts only (never a person, an
answer or a text), so it writes nothing to the access log; what it may show is what a coordinator of the district
may know in aggregate.

Screened residents: per quarter, each person counts once, in the category of their latest screening of that
quarter; an anonymised screening (its person removed by retention) counts as one resident.  Each instrument has
its own categories, so each has its own table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.actors import Actor
from apps.core.components import Column, Table
from apps.people.models import Role
from apps.places.models import District
from domain.disclosure import THRESHOLD, Cell, Protected, protect, share

from .models import OutreachCase, Screening, Signal, WorryReport
from .signals_service import category_codes, category_label

QUARTERS = 4
"""The trend: the last four quarters that are over (a quarter still running changes every day)."""

AGES = (
    (7, gettext_lazy("Less than a week")),
    (28, gettext_lazy("1 to 4 weeks")),
    (91, gettext_lazy("1 to 3 months")),
    (None, gettext_lazy("More than 3 months")),
)
"""Open cases by how long they have been open (days, up to and not including the limit)."""

CATEGORY_NAMES = {
    "not_lonely": gettext_lazy("Not lonely"),
    "moderately_lonely": gettext_lazy("Moderately lonely"),
    "severely_lonely": gettext_lazy("Severely lonely"),
    "very_severely_lonely": gettext_lazy("Very severely lonely"),
    "lonely": gettext_lazy("Lonely"),
}
INSTRUMENT_CATEGORIES = {
    "djg11": ("not_lonely", "moderately_lonely", "severely_lonely", "very_severely_lonely"),
    "djg6": ("not_lonely", "moderately_lonely", "severely_lonely"),
    "ucla3": ("not_lonely", "lonely"),
}
INSTRUMENT_NAMES = {
    "djg11": gettext_lazy("De Jong Gierveld loneliness scale (11 questions)"),
    "djg6": gettext_lazy("De Jong Gierveld loneliness scale (6 questions)"),
    "ucla3": gettext_lazy("UCLA loneliness scale (3 questions)"),
}


def districts_for(actor: Actor) -> list[District]:
    """The districts whose view this actor may open: their own as coordinator, all of them as city staff."""
    if actor.has_role(Role.CITY_STAFF):
        return list(District.objects.order_by("number"))
    return list(District.objects.filter(pk__in=actor.district_scope(Role.COORDINATOR)).order_by("number"))


def shown_count(value: int) -> str:
    """A single count on its own: "<10" from 1 to 9 (there is no total to hide it from)."""
    return f"<{THRESHOLD}" if 0 < value < THRESHOLD else str(value)


@dataclass
class DistrictView:
    district: District
    today: date
    open_reports: str
    follow_ups_due: str
    cases: Table
    screenings: list[Table] = field(default_factory=list)
    signals: Table | None = None


def district_view(district: District, today: date | None = None) -> DistrictView:
    """Everything the page shows for one district, already protected (a fixed number of queries)."""
    today = today or timezone.localdate()
    reports = WorryReport.objects.filter(district=district, status=WorryReport.Status.NEW).count()
    open_cases = OutreachCase.objects.filter(district=district).exclude(status=OutreachCase.Status.CLOSED)
    due = open_cases.filter(follow_up_on__lte=today).count()
    return DistrictView(
        district=district,
        today=today,
        open_reports=shown_count(reports),
        follow_ups_due=shown_count(due),
        cases=_cases_table(list(open_cases.values_list("created_at", flat=True)), today),
        screenings=_screening_tables(district, today),
        signals=_signals_table(district),
    )


def open_cases_count(district: District, today: date | None = None) -> int | None:
    """For the district's coordination view (``DistrictFact``): the open outreach cases of the district, or
    ``None`` when the number would undo this page's protection: the table of open cases by age hides its counts
    from 1 to 9 and has no total, so a total of 10 or more beside a hidden count would tell it.  A total below 10
    is shown as "fewer than 10" by the fact's ``suppress_below``."""
    today = today or timezone.localdate()
    opened = OutreachCase.objects.filter(district=district).exclude(status=OutreachCase.Status.CLOSED)
    counts = [0] * len(AGES)
    for moment in opened.values_list("created_at", flat=True):
        days = (today - timezone.localdate(moment)).days
        counts[next(i for i, (limit, _label) in enumerate(AGES) if limit is None or days < limit)] += 1
    total = sum(counts)
    if total >= THRESHOLD and any(0 < count < THRESHOLD for count in counts):
        return None
    return total


def _cell(cell: Cell) -> str:
    return cell.shown()


def _cases_table(opened: list[datetime], today: date) -> Table:
    """Open cases by age, without a total: cases move from one column to the next every day, so a total beside
    them would let yesterday's and today's pages be subtracted; each count stands alone ("<10" from 1 to 9)."""
    counts = [0] * len(AGES)
    for moment in opened:
        days = (today - timezone.localdate(moment)).days
        index = next(i for i, (limit, _label) in enumerate(AGES) if limit is None or days < limit)
        counts[index] += 1
    protected = protect([counts], row_totals=False, column_totals=False)
    table = Table(
        caption=_("Open outreach cases, by how long they have been open"),
        columns=[Column(_("How long open"))] + [Column(str(label), numeric=True) for _limit, label in AGES],
    )  # fmt: skip
    table.add(_("Cases"), *[_cell(cell) for cell in protected.cells[0]])
    return table


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarters_until(today: date, count: int = QUARTERS) -> list[tuple[int, int]]:
    """The last ``count`` quarters that are over, oldest first (the one that holds ``today`` is not one of them)."""
    year, quarter = quarter_of(today)
    year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    found = []
    for _step in range(count):
        found.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return list(reversed(found))


def quarter_start(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def _screening_tables(district: District, today: date) -> list[Table]:
    quarters = quarters_until(today)
    since = timezone.make_aware(datetime.combine(quarter_start(*quarters[0]), datetime.min.time()))
    year, quarter = quarter_of(today)
    until = timezone.make_aware(datetime.combine(quarter_start(year, quarter), datetime.min.time()))
    # the quarter of each screening worked out by the database (a CASE over the quarters' local bounds): years of
    # screenings are read as small integers, without a date to parse and convert per row
    bounds = [timezone.make_aware(datetime.combine(quarter_start(*q), datetime.min.time())) for q in quarters]
    which = Case(
        *[When(taken_at__gte=start, then=Value(index)) for index, start in reversed(list(enumerate(bounds)))],
        output_field=IntegerField(),
    )
    rows = (
        Screening.objects.filter(district=district, taken_at__gte=since, taken_at__lt=until,
                                 instrument__in=list(INSTRUMENT_CATEGORIES))
        .exclude(category="")
        .annotate(quarter_index=which)
        .order_by("taken_at", "pk")
        .values_list("pk", "person_id", "instrument", "category", "quarter_index")
    )  # fmt: skip
    latest: dict[tuple[str, tuple[int, int], Any], str] = {}
    for pk, person, instrument, category, index in rows:
        who = person if person is not None else f"anonymised-{pk}"  # an anonymised screening: one resident
        latest[(instrument, quarters[index], who)] = category  # later ones win
    counts: dict[str, dict[tuple[int, int], dict[str, int]]] = {}
    for (instrument, quarter, _who), category in latest.items():
        per_category = counts.setdefault(instrument, {}).setdefault(quarter, {})
        per_category[category] = per_category.get(category, 0) + 1
    tables = []
    for instrument, categories in INSTRUMENT_CATEGORIES.items():
        if instrument not in counts:
            continue
        per_quarter = counts[instrument]
        # each quarter protected on its own: a quarter that is over does not change, so its row is the same on
        # every day it is shown (a window of quarters with column totals let two days be subtracted)
        rows_shown = [protect([[per_quarter.get(quarter, {}).get(category, 0) for category in categories]],
                              column_totals=False) for quarter in quarters]  # fmt: skip
        tables.append(_screening_table(instrument, categories, quarters, rows_shown))
    return tables


def _quarter_name(year: int, quarter: int) -> str:
    start = quarter_start(year, quarter)
    end = quarter_start(year + (quarter == 4), quarter % 4 + 1) - timedelta(days=1)
    return _("%(first)s to %(last)s") % {"first": date_format(start, "F Y"), "last": date_format(end, "F Y")}


def _screening_table(instrument: str, categories: tuple[str, ...], quarters: list[tuple[int, int]],
                     rows: list[Protected]) -> Table:  # fmt: skip
    columns = [Column(_("Quarter"))]
    for category in categories:
        columns.append(Column(str(CATEGORY_NAMES[category]), numeric=True))
    columns.append(Column(_("Screened residents"), numeric=True))
    table = Table(caption=str(INSTRUMENT_NAMES[instrument]), columns=columns)
    for quarter, protected in zip(quarters, rows, strict=True):
        assert protected.row_totals is not None
        total = protected.row_totals[0]
        table.add(_quarter_name(*quarter), *[_with_share(cell, total) for cell in protected.cells[0]], _cell(total))
    return table


def _with_share(cell: Cell, whole: Cell) -> str:
    """ "12 (40%)": the share only where both counts are shown."""
    part = share(cell, whole)
    if part is None or cell.value == 0:
        return _cell(cell)
    return _("%(count)s (%(share)s%%)") % {"count": cell.value, "share": number_format(round(part), 0)}


def _signals_table(district: District) -> Table | None:
    rows = (
        Signal.objects.filter(district=district)
        .values_list("category", "status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    found: dict[tuple[str, str], int] = {(category, status): count for category, status, count in rows}
    if not found:
        return None
    statuses = list(Signal.Status)
    present = {category for category, _status in found}
    # the kinds with at least one signal, in the configured order (a row of zeros says nothing and makes the page
    # long on a phone, where each row is a card)
    categories = [code for code in category_codes() if code in present] + sorted(present - set(category_codes()))
    grid = [[found.get((category, status.value), 0) for status in statuses] for category in categories]
    protected = protect(grid)
    assert protected.row_totals is not None and protected.column_totals is not None and protected.total
    table = Table(
        caption=_("Signals of what isolates people, by kind and how far they are"),
        columns=[Column(_("Kind"))] + [Column(str(status.label), numeric=True) for status in statuses]
        + [Column(_("All signals"), numeric=True)],
    )  # fmt: skip
    for category, row, total in zip(categories, protected.cells, protected.row_totals, strict=True):
        table.add(category_label(category), *[_cell(cell) for cell in row], _cell(total))
    table.add(_("All kinds"), *[_cell(cell) for cell in protected.column_totals], _cell(protected.total))
    return table
