from typing import Any

from django import forms
from django.contrib import admin

from .models import Person, RoleAssignment
from .services import role_scope_check

SCOPE_FIELDS = {"role", "district", "place", "organisation"}


class RoleAssignmentForm(forms.ModelForm):
    """The same check as the service that grants roles: a role and its scope must fit together."""

    class Meta:
        model = RoleAssignment
        fields = ["role", "district", "place", "organisation", "granted_by", "withdrawn_at", "withdrawn_by"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") and SCOPE_FIELDS & set(self.changed_data):
            role_scope_check(
                role=data["role"],
                district=data.get("district"),
                place=data.get("place"),
                organisation=data.get("organisation"),
            )
        return data


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    fk_name = "person"
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "district", "contact_preference"]
    list_filter = ["district", "organisation"]
    search_fields = ["last_name", "first_name"]
    # care needs are special-category data: administrators run the city, they do not read them (ASVS 8.2.3)
    exclude = ["support_needs"]
    inlines = [RoleInline]
