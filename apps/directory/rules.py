"""Who may do what in the service directory and with referrals (registered in ``apps/access/rules.py``).

Objects: an Organisation (whose records), a Revision, a Referral, a Person (who is referred).

- Anyone, signed in or not, searches the published directory (``public``).
- Organisation staff propose changes to their own organisation's records only; city staff and administrators
  review them.  Administrators manage the types of help (in the admin).
- A coordinator refers a person they coordinate, after recording the person's consent for sharing with a
  referred service; they follow the referrals of the persons they coordinate.
- The receiving organisation's staff see and answer only the referrals to their own organisation's services.
- The person sees where they were referred and what happened.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.access.actors import Actor
from apps.access.rules import rule
from apps.organisations.models import Organisation
from apps.people.models import Person, Purpose, Role
from apps.people.rules import acts_as_resident, coordinates_resident, has_active_consent, is_coordinator, is_self


def works_for(actor: Actor, organisation_id: int | None) -> bool:
    return organisation_id is not None and organisation_id in actor.organisation_scope(Role.ORGANISATION_STAFF)


def is_reviewer(actor: Actor) -> bool:
    return actor.has_role(Role.CITY_STAFF, Role.ADMINISTRATOR)


# --- the directory ----------------------------------------------------------------------------------


@rule("directory.manage_own_records")
def _manage_own_records(actor: Actor, obj: Any) -> bool:
    """The "Our services" pages: staff of at least one organisation."""
    return bool(actor.organisation_scope(Role.ORGANISATION_STAFF))


@rule("directory.edit_records")
def _edit_records(actor: Actor, organisation: Organisation | None) -> bool:
    """Propose a change to an organisation's services, locations or profile: its own staff only."""
    return organisation is not None and works_for(actor, organisation.pk)


@rule("directory.review")
def _review(actor: Actor, obj: Any) -> bool:
    """Review proposed changes before they are public: city staff and administrators."""
    return is_reviewer(actor)


@rule("directory.view_revision")
def _view_revision(actor: Actor, revision: Any) -> bool:
    return revision is not None and (works_for(actor, revision.organisation_id) or is_reviewer(actor))


# --- referrals ----------------------------------------------------------------------------------------


@rule("directory.refer", label=_("Referring a person to a service"))
def _refer(actor: Actor, person: Person | None) -> bool:
    """Refer a person one coordinates (the consent for sharing is recorded in the same step)."""
    return coordinates_resident(actor, person)


@rule("directory.follow_referrals", label=_("Coordinator's referrals"))
def _follow_referrals(actor: Actor, obj: Any) -> bool:
    return is_coordinator(actor)


@rule("directory.view_referral", label=_("Looking at a referral to a service"))
def _view_referral(actor: Actor, referral: Any) -> bool:
    """The receiving organisation's staff, the coordinators of the person, the person themself.

    The receiving organisation sees a referral only while the person's consent for sharing holds (a
    withdrawn consent withdraws the referral too, ``services.consent_withdrawn``).
    """
    if referral is None:
        return False
    if is_self(actor, referral.person):
        return True
    if coordinates_resident(actor, referral.person):
        return True
    consent = has_active_consent(referral.person, Purpose.SHARE_WITH_SERVICE)
    return works_for(actor, referral.organisation_id) and consent


@rule("directory.answer_referral", label=_("Answering a referral"))
def _answer_referral(actor: Actor, referral: Any) -> bool:
    return (
        referral is not None
        and works_for(actor, referral.organisation_id)
        and has_active_consent(referral.person, Purpose.SHARE_WITH_SERVICE)
    )


@rule("directory.manage_referral", label=_("Following up a referral"))
def _manage_referral(actor: Actor, referral: Any) -> bool:
    """Withdraw, mark "no answer", send again: the coordinators of the person."""
    return referral is not None and coordinates_resident(actor, referral.person)


@rule("directory.incoming_referrals")
def _incoming_referrals(actor: Actor, obj: Any) -> bool:
    return bool(actor.organisation_scope(Role.ORGANISATION_STAFF))


@rule("directory.view_my_referrals")
def _view_my_referrals(actor: Actor, obj: Any) -> bool:
    return actor.person_id is not None and acts_as_resident(actor)
