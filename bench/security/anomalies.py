"""The auditor's activity view over two years of history: how long the page and its query take (issue 12, item 7).

    .venv/bin/python bench/security/anomalies.py                                   # SQLite, a million log rows
    .venv/bin/python bench/security/anomalies.py --log-rows 100000 --scale 0.1     # quicker look
    .venv/bin/python bench/security/anomalies.py --postgres-url postgres://me@127.0.0.1:5432/postgres

What it does, in this process:

1. an empty database: a SQLite file in a temporary folder, or with ``--postgres-url`` a new database
   ``cop_bench_<pid>`` on that server, dropped at the end; ``migrate``; ``fill_city`` (``--scale`` 1: 60,000
   past requests over two years with every transition of every match in ``MatchEvent``), and an account for
   every person who acted in that history, so that takes and cancellations count;
2. ``--log-rows`` access-log entries (a million by default) spread evenly over the last two years: each day
   40 coordinators read and list persons' data (a few hundred distinct persons a day between them), helpers
   read the requests they hold, about 1 % refused; and 40 failed sign-ins a day (``SecurityEvent``), some on
   no known account; on the last day one coordinator reads 80 persons and one account gets 12 wrong
   passwords, so the page has something that stands out;
3. ``ANALYZE`` (PostgreSQL's planner statistics; SQLite's ``sqlite_stat1``), then ``--repeat`` times (after
   2 unmeasured warm-ups) through Django's test ``Client``, signed in as an auditor with a second factor: the
   page for the last 14 and 30 days and for a whole year, the JSON route for 30 days, the access-log search
   a row links to (one account, one day); and ``activity.activity_report`` alone for 30 days;
4. on PostgreSQL, the plan of the reads query (``EXPLAIN``), to show it reads the index on ``at``.

It prints one Markdown table: median, 95th percentile and maximum in milliseconds and the SQL queries of one
request.  Timings depend on the machine and on what else runs on it; the query count does not.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DAYS = 730


def environment(folder: Path, postgres_url: str | None) -> str | None:
    """Settings from the environment, before Django starts; the name of a PostgreSQL database to drop."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cityofpeople.settings.test",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "COP_ALLOW_DEMO": "true",
        }
    )
    sys.path.insert(0, str(ROOT))
    if not postgres_url:
        return None
    import psycopg

    name = f"cop_bench_{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = postgres_url.rsplit("/", 1)[0] + "/" + name
    return name


