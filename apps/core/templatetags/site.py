"""``{% site_values as site %}``: the city's name and the theme (``context_processors.site``) for the pages that are
drawn without a request, so without context processors: the server error (500), the refused form (CSRF) and the
refused input (``core/bare.html``)."""

from __future__ import annotations

from typing import Any

from django import template

from apps.core.context_processors import site

register = template.Library()


@register.simple_tag
def site_values() -> dict[str, Any]:
    """What ``context_processors.site`` gives every other page (it reads only settings: no request, no database)."""
    return site(None)  # type: ignore[arg-type]
