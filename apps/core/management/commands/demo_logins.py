"""Print the demo logins, one per role."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.people.demo import DEMO_ACCOUNTS, demo_password, needs_second_factor


class Command(BaseCommand):
    help = "Print one demo login per role."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Demo logins (email / password):")
        for account in DEMO_ACCOUNTS:
            second = (
                "  + code: cityofpeople manage demo_code " + account.role.value if needs_second_factor(account) else ""
            )
            self.stdout.write(f"  {account.role_label:<40} {account.email:<46} {demo_password(account)}{second}")
        self.stdout.write("Residents without email: sign up with a mobile number (the SMS code appears in the log).")
