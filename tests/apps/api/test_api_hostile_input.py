"""Every API operation × every kind of hostile input: never a server error, always the JSON error shape, and a
refusal that changes nothing (issue 12, part 5; docs/security.md "No server error from any input").

Runs in the fast suite (SQLite) and the database suite (PostgreSQL, which refuses a NUL character in text and
integers beyond 64 bits).  The operations are read from the OpenAPI document, so a new one is covered the day
it is added.  Each case sends one hostile value in an otherwise ordinary request as the coordinator (the role
that may call the most operations), with the CSRF token a browser would send.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from apps.people.demo import DEMO_ACCOUNTS
from cityofpeople.api import api

CSRF_TOKEN = "hostileInputCsrfToken0123456789a"  # 32 characters, as Django's own tokens
HUGE_FLOAT = "__huge_float__"  # replaced by 1e400 in the JSON text (Python's json reads it as Infinity)
SCHEMA = api.get_openapi_schema(path_prefix="/api/v1/")
COMPONENTS = SCHEMA["components"]["schemas"]
OPERATIONS = [(method.upper(), path) for path, ops in SCHEMA["paths"].items() for method in ops]
NUL_TEXTS = ["a\x00b", "\x00"]
SURROGATE_TEXTS = ["a\ud800b", "\udfff"]
HOSTILE_NUMBERS: list[Any] = [float("nan"), float("inf"), float("-inf"), 10**20, -(10**20), HUGE_FLOAT]
HOSTILE_NUMBER_TEXTS = ["NaN", "Infinity", "-Infinity", "99999999999999999999", "1e400"]
MULTIPART = b"--x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x--"
# bodies that are not what the API reads, with the content type they are sent as
MALFORMED_BODIES: list[tuple[str, bytes, str]] = [
    ("invalid JSON", b'{"a": ', "application/json"),
    ("a list instead of an object", b"[1, 2, 3]", "application/json"),
    ("a bare string", b'"x"', "application/json"),
    ("a bare NaN", b"NaN", "application/json"),
    ("null", b"null", "application/json"),
    ("empty", b"", "application/json"),
    ("deeply nested", b"[" * 100_000 + b"]" * 100_000, "application/json"),
    ("deeply nested objects", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "application/json"),
    ("not UTF-8", b'{"a": "\xff\xfe"}', "application/json"),
    ("a lone surrogate as an escape", b'{"a": "\\ud800", "category": "\\udc00"}', "application/json"),
    ("a NUL as an escape in a key", b'{"\\u0000": 1}', "application/json"),
    ("plain text", b"hello", "text/plain"),
    ("a form", b"a=1&b=%00", "application/x-www-form-urlencoded"),
    ("multipart without boundary", MULTIPART, "multipart/form-data"),
    ("multipart with a broken body", b"garbage", "multipart/form-data; boundary=zzz"),
    ("JSON under another name", b"{}", "application/xml"),
]  # fmt: skip
# values an operation accepts, so that the hostile value next to them is read by the service, not refused earlier
SAMPLES: dict[str, Any] = {
    "category": "shopping",
    "categories": ["shopping"],
    "languages": ["nl"],
    "slots": [{"weekday": 1, "start": "09:00", "end": "12:00"}],
    "hours": 1.5,
    "max_distance_km": 3.0,
    "proposal_ids": None,
    "person_id": None,
}
KNOWN_PATTERN_SAMPLES = ["09:00", "care_matching", "phone", "online", "coordinator", "organisation_staff", "helper"]


@dataclass
class Attack:
    name: str
    body: bytes | None = None
    content_type: str = "application/json"
    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    refused: bool = True  # must be a 4xx: the hostile value was read by the operation


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return resolve(COMPONENTS[schema["$ref"].rsplit("/", 1)[1]])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [resolve(o) for o in schema[key] if o.get("type") != "null"]
            return {**options[0], **{k: v for k, v in schema.items() if k not in {key}}} if options else {}
    return schema


def example(schema: dict[str, Any], name: str = "") -> Any:
    """An ordinary value for the schema, with every optional property filled in (so each can be attacked)."""
    if name in SAMPLES:
        return SAMPLES[name]
    schema = resolve(schema)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        return {key: example(inner, key) for key, inner in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(schema.get("items", {"type": "string"}))]
    if kind == "boolean":
        return False  # never {"confirm": true}: an erasure is not something to try
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1.0, float(schema.get("minimum", 1)))
    if schema.get("format") == "date":
        return str(timezone.localdate() + timedelta(days=3))
    if schema.get("format") == "date-time":
        return (timezone.localtime() + timedelta(days=3)).replace(microsecond=0).isoformat()
    if "pattern" in schema:
        return next((s for s in KNOWN_PATTERN_SAMPLES if re.search(schema["pattern"], s)), "x")
    return "xyz"


def leaves(value: Any, where: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, (*where, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from leaves(inner, (*where, index))
    else:
        yield where, value


def replaced(value: Any, where: tuple[Any, ...], new: Any) -> Any:
    if not where:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[where[0]] = replaced(value[where[0]], where[1:], new)
    return copy


def as_json(body: Any) -> bytes:
    return json.dumps(body).replace(f'"{HUGE_FLOAT}"', "1e400").encode()


def attacks(method: str, path: str, ids: dict[str, Any] | None = None) -> Iterator[Attack]:
    """One request per hostile value; ``ids`` names real objects for the path (the coordinator's own)."""
    operation = SCHEMA["paths"][path][method.lower()]
    parameters = operation.get("parameters", [])
    ordinary = {p["name"]: (ids or {}).get(p["name"], example(p["schema"])) for p in parameters}
    path_values = {p["name"]: str(ordinary[p["name"]]) for p in parameters if p["in"] == "path"}
    query_values = {p["name"]: str(ordinary[p["name"]]).lower() for p in parameters if p["in"] == "query"}
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    body = example(content["schema"]) if content else None
    plain = {"path": path_values, "query": query_values}

    for parameter in parameters:
        name, place = parameter["name"], parameter["in"]
        kind = resolve(parameter["schema"]).get("type")
        hostile = [*NUL_TEXTS] if kind == "string" else HOSTILE_NUMBER_TEXTS if kind in {"integer", "number"} else []
        for text in hostile:
            values = {**plain, place: {**plain[place], name: text}}
            yield Attack(f"{place} {name}={text!r}", as_json(body) if content else None, **values)
    if content:
        for where, value in leaves(body):
            if isinstance(value, str):
                for text in NUL_TEXTS + SURROGATE_TEXTS:
                    yield Attack(f"body {where}={text!r}", as_json(replaced(body, where, text)), **plain)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                for number in HOSTILE_NUMBERS:
                    yield Attack(f"body {where}={number!r}", as_json(replaced(body, where, number)), **plain)
    for name, raw, content_type in MALFORMED_BODIES:
        yield Attack(f"body: {name}", raw, content_type, refused=content is not None, **plain)
    too_large = b'{"a": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440) + b'"}'
    yield Attack("body: larger than DATA_UPLOAD_MAX_MEMORY_SIZE", too_large, **plain)
    yield Attack("form larger than allowed", b"a=" + b"x" * 2_700_000, "application/x-www-form-urlencoded", **plain)


def send(client: Client, method: str, path: str, attack: Attack) -> HttpResponse:
    url = path.format(**{name: _quote(value) for name, value in attack.path.items()})
    if attack.query:
        url += "?" + "&".join(f"{_quote(k)}={_quote(v)}" for k, v in attack.query.items())
    extra: dict[str, Any] = {"HTTP_X_CSRFTOKEN": CSRF_TOKEN, "HTTP_ACCEPT_LANGUAGE": "en"}
    with transaction.atomic():  # on PostgreSQL a failed statement would spoil the rest of the test
        if attack.body is None:
            return client.generic(method, url, **extra)
        return client.generic(method, url, data=attack.body, content_type=attack.content_type, **extra)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for label in ("people", "care", "organisations")
        for model in apps.get_app_config(label).get_models()
    }


