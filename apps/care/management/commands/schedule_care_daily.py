"""Make sure the daily care run (reminders for tomorrow's visits, eligibility counts) is queued; safe to repeat."""

from typing import Any

from django.core.management.base import BaseCommand

from apps.care.tasks import schedule_care_daily


class Command(BaseCommand):
    help = "Queue the daily care task (reminders, eligibility counts) unless one is already waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = schedule_care_daily()
        self.stdout.write("Daily care task queued." if queued else "Daily care task already scheduled.")
