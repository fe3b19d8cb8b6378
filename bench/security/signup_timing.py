"""Does the time of an answer tell whether an account exists?  Known against new, timed (issue 12, ASVS 6.3.8).

    .venv/bin/python bench/security/signup_timing.py                 # 50 known and 50 new of each, SQLite
    .venv/bin/python bench/security/signup_timing.py --repeat 20     # quicker look
    .venv/bin/python bench/security/signup_timing.py --postgres-url postgres://me@127.0.0.1:5432/postgres

What it does, in this process:

1. an empty database: a SQLite file in a temporary folder, or with ``--postgres-url`` a new database
   ``cop_bench_<pid>`` on that server, dropped at the end; ``migrate``; one account with a confirmed email
   address and a confirmed mobile number (the "known" one);
2. the settings of ``cityofpeople.settings.dev`` with DEBUG off, and what matters here as in production:
   Django's default password hasher (PBKDF2, not the tests' MD5), email and SMS queued as task rows, the
   breach check asked over HTTP (a stand-in for the Pwned Passwords range API on 127.0.0.1 that answers at
   once with a padded list: the real one adds the same network time to both kinds); the rate limits are
   off, or 200 sign-ups from one address would be refused;
3. each page ``--repeat`` times for a known and as often for a new (unknown) identifier, alternating, so
   that any drift of the machine hits both alike, each from a fresh browser (Django's test ``Client``: the
   whole request, middleware, views, templates), after 3 unmeasured warm-up rounds:
   sign-up with email and password, first with allauth's own sign-up form (``before``: what was measured
   as 54 ms against 621 ms) and then with ours (``apps.people.forms.SignupForm``); the phone sign-up; the
   password reset; a sign-in code by email and by SMS.

It prints one Markdown table: medians and 95th percentiles in milliseconds, and the difference of the
medians.  Timings depend on the machine and on what else runs on it; the work each path does does not
(``tests/apps/people/test_account_abuse.py`` counts hashes, breach look-ups and messages).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "zonnige-dinsdag-aan-de-leie"
KNOWN_EMAIL, KNOWN_PHONE = "bekend@example.org", "+32470998877"


class BreachStandIn(BaseHTTPRequestHandler):
    """Answers a range query at once, padded to the size the real service sends (about 800 suffixes)."""

    body = "\r\n".join(f"{n:035X}:0" for n in range(800)).encode()

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)


def environment(folder: Path, postgres_url: str | None, breach_url: str) -> str | None:
    """Settings from the environment, before Django starts; the name of a PostgreSQL database to drop."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cityofpeople.settings.dev",
            "COP_DEBUG": "false",
            "COP_VAR_DIR": str(folder),
            "COP_ALLOWED_HOSTS": "testserver",
            "COP_BREACHED_PASSWORDS_URL": breach_url,
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        }
    )
    if not postgres_url:
        return None
    import psycopg

    name = f"cop_bench_{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = postgres_url.rsplit("/", 1)[0] + "/" + name
    return name


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(repeat: int, known: Callable[[int], Any], new: Callable[[int], Any]) -> tuple[list[float], list[float]]:
    """``repeat`` timings of each, alternating, after three unmeasured rounds (numbered from -3)."""
    times: tuple[list[float], list[float]] = ([], [])
    for n in range(-3, repeat):
        for kind, action in enumerate((known, new)):
            started = time.perf_counter()
            action(n)
            if n >= 0:
                times[kind].append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--postgres-url", help="a PostgreSQL server to make a throwaway database on")
    parser.add_argument("--only", help="measure only the pages whose label contains this (e.g. sign-up)")
    arguments = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), BreachStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    folder = Path(tempfile.mkdtemp(prefix="cop-signup-timing-"))
    sys.path.insert(0, str(ROOT))
    database = environment(folder, arguments.postgres_url, f"http://127.0.0.1:{server.server_address[1]}/range/")
    try:
        rows = run(arguments.repeat, arguments.only or "")
    finally:
        server.shutdown()
        if database:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(arguments.postgres_url, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)
    vendor = "PostgreSQL" if database else "SQLite"
    print(f"\n### Known against new identifier, {arguments.repeat} of each ({vendor}, milliseconds)\n")
    print("| page | known: median | new: median | known: p95 | new: p95 | difference of medians |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, (known, new) in rows:
        median_known, median_new = statistics.median(known), statistics.median(new)
        print(
            f"| {label} | {median_known:.1f} | {median_new:.1f} | {percentile(known, 0.95):.1f} | "
            f"{percentile(new, 0.95):.1f} | {median_new - median_known:+.1f} |"
        )


def run(repeat: int, only: str) -> list[tuple[str, tuple[list[float], list[float]]]]:
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client, override_settings

    from apps.people.models import Person

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user(username=KNOWN_EMAIL, email=KNOWN_EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=KNOWN_EMAIL, verified=True, primary=True)
    Person.objects.create(user=user, first_name="Bekend", last_name="Test", phone=KNOWN_PHONE, phone_verified=True)

    def post(url: str, data: dict[str, str]) -> None:
        response = Client().post(url, data)
        assert response.status_code == 302, (url, response.status_code)

    def sign_up(email: str) -> None:
        post("/nl/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})

    rows = []
    pages: list[tuple[str, dict[str, Any], Callable[[int], Any], Callable[[int], Any]]] = [
        (
            "sign-up, allauth's own form (before)",
            {"ACCOUNT_FORMS": {"login": "apps.people.forms.LoginForm"}},
            lambda n: sign_up(KNOWN_EMAIL),
            lambda n: sign_up(f"before-{n + 3}@example.org"),
        ),
        (
            "sign-up (ours)",
            {},
            lambda n: sign_up(KNOWN_EMAIL),
            lambda n: sign_up(f"new-{n + 3}@example.org"),
        ),
        (
            "phone sign-up",
            {},
            lambda n: post("/nl/signup/phone/", {"phone": KNOWN_PHONE}),
            lambda n: post("/nl/signup/phone/", {"phone": f"+3247{n + 3:07d}"}),
        ),
        (
            "password reset",
            {},
            lambda n: post("/nl/accounts/password/reset/", {"email": KNOWN_EMAIL}),
            lambda n: post("/nl/accounts/password/reset/", {"email": f"nobody-{n + 3}@example.org"}),
        ),
        (
            "sign-in code by email",
            {},
            lambda n: post("/nl/accounts/login/code/", {"email": KNOWN_EMAIL}),
            lambda n: post("/nl/accounts/login/code/", {"email": f"nobody-{n + 3}@example.org"}),
        ),
        (
            "sign-in code by SMS",
            {},
            lambda n: post("/nl/accounts/login/code/", {"phone": KNOWN_PHONE}),
            lambda n: post("/nl/accounts/login/code/", {"phone": f"+3247{n + 3:07d}"}),
        ),
    ]
    for label, changes, known, new in pages:
        if only not in label:
            continue
        with override_settings(ACCOUNT_RATE_LIMITS=False, **changes):
            rows.append((label, measure(repeat, known, new)))
        print(f"{label}: done", file=sys.stderr)
    return rows


if __name__ == "__main__":
    main()
