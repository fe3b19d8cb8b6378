"""Small counts hidden so they cannot be worked out from the cells and totals shown.

Cases worked out by hand, and random tables checked by solving the table's equations: a hidden cell must not be
determined by them (its unit vector is not in the span of the equations restricted to the hidden cells)."""

from __future__ import annotations

import random
from fractions import Fraction
from typing import Any

import pytest

from domain.disclosure import Protected, Why, protect, share


def shown(table: Protected) -> tuple[list[list[str]], list[str] | None, list[str] | None, str | None]:
    return (
        [[cell.shown() for cell in row] for row in table.cells],
        [cell.shown() for cell in table.row_totals] if table.row_totals else None,
        [cell.shown() for cell in table.column_totals] if table.column_totals else None,
        table.total.shown() if table.total else None,
    )


def test_a_table_without_small_counts_is_shown_whole() -> None:
    assert shown(protect([[12, 30], [0, 45]])) == ([["12", "30"], ["0", "45"]], ["42", "45"], ["12", "75"], "87")


def test_one_small_count_beside_a_total_takes_a_second_cell_with_it() -> None:
    # 5 alone hidden: 25 − 20 gives it back; the smallest other cell goes too
    assert shown(protect([[5, 20, 31]], column_totals=False)) == ([["<10", "x", "31"]], ["56"], None, None)


def test_two_small_counts_in_a_row_protect_each_other() -> None:
    assert shown(protect([[5, 3, 31]], column_totals=False)) == ([["<10", "<10", "31"]], ["39"], None, None)


def test_a_zero_is_not_hidden_to_protect_a_small_count_while_anything_else_can() -> None:
    # hiding the 0 instead of the 40 would leave 4 − t and 0 + t with t ≥ 0: the 4 is at most 4, but not fixed
    assert shown(protect([[0, 4, 40]], column_totals=False)) == ([["0", "<10", "x"]], ["44"], None, None)


def test_zeros_on_both_sides_of_a_cycle_are_avoided() -> None:
    # a quarter with nobody screened (total 0 shown) must not be where the small count hides: its cells are 0
    cells, rows, columns, total = shown(protect([[0, 0, 0], [0, 0, 0], [0, 12, 0], [11, 1, 0]]))
    assert cells[0] == ["0", "0", "0"] and cells[1] == ["0", "0", "0"]
    assert cells[3][1] == "<10" and rows == ["0", "0", "12", "12"]
    hidden = [cell for row in [*cells, columns] for cell in row if cell in {"x", "<10"}]
    assert len(hidden) == 4 and total == "24"


def test_two_small_counts_that_add_up_to_what_is_missing_are_not_left_alone() -> None:
    # 12 − 10 = 2 for the two "<10": each is at least 1, so both would be 1; the 10 is hidden with them
    cells, rows, _columns, _total = shown(protect([[10, 1, 1]], column_totals=False))
    assert cells == [["x", "<10", "<10"]] and rows == ["12"]


def test_a_small_total_is_hidden_with_what_it_is_made_of() -> None:
    first, totals, _columns, _total = shown(protect([[2, 3]], column_totals=False))
    assert first == [["<10", "<10"]] and totals == ["<10"]


def test_without_totals_only_the_small_counts_are_hidden() -> None:
    assert shown(protect([[5, 20]], row_totals=False, column_totals=False)) == ([["<10", "20"]], None, None, None)


def test_a_two_way_table_hides_a_cycle_of_four() -> None:
    cells, rows, columns, total = shown(protect([[5, 20, 30], [12, 14, 3], [40, 41, 42]]))
    assert cells == [["<10", "20", "x"], ["x", "14", "<10"], ["40", "41", "42"]]
    assert rows == ["55", "29", "123"] and columns == ["57", "75", "75"] and total == "207"


def test_shares_only_of_counts_that_are_shown() -> None:
    table = protect([[5, 20, 31]], column_totals=False)
    assert table.row_totals is not None
    assert share(table.cells[0][2], table.row_totals[0]) == 55.4
    assert share(table.cells[0][0], table.row_totals[0]) is None
    assert share(table.cells[0][1], table.row_totals[0]) is None


def test_bad_tables_are_refused() -> None:
    with pytest.raises(ValueError, match="same number"):
        protect([[1, 2], [3]])
    with pytest.raises(ValueError, match="negative"):
        protect([[1, -2]])


