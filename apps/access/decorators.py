"""Views declare their rule; the decorator enforces it and records it for the access-table test."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .actors import actor_for
from .rules import RULES, can

View = Callable[..., HttpResponse]


def requires(rule_name: str) -> Callable[[View], View]:
    """Page-level rule.  Anonymous visitors go to the login page; others without the right get 403.

    Object-level rules are checked by the selectors, which answer 404 for
    "missing" and "forbidden" alike so that ids cannot be probed.
    """
    if rule_name not in RULES:
        raise ValueError(f"unknown rule {rule_name}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = actor_for(request)
            if rule_name != "public" and actor.is_anonymous:
                return redirect_to_login(request.get_full_path())
            if not can(actor, rule_name):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule_name  # type: ignore[attr-defined]
        return wrapped

    return decorate
