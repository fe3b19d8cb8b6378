"""``manage.py fill_city`` (``cityofpeople manage fill_city``): a whole Ghent of care matching.

The demo city (``load_demo``) is small enough to read; this command makes one as big as the real
thing, so that pages, the API and matching rounds can be measured and their query counts checked
against realistic volumes (``bench/care/run.py``, ``tests/apps/care/test_query_counts.py``):

* 20,000 persons on real addresses of the city's address register, spread over the 25 districts in
  proportion to their population (``data/gent/districts-population.csv``); one in ten is followed by
  an organisation, as in the demo;
* 5,000 of them help: an offer with 1–3 categories, 1–5 weekly slots, a radius of 0.5–5 km, 1–3
  requests a week, the languages they speak, 45 % with a vetting (some expired), a few away on
  holiday in the coming two weeks; each is listed with their consent;
* 3,000 open requests with windows over the next two weeks (one in three recurring), 5 % of them with
  a proposal waiting for the helper's answer; besides those, requests that already have a helper
  planned (today, later, or overdue for a follow-up) and referrals in professional categories;
* 60,000 past requests over the last two years: 85 % done, with a done match, hours, both sides'
  feedback and whether they want to meet again (residents who liked their helper get them again
  more often than not, so the engine's continuity bonus has a history to work from); 15 % cancelled,
  some after a helper had accepted;
* every asking person's consent for care matching, and every transition of every match in
  ``MatchEvent``.

Shares (categories, languages, urgency, durations, capacities) come from ``domain/matching/shares.py``,
which the engine's benchmark (``bench/matching/generate.py``) draws from too: what a Ghent volunteer
service sees.

``--scale 0.1`` makes a tenth of every number (tests use 0.01 and 0.05); ``--seed`` fixes the
random draws, so the same scale and seed give the same city on every machine.

It refuses to run twice: a database that already holds a filled city (persons with a ``demo_key``
starting with ``city:``) is left as it is and the command ends with an error saying so.  Start from
an empty database (``migrate``, ``load_demo``) to fill again.  Like ``load_demo`` it runs only where
demo data is allowed (``COP_ALLOW_DEMO=true``), since it is made-up people.

It needs the districts (it loads them when there are none) and the care categories of the demo (it
adds those that are missing).  The demo coordinator, when present, is recorded as the one who took
phone requests and consents.  Everything is written in one transaction, in bulk (``Writer``: a full
city takes about 20 s on SQLite and 25 s on PostgreSQL); then the planner's statistics are refreshed
(``ANALYZE``) and the eligibility counts once (``services.eligibility_refresh``).
"""

from __future__ import annotations

import csv
import random
import time as clock
from bisect import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone
from shapely.geometry import shape

from apps.care import demo as care_demo
from apps.care import position
from apps.care.models import (
    AvailabilityException,
    CareCategory,
    CareRequest,
    HelperOffer,
    Match,
    MatchEvent,
    Referral,
    RequestWindow,
    Vetting,
    WeeklyAvailability,
)
from apps.care.services import eligibility_refresh
from apps.organisations.models import Organisation
from apps.people.consent_texts import current_version
from apps.people.demo import DEMO_ACCOUNTS, FIRST_NAMES, LAST_NAMES, SUPPORT_NEEDS
from apps.people.models import Consent, Person, Purpose, Role, RoleAssignment
from apps.places.demo import AddressPoint, addresses_by_district
from apps.places.models import District
from domain.matching.compiled import haversine_km
from domain.matching.shares import (
    CAPACITIES,
    CATEGORY_SHARES,
    DURATIONS,
    HELPER_LANGUAGES,
    PRIORITIES,
    REQUEST_LANGUAGES,
    SLOT_PATTERNS,
)

KEY = "city:"
"""``Person.demo_key`` prefix of everyone this command makes: how a second run knows the first."""

SIZES = {"persons": 20_000, "helpers": 5_000, "open": 3_000, "past": 60_000}
"""The whole city (``--scale 1``)."""

BATCH = 2_000

PROFESSIONAL = ["nursing", "personal_hygiene", "medication"]
SLOT_COUNTS = ([1, 2, 3, 4, 5], [0.15, 0.3, 0.25, 0.2, 0.1])
KINDS = (
    [HelperOffer.Kind.NEIGHBOUR, HelperOffer.Kind.VOLUNTEER, HelperOffer.Kind.STUDENT, HelperOffer.Kind.NEWCOMER],
    [0.4, 0.3, 0.2, 0.1],
)
RESIDENT_LANGUAGES = [["nl"], ["nl"], ["nl"], ["nl", "fr"], ["nl", "en"], ["ar", "nl"], ["tr", "nl"], ["fr"], ["en"]]
VETTED_SHARE = 0.45
REQUIRES_VETTED_SHARE = 0.20
PHONE_SHARE = 0.4
ASKING_SHARE = 0.6
"""Of the residents who do not help, those who asked for help at least once in two years."""

