"""Demo service directory: a plausible, clearly fictitious offer of care and welfare across Ghent's 25 districts.

The kinds of service are the real ones a Ghent social worker refers to (the social service of the public
welfare centre, local service centres for older people, home care and home nursing, support for informal
carers, volunteer organisations, meals at home, mobility, mental-health contact points...); every name is
invented and ends in "(demo)", every phone number is in the unused range +32 9 000 xx xx (as the demo
organisations' are), websites and emails are on ``.example``.  The addresses are real points of the address
register (``data/gent/addresses-crab2014.csv``, as the places and people demos use), so a location's
latitude, longitude and district agree.

Ids are UUIDs made from a fixed key (``demo_id``), so the demo directory has the same ids on every machine
and in the suites' copy of the demo city.  Random choices use a copy of the demo's generator: deterministic
with the demo's seed, and the apps whose demo comes later draw the same numbers whether or not this one ran.

Dates are laid out from today: most records were checked in the last months, some more than
``DIRECTORY_CHECK_AFTER_DAYS`` ago (so "to check" and the reminders have something to show); the closure is
the coming Christmas holidays.  The demo organisation (``apps.organisations.demo.DEMO_ORGANISATION``, whose
staff login is Ingrid's) receives referrals in every state; the demo coordinator (Tom) sent them, for
residents of his district, each after recording their consent for sharing with a referred service.

Loading again changes nothing: once the directory holds a service, the demo leaves it alone.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from apps.organisations.demo import DEMO_ORGANISATION
from apps.organisations.models import Organisation
from apps.people.consent_texts import current_version
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Consent, Person, Purpose, Role
from apps.people.phones import normalise_phone
from apps.places.demo import AddressPoint, random_address
from apps.places.models import District
from domain.directory.workdays import add_working_days

from .models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    OrganisationRecord,
    Phone,
    Referral,
    ReferralEvent,
    RequiredDocument,
    Revision,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://cityofpeople.example/demo/directory")
TAXONOMY_NAME = "Hulp en zorg in Gent (demo)"
CITY_WIDE = "Gent (heel de stad)"
ASSURER = "redactie-sociale-kaart@stad.example"
OLD_SHARE = 0.15
"""About this share of the records was last checked longer ago than the city asks (``DIRECTORY_CHECK_AFTER_DAYS``)."""


def demo_id(key: str) -> uuid.UUID:
    """The fixed id of a demo record: the same on every machine and on every load."""
    return uuid.uuid5(NAMESPACE, key)


# --- types of help ---------------------------------------------------------------------------------------

# code, parent code, nl, en, fr
TERMS: list[tuple[str, str, str, str, str]] = [
    ("social", "", "Sociale dienstverlening", "Social services", "Services sociaux"),
    ("social-service", "social", "Sociale dienst van het OCMW", "Social service of the public welfare centre",
     "Service social du CPAS"),
    ("debt-help", "social", "Schuldhulp en budgetbegeleiding", "Debt help and budget support",
     "Aide en cas de dettes et guidance budgétaire"),
    ("rent-help", "social", "Hulp bij huur en wonen", "Help with rent and housing", "Aide au loyer et au logement"),
    ("service-centre", "", "Lokaal dienstencentrum", "Local service centre for older people",
     "Centre de services local pour seniors"),
    ("activities", "service-centre", "Activiteiten en ontmoeting", "Activities and meeting people",
     "Activités et rencontres"),
    ("meals-centre", "service-centre", "Warme maaltijd in het dienstencentrum", "Hot meal at the centre",
     "Repas chaud au centre"),
    ("pedicure", "service-centre", "Pedicure", "Pedicure", "Pédicure"),
    ("help-at-home", "service-centre", "Hulp aan huis (klusjes, boodschappen)", "Help at home (odd jobs, shopping)",
     "Aide à domicile (petits travaux, courses)"),
    ("home-care", "", "Thuiszorg", "Home care", "Soins à domicile"),
    ("home-nursing", "home-care", "Thuisverpleging", "Home nursing", "Soins infirmiers à domicile"),
    ("family-help", "home-care", "Gezinszorg", "Family help", "Aide familiale"),
    ("meals-at-home", "home-care", "Maaltijden aan huis", "Meals delivered at home", "Repas livrés à domicile"),
    ("home-adaptation", "home-care", "Aanpassingen in huis", "Home adaptations", "Adaptation du logement"),
    ("carers", "", "Steun voor mantelzorgers", "Support for informal carers", "Soutien aux aidants proches"),
    ("volunteering", "", "Vrijwilligerswerk", "Volunteer organisations", "Bénévolat"),
    ("mobility", "", "Vervoer en mobiliteit", "Transport and mobility", "Transport et mobilité"),
    ("lifts", "mobility", "Minder Mobielen Centrale", "Lifts by volunteer drivers",
     "Centrale des moins mobiles"),
    ("adapted-transport", "mobility", "Aangepast vervoer", "Adapted transport", "Transport adapté"),
    ("mental-health", "", "Aanspreekpunt geestelijke gezondheid", "Mental-health contact point",
     "Point de contact santé mentale"),
    ("loneliness", "", "Eenzaamheid en contact", "Loneliness and company", "Solitude et contact"),
    ("interpreting", "", "Tolken", "Interpreting", "Interprétariat"),
]  # fmt: skip

# --- organisations ---------------------------------------------------------------------------------------

# organisations the directory adds to the demo ones (slug, name, description, phone)
EXTRA_ORGANISATIONS = [
    ("sociale-dienst-demo", "Sociale Dienst Gent (demo)",
     "De sociale dienst van het OCMW: onthaal, financiële hulp, schuldhulp en hulp bij huur, in de sociale "
     "huizen van de stad.", "+32 9 000 11 01"),
    ("warme-pot-demo", "Maaltijddienst De Warme Pot (demo)",
     "Brengt elke werkdag een warme of gekoelde maaltijd aan huis bij wie niet meer zelf kookt.",
     "+32 9 000 11 02"),
    ("minder-mobielen-demo", "Minder Mobielen Centrale Gent (demo)",
     "Vrijwillige chauffeurs en een rolstoelbus voor wie moeilijk met bus of tram raakt.", "+32 9 000 11 03"),
    ("luisterpunt-demo", "Luisterpunt Psychisch Welzijn (demo)",
     "Laagdrempelige aanspreekpunten voor wie zich niet goed in zijn vel voelt: een gesprek, en de weg naar "
     "verdere hulp.", "+32 9 000 11 04"),
    ("zorgzame-hand-demo", "Thuisverpleging De Zorgzame Hand (demo)",
     "Verpleegkundigen aan huis: wondzorg, medicatie, hulp bij wassen, diabeteszorg en palliatieve zorg.",
     "+32 9 000 11 05"),
    ("woonloket-demo", "Woonloket Aangepast Wonen (demo)",
     "Advies en premies om uw woning aan te passen, zodat u er langer veilig kunt blijven wonen.",
     "+32 9 000 11 06"),
    ("tolkendienst-demo", "Tolkendienst Babel (demo)",
     "Sociaal tolken ter plaatse, via de telefoon of via video, voor gesprekken met zorg- en welzijnsdiensten.",
     "+32 9 000 11 07"),
]  # fmt: skip

PUBLIC_WELFARE = "Openbaar centrum voor maatschappelijk welzijn (OCMW)"
LEGAL_STATUS = dict.fromkeys((DEMO_ORGANISATION, "ldc-de-horizon", "sociale-dienst-demo"), PUBLIC_WELFARE)
"""The service centres and the social service belong to the public welfare centre; the others are non-profits."""

LANGUAGE_NAMES = {
    "nl": "Dutch", "fr": "French", "en": "English", "ar": "Arabic", "tr": "Turkish", "uk": "Ukrainian",
    "pl": "Polish", "bg": "Bulgarian", "sk": "Slovak", "ro": "Romanian",
}  # fmt: skip
EXTRA_LANGUAGES = ["fr", "en", "ar", "tr", "uk", "pl", "bg", "sk", "ro"]

ACCESSIBLE = [
    ("Toegankelijk met een rolstoel: gelijkvloerse ingang, aangepast toilet.", "Automatische deur aan de ingang."),
    ("Toegankelijk met een rolstoel; lift naar alle verdiepingen.", "Ringleiding aan het onthaal."),
    ("Drempel van 5 cm aan de ingang; een hellend vlak is er op vraag.", "Geen aangepast toilet."),
    ("Gelijkvloers; brede deuren.", "Parkeerplaats voor personen met een handicap voor de deur."),
]
TRANSPORT = [
    "Tram en bus stoppen op een paar minuten stappen. Fietsenstalling aan de ingang.",
    "Bushalte vlak voor de deur. Beperkte parking in de straat.",
    "Op wandelafstand van de tramhalte. Ingang aan de straatkant.",
]

# --- hours ----------------------------------------------------------------------------------------------

WEEKDAYS = "MO,TU,WE,TH,FR"
# name -> list of (byday, opens, closes)
HOURS: dict[str, list[tuple[str, time, time]]] = {
    "centre": [(WEEKDAYS, time(9), time(17))],
    "centre_long": [("MO,TU,WE,TH", time(8, 30), time(17)), ("FR", time(8, 30), time(13))],
    "meal": [(WEEKDAYS, time(11, 30), time(13, 30))],
    "office": [("MO,TU,TH,FR", time(9), time(12)), ("WE", time(13), time(16, 30))],
    "office_day": [(WEEKDAYS, time(9), time(12)), ("MO,TU,TH", time(13, 30), time(16))],
    "phone": [(WEEKDAYS, time(9), time(12)), (WEEKDAYS, time(13, 30), time(16))],
    "pedicure": [("TU,TH", time(9), time(12))],
    "evening": [("TU", time(19), time(21)), ("SA", time(10), time(12))],
    "daily": [("MO,TU,WE,TH,FR,SA,SU", time(7), time(21))],
    "week_and_saturday": [(WEEKDAYS, time(8), time(18)), ("SA", time(9), time(12))],
}


@dataclass(frozen=True)
class Kind:
    """A kind of service an organisation offers: what it is called, does, costs, and for whom.

    ``per_location``: the organisation offers one such service at each of its buildings ("Pedicure in
    Dienstencentrum De Linde (demo)"), each with ``share`` chance; else one service at 1–3 of them.
    """

    code: str
    name: str
    description: str
    terms: tuple[str, ...]
    hours: str
    per_location: bool = False
    share: float = 1.0
    appointment: bool = False
    costs: tuple[tuple[str, str | None, str], ...] = (("Gratis", "0", ""),)
    documents: tuple[str, ...] = ()
    eligibility: str = "Voor iedereen die in Gent woont."
    minimum_age: int | None = None
    income_limited: bool = False
    apply: str = "Kom langs tijdens de openingsuren of bel ons."
    wait: str = ""
    virtual: bool = False
    """Offered by phone or online (at the organisation's virtual location)."""


@dataclass(frozen=True)
class Offer:
    """An organisation's buildings (their names; ``{district}`` is the district it stands in) and what it
    offers there."""

    slug: str
    buildings: tuple[str, ...]
    kinds: tuple[Kind, ...]
    virtual: str = ""
    """The name of its phone line or website, when it has one."""


CENTRES_PUNT = ("De Linde", "De Kastanje", "Het Anker", "De Vlier", "De Meers", "Den Olm")
CENTRES_HORIZON = ("De Wilg", "Het Trefpunt", "De Populier", "Den Eik", "De Boomgaard", "De Lijsterbes")

CENTRE_KINDS = (
    Kind("activities", "Ontmoeting en activiteiten", "Koffie en een babbel, kaarten, turnen voor senioren, "
         "computerles en uitstappen. Iedereen is welkom, ook wie alleen komt.",
         ("activities", "loneliness"), "centre", per_location=True, minimum_age=55,
         eligibility="Voor buurtbewoners, vooral 55-plussers.",
         apply="Kom gewoon langs: u hoeft niet in te schrijven."),
    Kind("meals", "Warme maaltijd", "Elke middag soep, een hoofdgerecht en een dessert in het restaurant van het "
         "dienstencentrum, samen met andere buurtbewoners.", ("meals-centre",), "meal", per_location=True,
         costs=(("Maaltijd", "7.50", "Met een verhoogde tegemoetkoming betaalt u 5,00 euro."),),
         apply="Reserveer uw maaltijd de dag voordien voor 11 uur, aan het onthaal of via de telefoon."),
    Kind("pedicure", "Pedicure", "Een gediplomeerde pedicure verzorgt uw voeten in het dienstencentrum.",
         ("pedicure",), "pedicure", per_location=True, share=0.7, appointment=True,
         costs=(("Een verzorging", "20.00", "Met een verhoogde tegemoetkoming betaalt u 15,00 euro."),),
         apply="Maak een afspraak aan het onthaal of via de telefoon.", wait="Ongeveer twee weken"),
    Kind("help-at-home", "Hulp aan huis", "Vrijwilligers en medewerkers van het dienstencentrum helpen met kleine "
         "klussen, boodschappen en tuinonderhoud bij u thuis.", ("help-at-home", "volunteering"), "office",
         per_location=True, share=0.5, minimum_age=65,
         costs=(("Per uur", "8.00", "Volgens uw inkomen: vraag het ons."),),
         eligibility="Voor 65-plussers en personen met een handicap uit de buurt van het dienstencentrum.",
         apply="Bel het dienstencentrum: een medewerker komt bij u thuis bekijken wat nodig is.", wait="Een week"),
)  # fmt: skip

OFFERS: tuple[Offer, ...] = (
    Offer(DEMO_ORGANISATION, tuple(f"Dienstencentrum {name} (demo)" for name in CENTRES_PUNT), CENTRE_KINDS),
    Offer("ldc-de-horizon", tuple(f"Dienstencentrum {name} (demo)" for name in CENTRES_HORIZON), CENTRE_KINDS),
    Offer("sociale-dienst-demo", ("Sociaal Huis {district} (demo)",) * 6, (
        Kind("intake", "Sociale dienst: onthaal en spreekuur", "Een maatschappelijk werker luistert naar uw vraag "
             "over geld, wonen, gezondheid of papieren, en zoekt samen met u naar een oplossing.",
             ("social-service",), "office_day", per_location=True,
             documents=("Uw identiteitskaart",), apply="Kom langs tijdens het spreekuur, of bel voor een afspraak."),
        Kind("debt", "Schuldhulp en budgetbegeleiding", "Hulp als u uw rekeningen niet meer kunt betalen: een "
             "overzicht van uw schulden, afspraken met schuldeisers, en als het nodig is budgetbeheer.",
             ("debt-help",), "office", appointment=True, income_limited=True,
             eligibility="Voor wie in Gent woont en zijn schulden niet meer zelf kan regelen.",
             documents=("Uw identiteitskaart", "Uw laatste aanslagbiljet van de belastingen",
                        "Brieven van schuldeisers"),
             apply="Maak een afspraak bij de sociale dienst.", wait="Ongeveer drie weken"),
        Kind("rent", "Hulp bij huur en huurpremie", "Hulp bij een huurachterstand, een huurwaarborg, de Vlaamse "
             "huurpremie en de inschrijving voor een sociale woning.", ("rent-help",), "office",
             income_limited=True, documents=("Uw identiteitskaart", "Uw huurcontract", "Bewijs van uw inkomen"),
             apply="Kom langs tijdens het spreekuur van de sociale dienst."),
        Kind("income", "Leefloon en financiële steun", "Een leefloon of een aanvulling op een te laag inkomen, "
             "hulp bij energiefacturen en medische kosten.", ("social-service",), "office_day",
             income_limited=True, documents=("Uw identiteitskaart", "Uw rekeninguittreksels van de laatste drie "
                                             "maanden"),
             apply="Vraag het aan bij de sociale dienst; een maatschappelijk werker komt bij u thuis langs.",
             wait="U krijgt een beslissing binnen 30 dagen"),
    )),
    Offer("thuiszorg-gent-zuid", ("Thuiszorg Gent-Zuid: kantoor {district} (demo)",) * 3, (
        Kind("family", "Gezinszorg", "Een verzorgende helpt thuis met wassen, aankleden, koken en het huishouden, "
             "zodat u thuis kunt blijven wonen.", ("family-help", "home-care"), "office_day",
             costs=(("Per uur", None, "Volgens uw inkomen en gezinssituatie, tussen 1 en 15 euro per uur."),),
             apply="Bel ons: een maatschappelijk werker komt bij u thuis om de hulp te plannen.",
             wait="Twee tot vier weken"),
        Kind("cleaning", "Poetshulp", "Hulp bij het poetsen van uw woning, elke week of om de twee weken.",
             ("help-at-home", "home-care"), "office_day",
             costs=(("Per uur", None, "Met dienstencheques of volgens uw inkomen."),), minimum_age=65),
        Kind("night", "Oppas 's nachts", "Een oppas blijft 's nachts bij wie ziek is, zodat de mantelzorger kan "
             "slapen.", ("home-care", "carers"), "phone", appointment=True,
             costs=(("Per nacht", "25.00", "Een deel wordt terugbetaald door uw ziekenfonds."),)),
    ), virtual="Thuiszorg Gent-Zuid: telefoonlijn (demo)"),
    Offer("zorgzame-hand-demo", ("De Zorgzame Hand: post {district} (demo)",) * 3, (
        Kind("nursing", "Thuisverpleging", "Verpleegkundigen komen bij u thuis voor wondzorg, inspuitingen, "
             "medicatie, hulp bij wassen en steunkousen.", ("home-nursing",), "daily",
             costs=(("Met een voorschrift van uw arts", "0", "Uw ziekenfonds betaalt de verpleging terug."),),
             documents=("Het voorschrift van uw arts",), apply="Bel ons, elke dag van 7 tot 21 uur."),
        Kind("palliative", "Palliatieve zorg thuis", "Verpleging en steun voor wie ongeneeslijk ziek is en thuis wil "
             "blijven, en voor wie voor hen zorgt.", ("home-nursing", "carers"), "daily",
             apply="Bel ons, of vraag het aan uw huisarts."),
        Kind("diabetes", "Diabeteszorg aan huis", "Hulp bij het meten van uw suiker, insuline en de verzorging van "
             "uw voeten als u diabetes hebt.", ("home-nursing",), "daily",
             documents=("Het voorschrift van uw arts",)),
    ), virtual="De Zorgzame Hand: telefoonlijn (demo)"),
    Offer("mantelzorgpunt-gent", ("Mantelzorgpunt: huis {district} (demo)",) * 2, (
        Kind("info", "Infopunt mantelzorg", "Uitleg over premies, verlof en hulp voor wie zorgt voor een partner, "
             "ouder, kind of buur.", ("carers",), "office", apply="Bel of mail ons, of kom langs."),
        Kind("group", "Praatgroep voor mantelzorgers", "Eén keer per maand samen praten met andere mantelzorgers, "
             "met een begeleider.", ("carers", "loneliness"), "evening", appointment=True),
        Kind("respite", "Respijtzorg: even op adem komen", "Een vrijwilliger blijft een namiddag bij uw naaste, "
             "zodat u even tijd voor uzelf hebt.", ("carers", "volunteering"), "office",
             costs=(("Per uur", "3.00", ""),), wait="Een week"),
    )),
    Offer("vrijwilligerspunt-gent", ("Vrijwilligerspunt: onthaal (demo)",
                                     "Vrijwilligerspunt: antenne {district} (demo)"), (
        Kind("find", "Vrijwilligerswerk vinden", "Wij zoeken samen met u vrijwilligerswerk dat bij u past, ook als u "
             "nog maar pas in Gent woont.", ("volunteering",), "office"),
        Kind("visits", "Huisbezoeken tegen eenzaamheid", "Een vaste vrijwilliger komt bij u op bezoek voor een babbel, "
             "een wandeling of een spelletje.", ("loneliness", "volunteering"), "office", minimum_age=60,
             apply="Bel ons: we zoeken een vrijwilliger die bij u past.", wait="Twee tot zes weken"),
        Kind("shopping", "Boodschappenhulp door vrijwilligers", "Een vrijwilliger doet uw boodschappen of gaat met "
             "u mee naar de winkel.", ("volunteering", "help-at-home"), "office"),
    )),
    Offer("samenlevingsopbouw-gent", ("Buurtwerk {district} (demo)",) * 4, (
        Kind("meeting", "Buurtontmoeting", "Een open huis in de buurt: koffie, een krant, en mensen die luisteren.",
             ("loneliness", "activities"), "office", per_location=True),
        Kind("tenants", "Spreekuur voor huurders", "Hulp bij problemen met uw huisbaas, vocht, huurprijs of een "
             "opzeg.", ("rent-help",), "evening", documents=("Uw huurcontract",)),
        Kind("energy", "Energiescan en kleine aanpassingen", "Een energiesnoeier komt gratis langs, geeft tips en "
             "plaatst spaarlampen, tochtstrips en een spaardouchekop.", ("home-adaptation",), "office",
             income_limited=True),
    )),
    Offer("warme-pot-demo", ("De Warme Pot: keuken {district} (demo)",) * 2, (
        Kind("hot", "Warme maaltijden aan huis", "Elke werkdag tussen 11 en 13 uur een warme maaltijd aan uw deur.",
             ("meals-at-home",), "phone",
             costs=(("Maaltijd", "9.00", "Met een verhoogde tegemoetkoming betaalt u 6,50 euro."),),
             apply="Bel ons ten laatste twee werkdagen voor de eerste maaltijd."),
        Kind("chilled", "Gekoelde maaltijden voor de week", "Eén keer per week een pakket met vijf gekoelde "
             "maaltijden om zelf op te warmen.", ("meals-at-home",), "phone",
             costs=(("Vijf maaltijden", "40.00", ""),)),
        Kind("diet", "Dieetmaaltijden aan huis", "Zoutarme, suikerarme of gemalen maaltijden, op voorschrift van "
             "uw arts of diëtist.", ("meals-at-home",), "phone", documents=("Het voorschrift van uw arts",),
             costs=(("Maaltijd", "9.50", ""),)),
    )),
    Offer("minder-mobielen-demo", ("Minder Mobielen Centrale: onthaal (demo)",), (
        Kind("lifts", "Ritten met vrijwillige chauffeurs", "Een vrijwilliger brengt u met zijn eigen auto naar de "
             "dokter, de markt of familie, en weer naar huis.", ("lifts", "volunteering"), "phone",
             costs=(("Lidgeld per jaar", "12.00", ""), ("Per kilometer", "0.40", "")), income_limited=True,
             apply="Word lid en vraag uw rit ten laatste twee werkdagen vooraf aan."),
        Kind("wheelchair-bus", "Rolstoelbus", "Aangepast vervoer voor wie in een rolstoel zit, binnen Gent.",
             ("adapted-transport",), "phone", costs=(("Per rit", "4.00", ""),), appointment=True),
        Kind("hospital", "Begeleid vervoer naar het ziekenhuis", "Een begeleider haalt u thuis op, gaat mee naar "
             "binnen en brengt u terug.", ("adapted-transport", "volunteering"), "phone",
             costs=(("Per rit", "6.00", ""),)),
    ), virtual="Minder Mobielen Centrale: telefoonlijn (demo)"),
    Offer("luisterpunt-demo", ("Luisterpunt {district} (demo)",) * 4, (
        Kind("contact", "Aanspreekpunt psychisch welzijn", "Een gesprek met een psycholoog als u zich somber, "
             "angstig of eenzaam voelt. Samen zoeken we wat u helpt.", ("mental-health",), "office",
             per_location=True, appointment=True, apply="Bel of mail voor een eerste gesprek; u hebt geen "
             "verwijzing nodig.", wait="Binnen twee weken"),
        Kind("listen", "Luisterlijn (demo)", "Iemand om mee te praten, anoniem, via de telefoon of de chat.",
             ("mental-health", "loneliness"), "daily", virtual=True),
        Kind("grief", "Praatgroep rond rouw", "Samen praten over het verlies van een partner, kind of vriend.",
             ("mental-health", "loneliness"), "evening"),
    ), virtual="Luisterpunt: telefoon en chat (demo)"),
    Offer("woonloket-demo", ("Woonloket Aangepast Wonen: onthaal (demo)", "Woonloket: toonwoning (demo)"), (
        Kind("advice", "Advies over aanpassingen in huis", "Een ergotherapeut bekijkt met u hoe u veilig thuis kunt "
             "blijven: beugels, een traplift, een douche zonder drempel.", ("home-adaptation",), "office",
             appointment=True, minimum_age=60),
        Kind("grant", "Premie voor een aangepaste woning", "Hulp bij de aanvraag van de premies van de stad en van "
             "Vlaanderen voor aanpassingen in huis.", ("home-adaptation", "rent-help"), "office",
             income_limited=True, documents=("Offertes van de werken", "Uw laatste aanslagbiljet")),
    )),
    Offer("tolkendienst-demo", ("Tolkendienst Babel: kantoor (demo)",), (
        Kind("on-site", "Sociaal tolken ter plaatse", "Een tolk komt mee naar uw gesprek met een zorg- of "
             "welzijnsdienst.", ("interpreting",), "office", appointment=True,
             apply="De dienst die u helpt, vraagt de tolk voor u aan."),
        Kind("remote", "Tolken via telefoon of video", "Een tolk via de telefoon of een videogesprek, meestal "
             "dezelfde dag.", ("interpreting",), "phone", virtual=True),
    ), virtual="Tolkendienst Babel: telefoon en video (demo)"),
)  # fmt: skip


# --- helpers ---------------------------------------------------------------------------------------------


@dataclass
class Demo:
    """What the steps of the demo share: the generator, today, the reviewer and the ids handed out."""

    generator: random.Random
    now: datetime
    reviewer: Person | None
    terms: dict[str, TaxonomyTerm] = field(default_factory=dict)
    phones: int = 0
    old: list[Service] = field(default_factory=list)

    def phone(self) -> str:
        """The next number of the fictitious range +32 9 000 2x xx (valid, so the pages format it)."""
        self.phones += 1
        return normalise_phone(f"+32 9 000 {20 + self.phones // 100:02d} {self.phones % 100:02d}")

    def checked(self, force_old: bool = False) -> datetime:
        """When a record was last checked: recently, or (about ``OLD_SHARE`` of them) too long ago."""
        if force_old or self.generator.random() < OLD_SHARE:
            days = settings.DIRECTORY_CHECK_AFTER_DAYS + self.generator.randint(20, 200)
        else:
            days = self.generator.randint(3, settings.DIRECTORY_CHECK_AFTER_DAYS - 30)
        return self.now - timedelta(days=days, hours=self.generator.randint(0, 8))

    def published(self, checked: datetime) -> dict[str, Any]:
        return {"published_at": checked, "published_by": self.reviewer, "checked_at": checked}


def christmas_closure(today: date) -> tuple[date, date]:
    """The coming Christmas holidays (24 December to 1 January), or the ones under way."""
    year = today.year - 1 if today.month == 1 and today.day <= 1 else today.year
    return date(year, 12, 24), date(year + 1, 1, 1)


def _taxonomy(demo: Demo) -> None:
    taxonomy, _ = Taxonomy.objects.update_or_create(
        id=demo_id("taxonomy"),
        defaults={
            "name": TAXONOMY_NAME,
            "description": "De soorten hulp die de stad gebruikt in de sociale kaart (fictief, voor de demo).",
            "version": "demo",
        },
    )
    for order, (code, parent, nl, en, fr) in enumerate(TERMS):
        demo.terms[code], _ = TaxonomyTerm.objects.update_or_create(
            id=demo_id(f"term:{code}"),
            defaults={
                "taxonomy": taxonomy, "code": code, "name_nl": nl, "name_en": en, "name_fr": fr,
                "parent": demo.terms[parent] if parent else None, "order": order, "language": "nl",
            },
        )  # fmt: skip


def _organisations(demo: Demo) -> dict[str, OrganisationRecord]:
    """The demo organisations plus the directory's own, each with its directory profile."""
    for slug, name, description, phone in EXTRA_ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name, "description": description, "email": f"info@{slug}.example",
                "website": f"https://{slug}.example", "phone": normalise_phone(phone), "active": True,
            },
        )  # fmt: skip
    records = {}
    for offer in OFFERS:
        organisation = Organisation.objects.get(slug=offer.slug)
        checked = demo.checked()
        record, _ = OrganisationRecord.objects.get_or_create(
            organisation=organisation,
            defaults={"id": demo_id(f"organisation:{offer.slug}"), "legal_status": LEGAL_STATUS.get(offer.slug, "vzw")},
        )
        OrganisationRecord.objects.filter(pk=record.pk).update(**demo.published(checked))
        if organisation.phone and not record.phones.exists():
            Phone.objects.create(id=demo_id(f"organisation-phone:{offer.slug}"), organisation=record,
                                 number=organisation.phone, type="voice", description="Onthaal")  # fmt: skip
        records[offer.slug] = record
    return records


