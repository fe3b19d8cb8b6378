"""Schemathesis against our own OpenAPI document: no server error, every answer as documented,
and nothing personal for a role that may not see it."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.conf import settings as settings_module
from django.contrib.auth import get_user_model
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.people.demo import DEMO_ACCOUNTS

# what a signed-in session must meet; "ignored auth" does not apply (the session cookie is always sent)
SIGNED_IN_CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

PERSONAL = {
    "/api/v1/me",
    "/api/v1/me/roles",
    "/api/v1/me/consents",
    "/api/v1/me/reads",
    "/api/v1/me/export",
    "/api/v1/persons",
    "/api/v1/persons/{person_id}",
    "/api/v1/persons/{person_id}/consents",
    "/api/v1/persons/{person_id}/export",
    "/api/v1/access-log",
    "/api/v1/me/consents/{purpose}",
    "/api/v1/persons/{person_id}/consents/{purpose}",
}


# the schema and its answers do not depend on the database engine: the fast suite (SQLite) runs these once
pytestmark = pytest.mark.skipif(
    settings_module.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="run once, in the fast suite"
)
APPLICATION = get_wsgi_application()


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """The WSGI app as a server runs it: a server always sets the client's address."""
    environ.setdefault("REMOTE_ADDR", "127.0.0.1")
    return APPLICATION(environ, start_response)


# reading the document touches no database, so it can be loaded when the tests are collected
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def session_cookie(role: str) -> dict[str, str]:
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    client = Client()
    client.force_login(get_user_model().objects.get(username=account.email))
    return {"sessionid": client.cookies["sessionid"].value}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous_gets_no_personal_data_and_no_server_error(case: Any, demo_city: None) -> None:
    response = case.call()
    assert response.status_code < 500, response.text[:300]
    if case.path in PERSONAL:
        assert response.status_code in {401, 403, 405, 422}, f"{case.method} {case.path}: {response.status_code}"
    else:
        case.validate_response(response)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_helper_sees_only_their_own_data(case: Any, demo_city: None) -> None:
    response = case.call(cookies=session_cookie("helper"))
    assert response.status_code < 500, response.text[:300]
    if case.path.startswith(("/api/v1/persons", "/api/v1/access-log")) and case.method == "GET":
        assert response.status_code in {403, 404, 405, 422}, f"{case.method} {case.path}: {response.status_code}"


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_coordinator_answers_are_as_documented(case: Any, demo_city: None) -> None:
    response = case.call(cookies=session_cookie("coordinator"))
    assert response.status_code < 500, response.text[:300]
    if case.method == "GET":
        case.validate_response(response, checks=SIGNED_IN_CHECKS)
