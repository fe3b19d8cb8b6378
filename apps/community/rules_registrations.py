"""Community life: who may register for events, and see who registered (issue 18, item 3).

A resident's account (``acts_as_resident``) registers for one date of an event that takes registrations
(``Event.capacity``) and cancels its own registrations.  The starter of the event's initiative and the reviewers
of its district see how many registered and their first names and initials, never their contact details; the
reviewers of a district (its coordinators, city staff) publish the events of its places and of the city.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.access.actors import Actor
from apps.access.rules import rule
from apps.people.rules import acts_as_resident

from .rules import is_starter, review_districts, reviews_district, reviews_everywhere


@rule("community.register", label=_("Registering for an event"))
def _register(actor: Actor, event: Any) -> bool:
    """A resident's account, for a planned event that takes registrations (one with a number of places)."""
    if not acts_as_resident(actor):
        return False
    return event is None or (event.capacity is not None and event.status == "scheduled")


@rule("community.my_registrations", label=_("One's own registrations and calendar feed"))
def _my_registrations(actor: Actor, registration: Any) -> bool:
    """A resident's account; a registration only its own person's."""
    if not acts_as_resident(actor):
        return False
    return registration is None or registration.person_id == actor.person_id


@rule("community.view_registrations", label=_("Who registered for an event"))
def _view_registrations(actor: Actor, event: Any) -> bool:
    """The starter of the event's initiative and the reviewers of its district (first names and initials only)."""
    if event is None:
        return False
    return is_starter(actor, event.initiative) or reviews_district(actor, event.district_id)


@rule("community.add_city_event", label=_("Publishing an event of a place or of the city"))
def _add_city_event(actor: Actor, district: Any) -> bool:
    """The reviewers of a district (its coordinators, city staff), in that district."""
    if actor.person_id is None:
        return False
    if district is None:
        return reviews_everywhere(actor) or bool(review_districts(actor))
    return reviews_district(actor, district.pk)
