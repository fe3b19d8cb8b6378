"""What the organisations app shows on the home page (declared in ``capability.py``): my organisation, for its staff."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.access.actors import Actor

from .selectors import own_organisations


def my_organisations(request: HttpRequest, actor: Actor) -> dict[str, Any] | None:
    """The organisations the person works for, by name (one query): what "My organisation" opens.  No panel
    for someone whose organisations are all inactive (an empty box helps nobody)."""
    organisations = list(own_organisations(actor).order_by("name").only("slug", "name"))
    return {"organisations": organisations} if organisations else None
