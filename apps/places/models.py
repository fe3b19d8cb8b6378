"""Districts, places (neighbourhood centres and other venues), their rooms and opening hours.

Geometry is stored as GeoJSON in a JSON field rather than with PostGIS: the
platform must run on an embedded SQLite database too, and 25 polygons are
looked up in memory with shapely (see ``selectors.district_index``).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class District(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    area_name = models.CharField(_("part of the city"), max_length=120, blank=True)
    geometry = models.JSONField(_("shape (GeoJSON, WGS84)"))
    area_km2 = models.FloatField(_("area (km²)"))
    interior_lat = models.FloatField(_("latitude of a point inside"), validators=LATITUDE)
    interior_lon = models.FloatField(_("longitude of a point inside"), validators=LONGITUDE)
    population = models.PositiveIntegerField(_("population (estimate)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Place(models.Model):
    class Kind(models.TextChoices):
        NEIGHBOURHOOD_CENTRE = "neighbourhood_centre", _("Neighbourhood centre")
        SERVICE_CENTRE = "service_centre", _("Local service centre")
        LIBRARY = "library", _("Library")
        COMMUNITY_VENUE = "community_venue", _("Community venue")
        OTHER = "other", _("Other place")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=10)
    lat = models.FloatField(_("latitude"), validators=LATITUDE)
    lon = models.FloatField(_("longitude"), validators=LONGITUDE)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="places", verbose_name=_("district"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        indexes = [models.Index(fields=["district", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode}"


class OpeningHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="opening_hours_closes_after_opens"
            ),
            models.UniqueConstraint(fields=["place", "weekday", "opens"], name="opening_hours_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Room(models.Model):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("place"))
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"))
    wheelchair_accessible = models.BooleanField(_("wheelchair accessible"), default=False)
    equipment = models.CharField(_("equipment"), max_length=300, blank=True)

    class Meta:
        ordering = ["place", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [models.UniqueConstraint(fields=["place", "name"], name="room_unique_name_per_place")]

    def __str__(self) -> str:
        return f"{self.place.name} – {self.name}"
