"""Words for the codes the access log stores: roles, purposes (a consent purpose or the rule that was asked).

The log keeps codes, so it stays the same whatever the language; pages show these labels instead.
An unknown code is shown as it is, never hidden.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.people.models import Purpose, Role

OTHER_ROLES: dict[str, Promise] = {
    "anonymous": _("Not signed in"),
    "account": _("Account without a role"),
}

# what the log writes as purpose besides a consent purpose: the rule asked, or what was done with all data
RULE_PURPOSES: dict[str, Promise] = {
    "data_export": _("Download of all data"),
    "data_erasure": _("Erasure of all data"),
    "people.view_person": _("Looking at a person's record"),
    "people.change_person": _("Changing a person's record"),
    "people.view_support_needs": _("Looking at the help someone needs"),
    "people.record_consent": _("Recording consent"),
    "people.export_data": _("Download of all data"),
    "people.erase_data": _("Erasure of all data"),
    "care.view_request": _("Looking at a request for help"),
    "care.view_own_request": _("Looking at a request for help"),
    "care.manage_request": _("Handling a request for help"),
    "care.cancel_request": _("Calling off a request for help"),
    "care.take_request": _("Offering to help with a request"),
    "care.take_request_by_phone": _("Taking a request for help by phone"),
    "care.view_worklist": _("Coordinator's worklist"),
    "care.view_round": _("Matching round"),
    "care.view_match": _("Looking at a match between helper and resident"),
    "care.coordinate_match": _("Looking at a match between helper and resident"),
    "care.answer_match": _("Answering a proposal to help"),
    "care.plan_match": _("Planning the help"),
    "care.cancel_match": _("Calling off the help"),
    "care.resident_feedback": _("Feedback after the help"),
    "access.search_log": _("Search in the access log"),
    "access.view_activity": _("Unusual activity per account and day"),
    "admin_special_category": _("Search or filter on care data in the admin (always refused)"),
}


def role_label(code: str) -> str:
    if code in Role.values:
        return str(Role(code).label)
    return str(OTHER_ROLES.get(code, code))


def purpose_label(code: str) -> str:
    if code in Purpose.values:
        return str(Purpose(code).label)
    return str(RULE_PURPOSES.get(code, code))


def role_choices() -> list[tuple[str, str]]:
    """Every role the log can name, for a search form."""
    return [*((value, str(label)) for value, label in Role.choices), *((k, str(v)) for k, v in OTHER_ROLES.items())]


def _purpose_codes() -> list[str]:
    return [*Purpose.values, *RULE_PURPOSES]


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
