"""Reads of persons.  Object access is checked here: missing and forbidden both raise Http404."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, Func, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Replace
from django.http import Http404, HttpRequest

from apps.access.actors import Actor, actor_for
from apps.access.rules import can
from apps.access.services import log_request_access
from apps.places.models import District
from domain.formats import phone_search_keys, phone_terms

from .models import Consent, Person, Purpose, Role, RoleAssignment
from .phones import normalise_phone
from .rules import STAFF_ROLES


def person_for(
    actor: Actor, person_id: int, rule: str = "people.view_person", request: HttpRequest | None = None
) -> Person:
    """The person, if the rule allows; otherwise the same 404 as for an id that does not exist.

    A refused attempt is written to the access log (their record holds care needs), so probing shows up for the
    auditor: for an existing person and for an id that does not exist alike (no person named), so that both
    answers cost the same write and their timing does not tell them apart.
    """
    person = (
        Person.objects.select_related("district", "organisation", "user")
        .filter(pk=person_id, erased_at__isnull=True)
        .first()
    )
    if person is None or not can(actor, rule, person):
        if request is not None:
            log_request_access(
                request,
                subject_person_id=person.pk if person else None,
                record_type="people.Person",
                record_id=person_id,
                action="read",
                purpose=rule,
                allowed=False,
            )
        raise Http404
    return person


def person_with_account(login: str) -> Person | None:
    """The person whose account signs in with this email address or mobile number, if any."""
    accounts = Person.objects.filter(user__isnull=False, erased_at__isnull=True)
    if "@" in login:
        return accounts.filter(Q(user__email__iexact=login) | Q(email__iexact=login)).order_by("pk").first()
    try:
        phone = normalise_phone(login)
    except ValidationError:
        return None
    return accounts.filter(phone=phone).order_by("pk").first()


def grant_district(actor: Actor, person: Person) -> District | None:
    """The district a coordinator's grant is limited to: the person's, when the coordinator coordinates it."""
    return person.district if person.district_id in actor.district_scope(Role.COORDINATOR) else None


def own_person(actor: Actor) -> Person | None:
    if actor.person_id is None:
        return None
    return Person.objects.select_related("district").filter(pk=actor.person_id).first()


def persons_search(actor: Actor, query: str = "") -> QuerySet[Person]:
    """Residents the coordinator coordinates only (their districts, their organisations), by name, phone or street."""
    in_scope = Q(district_id__in=actor.district_scope(Role.COORDINATOR)) | Q(
        organisation_id__in=actor.organisation_scope(Role.COORDINATOR)
    )
    # staff (administrators, auditors, other coordinators, ...) are not "residents of my districts"
    staff = RoleAssignment.objects.filter(person_id=OuterRef("pk"), role__in=STAFF_ROLES, withdrawn_at__isnull=True)
    persons = (
        Person.objects.filter(in_scope, erased_at__isnull=True)
        .exclude(Exists(staff))
        .select_related("district", "organisation")
    )
    numbers, words = phone_terms(query)
    persons = persons.annotate(phone_digits=_digits_of("phone"))
    for number in numbers[:5]:
        # a number typed as +32 477 50.30.67, 0477/503067 or 0032477503067, against the stored number with
        # its spaces, dots and slashes taken out (stored in E.164, or nationally before that rule)
        keys = phone_search_keys(number)
        match = Q(pk__in=[])
        for key in keys:
            match |= Q(phone_digits__contains=key)
        persons = persons.filter(match)
    for word in words[: max(0, 5 - len(numbers))]:
        persons = persons.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(phone_digits__contains=word)
            | Q(street__icontains=word)
        )
    return persons.order_by("last_name", "first_name")


def _digits_of(field: str) -> Func:
    """The stored phone number without the characters people write between digits."""
    expression: Func | F = F(field)
    for character in (" ", ".", "/", "-", "(", ")", "\xa0"):
        expression = Replace(expression, Value(character), Value(""))
    return expression  # type: ignore[return-value]


DUPLICATES_SHOWN = 5
"""Likely duplicates a registration names at most."""


@dataclass(frozen=True)
class LikelyDuplicate:
    """A person already registered who may be the one being registered, and why: ``same_phone`` (the same
    number, in whatever format it was typed) and/or ``same_name_and_address``.  ``visible``: the coordinator
    may open their page (else the page says only that such a person exists, without a name)."""

    person: Person
    same_phone: bool
    same_name_and_address: bool
    visible: bool


def likely_duplicates(
    actor: Actor, *, first_name: str, last_name: str, phone: str, street: str, house_number: str, postcode: str
) -> list[LikelyDuplicate]:
    """Persons already registered with the same phone number (``phone`` normalised, as every stored number
    is), or with the same first and last name at the same address (case and spaces aside): what a
    coordinator should look at before registering someone a second time.  Two queries and a rule per match."""
    same_name_and_address = Q(
        first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), street__iexact=street.strip(),
        house_number__iexact=house_number.strip(), postcode=postcode.strip(),
    )  # fmt: skip
    matches = same_name_and_address | Q(phone=phone) if phone else same_name_and_address
    found = Person.objects.filter(matches, erased_at__isnull=True).select_related("district").order_by("pk")
    return [
        LikelyDuplicate(
            person=person,
            same_phone=bool(phone) and person.phone == phone,
            same_name_and_address=(
                person.first_name.strip().casefold() == first_name.strip().casefold()
                and person.last_name.strip().casefold() == last_name.strip().casefold()
                and person.street.casefold() == street.strip().casefold()
                and person.house_number.casefold() == house_number.strip().casefold()
            ),
            visible=can(actor, "people.view_person", person),
        )
        for person in found[:DUPLICATES_SHOWN]
    ]


def support_needs_read(request: HttpRequest, person: Person) -> str | None:
    """Care needs (special-category data): shown only by rule, and every read by another person is logged."""
    actor = actor_for(request)
    allowed = can(actor, "people.view_support_needs", person)
    log_request_access(
        request,
        subject_person_id=person.pk,
        record_type="people.Person.support_needs",
        record_id=person.pk,
        action="read",
        purpose=Purpose.CARE_MATCHING,
        allowed=allowed,
    )
    return person.support_needs if allowed else None


def active_consents(person: Person) -> dict[str, Consent]:
    return {c.purpose: c for c in person.consents.filter(withdrawn_at__isnull=True)}


def consent_history(person: Person) -> QuerySet[Consent]:
    return person.consents.select_related("recorded_by").order_by("-given_at")


def active_roles(person: Person) -> QuerySet[RoleAssignment]:
    return person.roles.filter(withdrawn_at__isnull=True).select_related("district", "place", "organisation")


def role_history(person: Person) -> QuerySet[RoleAssignment]:
    return person.roles.select_related("district", "place", "organisation", "granted_by", "withdrawn_by").order_by(
        "-granted_at"
    )