def fill(scale: float, log_rows: int) -> dict[str, Any]:
    """The city, two years of care history, accounts for its actors, the access log and failed sign-ins."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from apps.access.models import AccessLogEntry, SecurityEvent
    from apps.care.models import MatchEvent
    from apps.people.models import Person, Role, RoleAssignment

    timings: dict[str, Any] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("fill_city", "--scale", str(scale), "--seed", "1", verbosity=0)
    timings["fill_city_s"] = time.perf_counter() - started

    started = time.perf_counter()
    user_model = get_user_model()
    with transaction.atomic():
        events = MatchEvent.objects.filter(actor__isnull=False, actor__user__isnull=True)
        actors = set(events.values_list("actor_id", flat=True).distinct())
        users = user_model.objects.bulk_create(
            [user_model(username=f"bench-{pk}", password="!") for pk in sorted(actors)], batch_size=2000
        )
        people = Person.objects.in_bulk(sorted(actors))
        for pk, user in zip(sorted(actors), users, strict=True):
            people[pk].user_id = user.pk
        Person.objects.bulk_update(people.values(), ["user"], batch_size=2000)
        coordinators = []
        for n in range(40):
            user = user_model.objects.create(username=f"bench-coordinator-{n}", password="!")
            person = Person.objects.create(user=user, first_name="Coordinator", last_name=str(n))
            RoleAssignment.objects.create(person=person, role=Role.COORDINATOR)
            coordinators.append((user.pk, person.pk))
    helpers = list(Person.objects.filter(user__isnull=False, helper_offer__isnull=False).values_list("user_id", "pk"))
    subjects = list(Person.objects.filter(user__isnull=True).values_list("pk", flat=True)[:20000]) or [1]
    timings["accounts_s"] = time.perf_counter() - started

    started = time.perf_counter()
    rng = random.Random(1)
    now = timezone.now()
    per_day = max(1, log_rows // DAYS)
    batch: list[AccessLogEntry] = []
    written = 0
    for day in range(DAYS, -1, -1):
        moment = now - timedelta(days=day)
        for _ in range(per_day):
            coordinator = rng.random() < 0.8
            user_id, person_id = rng.choice(coordinators) if coordinator or not helpers else rng.choice(helpers)
            denied = rng.random() < 0.01
            action = "list" if coordinator and rng.random() < 0.35 else "read"
            batch.append(
                AccessLogEntry(
                    at=moment - timedelta(seconds=rng.randrange(0, 8 * 3600)), actor_user_id=user_id,
                    actor_person_id=person_id, actor_role="coordinator" if coordinator else "helper",
                    subject_person_id=rng.choice(subjects), record_type="people.Person.support_needs",
                    record_id="1", action=action, purpose="care_matching",
                    outcome="denied" if denied else "allowed", via="GET people:person_detail",
                )
            )
        if day == 0:  # today: one coordinator reads eighty persons
            user_id, person_id = coordinators[0]
            batch.extend(
                AccessLogEntry(
                    at=now - timedelta(minutes=n), actor_user_id=user_id, actor_person_id=person_id,
                    actor_role="coordinator", subject_person_id=subject, record_type="people.Person.support_needs",
                    record_id="1", action="read", purpose="care_matching", outcome="allowed", via="bench",
                )
                for n, subject in enumerate(subjects[:80])
            )
        if len(batch) >= 20000 or day == 0:
            AccessLogEntry.objects.bulk_create(batch, batch_size=5000)
            written += len(batch)
            batch = []
    timings["access_log_s"] = time.perf_counter() - started
    timings["access_log_rows"] = written

    started = time.perf_counter()
    events = []
    accounts = [user_id for user_id, _person in helpers[:2000]] or [coordinators[0][0]]
    for day in range(DAYS, -1, -1):
        moment = now - timedelta(days=day)
        for _ in range(40):
            known = rng.random() < 0.7
            events.append(
                SecurityEvent(
                    at=moment - timedelta(seconds=rng.randrange(0, 86000)), kind="failed_login", method="password",
                    user_id=rng.choice(accounts) if known else None,
                    client_network=f"{rng.randrange(0, 40):016x}", via="POST account_login",
                )
            )
    events.extend(
        SecurityEvent(at=now - timedelta(minutes=n), kind="failed_login", method="password", user_id=accounts[0],
                      client_network="feedfeedfeedfeed", via="POST account_login")
        for n in range(12)
    )  # fmt: skip
    SecurityEvent.objects.bulk_create(events, batch_size=5000)
    timings["security_events_s"] = time.perf_counter() - started
    timings["security_events_rows"] = len(events)
    timings["match_events_rows"] = MatchEvent.objects.count()

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return timings


def measure(label: str, call: Callable[[], Any], repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        call()
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        call()
    seconds.sort()
    return {
        "label": label,
        "median_ms": statistics.median(seconds) * 1000,
        "p95_ms": seconds[max(0, round(0.95 * len(seconds)) - 1)] * 1000,
        "max_ms": seconds[-1] * 1000,
        "queries": len(queries),
    }


def run(repeat: int, scale: float, log_rows: int) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from apps.access.activity import activity_report
    from apps.people.models import Person, Role, RoleAssignment

    setup_test_environment()
    timings = fill(scale, log_rows)
    auditor = get_user_model().objects.create(username="bench-auditor", password="!")
    RoleAssignment.objects.create(
        person=Person.objects.create(user=auditor, first_name="Audrey", last_name="Bench"), role=Role.AUDITOR
    )
    TOTP.activate(auditor, "JBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(auditor)
    today = timezone.localdate()

    def page(query: dict[str, Any]) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get("/nl/audit/activity/", query)
            assert response.status_code == 200, response.status_code
            return response

        return get

    first = page({"days": 14})().content.decode()
    assert "valt op" in first, "the 80 reads and 12 failed sign-ins of today stand out"
    year = {"since": (today - timedelta(days=91)).isoformat(), "until": today.isoformat()}
    coordinator = get_user_model().objects.get(username="bench-coordinator-0").pk
    rows = [
        measure("page, last 14 days", page({"days": 14}), repeat),
        measure("page, last 30 days", page({"days": 30}), repeat),
        measure("page, three months (since/until, the longest allowed)", page(year), max(3, repeat // 4)),
        measure("API, last 30 days (JSON)", lambda: client.get("/api/v1/access-log/activity", {"days": 30}), repeat),
        measure(
            "access-log search a row links to (one account, one day)",
            lambda: client.get("/nl/audit/", {"actor": coordinator, "since": today, "until": today}),
            repeat,
        ),
        measure(
            "activity_report alone, 30 days",
            lambda: activity_report(since=today - timedelta(days=29), until=today),
            repeat,
        ),
    ]
    plan = ""
    if connection.vendor == "postgresql":
        from django.db.models import Count
        from django.db.models.functions import TruncDate

        from apps.access.activity import _start_of
        from apps.access.models import AccessLogEntry

        # the reads source's query (apps/access/activity.py: _reads and per_day), for 30 days and the 28 before
        start, end = _start_of(today - timedelta(days=29 + 28)), _start_of(today + timedelta(days=1))
        grouped = (
            AccessLogEntry.objects.filter(
                at__gte=start, at__lt=end, outcome="allowed", action__in=["read", "export"],
                actor_user_id__isnull=False, subject_person_id__isnull=False,
            )
            .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
            .values("actor_user_id", "day")
            .annotate(n=Count("subject_person_id", distinct=True))
            .order_by()
        )
        sql, params = grouped.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
    timings["vendor"] = connection.vendor
    return timings, rows, plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0, help="fill_city's scale (1: 60,000 past requests)")
    parser.add_argument("--log-rows", type=int, default=1_000_000)
    parser.add_argument("--postgres-url", help="a PostgreSQL server to make a throwaway database on")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cop-bench-anomalies-"))
    database = environment(folder, arguments.postgres_url)
    try:
        timings, rows, plan = run(arguments.repeat, arguments.scale, arguments.log_rows)
    finally:
        if database:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(arguments.postgres_url, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)
    vendor = "PostgreSQL" if database else "SQLite"
    print(f"\n### The auditor's activity view over two years ({vendor})\n")
    print(
        f"{timings['access_log_rows']:,} access-log rows, {timings['security_events_rows']:,} failed sign-ins, "
        f"{timings['match_events_rows']:,} match events; filled in {timings['fill_city_s']:.0f} s (fill_city) + "
        f"{timings['access_log_s']:.0f} s (log) + {timings['security_events_s']:.0f} s (sign-ins)\n"
    )
    print("| what | median ms | p95 ms | max ms | SQL queries |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        times = f"{row['median_ms']:.1f} | {row['p95_ms']:.1f} | {row['max_ms']:.1f}"
        print(f"| {row['label']} | {times} | {row['queries']} |")
    if plan:
        print("\nPlan of the reads count (30 days and the 28 before):\n\n```\n" + plan + "\n```")


if __name__ == "__main__":
    main()
