"""Schemathesis against our own OpenAPI document: no server error, every answer as documented,
and nothing personal for a role that may not see it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

import pytest
import schemathesis
from django.conf import settings as settings_module
from django.contrib.auth import get_user_model
from django.core.wsgi import get_wsgi_application
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
    "/api/v1/me/export.csv",
    "/api/v1/me/erase",
    "/api/v1/persons",
    "/api/v1/persons/{person_id}",
    "/api/v1/persons/{person_id}/consents",
    "/api/v1/persons/{person_id}/export",
    "/api/v1/persons/{person_id}/export.csv",
    "/api/v1/persons/{person_id}/erase",
    "/api/v1/persons/{person_id}/roles/{assignment_id}",
    "/api/v1/access-log",
    "/api/v1/me/consents/{purpose}",
    "/api/v1/persons/{person_id}/consents/{purpose}",
    # wellbeing (issue 17): a neighbour's reports, a person's signals, outreach cases and screenings
    "/api/v1/wellbeing/reports",
    "/api/v1/wellbeing/reports/{report_id}",
    "/api/v1/wellbeing/reports/{report_id}/pick-up",
    "/api/v1/wellbeing/reports/{report_id}/open-case",
    "/api/v1/wellbeing/signals",
    "/api/v1/wellbeing/signals/mine",
    "/api/v1/wellbeing/signals/{signal_id}",
    "/api/v1/wellbeing/signals/{signal_id}/triage",
    "/api/v1/wellbeing/cases",
    "/api/v1/wellbeing/cases/{case_id}",
    "/api/v1/wellbeing/screenings/mine",
    "/api/v1/wellbeing/screenings/{screening_id}",
    "/api/v1/wellbeing/persons/{person_id}/screenings",
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
# care matching has its own tests below: one demo city per role for all its operations, not one per operation
CARE = r"^/api/v1/care/"
general = schema.exclude(path_regex=CARE)


def session_cookie(role: str) -> dict[str, str]:
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == role)
    client = Client()
    client.force_login(get_user_model().objects.get(username=account.email))
    return {"sessionid": client.cookies["sessionid"].value}


@pytest.mark.django_db
@general.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_anonymous_gets_no_personal_data_and_no_server_error(case: Any, demo_city: None) -> None:
    response = case.call()
    assert response.status_code < 500, response.text[:300]
    if case.path in PERSONAL:
        assert response.status_code in {401, 403, 405, 422}, f"{case.method} {case.path}: {response.status_code}"
    else:
        case.validate_response(response)


@pytest.mark.django_db
@general.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_helper_sees_only_their_own_data(case: Any, demo_city: None) -> None:
    response = case.call(cookies=session_cookie("helper"))
    assert response.status_code < 500, response.text[:300]
    if case.path.startswith(("/api/v1/persons", "/api/v1/access-log")) and case.method == "GET":
        assert response.status_code in {403, 404, 405, 422}, f"{case.method} {case.path}: {response.status_code}"


@pytest.mark.django_db
@general.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_coordinator_answers_are_as_documented(case: Any, demo_city: None) -> None:
    response = case.call(cookies=session_cookie("coordinator"))
    assert response.status_code < 500, response.text[:300]
    if case.method == "GET":
        case.validate_response(response, checks=SIGNED_IN_CHECKS)


# --- care matching ------------------------------------------------------------------------------------------
# Every care operation as anonymous, resident, helper and coordinator, in one test per role (the demo city is
# loaded once per role).  Path ids are drawn at random and from the demo's real objects (Rosa's requests, the
# proposal waiting for Yasmine, a round of Tom's, ...), so the answers for objects that exist and belong to
# someone else are exercised too.  Writes go through (with a CSRF token), so the state moves as examples run.

CARE_EXAMPLES = 4
CSRF_TOKEN = "schemathesisCsrfToken0123456789a"  # 32 characters, as Django's own tokens
NEVER_BEFORE_ACCEPTING = {"person_id", "person_name", "last_name", "phone", "street", "house_number", "postcode",
                          "description", "visit", "email", "address"}  # fmt: skip
HOLDING_OR_HELD = {"accepted", "planned", "done"}


def keys_outside_categories(data: Any) -> set[str]:
    """Every key of a JSON answer, except inside a category (whose own description is public)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            found.add(key)
            if key != "category":
                found |= keys_outside_categories(value)
    elif isinstance(data, list):
        for value in data:
            found |= keys_outside_categories(value)
    return found


