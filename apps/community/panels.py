"""What community life adds to the home page: for a reviewer, how many initiatives wait (one count query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.access.actors import Actor


def to_review(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    from .selectors import to_review as waiting

    return {"waiting": waiting(actor).count()}
