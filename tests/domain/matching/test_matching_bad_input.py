"""Broken problems, made by mutating valid ones (hypothesis): ``parse_problem`` raises a one-line
``ProblemError`` naming the record and field, and ``cityofpeople match solve`` exits 2 with that one line on
stderr and writes nothing (an old solution at the output path is removed, never left stale)."""

from __future__ import annotations

import copy
import json
import math
import random
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.matching import ProblemError, loads_problem, parse_problem
from tests.domain.matching.instances import small_problem
from tests.domain.matching.support import run_cli

REQUEST_FIELDS = (
    "id",
    "lat",
    "lon",
    "category",
    "duration_minutes",
    "windows",
    "languages",
    "priority",
    "requires_vetted",
)
HELPER_FIELDS = ("id", "lat", "lon", "categories", "windows", "languages", "max_distance_km", "capacity", "vetted")

# field -> values of a wrong type (JSON-representable)
WRONG_TYPES: dict[str, list[Any]] = {
    "id": [7, None, ["r1"], True],
    "lat": ["51.05", None, True, [51.05]],
    "lon": ["3.72", None, False, {"deg": 3.72}],
    "category": [3, None, ["shopping"]],
    "categories": ["shopping", [1], None, [None]],
    "duration_minutes": ["60", None, True],
    "windows": ["2026-11-24T09:00", {}, [["2026-11-24T09:00"]], ["2026-11-24T09:00", "2026-11-24T10:00"], None],
    "languages": ["nl", [1], None, [["nl"]]],
    "priority": [2.5, "3", True, None, 3.5],
    "requires_vetted": ["false", 0, None],
    "preferred_helpers": ["h1", [3], [None], {"h1": True}, [["h1"]]],
    "excluded_helpers": ["h1", [2.0], [False]],
    "max_distance_km": ["3", None, True],
    "capacity": [1.5, "2", True, None],
    "vetted": ["yes", 1, None],
}
OUT_OF_RANGE: dict[str, list[Any]] = {
    "lat": [90.5, -91, 1e6],
    "lon": [181, -180.5, 360],
    "priority": [0, 6, -1, 100],
    "duration_minutes": [-5, -0.5],
    "capacity": [-1],
    "max_distance_km": [-0.1, -1],
}
BAD_TIMES = [
    "2026-13-01T09:00",
    "2026-02-30T09:00",
    "2026-11-24T25:00",
    "2026-11-24T09:61",
    "tomorrow",
    "2026-11-24T09:00Z",
    "2026-11-24T09:00+01:00",
    "24/11/2026 09:00",
    "",
]


@dataclass
class Broken:
    """A mutated problem: its JSON text, and what the error must name."""

    text: str
    data: Any  # None when the text is not JSON at all
    record: str | None  # "requests[1]", "helpers[0]", "problem"; None for JSON syntax
    field: str | None
    what: str


@dataclass(frozen=True)
class Spec:
    """One way to break one field of a request or a helper."""

    kind: str  # "requests" or "helpers"
    how: str  # "missing", "wrong type", "out of range", "bad time", "swapped window"
    field: str
    value: Any = None

    def __str__(self) -> str:
        return f"{self.kind}.{self.field} {self.how} {json.dumps(self.value, allow_nan=True)}"


def _specs() -> list[Spec]:
    specs = []
    for kind, fields in (("requests", REQUEST_FIELDS), ("helpers", HELPER_FIELDS)):
        specs += [Spec(kind, "missing", name) for name in fields]
        for name in fields + (("preferred_helpers", "excluded_helpers") if kind == "requests" else ()):
            specs += [Spec(kind, "wrong type", name, value) for value in WRONG_TYPES[name]]
            specs += [Spec(kind, "out of range", name, value) for value in OUT_OF_RANGE.get(name, [])]
        specs += [Spec(kind, "bad time", "windows", value) for value in BAD_TIMES]
        specs.append(Spec(kind, "swapped window", "windows"))
    return specs


SPECS = _specs()


def apply(spec: Spec, data: dict[str, Any], index: int, window: int = 0, end: int = 0) -> Broken:
    """Break ``spec.field`` of record ``index`` (of ``window``/``end`` for times) in ``data``, in place."""
    record = data[spec.kind][index]
    label = f"{spec.kind}[{index}]"
    if spec.how == "missing":
        del record[spec.field]
    elif spec.how in ("wrong type", "out of range"):
        record[spec.field] = copy.deepcopy(spec.value)
    elif spec.how == "bad time":
        windows = record["windows"] or [["2026-11-24T09:00", "2026-11-24T10:00"]]  # a helper may have none
        windows[window % len(windows)][end] = spec.value
        record["windows"] = windows
    else:
        proper = [w for w in record["windows"] if w[0] < w[1]]
        if proper:
            proper[window % len(proper)].reverse()
        else:
            record["windows"].append(["2026-11-24T10:00", "2026-11-24T09:59"])
    return Broken(json.dumps(data), data, label, spec.field, f"{label}: {spec}")


