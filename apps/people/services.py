"""Writes for persons, consents and roles.  Keyword-only, validated, one transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.privacy import erase_person
from apps.access.rules import can
from apps.access.services import access_log_write
from apps.organisations.models import Organisation
from apps.places import geo
from apps.places.models import District, Place

from .consent_texts import current_version
from .models import Consent, Person, PlaceChange, Purpose, Role, RoleAssignment
from .phones import normalise_phone
from .places import coarse_home, place_change_record
from .rules import ORGANISATION_ROLES


@dataclass(frozen=True)
class LocatedAddress:
    street: str
    house_number: str
    postcode: str
    lat: float
    lon: float
    district: District


def address_locate(query: str) -> LocatedAddress:
    """Find an address in the register and its district, or raise a ValidationError that says why."""
    found = geo.find_address(query)
    if found.outside:
        raise ValidationError(found.message, code="outside_city")
    if not found.found:
        suggestions = ", ".join(found.suggestions[:3])
        message = found.message + (" " + _("Did you mean: %(names)s?") % {"names": suggestions} if suggestions else "")
        raise ValidationError(message, code="address_not_found")
    if found.district is None:
        raise ValidationError(_("This address lies outside the city."), code="outside_city")
    return LocatedAddress(found.street, found.house_number, found.postcode, found.lat, found.lon, found.district)


def _actor_person(actor: Actor) -> Person | None:
    return Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None


@transaction.atomic
def person_register(
    *,
    actor: Actor,
    first_name: str,
    last_name: str,
    address: str,
    phone: str = "",
    email: str = "",
    languages: list[str] | None = None,
    birth_date: date | None = None,
    contact_preference: str = "phone",
    support_needs: str = "",
    consents: list[str] | None = None,
    consent_method: str = Consent.Method.PHONE,
    organisation: Organisation | None = None,
    via: str = "internal",
) -> Person:
    """A coordinator registers a resident who has no account, usually during a phone call.

    Care needs noted at registration are special-category data written by someone else: one access-log
    entry (``via``: the page or endpoint, see ``apps.access.services.via_of``).

    A coordinator for an organisation registers the person as followed by it
    (chosen when they coordinate for several, or also for districts); such a
    person may live anywhere in the city.  Otherwise the address must lie in a
    district the coordinator coordinates.
    """
    if not can(actor, "people.register_person"):
        raise PermissionDenied
    organisation = _following_organisation(actor, organisation)
    located = address_locate(address)
    if organisation is None and located.district.pk not in actor.district_scope(Role.COORDINATOR):
        if actor.organisation_scope(Role.COORDINATOR):
            raise ValidationError(
                _(
                    "This address lies in a district you do not coordinate. "
                    "Choose the organisation that follows this person."
                ),
                code="out_of_scope",
            )
        raise ValidationError(_("This address lies in a district you do not coordinate."), code="out_of_scope")
    coordinator = _actor_person(actor)
    person = Person(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        phone=normalise_phone(phone) if phone else "",
        email=email.strip().lower(),
        street=located.street,
        house_number=located.house_number,
        postcode=located.postcode,
        lat=located.lat,
        lon=located.lon,
        district=located.district,
        languages=sorted(set(languages or [])),
        birth_date=birth_date,
        contact_preference=contact_preference,
        support_needs=support_needs.strip(),
        registered_by=coordinator,
        organisation=organisation,
    )
    person.full_clean()
    person.save()
    RoleAssignment.objects.create(person=person, role=Role.RESIDENT, granted_by=coordinator)
    for purpose in consents or []:
        consent_give(actor=actor, person=person, purpose=purpose, method=consent_method)
    if person.support_needs:
        _log_support_needs_change(actor, person, via)
    return person


def _log_support_needs_change(actor: Actor, person: Person, via: str) -> None:
    access_log_write(
        actor=actor,
        subject_person_id=person.pk,
        record_type="people.Person.support_needs",
        record_id=person.pk,
        action="change",
        purpose=Purpose.CARE_MATCHING,
        allowed=True,
        via=via,
    )


def _following_organisation(actor: Actor, organisation: Organisation | None) -> Organisation | None:
    """The organisation a new person is registered through: the one chosen, or the coordinator's only scope."""
    scope = actor.organisation_scope(Role.COORDINATOR)
    if organisation is None:
        if len(scope) == 1 and not actor.district_scope(Role.COORDINATOR):
            return Organisation.objects.filter(pk__in=scope, active=True).first()
        return None
    if organisation.pk not in scope or not organisation.active:
        raise ValidationError(_("You do not coordinate for this organisation."), code="organisation_out_of_scope")
    return organisation


