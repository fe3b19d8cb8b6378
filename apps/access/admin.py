from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Visible to administrators for oversight; nobody can add, change or delete entries here."""

    list_display = ["at", "actor_role", "action", "record_type", "outcome", "via"]
    list_filter = ["action", "outcome", "actor_role"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
