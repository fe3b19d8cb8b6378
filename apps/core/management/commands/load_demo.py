"""``cityofpeople demo``: load the demo Ghent, safe to run again.

Each app owns its demo data in ``apps/<app>/demo.py`` and declares it in
``apps/<app>/capability.py`` (``Demo(load, noun, after, finish)``); this
command runs every declared demo in dependency order (``apps/core/demos.py``)
with one seeded random generator in one transaction, then each ``finish``,
so every machine gets the same demo city.
"""

from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from apps.core.capabilities import capabilities
from apps.core.demos import DemoOrderError, demo_order
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
        try:
            demos = demo_order(capabilities())
        except DemoOrderError as error:
            raise CommandError(f"The demos cannot be ordered: {error}.") from error
        call_command("load_districts", stdout=self.stdout, stderr=self.stderr)
        generator = random.Random(DEMO_SEED)  # noqa: S311 - demo data, not security
        with transaction.atomic():
            made = [(demo.load(generator), demo.noun) for _app, demo in demos]
        for _app, demo in demos:
            if demo.finish is not None:
                demo.finish()
        self.stdout.write("Demo loaded: " + ", ".join(f"{count} {noun}" for count, noun in made) + ".")
        call_command("demo_logins", stdout=self.stdout)
