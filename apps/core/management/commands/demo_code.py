"""Print the current authenticator code of a demo staff account (the demo's stand-in for a phone app)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.people.demo import DEMO_ACCOUNTS, demo_totp_code, needs_second_factor


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo staff account, e.g. demo_code coordinator."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", choices=[a.role.value for a in DEMO_ACCOUNTS if needs_second_factor(a)])

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_ALLOWED:
            raise CommandError("Demo codes exist only where COP_ALLOW_DEMO=true.")
        account = next(a for a in DEMO_ACCOUNTS if a.role.value == options["role"])
        self.stdout.write(demo_totp_code(account))
