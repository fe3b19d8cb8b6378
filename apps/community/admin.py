"""Administrators name the themes of initiatives here, in Dutch, English and French.  Initiatives themselves are
reviewed on their own pages (which check the rules); the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import CityTeam, GrantCall, Initiative, JuryMember, Material, SupportRequest, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "name_fr", "slug", "active", "order"]
    list_editable = ["active", "order"]
    search_fields = ["name_nl", "name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def has_delete_permission(self, request: HttpRequest, obj: Theme | None = None) -> bool:
        """A theme in use stays (it is switched off instead)."""
        return super().has_delete_permission(request, obj) and (obj is None or not obj.initiatives.exists())


class ReadOnly:
    """Shown, never written here: the pages write, asking the rules."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Initiative)
class InitiativeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "district", "status", "updated_at"]
    list_filter = ["status", "district"]
    search_fields = ["title"]
    exclude = ["contact_name", "contact_email", "contact_phone"]  # the contact: on the page, for who may see it

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        """No filter on the contact through the address bar (``?contact_email__startswith=``) either: it would
        tell the contact one letter at a time (an attacker review)."""
        return "contact_" not in lookup and super().lookup_allowed(lookup, value, request)


# --- support requests (item 2) -----------------------------------------------------------------------------------


@admin.register(CityTeam)
class CityTeamAdmin(admin.ModelAdmin):
    """The city's teams that answer support requests: what they answer, and who is in them (city accounts)."""

    list_display = ["name_nl", "name_en", "name_fr", "slug"]
    search_fields = ["name_nl", "name_en", "name_fr", "slug"]
    raw_id_fields = ["members"]  # never a list of every person of the city on one page


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "quantity", "pick_up", "active"]
    list_editable = ["active"]
    search_fields = ["name_nl", "name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def has_delete_permission(self, request: HttpRequest, obj: Material | None = None) -> bool:
        """A material that was lent stays (it is switched off instead), so old requests keep what they asked."""
        return super().has_delete_permission(request, obj) and (obj is None or not obj.lines.exists())


class JuryMemberInline(admin.TabularInline):
    model = JuryMember
    raw_id_fields = ["person"]
    extra = 0


class GrantCallForm(forms.ModelForm):
    class Meta:
        model = GrantCall
        fields = ["title", "district", "opens_on", "deadline", "ceiling_eur", "description"]

    def clean_ceiling_eur(self) -> int:
        ceiling = int(self.cleaned_data["ceiling_eur"])
        if ceiling > settings.COMMUNITY_GRANT_CEILING_EUR:
            raise forms.ValidationError(
                _("At most %(ceiling)d euro per application (the setting COMMUNITY_GRANT_CEILING_EUR).")
                % {"ceiling": settings.COMMUNITY_GRANT_CEILING_EUR}
            )
        return ceiling

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("deadline") and data["deadline"] < data["opens_on"]:
            raise forms.ValidationError(_("The deadline comes after the day the call opens."))
        return data


@admin.register(GrantCall)
class GrantCallAdmin(admin.ModelAdmin):
    form = GrantCallForm
    list_display = ["title", "district", "opens_on", "deadline", "ceiling_eur"]
    list_filter = ["district"]
    inlines = [JuryMemberInline]


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnly, admin.ModelAdmin):
    """Read-only: requests are answered on their own pages, which check who may."""

    list_display = ["__str__", "initiative", "status", "team", "answer_due"]
    list_filter = ["kind", "status", "team"]
    exclude = ["details", "message"]

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        """No filter on what the applicant wrote (``?details__plan__startswith=``): it would tell it one letter at
        a time (an attacker review)."""
        hidden = ("details", "message", "steps", "initiative__contact_")
        return not lookup.startswith(hidden) and super().lookup_allowed(lookup, value, request)
