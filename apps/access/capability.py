"""What the access app adds to the frame (``apps/core/capabilities.py``): its pages, API, menu, home panels,
demo, retention, open data and settings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Capability, HomePanel, Landing, MenuEntry

from . import panels
from .retention import RETENTION

MENU = (
    MenuEntry(_("Access log"), "access:log_search", rule="access.search_log", group="audit", order=10),
    MenuEntry(_("Unusual activity"), "access:activity", rule="access.view_activity", group="audit", order=20),
    # the administrator lands in the admin; once on the site, this is the way back
    MenuEntry(_("Administration"), "admin:index", rule="access.administer", group="city", order=90),
)
HOME_PANELS = (HomePanel("access-audit", "access/panels/audit.html", "access.search_log", panels.audit, order=50),)
LANDING = (
    Landing("access:log_search", rule="access.search_log", priority=20),  # the auditor: the access log
    Landing("admin:index", rule="access.administer", priority=30),  # the administrator: the admin, their tasks
)
"""Where the auditor and the administrator land after signing in."""

CAPABILITY = Capability(
    app="access",
    urls="apps.access.urls",
    url_prefix="audit/",
    api="apps.access.api:router",
    retention=RETENTION,
    menu=MENU,
    home_panels=HOME_PANELS,
    landing=LANDING,
)
