"""Administrators manage the care categories (three languages, professional or not) here.

Requests, offers and matches hold care data and are handled on the coordinators' pages, which check
the rules and write the access log; the admin shows only what a data-protection officer may inspect
without reading care details.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import ngettext

from apps.access.actors import actor_for

from . import services
from .models import CareCategory, MatchingRound


@admin.register(CareCategory)
class CareCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "name_fr", "professional", "active", "order"]
    list_editable = ["professional", "active", "order"]
    list_filter = ["professional", "active"]
    search_fields = ["code", "name_nl", "name_en", "name_fr"]
    fieldsets = [
        (None, {"fields": ["code", "professional", "active", "order"]}),
        ("Nederlands", {"fields": ["name_nl", "description_nl"]}),
        ("English", {"fields": ["name_en", "description_en"]}),
        ("Français", {"fields": ["name_fr", "description_fr"]}),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: CareCategory | None = None) -> bool:
        """A category that requests use is switched off ("active"), never deleted: its delete page would list
        the numbers of every request of that kind (a category is special-category data)."""
        return super().has_delete_permission(request, obj) and (obj is None or not obj.requests.exists())

    def save_model(self, request: HttpRequest, obj: CareCategory, form: Any, change: bool) -> None:
        """Also in the list (``list_editable``): a category that becomes professional takes its requests
        away from volunteers (``services.category_became_professional``), in the admin's transaction."""
        became_professional = change and obj.professional and "professional" in form.changed_data
        super().save_model(request, obj, form, change)
        if became_professional:
            referred = services.category_became_professional(actor=actor_for(request), category=obj)
            if referred:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d request of “%(category)s” became a referral; its volunteer matches are cancelled.",
                        "%(n)d requests of “%(category)s” became referrals; their volunteer matches are cancelled.",
                        referred,
                    )
                    % {"n": referred, "category": obj.name},
                )


@admin.register(MatchingRound)
class MatchingRoundAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "district",
        "status",
        "created_at",
        "requests_count",
        "helpers_count",
        "total_score",
        "optimal",
        "seconds",
    ]
    list_filter = ["status"]
    exclude = ["problem"]
    readonly_fields = [
        f
        for f in [
            "district",
            "started_by",
            "created_at",
            "finished_at",
            "status",
            "horizon_start",
            "horizon_end",
            "requests_count",
            "helpers_count",
            "total_score",
            "optimal",
            "seconds",
            "error",
        ]
    ]

    def has_add_permission(self, request: object) -> bool:
        return False
