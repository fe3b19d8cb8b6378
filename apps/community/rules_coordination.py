"""Community life: who sees a district's coordination view and notes follow-ups (issue 18, item 4).

The view is for the district's reviewers (``rules.reviews_district``): its coordinators (the community workers)
and city staff (every district when their role names none, else the districts it names).  A follow-up is noted by
a reviewer of the district; it is marked done by whoever noted it or by another reviewer of the district.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.access.actors import Actor
from apps.access.rules import rule

from .rules import review_districts, reviews_district, reviews_everywhere


@rule("community.coordinate", label=_("The coordination view of a district"))
def _coordinate(actor: Actor, district: Any) -> bool:
    """Without a district: whether the actor reviews any district (the menu, the index, the home panel)."""
    if district is None:
        return actor.person_id is not None and (reviews_everywhere(actor) or bool(review_districts(actor)))
    return reviews_district(actor, district.pk)


@rule("community.note_follow_up", label=_("Noting a follow-up on an overlap or a gap"))
def _note_follow_up(actor: Actor, district: Any) -> bool:
    """The reviewers of the district."""
    return district is not None and reviews_district(actor, district.pk)


@rule("community.finish_follow_up", label=_("Marking a follow-up done"))
def _finish_follow_up(actor: Actor, follow_up: Any) -> bool:
    """Who noted it, or another reviewer of its district; never twice."""
    if follow_up is None or follow_up.done_at is not None or actor.person_id is None:
        return False
    return follow_up.by_id == actor.person_id or reviews_district(actor, follow_up.district_id)
