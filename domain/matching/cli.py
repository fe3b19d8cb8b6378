"""``cityofpeople match``: solve, suggest, explain and check from problem files (no Django needed).

    cityofpeople match solve PROBLEM.json -o SOLUTION.json [--method exact|greedy] [--stats]
    cityofpeople match suggest PROBLEM.json --request ID [--top N] [--explain HELPER_ID] [--json]
    cityofpeople match check PROBLEM.json SOLUTION.json

Exit codes: 0 done; 1 ``check`` found the solution wrong; 2 bad input (one line on stderr naming the
first offending record and field; nothing is written, and an old file at the ``-o`` path is removed so
that no stale solution is left behind).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from .compiled import compile_problem, distances, eligible, haversine_km
from .greedy import greedy
from .model import PREFERRED_BONUS, PRIORITY_WEIGHT, Explanation, Problem, Solution, Suggestion
from .parse import ProblemError, load_problem
from .solver import solve
from .suggest import explain, find_helper, find_request, suggest

PROG = "cityofpeople match"
SCORE_TOLERANCE = 1e-6
"""Allowed difference between a claimed and a recomputed score, per assigned pair."""


class UsageError(Exception):
    """Bad input that is not in the problem file itself (a solution file, an output path)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="The care-matching engine (specs/matching-problem.md).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve_cmd = commands.add_parser("solve", help="optimal assignment of helpers to requests")
    solve_cmd.add_argument("problem", metavar="PROBLEM.json")
    solve_cmd.add_argument("-o", "--output", metavar="SOLUTION.json", help="where to write (default: standard output)")
    solve_cmd.add_argument(
        "--method", choices=["exact", "greedy"], default="exact", help="exact (default) or the greedy baseline"
    )
    solve_cmd.add_argument("--stats", action="store_true", help="print sizes and where the time went on stderr")

    suggest_cmd = commands.add_parser("suggest", help="ranked eligible helpers for one request")
    suggest_cmd.add_argument("problem", metavar="PROBLEM.json")
    suggest_cmd.add_argument("--request", required=True, metavar="ID")
    suggest_cmd.add_argument("--top", type=int, default=10, metavar="N", help="how many (default 10; 0 = all)")
    suggest_cmd.add_argument("--explain", metavar="HELPER_ID", help="why this helper does or does not fit")
    suggest_cmd.add_argument("--json", action="store_true", help="machine-readable output")

    check_cmd = commands.add_parser("check", help="recompute a solution's feasibility and score")
    check_cmd.add_argument("problem", metavar="PROBLEM.json")
    check_cmd.add_argument("solution", metavar="SOLUTION.json")
    return parser


