"""What the places app adds to the frame (``apps/core/capabilities.py``): its pages, API, menu, home panels,
demo, retention, open data and settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Capability, Demo, HomePanel, MenuEntry

from . import demo, panels
from .open_data import DATASETS as OPEN_DATA

MENU = (
    MenuEntry(_("Districts"), "places:district_list", rule="public", group="discover", order=10, current=("places:*",)),
    MenuEntry(_("Find an address"), "places:address_search", rule="public", group="discover", order=20),
)
HOME_PANELS = (
    HomePanel("places-districts", "places/panels/districts.html", "public", context=panels.districts, order=80),
    HomePanel("places-address", "places/panels/address.html", "public", context=panels.address, order=90),
)
"""Everyone's home page ends with the districts and the address finder."""

CAPABILITY = Capability(
    app="places",
    urls="apps.places.urls",
    url_prefix="districts/",
    api="apps.places.api:router",
    demo=Demo(load=demo.load, noun="places"),
    open_data=OPEN_DATA,
    menu=MENU,
    home_panels=HOME_PANELS,
)
