"""``cityofpeople match``: solve, check, suggest and explain from files, as a new user would run them."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from domain import matching
from domain.matching import load_problem, solve
from tests.domain.matching.checker import check_solution, eligible_pairs, failing_rules, pair_score, parse
from tests.domain.matching.instances import small_problem
from tests.domain.matching.support import helper, problem, request, run_cli

ROOT = Path(__file__).resolve().parents[3]
CHECKER = Path(__file__).resolve().with_name("checker.py")


def write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def office() -> dict[str, Any]:
    """Three requests, three helpers; r2 cannot be served by h3 (language), h2 has room for one."""
    return problem(
        [
            request("r1", 51.050, 3.720, priority=4),
            request("r2", 51.055, 3.725, languages=["fr"], preferred_helpers=["h2"]),
            request("r3", 51.045, 3.715, priority=2, requires_vetted=True),
        ],
        [
            helper("h1", 51.051, 3.721, languages=["nl", "fr"]),
            helper("h2", 51.056, 3.726, languages=["fr"], capacity=1),
            helper("h3", 51.044, 3.716, vetted=True, capacity=2),
        ],
    )


def one_line(text: str) -> str:
    assert text.endswith("\n") and text.count("\n") == 1, f"not exactly one line: {text!r}"
    return text.strip()


# ---- solve


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 5, 8, 13, 21])
def test_solve_writes_the_solution_the_checker_accepts(tmp_path: Path, seed: int) -> None:
    data = small_problem(seed)
    source = write(tmp_path, "in.json", data)
    target = tmp_path / "out.json"
    code, out, err = run_cli("match", "solve", str(source), "-o", str(target))
    assert (code, out, err) == (0, "", ""), err
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written == solve(load_problem(source)).to_dict()
    assert set(written) == {"assignments", "score", "optimal"}
    assert written["optimal"] is True
    assert check_solution(data, written).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "out.json"]  # no temporary file left


def test_solve_without_output_prints_the_solution(tmp_path: Path) -> None:
    source = write(tmp_path, "in.json", office())
    code, out, err = run_cli("match", "solve", str(source))
    assert code == 0, err
    assert json.loads(out) == solve(load_problem(source)).to_dict()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


def test_solve_replaces_an_existing_solution(tmp_path: Path) -> None:
    source = write(tmp_path, "in.json", office())
    target = tmp_path / "out.json"
    target.write_text("old solution, must go", encoding="utf-8")
    code, _, err = run_cli("match", "solve", str(source), "-o", str(target))
    assert code == 0, err
    assert json.loads(target.read_text(encoding="utf-8")) == solve(load_problem(source)).to_dict()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json", "out.json"]


@pytest.mark.parametrize("stale", [False, True])
@pytest.mark.parametrize(
    "broken",
    [
        "{not json",
        json.dumps(problem([request(lat=91)], [helper()])),
        json.dumps(problem([request(), request()], [helper()])),  # duplicate id
    ],
    ids=["bad-json", "latitude", "duplicate"],
)
def test_solve_on_a_bad_problem_writes_nothing_and_leaves_no_stale_file(
    tmp_path: Path, broken: str, stale: bool
) -> None:
    source = tmp_path / "in.json"
    source.write_text(broken, encoding="utf-8")
    target = tmp_path / "out.json"
    if stale:
        target.write_text(json.dumps({"assignments": [], "score": 0.0, "optimal": True}), encoding="utf-8")
    code, out, err = run_cli("match", "solve", str(source), "-o", str(target))
    assert code == 2
    one_line(err)
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


def test_solve_on_a_missing_problem_file_exits_2(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("stale", encoding="utf-8")
    code, _, err = run_cli("match", "solve", str(tmp_path / "nowhere.json"), "-o", str(target))
    assert code == 2
    assert "nowhere.json" in one_line(err)
    assert list(tmp_path.iterdir()) == []


def test_solve_to_a_folder_or_into_a_missing_folder_exits_2(tmp_path: Path) -> None:
    source = write(tmp_path, "in.json", office())
    (tmp_path / "folder").mkdir()
    for target in (tmp_path / "folder", tmp_path / "missing" / "out.json"):
        code, out, err = run_cli("match", "solve", str(source), "-o", str(target))
        assert (code, out) == (2, "")
        one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "in.json"]
    assert list((tmp_path / "folder").iterdir()) == []


def test_a_failure_at_the_rename_leaves_neither_a_temporary_nor_a_stale_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write(tmp_path, "in.json", office())
    target = tmp_path / "out.json"
    target.write_text("old solution", encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr(os, "rename", refuse)
    code, out, err = run_cli("match", "solve", str(source), "-o", str(target))
    monkeypatch.undo()
    assert code != 0 and out == ""
    one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


@pytest.mark.parametrize(
    ("step", "error"),
    [
        ("fsync", OSError(28, "No space left on device")),  # a full disk, while writing
        ("replace", PermissionError(13, "Permission denied")),  # a folder one may read but not change
    ],
)
def test_a_solution_that_cannot_be_written_names_the_path_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, error: OSError
) -> None:
    """Issue 12, item 6: "cannot write: Permission denied" alone does not say which file; the line names it."""
    source = write(tmp_path, "in.json", office())
    target = tmp_path / "out.json"

    def refuse(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(os, step, refuse)
    code, out, err = run_cli("match", "solve", str(source), "-o", str(target))
    monkeypatch.undo()
    line = one_line(err)
    assert (code, out) == (2, "")
    assert line == f"cityofpeople match: {target}: cannot write the solution: {error.strerror}"
    assert ".tmp" not in line, "the temporary file beside it is not what the person asked for"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.json"]


def test_greedy_method_writes_a_feasible_baseline(tmp_path: Path) -> None:
    for seed in (4, 6, 7):
        data = small_problem(seed)
        source = write(tmp_path, f"in{seed}.json", data)
        target = tmp_path / f"greedy{seed}.json"
        code, _, err = run_cli("match", "solve", str(source), "-o", str(target), "--method", "greedy")
        assert code == 0, err
        written = json.loads(target.read_text(encoding="utf-8"))
        assert written == matching.greedy(load_problem(source)).to_dict()
        assert written["optimal"] is False
        assert check_solution(data, written).ok
        assert written["score"] <= solve(load_problem(source)).score + 1e-6 * max(1, len(written["assignments"]))


def test_the_console_script_solves_and_the_checker_script_agrees(tmp_path: Path) -> None:
    """The real entry points, in a fresh process each: ``cityofpeople`` and ``python checker.py``."""
    source = write(tmp_path, "in.json", small_problem(11))
    target = tmp_path / "out.json"
    script = Path(sys.executable).with_name("cityofpeople")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "cityofpeople.cli"]
    done = subprocess.run([*command, "match", "solve", str(source), "-o", str(target)], capture_output=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    checked = subprocess.run([sys.executable, str(CHECKER), str(source), str(target)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.startswith("ok")
    tampered = json.loads(target.read_text(encoding="utf-8"))
    tampered["score"] += 0.01
    target.write_text(json.dumps(tampered), encoding="utf-8")
    checked = subprocess.run([sys.executable, str(CHECKER), str(source), str(target)], capture_output=True, text=True)
    assert checked.returncode == 1
    assert "score" in checked.stdout


# ---- check


def tampered_solutions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A correct solution of ``office()`` made wrong in each way a checker must notice (one way each: the
    claimed score is the true sum of the pairs listed, except in "score-off")."""
    instance = parse(data)

    def claim(*pairs: tuple[str, str]) -> dict[str, Any]:
        known = [(r, h) for r, h in pairs if r in {x.id for x in instance.requests}]
        known = [(r, h) for r, h in known if h in {x.id for x in instance.helpers}]
        score = math.fsum(pair_score(instance.request(r), instance.helper(h)) for r, h in known)
        return {"assignments": [{"request": r, "helper": h} for r, h in pairs], "score": score, "optimal": False}

    good = solve(matching.parse_problem(data)).to_dict()
    assert {(p["request"], p["helper"]) for p in good["assignments"]} == {("r1", "h1"), ("r2", "h2"), ("r3", "h3")}
    assert check_solution(instance, claim(("r1", "h1"), ("r2", "h2"), ("r3", "h3"))).ok
    return {
        "score-off": {**good, "score": good["score"] + 1e-3},
        "ineligible-pair": claim(("r2", "h3")),  # h3 does not speak French
        "request-twice": claim(("r1", "h1"), ("r2", "h2"), ("r3", "h3"), ("r1", "h3")),
        "over-capacity": claim(("r2", "h2"), ("r1", "h2")),  # h2 has room for one
        "unknown-helper": claim(("r1", "h1"), ("r3", "h9")),
        "unknown-request": claim(("r1", "h1"), ("r9", "h3")),
    }


