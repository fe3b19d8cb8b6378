from django.contrib import admin

from .models import Person, RoleAssignment


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "person"
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "district", "contact_preference"]
    list_filter = ["district"]
    search_fields = ["last_name", "first_name"]
    inlines = [RoleInline]
