from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """Districts and places (PRODUCT capability 1): polygons, addresses, centres and rooms."""

    name = "apps.places"
    label = "places"
    verbose_name = _("Districts and places")
