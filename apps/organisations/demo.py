"""Demo organisations: care and welfare services and associations as Ghent knows them.

The kinds are real (service centres of the OCMW, community development, home
care, support for informal carers, the volunteer point); the names of the
service centres and of the home-care service are invented, and so is every
contact detail (``.example`` addresses and websites, made-up phone numbers).
"""

from __future__ import annotations

import random

from apps.people.phones import normalise_phone

from .models import Organisation

# slug, name, description, phone
ORGANISATIONS = [
    (
        "ldc-het-punt",
        "Lokaal dienstencentrum Het Punt",
        "Dienstencentrum van het OCMW Gent: ontmoeting, een warme maaltijd, activiteiten en hulp bij kleine "
        "klussen voor wie in de buurt woont.",
        "+32 9 000 10 01",
    ),
    (
        "ldc-de-horizon",
        "Lokaal dienstencentrum De Horizon",
        "Dienstencentrum van het OCMW Gent: praatcafé, computerles, pedicure en een sociaal werker die "
        "langskomt als je niet meer goed buiten kunt.",
        "+32 9 000 10 02",
    ),
    (
        "samenlevingsopbouw-gent",
        "Samenlevingsopbouw Gent",
        "Werkt met bewoners van kwetsbare buurten aan betere woon- en leefomstandigheden, samen met de stad "
        "en andere organisaties.",
        "+32 9 000 10 03",
    ),
    (
        "thuiszorg-gent-zuid",
        "Thuiszorg Gent-Zuid",
        "Gezinszorg, poetshulp en thuisverpleging, zodat mensen langer thuis kunnen blijven wonen.",
        "+32 9 000 10 04",
    ),
    (
        "mantelzorgpunt-gent",
        "Mantelzorgpunt Gent",
        "Informatie, een luisterend oor en respijtzorg voor mantelzorgers, en contact met andere mantelzorgers.",
        "+32 9 000 10 05",
    ),
    (
        "vrijwilligerspunt-gent",
        "Vrijwilligerspunt Gent",
        "Brengt vrijwilligers en organisaties samen, ook nieuwkomers en studenten.",
        "+32 9 000 10 06",
    ),
]
# the organisation of the demo coordinator and organisation staff
DEMO_ORGANISATION = "ldc-het-punt"


def load(generator: random.Random) -> int:
    """Create or update the demo organisations by slug; ``generator`` is unused, so other demo data stays the same."""
    for slug, name, description, phone in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "email": f"info@{slug}.example",
                "website": f"https://{slug}.example",
                "phone": normalise_phone(phone),
                "active": True,
            },
        )
    return len(ORGANISATIONS)
