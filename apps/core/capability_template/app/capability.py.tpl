"""{{ title }}: what the app adds to the frame.

Its pages, menu entry and home panel (``apps/core/capabilities.py``).

Add here, as the capability grows: ``api="apps.{{ app_name }}.api:router"``, ``demo=Demo(...)``,
``retention=(Retention(...),)``, ``open_data=(OpenDataset(...),)``, ``settings=(Setting(...),)``,
``person_actions=(PersonAction(...),)``.  ``apps/care/capability.py`` is a full example.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from apps.core.capabilities import Capability, HomePanel, MenuEntry

TITLE = _("{{ title }}")
START_PAGE = "{{ app_name }}:index"
START_RULE = "{{ app_name }}.view_index"
START_PANEL = "{{ app_name }}/panels/start.html"

CAPABILITY = Capability(
    app="{{ app_name }}",
    description=TITLE,
    urls="apps.{{ app_name }}.urls",
    menu=(MenuEntry(TITLE, START_PAGE, rule=START_RULE, group="discover"),),
    home_panels=(HomePanel("{{ app_name }}", START_PANEL, rule=START_RULE),),
)
