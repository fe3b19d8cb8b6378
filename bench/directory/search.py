"""How fast is "Find help" at city scale? (issue 16: p95 under 100 ms on SQLite and PostgreSQL)

    .venv/bin/python bench/directory/search.py                     # SQLite, a fresh database in a temporary folder
    .venv/bin/python bench/directory/search.py --postgres          # also a PostgreSQL cluster started here
    .venv/bin/python bench/directory/search.py --repeat 300 --services 5000 --locations 2000
    DATABASE_URL=postgres://me@127.0.0.1:5432/scratch .venv/bin/python bench/directory/search.py  # an EMPTY database

Builds a directory of 5,000 published services at 2,000 locations (real points of the address register, so
districts and distances are true), with 48 types of help in a tree, languages, service areas, schedules at the
three levels (hours, Christmas closures, "by appointment"), and the search text the import writes.  Then asks
the whole page ``GET /nl/find-help/?…`` (form, search, explanations, district map, template) through Django's test
client, ``--repeat`` times per kind of search: each filter alone, several together, words with and without
typos, near an address (the offline address finder included), open now, open on a day.  Each kind's times
(p50, p95, max, in ms; and the p50 and p95 of the CPU time of this process, which on a busy shared machine
says what the search costs better than the wall clock: with SQLite all the work is in this process) and its SQL
queries per search (with the search's index current) are printed as one Markdown table per
database.  Times depend on the machine; query counts do not (they do not grow with the directory).
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
SEED = 16

# words the services are made of: the kinds of help (as a Ghent social map says them) and ordinary filler
KINDS = [
    ("Thuisverpleging", "verpleegkundige zorg aan huis, wondzorg, medicatie, hulp bij wassen"),
    ("Maaltijden aan huis", "warme maaltijden elke werkdag aan huis gebracht, ook dieetmaaltijden"),
    ("Poetshulp", "hulp bij het poetsen en het huishouden voor wie het zelf niet meer kan"),
    ("Boodschappendienst", "vrijwilligers doen uw boodschappen of gaan mee naar de winkel"),
    ("Mantelzorgondersteuning", "steun, vorming en een luisterend oor voor mantelzorgers"),
    ("Schuldhulp", "budgetbegeleiding en schuldbemiddeling bij betalingsproblemen"),
    ("Minder Mobielen Centrale", "vrijwillige chauffeurs voor wie moeilijk met bus of tram raakt"),
    ("Lokaal dienstencentrum", "activiteiten, ontmoeting, warme maaltijd, pedicure en kapper"),
    ("Luisterlijn", "een gesprek voor wie zich eenzaam voelt of het moeilijk heeft"),
    ("Gezinszorg", "verzorgenden helpen bij het dagelijkse leven thuis"),
    ("Woonadvies", "advies en premies om uw woning aan te passen"),
    ("Sociaal tolken", "tolken ter plaatse of via de telefoon bij gesprekken met diensten"),
]
_FILLER_WORDS = (
    "buurt wijk stad hulp zorg ouderen senioren gezin kinderen jongeren vrijwilligers gratis betaalbaar "
    "afspraak onthaal loket advies begeleiding ondersteuning informatie aanvraag premie tegemoetkoming "
    "ziekenfonds huisarts ontmoeting activiteit cursus vorming gesprek vervoer rolstoel toegankelijk "
    "dagopvang kortverblijf oppas nachtzorg palliatieve dementie diabetes revalidatie kinesitherapie "
    "apotheek bibliotheek computerles fietsherstel klusjes tuinonderhoud strijkdienst wasserette"
)
FILLER = _FILLER_WORDS.split(" ")
ADJECTIVES = ["Zonnige", "Warme", "Open", "Groene", "Sterke", "Nieuwe", "Oude", "Blije", "Stille", "Vrije"]
LANGUAGES = [("fr", 0.2), ("en", 0.3), ("ar", 0.1), ("tr", 0.08), ("pl", 0.05)]
ADDRESSES = ["Korenmarkt 1", "Sint-Pietersnieuwstraat 33", "Brusselsesteenweg 499", "Dampoortstraat 5",
             "Kortrijksesteenweg 100", "Vrijdagmarkt 10", "Sleepstraat 50", "Antwerpsesteenweg 20"]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=200, help="searches per kind (default 200)")
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--locations", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true", help="also on a PostgreSQL cluster started here")
    parser.add_argument("--no-gc-freeze", action="store_true", help="leave Python's garbage collector as it comes")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only or os.environ.get("DATABASE_URL"):
        return run_here(args)
    folder = tempfile.mkdtemp(prefix="cop-bench-directory-")
    status = _child(args, {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "COP_VAR_DIR": folder}, "sqlite")
    if args.postgres:
        with postgres_cluster() as url:
            status |= _child(args, {"DATABASE_URL": url, "COP_VAR_DIR": folder}, "postgres")
    shutil.rmtree(folder, ignore_errors=True)
    return status


def _child(args: argparse.Namespace, env: dict[str, str], name: str) -> int:
    """Each database in its own process: Django is set up once per process, with one DATABASE_URL."""
    command = [sys.executable, __file__, "--only", name, "--repeat", str(args.repeat), "--services",
               str(args.services), "--locations", str(args.locations)]  # fmt: skip
    if args.no_gc_freeze:
        command.append("--no-gc-freeze")
    return subprocess.call(command, env={**os.environ, **env})


class postgres_cluster:
    """A throw-away PostgreSQL cluster, started as ``bin/test`` starts one (as the postgres user when root)."""

    def __enter__(self) -> str:
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        if not versions:
            raise SystemExit("PostgreSQL is not installed here: set DATABASE_URL to a server.")
        self.bin = versions[-1]
        self.root = Path(tempfile.mkdtemp(prefix="cop-bench-pg-"))
        self.root.chmod(0o755)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        if os.getuid() == 0:
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", f"{self.root}/data", "-U", "cityofpeople", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {self.root} -c fsync=off -c synchronous_commit=off"
        self._run("pg_ctl", "-D", f"{self.root}/data", "-w", "-l", f"{self.root}/server.log", "-o", options, "start")
        return f"postgres://cityofpeople@127.0.0.1:{port}/postgres"

    def _run(self, tool: str, *arguments: str) -> None:
        command = [str(self.bin / tool), *arguments]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def __exit__(self, *exc: object) -> None:
        try:
            self._run("pg_ctl", "-D", f"{self.root}/data", "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def run_here(args: argparse.Namespace) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cityofpeople.settings.test"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import warnings

    import django

    django.setup()
    warnings.filterwarnings("ignore", message="Limit for query logging exceeded")
    warnings.filterwarnings("ignore", message="No directory at")
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_districts", verbosity=0)
    build(args.services, args.locations)
    vendor = connection.vendor
    print(f"\n### {vendor}: {args.services} services at {args.locations} locations "
          f"(built in {time.perf_counter() - started:.0f} s)\n")  # fmt: skip
    _fix_the_clock()
    measure(args.repeat, freeze=not args.no_gc_freeze)
    return 0


def _fix_the_clock() -> None:
    """Every search at 10:30 on the coming Tuesday, so "open now" finds what it would in office hours whenever
    the benchmark runs (at night it found nothing, and cost nothing)."""
    from datetime import datetime

    from django.utils import timezone

    today = timezone.localdate()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    moment = datetime.combine(tuesday, clock(10, 30), tzinfo=timezone.get_current_timezone())
    timezone.now = lambda: moment  # what timezone.localtime() and the search's moment read


# ----------------------------------------------------------------------------------------------------------
# the directory


def build(services: int, locations: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from apps.directory import models as m
    from apps.organisations.models import Organisation
    from apps.places.models import District
    from domain.directory.text import normalise

    rng = random.Random(SEED)
    now = timezone.now()
    published = {"published_at": now, "checked_at": now}
    districts = {d.number: d for d in District.objects.all()}
    with open(ROOT / "data" / "gent" / "addresses-crab2014.csv", encoding="utf-8") as file:
        points = [row for row in csv.DictReader(file) if row["district_nr"]]
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"{rng.choice(ADJECTIVES)} {kind} {n}", slug=f"bench-org-{n}")
            for n, (kind, _text) in enumerate(rng.choice(KINDS) for _ in range(300))
        )
        parents = m.TaxonomyTerm.objects.bulk_create(
            m.TaxonomyTerm(name_nl=kind, name_en=f"{kind} (en)", name_fr=f"{kind} (fr)", code=f"k{n}")
            for n, (kind, _text) in enumerate(KINDS)
        )
        children = m.TaxonomyTerm.objects.bulk_create(
            m.TaxonomyTerm(
                name_nl=f"{parent.name_nl} {word}",
                name_en=f"{parent.name_nl} {word}",
                parent=parent,
                code=f"{parent.code}-{n}",
            )
            for parent in parents
            for n, word in enumerate(rng.sample(FILLER, 3))
        )
        terms = parents + children
        places = []
        for n in range(locations):
            point = rng.choice(points)
            places.append(m.Location(
                organisation=rng.choice(organisations), name=f"Locatie {n}", latitude=float(point["lat"]),
                longitude=float(point["lon"]), district=districts[int(point["district_nr"])], **published,
            ))  # fmt: skip
        m.Location.objects.bulk_create(places)
        chosen_points = [rng.choice(points) for _ in places]
        m.Address.objects.bulk_create(
            m.Address(
                location=place,
                address_1=f"{p['street']} {p['housenumber']}",
                city="Gent",
                state_province="Oost-Vlaanderen",
                postal_code=p["postcode"],
            )
            for place, p in zip(places, chosen_points, strict=True)
        )
        made, attributes, languages, areas, sals, schedules, phones = [], [], [], [], [], [], []
        for n in range(services):
            kind, text = rng.choice(KINDS)
            organisation = rng.choice(organisations)
            description = f"{text}. " + " ".join(rng.sample(FILLER, 12))
            service = m.Service(
                organisation=organisation, name=f"{kind} {rng.choice(ADJECTIVES)} {n}", description=description,
                status=m.Service.Status.TEMPORARILY_CLOSED if n % 50 == 0 else m.Service.Status.ACTIVE, **published,
            )  # fmt: skip
            service_terms = rng.sample(terms, 2)
            names = " ".join(f"{t.name_nl} {t.name_en} {t.name_fr}" for t in service_terms)
            service.search_text = normalise(f"{service.name} {description} {organisation.name} {names}")
            made.append(service)
            attributes += [m.Attribute(service=service, taxonomy_term=t) for t in service_terms]
            languages.append(m.Language(service=service, code="nl"))
            languages += [m.Language(service=service, code=code) for code, share in LANGUAGES if rng.random() < share]
            if rng.random() < 0.3:
                areas += [m.ServiceArea(service=service, district=d, name=d.name)
                          for d in rng.sample(list(districts.values()), rng.randint(1, 3))]  # fmt: skip
            for place in rng.sample(places, rng.choice([1, 1, 1, 2])):
                sals.append(m.ServiceAtLocation(service=service, location=place))
            schedules += _schedules(rng, service, sals[-1])
            phones.append(m.Phone(service=service, number=f"+3290{n:06d}"))
        m.Service.objects.bulk_create(made)
        for model, rows in ((m.Attribute, attributes), (m.Language, languages), (m.ServiceArea, areas),
                            (m.ServiceAtLocation, sals), (m.Schedule, schedules), (m.Phone, phones)):  # fmt: skip
            model.objects.bulk_create(rows, batch_size=2000)
        building_hours = [
            m.Schedule(location=place, kind="hours", byday="MO,TU,WE,TH,FR", opens_at=clock(8), closes_at=clock(18))
            for place in places[::4]
        ]
        m.Schedule.objects.bulk_create(building_hours)


def _schedules(rng: random.Random, service: Any, sal: Any) -> list[Any]:
    from apps.directory.models import Schedule

    roll = rng.random()
    christmas = (date(date.today().year, 12, 24), date(date.today().year, 12, 26))
    if roll < 0.1:
        return [Schedule(service=service, kind="appointment")]
    if roll < 0.15:
        return [Schedule(service_at_location=sal, kind="hours", byday="MO,WE", opens_at=clock(13), closes_at=clock(16))]
    if roll < 0.3:
        return []  # the location's hours, if any
    days = rng.choice(["MO,TU,WE,TH,FR", "MO,TU,TH,FR", "TU,TH", "MO,TU,WE,TH,FR,SA", ""])
    rows = [Schedule(service=service, kind="hours", byday=days, opens_at=clock(9), closes_at=clock(12))]
    if rng.random() < 0.6:
        rows.append(Schedule(service=service, kind="hours", byday=days, opens_at=clock(13), closes_at=clock(17)))
    if rng.random() < 0.2:
        rows.append(Schedule(service=service, kind="closed", valid_from=christmas[0], valid_to=christmas[1]))
    if rng.random() < 0.05:
        rows.append(Schedule(service=service, kind="appointment"))
    return rows


# ----------------------------------------------------------------------------------------------------------
# the searches


def kinds(rng: random.Random) -> dict[str, Callable[[], dict[str, str]]]:
    from apps.directory.models import Language, TaxonomyTerm
    from apps.places.models import District

    terms = [str(pk) for pk in TaxonomyTerm.objects.values_list("pk", flat=True)]
    districts = list(District.objects.values_list("slug", flat=True))
    codes = sorted(set(Language.objects.values_list("code", flat=True)))
    words = [kind.lower() for kind, _text in KINDS] + FILLER
    soon = date.today() + timedelta(days=3)

    def typo(word: str) -> str:
        at = rng.randrange(1, len(word) - 1)
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :] if len(word) > 4 else word

    def day() -> str:
        return (soon + timedelta(days=rng.randrange(0, 7))).strftime("%d/%m/%Y")

    return {
        "everything (no filter)": lambda: {},
        "type of help": lambda: {"need": rng.choice(terms)},
        "district": lambda: {"district": rng.choice(districts)},
        "near an address": lambda: {"address": rng.choice(ADDRESSES)},
        "language": lambda: {"language": rng.choice(codes)},
        "open now": lambda: {"open_now": "on"},
        "open on a day": lambda: {"day": day()},
        "words": lambda: {"words": rng.choice(words)},
        "words with a typo": lambda: {"words": typo(rng.choice(words))},
        "two words, accents": lambda: {"words": f"{rng.choice(words)} {rng.choice(FILLER)}".replace("e", "é", 1)},
        "type + district + language": lambda: {
            "need": rng.choice(terms),
            "district": rng.choice(districts),
            "language": rng.choice(codes),
        },
        "words + address + open now": lambda: {
            "words": typo(rng.choice(words)),
            "address": rng.choice(ADDRESSES),
            "open_now": "on",
        },
        "all filters": lambda: {
            "words": rng.choice(words),
            "need": rng.choice(terms[: len(KINDS)]),
            "district": rng.choice(districts),
            "language": "nl",
            "day": day(),
            "address": rng.choice(ADDRESSES),
        },
    }


def measure(repeat: int, freeze: bool = True) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    client = Client()
    rng = random.Random(SEED)
    asked = kinds(rng)
    # what each kind finds and its queries, read under Django's test instrumentation (which copies every
    # template context: it is switched off again for the timing, as it is not there in production)
    setup_test_environment()
    queries: dict[str, int] = {}
    found: dict[str, list[int]] = {name: [] for name in asked}
    for name, make in asked.items():
        for url in ["/nl/find-help/?" + urlencode(make()) for _ in range(20)]:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries[name] = len(captured)  # the last: the index is current (the first built it)
            context = response.context
            found[name].append(context["found"].total if context is not None and context.get("found") else 0)
    teardown_test_environment()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client.get("/nl/find-help/?address=Korenmarkt+1")  # the address register is read once per process
    for _ in range(3):
        for make in asked.values():
            client.get("/nl/find-help/?" + urlencode(make()))
    if freeze:
        # what cityofpeople/wsgi.py does after start-up, here after the address register is loaded too (its
        # 180,000 objects made each full pass of the garbage collector cost 150 ms, one request in twenty)
        gc.collect()
        gc.freeze()
    urls = {name: ["/nl/find-help/?" + urlencode(make()) for _ in range(repeat)] for name, make in asked.items()}
    times: dict[str, list[float]] = {name: [] for name in asked}
    cpu: dict[str, list[float]] = {name: [] for name in asked}
    for turn in range(repeat):
        for name in asked:  # in turns, so whatever else runs on the machine falls on all alike
            url = urls[name][turn]
            begun, begun_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times[name].append((time.perf_counter() - begun) * 1000)
            cpu[name].append((time.process_time() - begun_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    frozen = "gc.freeze() after start-up" if freeze else "garbage collector as it comes"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"{repeat} searches per kind (whole page: form, search, explanations, map), after 3 warm-ups, {frozen}; ms; "
        f"{os.cpu_count()} cores, load average at the end {load}.\n"
    )
    print("| search | p50 | p95 | max | CPU p50 | CPU p95 | SQL queries | services found (median) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    every: list[float] = []
    every_cpu: list[float] = []
    for name, values in times.items():
        values.sort()
        spent = sorted(cpu[name])
        every += values
        every_cpu += spent
        print(f"| {name} | {statistics.median(values):.1f} | {_p95(values):.1f} | {values[-1]:.1f} | "
              f"{statistics.median(spent):.1f} | {_p95(spent):.1f} | {queries[name]} | "
              f"{statistics.median(found[name]):.0f} |")  # fmt: skip
    every.sort()
    every_cpu.sort()
    print(f"| **all {len(every)} searches** | {statistics.median(every):.1f} | {_p95(every):.1f} | "
          f"{every[-1]:.1f} | {statistics.median(every_cpu):.1f} | {_p95(every_cpu):.1f} | "
          f"{max(queries.values())} | |")  # fmt: skip
    sys.stdout.flush()


def _p95(values: list[float]) -> float:
    return values[max(0, int(len(values) * 0.95) - 1)]


if __name__ == "__main__":
    raise SystemExit(main())
