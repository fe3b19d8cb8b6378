"""The community part of the demo city: themes, and in every district a few initiatives of the kinds the issue
names (a repair café, a street meal, a language café pairing newcomers with older residents, a walking group, a
homework club run by seniors), most published, with what they need and some helpers.  The demo initiative
starter has a published one, a draft and one the city returned with a question; in the demo coordinator's district
two wait for review.  Fictitious; every starter and helper is a person of the earlier demos.

The random draws come from a copy of the demo's generator, so the demos after this one draw the same numbers with
or without it.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from django.conf import settings
from django.utils import timezone

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role
from apps.places.models import District, Place

from .models import Event, Follow, Initiative, InitiativeStep, Need, Pledge, Theme
from .services import COMMITMENT_VERSION

THEMES = [
    ("repair", "Herstellen", "Repair", "Réparation"),
    ("food", "Samen eten", "Eating together", "Manger ensemble"),
    ("language", "Taal", "Language", "Langue"),
    ("exercise", "Bewegen", "Exercise", "Activité physique"),
    ("learning", "Leren", "Learning", "Apprentissage"),
    ("nature", "Groen en natuur", "Green and nature", "Nature et verdure"),
    ("culture", "Cultuur", "Culture", "Culture"),
    ("company", "Gezelschap", "Company", "Compagnie"),
]
KINDS = [
    {
        "title": "Repair Café {district}", "theme": ["repair"], "organiser": "residents", "audience": ["everyone"],
        "summary": "Breng je kapotte lamp, fiets of broek mee. Vrijwilligers herstellen samen met jou, bij een kop "
                   "koffie. Gratis; een vrije bijdrage mag.",
        "when": "Elke eerste zaterdag van de maand, 10:00 tot 13:00", "intergenerational": True,
        "needs": [("Iemand die kan solderen", 2), ("Taart voor bij de koffie", 3)], "costs": "Gratis",
    },
    {
        "title": "Straatmaaltijd {street}", "theme": ["food"], "organiser": "residents",
        "audience": ["everyone", "families"], "rhythm": "one_off",
        "summary": "Eén lange tafel in de straat: iedereen brengt iets mee om te delen. Ook wie niets kan "
                   "meebrengen is welkom.",
        "when": "Zondag 21 juni, vanaf 12:00", "intercultural": True, "intergenerational": True,
        "needs": [("Tafels", 6), ("Stoelen", 20), ("Soep", 2)], "costs": "Gratis",
    },
    {
        "title": "Taalcafé {district}", "theme": ["language", "company"], "organiser": "association",
        "audience": ["newcomers", "older_residents"],
        "summary": "Nieuwkomers oefenen Nederlands met oudere buurtbewoners, in een gewoon gesprek. Geen les, "
                   "wel een gezellige babbel.",
        "when": "Elke dinsdag, 14:00 tot 16:00", "intercultural": True, "intergenerational": True,
        "languages": ["nl", "ar", "uk", "fr"], "needs": [("Gesprekspartners", 6)], "costs": "Gratis",
    },
    {
        "title": "Wandelgroep {district}", "theme": ["exercise", "company"], "organiser": "residents",
        "audience": ["adults", "older_residents"],
        "summary": "Een rustige wandeling van een uur door de wijk, in een tempo dat iedereen kan volgen. "
                   "Achteraf koffie.",
        "when": "Elke donderdag, 10:00", "needs": [("Iemand die vooraan wandelt", 2)], "costs": "Gratis",
    },
    {
        "title": "Huiswerkklas met senioren", "theme": ["learning"], "organiser": "school",
        "audience": ["children", "older_residents"],
        "summary": "Gepensioneerde buren helpen kinderen van de lagere school met hun huiswerk, in de "
                   "bibliotheek.",
        "when": "Maandag en woensdag, 16:00 tot 17:30", "intergenerational": True,
        "needs": [("Begeleiders", 4), ("Fruit voor de pauze", 2)], "costs": "Gratis",
    },
]


def _account(role: Role) -> Person | None:
    account = next(a for a in DEMO_ACCOUNTS if a.role == role)
    return Person.objects.filter(user__username=account.email).first()


def load(rng: random.Random) -> int:
    """Returns how many initiatives it made (0 when there are already some)."""
    if Initiative.objects.exists():
        return 0
    generator = random.Random()  # noqa: S311 - demo data, not security
    generator.setstate(rng.getstate())
    themes = {slug: Theme.objects.get_or_create(slug=slug, defaults={"name_nl": nl, "name_en": en, "name_fr": fr,
                                                                      "order": n})[0]
              for n, (slug, nl, en, fr) in enumerate(THEMES)}  # fmt: skip
    now = timezone.now()
    made = 0
    for district in District.objects.defer("geometry").order_by("number"):
        residents = list(
            Person.objects.filter(district=district, erased_at__isnull=True, roles__role=Role.RESIDENT)
            .order_by("pk")[:12]
        )
        if len(residents) < 3:
            continue
        places = list(Place.objects.filter(district=district).order_by("pk")[:3])
        for kind in generator.sample(KINDS, 2):
            starter = generator.choice(residents)
            made += 1
            _initiative(generator, kind, district, starter, places, residents, themes, now)
    made += _starter_demo(generator, themes, now)
    return made


def _initiative(
    generator: random.Random, kind: dict, district: District, starter: Person, places: list[Place],  # type: ignore[type-arg]
    residents: list[Person], themes: dict[str, Theme], now: timezone.datetime, status: str = "published",
) -> Initiative:  # fmt: skip
    place = generator.choice(places) if places and kind.get("rhythm") != "one_off" else None
    published = now - timedelta(days=generator.randint(5, 200))
    initiative = Initiative.objects.create(
        title=kind["title"].format(district=district.name, street=starter.street or district.name),
        summary=kind["summary"], organiser=kind["organiser"], audience=kind["audience"], district=district,
        place=place, street="" if place else starter.street, rhythm=kind.get("rhythm", "recurring"),
        when_text=kind["when"], languages=kind.get("languages", ["nl"]),
        wheelchair_accessible=bool(place and place.wheelchair_accessible), costs_note=kind.get("costs", ""),
        intergenerational=kind.get("intergenerational", False), intercultural=kind.get("intercultural", False),
        contact_name=f"{starter.first_name} {starter.last_name}", contact_email=starter.email or "",
        contact_phone="" if starter.email else "+32470000000", starter=starter, status=status,
        commitment_version="" if status == "draft" else COMMITMENT_VERSION,
        commitment_signed_at=None if status == "draft" else published - timedelta(days=3),
        submitted_at=None if status == "draft" else published - timedelta(days=3),
        published_at=published if status == "published" else None, created_at=published - timedelta(days=5),
    )  # fmt: skip
    initiative.themes.set([themes[slug] for slug in kind["theme"]])
    InitiativeStep.objects.create(initiative=initiative, kind="created", by=starter, at=initiative.created_at)
    if status != "draft":
        sent = published - timedelta(days=3)
        InitiativeStep.objects.create(initiative=initiative, kind="submitted", by=starter, at=sent)
    if status == "published":
        InitiativeStep.objects.create(initiative=initiative, kind="published", at=published)
        others = [r for r in residents if r.pk != starter.pk]
        for what, wanted in kind["needs"]:
            need = Need.objects.create(initiative=initiative, what=what, wanted=wanted)
            for helper in generator.sample(others, min(len(others), generator.randint(0, wanted))):
                Pledge.objects.create(need=need, person=helper)
        for follower in generator.sample(others, min(len(others), generator.randint(1, 6))):
            Follow.objects.create(initiative=initiative, person=follower)
        _event(generator, initiative, kind, now)
    return initiative


def _event(generator: random.Random, initiative: Initiative, kind: dict, now: timezone.datetime) -> Event:  # type: ignore[type-arg]
    """A weekly event over the next months for a regular initiative, one date for a one-off, at 10:00-19:00."""
    today = timezone.localdate(now)
    first = today + timedelta(days=generator.randint(1, 14))
    weekly = kind.get("rhythm", "recurring") == "recurring"
    return Event.objects.create(
        uid=f"demo-{initiative.pk}@{settings.COMMUNITY_CALENDAR_DOMAIN}", title=initiative.title,
        description=kind["summary"], initiative=initiative, district=initiative.district, place=initiative.place,
        address="" if initiative.place else initiative.street, starts_on=first,
        start_time=time(generator.choice([10, 14, 16, 19]), generator.choice([0, 30])),
        duration_minutes=generator.choice([60, 90, 120]), repeat="weekly" if weekly else "none",
        repeat_until=first + timedelta(weeks=16) if weekly else None,
        wheelchair_accessible=initiative.wheelchair_accessible, created_by=initiative.starter,
    )  # fmt: skip


def _starter_demo(generator: random.Random, themes: dict[str, Theme], now: timezone.datetime) -> int:
    """The demo initiative starter's own: published, a draft, returned; two waiting in the coordinator's district."""
    starter, coordinator = _account(Role.INITIATIVE_STARTER), _account(Role.COORDINATOR)
    if starter is None or starter.district is None:
        return 0
    residents = list(Person.objects.filter(district=starter.district, roles__role=Role.RESIDENT).order_by("pk")[:8])
    places = list(Place.objects.filter(district=starter.district).order_by("pk")[:3])
    _initiative(generator, KINDS[2], starter.district, starter, places, residents, themes, now)
    _initiative(generator, KINDS[1], starter.district, starter, places, residents, themes, now, status="draft")
    returned = _initiative(generator, KINDS[3], starter.district, starter, places, residents, themes, now,
                           status="returned")  # fmt: skip
    InitiativeStep.objects.create(
        initiative=returned, kind="returned", by=coordinator, at=now - timedelta(days=1),
        reason="Mooi initiatief! Kunt u zeggen waar de wandeling vertrekt, en of er een rustpunt is voor wie "
               "minder goed te been is?",
    )  # fmt: skip
    grant = coordinator.roles.filter(role=Role.COORDINATOR, district__isnull=False).first() if coordinator else None
    if grant is None:
        return 3
    waiting = list(Person.objects.filter(district=grant.district, roles__role=Role.RESIDENT).order_by("pk")[:8])
    if len(waiting) < 2:
        return 3
    wplaces = list(Place.objects.filter(district=grant.district).order_by("pk")[:3])
    for kind, who in ((KINDS[0], waiting[0]), (KINDS[4], waiting[1])):
        _initiative(generator, kind, grant.district, who, wplaces, waiting, themes, now, status="submitted")
    return 5
