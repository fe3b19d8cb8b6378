"""Demo care matching: categories in three languages, helpers with offers, and requests in every state.

The demo resident (Rosa) has an open request, one with a helper planned tomorrow and one done; the
demo helper (Yasmine) has an offer, a vetting, and a proposal waiting for her answer; the demo
coordinator's district has open requests for a matching round.  Times are laid out from today, so the
demo is current on the day it is loaded.  Loading again changes nothing.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.people.consent_texts import current_version
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Consent, Person, Purpose, Role, RoleAssignment

from . import position
from .models import (
    CareCategory,
    CareRequest,
    HelperOffer,
    Match,
    MatchEvent,
    RequestWindow,
    Vetting,
    WeeklyAvailability,
)

# code, nl, en, fr, professional
CATEGORIES = [
    ("shopping", "Boodschappen", "Shopping", "Courses", False),
    ("company", "Gezelschap en een babbel", "Company and a chat", "Compagnie et papote", False),
    (
        "transport",
        "Vervoer (naar de dokter, de markt…)",
        "A lift (to the doctor, the market…)",
        "Transport (chez le médecin, au marché…)",
        False,
    ),
    ("administration", "Hulp bij papieren", "Help with paperwork", "Aide administrative", False),
    ("digital", "Hulp met gsm of computer", "Help with a phone or computer", "Aide avec GSM ou ordinateur", False),
    ("small_repairs", "Kleine klusjes", "Small repairs", "Petits travaux", False),
    ("meals", "Een maaltijd brengen", "Bringing a meal", "Apporter un repas", False),
    ("gardening", "Tuinieren", "Gardening", "Jardinage", False),
    ("walking", "Samen wandelen", "Going for a walk together", "Promenade ensemble", False),
    ("nursing", "Verpleegkundige zorg", "Nursing care", "Soins infirmiers", True),
    (
        "personal_hygiene",
        "Hulp bij wassen en aankleden",
        "Help with washing and dressing",
        "Aide à la toilette et à l'habillage",
        True,
    ),
    ("medication", "Medicatie", "Medication", "Médication", True),
]
REQUESTS = 60
KINDS = [HelperOffer.Kind.NEIGHBOUR, HelperOffer.Kind.STUDENT, HelperOffer.Kind.VOLUNTEER, HelperOffer.Kind.NEWCOMER]
SLOTS = [(time(9), time(12)), (time(13), time(17)), (time(17), time(20)), (time(10), time(16))]
DESCRIPTIONS = [
    "Boodschappen bij de supermarkt om de hoek, lijstje ligt klaar.",
    "Graag iemand om samen koffie te drinken en te praten.",
    "Rit naar de huisarts en terug.",
    "Brief van de mutualiteit begrijpen en beantwoorden.",
    "Hulp om videobellen in te stellen op de tablet.",
    "Lamp vervangen in de keuken.",
]


def _consent(person: Person, purpose: str, recorded_by: Person | None) -> None:
    if not person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
        Consent.objects.create(
            person=person,
            purpose=purpose,
            method=Consent.Method.PHONE,
            text_version=current_version(purpose),
            given_at=timezone.now(),
            recorded_by=recorded_by,
        )


def _may_be_called(person: Person, coordinator: Person | None) -> None:
    """Who prefers the phone and has a number agreed to be called (the call list calls only them)."""
    if person.phone and person.contact_preference == Person.ContactPreference.PHONE:
        _consent(person, Purpose.CONTACT_PHONE, coordinator)


def _categories() -> dict[str, CareCategory]:
    found = {}
    for order, (code, nl, en, fr, professional) in enumerate(CATEGORIES):
        category, _ = CareCategory.objects.update_or_create(
            code=code,
            defaults={"name_nl": nl, "name_en": en, "name_fr": fr, "professional": professional, "order": order},
        )
        found[code] = category
    return found


def _offer(
    generator: random.Random, person: Person, categories: list[CareCategory], coordinator: Person
) -> HelperOffer:
    offer, created = HelperOffer.objects.get_or_create(
        person=person,
        defaults={
            "kind": generator.choice(KINDS),
            "max_distance_km": Decimal(generator.choice(["1.0", "2.0", "3.0", "5.0"])),
            "requests_per_week": generator.choice([1, 1, 2, 3]),
            "languages": person.languages or ["nl"],
            # the demo's helpers are established: the coordinator knows them (their takes need no check)
            "known_since": timezone.now(),
        },
    )
    if created:
        offer.categories.set(generator.sample(categories, k=generator.choice([1, 2, 3])))
        for weekday in sorted(generator.sample(range(7), k=generator.choice([2, 3, 4]))):
            start, end = generator.choice(SLOTS)
            WeeklyAvailability.objects.create(offer=offer, weekday=weekday, start=start, end=end)
    _consent(person, Purpose.LISTED_AS_HELPER, coordinator)
    _may_be_called(person, coordinator)
    RoleAssignment.objects.get_or_create(
        person=person, role=Role.HELPER, defaults={"district": person.district, "granted_by": coordinator}
    )
    return offer


def _window(day_offset: int, start: time, hours: int) -> tuple[datetime, datetime]:
    day = timezone.localdate() + timedelta(days=day_offset)
    begin = timezone.make_aware(datetime.combine(day, start))
    return begin, begin + timedelta(hours=hours)


def _request(
    person: Person,
    category: CareCategory,
    description: str,
    windows: list[tuple[datetime, datetime]],
    created_by: Person,
    **fields: object,
) -> CareRequest:
    # every demo person has a place
    shown = position.shown_for(float(person.lat or 0), float(person.lon or 0), person_id=person.pk)
    request = CareRequest.objects.create(
        person=person,
        category=category,
        description=description,
        street=person.street,
        house_number=person.house_number,
        postcode=person.postcode,
        lat=person.lat,
        lon=person.lon,
        shown_lat=shown[0],
        shown_lon=shown[1],
        district=person.district,
        created_by=created_by,
        **{"channel": CareRequest.Channel.PHONE, **fields},
    )
    RequestWindow.objects.bulk_create(RequestWindow(request=request, start=a, end=b) for a, b in windows)
    return request


def _match(request: CareRequest, offer: HelperOffer, status: str, actor: Person, **fields: object) -> Match:
    match = Match.objects.create(request=request, helper=offer, status=status, proposed_by=actor, **fields)
    MatchEvent.objects.create(match=match, from_status="", to_status=status, actor=actor, note="demo")
    return match


def _demo_accounts_story(categories: dict[str, CareCategory], coordinator: Person, helper: HelperOffer) -> None:
    """Rosa's three requests and Yasmine's proposal, so every page has something to show."""
    rosa = Person.objects.get(user__username=DEMO_ACCOUNTS[0].email)
    _consent(rosa, Purpose.CARE_MATCHING, coordinator)
    _may_be_called(rosa, coordinator)
    _request(
        rosa,
        categories["shopping"],
        "Boodschappen voor de week, ik ben slecht te been.",
        [_window(2, time(9), 3), _window(9, time(9), 3)],
        rosa,
        channel=CareRequest.Channel.ONLINE,
        urgency=3,
        languages=["nl"],
    )
    planned = _request(
        rosa,
        categories["transport"],
        "Rit naar de huisarts op de Kouter.",
        [_window(1, time(10), 3)],
        coordinator,
        urgency=4,
        status=CareRequest.Status.MATCHED,
    )
    start = _window(1, time(10), 1)
    _match(
        planned,
        helper,
        Match.Status.PLANNED,
        coordinator,
        accepted_at=timezone.now(),
        planned_start=start[0],
        planned_end=start[1],
        distance_km=0.8,
        score=399.2,
    )
    done = _request(
        rosa,
        categories["company"],
        "Een babbel bij een koffie.",
        [_window(-6, time(14), 3)],
        coordinator,
        urgency=2,
        status=CareRequest.Status.DONE,
        closed_at=timezone.now(),
    )
    _match(
        done,
        helper,
        Match.Status.DONE,
        coordinator,
        accepted_at=timezone.now(),
        done_at=timezone.now(),
        hours=Decimal("1.50"),
        helper_feedback="Fijne namiddag.",
        helper_continues=True,
        distance_km=0.8,
        score=199.2,
    )


def load(generator: random.Random) -> int:
    """Categories, offers for the demo helper and the residents without needs, open requests; returns requests made."""
    categories = _categories()
    volunteer = [c for c in categories.values() if not c.professional]
    coordinator = Person.objects.get(user__username=next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR).email)
    helper_person = Person.objects.get(user__username=next(a for a in DEMO_ACCOUNTS if a.role == Role.HELPER).email)
    helper = _offer(generator, helper_person, volunteer, coordinator)
    if helper.availability.count() < 5:
        helper.availability.all().delete()
        helper.categories.set([categories["shopping"], categories["company"], categories["transport"]])
        helper.max_distance_km, helper.requests_per_week, helper.languages = Decimal("3.0"), 3, ["nl", "en", "ar"]
        helper.save()
        WeeklyAvailability.objects.bulk_create(
            WeeklyAvailability(offer=helper, weekday=day, start=time(9), end=time(18)) for day in range(6)
        )
        Vetting.objects.create(
            offer=helper,
            checked_on=timezone.localdate() - timedelta(days=30),
            expires_on=timezone.localdate() + timedelta(days=335),
            recorded_by=coordinator,
        )
    residents = list(Person.objects.filter(demo_key__startswith="resident:").order_by("pk"))
    for person in residents:
        # helpers: the residents who did not tell a coordinator they need help themselves
        if not person.support_needs:
            _offer(generator, person, volunteer, coordinator)
    if CareRequest.objects.exists():
        return 0
    _demo_accounts_story(categories, coordinator, helper)
    asking = [p for p in residents if p.consents.filter(purpose=Purpose.CARE_MATCHING).exists()]
    home = coordinator.roles.get(role=Role.COORDINATOR).district_id
    asking.sort(key=lambda p: (p.district_id != home, p.pk))  # the coordinator's district first
    made = 0
    for index, person in enumerate(asking[:REQUESTS]):
        _may_be_called(person, coordinator)
        category = generator.choice(volunteer if index % 12 else list(categories.values()))
        day = generator.randint(1, 10)
        start = generator.choice([time(9), time(10), time(13), time(14)])
        request = _request(
            person,
            category,
            generator.choice(DESCRIPTIONS),
            [_window(day, start, generator.choice([2, 3, 4]))],
            coordinator,
            urgency=generator.choice([1, 2, 3, 3, 4, 5]),
            languages=person.languages[:1],
            duration_minutes=generator.choice([30, 60, 60, 90]),
            status=CareRequest.Status.REFERRED if category.professional else CareRequest.Status.OPEN,
            follow_up_on=timezone.localdate() if index % 15 == 0 else None,
        )
        if category.professional:
            from .models import Referral

            Referral.objects.create(request=request)
        made += 1
    waiting = (
        CareRequest.objects.filter(status=CareRequest.Status.OPEN, district_id=home)
        .exclude(person=helper_person)
        .order_by("pk")
        .first()
    )
    if waiting is not None:
        _match(waiting, helper, Match.Status.PROPOSED, coordinator, distance_km=1.2, score=298.8)
    return made + 3