def _districts(demo: Demo) -> list[list[District]]:
    """The district of each building of each offer: every district once first (in a drawn order), then by
    population, never twice for one organisation (its buildings are named after their district)."""
    districts = list(District.objects.order_by("number"))
    first = demo.generator.sample(districts, len(districts))
    weights = [d.population or 1 for d in districts]
    allocated = []
    for offer in OFFERS:
        mine: list[District] = []
        for _building in offer.buildings:
            free = [d for d in first if d not in mine]
            if free:
                chosen = free[0]
                first.remove(chosen)
            else:
                while (chosen := demo.generator.choices(districts, weights=weights)[0]) in mine:
                    pass
            mine.append(chosen)
        allocated.append(mine)
    return allocated


def _location(demo: Demo, key: str, organisation: Organisation, name: str, district: District | None) -> Location:
    """A building at a real address of its district (or, without a district, a phone line or website)."""
    checked = demo.checked()
    if district is None:
        location = Location.objects.create(
            id=demo_id(key), organisation=organisation, location_type=Location.Kind.VIRTUAL, name=name,
            url=f"https://{organisation.slug}.example/contact", description="Bereikbaar via de telefoon of online.",
            **demo.published(checked),
        )  # fmt: skip
        Phone.objects.create(id=demo_id(f"{key}:phone"), location=location, number=demo.phone(), type="voice")
        return location
    point: AddressPoint = random_address(demo.generator, district.number)
    location = Location.objects.create(
        id=demo_id(key), organisation=organisation, location_type=Location.Kind.PHYSICAL,
        name=name.format(district=district.name),
        description=f"Fictieve locatie voor de demo, in {district.name}.",
        transportation=demo.generator.choice(TRANSPORT), latitude=point.lat, longitude=point.lon,
        district=district, **demo.published(checked),
    )  # fmt: skip
    Address.objects.create(
        id=demo_id(f"{key}:address"), location=location, address_1=f"{point.street} {point.house_number}",
        city="Gent", state_province="Oost-Vlaanderen", postal_code=point.postcode, country="BE",
        address_type=Location.Kind.PHYSICAL,
    )  # fmt: skip
    description, details = demo.generator.choice(ACCESSIBLE)
    Accessibility.objects.create(id=demo_id(f"{key}:accessibility"), location=location, description=description,
                                 details=details)  # fmt: skip
    Phone.objects.create(id=demo_id(f"{key}:phone"), location=location, number=demo.phone(), type="voice",
                         description="Onthaal")  # fmt: skip
    return location