def is_error_shape(response: HttpResponse) -> bool:
    if response["Content-Type"].split(";")[0] != "application/json":
        return False
    data = json.loads(response.content)
    return isinstance(data, dict) and isinstance(data.get("detail"), str) and bool(data["detail"])


@pytest.fixture
def real_ids(demo_city: None) -> dict[str, Any]:
    """Objects of the demo city the coordinator may act on, so that hostile values reach the services."""
    from apps.care.models import AvailabilityException, CareRequest, HelperOffer, Match, MatchingRound
    from apps.people.models import Person, Role

    tom = Person.objects.get(user__username=next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR).email)
    grant = tom.roles.get(role=Role.COORDINATOR)
    mine = CareRequest.objects.filter(district_id=grant.district_id)
    match = Match.objects.filter(request__in=mine, status__in=Match.HOLDING).order_by("pk").first()
    offer = HelperOffer.objects.order_by("pk").first()
    assert match is not None and offer is not None
    away = AvailabilityException.objects.create(
        offer=offer,
        first_day=timezone.localdate() + timedelta(days=20),
        last_day=timezone.localdate() + timedelta(days=22),
    )
    resident = Person.objects.filter(district_id=grant.district_id, user__isnull=True).order_by("pk").first()
    assert resident is not None
    return {
        "request_id": mine.filter(status="open").order_by("pk").values_list("pk", flat=True).first(),
        "match_id": match.pk,
        "helper_id": match.helper_id,
        "person_id": resident.pk,
        "assignment_id": resident.roles.order_by("pk").values_list("pk", flat=True).first(),
        "round_id": MatchingRound.objects.create(district_id=grant.district_id, started_by=tom).pk,
        "away_id": away.pk,
        "slug": grant.organisation.slug if grant.organisation else "x",
        "purpose": "care_matching",
        "number": 1,
    }


