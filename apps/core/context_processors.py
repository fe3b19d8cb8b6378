"""Values every page needs: the city's name and the theme's logo."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """Also the menu entries the person's roles open (resolved once per request, cached on it)."""
    from apps.access.actors import actor_for
    from apps.access.rules import can

    actor = actor_for(request)
    menu = {
        "can_search_persons": can(actor, "people.search_persons"),
        "can_search_log": can(actor, "access.search_log"),
        "can_view_activity": can(actor, "access.view_activity"),
        "can_list_organisations": can(actor, "organisations.list_organisations"),
        "can_view_own_organisation": can(actor, "organisations.view_own_organisation"),
        "can_view_worklist": can(actor, "care.view_worklist"),
        "can_ask_for_help": can(actor, "care.view_my_requests"),  # any signed-in person: ask, or offer help
    }
    return {
        **menu,
        "CITY_NAME": settings.CITY_NAME,
        "THEME_LOGO": settings.THEME_LOGO,
        "THEME_FAVICON": settings.THEME_FAVICON,
    }