def real_ids() -> dict[str, list[int]]:
    """Ids of the demo's care objects, per path parameter name."""
    from apps.care.models import AvailabilityException, CareRequest, HelperOffer, Match, MatchingRound
    from apps.people.models import Person, Role

    tom = Person.objects.get(user__username=next(a for a in DEMO_ACCOUNTS if a.role == Role.COORDINATOR).email)
    district_id = tom.roles.get(role=Role.COORDINATOR).district_id
    yasmine = HelperOffer.objects.get(
        person__user__username=next(a for a in DEMO_ACCOUNTS if a.role == Role.HELPER).email
    )
    away = AvailabilityException.objects.create(
        offer=yasmine,
        first_day=timezone.localdate() + timedelta(days=20),
        last_day=timezone.localdate() + timedelta(days=22),
    )
    near_yasmine = CareRequest.objects.filter(status="open", district_id=yasmine.person.district_id).exclude(
        person__user__isnull=False
    )
    return {
        "request_id": [
            *CareRequest.objects.order_by("pk").values_list("pk", flat=True)[:6],
            *near_yasmine.order_by("pk").values_list("pk", flat=True)[:3],
        ],
        "district_id": [district_id],
        "match_id": list(Match.objects.order_by("pk").values_list("pk", flat=True)),
        "helper_id": [yasmine.pk, *HelperOffer.objects.exclude(pk=yasmine.pk).values_list("pk", flat=True)[:2]],
        "round_id": [MatchingRound.objects.create(district_id=district_id, started_by=tom).pk],
        "away_id": [away.pk],
    }


def sensible_bodies(ids: dict[str, list[int]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Bodies a real client would send, so that writes also succeed and their answers are checked."""
    day = timezone.localdate() + timedelta(days=2)
    start = timezone.make_aware(datetime.combine(day, time(10)))
    when = {"start": start.isoformat(), "end": (start + timedelta(hours=2)).isoformat()}
    return {
        ("POST", "/api/v1/care/requests"): {"category": "shopping", "windows": [when], "languages": ["nl"]},
        ("POST", "/api/v1/care/requests/{request_id}/propose"): {"helper_id": ids["helper_id"][0]},
        ("POST", "/api/v1/care/matches/{match_id}/plan"): when,
        ("POST", "/api/v1/care/matches/{match_id}/done"): {"hours": 1.5, "feedback": "Goed."},
        ("POST", "/api/v1/care/matches/{match_id}/decline"): {"reason": "Examens."},
        ("POST", "/api/v1/care/matches/{match_id}/cancel"): {"reason": "Ziek."},
        ("POST", "/api/v1/care/matches/{match_id}/feedback"): {"feedback": "Fijn.", "same_helper_again": True},
        ("POST", "/api/v1/care/requests/{request_id}/cancel"): {"reason": "Niet meer nodig."},
        ("PUT", "/api/v1/care/offer"): {
            "categories": ["shopping", "company"],
            "languages": ["nl", "en"],
            "max_distance_km": 3,
            "slots": [{"weekday": d, "start": "09:00", "end": "18:00"} for d in range(6)],
        },
        ("POST", "/api/v1/care/offer/away"): {"first_day": str(day), "last_day": str(day + timedelta(days=2))},
        ("POST", "/api/v1/care/rounds"): {"district_id": ids["district_id"][0]},
        ("POST", "/api/v1/care/rounds/{round_id}/confirm"): {"proposal_ids": None},
    }


def care_strategy(operation: Any, ids: dict[str, list[int]]) -> st.SearchStrategy[Any]:
    """Random cases, and cases whose path names real objects of the demo city, with a sensible body."""
    names = [p.name for p in operation.path_parameters]
    real = st.fixed_dictionaries({name: st.sampled_from(ids[name]) for name in names})
    body = sensible_bodies(ids).get((operation.method.upper(), operation.path))
    extra = {} if body is None else {"body": body}
    return st.one_of(
        operation.as_strategy(), real.flatmap(lambda params: operation.as_strategy(path_parameters=params, **extra))
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "resident", "helper", "coordinator"])
def test_care_answers_are_as_documented_for_each_role(role: str, demo_city: None) -> None:
    ids = real_ids()
    cookies = {"csrftoken": CSRF_TOKEN, **(session_cookie(role) if role != "anonymous" else {})}
    headers = {"X-CSRFToken": CSRF_TOKEN, "Accept-Language": "en"}
    operations = [result.ok() for result in schema.include(path_regex=CARE).get_all_operations()]
    assert len(operations) >= 25

    for operation in operations:

        @given(case=care_strategy(operation, ids))
        @settings(max_examples=CARE_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case: Any) -> None:
            response = case.call(cookies=cookies, headers=headers)
            label = f"{role}: {case.method} {case.formatted_path}"
            assert response.status_code < 500, f"{label}: {response.text[:300]}"
            case.validate_response(response, checks=SIGNED_IN_CHECKS)
            if role == "anonymous" and case.path != "/api/v1/care/categories":
                assert response.status_code == 401, f"{label}: {response.status_code}"
            if case.path == "/api/v1/care/requests/near-me" and response.status_code == 200:
                assert keys_outside_categories(response.json()) & NEVER_BEFORE_ACCEPTING == set(), label
            helpers_match = role == "helper" and case.path == "/api/v1/care/matches/{match_id}"
            if helpers_match and response.status_code == 200 and response.json()["status"] not in HOLDING_OR_HELD:
                assert response.json()["visit"] is None, label

        check()
