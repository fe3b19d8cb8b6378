"""Re-solving after a few changes (issue 15, part 3): a warm start from the previous optimum against a cold solve.

    .venv/bin/python bench/matching/warm.py                                   # Ghent, ratios 0.1 0.33 1 4
    .venv/bin/python bench/matching/warm.py --scale ghent --ratios 0.33 --changes 2 --trials 20 --seed 11
    .venv/bin/python bench/matching/warm.py --scale tiny --trials 5           # the code path, in seconds

A coordinator runs a round, changes a few requests or helpers and runs it again.  Per ratio (helpers per
request) the cached instance of ``grid.py`` (``var/bench/{scale}-ratio{R}-seed{S}.json``, generated the same
way if missing) is loaded in-process once and solved cold once.  Then, per trial, ``--changes`` random
changes (a request's priority, windows, location, languages, preferred or excluded helpers; a request removed
or added; a helper's capacity up, down or to 0, radius, categories, location; a helper removed or added) and:

- ``resolve(changed, previous.warm)`` — the re-solve from the previous state, timed;
- ``solve(changed)`` — a cold solve of the same changed problem (a separate ``Problem`` object, so nothing
  computed by the warm run is reused), timed.

Times are ``time.perf_counter`` around the call, in this process, the problem already loaded: that is what
re-solving means (no Python start-up, no file reading).  Both solutions must be optimal with equal scores
(within 1e-6 per assigned pair); otherwise the row is flagged and the run exits 1.

Two variants per ratio: **independent** (each trial changes the original problem and resolves from the
first cold solve's state) and **chain** (each trial changes the previous trial's problem and resolves from
the previous trial's state: a coordinator editing several times in a row).

Prints a Markdown table and writes it to ``var/bench/warm.md``: median and 95th percentile of warm and
cold time, the speed-up (median cold / median warm), the share of trials that took the warm path
(``stats.method == "warm"``; the others fell back to a cold solve inside ``resolve``), and the median of each
stage of the warm time (``stats.seconds``).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from grid import SIZES, fmt_ratio, instance
from run import CACHE, ROOT

from domain.matching import Helper, Problem, Request, load_problem, solve
from domain.matching.model import Solution, Window
from domain.matching.warm import WarmStart, resolve

TOLERANCE_PER_PAIR = 1e-6
LANGUAGES = ("nl", "fr", "en")
STAGE_ORDER = ("compile", "index", "candidates", "repair", "certificate", "solution")


class Changer:
    """Random changes to a problem, as a coordinator makes them between two rounds."""

    def __init__(self, rng: random.Random, problem: Problem) -> None:
        self.rng = rng
        self.fresh = 0
        self.categories = sorted(
            {r.category for r in problem.requests} | {c for h in problem.helpers for c in h.categories}
        )
        self.languages = sorted({x for h in problem.helpers for x in h.languages}) or list(LANGUAGES)
        first = next((w[0][0] for w in (r.windows for r in problem.requests) if w), None)
        self.day = (first or problem.helpers[0].windows[0][0]).replace(hour=0, minute=0)

    def _id(self, prefix: str) -> str:
        self.fresh += 1
        return f"{prefix}-warm-bench-{self.fresh}"

    def _windows(self, windows: tuple[Window, ...], length: float) -> tuple[Window, ...]:
        rng = self.rng
        if windows and rng.random() < 0.5:
            shift = timedelta(minutes=30 * rng.choice((-4, -2, -1, 1, 2, 4)))
            return tuple((a + shift, b + shift) for a, b in windows)
        out = []
        for _ in range(rng.choice((1, 1, 2))):
            start = self.day + timedelta(minutes=8 * 60 + 30 * rng.randint(0, 18))
            out.append((start, start + timedelta(minutes=length + rng.choice((0, 60, 120, 240)))))
        return tuple(out)

    def _place(self, lat: float, lon: float) -> tuple[float, float]:
        north, east = self.rng.uniform(-1.0, 1.0), self.rng.uniform(-1.0, 1.0)
        return lat + math.degrees(north / 6371.0088), lon + math.degrees(
            east / (6371.0088 * math.cos(math.radians(lat)))
        )

    def request(self, r: Request, helpers: Sequence[Helper]) -> tuple[Request, str]:
        rng = self.rng
        kind = rng.choice(("priority", "windows", "location", "languages", "preferred", "excluded"))
        if kind == "priority":
            return replace(r, priority=rng.choice([p for p in range(1, 6) if p != r.priority])), kind
        if kind == "windows":
            return replace(r, windows=self._windows(r.windows, r.duration_minutes)), kind
        if kind == "location":
            lat, lon = self._place(r.lat, r.lon)
            return replace(r, lat=lat, lon=lon), kind
        if kind == "languages":
            chosen = (
                () if rng.random() < 0.3 else tuple(sorted(rng.sample(self.languages, min(2, len(self.languages)))))
            )
            return replace(r, languages=chosen), kind
        ids = tuple(rng.choice(helpers).id for _ in range(rng.randint(1, 2))) if helpers else ()
        if kind == "preferred":
            return replace(r, preferred_helpers=ids), kind
        return replace(r, excluded_helpers=ids), kind

    def helper(self, h: Helper) -> tuple[Helper, str]:
        rng = self.rng
        kind = rng.choice(("capacity up", "capacity down", "capacity 0", "radius", "categories", "location"))
        if kind == "capacity up":
            return replace(h, capacity=h.capacity + rng.randint(1, 3)), kind
        if kind == "capacity down":
            return replace(h, capacity=max(0, h.capacity - rng.randint(1, 2))), kind
        if kind == "capacity 0":
            return replace(h, capacity=0), kind
        if kind == "radius":
            return replace(h, max_distance_km=round(h.max_distance_km * rng.uniform(0.2, 2.5), 3)), kind
        if kind == "categories":
            k = rng.randint(1, len(self.categories))
            return replace(h, categories=tuple(sorted(rng.sample(self.categories, k)))), kind
        lat, lon = self._place(h.lat, h.lon)
        return replace(h, lat=lat, lon=lon), kind

    def batch(self, problem: Problem, count: int) -> tuple[tuple[Request, ...], tuple[Helper, ...], list[str]]:
        """The records of ``problem`` after ``count`` random changes (half on requests, half on helpers)."""
        rng = self.rng
        requests, helpers = list(problem.requests), list(problem.helpers)
        done: list[str] = []
        for _ in range(count):
            what = rng.random()
            if rng.random() < 0.5:
                if requests and what < 0.6:
                    i = rng.randrange(len(requests))
                    requests[i], kind = self.request(requests[i], helpers)
                    done.append(f"request {kind}")
                elif requests and what < 0.8:
                    requests.pop(rng.randrange(len(requests)))
                    done.append("request removed")
                else:
                    model = rng.choice(requests)
                    lat, lon = self._place(model.lat, model.lon)
                    new = replace(model, id=self._id("r"), lat=lat, lon=lon, priority=rng.randint(1, 5))
                    requests.insert(rng.randint(0, len(requests)), new)
                    done.append("request added")
            else:
                if helpers and what < 0.6:
                    j = rng.randrange(len(helpers))
                    helpers[j], kind = self.helper(helpers[j])
                    done.append(f"helper {kind}")
                elif helpers and what < 0.8:
                    helpers.pop(rng.randrange(len(helpers)))
                    done.append("helper removed")
                else:
                    model_h = rng.choice(helpers)
                    lat, lon = self._place(model_h.lat, model_h.lon)
                    new_h = replace(model_h, id=self._id("h"), lat=lat, lon=lon, capacity=rng.randint(1, 3))
                    helpers.insert(rng.randint(0, len(helpers)), new_h)
                    done.append("helper added")
        return tuple(requests), tuple(helpers), done


@dataclass
class Trial:
    warm: float
    cold: float
    method: str
    stages: dict[str, float]
    changes: list[str]
    flag: str = ""


@dataclass
class Row:
    ratio: float
    variant: str
    requests: int
    helpers: int
    first_cold: float
    trials: list[Trial] = field(default_factory=list)


def timed_pair(
    requests: tuple[Request, ...], helpers: tuple[Helper, ...], state: WarmStart, changes: list[str]
) -> tuple[Trial, Solution]:
    """Resolve warm from ``state`` and solve cold, each on its own ``Problem`` object; both timed."""
    warm_problem, cold_problem = Problem(requests, helpers), Problem(requests, helpers)
    started = time.perf_counter()
    warm = resolve(warm_problem, state)
    warm_s = time.perf_counter() - started
    started = time.perf_counter()
    cold = solve(cold_problem)
    cold_s = time.perf_counter() - started
    flag = ""
    if not (warm.optimal and cold.optimal):
        flag = f"optimal warm {warm.optimal}, cold {cold.optimal}"
    elif abs(warm.score - cold.score) > TOLERANCE_PER_PAIR * max(1, len(cold.assignments)):
        flag = f"SCORE MISMATCH warm {warm.score!r}, cold {cold.score!r}"
    trial = Trial(warm_s, cold_s, warm.stats.method, dict(warm.stats.seconds), changes, flag)
    return trial, (warm if warm.warm is not None else cold)


def run_ratio(scale: str, ratio: float, seed: int, changes: int, trials: int) -> list[Row]:
    path = instance(scale, ratio, False, seed)
    problem = load_problem(path)
    started = time.perf_counter()
    first = solve(problem)
    first_cold = time.perf_counter() - started
    if not first.optimal or first.warm is None:
        raise SystemExit(f"{path.name}: the cold solve is not optimal")
    print(
        f"[warm] {path.name}: {len(problem.requests)} requests, {len(problem.helpers)} helpers, "
        f"cold {first_cold * 1000:.0f} ms",
        file=sys.stderr,
    )
    rows = []
    for variant in ("independent", "chain"):
        row = Row(ratio, variant, len(problem.requests), len(problem.helpers), first_cold)
        changer = Changer(random.Random(f"{seed}-{ratio}-{variant}"), problem)
        current, state = problem, first.warm
        for _ in range(trials):
            base = current if variant == "chain" else problem
            requests, helpers, done = changer.batch(base, changes)
            trial, solution = timed_pair(requests, helpers, state, done)
            row.trials.append(trial)
            if trial.flag:
                print(f"[warm] ⚠ ratio {fmt_ratio(ratio)} {variant}: {trial.flag}; changes {done}", file=sys.stderr)
            if variant == "chain":
                current, state = Problem(requests, helpers), solution.warm
        rows.append(row)
    return rows


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds < 1 else f"{seconds * 1000:.0f}"


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else math.nan


HEADER = [
    "ratio",
    "variant",
    "requests",
    "helpers",
    "trials",
    "warm median ms",
    "warm p95 ms",
    "cold median ms",
    "cold p95 ms",
    "speed-up",
    "warm path",
    "warm-path median ms",
    "warm time, median per stage (ms)",
    "outside the stages, median ms",
    "flags",
]


def cells(row: Row) -> list[str]:
    warm = [t.warm for t in row.trials]
    cold = [t.cold for t in row.trials]
    on_path = [t for t in row.trials if t.method == "warm"]
    stages = sorted(
        {k for t in on_path for k in t.stages}, key=lambda k: (STAGE_ORDER.index(k) if k in STAGE_ORDER else 99, k)
    )
    breakdown = ", ".join(f"{k} {ms(float(np.median([t.stages.get(k, 0.0) for t in on_path])))}" for k in stages)
    fell = [t.method for t in row.trials if t.method != "warm"]
    flags = [t.flag for t in row.trials if t.flag]
    return [
        fmt_ratio(row.ratio),
        row.variant,
        str(row.requests),
        str(row.helpers),
        str(len(row.trials)),
        ms(pct(warm, 50)),
        ms(pct(warm, 95)),
        ms(pct(cold, 50)),
        ms(pct(cold, 95)),
        f"{pct(cold, 50) / pct(warm, 50):.1f}×",
        f"{len(on_path)}/{len(row.trials)}" + (f" (fell back: {', '.join(sorted(set(fell)))})" if fell else ""),
        ms(pct([t.warm for t in on_path], 50)),
        breakdown or "—",
        ms(pct([t.warm - sum(t.stages.values()) for t in on_path], 50)),
        "; ".join(flags) if flags else "ok",
    ]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="ghent", choices=sorted(SIZES))
    parser.add_argument("--ratios", default="0.1,0.33,1,4", help="helpers per request, comma-separated")
    parser.add_argument("--changes", type=int, default=2, help="random changes per trial")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    ratios = [float(r) for r in args.ratios.split(",") if r]

    started = time.perf_counter()
    rows = [row for ratio in ratios for row in run_ratio(args.scale, ratio, args.seed, args.changes, args.trials)]
    elapsed = time.perf_counter() - started

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "domain/matching"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if commit and dirty:
        commit += " with uncommitted changes in domain/matching"
    all_trials = [t for row in rows for t in row.trials]
    within = sum(t.warm < 0.1 for t in all_trials)
    flagged = [t for t in all_trials if t.flag]
    text = "\n\n".join(
        [
            f"# Re-solving after a few changes: warm start against cold solve ({time.strftime('%Y-%m-%d %H:%M')})",
            f"`{' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}` — scale {args.scale}, seed {args.seed}, "
            f"{args.changes} changes per trial, {args.trials} trials per variant, commit {commit or '?'}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}; run {elapsed:.0f} s.  Times are "
            "`time.perf_counter` around `resolve(changed, previous.warm)` and `solve(changed)` in one process, "
            "the problem already loaded.  *independent*: each trial changes the original problem and resolves "
            "from the first cold solve; *chain*: each trial changes the previous trial's problem and resolves "
            "from its state.  Speed-up = median cold / median warm.  *warm path*: trials whose resolve was "
            "certified from the warm start (the others fell back to a cold solve inside `resolve`); the stages and "
            "*outside the stages* (the warm time not covered by `stats.seconds`) are over those trials only.",
            table(HEADER, [cells(row) for row in rows]),
            f"Warm re-solves under 100 ms: {within} of {len(all_trials)}.",
            (
                "**⚠ FLAGGED:**\n\n" + "\n".join(f"- {t.flag} (changes {t.changes})" for t in flagged)
                if flagged
                else "No flag: every warm and cold solution optimal, with equal scores (within 1e-6 per assigned pair)."
            ),
        ]
    )
    print(text)
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "warm.md").write_text(text + "\n", encoding="utf-8")
    print(f"[warm] written {CACHE / 'warm.md'}", file=sys.stderr)
    return 1 if flagged else 0


if __name__ == "__main__":
    raise SystemExit(main())
