"""Shared care fixtures: a small, fast world without the demo city.

One district (the first of Ghent by number) holds a resident who consented to care matching, a
helper 300 m away who helps with shopping and company every day from 8:00 to 20:00, and a
coordinator of that district; a second district has a coordinator who must see nothing of it.
Everyone has an account, so the same people can be used through the services (``actor``) and
through the pages (``client_for``).

Other care tests use these fixtures by name (pytest finds them); ``make_helper`` and ``make_request``
make more of the same kind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from apps.access.actors import Actor, actor_for_user
from apps.care import services
from apps.care.models import CareCategory, CareRequest, HelperOffer, Match, MatchEvent, Message, RequestWindow
from apps.people.consent_texts import current_version
from apps.people.models import Consent, Person, Purpose, Role, RoleAssignment
from apps.places.models import District

RESIDENT_OFFSET_LAT = 0.0009
"""The resident lives 100 m south of the district's own point (erasure moves a request to that point)."""
HELPER_OFFSET_LAT = 0.0018
"""The helper lives 200 m north of that point, 300 m from the resident: well inside their default 2 km."""

CATEGORIES = [
    ("shopping", "Boodschappen", "Shopping", "Courses", False),
    ("company", "Gezelschap", "Company", "Compagnie", False),
    ("gardening", "Tuinieren", "Gardening", "Jardinage", False),
    ("nursing", "Verpleegkundige zorg", "Nursing care", "Soins infirmiers", True),
]


def actor(person: Person) -> Actor:
    """The person as the services see them: their account and active roles, read fresh."""
    return actor_for_user(person.user)


def consent(person: Person, purpose: str) -> Consent:
    return Consent.objects.create(
        person=person, purpose=purpose, method=Consent.Method.PHONE, text_version=current_version(purpose),
        given_at=timezone.now(),
    )  # fmt: skip


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at a wall-clock time of the city."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    return local(timezone.localdate() + timedelta(days=1), hour, minute)


@contextmanager
def clock(moment: datetime) -> Iterator[None]:
    """Pretend it is ``moment`` for the services (``timezone.now`` and everything built on it)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row that a care write could change, to prove that bad input changed nothing."""
    return {
        "requests": list(CareRequest.objects.order_by("pk").values()),
        "windows": list(RequestWindow.objects.order_by("pk").values()),
        "matches": list(Match.objects.order_by("pk").values()),
        "events": list(MatchEvent.objects.order_by("pk").values()),
        "messages": list(Message.objects.order_by("pk").values()),
        "offers": list(HelperOffer.objects.order_by("pk").values()),
    }


@dataclass
class CareWorld:
    """The people of one district (and a coordinator of another), ready for care matching."""

    categories: dict[str, CareCategory]
    district: District
    other_district: District
    resident: Person
    helper: Person
    offer: HelperOffer
    coordinator: Person
    other_coordinator: Person

    @property
    def resident_actor(self) -> Actor:
        return actor(self.resident)

    @property
    def helper_actor(self) -> Actor:
        return actor(self.helper)

    @property
    def coordinator_actor(self) -> Actor:
        return actor(self.coordinator)

    @property
    def other_coordinator_actor(self) -> Actor:
        return actor(self.other_coordinator)


_counter = iter(range(1, 1_000_000))


def make_person(
    first_name: str, district: District, *, lat: float | None = None, lon: float | None = None,
    languages: list[str] | None = None, **fields: Any,
) -> Person:  # fmt: skip
    """A person with an account (username = email), living at a point of the district."""
    n = next(_counter)
    email = fields.pop("email", f"{first_name.lower()}.{n}@care.example")
    user = get_user_model().objects.create_user(username=email, email=email, password="not-used-here-123")
    return Person.objects.create(
        user=user, first_name=first_name, last_name=f"Test{n}", email=email, street=f"{first_name}straat",
        house_number=str(n), postcode="9000", lat=district.interior_lat if lat is None else lat,
        lon=district.interior_lon if lon is None else lon, district=district, languages=languages or ["nl"],
        **fields,
    )  # fmt: skip


def grant(person: Person, role: str, district: District | None = None) -> None:
    RoleAssignment.objects.create(person=person, role=role, district=district)


@pytest.fixture
def care_categories(db: None) -> dict[str, CareCategory]:
    return {
        code: CareCategory.objects.create(
            code=code, name_nl=nl, name_en=en, name_fr=fr, professional=professional, order=order
        )
        for order, (code, nl, en, fr, professional) in enumerate(CATEGORIES)
    }