def test_check_accepts_a_good_solution(tmp_path: Path) -> None:
    data = office()
    source = write(tmp_path, "in.json", data)
    target = tmp_path / "out.json"
    assert run_cli("match", "solve", str(source), "-o", str(target))[0] == 0
    code, out, err = run_cli("match", "check", str(source), str(target))
    assert code == 0, out + err
    # an empty solution is feasible too, with score 0
    empty = write(tmp_path, "empty.json", {"assignments": [], "score": 0.0, "optimal": False})
    assert run_cli("match", "check", str(source), str(empty))[0] == 0


@pytest.mark.parametrize(
    "how", ["score-off", "ineligible-pair", "request-twice", "over-capacity", "unknown-helper", "unknown-request"]
)
def test_check_rejects_a_tampered_solution(tmp_path: Path, how: str) -> None:
    data = office()
    source = write(tmp_path, "in.json", data)
    bad = tampered_solutions(data)[how]
    assert not check_solution(data, bad).ok  # our checker agrees it is wrong
    target = write(tmp_path, "bad.json", bad)
    code, out, err = run_cli("match", "check", str(source), str(target))
    assert code == 1, (code, out, err)
    assert (out + err).strip(), "check must say why"


# ---- suggest and explain


def test_suggest_text_lists_the_helpers_best_first(tmp_path: Path) -> None:
    data = small_problem(10)
    source = write(tmp_path, "in.json", data)
    instance = parse(data)
    pairs = eligible_pairs(instance)
    for r in instance.requests:
        ranked = [s.helper for s in matching.suggest(load_problem(source), r.id, top=None)]
        assert set(ranked) == {p.helper for p in pairs if p.request == r.id}
        code, out, err = run_cli("match", "suggest", str(source), "--request", r.id)
        assert code == 0, err
        positions = [out.find(f" {hid} ") for hid in ranked]
        assert all(p >= 0 for p in positions), out
        assert positions == sorted(positions), out
        for other in instance.helpers:
            if other.id not in ranked:
                assert f" {other.id} " not in out


