"""Administrators manage the care categories (three languages, professional or not) here.

Requests, offers and matches hold care data and are handled on the coordinators' pages, which check
the rules and write the access log; the admin shows only what a data-protection officer may inspect
without reading care details.
"""

from django.contrib import admin

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
