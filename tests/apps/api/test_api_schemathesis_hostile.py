"""Schemathesis with hostile values, as every role, on both databases: zero server errors, and every error
is JSON ``{"detail": "..."}`` with a status the OpenAPI document declares (issue 12, part 5).

Each case starts from what schemathesis generates for the operation and then makes one part of it hostile:
a text with a NUL character or a lone surrogate, a number that is NaN, Infinity or beyond 64 bits, or a body
that is not a JSON object at all (broken JSON, another content type, a multipart body without boundary,
deep nesting, bytes that are not UTF-8).  Deterministic (``derandomize``) and bounded: a few examples per
operation per role, the demo city loaded once per role.  Writes go through with a CSRF token, so the state
moves as examples run.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from apps.people.demo import DEMO_ACCOUNTS

EXAMPLES_PER_OPERATION = 3
ROLES = ["anonymous", "resident", "helper", "coordinator", "organisation_staff", "city_staff", "administrator",
         "auditor"]  # fmt: skip
CSRF_TOKEN = "schemathesisCsrfToken0123456789b"
APPLICATION = get_wsgi_application()


def application(environ: dict[str, Any], start_response: Any) -> Any:
    environ.setdefault("REMOTE_ADDR", "127.0.0.1")
    return APPLICATION(environ, start_response)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

BAD_CHARACTERS = st.sampled_from(["\x00", "\x00\x00", "\ud800", "\udfff", "\udbff\x00"])
PRINTABLE = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=6)
HOSTILE_TEXT = st.builds(lambda before, bad, after: before + bad + after, PRINTABLE, BAD_CHARACTERS, PRINTABLE)
WORD = st.text(string.ascii_letters + string.digits + "-_", max_size=6)
HOSTILE_URL_TEXT = st.builds(lambda before, after: before + "\x00" + after, WORD, WORD)
HOSTILE_NUMBER = st.one_of(
    st.sampled_from([float("nan"), float("inf"), float("-inf"), 2**63, -(2**63) - 1, 10**30, 1e308, -1.7e308]),
    st.integers(min_value=2**63, max_value=10**40),
    st.integers(max_value=-(2**63) - 1, min_value=-(10**40)),
)
MALFORMED = st.one_of(
    st.sampled_from(
        [
            (b'{"a": ', "application/json"),
            (b"[1, 2]", "application/json"),
            (b"NaN", "application/json"),
            (b"Infinity", "application/json"),
            (b"", "application/json"),
            (b"[" * 50_000 + b"]" * 50_000, "application/json"),
            (b'{"x": "\xff\xfe"}', "application/json"),
            (b'{"\\u0000": "\\ud800"}', "application/json"),
            (b"a=1&b=%00", "application/x-www-form-urlencoded"),
            (b"--b\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--b--", "multipart/form-data"),
            (b"garbage", "multipart/form-data; boundary=b"),
            (b"<a/>", "application/xml"),
        ]
    ),
    st.tuples(st.binary(max_size=40), st.sampled_from(["application/json", "text/plain"])),
)


def _leaves(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [leaf for key, inner in value.items() for leaf in _leaves(inner, (*where, key))]
    if isinstance(value, list):
        return [leaf for index, inner in enumerate(value) for leaf in _leaves(inner, (*where, index))]
    return [(where, value)]


def _replaced(value: Any, where: tuple[Any, ...], new: Any) -> Any:
    if not where:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[where[0]] = _replaced(value[where[0]], where[1:], new)
    return copy


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@st.composite
def hostile_case(draw: st.DrawFn, operation: Any) -> tuple[Any, dict[str, Any]]:
    """A generated case with one hostile part, and the extra arguments of ``case.call``."""
    case = draw(operation.as_strategy())
    has_body = operation.body and case.body is not None and not isinstance(case.body, bytes)
    places = [(name, getattr(case, name) or {}) for name in ("path_parameters", "query")]
    targets: list[tuple[str, tuple[Any, ...], Any]] = [
        (name, where, value) for name, values in places for where, value in _leaves(values) if where
    ]
    if has_body:
        targets += [("body", where, value) for where, value in _leaves(case.body)]
    texts = [t for t in targets if isinstance(t[2], str)]
    numbers = [t for t in targets if _is_number(t[2])]
    kinds = [kind for kind, present in (("text", texts), ("number", numbers), ("raw", has_body)) if present]
    if not kinds:
        return case, {}
    kind = draw(st.sampled_from(kinds))
    if kind == "raw":
        raw, content_type = draw(MALFORMED)
        return case, {"data": raw, "headers": {"Content-Type": content_type}}
    place, where, _ = draw(st.sampled_from(texts if kind == "text" else numbers))
    if kind == "text":
        new: Any = draw(HOSTILE_TEXT if place == "body" else HOSTILE_URL_TEXT)
    else:
        new = draw(HOSTILE_NUMBER)
        new = new if place == "body" else str(new)
    body = case.body if has_body else None
    if place == "body":  # kept out of the case: schemathesis checks its own cases and cannot encode a surrogate
        body = _replaced(body, where, new)
    else:
        setattr(case, place, _replaced(getattr(case, place), where, new))
    if has_body:  # sent as the bytes a client would send: NaN and Infinity as JSON's common extension writes them
        return case, {"data": json.dumps(body).encode(), "headers": {"Content-Type": "application/json"}}
    return case, {}


@pytest.fixture
def kept_connection() -> Iterator[None]:
    """The test's database transaction stays open across the WSGI requests (as Django's test client keeps it):
    Django closes a connection whose autocommit differs from the settings when a request starts and ends,
    which on PostgreSQL would close the connection that holds the test's transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


def session_cookies(role: str) -> dict[str, str]:
    cookies = {"csrftoken": CSRF_TOKEN}
    if role != "anonymous":
        account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
        client = Client()
        client.force_login(get_user_model().objects.get(username=account.email))
        cookies["sessionid"] = client.cookies["sessionid"].value
    return cookies


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_hostile_values_never_give_a_server_error(role: str, demo_city: None, kept_connection: None) -> None:
    cookies = session_cookies(role)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 60
    failures: list[str] = []

    for operation in operations:

        @given(drawn=hostile_case(operation))
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found, quickly
            suppress_health_check=list(HealthCheck),
        )
        def check(drawn: tuple[Any, dict[str, Any]]) -> None:
            case, extra = drawn
            headers = {"X-CSRFToken": CSRF_TOKEN, "Accept-Language": "en", **extra.pop("headers", {})}
            response = case.call(cookies=cookies, headers=headers, **extra)
            label = f"{role}: {case.method} {case.formatted_path} {case.query} {extra or case.body!r:.200}"
            assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:200]}"
            if response.status_code >= 400:
                content_type = response.headers.get("content-type", [""])[0].split(";")[0]
                assert content_type == "application/json", f"{label}: {response.status_code} {content_type}"
                detail = json.loads(response.content).get("detail")
                assert isinstance(detail, str) and detail, f"{label}: {response.text[:200]}"
                case.validate_response(
                    response, checks=[not_a_server_error, status_code_conformance, content_type_conformance]
                )

        try:
            check()
        except AssertionError as error:  # one failure per operation is enough to see; go on with the others
            failures.append(str(error)[:600])
    assert failures == [], "\n\n".join(failures)
