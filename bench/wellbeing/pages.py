"""How fast are the heaviest wellbeing pages after three years of data in one district? (issue 17)

    .venv/bin/python bench/wellbeing/pages.py                     # SQLite, a fresh database in a temporary folder
    .venv/bin/python bench/wellbeing/pages.py --repeat 100
    .venv/bin/python bench/wellbeing/pages.py --postgres          # also PostgreSQL: DATABASE_URL if set (a new
                                                                  # database is made on that server and dropped),
                                                                  # else a throwaway cluster started here
    .venv/bin/python bench/wellbeing/pages.py --scale 0.1         # a tenth of the data, for a quick look

Builds, seeded, in the district with the largest population (``load_districts``), three years of wellbeing work:
20,000 residents, 30,000 screenings (De Jong Gierveld 11 and 6, UCLA 3, scored by ``domain.instruments``, by phone,
at a visit or online, each with the person's consent for the wellbeing purpose), 6,000 outreach cases (open, in
contact, closed with an outcome), 20,000 contact attempts, 4,000 reports of worried neighbours and 5,000 signals;
a coordinator of the district who is also its team lead (``TeamLead``) with ~300 open cases, five colleagues with
~1,500 open cases between them, and a city staff member.  Then asks each page ``--repeat`` times (after one
unmeasured warm-up) through Django's test ``Client``, in turns so that whatever else runs on the machine falls on
all pages alike: the coordinator's district view, case worklist, closed cases, call list, the screenings of a
person with 20 of them, the reports worklist; city staff's triage list of signals and district view; a visitor's
public signals page of the district.  Prints one Markdown table per database (p50, p95, max of the wall time of
the whole request in ms, and the SQL queries of one request, ``CaptureQueriesContext``) and the data sizes.
Times depend on the machine; query counts do not.  Python's garbage collector is frozen after start-up as
``cityofpeople/wsgi.py`` does (``--no-gc-freeze``: as it comes).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]
SEED = 17
WARM_UP = 1
TARGET_P95_MS = 150.0
YEARS = 3
SIZES = {
    "residents": 20_000,
    "screened": 12_000,  # residents with a consent for the wellbeing purpose (the screenings are theirs)
    "screenings": 30_000,
    "cases": 6_000,
    "lead_open": 300,
    "colleagues_open": 1_500,
    "attempts": 20_000,
    "reports": 4_000,
    "signals": 5_000,
}
COLLEAGUES = 5
STREETS = ["Korenmarkt", "Sint-Pietersnieuwstraat", "Brusselsesteenweg", "Dampoortstraat", "Kortrijksesteenweg",
           "Vrijdagmarkt", "Sleepstraat", "Antwerpsesteenweg", "Overpoortstraat", "Hoogpoort", "Veldstraat",
           "Kouter", "Nederkouter", "Sint-Amandsberg", "Wondelgemstraat"]  # fmt: skip
FIRST = ["Marie", "Jan", "Fatima", "Luc", "An", "Mehmet", "Els", "Pieter", "Sofie", "Ahmed", "Rita", "Koen"]
LAST = ["Peeters", "Janssens", "Maes", "Yilmaz", "De Smet", "El Amrani", "Claes", "Goossens", "Wouters", "Mertens"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the data sizes (default 1)")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL (DATABASE_URL, else a cluster)")
    parser.add_argument("--no-gc-freeze", action="store_true", help="leave Python's garbage collector as it comes")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        return run_here(args)
    folder = tempfile.mkdtemp(prefix="cop-bench-wellbeing-")
    status = _child(args, {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "COP_VAR_DIR": folder}, "sqlite")
    if args.postgres:
        given = os.environ.get("DATABASE_URL", "")
        if given.startswith(("postgres://", "postgresql://")):
            with scratch_database(given) as url:
                status |= _child(args, {"DATABASE_URL": url, "COP_VAR_DIR": folder}, "postgres")
        else:
            with postgres_cluster() as url:
                status |= _child(args, {"DATABASE_URL": url, "COP_VAR_DIR": folder}, "postgres")
    shutil.rmtree(folder, ignore_errors=True)
    return status


def _child(args: argparse.Namespace, env: dict[str, str], name: str) -> int:
    """Each database in its own process: Django is set up once per process, with one DATABASE_URL."""
    command = [sys.executable, __file__, "--only", name, "--repeat", str(args.repeat), "--scale", str(args.scale)]
    if args.no_gc_freeze:
        command.append("--no-gc-freeze")
    return subprocess.call(command, env={**os.environ, **env})


class scratch_database:
    """A new database ``cop_bench_<pid>`` on the server of ``url``, dropped at the end."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = f"cop_bench_{os.getpid()}"

    def _admin(self, sql: str) -> None:
        import psycopg

        parsed = urlparse(self.url)
        with psycopg.connect(urlunparse(parsed._replace(scheme="postgresql")), autocommit=True) as connection:
            connection.execute(sql)

    def __enter__(self) -> str:
        self._admin(f'CREATE DATABASE "{self.name}"')
        return urlunparse(urlparse(self.url)._replace(path=f"/{self.name}"))

    def __exit__(self, *exc: object) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')