def _hours(key: str, sal: ServiceAtLocation, pattern: str) -> None:
    Schedule.objects.bulk_create(
        Schedule(
            id=demo_id(f"{key}:hours:{index}"),
            service_at_location=sal,
            kind=Schedule.Kind.HOURS,
            freq="WEEKLY",
            wkst="MO",
            byday=byday,
            opens_at=opens,
            closes_at=closes,
        )
        for index, (byday, opens, closes) in enumerate(HOURS[pattern])
    )


def _languages(demo: Demo, key: str, service: Service) -> None:
    codes = ["nl", *sorted(demo.generator.sample(EXTRA_LANGUAGES, demo.generator.choice([0, 1, 1, 2, 3])))]
    Language.objects.bulk_create(
        Language(id=demo_id(f"{key}:language:{code}"), service=service, code=code, name=LANGUAGE_NAMES[code])
        for code in codes
    )


def _service(
    demo: Demo, key: str, organisation: Organisation, kind: Kind, name: str, locations: list[Location], today: date
) -> Service:
    """One published service with everything a resident asks about it, offered at ``locations``."""
    checked = demo.checked()
    costs = "; ".join(_fee(what, amount) for what, amount, _note in kind.costs)
    service = Service.objects.create(
        id=demo_id(key), organisation=organisation, name=name, description=kind.description,
        url=f"https://{organisation.slug}.example/{kind.code}", email=f"{kind.code}@{organisation.slug}.example",
        application_process=kind.apply, fees_description=costs, wait_time=kind.wait,
        eligibility_description=kind.eligibility, minimum_age=kind.minimum_age, income_limited=kind.income_limited,
        interpretation_services="Een tolk is mogelijk via Tolkendienst Babel (demo); vraag het bij uw afspraak.",
        assured_date=timezone.localdate(checked), assurer_email=ASSURER, last_modified=checked,
        **demo.published(checked),
    )  # fmt: skip
    Attribute.objects.bulk_create(
        Attribute(
            id=demo_id(f"{key}:attribute:{code}"),
            taxonomy_term=demo.terms[code],
            service=service,
            link_type="service_type",
        )
        for code in kind.terms
    )
    contact = Contact.objects.create(id=demo_id(f"{key}:contact"), service=service, department="Onthaal",
                                     email=service.email)  # fmt: skip
    Phone.objects.create(id=demo_id(f"{key}:phone"), service=service, contact=contact, number=demo.phone(),
                         type="voice", description="Onthaal en afspraken")  # fmt: skip
    _languages(demo, key, service)
    for index, (what, amount, note) in enumerate(kind.costs):
        CostOption.objects.create(
            id=demo_id(f"{key}:cost:{index}"), service=service, option=what, currency="EUR",
            amount=Decimal(amount) if amount is not None else None, amount_description=note,
        )  # fmt: skip
    for index, document in enumerate(kind.documents):
        RequiredDocument.objects.create(id=demo_id(f"{key}:document:{index}"), service=service, document=document)
    _areas(demo, key, service, kind, locations)
    for location in locations:
        sal = ServiceAtLocation.objects.create(id=demo_id(f"{key}@{location.id}"), service=service, location=location)
        _hours(f"{key}@{location.id}", sal, kind.hours)
    start, end = christmas_closure(today)
    Schedule.objects.create(
        id=demo_id(f"{key}:christmas"), service=service, kind=Schedule.Kind.CLOSED, valid_from=start, valid_to=end,
        description="Gesloten tijdens de kerstvakantie.",
    )  # fmt: skip
    if kind.appointment:
        Schedule.objects.create(
            id=demo_id(f"{key}:appointment"), service=service, kind=Schedule.Kind.APPOINTMENT,
            attending_type="by appointment", description="Alleen op afspraak.",
        )  # fmt: skip
    if checked < demo.now - timedelta(days=settings.DIRECTORY_CHECK_AFTER_DAYS):
        demo.old.append(service)
    return service