def _rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column] / rows[rank][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rank


def _determined(
    counts: list[list[int]], table: Protected, row_totals: bool, column_totals: bool
) -> list[tuple[int, int]]:
    """The hidden cells the shown cells and totals fix exactly."""
    rows, columns = len(counts), len(counts[0])
    grid: dict[tuple[int, int], bool] = {}
    for i, row in enumerate(table.cells):
        for j, cell in enumerate(row):
            grid[(i, j)] = cell.hidden
    if table.row_totals:
        grid.update({(i, columns): cell.hidden for i, cell in enumerate(table.row_totals)})
    if table.column_totals:
        grid.update({(rows, j): cell.hidden for j, cell in enumerate(table.column_totals)})
    if table.total:
        grid[(rows, columns)] = table.total.hidden
    unknowns = sorted(position for position, hidden in grid.items() if hidden)
    index = {position: n for n, position in enumerate(unknowns)}
    equations: list[list[Fraction]] = []
    lines = []
    if row_totals:
        lines += [[(i, j) for j in range(columns)] + [(i, columns)] for i in range(rows + (1 if column_totals else 0))]
    if column_totals:
        lines += [[(i, j) for i in range(rows)] + [(rows, j)] for j in range(columns + (1 if row_totals else 0))]
    for line in lines:
        *parts, total = line
        equation = [Fraction(0)] * len(unknowns)
        for position in parts:
            if position in index:
                equation[index[position]] += 1
        if total in index:
            equation[index[total]] -= 1
        if any(equation):
            equations.append(equation)
    if not equations:
        return []
    base = _rank(equations)
    found = []
    for position in unknowns:
        unit = [Fraction(1 if n == index[position] else 0) for n in range(len(unknowns))]
        if _rank([*equations, unit]) == base:
            found.append(position)
    return found


def _range(counts: list[list[int]], table: Protected, row_totals: bool, column_totals: bool) -> list[tuple[int, int]]:
    """The hidden cells whose smallest and largest possible values are the same, using that counts are never
    negative and that a "<10" is from 1 to 9 (linear programming with OR-Tools' GLOP, its own formulation)."""
    from ortools.linear_solver import pywraplp

    rows, columns = len(counts), len(counts[0])
    cells: dict[tuple[int, int], Any] = {
        (i, j): cell for i, row in enumerate(table.cells) for j, cell in enumerate(row)
    }
    cells.update({(i, columns): cell for i, cell in enumerate(table.row_totals or ())})
    cells.update({(rows, j): cell for j, cell in enumerate(table.column_totals or ())})
    if table.total is not None:
        cells[(rows, columns)] = table.total
    fixed = []
    for target in [position for position, cell in cells.items() if cell.hidden]:
        ends = []
        for sense in (1, -1):
            solver = pywraplp.Solver.CreateSolver("GLOP")
            unknown = {p: solver.NumVar(1 if c.why is Why.SMALL else 0, 9 if c.why is Why.SMALL else 1e9, str(p))
                       for p, c in cells.items() if c.hidden}  # fmt: skip
            value = lambda p, unknown=unknown: unknown[p] if p in unknown else cells[p].value  # noqa: E731
            if row_totals:
                for i in range(rows + (1 if column_totals else 0)):
                    solver.Add(sum(value((i, j)) for j in range(columns)) == value((i, columns)))
            if column_totals:
                for j in range(columns + (1 if row_totals else 0)):
                    solver.Add(sum(value((i, j)) for i in range(rows)) == value((rows, j)))
            solver.Minimize(sense * unknown[target])
            assert solver.Solve() == pywraplp.Solver.OPTIMAL
            ends.append(unknown[target].solution_value())
        if abs(ends[0] - ends[1]) < 0.5:
            fixed.append(target)
    return fixed


@pytest.mark.parametrize("seed", range(4))
def test_no_hidden_cell_of_a_random_table_is_fixed_by_the_bounds_either(seed: int) -> None:
    rng = random.Random(100 + seed)
    for _ in range(25):
        rows, columns = rng.randint(1, 4), rng.randint(1, 4)
        counts = [[rng.choice([0, 0, 1, 2, 3, 9, 10, 11, 25]) for _ in range(columns)] for _ in range(rows)]
        for row_totals, column_totals in ((True, True), (True, False), (False, True)):
            table = protect(counts, row_totals=row_totals, column_totals=column_totals)
            assert _range(counts, table, row_totals, column_totals) == [], (counts, shown(table))


@pytest.mark.parametrize("seed", range(12))
def test_no_hidden_cell_of_a_random_table_can_be_worked_out(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        rows, columns = rng.randint(1, 5), rng.randint(1, 5)
        counts = [[rng.choice([0, 1, 3, 7, 9, 10, 14, 25, 60, 200]) for _ in range(columns)] for _ in range(rows)]
        for row_totals, column_totals in ((True, True), (True, False), (False, True)):
            table = protect(counts, row_totals=row_totals, column_totals=column_totals)
            assert _determined(counts, table, row_totals, column_totals) == [], (counts, shown(table))
            for i, row in enumerate(table.cells):
                for j, cell in enumerate(row):
                    assert cell.value == counts[i][j]
                    assert (cell.why is Why.SMALL) == (0 < counts[i][j] < 10)
            assert all(cell.hidden for cell in table.all_cells if 0 < cell.value < 10)