def postgres_cluster() -> Any:
    """The throw-away PostgreSQL cluster of ``bench/directory/search.py`` (started as ``bin/test`` starts one)."""
    spec = importlib.util.spec_from_file_location("bench_directory_search", ROOT / "bench" / "directory" / "search.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.postgres_cluster()


def run_here(args: argparse.Namespace) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cityofpeople.settings.test"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import logging
    import warnings

    import django

    django.setup()
    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
    warnings.filterwarnings("ignore", message="No directory at")
    logging.getLogger("django.request").setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_districts", verbosity=0)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    world = build(args.scale)
    built = time.perf_counter() - started
    district = world["district"]
    print(f"\n### {connection.vendor}: three years of wellbeing in district {district.number} ({district.name}); "
          f"migrate and districts {migrated:.0f} s, data generated in {built:.1f} s\n")  # fmt: skip
    print(sizes())
    measure(world, args.repeat, freeze=not args.no_gc_freeze)
    return 0


# ----------------------------------------------------------------------------------------------------------
# the data


def build(scale: float) -> dict[str, Any]:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from apps.people.models import Consent, Person, Purpose, Role, RoleAssignment
    from apps.places.models import District
    from apps.wellbeing.models import ContactAttempt, OutreachCase, Screening, Signal, WorryReport
    from apps.wellbeing.models_cases import TeamLead
    from apps.wellbeing.signals_service import category_codes
    from domain.instruments import INSTRUMENTS, score

    n = {key: max(1, int(value * scale)) for key, value in SIZES.items()}
    rng = random.Random(SEED)
    now = timezone.now()
    span = timedelta(days=365 * YEARS)

    def moment_in(start: datetime, end: datetime) -> datetime:
        return start + (end - start) * rng.random()

    def ago(days_from: float, days_to: float = 0) -> datetime:
        return now - timedelta(days=rng.uniform(days_to, days_from))

    district = District.objects.exclude(population=None).order_by("-population", "number").first()
    district = district or District.objects.get(number=1)
    User = get_user_model()
    batch = 2000

    def person(first: str, last: str, number: int, **extra: Any) -> Any:
        return Person(
            first_name=first, last_name=last, street=rng.choice(STREETS), house_number=str(number % 300 + 1),
            postcode="9000", lat=district.interior_lat, lon=district.interior_lon, district=district,
            languages=["nl"], **extra,
        )  # fmt: skip

    with transaction.atomic():
        # staff: the lead coordinator (also team lead), colleagues, city staff
        def staff(email: str, first: str, role: str, scoped: bool) -> Any:
            user = User.objects.create_user(username=email, email=email, password="bench-not-used-123")
            someone = person(first, "Bench", 1, user=user, email=email)
            someone.save()
            RoleAssignment.objects.create(person=someone, role=role, district=district if scoped else None)
            return someone

        lead = staff("lead.coordinator@bench.example", "Lea", Role.COORDINATOR, True)
        TOTP.activate(lead.user, "JBSWY3DPEHPK3PXP")
        TeamLead.objects.create(person=lead, district=district)
        colleagues = [staff(f"coordinator{i}@bench.example", f"Collega{i}", Role.COORDINATOR, True)
                      for i in range(COLLEAGUES)]  # fmt: skip
        city = staff("city.staff@bench.example", "Stad", Role.CITY_STAFF, False)
        coordinators = [lead, *colleagues]

        # residents, with the wellbeing consent of those screened
        residents = Person.objects.bulk_create(
            [person(rng.choice(FIRST), rng.choice(LAST), i) for i in range(n["residents"])], batch_size=batch
        )
        screened = residents[: n["screened"]]
        consents = Consent.objects.bulk_create(
            [Consent(person=p, purpose=Purpose.WELLBEING_SCREENING, method=rng.choice(["phone", "paper", "online"]),
                     text_version="2024-01", recorded_by=rng.choice(coordinators), given_at=now - span)
             for p in screened],
            batch_size=batch,
        )  # fmt: skip
        consent_of = {c.person_id: c for c in consents}

        # screenings: one resident with 20 of them, the rest spread over the screened residents and 3 years
        followed = screened[0]
        owners = [followed] * min(20, n["screenings"]) + [
            rng.choice(screened[1:] or screened) for _ in range(n["screenings"] - min(20, n["screenings"]))
        ]
        shapes = ["djg11"] * 3 + ["djg6"] * 4 + ["ucla3"] * 3
        screenings = []
        for owner in owners:
            key = rng.choice(shapes)
            scale_ = INSTRUMENTS[key]
            answer_format = rng.choice(list(scale_.formats))
            codes = scale_.formats[answer_format]
            lonely = rng.random()  # some residents lonelier than others
            answers = {
                number: codes[min(len(codes) - 1, int(rng.random() ** (1 + 2 * lonely) * len(codes)))]
                for number in scale_.numbers
            }
            result = score(key, answers, answer_format)
            mode = rng.choices(["phone", "visit", "online"], weights=[4, 3, 3])[0]
            screenings.append(Screening(
                person=owner, instrument=result.instrument, instrument_version=result.version,
                answer_format=result.answer_format, language="nl", answers=answers, total=result.total,
                category=result.category or "", emotional=result.emotional,
                emotional_category=result.emotional_category or "", social=result.social,
                social_category=result.social_category or "", missing=list(result.missing), mode=mode,
                taken_by=None if mode == "online" else rng.choice(coordinators), consent=consent_of[owner.pk],
                district=district, taken_at=ago(span.days),
            ))  # fmt: skip
        Screening.objects.bulk_create(screenings, batch_size=batch)

        # reports of worried neighbours: the last weeks' still new, older ones picked up or turned into a case
        reports = []
        signs = [code for code, _label in WorryReport.Sign.choices]
        for i in range(n["reports"]):
            created = ago(span.days)
            new = (now - created).days < 21 and rng.random() < 0.7
            status = "new" if new else rng.choice(["picked_up", "case_opened"])
            reports.append(WorryReport(
                street=rng.choice(STREETS), house_number=str(i % 200 + 1), postal_code="9000", district=district,
                signs=rng.sample(signs, rng.randint(1, 3)), noticed="De brievenbus puilt uit.",
                reporter_phone="+32470000000" if rng.random() < 0.4 else "", status=status, created_at=created,
                picked_up_by=None if new else rng.choice(coordinators),
                picked_up_at=None if new else created + timedelta(days=rng.uniform(0.1, 5)),
            ))  # fmt: skip
        reports = WorryReport.objects.bulk_create(reports, batch_size=batch)
        opened_from = [r for r in reports if r.status == "case_opened"]

        # outreach cases: the open ones of the lead and the colleagues, the rest closed over three years
        open_total = n["lead_open"] + n["colleagues_open"]
        cases = []
        outcomes = [code for code, _label in OutreachCase.Outcome.choices]
        for i in range(max(n["cases"], open_total)):
            is_open = i < open_total
            owner = lead if i < n["lead_open"] else colleagues[i % COLLEAGUES] if is_open else rng.choice(coordinators)
            created = ago(120, 0) if is_open else ago(span.days, 14)
            origin = rng.choice(["report", "screening", "observation"])
            about = rng.choice(residents) if origin != "report" or rng.random() < 0.6 else None
            roll = rng.random()
            follow_up = None
            if is_open and roll < 0.85:
                follow_up = (now + timedelta(days=rng.randint(-20, 30))).date()
            closed_at = None
            if not is_open:
                closed_at = min(now, created + timedelta(days=rng.uniform(3, 120)))
            cases.append(OutreachCase(
                person=about, district=district, assigned_to=owner, origin=origin,
                report=rng.choice(opened_from) if origin == "report" and opened_from else None,
                notes="Gebeld, zal terugbellen.",
                consent=consent_of.get(about.pk) if about is not None else None,
                status=("in_contact" if roll < 0.4 else "open") if is_open else "closed",
                follow_up_on=follow_up, outcome="" if is_open else rng.choice(outcomes), created_by=owner,
                created_at=created, closed_by=None if is_open else owner, closed_at=closed_at,
            ))  # fmt: skip
        cases = OutreachCase.objects.bulk_create(cases, batch_size=batch)

        attempts = []
        channels = [code for code, _label in ContactAttempt.Channel.choices]
        results = [code for code, _label in ContactAttempt.Outcome.choices]
        for _ in range(n["attempts"]):
            case = rng.choice(cases)
            attempts.append(ContactAttempt(
                case=case, by=case.assigned_to, at=moment_in(case.created_at, case.closed_at or now),
                channel=rng.choice(channels), outcome=rng.choice(results), note="Niemand thuis.",
            ))  # fmt: skip
        ContactAttempt.objects.bulk_create(attempts, batch_size=batch)

        # signals of what isolates people
        categories = list(category_codes())
        signals = []
        for i in range(n["signals"]):
            created = ago(span.days)
            status = "new" if (now - created).days < 30 else rng.choice(["forwarded", "solved", "not_applicable"])
            triaged = status != "new"
            signals.append(Signal(
                category=rng.choice(categories), description="Er is geen bank meer aan de halte.", district=district,
                address=f"{rng.choice(STREETS)} {i % 150 + 1}", status=status,
                forwarded_to="Mobiliteit" if status == "forwarded" else "", reporter=rng.choice(residents),
                created_at=created, triaged_by=city if triaged else None,
                triaged_at=created + timedelta(days=rng.uniform(1, 20)) if triaged else None,
            ))  # fmt: skip
        Signal.objects.bulk_create(signals, batch_size=batch)
    return {"district": district, "lead": lead, "city": city, "followed": followed}


def sizes() -> str:
    from apps.access.models import AccessLogEntry
    from apps.people.models import Consent, Person
    from apps.wellbeing.models import ContactAttempt, OutreachCase, Screening, Signal, WorryReport

    rows = [
        ("persons", Person.objects.count()),
        ("consents", Consent.objects.count()),
        ("screenings", Screening.objects.count()),
        ("outreach cases (open / in contact / closed)",
         "{} ({} / {} / {})".format(OutreachCase.objects.count(), *[
             OutreachCase.objects.filter(status=s).count() for s in ("open", "in_contact", "closed")])),
        ("contact attempts", ContactAttempt.objects.count()),
        ("worry reports (new)",
         f"{WorryReport.objects.count()} ({WorryReport.objects.filter(status='new').count()})"),
        ("signals", Signal.objects.count()),
        ("access log entries before measuring", AccessLogEntry.objects.count()),
    ]  # fmt: skip
    return "| data | rows |\n| --- | ---: |\n" + "\n".join(f"| {name} | {value} |" for name, value in rows) + "\n"


# ----------------------------------------------------------------------------------------------------------
# the pages


def _client(person: Any | None) -> Any:
    from django.test import Client

    client = Client()
    if person is not None:
        client.force_login(person.user)
    return client


def pages(world: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    lead, city = _client(world["lead"]), _client(world["city"])
    visitor = _client(None)
    district = world["district"]
    return {
        "district view (coordinator)": (lead, "/nl/wellbeing/district/"),
        "district view, district chosen (coordinator)": (lead, f"/nl/wellbeing/district/?district={district.pk}"),
        "district view, district chosen (city staff)": (city, f"/nl/wellbeing/district/?district={district.pk}"),
        "case worklist (team lead)": (lead, "/nl/wellbeing/cases/"),
        "closed cases (team lead)": (lead, "/nl/wellbeing/cases/closed/"),
        "call list (team lead)": (lead, "/nl/wellbeing/cases/calls/"),
        "screenings of a person, 20 (team lead)": (lead, f"/nl/wellbeing/persons/{world['followed'].pk}/screenings/"),
        "reports worklist (coordinator)": (lead, "/nl/wellbeing/reports/"),
        "signals triage list (city staff)": (city, "/nl/wellbeing/signals/"),
        "public signals of the district (visitor)": (visitor, f"/nl/wellbeing/signals/districts/{district.slug}/"),
    }


def _p95(values: list[float]) -> float:
    """Nearest-rank percentile (a value that was measured)."""
    ordered = sorted(values)
    return ordered[max(1, -(-95 * len(ordered) // 100)) - 1]


def measure(world: dict[str, Any], repeat: int, freeze: bool = True) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    asked = pages(world)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    # the status and the queries of one request, under Django's test instrumentation (switched off again for the
    # timing: it copies every template context, which production does not)
    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    queries: dict[str, int] = {}
    sizes_shown: dict[str, str] = {}
    for name, (client, url) in asked.items():
        for _ in range(WARM_UP):
            response = client.get(url)
            assert response.status_code == 200, (name, url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        queries[name] = len(captured)
        sizes_shown[name] = f"{len(response.content) // 1024} KB"
    teardown_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if freeze:
        gc.collect()
        gc.freeze()
    times: dict[str, list[float]] = {name: [] for name in asked}
    for _turn in range(repeat):
        for name, (client, url) in asked.items():  # in turns: whatever else runs falls on all pages alike
            begun = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 200, (name, url, response.status_code)
    frozen = "gc.freeze() after start-up" if freeze else "garbage collector as it comes"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{repeat} requests per page after {WARM_UP} warm-up, in turns, {frozen}; ms; {os.cpu_count()} cores, "
          f"load average at the end {load}.\n")  # fmt: skip
    print("| page | p50 | p95 | max | SQL queries | page size |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, values in times.items():
        flag = " **over 150 ms**" if _p95(values) > TARGET_P95_MS else ""
        print(f"| {name} | {statistics.median(values):.1f} | {_p95(values):.1f}{flag} | {max(values):.1f} | "
              f"{queries[name]} | {sizes_shown[name]} |")  # fmt: skip
    from apps.access.models import AccessLogEntry

    print(f"\naccess log entries after measuring: {AccessLogEntry.objects.count()}")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