DESCRIPTIONS = {
    "shopping": ["Boodschappen voor de week, het lijstje ligt klaar.", "Iemand die mee naar de markt gaat."],
    "company": ["Graag iemand voor een babbel bij een tas koffie.", "Samen een spelletje kaarten spelen."],
    "transport": ["Rit naar de huisarts en terug.", "Naar het ziekenhuis voor een controle."],
    "administration": ["Brief van de mutualiteit begrijpen.", "Hulp met de belastingaangifte."],
    "digital": ["Videobellen instellen op de tablet.", "Hulp met de app van de bank."],
    "small_repairs": ["Lamp vervangen in de keuken.", "Een kast ophangen."],
    "meals": ["Een warme maaltijd brengen.", "Soep brengen op woensdag."],
    "gardening": ["Het gras maaien.", "Haag snoeien in de voortuin."],
    "walking": ["Samen een toertje in het park.", "Wandelen langs de Leie."],
    "nursing": ["Wondzorg na een operatie."],
    "personal_hygiene": ["Hulp bij het wassen 's ochtends."],
    "medication": ["Pillen klaarzetten voor de week."],
}
HELPER_FEEDBACK = [
    "Fijne namiddag.",
    "Alles goed verlopen.",
    "Mevrouw was heel blij.",
    "Volgende keer iets vroeger.",
    "",
]
RESIDENT_FEEDBACK = ["Heel vriendelijk, dank je!", "Was wat laat, maar behulpzaam.", "Top!", "", ""]
CANCEL_REASONS = ["Niet meer nodig.", "Familie helpt.", "Opgenomen in het ziekenhuis.", "Helper is ziek."]


def _weighted(generator: random.Random, values: list[Any], weights: list[float]) -> Any:
    return generator.choices(values, weights=weights, k=1)[0]


# ----------------------------------------------------------------------------------------------------------
# writing: plain rows, no model instances


Row = dict[str, Any]


class Writer:
    """Plain ``INSERT``s through ``executemany`` (``COPY`` on PostgreSQL): what ``bulk_create`` does, minus
    building a model instance and preparing each value through its field (five times faster for the
    450,000 rows of a full city).

    Primary keys are reserved up front, so rows can point at each other before they are written: on
    PostgreSQL from the table's own sequence (safe next to other writers), on SQLite after the largest
    key (the transaction holds SQLite's one write lock).  Columns a row leaves out get the field's
    default (``auto_now`` fields: the moment of the run).
    """

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.next_id: dict[type[models.Model], int] = {}

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
                )
                return [row[0] for row in cursor.fetchall()]
            if model not in self.next_id:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(table)}")  # noqa: S608
                self.next_id[model] = cursor.fetchone()[0]
        first = self.next_id[model]
        self.next_id[model] = first + count
        return list(range(first, first + count))

    def _converter(self, field: models.Field[Any, Any]) -> Any:
        ops = connection.ops
        if isinstance(field, models.DateTimeField):
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        if isinstance(field, models.TimeField):
            return ops.adapt_timefield_value
        if isinstance(field, models.DecimalField):
            return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
        if isinstance(field, models.JSONField):
            return lambda value: field.get_db_prep_save(value, connection)
        return None

    def _default(self, field: models.Field[Any, Any]) -> Any:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        return field.get_default()

    def insert(self, model: type[models.Model], rows: list[Row]) -> None:
        """Write rows (each with its ``id``); columns left out take the field's default."""
        if not rows:
            return
        fields = list(model._meta.concrete_fields)
        columns = [f.attname for f in fields]
        converters = [self._converter(f) for f in fields]
        defaults = {f.attname: self._default(f) for f in fields}
        values = []
        for row in rows:
            record = []
            for column, convert in zip(columns, converters, strict=True):
                value = row[column] if column in row else defaults[column]
                record.append(value if value is None or convert is None else convert(value))
            values.append(record)
        quote = connection.ops.quote_name
        table, names = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # COPY: PostgreSQL's own bulk load, several times faster
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for record in values:
                        copy.write_row(record)
                return
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
            for start in range(0, len(values), BATCH):
                cursor.executemany(sql, values[start : start + BATCH])


# ----------------------------------------------------------------------------------------------------------
# the city