def _fee(what: str, amount: str | None) -> str:
    """ "Maaltijd: 7,50 euro", as the service would write it."""
    if amount is None:
        return f"{what}: volgens uw inkomen"
    if Decimal(amount) == 0:
        return what if what == "Gratis" else f"{what}: gratis"
    return f"{what}: {amount.replace('.', ',')} euro"


def _areas(demo: Demo, key: str, service: Service, kind: Kind, locations: list[Location]) -> None:
    """A service of one building is for its district and sometimes a neighbouring one; others for the city."""
    districts = [location.district for location in locations if location.district is not None]
    if kind.per_location and districts:
        chosen = {d.pk: d for d in districts}
        if demo.generator.random() < 0.4:
            extra = District.objects.exclude(pk__in=chosen).order_by("number")
            other = demo.generator.choice(list(extra))
            chosen[other.pk] = other
        for district in sorted(chosen.values(), key=lambda d: d.number):
            ServiceArea.objects.create(id=demo_id(f"{key}:area:{district.number}"), service=service,
                                       name=district.name, district=district)  # fmt: skip
    else:
        ServiceArea.objects.create(id=demo_id(f"{key}:area:city"), service=service, name=CITY_WIDE,
                                   description="Voor wie in Gent woont.")  # fmt: skip


def search_text(service: Service) -> None:
    """Fill ``Service.search_text`` as the directory does (``hsds.refresh_search_text``, when it is there)."""
    try:
        from .hsds import refresh_search_text
    except ImportError:
        from domain.directory.text import normalise

        terms = TaxonomyTerm.objects.filter(attributes__service=service)
        names = " ".join(f"{t.name_nl} {t.name_en} {t.name_fr}" for t in terms)
        parts = [service.name, service.alternate_name, service.description, service.organisation.name, names]
        service.search_text = normalise(" ".join(parts))
        service.save(update_fields=["search_text"])
    else:
        refresh_search_text(service)


