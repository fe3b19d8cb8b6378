"""Every rule "who may do what on which object", declared once.

Pages, the API and exports all ask ``can(actor, rule, obj)``.  A rule that is
not declared here does not exist, and asking for it is a programming error.
Least privilege: city staff and administrators run the city, they do not
read residents' care needs; coordinators read them only in their districts
and only while the person's consent for that purpose holds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from apps.people.models import Person, Purpose, Role

from .actors import Actor

Predicate = Callable[[Actor, Any], bool]
RULES: dict[str, Predicate] = {}

# Which roles may grant which roles
GRANTABLE_BY: dict[str, set[str]] = {
    Role.ADMINISTRATOR: {r.value for r in Role},
    Role.COORDINATOR: {Role.RESIDENT.value, Role.HELPER.value},
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


def coordinates(actor: Actor, person: Person | None) -> bool:
    """The actor is a coordinator of the district the person lives in."""
    return person is not None and person.district_id in actor.district_scope(Role.COORDINATOR)


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
    return bool(actor.district_scope(Role.COORDINATOR))


@rule("people.search_persons")
def _search(actor: Actor, obj: Any) -> bool:
    return bool(actor.district_scope(Role.COORDINATOR))


@rule("people.view_person")
def _view_person(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates(actor, person)


@rule("people.change_person")
def _change_person(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates(actor, person)


@rule("people.view_support_needs")
def _view_needs(actor: Actor, person: Person | None) -> bool:
    """Care needs: the person, or their district's coordinator while consent for care matching holds."""
    if is_self(actor, person):
        return True
    return coordinates(actor, person) and person is not None and has_active_consent(person, Purpose.CARE_MATCHING)


@rule("people.record_consent")
def _record_consent(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates(actor, person)


@rule("people.export_data")
def _export(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates(actor, person)


@rule("people.erase_data")
def _erase(actor: Actor, person: Person | None) -> bool:
    return is_self(actor, person) or coordinates(actor, person)


@rule("people.grant_role")
def _grant(actor: Actor, target: tuple[Person, str, int | None] | None) -> bool:
    """``target`` is (person, role, district id); a coordinator grants only helper/resident roles in scope."""
    if target is None:
        return actor.has_role(*GRANTABLE_BY)
    person, role, district_id = target
    if actor.has_role(Role.ADMINISTRATOR):
        return True
    if actor.has_role(Role.COORDINATOR) and role in GRANTABLE_BY[Role.COORDINATOR]:
        scope = actor.district_scope(Role.COORDINATOR)
        return person.district_id in scope and (district_id is None or district_id in scope)
    return False


@rule("access.view_own_reads")
def _own_reads(actor: Actor, obj: Any) -> bool:
    return actor.person_id is not None


@rule("access.search_log")
def _search_log(actor: Actor, obj: Any) -> bool:
    return actor.has_role(Role.AUDITOR)
