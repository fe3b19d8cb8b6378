"""Small counts hidden so that no one can work them out again from what is shown (statistical disclosure control).

A count below the threshold (10 by default; 0 is shown: "nobody" says nothing about a person) is shown as "<10".
That alone is not enough: beside a total, one hidden cell is the total minus the others.  So more cells are hidden
(*secondary suppression*) until no hidden cell can be computed from the cells and totals shown.

**When can a hidden cell be computed?**  Each row and each column of a table with its totals is an equation
(the cells add up to the total).  Think of a graph with a node per equation and an edge per hidden cell,
between the two equations it is in (a cell in a table without column totals is in no column equation: that end
is one shared "free" node).  A hidden cell can be computed exactly when its edge is a *bridge* of that graph:
summing the equations on one side of it leaves that cell alone.  When every hidden cell lies on a cycle, each
can be moved up and down along the cycle (+t, −t, +t, …) without changing any total, so no combination of the
equations fixes it.  ``protect`` therefore hides the smallest cell that closes a cycle through each bridge
until there are none (``test_suppression.py`` checks the result by solving the equations).

**Bounds too.**  Counts are never negative and a "<10" is from 1 to 9: two "<10" in a row whose hidden cells add
up to 2 are both 1, with no bridge in sight.  Once no bridge is left, each hidden cell's smallest and largest
possible value is found by linear programming (OR-Tools' GLOP; the equations of a table are totally unimodular,
so these are whole numbers); where they are equal, one more cell of its row or column is hidden, and the whole
check runs again.

What this does not cover: differences between two tables published separately (this month against the whole
year): a page shows one table of a kind, and its totals come from the same table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

THRESHOLD = 10


class Why(Enum):
    SHOWN = "shown"
    SMALL = "small"
    """Hidden because it is small (1 to threshold − 1): shown as "<10"."""
    SECONDARY = "secondary"
    """Hidden so that a small count cannot be worked out (it may be any size)."""


@dataclass(frozen=True)
class Cell:
    value: int
    why: Why

    @property
    def hidden(self) -> bool:
        return self.why is not Why.SHOWN

    def shown(self, threshold: int = THRESHOLD) -> str:
        """ "12", "<10", or "x" for a cell hidden to protect another."""
        if self.why is Why.SMALL:
            return f"<{threshold}"
        if self.why is Why.SECONDARY:
            return "x"
        return str(self.value)


@dataclass(frozen=True)
class Protected:
    """A table with its totals, each cell shown or hidden."""

    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...] | None
    column_totals: tuple[Cell, ...] | None
    total: Cell | None
    """The grand total: present when both kinds of totals are."""

    @property
    def all_cells(self) -> list[Cell]:
        found = [cell for row in self.cells for cell in row]
        found += list(self.row_totals or ()) + list(self.column_totals or ())
        return found + ([self.total] if self.total is not None else [])


# A position in the table with its totals: (row, column); row == rows means the column-totals row, column ==
# columns the row-totals column.
Position = tuple[int, int]
FREE = "free"


def protect(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    threshold: int = THRESHOLD,
) -> Protected:
    """Hide the small counts of a table (and of its totals) and as many more as it takes to keep them hidden."""
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    if any(len(row) != columns for row in counts):
        raise ValueError("every row of the table needs the same number of counts")
    if any(value < 0 for row in counts for value in row):
        raise ValueError("counts cannot be negative")
    values = _with_totals(counts, row_totals, column_totals)
    small = {position for position, value in values.items() if 0 < value < threshold}
    hidden = set(small)
    while True:
        bridge = _a_bridge(hidden, rows, columns, row_totals, column_totals)
        if bridge is not None:
            hidden.add(_closing_cell(bridge, hidden, values, rows, columns, row_totals, column_totals))
            continue
        pinned = _pinned(hidden, small, values, rows, columns, row_totals, column_totals, threshold)
        if pinned is None:
            break
        hidden.add(_widening_cell(pinned, hidden, values, rows, columns, row_totals, column_totals))

    def cell(position: Position) -> Cell:
        why = Why.SMALL if position in small else Why.SECONDARY if position in hidden else Why.SHOWN
        return Cell(values[position], why)

    return Protected(
        cells=tuple(tuple(cell((i, j)) for j in range(columns)) for i in range(rows)),
        row_totals=tuple(cell((i, columns)) for i in range(rows)) if row_totals else None,
        column_totals=tuple(cell((rows, j)) for j in range(columns)) if column_totals else None,
        total=cell((rows, columns)) if row_totals and column_totals else None,
    )


def _with_totals(counts: Sequence[Sequence[int]], row_totals: bool, column_totals: bool) -> dict[Position, int]:
    rows = len(counts)
    columns = len(counts[0]) if rows else 0
    values = {(i, j): int(counts[i][j]) for i in range(rows) for j in range(columns)}
    if row_totals:
        values.update({(i, columns): sum(counts[i]) for i in range(rows)})
    if column_totals:
        values.update({(rows, j): sum(counts[i][j] for i in range(rows)) for j in range(columns)})
    if row_totals and column_totals:
        values[(rows, columns)] = sum(sum(row) for row in counts)
    return values


def _ends(position: Position, rows: int, columns: int, row_totals: bool, column_totals: bool) -> tuple[str, str]:
    """The two equations a cell is in, ``FREE`` where there is none.

    Every cell of row ``i`` (its total too, and the totals row ``rows``) is in row ``i``'s equation when the table
    has row totals; every cell of column ``j`` (the totals column ``columns`` too) in column ``j``'s when it has
    column totals.  ``rows`` and ``columns`` are kept for the signature's symmetry with the callers.
    """
    i, j = position
    return (f"r{i}" if row_totals else FREE, f"c{j}" if column_totals else FREE)


def _a_bridge(hidden: set[Position], rows: int, columns: int, row_totals: bool, column_totals: bool) -> Position | None:
    """A hidden cell whose edge is a bridge of the equations' graph, or None (Tarjan, on a multigraph)."""
    edges = sorted(hidden)
    adjacent: dict[str, list[tuple[str, int]]] = {}
    for number, position in enumerate(edges):
        a, b = _ends(position, rows, columns, row_totals, column_totals)
        if a == b:  # a cell in no equation at all (a table without totals): it is never computable
            continue
        adjacent.setdefault(a, []).append((b, number))
        adjacent.setdefault(b, []).append((a, number))
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    for start in sorted(adjacent):
        if start in order:
            continue
        order[start] = low[start] = len(order)
        stack: list[tuple[str, int, int]] = [(start, -1, 0)]  # node, edge it was reached by, next neighbour
        while stack:
            node, via, next_index = stack[-1]
            if next_index < len(adjacent[node]):
                stack[-1] = (node, via, next_index + 1)
                neighbour, edge = adjacent[node][next_index]
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        return edges[via]
    return None


