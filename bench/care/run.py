"""Benchmark of care matching at city scale: pages, API lists and a full matching round, on SQLite and PostgreSQL.

    .venv/bin/python bench/care/run.py                                   # both databases, the whole city
    .venv/bin/python bench/care/run.py --databases sqlite --scale 0.1     # quicker look
    .venv/bin/python bench/care/run.py --postgres-url postgres://me@db.example:5432/postgres

What it does, per database, in a fresh process of its own (so each gets its own Django settings):

1. an empty database: a new SQLite file in a temporary folder; for PostgreSQL a throwaway server
   started here like ``bin/test`` does (``initdb`` and ``pg_ctl`` as the ``postgres`` user in a temporary
   folder, ``fsync=off``: reads are measured as on any server, writes are a little faster), or, with
   ``--postgres-url``, a new database ``cop_bench_<pid>`` created on that server and dropped at the end;
2. ``migrate``, ``load_demo`` and ``fill_city`` (20,000 persons, 5,000 helpers, 3,000 open and 60,000
   past requests at ``--scale 1``), timed, each in a process of its own, so that the measuring process
   starts clean as a server would;
3. each page ``--repeat`` times (50 by default, after 3 unmeasured warm-up requests) through Django's
   test ``Client`` in the same process, logged in as the demo coordinator (worklist, call list, one
   request's page with its suggestions) or the demo helper ("near me"): the median, the 95th
   percentile and the maximum of the wall time of the whole request (middleware, views, templates),
   and the number of SQL queries of one request (``CaptureQueriesContext``);
4. ``selectors.suggestions_for`` alone, for the same request, the same way;
5. every ``GET`` endpoint of the API under ``/api/v1/care/`` that exists when it runs and takes no
   path parameter (found in the OpenAPI document), plus the suggestions of the same request, as the
   first demo role that may call it (coordinator, helper, resident);
6. a full Ghent matching round from the database to the stored proposals (``services.round_run`` over
   all 25 districts), three times: seconds, requests, helpers, total score, whether proven optimal.

The request whose page and suggestions are measured is, of the open requests of the coordinator's
district, the one with the most helpers who fit: the heaviest suggestion list, not a typical one.

Python's garbage collector: a full pass over the objects a Django process holds after start-up (about
140,000) costs some 50 ms on the benchmark machine, and the pages that build an engine problem allocate
enough to trigger one every few requests: that is most of the distance between median and 95th
percentile.  By default the benchmark does what the production entry point ``cityofpeople/wsgi.py`` does,
``gc.freeze()`` after start-up (a common setting for Django under gunicorn); ``--no-gc-freeze`` measures
Python as it comes, to show what that setting is worth.

Targets (issue 6): the 95th percentile under 150 ms for each page, a full round under 5 s.  It prints
one Markdown report; ``--json FILE`` also writes the raw numbers.  Timings depend on the machine and on
what else runs on it; query counts do not (``tests/apps/care/test_query_counts.py`` pins them).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
TARGET_P95_MS = 150.0
TARGET_ROUND_S = 5.0
WARM_UP = 3


# ----------------------------------------------------------------------------------------------------------
# the child: one database, in its own process


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: a value that was measured)."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[rank - 1]


def _measure(call: Callable[[], Any], repeat: int, check: Callable[[Any], str | None]) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        problem = check(call())
        if problem:
            return {"error": problem}
    with CaptureQueriesContext(connection) as queries:
        call()
    count = len(queries)  # now: the next request's start empties the log the context reads from
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return {
        "median_ms": statistics.median(times),
        "p95_ms": _percentile(times, 0.95),
        "max_ms": max(times),
        "queries": count,
        "n": repeat,
    }


def cpu_calibration() -> float:
    """Seconds for a fixed loop of plain Python: how busy the machine was while measuring."""
    started = time.perf_counter()
    total = 0
    for number in range(5_000_000):
        total += number
    return time.perf_counter() - started


def _status_is(expected: int) -> Callable[[Any], str | None]:
    def check(response: Any) -> str | None:
        return None if response.status_code == expected else f"answered {response.status_code}"

    return check


def _manage(*command: str) -> float:
    """Run a management command in a process of its own (as a deployment loads data); its seconds."""
    started = time.perf_counter()
    subprocess.run([str(PYTHON), str(ROOT / "manage.py"), *command], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def child(args: argparse.Namespace) -> dict[str, Any]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cityofpeople.settings.test"
    os.environ["DATABASE_URL"] = args.database_url
    sys.path.insert(0, str(ROOT))
    # the data is loaded by other processes: this one starts clean, like a server would
    setup_s = _manage("migrate", "-v", "0") + _manage("load_demo")
    fill_s = _manage("fill_city", "--scale", str(args.scale), "--seed", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from django.utils import translation

    setup_test_environment()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 403 while probing roles is expected
    result: dict[str, Any] = {
        "vendor": connection.vendor,
        "pages": {},
        "rounds": [],
        "cpu_s": [cpu_calibration()],
        "setup_s": setup_s,
        "fill_s": fill_s,
    }

    from apps.access.actors import actor_for_user
    from apps.care import selectors, services
    from apps.care.models import CareRequest, HelperOffer, MatchingRound
    from apps.people.demo import DEMO_ACCOUNTS
    from apps.people.models import Person, Role
    from apps.places.models import District
    from cityofpeople.api import api

    users = {a.role.value: get_user_model().objects.get(username=a.email) for a in DEMO_ACCOUNTS}
    clients: dict[str, Client] = {}
    for role in ("coordinator", "helper", "resident"):
        clients[role] = Client()
        clients[role].force_login(users[role])
    coordinator = Person.objects.get(user=users["coordinator"])
    actor = actor_for_user(users["coordinator"])
    heaviest = (
        selectors.requests_in_scope(actor)
        .filter(status=CareRequest.Status.OPEN, district_id__in=actor.district_scope(Role.COORDINATOR))
        .exclude(eligible_helpers=None)
        .order_by("-eligible_helpers", "pk")
        .first()
    )
    assert heaviest is not None, "no open request in the coordinator's district"
    result["request"] = {"pk": heaviest.pk, "eligible_helpers": heaviest.eligible_helpers}
    result["sizes"] = {
        "persons": Person.objects.count(),
        "helpers": HelperOffer.objects.count(),
        "requests": CareRequest.objects.count(),
        "open": CareRequest.objects.filter(status=CareRequest.Status.OPEN).count(),
    }
    if args.gc_freeze:
        # what a server can do once it has started (for example in cityofpeople/wsgi.py): move every
        # object of the start-up out of reach of the garbage collector, whose full passes over them
        # otherwise cost tens of milliseconds now and then
        for client in clients.values():
            client.get("/nl/")
        gc.collect()
        gc.freeze()
    result["gc_frozen"] = args.gc_freeze
    with translation.override("nl"):
        pages = {
            "coordinator worklist (care:worklist)": ("coordinator", reverse("care:worklist")),
            "helper near me (care:helper_home)": ("helper", reverse("care:helper_home")),
            "request with suggestions (care:request_detail)": (
                "coordinator",
                reverse("care:request_detail", args=[heaviest.pk]),
            ),
            "call list (care:call_list)": ("coordinator", reverse("care:call_list")),
        }
    for name, (role, url) in pages.items():
        print(f"  {connection.vendor}: {name}", file=sys.stderr)
        result["pages"][name] = {
            "role": role,
            **_measure(lambda c=clients[role], u=url: c.get(u), args.repeat, _status_is(200)),
        }
    print(f"  {connection.vendor}: suggestions_for", file=sys.stderr)
    result["pages"]["selectors.suggestions_for (no page)"] = {
        "role": "-",
        **_measure(lambda: selectors.suggestions_for(heaviest), args.repeat, lambda found: None),
    }
    schema = api.get_openapi_schema()
    endpoints = sorted(
        path for path, methods in schema["paths"].items() if path.startswith("/api/v1/care/") and "get" in methods
    )
    endpoints = [p for p in endpoints if "{" not in p] + [f"/api/v1/care/requests/{heaviest.pk}/suggestions"]
    for path in endpoints:
        print(f"  {connection.vendor}: GET {path}", file=sys.stderr)
        for role in ("coordinator", "helper", "resident"):
            if clients[role].get(path).status_code == 200:
                result["pages"][f"API GET {path}"] = {
                    "role": role,
                    **_measure(lambda c=clients[role], p=path: c.get(p), args.repeat, _status_is(200)),
                }
                break
        else:
            result["pages"][f"API GET {path}"] = {"role": "-", "error": "no demo role got 200"}
    result["cpu_s"].append(cpu_calibration())
    district_ids = list(District.objects.values_list("pk", flat=True))
    for _ in range(3):
        print(f"  {connection.vendor}: matching round", file=sys.stderr)
        matching_round = MatchingRound.objects.create(started_by=coordinator)
        started = time.perf_counter()
        matching_round = services.round_run(matching_round.pk, district_ids)
        result["rounds"].append(
            {
                "wall_s": time.perf_counter() - started,
                "recorded_s": matching_round.seconds,
                "requests": matching_round.requests_count,
                "helpers": matching_round.helpers_count,
                "proposals": matching_round.proposals.count(),
                "score": matching_round.total_score,
                "optimal": matching_round.optimal,
            }
        )
    return result


# ----------------------------------------------------------------------------------------------------------
# the parent: databases, processes, the report


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: the cluster then belongs to the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class ThrowawayPostgres:
    """A PostgreSQL server in a temporary folder, for one benchmark run (as ``bin/test`` starts one)."""

    def __init__(self) -> None:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not versions:
            raise SystemExit("PostgreSQL is not installed (apt-get install postgresql), or pass --postgres-url.")
        self.bin = versions[-1]
        self.root = Path(tempfile.mkdtemp(prefix="cop-bench-pg."))
        self.port = _free_port()

    def __enter__(self) -> str:
        self.root.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        data = self.root / "data"
        subprocess.run(
            _as_postgres([str(self.bin / "initdb"), "-D", str(data), "-U", "cityofpeople", "--auth=trust",
                          "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off"
        )
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(data), "-w", "-l", str(self.root / "server.log"),
                          "-o", options, "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return f"postgres://cityofpeople@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *exc: object) -> None:
        subprocess.run(
            _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop"]),
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)


class ScratchDatabase:
    """A new database on an existing PostgreSQL server, dropped afterwards (the URL's own is never touched)."""

    def __init__(self, url: str) -> None:
        from urllib.parse import urlparse

        self.url = url
        self.name = f"cop_bench_{os.getpid()}"
        self.parsed = urlparse(url)

    def _admin(self, sql: str) -> None:
        import psycopg

        dsn = self.url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def __enter__(self) -> str:
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self.parsed._replace(path=f"/{self.name}").geturl()

    def __exit__(self, *exc: object) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')


def run_child(database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [str(PYTHON), __file__, "--child", "--database-url", database_url, "--scale", str(args.scale),
                   "--repeat", str(args.repeat), "--json", out.name]  # fmt: skip
        command.append("--gc-freeze" if args.gc_freeze else "--no-gc-freeze")
        subprocess.run(command, check=True, cwd=ROOT)
        result: dict[str, Any] = json.loads(Path(out.name).read_text(encoding="utf-8"))
        return result


def _cell(page: dict[str, Any] | None, key: str) -> str:
    if page is None:
        return "–"
    if "error" in page:
        return page["error"] if key == "p95_ms" else "–"
    value = page[key]
    if key == "p95_ms":
        mark = "" if value < TARGET_P95_MS else " ✗"
        return f"{value:.0f}{mark}"
    return f"{value:.0f}" if isinstance(value, float) else str(value)


def report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    names = list(results)
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    frozen = ", gc.freeze() after start-up" if args.gc_freeze else ""
    lines = [f"## Care matching at city scale (--scale {args.scale}, {args.repeat} requests per page{frozen})", ""]
    first = results[names[0]]
    sizes = first["sizes"]
    lines.append(
        f"{sizes['persons']:,} persons, {sizes['helpers']:,} helpers, {sizes['requests']:,} care requests "
        f"({sizes['open']:,} open). Request measured: #{first['request']['pk']} "
        f"({first['request']['eligible_helpers']} helpers fit, the most in the coordinator's district)."
    )
    lines.append("")
    header = "| what | as |"
    rule = "| --- | --- |"
    for name in names:
        header += f" {label[name]} median ms | {label[name]} p95 ms | {label[name]} max ms | {label[name]} queries |"
        rule += " ---: | ---: | ---: | ---: |"
    lines += [header, rule]
    pages: list[str] = []
    for result in results.values():
        pages += [p for p in result["pages"] if p not in pages]
    for page in pages:
        role = next((r["pages"][page]["role"] for r in results.values() if page in r["pages"]), "-")
        row = f"| {page} | {role} |"
        for name in names:
            found = results[name]["pages"].get(page)
            row += "".join(f" {_cell(found, key)} |" for key in ("median_ms", "p95_ms", "max_ms", "queries"))
        lines.append(row)
    lines += ["", f"✗: over the {TARGET_P95_MS:.0f} ms target.", ""]
    lines += [
        "| full Ghent round | seconds (median of 3) | slowest | requests | helpers | proposals | score | optimal |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name in names:
        rounds = results[name]["rounds"]
        last = rounds[-1]
        wall = statistics.median(r["wall_s"] for r in rounds)
        lines.append(
            f"| {label[name]} | {wall:.2f}{'' if wall < TARGET_ROUND_S else ' ✗'} | "
            f"{max(r['wall_s'] for r in rounds):.2f} | {last['requests']:,} | {last['helpers']:,} | "
            f"{last['proposals']:,} | {last['score']:,.1f} | {'yes' if last['optimal'] else 'no'} |"
        )
    lines += [
        "",
        "| database | migrate + load_demo s | fill_city s | CPU check before / after the pages s |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in names:
        result = results[name]
        cpu = " / ".join(f"{seconds:.2f}" for seconds in result["cpu_s"])
        lines.append(f"| {label[name]} | {result['setup_s']:.1f} | {result['fill_s']:.1f} | {cpu} |")
    lines += [
        "",
        "CPU check: a fixed loop of plain Python (5 million additions), before and after the pages: it grows "
        "when other work shares the machine, and every time above grows with it.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--scale", type=float, default=1.0, help="fill_city --scale (1 = the whole city)")
    parser.add_argument("--repeat", type=int, default=50, help="measured requests per page (at least 50)")
    parser.add_argument("--postgres-url", help="an existing server (a scratch database is made on it)")
    parser.add_argument(
        "--gc-freeze",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="gc.freeze() after start-up, as cityofpeople/wsgi.py does in production (default; see the docstring)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child(args)
        args.json.write_text(json.dumps(result), encoding="utf-8")
        return 0
    results: dict[str, dict[str, Any]] = {}
    for name in [d.strip() for d in args.databases.split(",") if d.strip()]:
        print(f"{name}: fill the city and measure…", file=sys.stderr)
        if name == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="cop-bench-sqlite."))
            try:
                results[name] = run_child(f"sqlite:///{folder / 'city.sqlite3'}", args)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        elif name == "postgresql":
            server = ScratchDatabase(args.postgres_url) if args.postgres_url else ThrowawayPostgres()
            with server as url:
                results[name] = run_child(url, args)
        else:
            raise SystemExit(f"unknown database {name!r}: use sqlite or postgresql")
    print(report(results, args))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
