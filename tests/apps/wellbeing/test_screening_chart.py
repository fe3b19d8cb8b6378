"""The chart of screenings over time (``apps/wellbeing/chart_screening.py``): readable without colour."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from apps.wellbeing.chart_screening import Series, line_chart

NS = "{http://www.w3.org/2000/svg}"


def draw(**changes: object) -> str:
    arguments: dict[str, object] = {
        "title": "De Jong Gierveld <6>", "description": "Dezelfde getallen staan in de tabel.",
        "x_labels": ["01/01/2026", "01/04/2026", "01/07/2026"],
        "series": [Series("Totaal", [4, None, 2], "circle"), Series("Emotioneel", [2, 1, 0], "square", "6 4", 16),
                   Series("Sociaal", [2, 2, 2], "triangle", "2 3", 16)],
        "lowest": 0, "highest": 6, "chart_id": "c",
    }  # fmt: skip
    return line_chart(**{**arguments, **changes})  # type: ignore[arg-type]


def test_the_chart_is_well_formed_svg_with_a_title_and_a_description() -> None:
    root = ET.fromstring(draw())
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.find(f"{NS}title").text == "De Jong Gierveld <6>"  # type: ignore[union-attr]  # escaped, read back
    assert root.find(f"{NS}desc").text == "Dezelfde getallen staan in de tabel."  # type: ignore[union-attr]


def test_no_colour_carries_meaning_only_black_white_and_grey() -> None:
    colours = set(re.findall(r'(?:fill|stroke)="([^"]+)"', draw()))
    assert colours <= {"#000", "#fff", "#ccc", "#333", "none"}


def _luminance(colour: str) -> float:
    channels = [int(colour[1 + i], 16) / 15 for i in range(3)]  # "#333": one hex digit per channel
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_text_of_the_chart_has_at_least_the_contrast_wcag_asks_on_its_white_ground() -> None:
    """axe cannot measure text inside an SVG with role="img" (tests/e2e/axe.py): WCAG 1.4.3's ratio, here."""
    root = ET.fromstring(draw())
    texts = list(root.iter(f"{NS}text"))
    assert texts
    for text in texts:
        colour = text.get("fill", "#000")
        ratio = (1.0 + 0.05) / (_luminance(colour) + 0.05)  # on white
        assert ratio >= 4.5, (text.text, colour, ratio)


def test_each_line_has_its_own_marker_and_every_value_is_written() -> None:
    svg = draw()
    root = ET.fromstring(svg)
    # two circles for the total (one value missing) and one in the legend; three squares, three triangles + legend
    assert len(root.findall(f"{NS}circle")) == 2 + 1
    assert len(root.findall(f"{NS}rect")) == 3 + 1
    assert len(root.findall(f"{NS}polygon")) == 3 + 1
    values = [t.text for t in root.findall(f"{NS}text") if t.get("font-weight") == "bold"]
    assert values == ["4", "2", "2", "1", "0", "2", "2", "2"]
    # the total breaks where a value is missing: no line for it (runs of one point), the others one line each
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 2 and {line.get("stroke-dasharray") for line in lines} == {"6 4", "2 3"}


def test_a_higher_value_is_drawn_higher() -> None:
    root = ET.fromstring(draw(series=[Series("Totaal", [6, 0, 3])]))
    ys = [float(c.get("cy") or 0) for c in root.findall(f"{NS}circle")][:3]
    assert ys[0] < ys[2] < ys[1]


def test_one_screening_is_one_point_in_the_middle() -> None:
    root = ET.fromstring(draw(x_labels=["01/01/2026"], series=[Series("Totaal", [3])]))
    assert root.findall(f"{NS}polyline") == [] and len(root.findall(f"{NS}circle")) == 2


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="one value per label"):
        draw(series=[Series("Totaal", [1])])
    with pytest.raises(ValueError, match="highest > lowest"):
        draw(lowest=6, highest=6)
