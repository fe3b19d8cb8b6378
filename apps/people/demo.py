"""Demo people: one login per role, and fictitious residents living at real addresses.

Residents are spread over the districts in proportion to their population,
so the demo city looks like Ghent in the insights pages to come.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.demo import DEMO_ORGANISATION
from apps.organisations.models import Organisation
from apps.places.demo import random_address
from apps.places.models import District, Place

from .consent_texts import current_version
from .models import Consent, Person, Purpose, Role, RoleAssignment
from .phones import normalise_phone

DEMO_DOMAIN = "demo.cityofpeople.example"
RESIDENTS = 240

FIRST_NAMES = [
    "Maria",
    "Jan",
    "Fatima",
    "Mehmet",
    "Els",
    "Pieter",
    "Aïcha",
    "Ahmet",
    "Lieve",
    "Youssef",
    "Sofie",
    "Marc",
    "Nadia",
    "Emre",
    "Hilde",
    "Koen",
    "Samira",
    "Dirk",
    "Amina",
    "Wim",
    "Olena",
    "Kwame",
    "Zeynep",
    "Jeanine",
    "Rachid",
    "Annick",
    "Bilal",
    "Greet",
    "Lucas",
    "Noor",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "El Amrani",
    "Yilmaz",
    "De Smet",
    "Van de Velde",
    "Claeys",
    "Demir",
    "Maes",
    "Bennani",
    "Verhaeghe",
    "De Clercq",
    "Kaya",
    "Vermeulen",
    "Mertens",
    "Boukhari",
    "Willems",
    "Öztürk",
    "Van Damme",
    "Kowalski",
    "Mensah",
    "Dubois",
    "Goossens",
    "Hermans",
    "Shevchenko",
]
LANGUAGE_SETS = [
    ["nl"],
    ["nl"],
    ["nl"],
    ["nl", "fr"],
    ["nl", "en"],
    ["ar", "nl"],
    ["tr", "nl"],
    ["fr"],
    ["en"],
    ["uk", "en"],
    ["ar", "fr"],
]


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    first_name: str
    last_name: str
    scope: str = ""  # "district", "place" or ""
    organisation: str = ""  # slug of the organisation the role is held for

    @property
    def email(self) -> str:
        return f"{self.role.value.replace('_', '-')}@{DEMO_DOMAIN}"

    @property
    def role_label(self) -> str:
        return str(self.role.label)


DEMO_ACCOUNTS = [
    DemoAccount(Role.RESIDENT, "Rosa", "Van Acker"),
    DemoAccount(Role.HELPER, "Yasmine", "Haddou"),
    DemoAccount(Role.COORDINATOR, "Tom", "De Wilde", scope="district", organisation=DEMO_ORGANISATION),
    DemoAccount(Role.ORGANISATION_STAFF, "Ingrid", "Lambrecht", organisation=DEMO_ORGANISATION),
    DemoAccount(Role.INITIATIVE_STARTER, "Karim", "Azzouzi"),
    DemoAccount(Role.CENTRE_COMMITTEE, "Paula", "Seghers", scope="place"),
    DemoAccount(Role.CITY_STAFF, "Bart", "Vandenberghe", scope="district"),
    DemoAccount(Role.ADMINISTRATOR, "Admin", "Demo"),
    DemoAccount(Role.AUDITOR, "Nora", "Claes"),
]
SUPPORT_NEEDS = [
    "Boodschappen op dinsdag, slecht te been.",
    "Zoekt gezelschap, woont alleen sinds kort.",
    "Hulp bij papieren van de mutualiteit.",
    "Vervoer naar de dokter, twee keer per maand.",
    "",
]


def demo_totp_secret(account: DemoAccount) -> str:
    """A fixed, public authenticator secret for demo staff accounts (base32)."""
    import base64
    import hashlib

    return base64.b32encode(hashlib.sha256(f"demo-totp-{account.role.value}".encode()).digest()[:20]).decode()


def demo_totp_code(account: DemoAccount) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(demo_totp_secret(account), counters[len(counters) // 2]))


def needs_second_factor(account: DemoAccount) -> bool:
    from django.conf import settings

    return account.role.value in settings.STAFF_MFA_ROLES


def demo_password(account: DemoAccount) -> str:
    """Public, printed demo passwords: long enough for the validators, obviously not secret."""
    return f"demo-{account.role.value.replace('_', '-')}-gent"


def _weighted_districts(generator: random.Random, count: int) -> list[District]:
    districts = list(District.objects.order_by("number"))
    weights = [district.population or 1 for district in districts]
    return generator.choices(districts, weights=weights, k=count)


def _person(
    generator: random.Random,
    district: District,
    key: str,
    first: str,
    last: str,
    organisation: Organisation | None = None,
) -> Person:
    point = random_address(generator, district.number)
    person, _ = Person.objects.update_or_create(
        demo_key=key,
        defaults={
            "first_name": first,
            "last_name": last,
            "street": point.street,
            "house_number": point.house_number,
            "postcode": point.postcode,
            "lat": point.lat,
            "lon": point.lon,
            "district": district,
            "languages": generator.choice(LANGUAGE_SETS),
            "phone": normalise_phone(f"+32 47{generator.randint(0, 9)} {generator.randint(100000, 999999)}"),
            "contact_preference": generator.choice(list(Person.ContactPreference)),
            "organisation": organisation,
        },
    )
    return person


def _account(generator: random.Random, account: DemoAccount, district: District) -> Person:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=account.email, defaults={"email": account.email})
    if created:
        user.first_name, user.last_name = account.first_name, account.last_name
        user.set_password(demo_password(account))
        user.is_staff = user.is_superuser = account.role == Role.ADMINISTRATOR
        user.save()
    if needs_second_factor(account) and not Authenticator.objects.filter(user=user, type="totp").exists():
        TOTP.activate(user, demo_totp_secret(account))
    EmailAddress.objects.update_or_create(user=user, email=account.email, defaults={"verified": True, "primary": True})
    person = _person(generator, district, f"account:{account.role.value}", account.first_name, account.last_name)
    person.user, person.email, person.phone_verified = user, account.email, True
    person.save(update_fields=["user", "email", "phone_verified"])
    scope = {
        "district": {"district": district},
        "place": {"place": Place.objects.filter(district=district).order_by("name").first()},
    }.get(account.scope, {})
    if account.organisation:
        scope["organisation"] = Organisation.objects.get(slug=account.organisation)
    RoleAssignment.objects.get_or_create(person=person, role=account.role, **scope)
    return person


def _followed_by(index: int, organisations: list[Organisation]) -> Organisation | None:
    """One resident in ten is followed by an organisation, wherever they live.

    No random draw, so the rest of the demo city stays the same.
    """
    return organisations[index // 10 % len(organisations)] if organisations and index % 10 == 0 else None


def load(generator: random.Random) -> int:
    """Demo accounts live in the city centre; residents spread by population."""
    home = District.objects.order_by("number").first()
    if home is None:
        raise RuntimeError(_("Load the districts before the demo people."))
    people = [_account(generator, account, home) for account in DEMO_ACCOUNTS]
    coordinator = next(p for p, a in zip(people, DEMO_ACCOUNTS, strict=True) if a.role == Role.COORDINATOR)
    organisations = list(Organisation.objects.filter(active=True).order_by("slug"))
    for index, district in enumerate(_weighted_districts(generator, RESIDENTS)):
        person = _person(
            generator,
            district,
            f"resident:{index}",
            generator.choice(FIRST_NAMES),
            generator.choice(LAST_NAMES),
            _followed_by(index, organisations),
        )
        RoleAssignment.objects.get_or_create(person=person, role=Role.RESIDENT)
        needs = generator.choice(SUPPORT_NEEDS)
        if needs and not person.consents.exists():
            person.support_needs = needs
            person.save(update_fields=["support_needs"])
            Consent.objects.create(
                person=person,
                purpose=Purpose.CARE_MATCHING,
                method=Consent.Method.PHONE,
                text_version=current_version(Purpose.CARE_MATCHING),
                given_at=timezone.now(),
                recorded_by=coordinator,
            )
        people.append(person)
    return len(people)
