"""Community life: its rows of the URL × role access table (read by ``tests/apps/access/test_access_table.py``).

The list of published initiatives is public.  ``@initiative_draft`` is a draft of the demo initiative starter in
the coordinator's district: its page is for its starter and the district's reviewers (the demo coordinator and
the demo city staff, both of that district), a 404 for everyone else, as for an id that does not exist.
Starting one and "My initiatives" are for a resident's account; the worklist for the reviewers.  The buttons
are POST only.
"""

from __future__ import annotations

from typing import Any

from apps.community.models import Initiative
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role
from apps.places.models import District
from tests.apps.access.access_rows import ROLES, Rows, everyone, only

RESIDENT_ACCOUNTS = {"resident", "helper", "initiative_starter", "centre_committee"}
REVIEWERS = {"coordinator", "city_staff"}
OTHER_RESIDENTS = {"resident": 404, "helper": 404, "centre_committee": 404}
"""A resident's account that is not the draft's starter: the page's rule lets them in, the object's does not."""

ROWS: Rows = {
    "community:initiatives": ({}, everyone(200)),
    "community:initiative": (
        {"pk": "@initiative_draft"},
        {**dict.fromkeys(ROLES, 404), **dict.fromkeys({"initiative_starter"} | REVIEWERS, 200)},
    ),
    "community:initiative_new": ({}, only(RESIDENT_ACCOUNTS)),
    "community:mine": ({}, only(RESIDENT_ACCOUNTS)),
    "community:review_list": ({}, only(REVIEWERS)),
    "community:initiative_step": ({"pk": "@initiative_draft", "step": "what"},
                                  {**only(RESIDENT_ACCOUNTS), **OTHER_RESIDENTS}),
    "community:initiative_send": ({"pk": "@initiative_draft"}, {**only(RESIDENT_ACCOUNTS), **OTHER_RESIDENTS}),
    "community:initiative_manage": ({"pk": "@initiative_draft", "action": "end"}, everyone(405)),
    "community:initiative_take_part": ({"pk": "@initiative_draft", "action": "follow"}, everyone(405)),
    "community:initiative_review": ({"pk": "@initiative_draft", "action": "publish"}, everyone(405)),
}  # fmt: skip


def samples(district: District, resident: Person) -> dict[str, Any]:
    account = next(a for a in DEMO_ACCOUNTS if a.role == Role.INITIATIVE_STARTER)
    starter = Person.objects.get(user__username=account.email)
    draft = Initiative.objects.create(
        title="Buurtsoep", summary="Soep voor de hele straat.", organiser="residents", audience=["everyone"],
        district=district, starter=starter,
    )  # fmt: skip
    return {"@initiative_draft": draft.pk}