def _directory(demo: Demo) -> list[Service]:
    today = timezone.localdate(demo.now)
    services = []
    for offer, districts in zip(OFFERS, _districts(demo), strict=True):
        organisation = Organisation.objects.get(slug=offer.slug)
        places = [
            _location(demo, f"location:{offer.slug}:{index}", organisation, name, district)
            for index, (name, district) in enumerate(zip(offer.buildings, districts, strict=True))
        ]
        virtual = (
            _location(demo, f"location:{offer.slug}:virtual", organisation, offer.virtual, None)
            if offer.virtual
            else None
        )
        for kind in offer.kinds:
            if kind.per_location:
                for index, place in enumerate(places):
                    if kind.share < 1 and demo.generator.random() >= kind.share:
                        continue
                    name = f"{kind.name} – {place.name}"
                    key = f"service:{offer.slug}:{kind.code}:{index}"
                    services.append(_service(demo, key, organisation, kind, name, [place], today))
                continue
            if kind.virtual and virtual is not None:
                at = [virtual]
            else:
                at = demo.generator.sample(places, min(len(places), demo.generator.randint(1, 3)))
                at.sort(key=places.index)
            name = kind.name if "(demo)" in kind.name else f"{kind.name} (demo)"
            services.append(_service(demo, f"service:{offer.slug}:{kind.code}", organisation, kind, name, at, today))
    for service in services:
        search_text(service)
    return services


