"""Small counts hidden so they cannot be worked out from the cells and totals shown.

Cases worked out by hand, and random tables checked by solving the table's equations: a hidden cell must not be
determined by them (its unit vector is not in the span of the equations restricted to the hidden cells)."""

from __future__ import annotations

import random
from fractions import Fraction

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


def test_zero_is_shown_but_may_be_hidden_to_protect_a_small_count() -> None:
    assert shown(protect([[0, 4, 40]], column_totals=False)) == ([["x", "<10", "40"]], ["44"], None, None)


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
