"""What the access app shows on the home page (declared in ``capability.py``): the auditor's two ways in."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .actors import Actor
from .rules import can


def audit(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """Links only, each behind its page's own rule (no query: the rules read the actor's roles)."""
    return {
        "can_search_log": can(actor, "access.search_log"),
        "can_view_activity": can(actor, "access.view_activity"),
    }
