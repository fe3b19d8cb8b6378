"""Values every page needs: the city's name and the theme's logo.

The menu is not here: ``{% main_menu %}`` (``apps/core/navigation.py``) builds it from the apps' declarations,
once per request, only for the pages that show it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "CITY_NAME": settings.CITY_NAME,
        "THEME_LOGO": settings.THEME_LOGO,
        "THEME_FAVICON": settings.THEME_FAVICON,
        "THEME_COLOUR_SCHEME": settings.THEME_COLOUR_SCHEME,
    }
