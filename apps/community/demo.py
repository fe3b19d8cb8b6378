"""The community part of the demo city: themes, and in every district a few initiatives of the kinds the issue
names (a repair café, a street meal, a language café pairing newcomers with older residents, a walking group, a
homework club run by seniors), most published, with what they need and some helpers; the city's teams, the
materials it lends, a grant call open now with a jury of nine and last season's call with its scores, and support
requests in every state.  The demo initiative
starter has a published one, a draft and one the city returned with a question; in the demo coordinator's district
two wait for review.  Fictitious; every starter and helper is a person of the earlier demos.

The random draws come from a copy of the demo's generator, so the demos after this one draw the same numbers with
or without it.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from django.conf import settings
from django.utils import timezone

from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role
from apps.places.models import District, Place

from .models import (
    CityTeam,
    Event,
    Follow,
    GrantCall,
    Initiative,
    InitiativeStep,
    JuryMember,
    JuryScore,
    Material,
    MaterialLine,
    Need,
    Pledge,
    Registration,
    SupportRequest,
    SupportStep,
    Theme,
)  # fmt: skip
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
        "title": "Repair Café {district}",
        "theme": ["repair"],
        "organiser": "residents",
        "audience": ["everyone"],
        "summary": "Breng je kapotte lamp, fiets of broek mee. Vrijwilligers herstellen samen met jou, bij een kop "
        "koffie. Gratis; een vrije bijdrage mag.",
        "when": "Elke eerste zaterdag van de maand, 10:00 tot 13:00",
        "intergenerational": True,
        "needs": [("Iemand die kan solderen", 2), ("Taart voor bij de koffie", 3)],
        "costs": "Gratis",
    },
    {
        "title": "Straatmaaltijd {street}",
        "theme": ["food"],
        "organiser": "residents",
        "audience": ["everyone", "families"],
        "rhythm": "one_off",
        "summary": "Eén lange tafel in de straat: iedereen brengt iets mee om te delen. Ook wie niets kan "
        "meebrengen is welkom.",
        "when": "Zondag 21 juni, vanaf 12:00",
        "intercultural": True,
        "intergenerational": True,
        "needs": [("Tafels", 6), ("Stoelen", 20), ("Soep", 2)],
        "costs": "Gratis",
    },
    {
        "title": "Taalcafé {district}",
        "theme": ["language", "company"],
        "organiser": "association",
        "audience": ["newcomers", "older_residents"],
        "summary": "Nieuwkomers oefenen Nederlands met oudere buurtbewoners, in een gewoon gesprek. Geen les, "
        "wel een gezellige babbel.",
        "when": "Elke dinsdag, 14:00 tot 16:00",
        "intercultural": True,
        "intergenerational": True,
        "languages": ["nl", "ar", "uk", "fr"],
        "needs": [("Gesprekspartners", 6)],
        "capacity": 12,
        "costs": "Gratis",
    },
    {
        "title": "Wandelgroep {district}",
        "theme": ["exercise", "company"],
        "organiser": "residents",
        "audience": ["adults", "older_residents"],
        "summary": "Een rustige wandeling van een uur door de wijk, in een tempo dat iedereen kan volgen. "
        "Achteraf koffie.",
        "when": "Elke donderdag, 10:00",
        "needs": [("Iemand die vooraan wandelt", 2)],
        "costs": "Gratis",
    },
    {
        "title": "Huiswerkklas met senioren",
        "theme": ["learning"],
        "organiser": "school",
        "audience": ["children", "older_residents"],
        "summary": "Gepensioneerde buren helpen kinderen van de lagere school met hun huiswerk, in de bibliotheek.",
        "when": "Maandag en woensdag, 16:00 tot 17:30",
        "intergenerational": True,
        "needs": [("Begeleiders", 4), ("Fruit voor de pauze", 2)],
        "capacity": 10,
        "costs": "Gratis",
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
            Person.objects.filter(district=district, erased_at__isnull=True, roles__role=Role.RESIDENT).order_by("pk")[
                :12
            ]
        )
        if len(residents) < 3:
            continue
        places = list(Place.objects.filter(district=district).order_by("pk")[:3])
        for kind in generator.sample(KINDS, 2):
            starter = generator.choice(residents)
            made += 1
            _initiative(generator, kind, district, starter, places, residents, themes, now)
    made += _starter_demo(generator, themes, now)
    _registrations_demo(now)
    _support_demo(generator, now)
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
        capacity=kind.get("capacity"), audience=list(initiative.audience), languages=list(initiative.languages),
    )  # fmt: skip


def _registrations_demo(now: timezone.datetime) -> None:
    """The demo starter's language café is full on its first date (12 registered, 2 waiting); the demo resident is
    registered for it, so "My registrations" and the personal feed show something."""
    starter, resident = _account(Role.INITIATIVE_STARTER), _account(Role.RESIDENT)
    event = Event.objects.filter(initiative__starter=starter, capacity__isnull=False).order_by("pk").first()
    if event is None or event.capacity is None:
        return
    people = list(Person.objects.filter(roles__role=Role.RESIDENT, erased_at__isnull=True)
                  .exclude(pk=getattr(starter, "pk", None)).order_by("pk")[: event.capacity + 2])  # fmt: skip
    if resident is not None and resident not in people:
        people = [resident, *people[:-1]]
    for n, person in enumerate(people):
        Registration.objects.create(
            event=event, occurs_on=event.starts_on, person=person, created_at=now - timedelta(hours=len(people) - n),
            status="confirmed" if n < event.capacity else "waiting",
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


TEAMS = [
    ("lending", "Uitleendienst", "Lending service", "Service de prêt", ["materials"]),
    ("events", "Dienst Evenementen", "Events service", "Service des événements", ["permit"]),
    ("grants", "Team Wijk aan Zet", "Neighbourhood grants team", "Équipe des subsides de quartier", ["grant"]),
    ("community-work", "Buurtwerk", "Community work", "Travail de quartier", ["help"]),
]
MATERIALS = [
    ("tables", "Tafels", "Tables", "Tables", 40),
    ("benches", "Bierbanken", "Benches", "Bancs", 80),
    ("tent", "Partytent 3 × 3 m", "Party tent 3 × 3 m", "Tonnelle 3 × 3 m", 6),
    ("sound", "Geluidsinstallatie", "Sound system", "Sono", 2),
    ("barriers", "Nadarhekken", "Crowd barriers", "Barrières Nadar", 30),
    ("signs", "Verkeersborden leefstraat", "Living-street road signs", "Panneaux de rue vivante", 12),
]


def last_working_day(year: int, month: int) -> date:
    """The last working day of a month: Wijk aan Zet's deadlines are the last working day of February and of
    September (DOMAIN.md A3)."""
    day = date(year, month + 1, 1) - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _calls_around(today: date) -> tuple[date, date]:
    """The deadline of the call open now and of the one before it."""
    deadlines = sorted(last_working_day(y, m) for y in (today.year - 1, today.year, today.year + 1) for m in (2, 9))
    upcoming = next(d for d in deadlines if d >= today)
    return upcoming, deadlines[deadlines.index(upcoming) - 1]


def _support_demo(generator: random.Random, now: timezone.datetime) -> None:
    """Teams, materials, two grant calls with a jury, and requests of the demo starter and of the coordinator's
    district in every state."""
    if CityTeam.objects.exists():
        return
    staff, coordinator = _account(Role.CITY_STAFF), _account(Role.COORDINATOR)
    starter, resident, committee = (
        _account(Role.INITIATIVE_STARTER),
        _account(Role.RESIDENT),
        _account(Role.CENTRE_COMMITTEE),
    )
    for slug, nl, en, fr, handles in TEAMS:
        team = CityTeam.objects.create(slug=slug, name_nl=nl, name_en=en, name_fr=fr, handles=handles)
        if staff is not None:
            team.members.add(staff)
    materials = {
        slug: Material.objects.create(
            slug=slug,
            name_nl=nl,
            name_en=en,
            name_fr=fr,
            quantity=count,
            pick_up="Uitleendienst, Port Arthurlaan 1, 9000 Gent",
        )
        for slug, nl, en, fr, count in MATERIALS
    }
    today = timezone.localdate(now)
    deadline, previous = _calls_around(today)
    open_call = GrantCall.objects.create(
        title=f"Wijk aan Zet {deadline:%Y}-{1 if deadline.month == 2 else 2}",
        opens_on=previous + timedelta(days=1),
        deadline=deadline,
        ceiling_eur=2500,
        description="Een klein budget voor wat bewoners samen in hun wijk doen: het buurtgevoel versterken, door "
        "bewoners gedragen, in verhouding, uit te voeren binnen het jaar.",
    )
    closed_call = GrantCall.objects.create(
        title=f"Wijk aan Zet {previous:%Y}-{1 if previous.month == 2 else 2}",
        opens_on=previous - timedelta(days=180),
        deadline=previous,
        ceiling_eur=2500,
        description=open_call.description,
    )
    jurors = [(resident, "resident"), (committee, "association"), (coordinator, "official")]
    others = list(
        Person.objects.filter(roles__role=Role.RESIDENT, erased_at__isnull=True, user__isnull=True).order_by("pk")[:6]
    )
    jurors += [(p, "resident" if n < 2 else "association" if n < 4 else "official") for n, p in enumerate(others)]
    members = {}
    for call in (open_call, closed_call):
        for person, seat in jurors:
            if person is not None:
                members[(call.pk, person.pk)] = JuryMember.objects.create(call=call, person=person, seat=seat)
    if starter is None or coordinator is None:
        return
    own = Initiative.objects.filter(starter=starter, status="published").first()
    if own is None:
        return

    def request(initiative: Initiative, kind: str, status: str, days_ago: int, **fields: object) -> SupportRequest:
        sent = now - timedelta(days=days_ago)
        made = SupportRequest.objects.create(
            initiative=initiative,
            kind=kind,
            status=status,
            team=CityTeam.objects.filter(handles__icontains=kind).first(),
            submitted_by=initiative.starter,
            submitted_at=sent,
            answer_due=fields.pop("due", None) or (timezone.localdate(sent) + timedelta(days=14)),
            **fields,
        )
        SupportStep.objects.create(request=made, kind="submitted", by=initiative.starter, at=sent)
        return made

    loan = request(
        own,
        "materials",
        "submitted",
        1,
        needed_from=today + timedelta(days=12),
        needed_until=today + timedelta(days=13),
        message="Voor het taalcafé in de tuin.",
    )
    MaterialLine.objects.create(request=loan, material=materials["tables"], quantity=6)
    MaterialLine.objects.create(request=loan, material=materials["benches"], quantity=12)
    permit = request(
        own,
        "permit",
        "question",
        6,
        needed_from=today + timedelta(days=60),
        needed_until=today + timedelta(days=60),
        details={
            "event": "meal",
            "street": own.street or "Kongostraat",
            "starts": "16:00",
            "ends": "22:00",
            "people": 80,
            "closes_street": True,
            "amplified_sound": False,
            "food_or_drinks": True,
            "structures": "Twee partytenten",
            "set_up": "Vanaf 14:00, opgeruimd om 23:00",
        },
    )
    SupportStep.objects.create(request=permit, kind="taken", by=staff, at=now - timedelta(days=4))
    SupportStep.objects.create(
        request=permit,
        kind="question",
        by=staff,
        at=now - timedelta(days=3),
        text="Blijft er een doorgang van 4 meter vrij voor de brandweer?",
    )
    SupportRequest.objects.filter(pk=permit.pk).update(handler=staff, answered_at=now - timedelta(days=3))
    request(
        own,
        "grant",
        "submitted",
        2,
        call=open_call,
        amount_eur=1800,
        due=deadline + timedelta(days=60),
        details={
            "plan": "Elke dinsdag een taalcafé, met koffie en een uitstap per kwartaal.",
            "budget": "Koffie en thee: 400 euro\nUitstappen: 1.000 euro\nDrukwerk: 400 euro",
        },
    )
    # the coordinator's district: one waits past its date, one is handled, one was answered
    district_initiatives = list(
        Initiative.objects.filter(district=own.district, status="published").exclude(pk=own.pk).order_by("pk")[:3]
    )
    if not district_initiatives:
        return
    late = request(
        district_initiatives[0],
        "help",
        "submitted",
        25,
        details={"topic": "insurance"},
        message="Zijn onze vrijwilligers verzekerd als ze soep maken?",
        due=today - timedelta(days=3),
    )
    handled = request(
        district_initiatives[-1],
        "help",
        "in_progress",
        4,
        details={"topic": "publicity"},
        message="Kunnen jullie onze affiche in het wijkkrantje zetten?",
    )
    SupportStep.objects.create(request=handled, kind="taken", by=coordinator, at=now - timedelta(days=2))
    SupportRequest.objects.filter(pk=handled.pk).update(handler=coordinator)
    del late
    # last season's call: scored by its jury and decided
    for n, initiative in enumerate(district_initiatives):
        application = request(
            initiative,
            "grant",
            "approved" if n % 2 == 0 else "declined",
            120,
            call=closed_call,
            amount_eur=generator.choice([800, 1500, 2400]),
            due=previous + timedelta(days=60),
            details={"plan": "Een jaar lang " + initiative.title.lower() + ".", "budget": "Materiaal en drukwerk"},
        )
        for (call_pk, _person), member in members.items():
            if call_pk != closed_call.pk:
                continue
            JuryScore.objects.create(
                application=application, member=member, **{c: generator.randint(2, 5) for c in JuryScore.CRITERIA}
            )
        granted = application.amount_eur if n % 2 == 0 else None
        SupportRequest.objects.filter(pk=application.pk).update(
            granted_eur=granted, answered_at=now - timedelta(days=40)
        )
        SupportStep.objects.create(
            request=application,
            kind=application.status,
            by=staff,
            at=now - timedelta(days=40),
            text="Proficiat!" if granted else "De jury vond het bedrag te hoog voor het plan.",
        )
