"""Views declare their rule; the decorator enforces it and records it for the access-table test."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .actors import Actor, actor_for
from .rules import RULES, UnknownRule, can, rules_loaded

View = Callable[..., HttpResponse]


def page_opens(actor: Actor, rule_name: str) -> bool:
    """Whether a page behind ``@requires(rule_name)`` opens for this actor.  The main menu asks it too, so that
    it never links to a page that refuses: a visitor who is not signed in is sent to log in for any rule but
    "public"."""
    if rule_name != "public" and actor.is_anonymous:
        return False
    return can(actor, rule_name)


def requires(rule_name: str) -> Callable[[View], View]:
    """Page-level rule.  Anonymous visitors go to the login page; others without the right get 403.

    Object-level rules are checked by the selectors, which answer 404 for
    "missing" and "forbidden" alike so that ids cannot be probed.

    An undeclared rule is an error: here once every app's rules are loaded, and always in the system
    check ``access.E001`` (``apps/access/checks.py``), since a view module may be imported before the
    ``rules.py`` that declares its rule.
    """
    if rules_loaded() and rule_name not in RULES:
        raise UnknownRule(rule_name)

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = actor_for(request)
            if not page_opens(actor, rule_name):
                if actor.is_anonymous:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule_name  # type: ignore[attr-defined]
        return wrapped

    return decorate
