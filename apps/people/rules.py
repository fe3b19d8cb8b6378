"""Who may do what with persons, their roles, consent and data (registered in ``apps/access/rules.py``).

Coordinators read care needs only for the persons they coordinate (in their districts, or followed by their
organisation) and only while the person's consent for that purpose holds; their power over persons stops at
staff accounts (``STAFF_ROLES``: coordinators, organisation and city staff, auditors, administrators).
The helpers here (``is_self``, ``coordinates_resident``, ``has_active_consent``...) are what other apps'
rules are built from.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.access.actors import Actor
from apps.access.rules import rule

from .models import Person, Purpose, Role

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


def acts_as_resident(actor: Actor) -> bool:
    """The account is a resident's, not only a work account: the person holds a role a resident holds (resident,
    helper, initiative starter, centre committee) or no role at all.

    An account that holds only staff roles (``STAFF_ROLES``: an auditor, an administrator, a coordinator...) is
    for their work: it does not ask for help or offer it, and its menu has no "My requests".  Staff who also
    live in the city and need help hold the resident role as well.
    """
    if actor.person_id is None:
        return False
    return not actor.grants or any(grant.role not in STAFF_ROLES for grant in actor.grants)


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


def has_active_consent(person: Person, purpose: str) -> bool:
    return person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists()


# --- the rules ------------------------------------------------------------------------------------


@rule("people.register_person")
def _register(actor: Actor, obj: Any) -> bool:
    return is_coordinator(actor)


@rule("people.search_persons")
def _search(actor: Actor, obj: Any) -> bool:
    return is_coordinator(actor)


@rule("people.view_person", label=_("Looking at a person's record"))
def _view_person(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.change_person", label=_("Changing a person's record"))
def _change_person(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.view_support_needs", label=_("Looking at the help someone needs"))
def _view_needs(actor: Actor, person: Person | None) -> bool:
    """Care needs: the person, or their district's coordinator while consent for care matching holds."""
    if is_self(actor, person):
        return True
    return (
        person is not None and coordinates_resident(actor, person) and has_active_consent(person, Purpose.CARE_MATCHING)
    )


@rule("people.record_consent", label=_("Recording consent"))
def _record_consent(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.export_data", label=_("Download of all data"))
def _export(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates_resident(actor, person)


@rule("people.erase_data", label=_("Erasure of all data"))
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