@pytest.fixture
def make_helper(care_categories: dict[str, CareCategory]) -> Callable[..., HelperOffer]:
    """A helper near a point, with an offer made through ``services.offer_save`` (so listed, with consent)."""

    def make(
        district: District, *, name: str = "Helper", lat_offset: float = HELPER_OFFSET_LAT, capacity: int = 1,
        categories: tuple[str, ...] = ("shopping", "company"), languages: tuple[str, ...] = ("nl", "en"),
        max_distance_km: Decimal = Decimal("2.0"), known: bool = True, **fields: Any,
    ) -> HelperOffer:  # fmt: skip
        """``known``: an established helper a coordinator knows (their takes show the details at once);
        ``known=False`` for a new one, whose takes wait for a coordinator's check."""
        person = make_person(name, district, lat=district.interior_lat + lat_offset, **fields)
        grant(person, Role.RESIDENT)
        slots = [services.Slot(weekday=day, start=time(8), end=time(20)) for day in range(7)]
        offer = services.offer_save(
            actor=actor(person), person=person, kind=HelperOffer.Kind.NEIGHBOUR,
            categories=[care_categories[c] for c in categories], slots=slots, max_distance_km=max_distance_km,
            requests_per_week=capacity, languages=list(languages),
        )  # fmt: skip
        if known:
            HelperOffer.objects.filter(pk=offer.pk).update(known_since=timezone.now())
            offer.refresh_from_db()
        return offer

    return make


@pytest.fixture
def care_world(care_categories: dict[str, CareCategory], make_helper: Callable[..., HelperOffer]) -> CareWorld:
    if not District.objects.exists():  # a test with transaction=True before this one emptied every table
        call_command("load_districts", verbosity=0)
    districts = list(District.objects.order_by("number")[:2])
    district, other = districts
    resident = make_person(
        "Rosalie", district, lat=district.interior_lat - RESIDENT_OFFSET_LAT, languages=["nl"],
        contact_preference=Person.ContactPreference.PHONE,
    )  # fmt: skip
    grant(resident, Role.RESIDENT)
    consent(resident, Purpose.CARE_MATCHING)
    offer = make_helper(district, name="Yusuf")
    coordinator = make_person("Tamara", district)
    grant(coordinator, Role.COORDINATOR, district)
    other_coordinator = make_person("Otto", other)
    grant(other_coordinator, Role.COORDINATOR, other)
    return CareWorld(
        categories=care_categories, district=district, other_district=other, resident=resident,
        helper=offer.person, offer=offer, coordinator=coordinator, other_coordinator=other_coordinator,
    )  # fmt: skip


@pytest.fixture
def make_request(care_world: CareWorld) -> Callable[..., CareRequest]:
    """A request of the world's resident (or another person), asked online: tomorrow 10:00–12:00 by default."""

    def make(
        *, person: Person | None = None, category: str = "shopping", windows: list[services.Window] | None = None,
        by: Actor | None = None, **fields: Any,
    ) -> CareRequest:  # fmt: skip
        person = person or care_world.resident
        return services.care_request_create(
            actor=by or actor(person), person=person, category=care_world.categories[category],
            windows=windows or [services.Window(tomorrow_at(10), tomorrow_at(12))],
            description=fields.pop("description", "Boodschappen bij de Delhaize, ik ben slecht te been."),
            **fields,
        )  # fmt: skip

    return make


@pytest.fixture
def care_request(make_request: Callable[..., CareRequest]) -> CareRequest:
    """An open one-off request of the resident, tomorrow morning, that the world's helper fits."""
    return make_request()


@pytest.fixture
def client_for() -> Callable[[Person], Client]:
    """A test client logged in as a person of the care world."""

    def make(person: Person) -> Client:
        staff = RoleAssignment.objects.filter(person=person, role__in=settings.STAFF_MFA_ROLES).exists()
        if staff and not Authenticator.objects.filter(user=person.user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(person.user, "JBSWY3DPEHPK3PXP")  # staff who see care data need a second factor
        client = Client()
        client.force_login(person.user)
        return client

    return make


def begun(match: Match, *, ended_ago: timedelta = timedelta(0), hours: int = 1) -> Match:
    """The match with its visit planned in the past (ended ``ended_ago``): ready to be logged done.  A visit
    is logged only once it was planned and has begun (issue 14), and planning refuses a time in the past, so
    the row is set directly, as if it had been planned before and time had passed."""
    end = timezone.now() - ended_ago
    Match.objects.filter(pk=match.pk).update(
        status=Match.Status.PLANNED, planned_start=end - timedelta(hours=hours), planned_end=end
    )
    match.refresh_from_db()
    return match
