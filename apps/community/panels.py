"""What community life adds to the home page: for a reviewer, how many initiatives wait (one count query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.access.actors import Actor


def to_review(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    from .selectors import to_review as waiting

    return {"waiting": waiting(actor).count()}


def support_waiting(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """How many support requests wait for the actor's teams and districts, and how many of them are late."""
    from .support import late, worklist

    rows = worklist(actor)
    return {"waiting": rows.count(), "late": late(rows).count()}
