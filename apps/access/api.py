"""The access log in the API: auditors search it; nobody can change it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from .actors import actor_for
from .rules import can
from .selectors import access_log_search

router = Router(tags=["access log"], auth=django_auth)


class EntryOut(Schema):
    at: datetime
    actor_user_id: int | None
    actor_role: str
    subject_person_id: int | None
    record_type: str
    record_id: str
    action: str
    purpose: str
    outcome: str
    via: str


class MessageOut(Schema):
    detail: str


class LogFilter(Schema):
    subject: int | None = None
    actor: int | None = None
    role: str | None = None
    purpose: str | None = None
    action: str | None = None
    outcome: str | None = None
    since: date | None = None
    until: date | None = None


@router.get("/access-log", response={200: list[EntryOut], 401: MessageOut, 403: MessageOut, 422: MessageOut})
def search_log(request: HttpRequest, filters: Query[LogFilter]) -> Any:
    if not can(actor_for(request), "access.search_log"):
        raise HttpError(403, _("Only auditors may search the access log."))
    return list(access_log_search(filters.dict())[:500])
