"""The one registry of rules "who may do what on which object", and the rules of access itself.

Each app declares its own rules in ``apps/<app>/rules.py`` with ``@rule("<app>.<what>")``;
``AccessConfig.ready`` loads every installed app's ``rules.py`` (``load_rules``), so access names no app.
Pages, the API and exports all ask ``can(actor, rule, obj)``.  A rule is declared once, and asking for
one that is not declared is a programming error (``UnknownRule``), never a quiet "no".
Least privilege: each rule allows the fewest people that the work needs; city staff and administrators run
the city, they do not read residents' care needs (``apps/people/rules.py`` and ``apps/care/rules.py`` say how).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from apps.people.models import Role

from .actors import Actor

Predicate = Callable[[Actor, Any], bool]
RULES: dict[str, Predicate] = {}
LABELS: dict[str, str | Promise] = {}
"""What the access log shows when a rule was the purpose of a read (``rule(..., label=...)``)."""

_loaded = False


class UnknownRule(LookupError):
    """A rule was asked for that no app declares: a typo or a missing ``rules.py``, never a quiet "no"."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown rule {name!r}: no installed app declares it with @rule({name!r}) in its rules.py")
        self.name = name


def rule(name: str, *, label: str | Promise | None = None) -> Callable[[Predicate], Predicate]:
    """Declare a rule; ``label`` names it in the access log when it is the purpose of a read."""

    def register(predicate: Predicate) -> Predicate:
        if name in RULES:
            raise ValueError(f"rule {name} declared twice")
        RULES[name] = predicate
        if label is not None:
            LABELS[name] = label
        return predicate

    return register


def can(actor: Actor, name: str, obj: Any = None) -> bool:
    try:
        predicate = RULES[name]
    except KeyError:
        raise UnknownRule(name) from None
    return predicate(actor, obj)


def rule_label(name: str) -> str | Promise | None:
    """The words for a rule in the access log, or ``None`` (no label, or a rule that no longer exists:
    the log keeps old codes)."""
    return LABELS.get(name)


def load_rules() -> None:
    """Import every installed app's ``rules.py`` (``AccessConfig.ready``); from then on the registry is complete."""
    global _loaded
    autodiscover_modules("rules")
    _loaded = True


def rules_loaded() -> bool:
    """Whether every app's rules are in: before that, a rule missing from ``RULES`` may just not be loaded yet."""
    return _loaded


# --- the rules of access itself ---------------------------------------------------------------------


@rule("public")
def _public(actor: Actor, obj: Any) -> bool:
    return True


@rule("authenticated")
def _authenticated(actor: Actor, obj: Any) -> bool:
    return not actor.is_anonymous


@rule("access.view_own_reads")
def _own_reads(actor: Actor, obj: Any) -> bool:
    return actor.person_id is not None


@rule("access.administer")
def _administer(actor: Actor, obj: Any) -> bool:
    """The admin (``/admin/``): an active staff account that holds the administrator role now
    (``admin_site.CityAdminSite.has_permission`` asks this rule)."""
    return actor.is_staff and actor.has_role(Role.ADMINISTRATOR)


@rule("access.search_log", label=_("Search in the access log"))
def _search_log(actor: Actor, obj: Any) -> bool:
    return actor.has_role(Role.AUDITOR)


@rule("access.view_activity", label=_("Unusual activity per account and day"))
def _view_activity(actor: Actor, obj: Any) -> bool:
    """Unusual activity per account and day (``apps/access/activity.py``): who did what how often is itself
    personal data about staff and helpers, so only the auditor sees it."""
    return actor.has_role(Role.AUDITOR)
