"""The wellbeing part of the demo city: in the demo coordinator's district, reports of worried neighbours (new,
picked up, one that became an outreach case), that case with its contact attempts and an offer (to call back
today), a few screenings with the wellbeing consent recorded first and scored by ``domain.instruments``, and a few
structural signals.  The demo coordinator is also the team lead of that district, so the team's pages show: a
colleague (without an account) holds a case of their own, a case of the demo coordinator is closed, and a resident
filled in a screening online that nobody followed up yet.

Every name and address comes from the people the earlier demos made; the random draws come from a copy of the
demo's generator, so the demos after this one draw the same numbers with or without it.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Consent, Person, Purpose, Role, RoleAssignment
from domain.instruments import INSTRUMENTS, score

from .models import CaseOffer, ContactAttempt, OutreachCase, Screening, Signal, WorryReport
from .models_cases import TeamLead

NOTICED = [
    "Ik zie haar niet meer op de markt, en de rolluiken blijven dicht.",
    "De brievenbus puilt uit. Vroeger maakten we altijd een praatje.",
    "Hij zei me vorige week dat er nooit iemand langskomt.",
]
SIGNALS = [
    ("post_office_closed", "Het postpunt in de winkel is gesloten; ouderen moeten nu naar het centrum."),
    ("no_bench", "Geen enkele bank tussen de bushalte en het dienstencentrum."),
    ("dark_street", "De straatverlichting is al weken stuk; 's avonds gaat niemand nog buiten."),
]


def _account(role: Role) -> Person | None:
    account = next(a for a in DEMO_ACCOUNTS if a.role == role)
    return Person.objects.filter(user__username=account.email).first()


def load(rng: random.Random) -> int:
    """Returns how many reports it made (0 when there are already reports, or no demo coordinator)."""
    coordinator = _account(Role.COORDINATOR)
    grant = coordinator.roles.filter(role=Role.COORDINATOR, district__isnull=False).first() if coordinator else None
    if WorryReport.objects.exists() or coordinator is None or grant is None:
        return 0
    generator = random.Random()  # noqa: S311 - demo data, not security
    generator.setstate(rng.getstate())
    now = timezone.now()
    district = grant.district
    residents = list(
        Person.objects.filter(district=district, user__isnull=True, erased_at__isnull=True).order_by("pk")[:6]
    )
    reports = []
    for n, resident in enumerate(residents[:3]):
        reports.append(
            WorryReport.objects.create(
                district=district, street=resident.street, house_number=resident.house_number,
                postal_code=resident.postcode, signs=generator.sample(WorryReport.Sign.values, 2), noticed=NOTICED[n],
                reporter_email=f"buur{n}@example.org" if n != 1 else "", created_at=now - timedelta(days=3 - n),
            )
        )  # fmt: skip
    reports.append(
        WorryReport.objects.create(
            district=district, description="De oudere man met de grijze hond, hoek van het plein.",
            district_chosen=True, signs=["not_seen"], created_at=now - timedelta(hours=5),
        )
    )  # fmt: skip
    if residents:
        picked = reports[0]
        WorryReport.objects.filter(pk=picked.pk).update(
            status=WorryReport.Status.CASE_OPENED, picked_up_by=coordinator, picked_up_at=now - timedelta(days=2),
            reporter_told_at=now - timedelta(days=2),
        )  # fmt: skip
        _case(generator, coordinator, residents[0], picked, now)
    for resident in residents[1:4]:
        _screening(generator, coordinator, resident, now)
    _team(generator, coordinator, district, residents, now)
    for n, (category, text) in enumerate(SIGNALS):
        Signal.objects.create(
            category=category, description=text, district=district, address=residents[n].street if residents else "",
            reporter=_account(Role.RESIDENT), created_at=now - timedelta(days=10 * (n + 1)),
        )  # fmt: skip
    return len(reports)


def _consent(coordinator: Person, resident: Person, when: timezone.datetime) -> Consent:
    consent = resident.consents.filter(purpose=Purpose.WELLBEING_SCREENING, withdrawn_at__isnull=True).first()
    return consent or Consent.objects.create(
        person=resident, purpose=Purpose.WELLBEING_SCREENING, method=Consent.Method.PHONE, text_version="1",
        recorded_by=coordinator, given_at=when,
    )  # fmt: skip


def _screening(
    generator: random.Random,
    coordinator: Person,
    resident: Person,
    now: timezone.datetime,
    case: OutreachCase | None = None,
) -> Screening:
    scale = INSTRUMENTS["djg6"]
    answers = {number: generator.choice(["yes", "more_or_less", "no"]) for number in scale.numbers}
    result = score("djg6", answers, "3")
    taken = now - timedelta(days=generator.randint(1, 60))
    return Screening.objects.create(
        person=resident, instrument=result.instrument, instrument_version=result.version,
        answer_format=result.answer_format, language="nl", answers=answers, total=result.total,
        category=result.category or "", emotional=result.emotional, emotional_category=result.emotional_category or "",
        social=result.social, social_category=result.social_category or "", missing=list(result.missing),
        mode=Screening.Mode.PHONE, taken_by=coordinator, consent=_consent(coordinator, resident, taken),
        district=resident.district, case=case, taken_at=taken,
    )  # fmt: skip


def _case(
    generator: random.Random, coordinator: Person, resident: Person, report: WorryReport, now: timezone.datetime
) -> OutreachCase:
    case = OutreachCase.objects.create(
        person=resident, district=report.district, assigned_to=coordinator, origin=OutreachCase.Origin.REPORT,
        report=report, notes="Woont alleen sinds het overlijden van haar man; dochter woont in het buitenland.",
        status=OutreachCase.Status.IN_CONTACT, follow_up_on=timezone.localdate(now),
        created_by=coordinator, created_at=now - timedelta(days=2),
    )  # fmt: skip
    ContactAttempt.objects.create(
        case=case, by=coordinator, at=now - timedelta(days=2), channel=ContactAttempt.Channel.DOOR,
        outcome=ContactAttempt.Outcome.MESSAGE_LEFT, note="Niemand thuis; briefje met mijn nummer achtergelaten.",
    )  # fmt: skip
    ContactAttempt.objects.create(
        case=case, by=coordinator, at=now - timedelta(days=1), channel=ContactAttempt.Channel.PHONE,
        outcome=ContactAttempt.Outcome.REACHED, note="Belde zelf terug. Wil graag af en toe bezoek.",
    )  # fmt: skip
    case.consent = _consent(coordinator, resident, now - timedelta(days=1))
    case.save(update_fields=["consent"])
    CaseOffer.objects.create(
        case=case, kind=CaseOffer.Kind.BUDDY, description="Een buddy uit de buurt, één keer per week.",
        created_by=coordinator, created_at=now - timedelta(days=1),
    )  # fmt: skip
    _screening(generator, coordinator, resident, now, case=case)
    return case


def _team(
    generator: random.Random, coordinator: Person, district: Any, residents: list[Person], now: timezone.datetime
) -> None:
    """The demo coordinator as team lead, a colleague's case, a closed case and an online screening to follow."""
    TeamLead.objects.create(person=coordinator, district=district, granted_at=now - timedelta(days=90))
    home = residents[0] if residents else coordinator  # a real address of the district (the demo's own)
    colleague = Person.objects.create(
        first_name="Lies", last_name="Claeys", district=district, languages=["nl", "fr"], street=home.street,
        house_number=home.house_number, postcode=home.postcode, lat=home.lat, lon=home.lon,
    )  # fmt: skip
    RoleAssignment.objects.create(person=colleague, role=Role.COORDINATOR, district=district)
    if len(residents) > 4:
        OutreachCase.objects.create(
            person=residents[4], district=district, assigned_to=colleague, origin=OutreachCase.Origin.OBSERVATION,
            notes="Zit elke dag alleen op de bank aan de kerk.", created_by=colleague,
            follow_up_on=timezone.localdate(now) - timedelta(days=1), created_at=now - timedelta(days=6),
        )  # fmt: skip
    if len(residents) > 2:
        OutreachCase.objects.create(
            person=residents[2], district=district, assigned_to=coordinator, origin=OutreachCase.Origin.OBSERVATION,
            notes="Gaat nu elke week naar het buurtrestaurant.", status=OutreachCase.Status.CLOSED,
            outcome=OutreachCase.Outcome.REACHED_HELPED, created_by=coordinator, created_at=now - timedelta(days=40),
            closed_at=now - timedelta(days=12),
        )  # fmt: skip
    if len(residents) > 5:
        resident = residents[5]
        scale = INSTRUMENTS["ucla3"]
        answers = {number: "often" if n else "some_of_the_time" for n, number in enumerate(scale.numbers)}
        result = score("ucla3", answers, "3")
        consent = Consent.objects.create(
            person=resident, purpose=Purpose.WELLBEING_SCREENING, method=Consent.Method.ONLINE, text_version="1",
            given_at=now - timedelta(days=3),
        )  # fmt: skip
        Screening.objects.create(
            person=resident, instrument=result.instrument, instrument_version=result.version,
            answer_format=result.answer_format, language="nl", answers=answers, total=result.total,
            category=result.category or "", missing=list(result.missing), mode=Screening.Mode.ONLINE,
            consent=consent, district=resident.district, taken_at=now - timedelta(days=3),
        )  # fmt: skip
