"""Make sure the hourly run of the reminders of event registrations is queued; safe to repeat."""

from typing import Any

from django.core.management.base import BaseCommand

from apps.community.tasks import schedule_community_reminders


class Command(BaseCommand):
    help = "Queue the hourly community task (reminders of event registrations) unless one is already waiting."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = schedule_community_reminders()
        self.stdout.write("Community reminders queued." if queued else "Community reminders already scheduled.")
