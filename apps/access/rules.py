"""Every rule "who may do what on which object", declared once.

Pages, the API and exports all ask ``can(actor, rule, obj)``.  A rule that is
not declared here does not exist, and asking for it is a programming error.
Least privilege: city staff and administrators run the city, they do not
read residents' care needs; coordinators read them only for the persons they
coordinate (in their districts, or followed by their organisation) and only
while the person's consent for that purpose holds; their power over persons stops at
staff accounts (``STAFF_ROLES``: coordinators, organisation and city staff, auditors, administrators).
Organisation staff see and edit their own organisation's profile, and nothing of persons.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from apps.organisations.models import Organisation
from apps.people.models import Person, Purpose, Role

from .actors import Actor

Predicate = Callable[[Actor, Any], bool]
RULES: dict[str, Predicate] = {}

# Which roles may grant which roles
GRANTABLE_BY: dict[str, set[str]] = {
    Role.ADMINISTRATOR: {r.value for r in Role},
    Role.COORDINATOR: {Role.RESIDENT.value, Role.HELPER.value},
    Role.CITY_STAFF: {Role.ORGANISATION_STAFF.value},
}
# The roles that can be held for an organisation (organisation staff must have one; a coordinator may)
ORGANISATION_ROLES = (Role.ORGANISATION_STAFF.value, Role.COORDINATOR.value)
# Roles that make a person staff: a coordinator has no power over them.  Initiative starters and centre
# committee members are residents who took something on in their neighbourhood: a coordinator still helps them.
STAFF_ROLES = frozenset(r.value for r in Role) - {
    Role.RESIDENT.value,
    Role.HELPER.value,
    Role.INITIATIVE_STARTER.value,
    Role.CENTRE_COMMITTEE.value,
}


def rule(name: str) -> Callable[[Predicate], Predicate]:
    def register(predicate: Predicate) -> Predicate:
        if name in RULES:
            raise ValueError(f"rule {name} declared twice")
        RULES[name] = predicate
        return predicate

    return register


def can(actor: Actor, name: str, obj: Any = None) -> bool:
    return RULES[name](actor, obj)


# --- helpers ---------------------------------------------------------------------------------------


def is_self(actor: Actor, person: Person | None) -> bool:
    return person is not None and actor.person_id is not None and actor.person_id == person.pk


def is_coordinator(actor: Actor) -> bool:
    """A coordinator with a scope: one or more districts and/or organisations."""
    return bool(actor.district_scope(Role.COORDINATOR) or actor.organisation_scope(Role.COORDINATOR))


def coordinates(actor: Actor, person: Person | None) -> bool:
    """The actor coordinates the district the person lives in, or an organisation that follows the person."""
    if person is None:
        return False
    if person.district_id in actor.district_scope(Role.COORDINATOR):
        return True
    return person.organisation_id is not None and person.organisation_id in actor.organisation_scope(Role.COORDINATOR)


def holds_staff_role(person: Person) -> bool:
    """The person holds a staff role now (administrator, auditor, city staff, a coordinator, ...)."""
    return person.roles.filter(role__in=STAFF_ROLES, withdrawn_at__isnull=True).exists()


def coordinates_resident(actor: Actor, person: Person | None) -> bool:
    """The actor coordinates the person, and the person is a resident or helper, not staff.

    A coordinator's power over persons (see, change, export, erase, record consent, grant) stops at staff
    accounts: otherwise a coordinator could read or erase the administrator who lives in their district.
    """
    return coordinates(actor, person) and person is not None and not holds_staff_role(person)


def roles_grantable(actor: Actor) -> list[str]:
    """The roles this actor may grant at all, in the order of ``Role`` (forms offer only these)."""
    grantable = set().union(*(roles for by, roles in GRANTABLE_BY.items() if actor.has_role(by)))
    return [role.value for role in Role if role.value in grantable]


def roles_grantable_for_organisation(actor: Actor) -> list[str]:
    """The roles this actor may grant for an organisation (forms offer only these)."""
    grantable = roles_grantable(actor)
    return [role for role in ORGANISATION_ROLES if role in grantable]


def works_for(actor: Actor, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.pk in actor.organisation_scope(Role.ORGANISATION_STAFF)


def has_active_consent(person: Person, purpose: str) -> bool:
    return person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()


# --- the rules ------------------------------------------------------------------------------------


@rule("public")
def _public(actor: Actor, obj: Any) -> bool:
    return True


@rule("authenticated")
def _authenticated(actor: Actor, obj: Any) -> bool:
    return not actor.is_anonymous


@rule("people.register_person")
def _register(actor: Actor, obj: Any) -> bool:
    return is_coordinator(actor)


@rule("people.search_persons")
def _search(actor: Actor, obj: Any) -> bool:
    return is_coordinator(actor)


@rule("people.view_person")
def _view_person(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.change_person")
def _change_person(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.view_support_needs")
def _view_needs(actor: Actor, person: Person | None) -> bool:
    """Care needs: the person, or their district's coordinator while consent for care matching holds."""
    if is_self(actor, person):
        return True
    return (
        person is not None and coordinates_resident(actor, person) and has_active_consent(person, Purpose.CARE_MATCHING)
    )


