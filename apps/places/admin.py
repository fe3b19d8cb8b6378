from django.contrib import admin

from .models import District, OpeningHours, Place, Room


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "area_name", "area_km2", "population"]
    search_fields = ["name"]
    readonly_fields = ["geometry", "area_km2", "interior_lat", "interior_lon", "source"]


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name", "street"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OpeningHoursInline, RoomInline]
