"""The matching benchmark over every supply regime: the engine, the greedy baseline and an independent
exact pipeline side by side, per instance, in one sitting.

    .venv/bin/python bench/matching/grid.py                                   # Ghent and region scale
    .venv/bin/python bench/matching/grid.py --scales ghent                    # a few minutes
    .venv/bin/python bench/matching/grid.py --scales ghent,region --skip-independent-above 30e6
    .venv/bin/python bench/matching/grid.py --scales tiny --ratios 1 --no-clustered   # the code path, in seconds

The grid: every ratio (helpers per request: 0.1 scarce … 4 plentiful) at every scale, plus clustered demand
(80 % of the requests in three districts) at ratio 0.33 and 1 at each scale — included by default,
``--no-clustered`` leaves it out.  Instances come from ``generate.py`` and are cached in ``var/bench/`` by
scale, ratio, clustering and seed.

Each run is its own process measured with ``os.wait4`` (wall time including starting Python and reading
the file; that process's own peak RSS): the engine ``cityofpeople match solve --stats``, the greedy
baseline ``--method greedy``, and ``independent.py`` (KD-tree + NumPy rules + OR-Tools min-cost flow,
sharing no code with the engine).  The engine's and the independent solutions are checked by the test
suite's independent checker.  A row whose engine and independent scores differ by more than 1e-6 per
assigned pair is flagged (and the run exits 1).

``--skip-independent-above PAIRS`` skips the independent pipeline on an instance whose eligible pairs,
estimated from a sample of requests, are more than PAIRS (region scale at ratio 4 has about 79 million;
the pipeline then needs minutes and many GB).  By default nothing is skipped.

Prints two Markdown tables on stdout and writes them to ``var/bench/grid.md``: one row per instance, and
the growth from the first scale to each later one per regime.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import BIN, CACHE, ROOT, Run, measure

SIZES = {"tiny": (300, 1, 300), "ghent": (3000, 1, 3000), "region": (3000, 50, 3000)}
"""Per scale: requests per tile, tiles, the base of the helper count (as in ``generate.py``)."""

CLUSTERED_RATIOS = (0.33, 1.0)
TOLERANCE_PER_PAIR = 1e-6


@dataclass
class Outcome:
    """One instance's runs."""

    scale: str
    ratio: float
    clustered: bool
    requests: int
    helpers: int
    engine: Run | None = None
    engine_error: str = ""
    engine_score: float = math.nan
    engine_assigned: int = 0
    engine_optimal: str = "?"
    engine_solve: float = math.nan
    engine_check: str = ""
    greedy: Run | None = None
    greedy_error: str = ""
    greedy_score: float = math.nan
    independent: Run | None = None
    independent_note: str = ""
    independent_score: float = math.nan
    independent_pairs: int = 0
    independent_solve: float = math.nan
    independent_check: str = ""
    flags: list[str] = field(default_factory=list)

    @property
    def regime(self) -> str:
        return f"ratio {fmt_ratio(self.ratio)}" + (", clustered" if self.clustered else "")


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:g}"


def sizes(scale: str, ratio: float) -> tuple[int, int]:
    per_r, tiles, base = SIZES[scale]
    return per_r * tiles, max(1, round(base * ratio)) * tiles


def instance(scale: str, ratio: float, clustered: bool, seed: int) -> Path:
    """The cached instance (generated once)."""
    name = f"{scale}-ratio{fmt_ratio(ratio)}{'-clustered' if clustered else ''}-seed{seed}"
    path = CACHE / f"{name}.json"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")  # a run cut short leaves no instance that looks whole
        command = [str(BIN / "python"), str(ROOT / "bench/matching/generate.py"), "--scale", scale]
        command += ["--ratio", str(ratio), "--seed", str(seed), "-o", str(partial)]
        subprocess.run(command + (["--clustered"] if clustered else []), check=True)
        partial.rename(path)
    return path


def attempt(command: list[str]) -> tuple[Run | None, str]:
    """``run.measure``, but a failing run becomes a note in its row instead of ending the grid."""
    try:
        return measure(command), ""
    except SystemExit as failure:
        return None, str(failure).strip().splitlines()[0] if str(failure).strip() else "failed"


