"""Benchmark of the matching engine: generate → solve → check, with the greedy baseline, per scale.

    .venv/bin/python bench/matching/run.py                      # Ghent and region scale
    .venv/bin/python bench/matching/run.py --scales ghent --reference

Each step runs as its own process (the console command ``cityofpeople match …``, exactly as a user runs
it), so the wall time includes starting Python and reading the file, and the peak memory is that
process's maximum resident set size.  Instances are cached in ``var/bench/`` by scale and seed.

Prints one Markdown table: wall time, peak RSS and score of the exact solve, the greedy baseline and
(with ``--reference``) the straightforward KD-tree + OR-Tools pipeline; the check of each solution;
where the exact solver's time went; and the time of one request's top-10 suggestions.

For every supply regime (helpers per request 0.1 … 4, clustered demand) side by side with an independent
exact pipeline, see ``grid.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
CACHE = ROOT / "var" / "bench"


@dataclass
class Run:
    wall: float
    peak_mb: float
    stderr: str


def measure(command: list[str]) -> Run:
    """Run a command; its wall time and its own peak RSS (from ``wait4``, so only that process)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{stderr}")
    return Run(wall, usage.ru_maxrss / 1024, stderr)


def instance(scale: str, seed: int) -> Path:
    path = CACHE / f"{scale}-{seed}.json"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                str(BIN / "python"),
                str(ROOT / "bench/matching/generate.py"),
                "--scale",
                scale,
                "--seed",
                str(seed),
                "-o",
                str(path),
            ],
            check=True,
        )
    return path


def check(problem: Path, solution: Path) -> str:
    """The engine's own ``match check``, then the tests' independent checker (standard library only, its own
    reading of the spec's six rules and score), so that a rule bug shared by solver and ``check`` shows."""
    verdicts = []
    for command in (
        [str(BIN / "cityofpeople"), "match", "check", str(problem), str(solution)],
        [str(BIN / "python"), str(ROOT / "tests/domain/matching/checker.py"), str(problem), str(solution)],
    ):
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        verdicts.append((result.stdout + result.stderr).strip())
    return "; independent: ".join(verdicts)


def score_of(solution: Path) -> float:
    return float(json.loads(solution.read_text())["score"])


def suggestion_times(problem: Path, samples: int = 500) -> tuple[float, float]:
    """Median and 95th percentile (ms) of one request's top-10, the helpers already loaded."""
    sys.path.insert(0, str(ROOT))
    from domain.matching import load_problem, suggest

    loaded = load_problem(problem)
    chosen = random.Random(1).sample(list(loaded.requests), min(samples, len(loaded.requests)))
    suggest(loaded, chosen[0].id)  # compiles the problem once, as the app does when it loads helpers
    times = []
    for request in chosen:
        started = time.perf_counter()
        suggest(loaded, request.id, top=10)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="ghent,region", help="comma-separated: tiny, ghent, region")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reference", action="store_true", help="also run the KD-tree + OR-Tools pipeline")
    args = parser.parse_args()
    rows = []
    for scale in args.scales.split(","):
        problem = instance(scale, args.seed)
        data = json.loads(problem.read_text())
        sizes = f"{len(data['requests']):,} × {len(data['helpers']):,}"
        del data
        out = CACHE / f"{scale}-{args.seed}"
        exact = measure(
            [str(BIN / "cityofpeople"), "match", "solve", str(problem), "-o", f"{out}.exact.json", "--stats"]
        )
        greedy = measure(
            [
                str(BIN / "cityofpeople"),
                "match",
                "solve",
                str(problem),
                "-o",
                f"{out}.greedy.json",
                "--method",
                "greedy",
            ]
        )
        exact_score, greedy_score = score_of(Path(f"{out}.exact.json")), score_of(Path(f"{out}.greedy.json"))
        exact_sol = json.loads(Path(f"{out}.exact.json").read_text())
        greedy_n = len(json.loads(Path(f"{out}.greedy.json").read_text())["assignments"])
        median, p95 = suggestion_times(problem)
        row = {
            "scale": scale,
            "size": sizes,
            "exact": f"{exact.wall:.2f} s, {exact.peak_mb:,.0f} MB",
            "score": f"{exact_score:,.3f}",
            "optimal": str(exact_sol["optimal"]).lower(),
            "assigned": f"{len(exact_sol['assignments']):,}",
            "greedy": f"{greedy.wall:.2f} s, {greedy.peak_mb:,.0f} MB, {greedy_score:,.3f} ({greedy_n:,} assigned)",
            "gap": f"{exact_score - greedy_score:,.3f} ({100 * (exact_score - greedy_score) / exact_score:.3f} %)",
            "check": check(problem, Path(f"{out}.exact.json")) + " / " + check(problem, Path(f"{out}.greedy.json")),
            "where": re.sub(r"\s+", " ", exact.stderr.strip()),
            "suggest": f"median {median:.2f} ms, p95 {p95:.2f} ms",
        }
        if args.reference:
            reference = measure(
                [
                    str(BIN / "python"),
                    str(ROOT / "bench/matching/reference.py"),
                    str(problem),
                    "-o",
                    f"{out}.reference.json",
                ]
            )
            ref_score = score_of(Path(f"{out}.reference.json"))
            row["reference"] = f"{reference.wall:.2f} s, {reference.peak_mb:,.0f} MB, {ref_score:,.3f}"
            row["reference detail"] = reference.stderr.strip()
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False, indent=1), file=sys.stderr)
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(row.get(key, "") for key in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
