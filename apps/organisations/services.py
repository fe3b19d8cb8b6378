"""Writes for organisations.  Keyword-only, validated, one transaction each."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.rules import can
from apps.people.phones import normalise_phone

from .models import Organisation

CHANGEABLE = {"name", "description", "email", "website", "phone"}


@transaction.atomic
def organisation_update(*, actor: Actor, organisation: Organisation, **fields: Any) -> Organisation:
    """Change the profile; its staff and administrators may.  Bad input raises a ValidationError and saves nothing."""
    if not can(actor, "organisations.change_organisation", organisation):
        raise PermissionDenied
    unknown = set(fields) - CHANGEABLE
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise ValidationError(_("Give the name of the organisation."), code="name_required")
    if fields.get("phone"):
        fields["phone"] = normalise_phone(fields["phone"])
    if "email" in fields:
        fields["email"] = (fields["email"] or "").strip().lower()
    for name, value in fields.items():
        setattr(organisation, name, value if value is not None else "")
    try:
        organisation.full_clean()
    except ValidationError:
        organisation.refresh_from_db()
        raise
    organisation.save(update_fields=[*fields, "updated_at"])
    return organisation
