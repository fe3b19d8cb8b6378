"""Who may do what in care matching (registered in ``apps/access/rules.py``).

Objects: a Person (whose request), a CareRequest, a Match, a HelperOffer, a MatchingRound or a district id.
A coordinator reads a request only while the person's consent for care matching holds; a helper sees the
person behind a request only while they hold it, and for ``CARE_AFTER_VISIT`` after the visit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.access.actors import Actor
from apps.access.rules import rule
from apps.people.models import Person, Purpose, Role
from apps.people.rules import acts_as_resident, coordinates, coordinates_resident, has_active_consent, is_self


def coordinates_request(actor: Actor, request: Any) -> bool:
    """The actor coordinates where the help is needed, or the person who asked; and consent holds."""
    if request is None:
        return False
    in_scope = request.district_id in actor.district_scope(Role.COORDINATOR) or coordinates(actor, request.person)
    return in_scope and has_active_consent(request.person, Purpose.CARE_MATCHING)


def helps_with(actor: Actor, match: Any) -> bool:
    return match is not None and actor.person_id is not None and match.helper.person_id == actor.person_id


def is_helper(actor: Actor) -> bool:
    return actor.person_id is not None and actor.has_role(Role.HELPER)


@rule("care.ask_for_help")
def _ask_for_help(actor: Actor, person: Person | None) -> bool:
    """For oneself, from a resident's account (a work account only takes requests by phone for others)."""
    return is_self(actor, person) and acts_as_resident(actor)


@rule("care.take_request_by_phone", label=_("Taking a request for help by phone"))
def _take_by_phone(actor: Actor, person: Person | None) -> bool:
    return coordinates_resident(actor, person)


@rule("care.view_my_requests")
def _my_requests(actor: Actor, obj: Any) -> bool:
    """The pages for oneself: my requests, asking for help, my messages, offering help.  A resident's account,
    not one that holds only staff roles (an auditor has no "My requests"; ``acts_as_resident``)."""
    return acts_as_resident(actor)


@rule("care.resident_home")
def _resident_home(actor: Actor, obj: Any) -> bool:
    """Who lands on "My requests" after signing in: a resident, or an account that holds no role at all (a helper
    lands on the requests near them first)."""
    return actor.person_id is not None and (actor.has_role(Role.RESIDENT) or not actor.grants)


CARE_AFTER_VISIT = timedelta(days=7)
"""How long after a visit its helper still sees the person's address, phone and description."""


@rule("care.view_request", label=_("Looking at a request for help"))
def _view_request(actor: Actor, request: Any) -> bool:
    """Everything about a request (who, where, what): the person, their coordinator, and the helper
    who accepted it while they hold it, and for a week after the visit.

    Data minimisation (GDPR art. 5(1)(c) and (e); care needs are art. 9 data): a helper needs the exact
    address and the personal details to go there, and a few days after (a forgotten umbrella, a word
    about the feedback, the receipt of the shopping), not for years.  So after the visit (the planned
    end, or when it was logged done if it was never planned) ``CARE_AFTER_VISIT`` more, then the helper
    keeps only their own match (hours, feedback) and the anonymous card.  A new helper's take (``awaiting_check``)
    shows nothing more than the card until a coordinator has confirmed it.  Continuity needs no exception:
    a recurring request that goes on with the same helper gives them a new accepted match, which they
    hold, so they see the person as long as they keep helping.
    """
    if request is None:
        return False
    if is_self(actor, request.person) or coordinates_request(actor, request):
        return True
    if actor.person_id is None:
        return False
    since = timezone.now() - CARE_AFTER_VISIT
    recent_visit = Q(status="done", done_at__gte=since) & (Q(planned_end__isnull=True) | Q(planned_end__gte=since))
    # a new helper's take holds the request but shows nothing more until a coordinator confirmed it
    holding = Q(status__in=["accepted", "planned"], awaiting_check=False)
    return request.matches.filter(holding | recent_visit, helper__person_id=actor.person_id).exists()


@rule("care.view_care_of_person", label=_("Looking at someone's requests for help and visits"))
def _view_care_of_person(actor: Actor, person: Person | None) -> bool:
    """The section "Requests for help and visits" of a person's page: the person, or a coordinator who
    coordinates them while their consent for care matching holds (as for each request, ``care.view_request``;
    the selector then lists only the requests the coordinator handles)."""
    if is_self(actor, person):
        return True
    return (
        person is not None and coordinates_resident(actor, person) and has_active_consent(person, Purpose.CARE_MATCHING)
    )


@rule("care.view_request_summary")
def _view_summary(actor: Actor, request: Any) -> bool:
    """A helper sees an open request without who, where exactly or the personal details."""
    return is_helper(actor) and request is not None and request.status == "open" and not request.category.professional


@rule("care.take_request", label=_("Offering to help with a request"))
def _take_request(actor: Actor, request: Any) -> bool:
    """Whether the request is still open is checked by the service under its lock, not here: the helper
    who was a moment too late must get "another helper was faster", not a page that does not exist."""
    return (
        is_helper(actor) and request is not None and not request.category.professional
        and not is_self(actor, request.person)
    )  # fmt: skip