def _closing_cell(
    bridge: Position,
    hidden: set[Position],
    values: dict[Position, int],
    rows: int,
    columns: int,
    row_totals: bool,
    column_totals: bool,
) -> Position:
    """The cell to hide next: one that joins the two sides of the bridge (so the bridge lies on a cycle).

    Not a zero, if there is any other: a hidden 0 opposite another hidden 0 on a cycle fixes the cycle (counts are
    never negative, so neither can move) and a row of zeros with its total 0 shown hides nothing.  Then a cell
    before a total; then one between two equations that already have hidden cells (it may close a cycle for other
    bridges too, so fewer cells are hidden in all); then the smallest count."""
    rest = hidden - {bridge}
    touched = {end for position in hidden for end in _ends(position, rows, columns, row_totals, column_totals)}
    side = _reachable(_ends(bridge, rows, columns, row_totals, column_totals)[0], rest, rows, columns, row_totals,
                      column_totals)  # fmt: skip
    candidates = []
    for position, value in values.items():
        if position in hidden:
            continue
        a, b = _ends(position, rows, columns, row_totals, column_totals)
        if (a in side) != (b in side):
            is_total = position[0] == rows or position[1] == columns
            candidates.append((value == 0, is_total, -((a in touched) + (b in touched)), value, position))
    if not candidates:  # cannot happen in a full table: every pair of equations shares a cell
        raise AssertionError(f"no cell closes a cycle through {bridge}")
    return min(candidates)[-1]