def test_suggest_json_and_top(tmp_path: Path) -> None:
    data = problem([request(preferred_helpers=["h3"])], [helper(f"h{j}", 51.05 + 0.002 * j) for j in range(1, 6)])
    source = write(tmp_path, "in.json", data)
    code, out, err = run_cli("match", "suggest", str(source), "--request", "r1", "--json")
    assert code == 0, err
    found = json.loads(out)
    assert [item["helper"] for item in found] == ["h3", "h1", "h2", "h4", "h5"]
    instance = parse(data)
    expected = {p.helper: p for p in eligible_pairs(instance)}
    for item in found:
        assert {"helper", "score", "distance_km", "preferred", "reasons"} <= set(item)
        assert item["score"] == pytest.approx(expected[item["helper"]].score, abs=1e-9)
        assert item["distance_km"] == pytest.approx(expected[item["helper"]].distance_km, abs=1e-9)
        assert item["preferred"] is (item["helper"] == "h3")
        assert isinstance(item["reasons"], list) and item["reasons"]
    code, out, _ = run_cli("match", "suggest", str(source), "--request", "r1", "--json", "--top", "2")
    assert code == 0
    assert [item["helper"] for item in json.loads(out)] == ["h3", "h1"]
    code, out, _ = run_cli("match", "suggest", str(source), "--request", "r1", "--top", "2")
    assert code == 0
    assert " h3 " in out and " h1 " in out and " h2 " not in out


def test_explain_json_gives_each_rule_and_the_failing_ones(tmp_path: Path) -> None:
    data = office()
    source = write(tmp_path, "in.json", data)
    instance = parse(data)
    for r in instance.requests:
        for h in instance.helpers:
            code, out, err = run_cli("match", "suggest", str(source), "--request", r.id, "--explain", h.id, "--json")
            assert code == 0, err
            answer = json.loads(out)
            expected = failing_rules(r, h)
            assert answer["eligible"] is (not expected)
            assert sorted(answer["failed"]) == sorted(expected)
            assert [rule["rule"] for rule in answer["rules"]] == [1, 2, 3, 4, 5, 6]
            for rule in answer["rules"]:
                assert {"rule", "name", "ok", "detail"} <= set(rule)
                assert rule["ok"] is (rule["rule"] not in expected)


def test_explain_text_says_which_rules_fail(tmp_path: Path) -> None:
    r = request(languages=["fr"], requires_vetted=True)
    h = helper(lat=51.1, languages=["nl"], vetted=False)  # too far, no common language, not vetted
    data = problem([r], [h])
    source = write(tmp_path, "in.json", data)
    names = {c.rule: c.name for c in matching.explain(load_problem(source), "r1", "h1").rules}
    code, out, err = run_cli("match", "suggest", str(source), "--request", "r1", "--explain", "h1")
    assert code == 0, err
    assert "h1" in out and "r1" in out
    for name in names.values():
        assert name in out  # all six rules are listed
    failing_lines = [line for line in out.splitlines() if any(word in line.lower() for word in ("fail", "not ok"))]
    mentioned = {rule for rule, name in names.items() if any(name in line for line in failing_lines)}
    assert mentioned == {2, 3, 4}, out
    # an eligible pair says so
    source = write(tmp_path, "ok.json", problem([request()], [helper()]))
    code, out, _ = run_cli("match", "suggest", str(source), "--request", "r1", "--explain", "h1")
    assert code == 0
    assert "fail" not in out.lower()


@pytest.mark.parametrize(
    "argv",
    [
        ("--request", "r404"),
        ("--request", "r404", "--json"),
        ("--request", "r1", "--explain", "h404"),
        ("--request", "r404", "--explain", "h1"),
    ],
)
def test_suggest_with_an_unknown_id_exits_2(tmp_path: Path, argv: tuple[str, ...]) -> None:
    source = write(tmp_path, "in.json", office())
    code, out, err = run_cli("match", "suggest", str(source), *argv)
    assert code == 2
    assert out == ""
    line = one_line(err)
    assert "r404" in line or "h404" in line
