"""Administrators manage the types of help (in Dutch, English and French) here.

Services, locations and the changes to them are kept by the organisations and reviewed by city staff on their
own pages ("Our services", "Changes to review"), which check the rules; the admin only shows them, read-only.
Referrals are not in the admin: what they say about a person is special-category data, read on the pages that
check the rules and write the access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import Location, Revision, Service, Taxonomy, TaxonomyTerm

URLS = {models.URLField: {"assume_scheme": "https"}}
"""A link typed without its scheme is read as https."""


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    formfield_overrides = URLS
    list_display = ["name", "version", "uri"]
    search_fields = ["name"]
    fields = ["name", "description", "uri", "version"]

    def has_delete_permission(self, request: HttpRequest, obj: Taxonomy | None = None) -> bool:
        """A vocabulary with terms stays (its terms are switched off instead)."""
        return super().has_delete_permission(request, obj) and (obj is None or not obj.terms.exists())


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    formfield_overrides = URLS
    list_display = ["name_nl", "name_en", "name_fr", "code", "taxonomy", "parent", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active", "taxonomy"]
    search_fields = ["code", "name_nl", "name_en", "name_fr"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["taxonomy", "code", "parent", "active", "order", "term_uri"]}),
        ("Nederlands", {"fields": ["name_nl", "description_nl"]}),
        ("English", {"fields": ["name_en", "description_en"]}),
        ("Français", {"fields": ["name_fr", "description_fr"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: TaxonomyTerm | None = None) -> bool:
        """A type of help that services use is switched off ("shown in the search"), never deleted."""
        if obj is not None and (obj.attributes.exists() or obj.children.exists()):
            return False
        return super().has_delete_permission(request, obj)


class ReadOnly(admin.ModelAdmin):
    """Shown, never changed here: the organisations' pages and the city's review are the way to change them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Service)
class ServiceAdmin(ReadOnly):
    list_display = ["name", "organisation", "status", "published_at", "checked_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    exclude = ["search_text", "extra"]


@admin.register(Location)
class LocationAdmin(ReadOnly):
    list_display = ["name", "organisation", "district", "published_at", "checked_at"]
    search_fields = ["name"]
    exclude = ["extra"]


@admin.register(Revision)
class RevisionAdmin(ReadOnly):
    list_display = ["kind", "organisation", "status", "created_at", "submitted_at", "reviewed_at"]
    list_filter = ["status", "kind"]