def _reachable(
    start: str, hidden: set[Position], rows: int, columns: int, row_totals: bool, column_totals: bool
) -> set[str]:
    adjacent: dict[str, set[str]] = {}
    for position in hidden:
        a, b = _ends(position, rows, columns, row_totals, column_totals)
        adjacent.setdefault(a, set()).add(b)
        adjacent.setdefault(b, set()).add(a)
    seen, todo = {start}, [start]
    while todo:
        for neighbour in adjacent.get(todo.pop(), ()):
            if neighbour not in seen:
                seen.add(neighbour)
                todo.append(neighbour)
    return seen


def _pinned(
    hidden: set[Position],
    small: set[Position],
    values: dict[Position, int],
    rows: int,
    columns: int,
    row_totals: bool,
    column_totals: bool,
    threshold: int,
) -> Position | None:
    """A hidden cell whose value the shown cells fix once the bounds are used too, or None.

    No cell is on a bridge any more, so the equations alone fix none; but counts are never negative and a "<10"
    is from 1 to 9: two "<10" in a row whose hidden cells add up to 2 are both 1.  The smallest and largest value
    each hidden cell can take are found by linear programming (the tables' equations are totally unimodular, so
    the bounds found are whole numbers, the same as for whole counts).
    """
    from ortools.linear_solver import pywraplp  # type: ignore[import-untyped]

    lines: list[tuple[list[Position], Position]] = []  # (cells, their total)
    if row_totals:
        lines += [([(i, j) for j in range(columns)], (i, columns)) for i in range(rows + column_totals)]
    if column_totals:
        lines += [([(i, j) for i in range(rows)], (rows, j)) for j in range(columns + row_totals)]
    if not lines:  # a table without totals: nothing to subtract from, and no solver to start
        return None
    solver = pywraplp.Solver.CreateSolver("GLOP")
    unknown = {
        position: solver.NumVar(1 if position in small else 0,
                                threshold - 1 if position in small else solver.infinity(), str(position))
        for position in sorted(hidden)
    }  # fmt: skip
    for parts, total in lines:
        left = sum(unknown[position] if position in unknown else values[position] for position in parts)
        right = unknown[total] if total in unknown else values[total]
        solver.Add(left == right)
    objective = solver.Objective()
    for target, variable in unknown.items():
        found = []
        for sense in (1.0, -1.0):
            objective.Clear()
            objective.SetCoefficient(variable, sense)
            objective.SetMinimization()
            if solver.Solve() != pywraplp.Solver.OPTIMAL:
                break
            found.append(variable.solution_value())
        if len(found) == 2 and abs(found[0] - found[1]) < 0.5:
            return target
    return None


def _widening_cell(
    pinned: Position,
    hidden: set[Position],
    values: dict[Position, int],
    rows: int,
    columns: int,
    row_totals: bool,
    column_totals: bool,
) -> Position:
    """The cell to hide next for a cell the bounds fix: a shown one in the same row or column (its value joins
    the hidden sum there, so the hidden cells can take more values), not a zero, not a total, the smallest."""
    ends = set(_ends(pinned, rows, columns, row_totals, column_totals)) - {FREE}
    candidates = []
    for position, value in values.items():
        if position in hidden:
            continue
        shares_a_line = bool(ends & set(_ends(position, rows, columns, row_totals, column_totals)))
        is_total = position[0] == rows or position[1] == columns
        candidates.append((not shares_a_line, value == 0, is_total, value, position))
    if not candidates:
        raise AssertionError(f"nothing left to hide for {pinned}")
    return min(candidates)[-1]


def share(part: Cell, whole: Cell) -> float | None:
    """A share in percent, only where both counts are shown (a share of hidden counts would tell them)."""
    if part.hidden or whole.hidden or whole.value == 0:
        return None
    return round(100 * part.value / whole.value, 1)
