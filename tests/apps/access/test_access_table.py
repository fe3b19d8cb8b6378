"""One table: every URL of the project × every role → the expected answer.

A new URL without a row here fails ``test_every_url_has_a_row``, so no page or
endpoint can be added without deciding who may reach it.  Object pages use a
resident of the coordinator's district; for everyone else that id must answer
exactly like an id that does not exist (404).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.organisations.demo import DEMO_ORGANISATION
from apps.people.models import Person
from apps.places.models import District, Place

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
# allauth also registers unnamed copies of some social-account paths; they answer like their named twin
UNNAMED_TWINS = {
    "<unnamed social/connections/>": "socialaccount_connections",
    "<unnamed social/login/cancelled/>": "socialaccount_login_cancelled",
    "<unnamed social/login/error/>": "socialaccount_login_error",
    "<unnamed social/signup/>": "socialaccount_signup",
}

pytestmark = pytest.mark.django_db


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **dict.fromkeys(SIGNED_IN, status)}


def only(roles: set[str], allowed: int = 200, others: int = 403, anonymous: int = 302) -> dict[str, int]:
    return {"anonymous": anonymous, **{role: allowed if role in roles else others for role in SIGNED_IN}}


def anonymous_only(status: int = 200, signed_in_status: int = 302) -> dict[str, int]:
    return {"anonymous": status, **dict.fromkeys(SIGNED_IN, signed_in_status)}


# url name -> (kwargs, {role: status}).  Kwargs strings starting with "@" are filled from the demo city.
TABLE: dict[str, tuple[dict[str, Any], dict[str, int]]] = {
    "health": ({}, everyone(200)),
    "security_txt": ({}, everyone(200)),
    "set_language": ({}, everyone(302)),  # GET goes back to the page
    "core:home": ({}, everyone(200)),
    "core:about": ({}, everyone(200)),
    "places:district_list": ({}, everyone(200)),
    "places:district_detail": ({"slug": "@district"}, everyone(200)),
    "places:place_detail": ({"slug": "@place"}, everyone(200)),
    "places:address_search": ({}, everyone(200)),
    "people:my_profile": ({}, signed_in(200)),
    "people:my_roles": ({}, signed_in(200)),
    "people:my_consents": ({}, signed_in(200)),
    "people:my_reads": ({}, signed_in(200)),
    "people:my_data": ({}, signed_in(200)),
    "people:my_export": ({}, signed_in(200)),
    "people:person_search": ({}, only({"coordinator"})),
    "people:person_register": ({}, only({"coordinator"})),
    "people:person_detail": ({"person_id": "@resident"}, only({"coordinator"}, others=404)),
    "people:person_export": ({"person_id": "@resident"}, only({"coordinator"}, others=404)),
    "people:person_erase": ({"person_id": "@resident"}, only({"coordinator"}, others=404)),
    "access:log_search": ({}, only({"auditor"})),
    "access:activity": ({}, only({"auditor"})),  # unusual activity per account and day
    "people:place_changes": ({}, only({"auditor"})),  # changes of home and reach, one by one
    "organisations:my_organisation": ({}, only({"organisation_staff"})),
    "organisations:organisation_list": ({}, only({"city_staff", "administrator"})),
    "organisations:organisation_detail": (
        {"slug": "@organisation"},
        only({"organisation_staff", "city_staff", "administrator"}, others=404),
    ),
    "organisations:organisation_edit": (
        {"slug": "@organisation"},
        only({"organisation_staff", "administrator"}, others=404),
    ),
    # care matching, the coordinator's pages: object pages of their district are 404 for everyone else
    "care:worklist": ({}, only({"coordinator"})),
    "care:worklist_section": ({"section": "new"}, only({"coordinator"})),  # every row of a worklist section
    "care:take_by_phone": ({"person_pk": "@resident"}, only({"coordinator"}, others=404)),
    "care:request_detail": ({"pk": "@coordinated_request"}, only({"coordinator"}, others=404)),
    "care:propose": ({"pk": "@coordinated_request"}, everyone(405)),  # POST only
    "care:cancel_request": ({"pk": "@coordinated_request"}, only({"coordinator"}, others=404)),
    "care:coordinator_match": ({"pk": "@coordinated_match"}, only({"coordinator"}, others=404)),
    "care:rounds": ({}, only({"coordinator"})),
    "care:round": ({"pk": "@round"}, only({"coordinator"}, others=404)),
    "care:round_confirm": ({"pk": "@round"}, everyone(405)),  # POST only
    "care:call_list": ({}, only({"coordinator"})),
    "care:vetting": ({"pk": "@helper_offer"}, only({"coordinator"}, others=404)),
    # care matching, the resident's pages (Rosa's open request, Yasmine's proposal for it): her own only
    "care:my_requests": ({}, signed_in(200)),
    "care:ask": ({}, signed_in(200)),
    "care:my_request": ({"pk": "@care_request"}, only({"resident"}, others=404)),
    "care:cancel_my_request": ({"pk": "@care_request"}, signed_in(405)),  # POST only
    "care:resident_feedback": ({"pk": "@care_match"}, signed_in(405)),  # POST only
    "care:messages": ({}, signed_in(200)),
    # the helper's pages: anyone may look and sign up; the rest is for helpers (with an offer)
    "care:helper_home": ({}, signed_in(200)),  # without an offer: the invitation to make one
    "care:offer": ({}, signed_in(200)),
    "care:away": ({}, only({"helper"}, others=302)),  # without an offer: to the offer page
    "care:away_remove": ({"pk": 1}, signed_in(405)),  # POST only
    "care:request_summary": ({"pk": "@care_request"}, only({"helper"})),
    "care:take": ({"pk": "@care_request"}, only({"helper"}, allowed=405)),  # POST only
    "care:helper_matches": ({}, only({"helper"})),
    "care:helper_match": ({"pk": "@care_match"}, only({"helper"})),
    "care:match_accept": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    "care:match_decline": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    "care:match_plan": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    "care:match_done": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    "care:match_cancel": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
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
    # our hashed recovery codes (allauth's are switched off): they go with an authenticator app
    "people:recovery_codes": ({}, {**signed_in(302), **dict.fromkeys(STAFF, 200)}),
    # the code step is only for accounts without password and authenticator: others are sent to their step
    "people:reauthenticate_code": ({}, everyone(302)),
    "mfa_reauthenticate": ({}, {**signed_in(302), **dict.fromkeys(STAFF, 200)}),
    "usersessions_list": ({}, signed_in(200)),  # "sign out everywhere"
    "people:phone_signup": ({}, everyone(200)),
    "people:phone_signup_confirm": ({}, everyone(302)),  # no code asked for yet
    # outside sign-in (eID / itsme by OpenID Connect): 404 while no provider is configured
    "openid_connect_login": ({"provider_id": "eid"}, everyone(404)),
    "openid_connect_callback": ({"provider_id": "eid"}, everyone(404)),
    "socialaccount_connections": ({}, signed_in(200)),
    "socialaccount_login_cancelled": ({}, everyone(200)),
    "socialaccount_login_error": ({}, everyone(401)),
    "socialaccount_signup": ({}, everyone(302)),
    # the Django admin: administrators only (anyone else is sent to its login)
    "admin:*": ({}, {**only({"administrator"}, others=302), "anonymous": 302}),
    # the API
    "api:api-root": ({}, everyone(404)),
    "api:openapi-json": ({}, everyone(200)),
    "api:openapi-view": ({}, everyone(200)),
    "api:list_districts": ({}, everyone(200)),
    "api:districts_geojson": ({}, everyone(200)),
    "api:locate": ({}, everyone(422)),  # without coordinates
    "api:get_district": ({"number": 1}, everyone(200)),
    "api:list_places": ({}, everyone(200)),
    "api:get_place": ({"slug": "@place"}, everyone(200)),
    "api:lookup_address": ({}, everyone(422)),  # without a query
    "api:me": ({}, signed_in(200, anonymous=401)),
    "api:my_roles": ({}, signed_in(200, anonymous=401)),
    "api:my_consents": ({}, signed_in(200, anonymous=401)),
    "api:withdraw_my_consent": ({"purpose": "contact_email"}, signed_in(405, anonymous=405)),
    "api:my_reads": ({}, signed_in(200, anonymous=401)),
    "api:my_export": ({}, signed_in(200, anonymous=401)),
    "api:my_export_csv": ({}, signed_in(200, anonymous=401)),
    "api:erase_me": ({}, everyone(405)),  # POST only
    "api:search_persons": ({}, only({"coordinator"}, anonymous=401)),
    "api:get_person": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:person_consents": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:withdraw_consent": ({"person_id": "@resident", "purpose": "contact_email"}, everyone(405)),
    "api:person_export": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:person_export_csv": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:person_erase": ({"person_id": "@resident"}, everyone(405)),  # POST only
    "api:search_log": ({}, only({"auditor"}, anonymous=401)),
    "api:access_activity": ({}, only({"auditor"}, anonymous=401)),
    # care matching in the API: Rosa's open request with Yasmine's proposal waiting, in Tom's district
    "api:care_categories": ({}, everyone(200)),
    "api:care_my_requests": ({}, signed_in(200, anonymous=401)),
    "api:care_request_create": ({}, everyone(405)),
    "api:care_requests_near_me": ({}, only({"helper"}, anonymous=401)),
    "api:care_request_detail": (
        {"request_id": "@care_request"},
        only({"resident", "coordinator"}, others=404, anonymous=401),
    ),
    "api:care_request_cancel": ({"request_id": "@care_request"}, everyone(405)),
    "api:care_request_take": ({"request_id": "@care_request"}, everyone(405)),
    "api:care_request_suggestions": (
        {"request_id": "@care_request"},
        only({"coordinator"}, others=404, anonymous=401),
    ),
    "api:care_request_explain": (
        {"request_id": "@care_request", "helper_id": "@care_helper"},
        only({"coordinator"}, others=404, anonymous=401),
    ),
    "api:care_request_propose": ({"request_id": "@care_request"}, everyone(405)),
    "api:care_my_matches": ({}, signed_in(200, anonymous=401)),  # empty for those who do not help
    "api:care_match_detail": (
        {"match_id": "@care_match"},
        only({"resident", "helper", "coordinator"}, others=404, anonymous=401),
    ),
    "api:care_match_accept": ({"match_id": "@care_match"}, everyone(405)),
    "api:care_match_decline": ({"match_id": "@care_match"}, everyone(405)),
    "api:care_match_check": ({"match_id": "@care_match"}, everyone(405)),
    "api:care_match_plan": ({"match_id": "@care_match"}, everyone(405)),
    "api:care_match_done": ({"match_id": "@care_match"}, everyone(405)),
    "api:care_match_cancel": ({"match_id": "@care_match"}, everyone(405)),
    "api:care_match_feedback": ({"match_id": "@care_match"}, everyone(405)),
    "api:care_my_offer": ({}, only({"helper"}, others=404, anonymous=401)),  # 404: no offer yet
    "api:care_offer_save": ({}, only({"helper"}, others=404, anonymous=401)),  # GET of the same path
    "api:care_offer_away": ({}, everyone(405)),
    "api:care_offer_away_remove": ({"away_id": 1}, everyone(405)),
    "api:care_rounds": ({}, only({"coordinator"}, anonymous=401)),
    "api:care_round_start": ({}, only({"coordinator"}, anonymous=401)),  # GET of the same path
    "api:care_round_detail": ({"round_id": "@care_round"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:care_round_confirm": ({"round_id": "@care_round"}, everyone(405)),
    "api:care_worklist": ({}, only({"coordinator"}, anonymous=401)),
    "api:list_organisations": ({}, signed_in(200, anonymous=401)),  # all, or only the ones they work for
    "api:get_organisation": (
        {"slug": "@organisation"},
        only({"organisation_staff", "city_staff", "administrator"}, others=404, anonymous=401),
    ),
    "api:organisation_staff": (
        {"slug": "@organisation"},
        {**only({"city_staff", "administrator"}, others=404, anonymous=401), "organisation_staff": 403},
    ),
    "api:withdraw_staff_role": ({"slug": "@organisation", "assignment_id": 1}, everyone(405)),
    # POST operations sharing a path with a GET one: the GET answer is checked here, writes in their own tests
    "api:give_my_consent": ({}, signed_in(200, anonymous=401)),
    "api:register_person": ({}, only({"coordinator"}, anonymous=401)),
    "api:record_consent": ({"person_id": "@resident"}, only({"coordinator"}, others=404, anonymous=401)),
    "api:update_me": ({}, signed_in(200, anonymous=401)),
    "api:grant_role": ({"person_id": "@resident"}, everyone(405)),
    "api:withdraw_role": ({"person_id": "@resident", "assignment_id": 1}, everyone(405)),  # DELETE only
    "api:update_organisation": (
        {"slug": "@organisation"},
        only({"organisation_staff", "city_staff", "administrator"}, others=404, anonymous=401),
    ),
    "api:grant_staff_role": (
        {"slug": "@organisation"},
        {**only({"city_staff", "administrator"}, others=404, anonymous=401), "organisation_staff": 403},
    ),
}


def care_api_samples() -> dict[str, Any]:
    """Care objects of the demo city: Rosa's open request, Yasmine's proposal for it, a round of Tom's."""
    from apps.care.models import Match, MatchingRound
    from apps.people.demo import DEMO_ACCOUNTS

    by_role = {a.role.value: Person.objects.get(user__username=a.email) for a in DEMO_ACCOUNTS}
    match = Match.objects.get(status="proposed", request__person=by_role["resident"], helper__person=by_role["helper"])
    coordinator = by_role["coordinator"]
    matching_round = MatchingRound.objects.create(
        district_id=coordinator.roles.get(role="coordinator").district_id, started_by=coordinator
    )
    return {
        "@care_request": match.request_id,
        "@care_match": match.pk,
        "@care_helper": match.helper_id,
        "@care_round": matching_round.pk,
    }


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


def coordinator_samples(district: District) -> dict[str, Any]:
    """A request, a match, a helper's offer and a round of the demo coordinator's district."""
    from apps.care.models import CareRequest, HelperOffer, Match, MatchingRound

    return {
        "@coordinated_request": CareRequest.objects.filter(district=district).order_by("pk").first().pk,  # type: ignore[union-attr]
        "@coordinated_match": Match.objects.filter(request__district=district).order_by("pk").first().pk,  # type: ignore[union-attr]
        "@helper_offer": HelperOffer.objects.filter(person__district=district).order_by("pk").first().pk,  # type: ignore[union-attr]
        "@round": MatchingRound.objects.create(district=district).pk,
    }


@pytest.fixture
def samples(demo_city: None, resident_in_coordinators_district: Person) -> dict[str, Any]:
    district = District.objects.get(number=1)
    return {
        "@district": district.slug,
        "@place": Place.objects.filter(district=district).first().slug,  # type: ignore[union-attr]
        "@resident": resident_in_coordinators_district.pk,
        "@organisation": DEMO_ORGANISATION,
        **care_api_samples(),
        **coordinator_samples(district),
    }


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
