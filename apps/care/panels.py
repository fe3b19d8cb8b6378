"""What care adds to the home page and to a person's page (declared in ``capability.py``).

A person's page gets a section with their requests for help and visits (``person_care``), for the person
themselves and for a coordinator who coordinates them while their consent holds; the rows shown are logged
as read, as on the worklist.

Each panel reads through the selectors of the page it links to, and shows no more than that page shows the
same person: the helper's own visits as "My visits" lists them (kind of help, district, when), the
resident's own requests as "My requests" does, and the coordinator only how many rows each worklist
section has, never a name (the worklist's pages show and log those).  A few queries each.

The views' helpers are imported inside the functions on purpose: ``capability.py`` imports this module when
the frame starts (``CoreConfig.ready``), before every app's rules are loaded and its settings applied, and a
views module imported then would check its ``@requires`` rules too early.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from apps.access.actors import Actor
from apps.people.models import Person, Role

from . import selectors
from .models import HelperOffer, Match

PANEL_ROWS = 5
"""Rows a home panel lists at most; the page it links to has them all."""

VISITS_AHEAD = timedelta(days=7)


def visits_this_week(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """The helper's visits of the coming week: planned ones that start within seven days and have not ended,
    and those they said yes to and still have to agree a time for.  Three queries."""
    from .views_helper import helper_status

    offer = selectors.offer_of(actor)
    if offer is None:
        return {"offer": None}
    now = timezone.now()
    coming = Q(status=Match.Status.PLANNED, planned_end__gte=now, planned_start__lt=now + VISITS_AHEAD) | Q(
        status=Match.Status.ACCEPTED
    )
    matches = list(selectors.helper_matches(offer).filter(coming).order_by("planned_start", "created_at", "pk"))
    waiting = selectors.helper_matches(offer).filter(status=Match.Status.PROPOSED).count()
    rows = [(match, helper_status(match)) for match in matches[:PANEL_ROWS]]
    return {"offer": offer, "rows": rows, "more": len(matches) - len(rows), "waiting": waiting}


def worklist_summary(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """How many rows each section of the coordinator's worklist holds, each linked to its page (four queries)."""
    from .views_coordinator import SECTION_TEXTS

    counts = selectors.worklist_counts(actor)
    sections = [(key, title, counts[key]) for key, (title, _explanation) in SECTION_TEXTS.items() if counts[key]]
    return {"sections": sections, "total": sum(counts.values())}


def open_requests(request: HttpRequest, actor: Actor) -> dict[str, Any] | None:
    """The person's own requests that are not closed, as "My requests" words them (four queries).

    Only for a resident's account (``care.view_my_requests``: a work account, such as a coordinator's or an
    auditor's, has neither this panel nor "My requests"); left out for someone with none who is not a resident
    (a helper or an initiative starter who never asked for help)."""
    from .views_resident import request_view

    mine = selectors.my_requests(actor).filter(status__in=selectors.NOT_CLOSED).defer("district__geometry")
    found = list(mine[: PANEL_ROWS + 1])
    if not found and not actor.has_role(Role.RESIDENT):
        return None
    rows = [request_view(r) for r in found[:PANEL_ROWS]]
    return {"rows": rows, "more": len(found) > PANEL_ROWS}


def person_care(request: HttpRequest, actor: Actor, person: Person) -> dict[str, Any]:
    """A person's requests for help and their visits, for the section of the person's page: the rows the
    reader may see (``selectors.requests_of_person``), each logged as read (a list with a name beside the
    kind of help reads care data, as the worklist does).  Four queries and one insert."""
    from apps.access.services import log_request_list

    from .tables import request_tag
    from .wording import short_name

    rows, total = selectors.requests_of_person(actor, person)
    log_request_list(
        request,
        records=[(r.person_id, selectors.RECORD, r.pk) for r in rows],
        action="list",
        purpose="care.view_care_of_person",
    )
    own = actor.person_id == person.pk
    for care_request in rows:
        for visit in care_request.visits:  # type: ignore[attr-defined]
            visit.helper_name = short_name(visit.helper.person)
        care_request.tag = request_tag(care_request)  # type: ignore[attr-defined]
    return {"requests": rows, "total": total, "own": own}


def helper_offer_of(person: Person) -> HelperOffer | None:
    """The person's offer of help, if they made one: the vetting action on their page is about it."""
    return selectors.offer_of_person(person)