# ----------------------------------------------------------------------------------------------------------
# writing


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place.

    A reader never sees a half-written solution, and a crash leaves either the old file or the new one.
    """
    directory = path.parent if str(path.parent) else Path(".")
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed on success
        "w", encoding="utf-8", dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # a temporary file is private (0600); the solution gets the mode any new file would get
        os.chmod(handle.name, 0o666 & ~_current_umask())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_stale(path: Path | None) -> None:
    """After a failure, leave no old solution at the output path that could be taken for a new one."""
    if path is not None and path.is_file():
        path.unlink(missing_ok=True)


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


def _write_solution(output: Path | None, text: str) -> None:
    """The solution to standard output or to ``output``; a failure names where it could not be written."""
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as error:
            raise UsageError(f"cannot write to standard output: {_reason(error)}") from error
        return
    try:
        write_atomically(output, text)
    except OSError as error:  # the temporary file beside it is an implementation detail: name the path asked for
        raise UsageError(f"{output}: cannot write the solution: {_reason(error)}") from error


def _check_output_path(path: Path, problem: Path) -> None:
    if path.exists() and problem.exists() and path.samefile(problem):
        raise UsageError(f"{path}: is the problem file itself; give another file name for the solution")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory; give a file name for the solution")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{path}: the folder {parent} does not exist")


# ----------------------------------------------------------------------------------------------------------
# solve


def _solution_text(solution: Solution) -> str:
    return json.dumps(solution.to_dict(), indent=1, ensure_ascii=False) + "\n"


def _print_stats(solution: Solution, seconds: dict[str, float], out: TextIO) -> None:
    stats = solution.stats
    out.write(
        f"{len(solution.assignments)} assigned, {len(solution.unassigned)} unassigned, score {solution.score:.6f}, "
        f"optimal {str(solution.optimal).lower()}; {stats.candidate_pairs} candidate pairs, "
        f"{stats.expansions} radius expansions, {stats.augmentations} augmenting paths; method {stats.method}, "
        f"{stats.rounds} pricing rounds, {stats.priced_pairs} pairs priced\n"
    )
    parts = {"parse": seconds["parse"], **stats.seconds, "write": seconds["write"]}
    out.write("seconds: " + ", ".join(f"{name} {value:.3f}" for name, value in parts.items()) + "\n")


def run_solve(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else None
    if output is not None:
        _check_output_path(output, Path(args.problem))  # before anything could remove a file
    try:
        started = time.perf_counter()
        problem = load_problem(args.problem)
        parsed = time.perf_counter()
        solution = greedy(problem) if args.method == "greedy" else solve(problem)
        text = _solution_text(solution)
        written = time.perf_counter()
        _write_solution(output, text)
    except BaseException:
        remove_stale(output)
        raise
    if args.stats:
        seconds = {"parse": parsed - started, "write": time.perf_counter() - written}
        _print_stats(solution, seconds, sys.stderr)
    return 0


# ----------------------------------------------------------------------------------------------------------
# suggest and explain


def _suggestion_dict(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "helper": suggestion.helper,
        "score": suggestion.score,
        "distance_km": suggestion.distance_km,
        "preferred": suggestion.preferred,
        "when": [f"{suggestion.overlap_start:%Y-%m-%dT%H:%M}", f"{suggestion.overlap_end:%Y-%m-%dT%H:%M}"],
        "reasons": list(suggestion.reasons),
    }


def _explanation_dict(explanation: Explanation) -> dict[str, Any]:
    return {
        "request": explanation.request,
        "helper": explanation.helper,
        "eligible": explanation.eligible,
        "failed": [check.rule for check in explanation.failed],
        "distance_km": explanation.distance_km,
        "score": explanation.score,
        "rules": [
            {"rule": check.rule, "name": check.name, "ok": check.ok, "detail": check.detail}
            for check in explanation.rules
        ],
    }


def _print_suggestions(request_id: str, found: list[Suggestion], out: TextIO) -> None:
    if not found:
        out.write(f"No eligible helper for request {request_id}.\n")
        return
    out.write(f"Eligible helpers for request {request_id}, best first:\n")
    width = max(len(s.helper) for s in found)
    for rank, suggestion in enumerate(found, start=1):
        out.write(
            f"{rank:>3}. {suggestion.helper:<{width}}  score {suggestion.score:8.3f}  "
            f"{suggestion.distance_km:6.2f} km  {'; '.join(suggestion.reasons)}\n"
        )


def _print_explanation(explanation: Explanation, out: TextIO) -> None:
    verdict = "can serve" if explanation.eligible else "cannot serve"
    out.write(f"Helper {explanation.helper} {verdict} request {explanation.request}")
    if explanation.score is not None:
        out.write(f" (score {explanation.score:.3f})")
    out.write(".\n")
    for check in explanation.rules:
        mark = "ok   " if check.ok else "FAILS"
        out.write(f"  {mark} rule {check.rule} ({check.name}): {check.detail}\n")
    if explanation.failed:
        failed = ", ".join(f"{check.rule} ({check.name})" for check in explanation.failed)
        out.write(f"Failing rule(s): {failed}.\n")


def run_suggest(args: argparse.Namespace) -> int:
    if args.top < 0:
        raise UsageError(f"--top must be 0 or more, got {args.top}")
    problem = load_problem(args.problem)
    if args.explain is not None:
        explanation = explain(problem, args.request, args.explain)
        if args.json:
            sys.stdout.write(json.dumps(_explanation_dict(explanation), ensure_ascii=False, indent=1) + "\n")
        else:
            _print_explanation(explanation, sys.stdout)
        return 0
    found = suggest(problem, args.request, top=args.top or None)
    if args.json:
        sys.stdout.write(json.dumps([_suggestion_dict(s) for s in found], ensure_ascii=False, indent=1) + "\n")
    else:
        _print_suggestions(args.request, found, sys.stdout)
    return 0


# ----------------------------------------------------------------------------------------------------------
# check


def _read_solution(path: str) -> list[tuple[str, str, int]]:
    """The assignments of a solution file as (request, helper, position), or a :class:`UsageError`."""
    try:
        data = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise UsageError(f"{path}: file not found") from None
    except (OSError, ValueError) as error:
        raise UsageError(f"{path}: not a solution file ({error})") from None
    if type(data) is not dict or type(data.get("assignments")) is not list:
        raise UsageError(f'{path}: must be an object with a list "assignments"')
    if type(data.get("score")) not in (int, float) or type(data.get("optimal")) is not bool:
        raise UsageError(f'{path}: must have a number "score" and true/false "optimal"')
    pairs = []
    for i, item in enumerate(data["assignments"]):
        if type(item) is not dict or type(item.get("request")) is not str or type(item.get("helper")) is not str:
            raise UsageError(f'{path}: assignments[{i}] must be {{"request": "...", "helper": "..."}}')
        pairs.append((item["request"], item["helper"], i))
    return pairs


def check_solution(problem: Problem, pairs: list[tuple[str, str, int]], claimed: float) -> tuple[bool, str]:
    """Feasibility and score of a solution, recomputed from the problem; (ok, one line saying why)."""
    try:
        positions = [(find_request(problem, r), find_helper(problem, h), i) for r, h, i in pairs]
    except ProblemError as error:
        return False, f"unknown id: {error}"
    seen: dict[int, int] = {}
    load: dict[int, int] = {}
    for r, h, i in positions:
        if r in seen:
            return False, f"assignments[{i}]: request {problem.requests[r].id} is already assigned in [{seen[r]}]"
        seen[r] = i
        load[h] = load.get(h, 0) + 1
        if load[h] > problem.helpers[h].capacity:
            return False, f"assignments[{i}]: helper {problem.helpers[h].id} is over capacity"
    cp = compile_problem(problem)
    ri = np.array([r for r, _, _ in positions], dtype=np.int64)
    hi = np.array([h for _, h, _ in positions], dtype=np.int64)
    ok = eligible(cp, ri, hi, distances(cp, ri, hi))
    for k in np.flatnonzero(~ok).tolist():
        r, h, i = positions[k]
        return False, f"assignments[{i}]: helper {problem.helpers[h].id} may not serve request {problem.requests[r].id}"
    total = math.fsum(_pair_score(problem, r, h) for r, h, _ in positions)
    if not abs(total - claimed) <= SCORE_TOLERANCE * max(1, len(positions)):  # a NaN claim fails too
        return False, f"feasible, but the score is {total:.6f}, not the claimed {claimed}"
    return True, f"feasible: {len(positions)} assignments, score {total:.6f}"


def _pair_score(problem: Problem, r: int, h: int) -> float:
    request, helper = problem.requests[r], problem.helpers[h]
    bonus = PREFERRED_BONUS if helper.id in request.preferred_helpers else 0.0
    return PRIORITY_WEIGHT * request.priority - haversine_km(request.lat, request.lon, helper.lat, helper.lon) + bonus


def run_check(args: argparse.Namespace) -> int:
    problem = load_problem(args.problem)
    pairs = _read_solution(args.solution)
    claimed = float(json.loads(Path(args.solution).read_bytes())["score"])
    ok, message = check_solution(problem, pairs, claimed)
    (sys.stdout if ok else sys.stderr).write(message + "\n")
    return 0 if ok else 1


# ----------------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``cityofpeople match``; returns the exit code."""
    args = _parser().parse_args(list(argv) if argv is not None else None)
    runners = {"solve": run_solve, "suggest": run_suggest, "check": run_check}
    try:
        return runners[args.command](args)
    except ProblemError as error:
        sys.stderr.write(f"{PROG}: {args.problem}: {error}\n")
    except UsageError as error:
        sys.stderr.write(f"{PROG}: {error}\n")
    except MemoryError:
        sys.stderr.write(f"{PROG}: {args.problem}: not enough memory for this problem\n")
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted; nothing written\n")
        return 130
    except OSError as error:  # one not caught where the file is known: name it when the error does
        where = f"{error.filename}: " if error.filename else ""
        sys.stderr.write(f"{PROG}: {where}{_reason(error)}\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
