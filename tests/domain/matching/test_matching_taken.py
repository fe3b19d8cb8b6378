"""The one rule of planned visits: two of one helper never overlap; the engine's free time leaves them out."""

from __future__ import annotations

from datetime import datetime

from domain.matching.taken import free_windows, overlapping, overlaps


def at(hour: int, minute: int = 0, day: int = 8) -> datetime:
    return datetime(2026, 12, day, hour, minute)


def test_spans_that_share_an_instant_overlap_and_touching_ones_do_not() -> None:
    assert overlaps((at(10), at(11)), (at(10, 30), at(12)))
    assert overlaps((at(10), at(12)), (at(10, 30), at(11)))
    assert overlaps((at(10), at(11)), (at(10), at(11)))
    assert not overlaps((at(10), at(11)), (at(11), at(12)))
    assert not overlaps((at(11), at(12)), (at(10), at(11)))


def test_overlapping_names_the_earliest_clash() -> None:
    taken = [(at(14), at(15)), (at(9), at(10, 30)), (at(11), at(12))]
    assert overlapping((at(10), at(14, 30)), taken) == (at(9), at(10, 30))
    assert overlapping((at(12), at(14)), taken) is None
    assert overlapping((at(12), at(14)), []) is None


def test_free_windows_cut_out_the_planned_visits() -> None:
    windows = [(at(8), at(20)), (at(8, day=9), at(12, day=9))]
    taken = [(at(10), at(11)), (at(10, 30), at(12)), (at(19), at(21)), (at(7, day=9), at(8, day=9))]
    assert free_windows(windows, taken) == (
        (at(8), at(10)),
        (at(12), at(19)),
        (at(8, day=9), at(12, day=9)),
    )


def test_a_visit_that_fills_a_window_leaves_nothing_of_it() -> None:
    assert free_windows([(at(10), at(11))], [(at(9), at(12))]) == ()
    assert free_windows([(at(10), at(11))], []) == ((at(10), at(11)),)
