"""The shown position of a request (domain/geo/shown.py): always within the ring, never the house."""

from __future__ import annotations

import math
import random
import secrets

import pytest

from domain.geo import shown

GHENT = (51.0543, 3.7174)
BOUNDS = {"min_m": 250.0, "max_m": 500.0, "grid_m": 100.0}


def test_every_shown_position_lies_in_the_documented_ring_around_the_house() -> None:
    generator = random.Random(1)
    half_diagonal = 100 / math.sqrt(2)
    for _ in range(5000):
        house = (GHENT[0] + generator.uniform(-0.05, 0.05), GHENT[1] + generator.uniform(-0.08, 0.08))
        lat, lon = shown.shown_position(*house, rng=secrets.SystemRandom(), **BOUNDS)
        distance = shown.ground_m(*house, lat, lon)
        assert shown.guaranteed_distance_m(250, 100) - 0.01 <= distance <= 500 + half_diagonal + 0.01
        assert shown.still_fits(*house, lat, lon, **BOUNDS)


def test_snapped_positions_are_cell_centres_of_about_the_grid_size() -> None:
    a = shown.snap(*GHENT, 100)
    assert shown.snap(*a, 100) == pytest.approx(a)  # a centre is its own cell's centre
    north = shown.snap(a[0] + 100 / shown.METRES_PER_DEGREE, a[1], 100)
    east = shown.snap(*shown.shift(a[0], a[1], 100, 0), 100)
    assert shown.ground_m(*a, *north) == pytest.approx(100, abs=0.5)
    assert shown.ground_m(*a, *east) == pytest.approx(100, abs=0.5)
    assert shown.snap(*GHENT, 0) == GHENT


def test_the_offsets_are_spread_over_the_ring_in_every_direction() -> None:
    generator = random.Random(2)
    offsets = [shown.draw_offset(generator, 250, 500) for _ in range(20000)]
    radii = [math.hypot(*o) for o in offsets]
    assert min(radii) >= 250 and max(radii) <= 500
    # uniform over the area: the inner half of the ring's area ends at sqrt((250² + 500²) / 2) ≈ 395 m
    inner = sum(r <= math.sqrt((250**2 + 500**2) / 2) for r in radii) / len(radii)
    assert inner == pytest.approx(0.5, abs=0.02)
    quadrants = [sum((e >= 0, n >= 0) == q for e, n in offsets) for q in ((True, True), (True, False),
                                                                          (False, True), (False, False))]  # fmt: skip
    assert all(abs(count / len(offsets) - 0.25) < 0.02 for count in quadrants)


def test_a_corrected_address_keeps_its_shown_position_a_move_across_town_does_not() -> None:
    house = GHENT
    lat, lon = shown.shown_position(*house, rng=random.Random(3), **BOUNDS)
    few_doors = shown.shift(*house, 30, 0)
    across_town = shown.shift(*house, 3000, 0)
    distance = shown.ground_m(*few_doors, lat, lon)
    expected = shown.guaranteed_distance_m(250, 100) <= distance <= 500 + 100 / math.sqrt(2)
    assert shown.still_fits(*few_doors, lat, lon, **BOUNDS) == expected
    assert not shown.still_fits(*across_town, lat, lon, **BOUNDS)


def test_the_documented_numbers() -> None:
    assert shown.guaranteed_distance_m(250, 100) == pytest.approx(179.3, abs=0.1)
    assert shown.hit_probability_bound(100, 250, 500) == pytest.approx(0.0533, abs=0.0001)
    assert shown.hit_probability_bound(50, 250, 500) == pytest.approx(0.0133, abs=0.0001)
    assert shown.hit_probability_bound(20, 250, 500) == pytest.approx(0.00213, abs=0.00001)