@rule("people.record_consent")
def _record_consent(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.export_data")
def _export(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.erase_data")
def _erase(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.grant_role")
def _grant(actor: Actor, target: tuple[Person, str, int | None, int | None] | None) -> bool:
    """``target`` is (person, role, district id, organisation id).

    Nobody grants or withdraws a staff role of their own (an administrator who made themselves coordinator
    would read care needs).  Administrators grant any role; city staff grant organisation staff for any
    organisation; a coordinator grants helper and resident roles to the persons
    they coordinate, within their own districts and organisations.
    """
    if target is None:
        return actor.has_role(*GRANTABLE_BY)
    person, role, district_id, organisation_id = target
    if role in STAFF_ROLES and is_self(actor, person):
        return False  # nobody raises (or quietly drops) their own power: another administrator does it
    if actor.has_role(Role.ADMINISTRATOR):
        return True
    if actor.has_role(Role.CITY_STAFF) and role in GRANTABLE_BY[Role.CITY_STAFF]:
        return True
    if actor.has_role(Role.COORDINATOR) and role in GRANTABLE_BY[Role.COORDINATOR]:
        return (
            coordinates_resident(actor, person)
            and (district_id is None or district_id in actor.district_scope(Role.COORDINATOR))
            and (organisation_id is None or organisation_id in actor.organisation_scope(Role.COORDINATOR))
        )
    return False


@rule("organisations.list_organisations")
def _list_organisations(actor: Actor, obj: Any) -> bool:
    return actor.has_role(Role.ADMINISTRATOR, Role.CITY_STAFF)


@rule("organisations.view_own_organisation")
def _own_organisation(actor: Actor, obj: Any) -> bool:
    return bool(actor.organisation_scope(Role.ORGANISATION_STAFF))


@rule("organisations.view_organisation")
def _view_organisation(actor: Actor, organisation: Organisation | None) -> bool:
    return works_for(actor, organisation) or actor.has_role(Role.ADMINISTRATOR, Role.CITY_STAFF)


@rule("organisations.change_organisation")
def _change_organisation(actor: Actor, organisation: Organisation | None) -> bool:
    return works_for(actor, organisation) or actor.has_role(Role.ADMINISTRATOR)


@rule("organisations.manage_staff")
def _manage_staff(actor: Actor, organisation: Organisation | None) -> bool:
    """See who works for an organisation, and grant or withdraw their roles (``people.grant_role`` decides each)."""
    return actor.has_role(Role.ADMINISTRATOR, Role.CITY_STAFF)


@rule("access.view_own_reads")
def _own_reads(actor: Actor, obj: Any) -> bool:
    return actor.person_id is not None


@rule("access.search_log")
def _search_log(actor: Actor, obj: Any) -> bool:
    return actor.has_role(Role.AUDITOR)


@rule("access.view_activity")
def _view_activity(actor: Actor, obj: Any) -> bool:
    """Unusual activity per account and day (``apps/access/activity.py``): who did what how often is itself
    personal data about staff and helpers, so only the auditor sees it."""
    return actor.has_role(Role.AUDITOR)


# --- care matching (apps/care) ---------------------------------------------------------------------
# Objects: a Person (whose request), a CareRequest, a Match, a HelperOffer, a MatchingRound or a district id.


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
    return is_self(actor, person)


@rule("care.take_request_by_phone")
def _take_by_phone(actor: Actor, person: Person | None) -> bool:
    return coordinates_resident(actor, person)


@rule("care.view_my_requests")
def _my_requests(actor: Actor, obj: Any) -> bool:
    return actor.person_id is not None


CARE_AFTER_VISIT = timedelta(days=7)
"""How long after a visit its helper still sees the person's address, phone and description."""


@rule("care.view_request")
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


@rule("care.view_request_summary")
def _view_summary(actor: Actor, request: Any) -> bool:
    """A helper sees an open request without who, where exactly or the personal details."""
    return is_helper(actor) and request is not None and request.status == "open" and not request.category.professional


@rule("care.take_request")
def _take_request(actor: Actor, request: Any) -> bool:
    """Whether the request is still open is checked by the service under its lock, not here: the helper
    who was a moment too late must get "another helper was faster", not a page that does not exist."""
    return (
        is_helper(actor) and request is not None and not request.category.professional
        and not is_self(actor, request.person)
    )  # fmt: skip


@rule("care.view_own_request")
def _view_own_request(actor: Actor, request: Any) -> bool:
    """The resident's own pages show only their own requests (coordinators have theirs)."""
    return request is not None and is_self(actor, request.person)


@rule("care.manage_request")
def _manage_request(actor: Actor, request: Any) -> bool:
    return coordinates_request(actor, request)


@rule("care.cancel_request")
def _cancel_request(actor: Actor, request: Any) -> bool:
    return request is not None and (is_self(actor, request.person) or coordinates_request(actor, request))


@rule("care.respond_to_match")
def _respond(actor: Actor, match: Any) -> bool:
    return helps_with(actor, match)


@rule("care.coordinate_match")
def _coordinate_match(actor: Actor, match: Any) -> bool:
    """The coordinator's view of a match (plan, cancel, feedback on the resident's behalf)."""
    return match is not None and coordinates_request(actor, match.request)


@rule("care.respond_for_helper")
def _respond_for_helper(actor: Actor, match: Any) -> bool:
    """The coordinator answers a proposal (yes, or no with a reason) or logs the visit (hours, the helper's
    feedback) for a helper who is not online and told them by phone: only for a match of a request they
    coordinate (in their districts, or of a person their organisation follows, while consent holds)."""
    return match is not None and coordinates_request(actor, match.request)


@rule("care.answer_match")
def _answer_match(actor: Actor, match: Any) -> bool:
    """Accept, decline or mark done: the helper themselves, or their coordinator on their behalf."""
    return helps_with(actor, match) or _respond_for_helper(actor, match)


@rule("care.plan_match")
def _plan(actor: Actor, match: Any) -> bool:
    return match is not None and (helps_with(actor, match) or coordinates_request(actor, match.request))


@rule("care.resident_feedback")
def _resident_feedback(actor: Actor, match: Any) -> bool:
    return match is not None and (is_self(actor, match.request.person) or coordinates_request(actor, match.request))


@rule("care.cancel_match")
def _cancel_match(actor: Actor, match: Any) -> bool:
    return match is not None and (
        helps_with(actor, match) or is_self(actor, match.request.person) or coordinates_request(actor, match.request)
    )


@rule("care.view_match")
def _view_match(actor: Actor, match: Any) -> bool:
    """The parties to a match see it (the API's one match view): its helper, the person, their
    coordinator.  What the helper sees of the person still depends on the match's state."""
    return match is not None and (
        helps_with(actor, match) or is_self(actor, match.request.person) or coordinates_request(actor, match.request)
    )


@rule("care.offer_help")
def _offer_help(actor: Actor, person: Person | None) -> bool:
    """Anyone signed in may offer help; a coordinator may sign up a helper they coordinate."""
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("care.change_offer")
def _change_offer(actor: Actor, offer: Any) -> bool:
    return offer is not None and (is_self(actor, offer.person) or coordinates_resident(actor, offer.person))


@rule("care.helper_pages")
def _helper_pages(actor: Actor, obj: Any) -> bool:
    return is_helper(actor)


@rule("care.record_vetting")
def _record_vetting(actor: Actor, offer: Any) -> bool:
    return offer is not None and coordinates_resident(actor, offer.person)


@rule("care.view_worklist")
def _worklist(actor: Actor, obj: Any) -> bool:
    return bool(actor.district_scope(Role.COORDINATOR) or actor.organisation_scope(Role.COORDINATOR))


@rule("care.run_round")
def _run_round(actor: Actor, district_id: int | None) -> bool:
    """A round over one of the actor's districts, or (``None``) over all of them."""
    scope = actor.district_scope(Role.COORDINATOR)
    return bool(scope) if district_id is None else district_id in scope


@rule("care.view_round")
def _view_round(actor: Actor, matching_round: Any) -> bool:
    if matching_round is None:
        return False
    if matching_round.district_id is None:
        return actor.person_id is not None and matching_round.started_by_id == actor.person_id
    return matching_round.district_id in actor.district_scope(Role.COORDINATOR)


@rule("care.confirm_round")
def _confirm_round(actor: Actor, matching_round: Any) -> bool:
    return _view_round(actor, matching_round)
