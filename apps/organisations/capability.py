"""What the organisations app adds to the frame (``apps/core/capabilities.py``): its pages, API, menu, home panels,
demo, retention, open data and settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Capability, Demo, HomePanel, Landing, MenuEntry

from . import demo, panels

ORGANISATION_PAGES = ("organisations:organisation_detail", "organisations:organisation_edit")
MENU = (
    MenuEntry(
        _("Organisations"), "organisations:organisation_list", rule="organisations.list_organisations",
        group="city", order=10, current=ORGANISATION_PAGES,
    ),
    MenuEntry(
        _("My organisation"), "organisations:my_organisation", rule="organisations.view_own_organisation",
        group="mine", order=40, current=ORGANISATION_PAGES,
    ),
)  # fmt: skip
HOME_PANELS = (
    HomePanel(
        "organisations-mine", "organisations/panels/my_organisation.html", "organisations.view_own_organisation",
        panels.my_organisations, order=40,
    ),
)  # fmt: skip

LANDING = (
    Landing("organisations:my_organisation", rule="organisations.view_own_organisation", priority=40),
    Landing("organisations:organisation_list", rule="organisations.list_organisations", priority=50),
)
"""Organisation staff land on their organisation, city staff on the list of organisations."""

CAPABILITY = Capability(
    app="organisations",
    urls="apps.organisations.urls",
    api="apps.organisations.api:router",
    demo=Demo(load=demo.load, noun="organisations"),
    menu=MENU,
    home_panels=HOME_PANELS,
    landing=LANDING,
)
