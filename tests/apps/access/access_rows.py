"""The roles and the shorthands of the URL × role access table (``test_access_table.py``).

Each app's ``tests/apps/<app>/access_table.py`` writes its rows with these:
``ROWS = {"url name": ({kwargs}, {role: status})}``, where a kwarg string starting with "@" is filled from
the demo city (the app's own ``samples(district, resident)`` gives its placeholders).
"""

from __future__ import annotations

from typing import Any

Rows = dict[str, tuple[dict[str, Any], dict[str, int]]]

ROLES = [
    "anonymous",
    "resident",
    "helper",
    "coordinator",
    "organisation_staff",
    "initiative_starter",
    "centre_committee",
    "city_staff",
    "administrator",
    "auditor",
]
SIGNED_IN = ROLES[1:]
STAFF = ["coordinator", "administrator", "auditor"]  # they have a second factor


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def only(roles: set[str], allowed: int = 200, others: int = 403, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **{role: allowed if role in roles else others for role in SIGNED_IN}}


def anonymous_only(status: int = 200, signed_in_status: int = 302) -> dict[str, int]:
    return {"anonymous": status, **dict.fromkeys(SIGNED_IN, signed_in_status)}
