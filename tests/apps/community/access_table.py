"""Community life: its rows of the URL × role access table (read by ``tests/apps/access/test_access_table.py``).

The list of published initiatives is public.  ``@initiative_draft`` is a draft of the demo initiative starter in
the coordinator's district: its page is for its starter and the district's reviewers (the demo coordinator and
the demo city staff, both of that district), a 404 for everyone else, as for an id that does not exist.
Starting one and "My initiatives" are for a resident's account; the worklist for the reviewers.  The buttons
are POST only.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from django.utils import timezone

from apps.community.models import Event, Initiative
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Role
from apps.places.models import District, Place
from tests.apps.access.access_rows import ROLES, Rows, everyone, only, signed_in

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
    # events (item 3): public when their initiative is; publishing one is for the starter of a published initiative
    "community:whats_on": ({}, everyone(200)),
    "community:event": ({"pk": "@event"}, everyone(200)),
    "community:event_new": ({"pk": "@initiative_published"}, {**only(RESIDENT_ACCOUNTS), **OTHER_RESIDENTS}),
    # an initiative's event is changed by its starter only; the district's reviewers may cancel it, not rewrite it
    "community:event_edit": ({"pk": "@event"}, {**signed_in(404), "initiative_starter": 200}),
    "community:event_cancel": ({"pk": "@event"}, everyone(405)),
    "community:feed_district": ({"number": 1}, everyone(200)),
    "community:feed_place": ({"slug": "@place_slug"}, everyone(200)),
    "community:feed_initiative": ({"pk": "@initiative_published"}, everyone(200)),
}  # fmt: skip


def samples(district: District, resident: Person) -> dict[str, Any]:
    account = next(a for a in DEMO_ACCOUNTS if a.role == Role.INITIATIVE_STARTER)
    starter = Person.objects.get(user__username=account.email)
    draft = Initiative.objects.create(
        title="Buurtsoep", summary="Soep voor de hele straat.", organiser="residents", audience=["everyone"],
        district=district, starter=starter,
    )  # fmt: skip
    published = Initiative.objects.create(
        title="Taalcafé", summary="Praten.", organiser="residents", audience=["everyone"], district=district,
        starter=starter, status="published", commitment_signed_at=timezone.now(),
    )  # fmt: skip
    place = Place.objects.filter(district=district).order_by("pk").first()
    event = Event.objects.create(
        uid="access-table@example.org", title="Taalcafé", initiative=published, district=district, place=place,
        starts_on=timezone.localdate(), start_time=time(14), duration_minutes=120,
    )  # fmt: skip
    return {**registration_samples(event, district, resident), **support_samples(published, district, resident),
            "@initiative_draft": draft.pk, "@initiative_published": published.pk, "@event": event.pk,
            "@place_slug": place.slug if place else "none"}  # fmt: skip


# registrations (item 3) and support requests (item 2) keep their rows beside this file
from tests.apps.community.access_table_coordination import ROWS as COORDINATION_ROWS  # noqa: E402
from tests.apps.community.access_table_registrations import ROWS as REGISTRATION_ROWS  # noqa: E402
from tests.apps.community.access_table_registrations import samples as registration_samples  # noqa: E402
from tests.apps.community.access_table_support import ROWS as SUPPORT_ROWS  # noqa: E402
from tests.apps.community.access_table_support import samples as support_samples  # noqa: E402
from tests.apps.community.rows_api import ROWS as API_ROWS  # noqa: E402

ROWS = {**ROWS, **REGISTRATION_ROWS, **SUPPORT_ROWS, **COORDINATION_ROWS, **API_ROWS}