@dataclass(slots=True)
class Resident:
    """A person as the generator needs them (what the request rows copy from their home)."""

    id: int
    district_id: int
    lat: float
    lon: float
    street: str
    house_number: str
    postcode: str
    registered_by_id: int | None


@dataclass(slots=True)
class Helping:
    """A helper as the generator needs them: to pick one for a match and keep within their capacity."""

    id: int
    person: Resident
    categories: list[str]
    capacity: int
    load: int = 0


@dataclass
class Counts:
    """What was made, for the summary line."""

    persons: int = 0
    helpers: int = 0
    open_requests: int = 0
    matched_requests: int = 0
    referrals: int = 0
    past_requests: int = 0
    matches: int = 0
    events: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class City:
    """Draws and writes the city; one instance per run."""

    def __init__(self, generator: random.Random, scale: float) -> None:
        self.generator = generator
        self.scale = scale
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.zone = ZoneInfo(settings.TIME_ZONE)
        self.write = Writer(self.now)
        self.counts = Counts()
        # what helpers see of each home before accepting: one per home, from the secure random source
        # (never from the seed, which is public), so the seed does not give the houses away
        self.shown: dict[int, tuple[float, float]] = {}
        self.categories = self._categories()
        self.districts = {d.number: d for d in District.objects.order_by("number")}
        coordinator_email = next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR).email
        self.coordinator_id: int | None = (
            Person.objects.filter(user__username=coordinator_email).values_list("pk", flat=True).first()
        )
        self.organisation_ids = list(
            Organisation.objects.filter(active=True).order_by("slug").values_list("pk", flat=True)
        )
        self._step_started = clock.perf_counter()

    def size(self, name: str) -> int:
        return max(1, round(SIZES[name] * self.scale))

    def step(self, name: str) -> None:
        """Record how long the step that just ended took (shown with ``-v 2``)."""
        now = clock.perf_counter()
        self.counts.seconds[name] = now - self._step_started
        self._step_started = now

    def local(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone)

    def _categories(self) -> dict[str, int]:
        """The demo's categories, adding those that are missing (never changing those that exist)."""
        for order, (code, nl, en, fr, professional) in enumerate(care_demo.CATEGORIES):
            CareCategory.objects.get_or_create(
                code=code,
                defaults={"name_nl": nl, "name_en": en, "name_fr": fr, "professional": professional, "order": order},
            )
        return dict(CareCategory.objects.values_list("code", "pk"))

    def addresses(self) -> dict[int, list[AddressPoint]]:
        """The register's addresses of each district that lie inside that district's stored polygon.

        The register's district numbers are the city's own; a couple of points on a border fall just
        outside the polygon stored here, and a request must always lie in the district it names.
        """
        found: dict[int, list[AddressPoint]] = {}
        register = addresses_by_district()
        for number, district in self.districts.items():
            points = register.get(number, [])
            inside = shapely.contains_xy(shape(district.geometry), [p.lon for p in points], [p.lat for p in points])
            found[number] = [p for p, ok in zip(points, inside.tolist(), strict=True) if ok]
        return found

    # ------------------------------------------------------------------------------------------- people

    def people(self) -> tuple[list[Helping], list[Resident]]:
        """Persons with their roles and consents, and the offers of the helpers among them.

        Returns the helpers and the residents who asked for help at least once.
        """
        generator = self.generator
        numbers = sorted(self.districts)
        population = _population()
        addresses = self.addresses()
        count = self.size("persons")
        ids = self.write.ids(Person, count)
        chosen = generator.choices(
            numbers, cum_weights=list(accumulate(population.get(n, 1) for n in numbers)), k=count
        )
        helper_count = min(self.size("helpers"), count // 2)
        helping_at = set(generator.sample(range(count), helper_count))
        offer_ids = iter(self.write.ids(HelperOffer, helper_count))
        persons: list[Row] = []
        roles: list[Row] = []
        consents: list[Row] = []
        offers: list[Row] = []
        helping: list[Helping] = []
        asking: list[Resident] = []
        for index, (pk, number) in enumerate(zip(ids, chosen, strict=True)):
            point = generator.choice(addresses[number])
            district_id = self.districts[number].pk
            registered_by = self.coordinator_id if generator.random() < PHONE_SHARE else None
            resident = Resident(
                pk, district_id, point.lat, point.lon, point.street, point.house_number, point.postcode, registered_by
            )
            row: Row = {
                "id": pk,
                "first_name": generator.choice(FIRST_NAMES),
                "last_name": generator.choice(LAST_NAMES),
                "phone": f"+3247{generator.randint(0, 9)}{generator.randint(100000, 999999)}",
                "phone_verified": False,
                "street": point.street,
                "house_number": point.house_number,
                "postcode": point.postcode,
                "lat": point.lat,
                "lon": point.lon,
                "district_id": district_id,
                "contact_preference": generator.choice(Person.ContactPreference.values),
                "registered_by_id": registered_by,
                "organisation_id": (
                    self.organisation_ids[index // 10 % len(self.organisation_ids)]
                    if self.organisation_ids and index % 10 == 0
                    else None
                ),
                "demo_key": f"{KEY}{index}",
            }
            roles.append({"person_id": pk, "role": Role.RESIDENT, "granted_by_id": self.coordinator_id})
            if index in helping_at:
                helper = self._offer(row, resident, next(offer_ids), offers)
                helping.append(helper)
                roles.append({"person_id": pk, "role": Role.HELPER, "district_id": district_id, "granted_by_id": pk})
                consents.append(self._consent(pk, Purpose.LISTED_AS_HELPER, offers[-1]["created_at"], None))
            else:
                row["languages"] = generator.choice(RESIDENT_LANGUAGES)
                old = generator.random() < 0.7
                age = generator.randint(65, 96) if old else generator.randint(25, 64)
                row["birth_date"] = self.today - timedelta(days=age * 365 + generator.randint(0, 364))
                if generator.random() < ASKING_SHARE:
                    row["support_needs"] = generator.choice(SUPPORT_NEEDS)
                    asking.append(resident)
                    given = self.now - timedelta(days=generator.uniform(740, 1100))
                    consents.append(self._consent(pk, Purpose.CARE_MATCHING, given, registered_by))
            persons.append(row)
        self.write.insert(Person, persons)
        self.write.insert(RoleAssignment, _with_ids(self.write, RoleAssignment, roles))
        self.write.insert(Consent, _with_ids(self.write, Consent, consents))
        self.write.insert(HelperOffer, offers)
        self._offer_details(helping)
        self.counts.persons, self.counts.helpers = len(persons), len(helping)
        return helping, asking

    def _consent(self, person_id: int, purpose: str, given: datetime, recorded_by: int | None) -> Row:
        return {
            "person_id": person_id,
            "purpose": purpose,
            "method": Consent.Method.PHONE if recorded_by else Consent.Method.ONLINE,
            "text_version": current_version(purpose),
            "given_at": given,
            "recorded_by_id": recorded_by,
        }

    def _offer(self, row: Row, resident: Resident, pk: int, offers: list[Row]) -> Helping:
        generator = self.generator
        kind = _weighted(generator, *KINDS)
        age = generator.randint(18, 26) if kind == HelperOffer.Kind.STUDENT else generator.randint(20, 78)
        row["birth_date"] = self.today - timedelta(days=age * 365 + generator.randint(0, 364))
        languages = [code for code, p in HELPER_LANGUAGES.items() if generator.random() < p] or ["nl"]
        row["languages"] = languages
        wanted = _weighted(generator, [1, 2, 3], [0.35, 0.40, 0.25])
        codes: list[str] = []
        while len(codes) < wanted:
            code = _weighted(generator, list(CATEGORY_SHARES), list(CATEGORY_SHARES.values()))
            if code not in codes:
                codes.append(code)
        capacity = _weighted(generator, *CAPACITIES)
        offers.append(
            {
                "id": pk,
                "person_id": resident.id,
                "kind": kind,
                "max_distance_km": Decimal(round(generator.uniform(0.5, 5.0), 1)).quantize(Decimal("0.1")),
                "requests_per_week": capacity,
                "languages": languages,
                "active": generator.random() < 0.95,
                "created_at": self.now - timedelta(days=generator.uniform(14, 3 * 365)),
            }
        )
        return Helping(pk, resident, codes, capacity)

    def _offer_details(self, helping: list[Helping]) -> None:
        """Categories, weekly slots, vettings (some expired) and a few holidays in the coming weeks."""
        generator = self.generator
        through = HelperOffer.categories.through
        chosen, slots, vettings, away = [], [], [], []
        for h in helping:
            chosen += [{"helperoffer_id": h.id, "carecategory_id": self.categories[code]} for code in h.categories]
            for day in sorted(generator.sample(range(7), _weighted(generator, *SLOT_COUNTS))):
                start, end = generator.choice(SLOT_PATTERNS)
                slots.append({"offer_id": h.id, "weekday": day, "start": time(start), "end": time(end)})
            if generator.random() < VETTED_SHARE:
                checked = self.today - timedelta(days=generator.randint(10, 4 * 365))
                vettings.append(
                    {
                        "offer_id": h.id,
                        "kind": Vetting.Kind.GOOD_CONDUCT,
                        "checked_on": checked,
                        "expires_on": checked + timedelta(days=3 * 365),
                        "recorded_by_id": self.coordinator_id,
                        "recorded_at": self.local(checked, 12),
                    }
                )
            if generator.random() < 0.05:
                first = self.today + timedelta(days=generator.randint(0, 12))
                last = first + timedelta(days=generator.randint(0, 9))
                away.append({"offer_id": h.id, "first_day": first, "last_day": last, "note": "vakantie"})
        for model, rows in ((through, chosen), (WeeklyAvailability, slots), (Vetting, vettings),
                            (AvailabilityException, away)):  # fmt: skip
            self.write.insert(model, _with_ids(self.write, model, rows))

    # ----------------------------------------------------------------------------------------- requests

    def _request(self, pk: int, person: Resident, code: str, created: datetime, status: str) -> Row:
        generator = self.generator
        languages = _weighted(generator, [x for x, _ in REQUEST_LANGUAGES], [w for _, w in REQUEST_LANGUAGES])
        by_phone = person.registered_by_id is not None or generator.random() < PHONE_SHARE / 2
        if person.id not in self.shown:
            self.shown[person.id] = position.new_shown_position(person.lat, person.lon)
        shown = self.shown[person.id]
        return {
            "id": pk,
            "person_id": person.id,
            "category_id": self.categories[code],
            "description": generator.choice(DESCRIPTIONS[code]),
            "street": person.street,
            "house_number": person.house_number,
            "postcode": person.postcode,
            "lat": person.lat,
            "lon": person.lon,
            "shown_lat": shown[0],
            "shown_lon": shown[1],
            "district_id": person.district_id,
            "duration_minutes": _weighted(generator, *DURATIONS),
            "recurrence": CareRequest.Recurrence.NONE,
            "languages": languages,
            "urgency": _weighted(generator, *PRIORITIES),
            "requires_vetted": generator.random() < REQUIRES_VETTED_SHARE,
            "status": status,
            "channel": CareRequest.Channel.PHONE if by_phone else CareRequest.Channel.ONLINE,
            "created_by_id": self.coordinator_id if by_phone else person.id,
            "created_at": created,
            "code": code,  # not a column: for picking a helper
            "person": person,  # idem
        }

    def _window(self, day: date, duration: int) -> tuple[datetime, datetime]:
        length = max(duration, self.generator.choice([60, 90, 120, 180, 240]))
        start_minutes = self.generator.randint(16, 38) * 30  # 08:00 .. 19:00
        end_minutes = min(start_minutes + length, 21 * 60)
        start = self.local(day, (end_minutes - length) // 60, (end_minutes - length) % 60)
        return start, start + timedelta(minutes=length)

    def _pools(self, helping: list[Helping]) -> dict[Any, list[Helping]]:
        pools: dict[Any, list[Helping]] = defaultdict(list)
        for h in helping:
            pools[None].append(h)
            for code in h.categories:
                pools[code].append(h)
                pools[(h.person.district_id, code)].append(h)
        return pools

    def _helper_for(self, pools: dict[Any, list[Helping]], request: Row, *, room: bool = False) -> Helping | None:
        """A helper of the category, from the person's district when there is one (with room, if asked)."""
        for key in ((request["district_id"], request["code"]), request["code"], None):
            pool = pools.get(key, [])
            for _attempt in range(8 if pool else 0):
                candidate = self.generator.choice(pool)
                if not room or candidate.load < candidate.capacity:
                    return candidate
        return None

    def _match(self, pk: int, request: Row, helper: Helping, status: str, proposed_at: datetime) -> Row:
        distance = haversine_km(request["lat"], request["lon"], helper.person.lat, helper.person.lon)
        return {
            "id": pk,
            "request_id": request["id"],
            "helper_id": helper.id,
            "status": status,
            "score": round(100 * request["urgency"] - distance, 6),
            "distance_km": round(distance, 6),
            "proposed_by_id": self.coordinator_id,
            "created_at": proposed_at,
        }

    def requests(self, helping: list[Helping], asking: list[Resident]) -> None:
        generator = self.generator
        pools = self._pools(helping)
        activity = list(accumulate(generator.lognormvariate(0, 1) for _ in asking))

        def asker() -> Resident:
            return asking[bisect(activity, generator.random() * activity[-1])]

        self._current(pools, asker)
        self.step("open requests")
        self._past(pools, asker)
        self.step("past requests")

    def _current(self, pools: dict[Any, list[Helping]], asker: Any) -> None:
        """Open requests (some with a proposal waiting), requests with a helper planned, and referrals."""
        generator = self.generator
        open_count = self.size("open")
        matched_count = round(open_count * 0.07)
        referred_count = round(open_count * 0.03)
        total = open_count + matched_count + referred_count
        requests: list[Row] = []
        windows: list[Row] = []
        referrals: list[Row] = []
        matches: list[Row] = []
        events: list[Row] = []
        for index, pk in enumerate(self.write.ids(CareRequest, total)):
            kind = "open" if index < open_count else "matched" if index < open_count + matched_count else "referred"
            code = (
                generator.choice(PROFESSIONAL)
                if kind == "referred"
                else _weighted(generator, list(CATEGORY_SHARES), list(CATEGORY_SHARES.values()))
            )
            # a visit already planned (some of them days ago) was asked for a week or more before
            created = self.now - timedelta(
                days=generator.uniform(7, 20) if kind == "matched" else generator.uniform(0.1, 20)
            )
            status = {"open": CareRequest.Status.OPEN, "matched": CareRequest.Status.MATCHED}.get(
                kind, CareRequest.Status.REFERRED
            )
            request = self._request(pk, asker(), code, created, status)
            if generator.random() < 0.05:
                request["follow_up_on"] = self.today + timedelta(days=generator.randint(-3, 7))
            laid_out = self._current_windows(request, kind)
            windows += [{"request_id": pk, "start": a, "end": b} for a, b in laid_out]
            if kind == "referred":
                referrals.append({"request_id": pk, "status": Referral.Status.TO_REFER, "created_at": created})
            elif kind == "matched" or generator.random() < 0.05:
                self._current_match(pools, request, laid_out[0][0], matches, events)
            requests.append(request)
        self.write.insert(CareRequest, requests)
        self.write.insert(RequestWindow, _with_ids(self.write, RequestWindow, windows))
        self.write.insert(Referral, _with_ids(self.write, Referral, referrals))
        self.write.insert(Match, matches)
        self.write.insert(MatchEvent, _with_ids(self.write, MatchEvent, events))
        self.counts.open_requests = sum(1 for r in requests if r["status"] == CareRequest.Status.OPEN)
        self.counts.matched_requests = sum(1 for r in requests if r["status"] == CareRequest.Status.MATCHED)
        self.counts.referrals = len(referrals)
        self.counts.matches += len(matches)
        self.counts.events += len(events)

    def _current_windows(self, request: Row, kind: str) -> list[tuple[datetime, datetime]]:
        """Visits planned today (the call list), in the coming days or overdue; one in three recurring."""
        generator = self.generator
        duration = request["duration_minutes"]
        if kind == "matched":
            offset = generator.choice([0, 0, 1, 2, 3, 5, -2, -4])
            return [self._window(self.today + timedelta(days=offset), duration)]
        if generator.random() < 1 / 3:
            weekly = generator.random() < 2 / 3
            request["recurrence"] = CareRequest.Recurrence.WEEKLY if weekly else CareRequest.Recurrence.FORTNIGHTLY
            first = self.today + timedelta(days=generator.randint(1, 7))
            request["repeat_until"] = first + timedelta(weeks=generator.randint(4, 20))
            start, end = self._window(first, duration)
            laid_out = []
            day = first
            while day <= request["repeat_until"]:
                laid_out.append((self.local(day, start.hour, start.minute), self.local(day, end.hour, end.minute)))
                day += timedelta(weeks=1 if weekly else 2)
            return laid_out
        days = sorted(generator.sample(range(1, 14), _weighted(generator, [1, 2, 3], [0.45, 0.35, 0.2])))
        return [self._window(self.today + timedelta(days=day), duration) for day in days]

    def _current_match(
        self, pools: dict[Any, list[Helping]], request: Row, start: datetime, matches: list[Row], events: list[Row]
    ) -> None:
        """A proposal waiting for the helper's answer, or (for a matched request) a planned visit."""
        generator = self.generator
        helper = self._helper_for(pools, request, room=True)
        if helper is None:
            request["status"] = CareRequest.Status.OPEN
            return
        helper.load += 1
        pk = self.write.ids(Match, 1)[0]
        proposed_at = request["created_at"] + timedelta(hours=generator.uniform(1, 24))
        if request["status"] == CareRequest.Status.OPEN:
            # asked some time between the request and now (the call list shows those waiting two days)
            proposed_at = request["created_at"] + (self.now - request["created_at"]) * generator.uniform(0.05, 0.95)
            matches.append(self._match(pk, request, helper, Match.Status.PROPOSED, proposed_at))
            events.append(_event(pk, "", Match.Status.PROPOSED, self.coordinator_id, proposed_at))
            return
        match = self._match(pk, request, helper, Match.Status.PLANNED, proposed_at)
        accepted = proposed_at + timedelta(hours=generator.uniform(1, 12))
        match.update(
            accepted_at=accepted,
            planned_start=start,
            planned_end=start + timedelta(minutes=request["duration_minutes"]),
        )
        matches.append(match)
        events += [
            _event(pk, "", Match.Status.PROPOSED, self.coordinator_id, proposed_at),
            _event(pk, Match.Status.PROPOSED, Match.Status.ACCEPTED, helper.person.id, accepted),
            _event(pk, Match.Status.ACCEPTED, Match.Status.PLANNED, helper.person.id, accepted),
        ]

    def _past(self, pools: dict[Any, list[Helping]], asker: Any) -> None:
        """Two years of closed requests: done (with hours and feedback) or cancelled, oldest first."""
        generator = self.generator
        count = self.size("past")
        created_times = sorted(self.now - timedelta(days=generator.uniform(14, 730)) for _ in range(count))
        last_helper: dict[int, tuple[Helping, bool]] = {}
        request_ids = self.write.ids(CareRequest, count)
        requests: list[Row] = []
        windows: list[Row] = []
        matches: list[Row] = []
        events: list[Row] = []
        volunteer, share = list(CATEGORY_SHARES), list(CATEGORY_SHARES.values())
        for pk, created in zip(request_ids, created_times, strict=True):
            status = CareRequest.Status.DONE if generator.random() < 0.85 else CareRequest.Status.CANCELLED
            request = self._request(pk, asker(), _weighted(generator, volunteer, share), created, status)
            start, end = self._window(
                # two days on at the earliest: after the helper was asked (within 20 h) and said yes (12 h)
                timezone.localdate(created) + timedelta(days=generator.randint(2, 10)),
                request["duration_minutes"],
            )
            windows.append({"request_id": pk, "start": start, "end": end})
            requests.append(request)
            proposed_at = created + timedelta(hours=generator.uniform(1, 20))
            accepted_at = proposed_at + timedelta(hours=generator.uniform(1, 12))
            if status == CareRequest.Status.CANCELLED:
                request["closed_at"] = accepted_at + timedelta(hours=generator.uniform(1, 48))
                if generator.random() < 0.6:
                    continue  # cancelled before anyone was asked
            helper = self._continuing(pools, last_helper, request)
            if helper is None:
                request["status"], request["closed_at"] = CareRequest.Status.CANCELLED, accepted_at
                continue
            match_pk = len(matches)  # replaced by a real key below
            match = self._match(match_pk, request, helper, status, proposed_at)
            match["accepted_at"] = accepted_at
            events += [
                _event(match_pk, "", Match.Status.PROPOSED, self.coordinator_id, proposed_at),
                _event(match_pk, Match.Status.PROPOSED, Match.Status.ACCEPTED, helper.person.id, accepted_at),
            ]
            if status == CareRequest.Status.CANCELLED:
                match["cancel_reason"] = generator.choice(CANCEL_REASONS)
                closed = request["closed_at"]
                events.append(
                    _event(match_pk, Match.Status.ACCEPTED, Match.Status.CANCELLED, request["person_id"], closed)
                )
            else:
                self._done(match, request, start, helper, events, last_helper)
            matches.append(match)
        match_ids = self.write.ids(Match, len(matches))
        for match, pk in zip(matches, match_ids, strict=True):
            match["id"] = pk
        for event in events:
            event["match_id"] = match_ids[event["match_id"]]
        self.write.insert(CareRequest, requests)
        self.write.insert(RequestWindow, _with_ids(self.write, RequestWindow, windows))
        self.write.insert(Match, matches)
        self.write.insert(MatchEvent, _with_ids(self.write, MatchEvent, events))
        self.counts.past_requests = len(requests)
        self.counts.matches += len(matches)
        self.counts.events += len(events)

    def _continuing(
        self, pools: dict[Any, list[Helping]], last_helper: dict[int, tuple[Helping, bool]], request: Row
    ) -> Helping | None:
        """The helper of the person's last visit when both wanted to meet again (mostly), else a new one."""
        previous = last_helper.get(request["person_id"])
        if previous and previous[1] and request["code"] in previous[0].categories and self.generator.random() < 0.7:
            return previous[0]
        return self._helper_for(pools, request)

    def _done(
        self,
        match: Row,
        request: Row,
        start: datetime,
        helper: Helping,
        events: list[Row],
        last_helper: dict[int, tuple[Helping, bool]],
    ) -> None:
        """A visit that took place: hours, both sides' words, and whether they would meet again."""
        generator = self.generator
        duration = request["duration_minutes"]
        done_at = start + timedelta(minutes=duration + generator.randint(5, 600))
        quarters = max(1, round(duration / 15 + generator.choice([-1, 0, 0, 0, 1, 2])))
        helper_continues = generator.choice([True, True, True, False, None])
        resident_continues = None
        if generator.random() < 0.6:
            match["resident_feedback"] = generator.choice(RESIDENT_FEEDBACK)
            resident_continues = generator.choice([True, True, True, True, False])
        match.update(
            planned_start=start,
            planned_end=start + timedelta(minutes=duration),
            done_at=done_at,
            hours=Decimal(quarters) / 4,
            helper_feedback=generator.choice(HELPER_FEEDBACK),
            helper_continues=helper_continues,
            resident_continues=resident_continues,
        )
        request["closed_at"] = done_at
        events += [
            _event(match["id"], Match.Status.ACCEPTED, Match.Status.PLANNED, helper.person.id, match["accepted_at"]),
            _event(match["id"], Match.Status.PLANNED, Match.Status.DONE, helper.person.id, done_at),
        ]
        last_helper[request["person_id"]] = (helper, bool(helper_continues) and resident_continues is not False)

    # -------------------------------------------------------------------------------------------- all

    def fill(self) -> Counts:
        helping, asking = self.people()
        self.step("persons, offers, consents")
        self.requests(helping, asking)
        return self.counts


def _event(match_id: int, before: str, after: str, actor_id: int | None, at: datetime) -> Row:
    return {"match_id": match_id, "from_status": before, "to_status": after, "actor_id": actor_id, "at": at, "note": ""}


def _with_ids(write: Writer, model: type[models.Model], rows: list[Row]) -> list[Row]:
    for row, pk in zip(rows, write.ids(model, len(rows)), strict=True):
        row["id"] = pk
    return rows


def _population() -> dict[int, int]:
    """District number → population estimate (the districts' own field, or the shipped file)."""
    found = {number: population for number, population in District.objects.values_list("number", "population")}
    if None in found.values():
        with open(settings.GEO_DATA_DIR / "districts-population.csv", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                number = int(row["district_nr"])
                if found.get(number) is None:
                    found[number] = int(row["population_est_2024"])
    return {number: int(value or 1) for number, value in found.items()}


def filled_city_persons() -> models.QuerySet[Person]:
    """Persons made by an earlier run of this command."""
    return Person.objects.filter(demo_key__startswith=KEY)


class Command(BaseCommand):
    help = (
        "Fill the database with a whole city for load tests: 20,000 persons, 5,000 helpers, 3,000 open and "
        "60,000 past care requests (times --scale). Refuses to run on a database it already filled."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full city (e.g. 0.1)")
        parser.add_argument("--seed", type=int, default=1, help="seed of the random draws (same seed, same city)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_ALLOWED", False):
            raise CommandError("The city is made-up people; it is refused unless COP_ALLOW_DEMO=true.")
        scale: float = options["scale"]
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        existing = filled_city_persons().count()
        if existing:
            raise CommandError(
                f"This database already holds a filled city ({existing} persons from an earlier fill_city); "
                "nothing was changed. Start from an empty database (migrate, load_demo) to fill it again."
            )
        started = clock.perf_counter()
        if not District.objects.exists():
            call_command("load_districts", stdout=self.stdout, stderr=self.stderr)
        generator = random.Random(options["seed"])  # noqa: S311 - made-up data, not security
        with transaction.atomic():
            city = City(generator, scale)
            counts = city.fill()
        with connection.cursor() as cursor:
            # after a bulk load the planner's statistics are out of date (PostgreSQL's autovacuum would
            # refresh them within minutes, SQLite never): refresh them now, as both manuals advise
            cursor.execute("ANALYZE")
        refreshed_at = clock.perf_counter()
        counted = eligibility_refresh()
        counts.seconds["eligibility counts"] = clock.perf_counter() - refreshed_at
        if options["verbosity"] >= 2:
            for name, seconds in counts.seconds.items():
                self.stdout.write(f"  {name}: {seconds:.1f} s")
        self.stdout.write(
            f"City filled in {clock.perf_counter() - started:.1f} s: {counts.persons} persons, {counts.helpers} "
            f"helpers, {counts.open_requests} open requests ({counted} open requests counted for eligibility), "
            f"{counts.matched_requests} with a helper planned, {counts.referrals} referrals, "
            f"{counts.past_requests} past requests, {counts.matches} matches, {counts.events} match events."
        )
