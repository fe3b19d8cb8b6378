"""One table: every URL of the project × every role → the expected answer.

Each app holds its own rows beside its tests, in ``tests/apps/<app>/access_table.py``: ``ROWS`` (written
with the shorthands of ``access_rows.py``) and, when its rows need objects of the demo city, a
``samples(district, resident)`` that gives its "@" placeholders.  The rows of the frame (health,
languages, allauth, the admin, the API's own pages) are here.  This test finds every such file, so a new
capability adds only its own; a URL with a row in two files is an error.  A new URL without a row fails
``test_every_url_has_a_row``, so no page or endpoint can be added without deciding who may reach it.
Object pages use a resident of the coordinator's district; for everyone else that id must answer exactly
like an id that does not exist (404).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.people.models import Person
from apps.places.models import District
from tests.apps.access.access_rows import ROLES, STAFF, Rows, anonymous_only, everyone, only, signed_in

APPS_TESTS = Path(__file__).resolve().parents[1]  # tests/apps: each app's folder may hold an access_table.py
# allauth also registers unnamed copies of some social-account paths; they answer like their named twin
UNNAMED_TWINS = {
    "<unnamed social/connections/>": "socialaccount_connections",
    "<unnamed social/login/cancelled/>": "socialaccount_login_cancelled",
    "<unnamed social/login/error/>": "socialaccount_login_error",
    "<unnamed social/signup/>": "socialaccount_signup",
}

pytestmark = pytest.mark.django_db

# The frame's rows: url name -> (kwargs, {role: status}).
FRAME: Rows = {
    "health": ({}, everyone(200)),
    "security_txt": ({}, everyone(200)),
    "set_language": ({}, everyone(302)),  # GET goes back to the page
    # allauth: pages for signing in are for visitors; signed-in people are sent on
    "account_login": ({}, anonymous_only()),
    "account_signup": ({}, anonymous_only()),
    "account_logout": ({}, signed_in(200)),
    "account_inactive": ({}, everyone(200)),
    "account_reauthenticate": ({}, signed_in(200)),
    "account_email": ({}, signed_in(200)),
    "account_email_verification_sent": ({}, everyone(200)),
    "account_change_password": ({}, signed_in(200)),
    "account_set_password": ({}, signed_in(302)),
    "account_reset_password": ({}, everyone(200)),
    "account_reset_password_done": ({}, everyone(200)),
    "account_reset_password_from_key": ({"uidb36": "x", "key": "y"}, everyone(200)),  # shows "bad token"
    "account_reset_password_from_key_done": ({}, everyone(200)),
    "account_confirm_email": ({"key": "bad-key"}, everyone(200)),
    "account_confirm_login_code": ({}, everyone(302)),  # no pending login: back to the start
    "account_change_phone": ({}, signed_in(200)),
    "account_request_login_code": ({}, anonymous_only()),
    "account_verify_phone": ({}, everyone(302)),  # no code pending
    # second factor: pages need a recent sign-in (302 to reauthenticate) or an existing factor (else 404)
    "mfa_index": ({}, signed_in(200)),
    "mfa_activate_totp": ({}, everyone(302)),
    "mfa_authenticate": ({}, everyone(302)),  # only during a sign-in
    "mfa_deactivate_totp": ({}, {**signed_in(404), "anonymous": 302, **dict.fromkeys(STAFF, 302)}),
    "mfa_reauthenticate": ({}, {**signed_in(302), **dict.fromkeys(STAFF, 200)}),
    "usersessions_list": ({}, signed_in(200)),  # "sign out everywhere"
    # outside sign-in (eID / itsme by OpenID Connect): 404 while no provider is configured
    "openid_connect_login": ({"provider_id": "eid"}, everyone(404)),
    "openid_connect_callback": ({"provider_id": "eid"}, everyone(404)),
    "socialaccount_connections": ({}, signed_in(200)),
    "socialaccount_login_cancelled": ({}, everyone(200)),
    "socialaccount_login_error": ({}, everyone(401)),
    "socialaccount_signup": ({}, everyone(302)),
    # the Django admin: administrators only (anyone else is sent to its login)
    "admin:*": ({}, {**only({"administrator"}, others=302), "anonymous": 302}),
    # the API's own pages (each app's operations are in its own file)
    "api:api-root": ({}, everyone(404)),
    "api:openapi-json": ({}, everyone(200)),
    "api:openapi-view": ({}, everyone(200)),
}


def load_table_file(path: Path) -> ModuleType:
    """An app's ``access_table.py``, loaded by its path (the test folders are not all packages)."""
    spec = importlib.util.spec_from_file_location(f"access_table_of_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table_files(root: Path = APPS_TESTS) -> list[Path]:
    return sorted(root.glob("*/access_table.py"))


def merged_rows(frame: Rows, root: Path = APPS_TESTS) -> tuple[Rows, list[ModuleType]]:
    """The frame's rows and every app's ``ROWS`` in one table; a URL with a row in two places is refused."""
    table: Rows = dict(frame)
    where = dict.fromkeys(frame, "test_access_table.py")
    modules = []
    for path in table_files(root):
        module = load_table_file(path)
        modules.append(module)
        for name, row in module.ROWS.items():
            if name in table:
                raise ValueError(f"{name!r} has a row in {where[name]} and in {path.relative_to(root)}")
            table[name], where[name] = row, str(path.relative_to(root))
    return table, modules


TABLE, APP_TABLES = merged_rows(FRAME)
WITH_ROWS = {"core", "places", "people", "organisations", "access", "care"}


def test_a_url_with_rows_in_two_files_is_refused(tmp_path: Path) -> None:
    """Two apps deciding about one URL would let one of them silently win: the table refuses it."""
    for app in ("one", "two"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "access_table.py").write_text('ROWS = {"core:about": ({}, {"anonymous": 200})}\n')
    with pytest.raises(ValueError, match=r"'core:about' has a row in one/access_table.py and in two/"):
        merged_rows({}, tmp_path)
    (tmp_path / "two" / "access_table.py").write_text('ROWS = {"health": ({}, {"anonymous": 200})}\n')
    with pytest.raises(ValueError, match=r"'health' has a row in test_access_table.py and in two/"):
        merged_rows({"health": ({}, everyone(200))}, tmp_path)


def test_every_app_table_is_found() -> None:
    """The apps of the foundation and care each hold their rows; every row has an answer for every role."""
    assert {path.parent.name for path in table_files()} >= WITH_ROWS
    incomplete = sorted(name for name, (_kwargs, expected) in TABLE.items() if set(expected) != set(ROLES))
    assert incomplete == [], f"rows without an answer for every role: {incomplete}"


def url_names(patterns: list[Any] | None = None, namespace: str = "") -> Iterator[str]:
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            yield f"{namespace}:{name}" if namespace else name


def table_key(name: str) -> str:
    return "admin:*" if name.startswith("admin:") else UNNAMED_TWINS.get(name, name)


def test_every_url_has_a_row() -> None:
    names = {table_key(name) for name in url_names()} - {"<unnamed ^api/>"}
    missing = sorted(names - set(TABLE))
    assert missing == [], f"URLs without an access rule in the table: {missing}"
    stale = sorted(set(TABLE) - names)
    assert stale == [], f"rows for URLs that no longer exist: {stale}"


@pytest.fixture
def samples(demo_city: None, resident_in_coordinators_district: Person) -> dict[str, Any]:
    """Every app's placeholders, for the coordinator's district (number 1) and a resident of it."""
    district = District.objects.get(number=1)
    found: dict[str, Any] = {"@resident": resident_in_coordinators_district.pk}
    for module in APP_TABLES:
        if hasattr(module, "samples"):
            given = module.samples(district, resident_in_coordinators_district)
            assert not set(given) & set(found), f"{module.__name__} gives placeholders given already"
            found.update(given)
    return found


def resolve_url(name: str, kwargs: dict[str, Any], samples: dict[str, Any]) -> str:
    if name == "admin:*":
        return reverse("admin:index")
    filled = {
        key: samples[value] if isinstance(value, str) and value.startswith("@") else value
        for key, value in kwargs.items()
    }
    return reverse(name, kwargs=filled)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_everywhere(
    role: str, client_as: Callable[[str], Client], samples: dict[str, Any]
) -> None:
    client = client_as(role)
    wrong = []
    for name, (kwargs, expected) in TABLE.items():
        url = resolve_url(name, kwargs, samples)
        status = client.get(url).status_code
        if status != expected[role]:
            wrong.append(f"{name} {url}: {status}, expected {expected[role]}")
    assert wrong == []