@transaction.atomic
def person_update(
    *, actor: Actor, person: Person, address: str | None = None, via: str = "internal", **fields: Any
) -> Person:
    if not can(actor, "people.change_person", person):
        raise PermissionDenied
    allowed = {
        "first_name",
        "last_name",
        "phone",
        "email",
        "languages",
        "birth_date",
        "contact_preference",
        "support_needs",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    if fields.get("phone"):
        fields["phone"] = normalise_phone(fields["phone"])
    if "phone" in fields and person.user_id and person.phone_verified and (fields["phone"] or "") != person.phone:
        # the confirmed number signs this person in: it changes only through the account page, after a fresh
        # sign-in and with a code sent to the new number (ASVS 7.5.1), never through a profile form or the API
        raise ValidationError(
            _(
                "This is the mobile number you sign in with. Change it under “Sign-in and security”: "
                "we send a code to the new number."
            ),
            code="phone_is_login",
        )
    for name, value in fields.items():
        setattr(person, name, value)
    changed = list(fields)
    if address:
        located = address_locate(address)
        if (located.lat, located.lon) != (person.lat, person.lon):  # limited and recorded (issue 12)
            before = coarse_home(person)
            after = coarse_home(located)
            place_change_record(actor=actor, person=person, kind=PlaceChange.Kind.HOME, before=before, after=after,
                                via=via)  # fmt: skip
        for name in ("street", "house_number", "postcode", "lat", "lon", "district"):
            setattr(person, name, getattr(located, name))
        changed += ["street", "house_number", "postcode", "lat", "lon", "district"]
    person.full_clean()
    person.save(update_fields=[*changed, "updated_at"])
    if "support_needs" in fields:
        _log_support_needs_change(actor, person, via)  # not logged when it is the person themselves
    return person


def consent_give(*, actor: Actor, person: Person, purpose: str, method: str) -> Consent:
    """Record a consent.  Giving one that is already active changes nothing and returns it."""
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown purpose."), code="unknown_purpose")
    if method not in Consent.Method.values:
        raise ValidationError(_("Unknown way of giving consent."), code="unknown_method")
    if not can(actor, "people.record_consent", person):
        raise PermissionDenied
    if method == Consent.Method.ONLINE and actor.person_id != person.pk:
        raise ValidationError(
            _("Only the person can consent online; record it as by phone or on paper."), code="online_only_by_person"
        )
    with transaction.atomic():
        active = person.consents.select_for_update().filter(purpose=purpose, withdrawn_at__isnull=True).first()
        if active is not None:
            return active
        try:
            with transaction.atomic():
                return Consent.objects.create(
                    person=person,
                    purpose=purpose,
                    method=method,
                    text_version=current_version(purpose),
                    recorded_by=_actor_person(actor),
                    given_at=timezone.now(),
                )
        except IntegrityError:  # given at the same moment elsewhere
            return person.consents.get(purpose=purpose, withdrawn_at__isnull=True)


def consent_withdraw(*, actor: Actor, person: Person, purpose: str) -> bool:
    """Withdraw at once; returns False when there was nothing to withdraw."""
    if not can(actor, "people.record_consent", person):
        raise PermissionDenied
    updated = person.consents.filter(purpose=purpose, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=_actor_person(actor)
    )
    if updated:
        transaction.on_commit(lambda: consent_withdrawn.send(sender=Person, person_id=person.pk, purpose=purpose))
    return updated > 0


consent_withdrawn = Signal()
"""Sent once a withdrawal is committed (``person_id``, ``purpose``): a capability that acted on the consent (a
referral sent to a service) ends what depended on it.  The foundation names no capability: they connect."""


def role_scope_check(
    *, role: str, district: District | None, place: Place | None, organisation: Organisation | None
) -> None:
    """Raise a ValidationError that says why, when a role and its scope do not fit together."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="unknown_role")
    if role == Role.ORGANISATION_STAFF and organisation is None:
        raise ValidationError(
            _("Organisation staff work for an organisation: choose the organisation."), code="organisation_required"
        )
    if organisation is not None and role not in ORGANISATION_ROLES:
        raise ValidationError(
            _("Only coordinators and organisation staff can work for an organisation."), code="organisation_not_allowed"
        )
    if role == Role.ORGANISATION_STAFF and (district is not None or place is not None):
        raise ValidationError(
            _("Organisation staff have no district or place: their organisation is their scope."),
            code="organisation_staff_scope",
        )
    if role == Role.COORDINATOR and district is None and organisation is None:
        raise ValidationError(
            _("A coordinator works for one or more districts or an organisation: choose a district or organisation."),
            code="coordinator_scope_required",
        )
    if role == Role.CENTRE_COMMITTEE and place is None:
        raise ValidationError(
            _("A neighbourhood centre committee member belongs to a centre: choose the place."),
            code="place_required",
        )
    if organisation is not None and not organisation.active:
        raise ValidationError(_("This organisation is no longer active."), code="organisation_inactive")


@transaction.atomic
def role_grant(
    *,
    actor: Actor,
    person: Person,
    role: str,
    district: District | None = None,
    place: Place | None = None,
    organisation: Organisation | None = None,
) -> RoleAssignment:
    """Grant a role with its scope; granting one that is already held changes nothing and returns it."""
    role_scope_check(role=role, district=district, place=place, organisation=organisation)
    target = (person, role, district.pk if district else None, organisation.pk if organisation else None)
    if not can(actor, "people.grant_role", target):
        raise PermissionDenied
    scope = {"district": district, "place": place, "organisation": organisation}
    existing = person.roles.filter(role=role, withdrawn_at__isnull=True, **scope).first()
    if existing:
        return existing
    return RoleAssignment.objects.create(person=person, role=role, granted_by=_actor_person(actor), **scope)


@transaction.atomic
def role_withdraw(*, actor: Actor, assignment: RoleAssignment) -> RoleAssignment:
    target = (assignment.person, assignment.role, assignment.district_id, assignment.organisation_id)
    if not can(actor, "people.grant_role", target):
        raise PermissionDenied
    if assignment.withdrawn_at is None:
        assignment.withdrawn_at = timezone.now()
        assignment.withdrawn_by = _actor_person(actor)
        assignment.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return assignment


@transaction.atomic
def person_erase(*, actor: Actor, person: Person, via: str = "internal") -> None:
    """Remove or anonymise every personal field of the person in every app (``apps.access.privacy``).

    The person themselves, or their coordinator on their behalf (``people.erase_data``); an erasure by
    someone else is written to the access log (``via``: the page or endpoint), never the data itself.
    """
    if not can(actor, "people.erase_data", person):
        raise PermissionDenied
    access_log_write(
        actor=actor,
        subject_person_id=person.pk,
        record_type="people.Person",
        record_id=person.pk,
        action="erase",
        purpose="data_erasure",
        allowed=True,
        via=via,
    )
    erase_person(person)


def email_is_verified(user: Any) -> bool:
    """The account's email address is confirmed (allauth's record of it)."""
    from allauth.account.models import EmailAddress

    email = getattr(user, "email", "") or ""
    return bool(email) and EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def person_link_account(*, user: Any, email: str = "", phone: str = "", email_verified: bool = False) -> Person:
    """After sign-up: link the account to the person a coordinator registered before, or create one.

    Matching is on a verified email address (``email_verified``) or a verified phone number (callers pass
    one only once its code was given) of a person without an account, so nobody's record is duplicated and
    nobody takes over another's: an address typed at sign-up links only once it is confirmed
    (``person_link_confirmed_email``).
    """
    existing = Person.objects.filter(user=user).first()
    if existing:
        return existing
    candidates = Person.objects.filter(user__isnull=True, erased_at__isnull=True)
    match = None
    if email and email_verified:
        match = candidates.filter(email__iexact=email).order_by("pk").first()
    if match is None and phone:
        match = candidates.filter(phone=normalise_phone(phone)).order_by("pk").first()
    if match is not None:
        match.user = user
        match.save(update_fields=["user", "updated_at"])
        return match
    person = Person.objects.create(
        user=user, first_name="", last_name="", email=email, phone=normalise_phone(phone) if phone else ""
    )
    RoleAssignment.objects.create(person=person, role=Role.RESIDENT)
    return person


def _is_blank(person: Person) -> bool:
    """Made at sign-up and never used: no name, no care needs, nothing anywhere points to it but its resident role."""
    if person.first_name or person.last_name or person.support_needs or person.street:
        return False
    if person.roles.exclude(role=Role.RESIDENT, granted_by__isnull=True, withdrawn_at__isnull=True).exists():
        return False
    for relation in Person._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.related_model is RoleAssignment:
            continue
        related = relation.related_model._default_manager.filter(**{relation.field.name: person})  # type: ignore[union-attr]
        if related.exists():
            return False
    return True


@transaction.atomic
def person_link_confirmed_email(*, user: Any, email: str) -> Person:
    """The account's email address is confirmed: now link the person a coordinator registered with it.

    If the account already has a person that was only made at sign-up and never used (a phone number given
    then, say), the registered person takes its place, with the account's verified number.  A person that
    holds anything else is kept as it is: nothing is merged by guesswork.
    """
    current = Person.objects.select_for_update().filter(user=user).first()
    if current is None:
        return person_link_account(user=user, email=email, email_verified=True)
    match = (
        Person.objects.select_for_update()
        .filter(user__isnull=True, erased_at__isnull=True, email__iexact=email)
        .order_by("pk")
        .first()
    )
    if match is None or not _is_blank(current):
        return current
    phone, phone_verified = current.phone, current.phone_verified
    current.delete()
    match.user = user
    fields = ["user", "updated_at"]
    if phone and phone_verified:
        match.phone, match.phone_verified = phone, True
        fields += ["phone", "phone_verified"]
    match.save(update_fields=fields)
    return match
