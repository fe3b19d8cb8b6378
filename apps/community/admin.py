"""Administrators name the themes of initiatives here, in Dutch, English and French.  Initiatives themselves are
reviewed on their own pages (which check the rules); the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Initiative, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "name_fr", "slug", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["name_nl", "name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def has_delete_permission(self, request: HttpRequest, obj: Theme | None = None) -> bool:
        """A theme in use stays (it is switched off instead)."""
        return super().has_delete_permission(request, obj) and (obj is None or not obj.initiatives.exists())


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "district", "status", "updated_at"]
    list_filter = ["status", "district"]
    search_fields = ["title"]
    exclude = ["contact_name", "contact_email", "contact_phone"]  # the contact: on the page, for who may see it

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        """No filter on the contact through the address bar (``?contact_email__startswith=``) either: it would
        tell the contact one letter at a time (an attacker review)."""
        return "contact_" not in lookup and super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