# --- changes waiting for review --------------------------------------------------------------------------


def _document(kind: str, record: Any) -> dict[str, Any]:
    """The record as an HSDS document (``hsds``'s, when it is there; else the fields a change needs)."""
    try:
        from . import hsds
    except ImportError:
        hsds = None
    if kind == Revision.Kind.SERVICE:
        if hsds is not None:
            return dict(hsds.service_document(record))
        return {
            "id": str(record.id), "organization_id": str(record.organisation.directory_record.id),
            "name": record.name, "description": record.description, "status": record.status,
            "application_process": record.application_process, "fees_description": record.fees_description,
            "eligibility_description": record.eligibility_description, "income_limited": record.income_limited,
        }  # fmt: skip
    if hsds is not None:
        return dict(hsds.location_document(record))
    return {"id": str(record.id), "location_type": record.location_type, "name": record.name,
            "description": record.description}  # fmt: skip


def _revisions(demo: Demo, services: list[Service], staff: Person | None) -> int:
    """Work for both sides: the demo organisation's change under review and its draft, another's returned."""
    own = [s for s in services if s.organisation.slug == DEMO_ORGANISATION]
    other = [s for s in services if s.organisation.slug == "thuiszorg-gent-zuid"]
    pedicure = _service_of(DEMO_ORGANISATION, "Pedicure") or own[0]
    document = _document(Revision.Kind.SERVICE, pedicure)
    document["description"] = pedicure.description + " Nieuw: ook op woensdagvoormiddag, en aan huis voor wie "
    document["description"] += "niet meer tot in het dienstencentrum raakt."
    submitted = demo.now - timedelta(days=2)
    Revision.objects.create(
        kind=Revision.Kind.SERVICE, target=pedicure.id, organisation=pedicure.organisation, document=document,
        status=Revision.Status.UNDER_REVIEW, created_by=staff, created_at=submitted - timedelta(hours=1),
        submitted_by=staff, submitted_at=submitted,
    )  # fmt: skip
    meals = _service_of(DEMO_ORGANISATION, "Warme maaltijd") or own[-1]
    document = _document(Revision.Kind.SERVICE, meals)
    document["fees_description"] = "Maaltijd: 8,00 euro (vanaf 1 januari)"
    Revision.objects.create(
        kind=Revision.Kind.SERVICE, target=meals.id, organisation=meals.organisation, document=document,
        status=Revision.Status.DRAFT, created_by=staff, created_at=demo.now - timedelta(hours=3),
    )  # fmt: skip
    returned = other[0]
    document = _document(Revision.Kind.SERVICE, returned)
    document["application_process"] = "Bel 0470 00 00 00."
    asked = demo.now - timedelta(days=6)
    Revision.objects.create(
        kind=Revision.Kind.SERVICE, target=returned.id, organisation=returned.organisation, document=document,
        status=Revision.Status.RETURNED, created_at=asked - timedelta(hours=2), submitted_at=asked,
        reviewed_by=demo.reviewer, reviewed_at=asked + timedelta(days=1),
        review_note="Dit is een gsm-nummer van een medewerker. Vul het nummer van het onthaal in, dat iedereen mag "
                    "bellen.",
    )  # fmt: skip
    location = Location.objects.filter(organisation__slug="mantelzorgpunt-gent").order_by("name").first()
    if location is not None:
        document = _document(Revision.Kind.LOCATION, location)
        document["transportation"] = "Nieuwe ingang langs de achterkant, met een hellend vlak."
        Revision.objects.create(
            kind=Revision.Kind.LOCATION, target=location.id, organisation=location.organisation, document=document,
            status=Revision.Status.UNDER_REVIEW, created_at=demo.now - timedelta(days=1),
            submitted_at=demo.now - timedelta(days=1),
        )  # fmt: skip
    return Revision.objects.count()


