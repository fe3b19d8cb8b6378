"""Make sure the daily retention run is queued (safe to repeat)."""

from typing import Any

from django.core.management.base import BaseCommand

from apps.access.tasks import schedule_retention


class Command(BaseCommand):
    help = "Queue the daily retention task unless one is already waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = schedule_retention()
        self.stdout.write("Retention task queued." if queued else "Retention task already scheduled.")
