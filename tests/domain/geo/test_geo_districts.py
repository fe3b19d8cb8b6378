"""District polygons: reading a city's file, point lookup, SVG drawing."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from domain.geo.districts import DistrictFileError, DistrictIndex, haversine_km, load_districts
from domain.geo.svg import Projection

DATA = Path(__file__).resolve().parents[3] / "data" / "gent"
DISTRICTS = load_districts(DATA / "stadswijken-gent.geojson")
INDEX = DistrictIndex(DISTRICTS)


def test_ghent_has_25_districts_covering_about_156_km2() -> None:
    assert len(DISTRICTS) == 25
    assert sum(d.area_km2 for d in DISTRICTS) == pytest.approx(157, abs=2)


@pytest.mark.parametrize("district", DISTRICTS, ids=lambda d: d.name)
def test_each_interior_point_is_in_its_own_district(district: object) -> None:
    lat, lon = district.interior_point  # type: ignore[attr-defined]
    found = INDEX.lookup(lat, lon)
    assert found is not None and found.number == district.number  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lat", "lon"), [(50.8467, 4.3525), (51.2194, 4.4025), (51.3, 2.9), (0.0, 0.0)])
def test_points_outside_the_city(lat: float, lon: float) -> None:
    assert INDEX.lookup(lat, lon) is None


def test_register_addresses_agree_with_the_polygons() -> None:
    with open(DATA / "addresses-crab2014.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["district_nr"]]
    disagreements = 0
    for row in random.Random(3).sample(rows, 2000):
        found = INDEX.lookup(float(row["lat"]), float(row["lon"]))
        disagreements += found is None or found.number != int(row["district_nr"])
    assert disagreements == 0


def test_haversine_one_degree_of_latitude_is_r_times_pi_over_180() -> None:
    assert haversine_km(51.0, 3.7, 52.0, 3.7) == pytest.approx(6371.0088 * 3.141592653589793 / 180, rel=1e-12)
    assert haversine_km(51.0, 3.7, 51.0, 3.7) == 0


SQUARE = {"type": "Polygon", "coordinates": [[[3.7, 51.0], [3.71, 51.0], [3.71, 51.01], [3.7, 51.01], [3.7, 51.0]]]}


def collection(*features: object) -> dict[str, object]:
    return {"type": "FeatureCollection", "features": list(features)}


def feature(geometry: object = SQUARE, **properties: object) -> dict[str, object]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


BAD = {
    "not a collection": ({"type": "Feature"}, "not a GeoJSON FeatureCollection"),
    "no features": (collection(), "no features"),
    "a point": (collection(feature({"type": "Point", "coordinates": [3.7, 51]}, wijk="A", wijknr=1)), "feature 1"),
    "no name": (collection(feature(wijknr=1)), "name property 'wijk'"),
    "no number": (collection(feature(wijk="A")), "number property 'wijknr'"),
    "duplicate": (collection(feature(wijk="A", wijknr=1), feature(wijk="B", wijknr=1)), "used twice"),
    "bow tie": (
        collection(
            feature({"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}, wijk="A", wijknr=1)
        ),
        "invalid",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_files_raise_one_clear_line(case: str) -> None:
    data, expected = BAD[case]
    with pytest.raises(DistrictFileError) as raised:
        load_districts(data)  # type: ignore[arg-type]
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value)


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "x.geojson"
    path.write_text("{oops", encoding="utf-8")
    with pytest.raises(DistrictFileError, match="not JSON"):
        load_districts(path)
    path.write_text(json.dumps([1, 2]), encoding="utf-8")
    with pytest.raises(DistrictFileError, match="FeatureCollection"):
        load_districts(path)


def test_svg_paths_fit_the_view_box() -> None:
    projection = Projection.fit([d.geojson for d in DISTRICTS], width=600)
    width, height = (float(v) for v in projection.view_box.split()[2:])
    for district in DISTRICTS:
        path = projection.path(district.geojson)
        numbers = [float(v) for v in path.replace("M", " ").replace("L", " ").replace("Z", " ").split()]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= 0 and max(xs) <= width and min(ys) >= 0 and max(ys) <= height