def checked(problem: Path, solution: Path) -> str:
    result = subprocess.run(
        [str(BIN / "python"), str(ROOT / "tests/domain/matching/checker.py"), str(problem), str(solution)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0:
        return "ok"
    first = (result.stdout + result.stderr).strip().splitlines()
    return f"FAILED ({first[0] if first else result.returncode})"


def solution_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def estimated_pairs(problem: Path) -> int:
    result = subprocess.run(
        [str(BIN / "python"), str(ROOT / "bench/matching/independent.py"), str(problem), "--estimate", "2000"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"estimated (\d+) eligible pairs", result.stdout)
    if not found:
        raise SystemExit(f"cannot read the estimate: {result.stdout}{result.stderr}")
    return int(found.group(1))


def run_instance(scale: str, ratio: float, clustered: bool, seed: int, skip_above: float | None) -> Outcome:
    problem = instance(scale, ratio, clustered, seed)
    n_r, n_h = sizes(scale, ratio)
    out = Outcome(scale, ratio, clustered, n_r, n_h)
    stem = problem.with_suffix("")
    cli = str(BIN / "cityofpeople")
    log = f"{scale} {out.regime}"

    engine_path = Path(f"{stem}.engine.json")
    print(f"[grid] {log}: engine …", file=sys.stderr, flush=True)
    out.engine, out.engine_error = attempt([cli, "match", "solve", str(problem), "-o", str(engine_path), "--stats"])
    if out.engine is not None:
        stderr = out.engine.stderr
        found = re.search(r"optimal (true|false)", stderr)
        out.engine_optimal = found.group(1) if found else "?"
        seconds = re.search(r"seconds: (.*)", stderr)
        if seconds:
            parts = re.findall(r"([A-Za-z_]\w*) ([0-9.]+)", seconds.group(1))
            out.engine_solve = sum(float(v) for k, v in parts if k not in ("parse", "write"))
        solution = solution_of(engine_path)
        out.engine_score, out.engine_assigned = float(solution["score"]), len(solution["assignments"])
        out.engine_check = checked(problem, engine_path)
        print(f"[grid]   {out.engine.wall:.2f} s; {stderr.strip().splitlines()[-1]}", file=sys.stderr, flush=True)

    greedy_path = Path(f"{stem}.greedy.json")
    print(f"[grid] {log}: greedy …", file=sys.stderr, flush=True)
    out.greedy, out.greedy_error = attempt(
        [cli, "match", "solve", str(problem), "-o", str(greedy_path), "--method", "greedy"]
    )
    if out.greedy is not None:
        out.greedy_score = float(solution_of(greedy_path)["score"])

    independent_path = Path(f"{stem}.independent.json")
    skip = False
    if skip_above is not None:
        estimate = estimated_pairs(problem)
        if estimate > skip_above:
            skip = True
            out.independent_note = f"skipped (~{estimate / 1e6:.1f} M pairs estimated)"
    if not skip:
        print(f"[grid] {log}: independent …", file=sys.stderr, flush=True)
        command = [str(BIN / "python"), str(ROOT / "bench/matching/independent.py"), str(problem)]
        out.independent, out.independent_note = attempt([*command, "-o", str(independent_path)])
    if out.independent is not None:
        line = out.independent.stderr
        pairs = re.search(r"independent: (\d+) eligible pairs", line)
        timing = dict(re.findall(r"(read|pairs|flow|total) ([0-9.]+)", line))
        out.independent_pairs = int(pairs.group(1)) if pairs else 0
        if "pairs" in timing and "flow" in timing:
            out.independent_solve = float(timing["pairs"]) + float(timing["flow"])
        out.independent_score = float(solution_of(independent_path)["score"])
        out.independent_check = checked(problem, independent_path)
        print(f"[grid]   {out.independent.wall:.2f} s; {line.strip()}", file=sys.stderr, flush=True)

    # the loud part: the two exact solvers must agree, and both solutions must pass the checker
    if out.engine is not None and out.independent is not None:
        tolerance = TOLERANCE_PER_PAIR * max(1, out.engine_assigned)
        if not abs(out.engine_score - out.independent_score) <= tolerance:
            out.flags.append(
                f"SCORE MISMATCH: engine {out.engine_score:.6f} != independent {out.independent_score:.6f} "
                f"(difference {out.engine_score - out.independent_score:+.6f})"
            )
    if out.engine is None:
        out.flags.append(f"ENGINE FAILED: {out.engine_error}")
    elif out.engine_check != "ok":
        out.flags.append(f"ENGINE CHECK {out.engine_check}")
    if out.engine is not None and out.engine_optimal != "true":
        out.flags.append(f"engine says optimal {out.engine_optimal}")
    if out.independent is not None and out.independent_check != "ok":
        out.flags.append(f"INDEPENDENT CHECK {out.independent_check}")
    if out.independent is None and not out.independent_note.startswith("skipped"):
        out.flags.append(f"INDEPENDENT FAILED: {out.independent_note}")
    for flag in out.flags:
        print(f"[grid] !!! {log}: {flag}", file=sys.stderr, flush=True)
    return out


def num(value: float, digits: int = 2) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:,.{digits}f}"


def quotient(a: float | None, b: float | None) -> str:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return "—"
    return f"{a / b:.2f}×"


def row_cells(o: Outcome) -> list[str]:
    e, g, i = o.engine, o.greedy, o.independent
    gap = o.engine_score - o.greedy_score
    gap_pct = 100 * gap / o.engine_score if o.engine_score else math.nan
    checks = f"{o.engine_check or '—'} / {o.independent_check or '—'}"
    cells = [
        o.scale,
        f"{o.requests:,} × {o.helpers:,}",
        fmt_ratio(o.ratio),
        "yes" if o.clustered else "no",
        num(e.wall) if e else f"failed: {o.engine_error}",
        num(e.peak_mb, 0) if e else "—",
        num(o.engine_score, 3),
        f"{o.engine_assigned:,}" if e else "—",
        o.engine_optimal,
        num(g.wall) if g else f"failed: {o.greedy_error}",
        num(o.greedy_score, 3),
        f"{num(gap, 3)} ({num(gap_pct, 3)} %)",
        num(i.wall) if i else (o.independent_note or "—"),
        num(i.peak_mb, 0) if i else "—",
        num(o.independent_score, 3),
        f"{o.independent_pairs:,}" if i else "—",
        quotient(e.wall if e else None, i.wall if i else None),
        quotient(e.peak_mb if e else None, i.peak_mb if i else None),
        checks,
        num(o.engine_solve, 3),
        num(o.independent_solve, 3),
    ]
    if o.flags:
        cells[0] = f"**⚠ {o.scale}**"
        cells.append("**" + "; ".join(o.flags) + "**")
    else:
        cells.append("")
    return cells


HEADER = [
    "scale",
    "requests × helpers",
    "ratio",
    "clustered",
    "engine s",
    "engine MB",
    "engine score",
    "assigned",
    "optimal",
    "greedy s",
    "greedy score",
    "greedy gap (%)",
    "independent s",
    "independent MB",
    "independent score",
    "eligible pairs",
    "engine/indep. time",
    "engine/indep. memory",
    "checks engine / indep.",
    "engine solve s (no parse, write)",
    "indep. pairs + flow s (no read, write)",
    "flags",
]


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def growth(outcomes: list[Outcome], scales: list[str]) -> str:
    if len(scales) < 2:
        return "(growth needs two scales; only " + ", ".join(scales) + " was run)"
    by = {(o.scale, o.ratio, o.clustered): o for o in outcomes}
    rows = []
    for big in scales[1:]:
        for (scale, ratio, clustered), small in by.items():
            if scale != scales[0] or (big, ratio, clustered) not in by:
                continue
            large = by[(big, ratio, clustered)]

            def pair(a: Run | None, b: Run | None) -> tuple[str, str]:
                if a is None or b is None:
                    return "—", "—"
                return quotient(b.wall, a.wall), quotient(b.peak_mb, a.peak_mb)

            et, em = pair(small.engine, large.engine)
            it, im = pair(small.independent, large.independent)
            rows.append(
                [
                    f"{scales[0]} → {big}",
                    large.regime,
                    f"{large.requests / small.requests:.0f}× requests",
                    et,
                    em,
                    it,
                    im,
                ]
            )
    header = ["scales", "regime", "size", "engine time", "engine memory", "indep. time", "indep. memory"]
    return table(header, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="ghent,region", help="comma-separated, smallest first: tiny, ghent, region")
    parser.add_argument("--ratios", default="0.1,0.33,1,4", help="helpers per request, comma-separated")
    parser.add_argument(
        "--clustered",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also clustered demand at ratio 0.33 and 1 (default: yes)",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--skip-independent-above",
        type=float,
        metavar="PAIRS",
        help="skip the independent pipeline where the estimated eligible pairs exceed PAIRS (default: never)",
    )
    args = parser.parse_args()
    scales = [s for s in args.scales.split(",") if s]
    for scale in scales:
        if scale not in SIZES:
            parser.error(f"unknown scale {scale!r} (tiny, ghent, region)")
    ratios = [float(r) for r in args.ratios.split(",") if r]
    plan = [(scale, ratio, False) for scale in scales for ratio in ratios]
    if args.clustered:
        plan += [(scale, ratio, True) for scale in scales for ratio in CLUSTERED_RATIOS]
    plan.sort(key=lambda item: (scales.index(item[0]), item[2], item[1]))

    started = time.perf_counter()
    outcomes = [
        run_instance(scale, ratio, clustered, args.seed, args.skip_independent_above)
        for scale, ratio, clustered in plan
    ]
    elapsed = time.perf_counter() - started

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    flagged = [o for o in outcomes if o.flags]
    text = "\n\n".join(
        [
            f"# Matching benchmark grid ({time.strftime('%Y-%m-%d %H:%M')})",
            f"`{' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}` — seed {args.seed}, commit {commit or '?'}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}; grid run {elapsed:.0f} s.  Times are wall "
            "seconds of the whole process (Python start and reading the file included), memory its peak RSS.",
            table(HEADER, [row_cells(o) for o in outcomes]),
            "Growth per regime (larger / smaller scale):",
            growth(outcomes, scales),
        ]
        + (
            ["**⚠ FLAGGED:**\n\n" + "\n".join(f"- {o.scale} {o.regime}: {'; '.join(o.flags)}" for o in flagged)]
            if flagged
            else [
                "No flag: wherever both ran, engine score = independent score (within 1e-6 per assigned "
                "pair), and every solution checked passed the checker."
            ]
        )
    )
    print(text)
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "grid.md").write_text(text + "\n", encoding="utf-8")
    print(f"[grid] written {CACHE / 'grid.md'}", file=sys.stderr)
    mismatch = any(("MISMATCH" in f or "CHECK" in f or "FAILED" in f) for o in flagged for f in o.flags)
    return 1 if mismatch else 0


if __name__ == "__main__":
    raise SystemExit(main())
