"""Words for the codes the access log stores: roles, purposes (a consent purpose or the rule that was asked).

A rule's words are declared with the rule (``@rule("care.view_request", label=...)`` in the app's
``rules.py``), so a new capability's purposes appear here without this module naming it.

The log keeps codes, so it stays the same whatever the language; pages show these labels instead.
An unknown code is shown as it is, never hidden.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.people.models import Purpose, Role

from .rules import LABELS, rule_label

OTHER_ROLES: dict[str, Promise] = {
    "anonymous": _("Not signed in"),
    "account": _("Account without a role"),
}

# what the log writes as purpose besides a consent purpose or a rule (rules name themselves: ``rule(..., label=)``)
OTHER_PURPOSES: dict[str, Promise] = {
    "data_export": _("Download of all data"),
    "data_erasure": _("Erasure of all data"),
    "admin_special_category": _("Search or filter on care data in the admin (always refused)"),
    "duplicate_check": _("Check whether a person being registered is already registered"),
}


def role_label(code: str) -> str:
    if code in Role.values:
        return str(Role(code).label)
    return str(OTHER_ROLES.get(code, code))


def purpose_label(code: str) -> str:
    if code in Purpose.values:
        return str(Purpose(code).label)
    if code in OTHER_PURPOSES:
        return str(OTHER_PURPOSES[code])
    label = rule_label(code)
    return code if label is None else str(label)


def role_choices() -> list[tuple[str, str]]:
    """Every role the log can name, for a search form."""
    return [*((value, str(label)) for value, label in Role.choices), *((k, str(v)) for k, v in OTHER_ROLES.items())]


def _purpose_codes() -> list[str]:
    """Consent purposes, then what was done with all data, the rules of the apps (in the order they were
    declared) and last the auditor's own: access's rules and the admin's refusals."""
    rules = sorted(LABELS, key=lambda name: name.startswith("access."))
    return list(dict.fromkeys([*Purpose.values, "data_export", "data_erasure", *rules, *OTHER_PURPOSES]))


def purpose_choices() -> list[tuple[str, str]]:
    """Every purpose the log can name, for a search form: one line per label (the first code stands for all)."""
    seen: set[str] = set()
    choices = []
    for code in _purpose_codes():
        label = purpose_label(code)
        if label not in seen:
            seen.add(label)
            choices.append((code, label))
    return choices


def purpose_codes(code: str) -> list[str]:
    """The codes a purpose chosen in a search stands for: every code with the same label."""
    label = purpose_label(code)
    return [other for other in _purpose_codes() if purpose_label(other) == label] or [code]
