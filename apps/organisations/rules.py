"""Who may see and change organisations and their staff (registered in ``apps/access/rules.py``).

Organisation staff see and edit their own organisation's profile, and nothing of persons.
"""

from __future__ import annotations

from typing import Any

from apps.access.actors import Actor
from apps.access.rules import rule
from apps.people.models import Role

from .models import Organisation


def works_for(actor: Actor, organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.pk in actor.organisation_scope(Role.ORGANISATION_STAFF)


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
