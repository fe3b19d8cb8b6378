"""Another city loads its own districts; a bad file gives one clear line and changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from apps.places.models import District

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[3.70, 51.00], [3.71, 51.00], [3.71, 51.01], [3.70, 51.01], [3.70, 51.00]]],
}


def write(tmp_path: Path, content: object, name: str = "districts.geojson") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_the_25_districts_of_ghent_are_loaded() -> None:
    assert District.objects.count() == 25
    binnenstad = District.objects.get(number=1)
    assert binnenstad.name == "Binnenstad"
    assert binnenstad.area_km2 == pytest.approx(2.66, abs=0.02)


def test_loading_again_changes_nothing() -> None:
    before = list(District.objects.order_by("number").values_list("number", "name", "slug", "area_km2"))
    call_command("load_districts", verbosity=0)
    after = list(District.objects.order_by("number").values_list("number", "name", "slug", "area_km2"))
    assert before == after


BAD_FILES = {
    "not json": "this is not JSON {",
    "not a feature collection": {"type": "Feature", "geometry": SQUARE, "properties": {"wijk": "A", "wijknr": 1}},
    "no polygons": {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [3.7, 51.0]},
                "properties": {"wijk": "A", "wijknr": 1},
            }
        ],
    },
    "missing name": {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": SQUARE, "properties": {"wijknr": 1}}],
    },
    "empty": {"type": "FeatureCollection", "features": []},
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_gives_one_clear_line_and_changes_nothing(tmp_path: Path, case: str) -> None:
    before = list(District.objects.order_by("number").values_list("number", "name", "geometry"))
    with pytest.raises(CommandError) as raised:
        call_command("load_districts", str(write(tmp_path, BAD_FILES[case])), verbosity=0)
    message = str(raised.value)
    assert "\n" not in message
    assert "districts.geojson" in message
    assert District.objects.count() == 25
    assert list(District.objects.order_by("number").values_list("number", "name", "geometry")) == before


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"nowhere\.geojson"):
        call_command("load_districts", str(tmp_path / "nowhere.geojson"), verbosity=0)


def test_another_city_uses_its_own_property_names(tmp_path: Path) -> None:
    other = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": SQUARE, "properties": {"NAME": "Centrum", "ID": 7}}],
    }
    District.objects.all().delete()
    call_command(
        "load_districts", str(write(tmp_path, other)), "--name-property", "NAME", "--number-property", "ID", verbosity=0
    )
    assert list(District.objects.values_list("number", "name")) == [(7, "Centrum")]
