"""How fast are the pages and feeds of neighbourhood life with a city's worth of it? (issue 18, item 6)

    .venv/bin/python bench/community/pages.py                     # SQLite, a fresh database in a temporary folder
    .venv/bin/python bench/community/pages.py --postgres          # also PostgreSQL (DATABASE_URL if set, else a
                                                                  # throw-away cluster started here)
    .venv/bin/python bench/community/pages.py --scale 0.1         # a tenth of the data, for a quick look
    .venv/bin/python bench/community/pages.py --concurrency       # also: 20 requests at once for the last tables
                                                                  # (PostgreSQL only)

Builds, seeded: 20,000 residents, 250 places, 2,000 initiatives (a fifth of them in the district with the largest
population: clustered), 30,000 events over a year (from three months ago to nine months ahead; a third weekly series
of 4 to 52 weeks, a tenth of places or the city; two in five take registrations) and 200,000 registrations for their
dates (confirmed up to the capacity, the rest on the waiting list).  Then asks each page ``--repeat`` times after one
warm-up, in turns: the district's coordination view (its coordinator), the public list of initiatives of the
district, What's on (the district; with two filters; the whole city, page 5), an event page, the weekly programme,
and every feed: the district's, the busiest place's, the busiest initiative's and a person's own with 60
registrations.  A feed is kept in the cache until an event of it changes, so "cold" (the first answer after the
cache is emptied, the feed written) is reported beside the warm figures.  Prints one Markdown table per database
(p50, p95, max in ms, the SQL queries of one request, the answer's size) and the data sizes.
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
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEED = 18
WARM_UP = 1
TARGET_P95_MS = 150.0
SIZES = {"residents": 20_000, "places": 250, "initiatives": 2_000, "events": 30_000, "registrations": 200_000}
CLUSTER = 0.2  # the share of initiatives and events in the largest district
PERSONAL_REGISTRATIONS = 60
STREETS = [
    "Korenmarkt",
    "Sint-Pietersnieuwstraat",
    "Brusselsesteenweg",
    "Dampoortstraat",
    "Kortrijksesteenweg",
    "Vrijdagmarkt",
    "Sleepstraat",
    "Antwerpsesteenweg",
    "Overpoortstraat",
    "Hoogpoort",
    "Veldstraat",
]


def _wellbeing_bench() -> Any:
    """The wellbeing benchmark's helpers (the throw-away databases, the percentile)."""
    spec = importlib.util.spec_from_file_location("bench_wellbeing_pages", ROOT / "bench" / "wellbeing" / "pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the data sizes (default 1)")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL (DATABASE_URL, else a cluster)")
    parser.add_argument("--concurrency", action="store_true", help="20 requests at once for the last tables (PG)")
    parser.add_argument("--keep", metavar="FOLDER", help="SQLite only: keep the database in FOLDER and reuse it")
    parser.add_argument("--only", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.only:
        return run_here(args)
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        env = {"DATABASE_URL": f"sqlite:///{Path(args.keep).resolve()}/bench.sqlite3", "COP_VAR_DIR": args.keep}
        return _child(args, env, "sqlite")
    helpers = _wellbeing_bench()
    folder = tempfile.mkdtemp(prefix="cop-bench-community-")
    status = _child(args, {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "COP_VAR_DIR": folder}, "sqlite")
    if args.postgres or args.concurrency:
        given = os.environ.get("DATABASE_URL", "")
        if given.startswith(("postgres://", "postgresql://")):
            with helpers.scratch_database(given) as url:
                status |= _child(args, {"DATABASE_URL": url, "COP_VAR_DIR": folder}, "postgres")
        else:
            with helpers.postgres_cluster() as url:
                status |= _child(args, {"DATABASE_URL": url, "COP_VAR_DIR": folder}, "postgres")
    shutil.rmtree(folder, ignore_errors=True)
    return status


def _child(args: argparse.Namespace, env: dict[str, str], name: str) -> int:
    command = [sys.executable, __file__, "--only", name, "--repeat", str(args.repeat), "--scale", str(args.scale)]
    if args.concurrency:
        command.append("--concurrency")
    return subprocess.call(command, env={**os.environ, **env})


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
    from apps.community.models import Initiative

    world = world_of() if Initiative.objects.exists() else build(args.scale)
    built = time.perf_counter() - started
    district = world["district"]
    print(
        f"\n### {connection.vendor}: a city's neighbourhood life, clustered in district {district.number} "
        f"({district.name}); migrate and districts {migrated:.0f} s, data generated in {built:.1f} s\n"
    )
    print(sizes(district))
    measure(world, args.repeat)
    if args.concurrency and connection.vendor == "postgresql":
        concurrency(world)
    return 0


# ---------------------------------------------------------------------------------------------------------------
# the data


def build(scale: float) -> dict[str, Any]:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from apps.community.models import Event, Initiative, Registration, Theme
    from apps.community.occurrences import rebuild_many
    from apps.people.models import Person, Role, RoleAssignment
    from apps.places.models import District, Place

    n = {key: max(1, int(value * scale)) for key, value in SIZES.items()}
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate(now)
    districts = list(District.objects.defer("geometry").order_by("number"))
    biggest = District.objects.exclude(population=None).order_by("-population", "number").first() or districts[0]
    User = get_user_model()
    batch = 2000

    def district_for() -> Any:
        return biggest if rng.random() < CLUSTER else rng.choice(districts)

    with transaction.atomic():
        themes = [
            Theme.objects.create(slug=slug, name_nl=slug, name_en=slug, name_fr=slug, order=i)
            for i, slug in enumerate(["food", "language", "repair", "exercise", "culture", "nature"])
        ]
        residents = Person.objects.bulk_create(
            [
                Person(
                    first_name=f"Bewoner{i}",
                    last_name="Bench",
                    street=rng.choice(STREETS),
                    house_number=str(i % 300),
                    postcode="9000",
                    district=(d := rng.choice(districts)),
                    lat=d.interior_lat,
                    lon=d.interior_lon,
                    languages=["nl"],
                )
                for i in range(n["residents"])
            ],
            batch_size=batch,
        )
        places = Place.objects.bulk_create(
            [
                Place(
                    name=f"Buurthuis {i}",
                    slug=f"bench-place-{i}",
                    district=(d := district_for()),
                    kind=Place.Kind.values[0],
                    street=rng.choice(STREETS),
                    house_number=str(i),
                    postcode="9000",
                    lat=(d.interior_lat or 51.05) + rng.uniform(-0.004, 0.004),
                    lon=(d.interior_lon or 3.72) + rng.uniform(-0.006, 0.006),
                )
                for i in range(n["places"])
            ],
            batch_size=batch,
        )
        places_in: dict[int, list[Any]] = {}
        for place in places:
            places_in.setdefault(place.district_id, []).append(place)
        audiences = [code for code, _label in Initiative.Audience.choices]
        initiatives = Initiative.objects.bulk_create(
            [
                Initiative(
                    title=f"Initiatief {i}",
                    summary="Samen iets doen in de buurt.",
                    organiser="residents",
                    audience=rng.sample(audiences, rng.randint(1, 3)),
                    district=(d := district_for()),
                    place=rng.choice(places_in[d.pk]) if d.pk in places_in and rng.random() < 0.6 else None,
                    street=rng.choice(STREETS),
                    status="published" if rng.random() < 0.9 else "submitted",
                    intergenerational=rng.random() < 0.3,
                    intercultural=rng.random() < 0.3,
                    starter=rng.choice(residents),
                    commitment_signed_at=now,
                    published_at=now,
                )
                for i in range(n["initiatives"])
            ],
            batch_size=batch,
        )
        Initiative.themes.through.objects.bulk_create(
            [Initiative.themes.through(initiative_id=i.pk, theme_id=rng.choice(themes).pk) for i in initiatives],
            batch_size=batch,
        )
        published = [i for i in initiatives if i.status == "published"]
        by_district: dict[int, list[Any]] = {}
        for initiative in published:
            by_district.setdefault(initiative.district_id, []).append(initiative)
        events = []
        for i in range(n["events"]):
            district = district_for()
            owned = by_district.get(district.pk) if rng.random() < 0.9 else None
            initiative = rng.choice(owned) if owned else None
            weekly = rng.random() < 1 / 3
            first = today + timedelta(days=rng.randint(-90, 270))
            place = (
                initiative.place
                if initiative and initiative.place
                else (rng.choice(places_in[district.pk]) if district.pk in places_in and rng.random() < 0.7 else None)
            )
            events.append(
                Event(
                    uid=f"bench-{i}@{settings.COMMUNITY_CALENDAR_DOMAIN}",
                    title=f"Activiteit {i}",
                    description="Iedereen welkom.",
                    initiative=initiative,
                    district=district,
                    place=place,
                    address="" if place else f"{rng.choice(STREETS)} {i % 200}",
                    starts_on=first,
                    start_time=datetime.min.time().replace(
                        hour=rng.choice([10, 14, 16, 19, 20]), minute=rng.choice([0, 30])
                    ),
                    duration_minutes=rng.choice([60, 90, 120]),
                    repeat="weekly" if weekly else "none",
                    repeat_until=first + timedelta(weeks=rng.randint(4, 52)) if weekly else None,
                    audience=rng.sample(audiences, rng.randint(1, 2)),
                    wheelchair_accessible=rng.random() < 0.5,
                    capacity=rng.choice([10, 20, 30, 50]) if rng.random() < 0.4 else None,
                    created_at=now,
                    updated_at=now,
                )
            )
        events = Event.objects.bulk_create(events, batch_size=batch)
        rebuild_many(events)
        # registrations: for the dates of events that take them; confirmed up to the capacity, then waiting
        bookable = [e for e in events if e.capacity]
        taken: dict[tuple[int, date], int] = {}
        seen: set[tuple[int, date, int]] = set()
        registrations = []
        follower = residents[0]
        personal = 0
        while len(registrations) < n["registrations"]:
            event = rng.choice(bookable)
            weeks = ((event.repeat_until - event.starts_on).days // 7) if event.repeat_until else 0
            day = event.starts_on + timedelta(weeks=rng.randint(0, weeks))
            person = follower if personal < PERSONAL_REGISTRATIONS and day >= today else rng.choice(residents)
            key = (event.pk, day, person.pk)
            if key in seen:
                continue
            seen.add(key)
            personal += person is follower
            count = taken.get((event.pk, day), 0)
            taken[(event.pk, day)] = count + 1
            registrations.append(
                Registration(
                    event=event,
                    occurs_on=day,
                    person=person,
                    status="confirmed" if count < event.capacity else "waiting",
                    created_at=now - timedelta(minutes=len(registrations)),
                )
            )
        Registration.objects.bulk_create(registrations, batch_size=batch)
        # the district's coordinator (with a second factor, as staff must)
        email = "coordinator@bench.example"
        user = User.objects.create_user(username=email, email=email, password="bench-not-used-123")
        coordinator = Person.objects.create(
            first_name="Coördinator",
            last_name="Bench",
            user=user,
            email=email,
            district=biggest,
            street="Korenmarkt",
            house_number="1",
            postcode="9000",
        )
        RoleAssignment.objects.create(person=coordinator, role=Role.COORDINATOR, district=biggest)
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
        from apps.community.registrations import feed_of

        feed_of(follower)
    return world_of()


def world_of() -> dict[str, Any]:
    """The district, its coordinator, the busiest place and initiative, a weekly event, the personal feed."""
    from django.db.models import Count
    from django.utils import timezone

    from apps.community.models import Event, Initiative, PersonalFeed
    from apps.people.models import Person, Role
    from apps.places.models import Place

    today = timezone.localdate()
    coordinator = Person.objects.get(user__username="coordinator@bench.example")
    biggest = coordinator.roles.get(role=Role.COORDINATOR).district

    busiest_place = Place.objects.filter(district=biggest).annotate(n=Count("events")).order_by("-n", "pk").first()
    busiest_initiative = (
        Initiative.objects.filter(status="published").annotate(n=Count("events")).order_by("-n", "pk").first()
    )
    weekly_event = (
        Event.objects.filter(
            district=biggest,
            repeat="weekly",
            capacity__isnull=False,
            repeat_until__gte=today + timedelta(weeks=4),
            initiative__status="published",
        )
        .annotate(n=Count("registrations"))
        .order_by("-n", "pk")
        .first()
    )
    return {
        "district": biggest,
        "coordinator": coordinator,
        "place": busiest_place,
        "initiative": busiest_initiative,
        "event": weekly_event,
        "feed": PersonalFeed.objects.order_by("pk").first(),
    }


def sizes(district: Any) -> str:
    from apps.community.models import Event, Initiative, Occurrence, Registration
    from apps.people.models import Person
    from apps.places.models import Place

    rows = [
        ("residents", Person.objects.count()),
        ("places", Place.objects.count()),
        (
            "initiatives (published)",
            f"{Initiative.objects.count()} ({Initiative.objects.filter(status='published').count()})",
        ),
        ("events (weekly series)", f"{Event.objects.count()} ({Event.objects.filter(repeat='weekly').count()})"),
        ("dates of events (occurrences)", Occurrence.objects.count()),
        (
            "registrations (waiting)",
            f"{Registration.objects.count()} ({Registration.objects.filter(status='waiting').count()})",
        ),
        (
            f"in district {district.number}: initiatives / events",
            f"{Initiative.objects.filter(district=district).count()} / "
            f"{Event.objects.filter(district=district).count()}",
        ),
    ]
    return "| data | rows |\n| --- | ---: |\n" + "\n".join(f"| {name} | {value} |" for name, value in rows) + "\n"


# ---------------------------------------------------------------------------------------------------------------
# the pages


def pages(world: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    from django.test import Client

    coordinator, visitor = Client(), Client()
    coordinator.force_login(world["coordinator"].user)
    district = world["district"]
    pages = {
        "coordination view of the district (coordinator)": (
            coordinator,
            f"/nl/districts/{district.number}/coordination/",
        ),
        "initiatives of the district": (visitor, f"/nl/initiatives/?district={district.pk}"),
        "What's on, the district": (visitor, f"/nl/whats-on/?district={district.pk}"),
        "What's on, the district, older residents, wheelchair": (
            visitor,
            f"/nl/whats-on/?district={district.pk}&audience=older_residents&wheelchair=on",
        ),
        "What's on, the whole city, page 5": (visitor, "/nl/whats-on/?page=5"),
        "an event with registrations": (visitor, f"/nl/whats-on/{world['event'].pk}/"),
        "weekly programme of the district": (visitor, f"/nl/whats-on/programme/district/{district.number}/"),
        "feed of the district": (visitor, f"/nl/feeds/district/{district.number}.ics"),
        "feed of the busiest place": (visitor, f"/nl/feeds/place/{world['place'].slug}.ics"),
        "feed of the busiest initiative": (visitor, f"/nl/feeds/initiative/{world['initiative'].pk}.ics"),
        f"personal feed, {PERSONAL_REGISTRATIONS} registrations": (visitor, f"/nl/feeds/me/{world['feed'].token}.ics"),
    }
    return pages


def measure(world: dict[str, Any], repeat: int) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    p95 = _wellbeing_bench()._p95
    asked = pages(world)
    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    queries: dict[str, int] = {}
    shown: dict[str, str] = {}
    cold: dict[str, float] = {}
    for name, (client, url) in asked.items():
        cache.clear()
        begun = time.perf_counter()
        response = client.get(url)
        cold[name] = (time.perf_counter() - begun) * 1000
        print(f"  cold: {name}: {cold[name]:.0f} ms", file=sys.stderr, flush=True)
        assert response.status_code == 200, (name, url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries[name] = len(captured)
        shown[name] = f"{len(response.content) // 1024} KB"
    teardown_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for _name, (client, url) in asked.items():  # the warm-up: each page once more, after the cold answers emptied
        client.get(url)  # the cache for the pages after them
    gc.collect()
    gc.freeze()
    times: dict[str, list[float]] = {name: [] for name in asked}
    for _turn in range(repeat):
        for name, (client, url) in asked.items():
            begun = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - begun) * 1000)
            assert response.status_code == 200, (name, url, response.status_code)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"{repeat} requests per page after {WARM_UP} warm-up, in turns, gc.freeze() after start-up; ms; "
        f"{os.cpu_count()} cores, load average at the end {load}.\n"
    )
    print("| page | cold | p50 | p95 | max | SQL queries | size |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, values in times.items():
        flag = " **over 150 ms**" if p95(values) > TARGET_P95_MS else ""
        print(
            f"| {name} | {cold[name]:.0f} | {statistics.median(values):.1f} | {p95(values):.1f}{flag} | "
            f"{max(values):.1f} | {queries[name]} | {shown[name]} |"
        )
    sys.stdout.flush()


def concurrency(world: dict[str, Any]) -> None:
    """Twenty starters ask for the last tables at the same instant: never more lent than there are."""
    import threading

    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.utils import timezone

    from apps.access.actors import actor_for_user
    from apps.community import support
    from apps.community.models import Initiative, Material, MaterialLine, SupportRequest
    from apps.people.models import Person

    tables = Material.objects.create(
        slug="bench-tables", name_nl="Tafels", name_en="Tables", name_fr="Tables", quantity=10
    )
    mine = list(Initiative.objects.filter(status="published", starter__isnull=False).order_by("pk")[:20])
    for initiative in mine:  # the starters need an account to act
        person = Person.objects.get(pk=initiative.starter_id)
        if person.user_id is None:
            from django.contrib.auth import get_user_model

            person.user = get_user_model().objects.create_user(username=f"s{person.pk}@bench.example")
            person.save(update_fields=["user"])
    actors = [actor_for_user(Person.objects.get(pk=i.starter_id).user) for i in mine]
    first = timezone.localdate() + timedelta(days=20)
    barrier = threading.Barrier(len(mine))
    outcomes: list[str] = []

    def ask(n: int) -> None:
        barrier.wait()
        try:
            support.request_materials(
                actor=actors[n], initiative=mine[n], needed_from=first, needed_until=first, wanted={tables.pk: 3}
            )
            outcomes.append("lent")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(len(mine))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lent = sum(MaterialLine.objects.filter(material=tables).values_list("quantity", flat=True))
    print(
        f"\n20 requests at once for 3 of 10 tables: {outcomes.count('lent')} lent, {outcomes.count('refused')} "
        f"refused, {lent} of 10 tables lent, {SupportRequest.objects.filter(lines__material=tables).count()} "
        "requests stored."
    )


if __name__ == "__main__":
    raise SystemExit(main())
