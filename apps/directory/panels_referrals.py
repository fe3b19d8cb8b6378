"""The referral panels of the home page and the section on a person's page (declared in ``capability.py``).

- the coordinator: how many referrals wait past their answer day and how many came back, never a name;
- the organisation's staff: how many new referrals wait for them, never a name;
- the person: their referrals that are not closed, as "My referrals" words them (their own, not logged);
- a person's page (for their coordinator): the person's most recent referrals, each logged as read.

A few queries each.  The views' helpers are imported inside the functions (see ``apps/care/panels.py``: this
module is imported when the frame starts, before every rule is loaded).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.access.actors import Actor
from apps.people.models import Person

from . import referral_selectors as selectors
from .models import Referral

PANEL_ROWS = 5


def referrals_to_follow_up(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    """Counts only (two queries): the list they link to shows and logs the names."""
    counts = selectors.follow_up_counts(actor)
    return {**counts, "total": counts["overdue"] + counts["returned"]}


def referrals_to_answer(request: HttpRequest, actor: Actor) -> dict[str, Any]:
    return selectors.incoming_counts(actor)


def my_referrals(request: HttpRequest, actor: Actor) -> dict[str, Any] | None:
    """The person's open referrals; left out when they never had one."""
    from .views_referrals import RESIDENT_WORDS

    found = list(selectors.of_person(actor.person_id or 0)[: PANEL_ROWS + 1])
    if not found:
        return None
    rows = [{"referral": r, "words": RESIDENT_WORDS.get(r.status, "")} for r in found[:PANEL_ROWS]]
    return {"rows": rows, "more": len(found) > PANEL_ROWS}


def person_referrals(request: HttpRequest, actor: Actor, person: Person) -> dict[str, Any]:
    """The person's most recent referrals for their coordinator, logged as read."""
    from .referrals import referrals_withdraw_without_consent
    from .views_referrals import status_tag

    referrals_withdraw_without_consent(person_id=person.pk)
    found = list(selectors.of_person(person.pk).filter(selectors.coordinated(actor))[: PANEL_ROWS + 1])
    rows = found[:PANEL_ROWS]
    selectors.log_shown(request, rows, "directory.refer")
    for referral in rows:
        referral.tag = status_tag(referral)  # type: ignore[attr-defined]
    total = Referral.objects.filter(person=person).count() if len(found) > PANEL_ROWS else len(rows)
    return {"referrals": rows, "total": total}
