"""Send the reminders of event registrations that are due now (what the hourly task does), for a cron job or by
hand; running it twice sends each reminder once."""

from typing import Any

from django.core.management.base import BaseCommand

from apps.community.registrations import send_reminders


class Command(BaseCommand):
    help = "Send the reminders due for registrations of events starting within COMMUNITY_REMINDER_HOURS hours."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Reminders sent: {send_reminders()}")