@pytest.fixture
def coordinator(demo_city: None) -> Client:
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == "coordinator")
    client.force_login(get_user_model().objects.get(username=account.email))
    client.cookies["csrftoken"] = CSRF_TOKEN
    return client


def test_every_operation_is_covered() -> None:
    assert len(OPERATIONS) >= 60
    assert sum(1 for method, path in OPERATIONS for _ in attacks(method, path)) > 1000


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_hostile_input_gives_a_json_error_and_changes_nothing(
    method: str, path: str, coordinator: Client, real_ids: dict[str, Any]
) -> None:
    before = row_counts()
    wrong: list[str] = []
    for attack in attacks(method, path, real_ids):
        response = send(coordinator, method, path, attack)
        status = response.status_code
        if status >= 500 or (attack.refused and not 400 <= status < 500):
            wrong.append(f"{attack.name}: {status} {response.content[:160]!r}")
        elif status >= 400 and not is_error_shape(response):
            wrong.append(f"{attack.name}: {status} is not JSON {{'detail': ...}}: {response.content[:160]!r}")
    assert wrong == [], f"{method} {path}:\n" + "\n".join(wrong)
    assert row_counts() == before, f"{method} {path}: a refused request changed rows"


# --- errors raised outside the operations are JSON too --------------------------------------------------------


@pytest.mark.django_db
def test_a_method_not_allowed_is_json_and_says_which_are(coordinator: Client) -> None:
    response = coordinator.generic("PATCH", "/api/v1/care/offer", HTTP_X_CSRFTOKEN=CSRF_TOKEN)
    assert response.status_code == 405
    assert is_error_shape(response)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PUT"}


@pytest.mark.django_db
def test_an_unknown_host_is_a_json_error_on_the_api() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/districts", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert is_error_shape(response)


def test_a_server_error_inside_the_api_is_json_and_reported() -> None:
    from django.core import signals
    from django.test import RequestFactory

    reported: list[object] = []

    def report(**kwargs: object) -> None:
        reported.append(kwargs["request"])

    signals.got_request_exception.connect(report)
    request = RequestFactory().get("/api/v1/districts")
    try:
        try:
            raise RuntimeError("a bug")
        except RuntimeError as error:
            response = api.on_exception(request, error)
    finally:
        signals.got_request_exception.disconnect(report)
    assert response.status_code == 500
    assert is_error_shape(response)
    assert reported == [request]


def test_a_server_error_before_the_api_is_json() -> None:
    from django.http import HttpResponseServerError
    from django.test import RequestFactory

    from apps.core.middleware import InputGuardMiddleware

    guard = InputGuardMiddleware(lambda request: HttpResponseServerError("<h1>Server Error (500)</h1>"))
    response = guard(RequestFactory().get("/api/v1/districts"))
    assert response.status_code == 500
    assert is_error_shape(response)
    page = guard(RequestFactory().get("/nl/"))
    assert page.status_code == 500 and b"<h1>" in page.content  # pages keep their own error page


def test_every_operation_documents_the_error_shape() -> None:
    for method, path in OPERATIONS:
        responses = SCHEMA["paths"][path][method.lower()]["responses"]
        assert {"400", "413", "422", "500"} <= set(responses), (method, path)
        assert responses["500"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_every_integer_of_the_document_says_the_range_the_api_accepts() -> None:
    """A client (and schemathesis, which sent -23372542886103891968 as a district number and took the 422 for a
    valid request refused) reads from the document that integers beyond 64 bits are refused."""
    from apps.core.inputs import MAX_INTEGER

    found = []
    stack: list[Any] = [SCHEMA]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("type") == "integer":
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    assert len(found) > 20
    assert all(i.get("maximum", 2**64) <= MAX_INTEGER and i.get("minimum", -(2**64)) >= -MAX_INTEGER for i in found)
