"""Values every page needs: the city's name and the theme's logo."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"CITY_NAME": settings.CITY_NAME, "THEME_LOGO": settings.THEME_LOGO, "THEME_FAVICON": settings.THEME_FAVICON}
