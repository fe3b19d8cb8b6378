"""Who is acting: the account, the person behind it and their active roles with scopes.

Resolved once per request (two queries) and passed to every rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from apps.people.models import Person, Role, RoleAssignment


@dataclass(frozen=True)
class Grant:
    role: str
    district_id: int | None = None
    place_id: int | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class Actor:
    user_id: int | None = None
    person_id: int | None = None
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    is_superuser: bool = False
    is_staff: bool = False
    """The account may open the admin at all (Django's flag); the admin also wants the administrator role."""

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def has_role(self, *roles: str) -> bool:
        return any(grant.role in roles for grant in self.grants)

    def district_scope(self, role: str) -> frozenset[int]:
        """Districts in which this actor holds ``role``; empty when none (never "all" by omission)."""
        return frozenset(g.district_id for g in self.grants if g.role == role and g.district_id is not None)

    def organisation_scope(self, role: str) -> frozenset[int]:
        """Organisations for which this actor holds ``role``; empty when none."""
        return frozenset(g.organisation_id for g in self.grants if g.role == role and g.organisation_id is not None)

    def main_role(self) -> str:
        """The role written in the access log: the most powerful one held."""
        order = [
            Role.AUDITOR,
            Role.ADMINISTRATOR,
            Role.COORDINATOR,
            Role.CITY_STAFF,
            Role.ORGANISATION_STAFF,
            Role.CENTRE_COMMITTEE,
            Role.INITIATIVE_STARTER,
            Role.HELPER,
            Role.RESIDENT,
        ]
        for role in order:
            if self.has_role(role):
                return str(role.value)
        return "anonymous" if self.is_anonymous else "account"


ANONYMOUS = Actor()


def actor_for_user(user: Any) -> Actor:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    person = Person.objects.filter(user_id=user.pk, erased_at__isnull=True).only("id").first()
    grants: tuple[Grant, ...] = ()
    if person is not None:
        # a role for an organisation that is no longer active gives nothing
        grants = tuple(
            Grant(role, district_id, place_id, organisation_id)
            for role, district_id, place_id, organisation_id in RoleAssignment.objects.filter(
                Q(organisation__isnull=True) | Q(organisation__active=True), person=person, withdrawn_at__isnull=True
            ).values_list("role", "district_id", "place_id", "organisation_id")
        )
    return Actor(
        user_id=user.pk, person_id=person.pk if person else None, grants=grants, is_superuser=bool(user.is_superuser),
        is_staff=bool(user.is_staff),
    )


def actor_for(request: HttpRequest) -> Actor:
    cached: Actor | None = getattr(request, "_actor", None)
    if cached is None:
        cached = actor_for_user(getattr(request, "user", None))
        request._actor = cached  # type: ignore[attr-defined]
    return cached