# --- referrals -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """One demo referral: to which organisation's service, what is needed, and where it stands."""

    organisation: str
    service_starts: str
    need: str
    status: str
    sent_days_ago: int
    """Working days ago."""
    reason: str = ""
    steps: tuple[str, ...] = ()
    """The statuses after "sent", in order (the last is ``status``)."""


S = Referral.Status
STORIES = (
    Story(DEMO_ORGANISATION, "Hulp aan huis", "Kan de trap niet meer af met boodschappen; zoekt iemand die helpt "
          "met boodschappen en het gras.", S.ACCEPTED, 9, steps=(S.RECEIVED, S.ACCEPTED)),
    Story(DEMO_ORGANISATION, "Warme maaltijd", "Eet slecht sinds het overlijden van de partner; een warme maaltijd "
          "samen met anderen zou deugd doen.", S.SENT, 1),
    Story(DEMO_ORGANISATION, "Ontmoeting", "Woont alleen, komt weinig buiten, wil graag mensen leren kennen.",
          S.SENT, 12),
    Story(DEMO_ORGANISATION, "Ontmoeting", "Zoekt een computerles om met de kleinkinderen te kunnen videobellen.",
          S.RECEIVED, 3, steps=(S.RECEIVED,)),
    Story(DEMO_ORGANISATION, "Pedicure", "Heeft diabetes en kan de voeten niet meer zelf verzorgen.", S.DECLINED,
          8, reason="Onze pedicure heeft tot februari geen plaats meer. Een ander dienstencentrum in de buurt heeft "
          "misschien wel plaats.", steps=(S.RECEIVED, S.DECLINED)),
    Story("zorgzame-hand-demo", "Thuisverpleging", "Wondzorg aan het been na een val, elke twee dagen.", S.COMPLETED,
          20, steps=(S.RECEIVED, S.ACCEPTED, S.COMPLETED)),
    Story("warme-pot-demo", "Warme maaltijden", "Kan na een heupoperatie zes weken niet koken.", S.NO_ANSWER, 15,
          steps=(S.NO_ANSWER,)),
    Story("sociale-dienst-demo", "Schuldhulp", "Achterstallige energiefacturen en een brief van een deurwaarder.",
          S.ACCEPTED, 6, steps=(S.ACCEPTED,)),
    Story("mantelzorgpunt-gent", "Respijtzorg", "Zorgt alleen voor de partner met dementie en raakt uitgeput.",
          S.SENT, 2),
)  # fmt: skip
SHARED = ("name", "phone", "address", "languages", "need")
EVENT_NOTES = {
    S.RECEIVED: "",
    S.ACCEPTED: "Een medewerker belt deze week voor een eerste afspraak.",
    S.COMPLETED: "De wonde is genezen; de verpleging is gestopt.",
    S.NO_ANSWER: "Twee keer gebeld en gemaild, geen antwoord. Ik zoek een andere dienst.",
}