def _records(data: dict[str, Any], draw: Any) -> tuple[str, int, dict[str, Any]]:
    kind = draw(st.sampled_from(["requests", "helpers"]))
    index = draw(st.integers(0, len(data[kind]) - 1))
    return kind, index, data[kind][index]


def _field_mutation(data: dict[str, Any], draw: Any) -> Broken:
    spec = draw(st.sampled_from(SPECS))
    if spec.how == "bad time" and draw(st.booleans()):
        spec = Spec(spec.kind, spec.how, spec.field, draw(st.text(max_size=12)) + "x")
    index = draw(st.integers(0, len(data[spec.kind]) - 1))
    return apply(spec, data, index, draw(st.integers(0, 3)), draw(st.integers(0, 1)))


def _duplicate_id(data: dict[str, Any], draw: Any) -> Broken:
    kind = draw(st.sampled_from(["requests", "helpers"]))
    first = draw(st.integers(0, len(data[kind]) - 2))
    second = draw(st.integers(first + 1, len(data[kind]) - 1))
    data[kind][second]["id"] = data[kind][first]["id"]
    return Broken(json.dumps(data), data, f"{kind}[{second}]", "id", f"duplicate id in {kind}")


def _not_a_record(data: dict[str, Any], draw: Any) -> Broken:
    kind, index, _ = _records(data, draw)
    data[kind][index] = draw(st.sampled_from(["r1", 3, None, [], [1, 2]]))
    return Broken(json.dumps(data), data, f"{kind}[{index}]", None, "record is not an object")


def _top_level(data: dict[str, Any], draw: Any) -> Broken:
    how = draw(st.sampled_from(["no requests", "no helpers", "requests not a list", "not an object"]))
    if how == "no requests":
        del data["requests"]
        return Broken(json.dumps(data), data, "problem", "requests", how)
    if how == "no helpers":
        del data["helpers"]
        return Broken(json.dumps(data), data, "problem", "helpers", how)
    if how == "requests not a list":
        data["requests"] = {"r1": data["requests"][0]}
        return Broken(json.dumps(data), data, "problem", "requests", how)
    listed = [data]
    return Broken(json.dumps(listed), listed, "problem", None, how)


def _truncated(data: dict[str, Any], draw: Any) -> Broken:
    text = json.dumps(data)
    cut = draw(st.integers(0, len(text) - 1))
    return Broken(text[:cut], None, None, None, f"truncated at {cut}")


def _not_finite(data: dict[str, Any], draw: Any) -> Broken:
    kind, index, record = _records(data, draw)
    name = draw(st.sampled_from(["lat", "lon"] if kind == "requests" else ["lat", "max_distance_km"]))
    record[name] = draw(st.sampled_from([math.nan, math.inf, -math.inf]))
    return Broken(json.dumps(data), None, f"{kind}[{index}]", name, f"{kind}[{index}].{name}: NaN/Infinity literal")


MUTATIONS: list[Callable[[dict[str, Any], Any], Broken]] = [
    _field_mutation,
    _field_mutation,
    _field_mutation,
    _field_mutation,
    _field_mutation,
    _field_mutation,
    _duplicate_id,
    _not_a_record,
    _top_level,
    _truncated,
    _not_finite,
]


@st.composite
def broken_problems(draw: Any) -> Broken:
    data = copy.deepcopy(small_problem(draw(st.integers(0, 60))))
    mutation = draw(st.sampled_from(MUTATIONS))
    return mutation(data, draw)


def assert_names_the_offence(line: str, broken: Broken, *, locate_literals: bool = False) -> None:
    assert "\n" not in line and line.strip(), f"{broken.what}: not one line: {line!r}"
    if broken.data is None and broken.record is None:  # not JSON at all: say so, and where
        assert "json" in line.lower(), f"{broken.what}: {line}"
        assert re.search(r"line \d+|column \d+|char \d+", line), f"{broken.what}: does not say where: {line}"
        return
    if broken.data is None:  # a NaN/Infinity literal
        assert broken.record in line or re.search(r"nan|infinity|json", line.lower()), f"{broken.what}: {line}"
        if locate_literals:  # ... and where it is, as a record or as a position
            located = broken.record in line or re.search(r"line \d+|column \d+|char \d+", line)
            assert located, f"{broken.what}: does not say where: {line}"
        return
    assert broken.record is not None
    assert broken.record in line, f"{broken.what}: does not name {broken.record}: {line}"
    if broken.field is not None:
        assert broken.field in line, f"{broken.what}: does not name the field {broken.field}: {line}"


SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(broken_problems())
def test_parse_problem_rejects_each_mutation_in_one_line(broken: Broken) -> None:
    with pytest.raises(ProblemError) as error:
        if broken.data is not None:
            parse_problem(broken.data)
        else:
            loads_problem(broken.text)
    assert isinstance(error.value, ValueError)
    assert_names_the_offence(str(error.value), broken)
    # reading the text gives the same message as parsing the data
    if broken.data is not None:
        with pytest.raises(ProblemError) as again:
            loads_problem(broken.text)
        assert str(again.value) == str(error.value)


@settings(SETTINGS, max_examples=200)
@given(broken_problems(), st.booleans())
def test_solve_command_exits_2_with_one_line_and_writes_nothing(broken: Broken, stale: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.json"
        source.write_text(broken.text, encoding="utf-8")
        target = Path(folder) / "out.json"
        if stale:
            target.write_text('{"assignments": [], "score": 0.0, "optimal": true}', encoding="utf-8")
        code, out, err = run_cli("match", "solve", str(source), "-o", str(target))
        assert code == 2, f"{broken.what}: exit {code}, stderr {err!r}"
        assert out == ""
        assert err.endswith("\n") and err.count("\n") == 1, f"{broken.what}: not one line: {err!r}"
        assert_names_the_offence(err.strip().replace(str(source), "PROBLEM"), broken)
        assert sorted(p.name for p in Path(folder).iterdir()) == ["in.json"], f"{broken.what}: a file was left"


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_every_field_mutation_is_named(spec: Spec) -> None:
    """Each mutation once, on the second record of a fixed problem, for the library and the command line."""
    broken = apply(spec, copy.deepcopy(small_problem(3)), 1)
    with pytest.raises(ProblemError) as error:
        parse_problem(broken.data)
    assert_names_the_offence(str(error.value), broken)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.json"
        source.write_text(broken.text, encoding="utf-8")
        code, out, err = run_cli("match", "solve", str(source), "-o", str(Path(folder) / "out.json"))
        assert (code, out) == (2, ""), err
        assert err.count("\n") == 1
        assert_names_the_offence(err.strip().replace(str(source), "PROBLEM"), broken)
        assert [p.name for p in Path(folder).iterdir()] == ["in.json"]


@pytest.mark.parametrize("k", range(40))
def test_the_first_offending_record_is_named(k: int) -> None:
    """Two records broken: the error names the one that comes first in the file (requests before helpers)."""
    rng = random.Random(k)
    data = copy.deepcopy(small_problem(100 + k))
    first, second = rng.sample(SPECS, 2)
    at_first = rng.randrange(len(data[first.kind]))
    at_second = rng.randrange(len(data[second.kind]))
    if first.kind == second.kind and at_first == at_second:
        at_second = (at_second + 1) % len(data[second.kind])
    (early, at_early), (late, at_late) = sorted(
        [(first, at_first), (second, at_second)], key=lambda spot: (spot[0].kind != "requests", spot[1])
    )
    apply(late, data, at_late)
    expected = apply(early, data, at_early)
    with pytest.raises(ProblemError) as error:
        parse_problem(data)
    assert_names_the_offence(str(error.value), expected)
    assert f"{late.kind}[{at_late}]" not in str(error.value)


def test_the_mutations_start_from_valid_problems() -> None:
    for seed in range(61):
        data = small_problem(seed)
        assert len(data["requests"]) >= 2 and len(data["helpers"]) >= 2
        parse_problem(data)
        loads_problem(json.dumps(data))


@pytest.mark.parametrize(
    ("text", "where", "field"),
    [
        ('{"version": 1, "requests": [], "helpers": []', None, None),
        ("", None, None),
        ('{"version": 1, "requests": [], "helpers": [], }', None, None),
        ('{"version": 1, "requests": [], "helpers": [{"id": "h1", "lat": NaN}]}', "helpers[0]", "lat"),
        ('{"version": 1, "requests": [{"id": "r1", "lat": 51, "lon": Infinity}], "helpers": []}', "requests[0]", "lon"),
    ],
)
def test_bad_json_text(tmp_path: Path, text: str, where: str | None, field: str | None) -> None:
    source = tmp_path / "in.json"
    source.write_text(text, encoding="utf-8")
    code, out, err = run_cli("match", "solve", str(source), "-o", str(tmp_path / "out.json"))
    assert (code, out) == (2, "")
    broken = Broken(text, None, where, field, text)
    assert_names_the_offence(err.strip().replace(str(source), "PROBLEM"), broken, locate_literals=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]
