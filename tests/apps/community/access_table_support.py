"""Support requests (issue 18, item 2): their rows of the URL × role access table (merged into access_table.py).

``@support_request`` is a request of the demo initiative starter's published initiative in the demo coordinator's
district: its page is for the starter and the district's reviewers (the demo coordinator and city staff), a 404
for every other account, as for an id that does not exist.  ``@grant_call`` closed yesterday; its jury is the demo
resident and the demo coordinator, so they score ``@grant_application``; the demo centre committee member sits on
the demo's own call only: this call is "not there" for them.  Materials and grant calls are public.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from apps.community.models import GrantCall, Initiative, JuryMember, SupportRequest
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role
from apps.places.models import District
from tests.apps.access.access_rows import Rows, everyone, only, signed_in

RESIDENT_ACCOUNTS = {"resident", "helper", "initiative_starter", "centre_committee"}
REVIEWERS = {"coordinator", "city_staff"}
OTHER_RESIDENTS = {"resident": 404, "helper": 404, "centre_committee": 404}
JURY = {"resident", "coordinator", "centre_committee"}  # the demo call's jury (apps/community/demo.py)

ROWS: Rows = {
    "community:support_list": ({"pk": "@initiative_published"}, {**only(RESIDENT_ACCOUNTS), **OTHER_RESIDENTS}),
    "community:support_new": (
        {"pk": "@initiative_published", "kind": "help"}, {**only(RESIDENT_ACCOUNTS), **OTHER_RESIDENTS},
    ),
    "community:support_worklist": ({}, only(REVIEWERS)),
    "community:support_request": (
        {"pk": "@support_request"}, {**signed_in(404), **dict.fromkeys({"initiative_starter"} | REVIEWERS, 200)},
    ),
    "community:support_act": ({"pk": "@support_request", "action": "take"}, everyone(405)),
    "community:materials": ({}, everyone(200)),
    "community:grant_calls": ({}, everyone(200)),
    "community:grant_call": ({"pk": "@grant_call"}, everyone(200)),
    "community:jury": ({"pk": "@grant_call"}, {**only(JURY), "centre_committee": 404}),
    "community:jury_score": ({"pk": "@grant_application"}, {**only(JURY), "centre_committee": 404}),
}  # fmt: skip


def _demo(role: str) -> Person:
    account = next(a for a in DEMO_ACCOUNTS if a.role == role)
    return Person.objects.get(user__username=account.email)


def samples(published: Initiative, district: District, resident: Person) -> dict[str, Any]:
    today = timezone.localdate()
    request = SupportRequest.objects.create(
        initiative=published, kind="help", details={"topic": "room"}, message="Een zaal?",
        submitted_by=published.starter, answer_due=today + timedelta(days=14),
    )  # fmt: skip
    call = GrantCall.objects.create(
        title="Toegangstabel", district=district, opens_on=today - timedelta(days=60),
        deadline=today - timedelta(days=1), ceiling_eur=2500,
    )  # fmt: skip
    for role, seat in ((Role.RESIDENT, "resident"), (Role.COORDINATOR, "official")):
        JuryMember.objects.create(call=call, person=_demo(role), seat=seat)
    application = SupportRequest.objects.create(
        initiative=published, kind="grant", call=call, amount_eur=1000, details={"plan": "x", "budget": "y"},
        submitted_by=published.starter, answer_due=today + timedelta(days=59),
    )  # fmt: skip
    return {"@support_request": request.pk, "@grant_call": call.pk, "@grant_application": application.pk}