def _account(role: Role) -> Person | None:
    account = next(a for a in DEMO_ACCOUNTS if a.role == role)
    return Person.objects.filter(user__username=account.email).first()


def _shared(person: Person, need: str) -> dict[str, Any]:
    """What the coordinator passed on: as the referral page would have sent it (``referrals.shareable_values``)."""
    try:
        from .referrals import shareable_values
    except ImportError:
        values: dict[str, Any] = {
            "name": f"{person.first_name} {person.last_name}", "phone": person.phone,
            "address": f"{person.street} {person.house_number}, {person.postcode} Gent",
            "languages": list(person.languages or []), "need": need,
        }  # fmt: skip
    else:
        values = shareable_values(person, need)
    return {key: values[key] for key in SHARED if key in values}


def _consent(person: Person, coordinator: Person, at: datetime) -> Consent:
    active = person.consents.filter(purpose=Purpose.SHARE_WITH_SERVICE, withdrawn_at__isnull=True).first()
    if active is not None:
        return active
    return Consent.objects.create(
        person=person, purpose=Purpose.SHARE_WITH_SERVICE, method=Consent.Method.PHONE,
        text_version=current_version(Purpose.SHARE_WITH_SERVICE), given_at=at, recorded_by=coordinator,
    )  # fmt: skip


def referred_people(coordinator: Person) -> list[Person]:
    """Residents the demo coordinator coordinates (his district), the demo resident Rosa first."""
    district_id = coordinator.roles.get(role=Role.COORDINATOR).district_id
    rosa = _account(Role.RESIDENT)
    others = Person.objects.filter(district_id=district_id, demo_key__startswith="resident:").order_by("pk")
    return ([rosa] if rosa is not None else []) + list(others)


def _service_of(slug: str, starts: str) -> Service | None:
    """The organisation's first service whose name starts so, else its first service (a kind offered at only
    some buildings may be missing with another seed)."""
    services = Service.objects.filter(organisation__slug=slug).order_by("name")
    return services.filter(name__startswith=starts).first() or services.first()


def _destination(slug: str, starts: str, person: Person, turn: int) -> tuple[Service, ServiceAtLocation] | None:
    """Where a story's person is referred: the organisation's service of that kind nearest home (in the person's
    district when there is one there), else one in turn, so the demo's referrals go to several buildings."""
    services = Service.objects.filter(organisation__slug=slug).order_by("name")
    chosen = list(services.filter(name__startswith=starts)) or list(services)
    if not chosen:
        return None
    places = ServiceAtLocation.objects.filter(service__in=chosen).select_related("service", "location")
    near = [sal for sal in places.order_by("service__name") if sal.location.district_id == person.district_id]
    if near:
        return near[0].service, near[0]
    service = chosen[turn % len(chosen)]
    return service, service.service_at_locations.order_by("id").first()  # type: ignore[return-value]


def _at_work(day: date, generator: random.Random) -> datetime:
    """A moment in office hours of ``day``."""
    moment = datetime.combine(day, time(9, generator.choice([0, 15, 30, 45])))
    return timezone.make_aware(moment) + timedelta(hours=generator.randint(0, 6))


def _referrals(demo: Demo, coordinator: Person | None, staff: Person | None) -> int:
    if coordinator is None:
        return 0
    people = referred_people(coordinator)
    today = timezone.localdate(demo.now)
    working_days = int(settings.REFERRAL_ANSWER_WORKING_DAYS)
    made = 0
    for turn, (story, person) in enumerate(zip(STORIES, people, strict=False)):
        found = _destination(story.organisation, story.service_starts, person, turn)
        if found is None:
            continue
        service, place = found
        sent_on = add_working_days(today, -story.sent_days_ago)
        sent = min(_at_work(sent_on, demo.generator), demo.now - timedelta(hours=1))
        due = add_working_days(sent_on, working_days)
        answering = staff if story.organisation == DEMO_ORGANISATION else None
        referral = Referral.objects.create(
            person=person, service=service, service_at_location=place, organisation=service.organisation,
            district_id=person.district_id, origin=Referral.Origin.COORDINATOR,
            consent=_consent(person, coordinator, sent - timedelta(minutes=10)), need=story.need,
            shared=_shared(person, story.need), status=story.status, status_reason=story.reason, answer_due=due,
            created_by=coordinator, created_at=sent, updated_at=sent,
        )  # fmt: skip
        ReferralEvent.objects.create(referral=referral, status=S.SENT, at=sent, by=coordinator)
        at, day = sent, sent_on
        for step in story.steps:
            day = add_working_days(due if step == S.NO_ANSWER else day, 1)
            at = max(at + timedelta(minutes=5), min(_at_work(day, demo.generator), demo.now - timedelta(minutes=30)))
            by = coordinator if step == S.NO_ANSWER else answering
            note = story.reason if step == S.DECLINED else EVENT_NOTES.get(step, "")
            ReferralEvent.objects.create(referral=referral, status=step, at=at, by=by, note=note)
        Referral.objects.filter(pk=referral.pk).update(
            updated_at=at, seen_by_coordinator_at=at if story.status == S.NO_ANSWER else None
        )
        made += 1
    return made


# --- the whole ------------------------------------------------------------------------------------------


def load(rng: random.Random) -> int:
    """Types of help, organisations' profiles, services at locations, changes to review and referrals.

    Returns the number of services made (0 when the directory already holds services).
    """
    if Service.objects.exists():
        return 0
    generator = random.Random()  # noqa: S311 - demo data, not security
    generator.setstate(rng.getstate())  # a copy: later demos draw the same numbers with or without this one
    demo = Demo(generator=generator, now=timezone.now(), reviewer=_account(Role.CITY_STAFF))
    _taxonomy(demo)
    _organisations(demo)
    services = _directory(demo)
    staff = _account(Role.ORGANISATION_STAFF)
    _make_some_old(demo, services)
    _revisions(demo, services, staff)
    _referrals(demo, _account(Role.COORDINATOR), staff)
    return len(services)


def _make_some_old(demo: Demo, services: list[Service]) -> None:
    """At least two of the demo organisation's services were last checked too long ago ("to check")."""
    own = [s for s in services if s.organisation.slug == DEMO_ORGANISATION]
    old = [s for s in own if s in demo.old]
    for service in [s for s in own if s not in old][: max(0, 2 - len(old))]:
        checked = demo.checked(force_old=True)
        Service.objects.filter(pk=service.pk).update(
            checked_at=checked, published_at=checked, assured_date=timezone.localdate(checked), last_modified=checked
        )
