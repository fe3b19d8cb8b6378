"""Community life: who may do what (registered in ``apps/access/rules.py``).

Initiatives (issue 18, items 1 and 5): a resident's account starts one and manages it (its starter); the
coordinators of its district and city staff (every district, or the districts their role names) review it:
publish it or return it with a reason, and see its contact.  What is published is for everyone; residents
follow it and join it as helpers.  Pages ask these with ``@requires``; objects go through ``selectors.py``, which
answers 404 for "missing" and "forbidden" alike.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.access.actors import Actor
from apps.access.rules import rule
from apps.people.models import Role
from apps.people.rules import acts_as_resident


def reviews_everywhere(actor: Actor) -> bool:
    """City staff whose role names no district review every district (as in the directory's review)."""
    return any(g.role == Role.CITY_STAFF and g.district_id is None for g in actor.grants)


def review_districts(actor: Actor) -> frozenset[int]:
    """The districts whose initiatives the actor reviews (besides ``reviews_everywhere``): those they coordinate
    and those their city-staff role names."""
    return actor.district_scope(Role.COORDINATOR) | actor.district_scope(Role.CITY_STAFF)


def reviews_district(actor: Actor, district_id: int | None) -> bool:
    if actor.person_id is None or district_id is None:
        return False
    return reviews_everywhere(actor) or district_id in review_districts(actor)


def is_starter(actor: Actor, initiative: Any) -> bool:
    return actor.person_id is not None and initiative is not None and initiative.starter_id == actor.person_id


@rule("community.view_initiative", label=_("Looking at an initiative"))
def _view_initiative(actor: Actor, initiative: Any) -> bool:
    """Published (or ended): everyone.  Before that: its starter and its district's reviewers."""
    if initiative is None:
        return False
    if initiative.is_public:
        return True
    return is_starter(actor, initiative) or reviews_district(actor, initiative.district_id)


@rule("community.start_initiative", label=_("Starting an initiative"))
def _start_initiative(actor: Actor, obj: Any) -> bool:
    """A resident's account (``acts_as_resident``: a resident, a helper, an initiative starter, a committee
    member), not a work account."""
    return acts_as_resident(actor)


@rule("community.manage_initiative", label=_("Changing one's initiative"))
def _manage_initiative(actor: Actor, initiative: Any) -> bool:
    """Its starter, until it has ended."""
    return is_starter(actor, initiative) and initiative.status != "ended"


@rule("community.view_contact", label=_("The contact of an initiative"))
def _view_contact(actor: Actor, initiative: Any) -> bool:
    """The contact person, email address and phone number: the starter and the district's reviewers; never on
    the public page."""
    return initiative is not None and (is_starter(actor, initiative) or reviews_district(actor, initiative.district_id))


@rule("community.review_initiatives", label=_("Reviewing initiatives"))
def _review_initiatives(actor: Actor, obj: Any) -> bool:
    """The worklist: a coordinator of a district, or city staff."""
    return actor.person_id is not None and (reviews_everywhere(actor) or bool(review_districts(actor)))


@rule("community.review_initiative", label=_("Publishing or returning an initiative"))
def _review_initiative(actor: Actor, initiative: Any) -> bool:
    """The reviewers of its district; never one's own initiative."""
    if initiative is None or is_starter(actor, initiative):
        return False
    return reviews_district(actor, initiative.district_id)


@rule("community.take_part", label=_("Following an initiative or helping it"))
def _take_part(actor: Actor, initiative: Any) -> bool:
    """A resident's account, on a published initiative."""
    if not acts_as_resident(actor):
        return False
    return initiative is None or initiative.status == "published"


# --- events (item 3) ------------------------------------------------------------------------------------------


@rule("community.add_event", label=_("Publishing an event of an initiative"))
def _add_event(actor: Actor, initiative: Any) -> bool:
    """The starter of a published initiative."""
    return is_starter(actor, initiative) and initiative.status == "published"


@rule("community.change_event", label=_("Changing an event"))
def _change_event(actor: Actor, event: Any) -> bool:
    """An initiative's event: its starter, while the initiative is published (the district's reviewers may cancel
    it, not rewrite it: an attacker review).  An event of a place or of the city: the district's reviewers."""
    if event is None:
        return False
    if event.initiative is not None:
        return is_starter(actor, event.initiative) and event.initiative.status == "published"
    return reviews_district(actor, event.district_id)


@rule("community.manage_event", label=_("Changing or cancelling an event"))
def _manage_event(actor: Actor, event: Any) -> bool:
    """The starter of its initiative while it is published; the reviewers of its district (who may cancel what
    should not be there)."""
    if event is None:
        return False
    if event.initiative is not None and is_starter(actor, event.initiative):
        return event.initiative.status == "published"  # not while returned, nor once ended
    return reviews_district(actor, event.district_id)


# the rules of registrations for events (item 3), support requests (item 2) and the coordination view (item 4)
# live beside this file
from . import rules_coordination, rules_registrations, rules_support  # noqa: E402, F401
