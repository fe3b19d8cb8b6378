"""What the wellbeing app adds to the home page: the coordinator's count of new reports (never a word of one)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.access.actors import Actor


def new_reports(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    from .selectors import new_report_count

    return {"new": new_report_count(actor)}
