"""Rows of the access table (merged into access_table.py): registrations for events, "My registrations" and the
personal calendar feed, the events of places and of the city, the printable weekly programme.

Registering and cancelling are buttons (POST only).  "My registrations" is for a resident's account.  The
personal feed is public because calendar programs cannot sign in: its secret address is the key
(``@feed_token``, the demo resident's).  Publishing an event of the city is for the district's reviewers (the
demo coordinator and city staff).  The programme is public.
"""

from __future__ import annotations

from typing import Any

from apps.community.models import Event, PersonalFeed, Registration
from apps.people.models import Person
from apps.places.models import District
from tests.apps.access.access_rows import Rows, everyone, only

RESIDENT_ACCOUNTS = {"resident", "helper", "initiative_starter", "centre_committee"}
REVIEWERS = {"coordinator", "city_staff"}

ROWS: Rows = {
    "community:register": ({"pk": "@event"}, everyone(405)),
    "community:registration_cancel": ({"pk": "@registration"}, everyone(405)),
    "community:my_registrations": ({}, only(RESIDENT_ACCOUNTS)),
    "community:feed_renew": ({}, everyone(405)),
    "community:feed_personal": ({"token": "@feed_token"}, everyone(200)),
    "community:event_new_city": ({}, only(REVIEWERS)),
    "community:programme_district": ({"number": "@district_number"}, everyone(200)),
    "community:programme_place": ({"slug": "@event_place_slug"}, everyone(200)),
}  # fmt: skip


def samples(event: Event, district: District, resident: Person) -> dict[str, Any]:
    feed = PersonalFeed.objects.create(person=resident, token="access-table-" + "x" * 40)
    registration = Registration.objects.create(event=event, occurs_on=event.starts_on, person=resident)
    return {"@feed_token": feed.token, "@registration": registration.pk, "@district_number": district.number,
            "@event_place_slug": event.place.slug if event.place else "none"}  # fmt: skip
