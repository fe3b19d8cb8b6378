"""Care's rows of the URL × role access table (``tests/apps/access/test_access_table.py``).

The demo city's care objects fill the "@" placeholders: Rosa's open request with Yasmine's proposal waiting
(in Tom's district), and a request, a match, a helper's offer and a round of the coordinator's district.
"""

from __future__ import annotations

from typing import Any

from apps.care.models import CareRequest, HelperOffer, Match, MatchingRound
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person
from apps.places.models import District
from tests.apps.access.access_rows import Rows, everyone, only, signed_in

RESIDENTS = {"resident", "helper", "initiative_starter", "centre_committee"}
"""The demo roles whose accounts are residents' (``apps.people.rules.acts_as_resident``): the others hold only staff
roles."""
WORK = {"coordinator", "organisation_staff", "city_staff", "administrator", "auditor"}

ROWS: Rows = {
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
    # care matching, the resident's pages (Rosa's open request, Yasmine's proposal for it): her own only; a work
    # account (staff roles only) neither asks for help nor offers it (care.view_my_requests)
    "care:my_requests": ({}, only(RESIDENTS)),
    "care:ask": ({}, only(RESIDENTS)),
    "care:my_request": ({"pk": "@care_request"}, {**only({"resident"}, others=404), **dict.fromkeys(WORK, 403)}),
    "care:cancel_my_request": ({"pk": "@care_request"}, only(RESIDENTS, allowed=405)),  # POST only
    "care:resident_feedback": ({"pk": "@care_match"}, only(RESIDENTS, allowed=405)),  # POST only
    "care:messages": ({}, {**only(RESIDENTS), "helper": 302}),  # a helper reads them among the helper's pages
    # the helper's pages: anyone may look and sign up; the rest is for helpers (with an offer)
    "care:helper_home": ({}, only(RESIDENTS)),  # without an offer: the invitation to make one
    "care:offer": ({}, only(RESIDENTS)),
    "care:helper_messages": ({}, only(RESIDENTS)),  # my messages among the helper's pages
    "care:away": ({}, {**only(RESIDENTS, allowed=302), "helper": 200}),  # without an offer: to the offer page
    "care:away_remove": ({"pk": 1}, only(RESIDENTS, allowed=405)),  # POST only
    "care:request_summary": ({"pk": "@care_request"}, only({"helper"})),
    "care:take": ({"pk": "@care_request"}, only({"helper"}, allowed=405)),  # POST only
    "care:helper_matches": ({}, only({"helper"})),
    "care:helper_match": ({"pk": "@care_match"}, only({"helper"})),
    "care:match_accept": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    "care:match_decline": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    "care:match_plan": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    "care:match_done": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    "care:match_cancel": ({"pk": "@care_match"}, only({"helper"}, allowed=405)),
    # Yasmine's attestation of volunteer hours: hers, and her coordinator's (care.view_helper_hours)
    "care:attestation": ({"pk": "@care_helper"}, only({"helper", "coordinator"}, others=404)),
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
}


def care_api_samples() -> dict[str, Any]:
    """Care objects of the demo city: Rosa's open request, Yasmine's proposal for it, a round of Tom's."""
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


def coordinator_samples(district: District) -> dict[str, Any]:
    """A request, a match, a helper's offer and a round of the demo coordinator's district."""
    return {
        "@coordinated_request": CareRequest.objects.filter(district=district).order_by("pk").first().pk,  # type: ignore[union-attr]
        "@coordinated_match": Match.objects.filter(request__district=district).order_by("pk").first().pk,  # type: ignore[union-attr]
        "@helper_offer": HelperOffer.objects.filter(person__district=district).order_by("pk").first().pk,  # type: ignore[union-attr]
        "@round": MatchingRound.objects.create(district=district).pk,
    }


def samples(district: District, resident: Person) -> dict[str, Any]:
    return {**care_api_samples(), **coordinator_samples(district)}
