"""Make sure the daily directory run (reminders to check records) is queued; safe to repeat."""

from typing import Any

from django.core.management.base import BaseCommand

from apps.directory.tasks import schedule_directory_daily


class Command(BaseCommand):
    help = "Queue the daily directory task (reminders to check records) unless one is already waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = schedule_directory_daily()
        self.stdout.write("Daily directory task queued." if queued else "Daily directory task already scheduled.")