@rule("care.view_own_request", label=_("Looking at a request for help"))
def _view_own_request(actor: Actor, request: Any) -> bool:
    """The resident's own pages show only their own requests (coordinators have theirs)."""
    return request is not None and is_self(actor, request.person)


@rule("care.manage_request", label=_("Handling a request for help"))
def _manage_request(actor: Actor, request: Any) -> bool:
    return coordinates_request(actor, request)


@rule("care.cancel_request", label=_("Calling off a request for help"))
def _cancel_request(actor: Actor, request: Any) -> bool:
    return request is not None and (is_self(actor, request.person) or coordinates_request(actor, request))


@rule("care.respond_to_match")
def _respond(actor: Actor, match: Any) -> bool:
    return helps_with(actor, match)


@rule("care.coordinate_match", label=_("Looking at a match between helper and resident"))
def _coordinate_match(actor: Actor, match: Any) -> bool:
    """The coordinator's view of a match (plan, cancel, feedback on the resident's behalf)."""
    return match is not None and coordinates_request(actor, match.request)


@rule("care.respond_for_helper")
def _respond_for_helper(actor: Actor, match: Any) -> bool:
    """The coordinator answers a proposal (yes, or no with a reason) or logs the visit (hours, the helper's
    feedback) for a helper who is not online and told them by phone: only for a match of a request they
    coordinate (in their districts, or of a person their organisation follows, while consent holds)."""
    return match is not None and coordinates_request(actor, match.request)


@rule("care.answer_match", label=_("Answering a proposal to help"))
def _answer_match(actor: Actor, match: Any) -> bool:
    """Accept, decline or mark done: the helper themselves, or their coordinator on their behalf."""
    return helps_with(actor, match) or _respond_for_helper(actor, match)


@rule("care.plan_match", label=_("Planning the help"))
def _plan(actor: Actor, match: Any) -> bool:
    return match is not None and (helps_with(actor, match) or coordinates_request(actor, match.request))


@rule("care.resident_feedback", label=_("Feedback after the help"))
def _resident_feedback(actor: Actor, match: Any) -> bool:
    return match is not None and (is_self(actor, match.request.person) or coordinates_request(actor, match.request))


@rule("care.cancel_match", label=_("Calling off the help"))
def _cancel_match(actor: Actor, match: Any) -> bool:
    return match is not None and (
        helps_with(actor, match) or is_self(actor, match.request.person) or coordinates_request(actor, match.request)
    )


@rule("care.view_match", label=_("Looking at a match between helper and resident"))
def _view_match(actor: Actor, match: Any) -> bool:
    """The parties to a match see it (the API's one match view): its helper, the person, their
    coordinator.  What the helper sees of the person still depends on the match's state."""
    return match is not None and (
        helps_with(actor, match) or is_self(actor, match.request.person) or coordinates_request(actor, match.request)
    )


@rule("care.offer_help")
def _offer_help(actor: Actor, person: Person | None) -> bool:
    """Any resident may offer help (not from a work account); a coordinator may sign up a helper they coordinate."""
    return (is_self(actor, person) and acts_as_resident(actor)) or coordinates_resident(actor, person)


@rule("care.change_offer")
def _change_offer(actor: Actor, offer: Any) -> bool:
    return offer is not None and (is_self(actor, offer.person) or coordinates_resident(actor, offer.person))


@rule("care.helper_pages")
def _helper_pages(actor: Actor, obj: Any) -> bool:
    return is_helper(actor)


@rule("care.record_vetting")
def _record_vetting(actor: Actor, offer: Any) -> bool:
    return offer is not None and coordinates_resident(actor, offer.person)


@rule("care.view_worklist", label=_("Coordinator's worklist"))
def _worklist(actor: Actor, obj: Any) -> bool:
    return bool(actor.district_scope(Role.COORDINATOR) or actor.organisation_scope(Role.COORDINATOR))


@rule("care.run_round")
def _run_round(actor: Actor, district_id: int | None) -> bool:
    """A round over one of the actor's districts, or (``None``) over all of them."""
    scope = actor.district_scope(Role.COORDINATOR)
    return bool(scope) if district_id is None else district_id in scope


@rule("care.view_round", label=_("Matching round"))
def _view_round(actor: Actor, matching_round: Any) -> bool:
    if matching_round is None:
        return False
    if matching_round.district_id is None:
        return actor.person_id is not None and matching_round.started_by_id == actor.person_id
    return matching_round.district_id in actor.district_scope(Role.COORDINATOR)


@rule("care.confirm_round")
def _confirm_round(actor: Actor, matching_round: Any) -> bool:
    return _view_round(actor, matching_round)


@rule("care.view_helper_hours", label=_("Looking at a helper's volunteer hours"))
def _view_helper_hours(actor: Actor, offer: Any) -> bool:
    """A helper's visits and hours (the attestation of volunteer hours): the helper themself, and the
    coordinators who already handle their offer and checks (``care.change_offer``, ``care.record_vetting``)."""
    return offer is not None and (is_self(actor, offer.person) or coordinates_resident(actor, offer.person))
