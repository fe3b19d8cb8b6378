"""``cityofpeople demo``: load the demo Ghent, safe to run again.

Each capability owns its demo data in ``apps/<capability>/demo.py`` with a
``load(random)`` function; this command runs them in dependency order with
one seeded random generator, so every machine gets the same demo city.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.care import demo as care_demo
from apps.care.services import eligibility_refresh
from apps.organisations import demo as organisations_demo
from apps.people import demo as people_demo
from apps.places import demo as places_demo
from apps.places.models import District

DEMO_SEED = 9000  # Ghent's postcode: the demo city is the same on every machine


class Command(BaseCommand):
    help = "Load the demo Ghent: districts, places with rooms, organisations, and fictitious people for every role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when districts are already loaded.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_ALLOWED", False):
            raise CommandError("The demo data has public passwords; it is refused unless COP_ALLOW_DEMO=true.")
        if options["if_empty"] and District.objects.exists():
            self.stdout.write("Demo data is already there; nothing to load.")
            call_command("demo_logins", stdout=self.stdout)
            return
        call_command("load_districts", stdout=self.stdout, stderr=self.stderr)
        generator = random.Random(DEMO_SEED)  # noqa: S311 - demo data, not security
        with transaction.atomic():
            places = places_demo.load(generator)
            organisations = organisations_demo.load(generator)
            people = people_demo.load(generator)
            requests = care_demo.load(generator)
        eligibility_refresh()
        self.stdout.write(
            f"Demo loaded: {places} places, {organisations} organisations, {people} people, {requests} care requests."
        )
        call_command("demo_logins", stdout=self.stdout)
