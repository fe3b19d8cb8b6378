"""Outreach cases (issue 17, item 4): who sees them, the reads (each in the access log) and the writes.

A coordinator opens a case from a neighbour's report (``services.report_open_case``), from a screening
(``open_case_from_screening``) or from their own observation (``case_open``); assigns it to themselves or a
colleague of the same team (``colleagues``: the coordinators of the case's district, or of its organisation);
logs contact attempts; sets a follow-up date that puts it on their worklist and call list; links what was offered
(a care request, a referral to a service, a buddy or an activity as a note); and closes it with an outcome.

Who sees a case (``may_see_case``, the rule ``wellbeing.view_case``): the assigned coordinator, while they still
coordinate the case's district or team, and the team lead of that district or team (``models_cases.TeamLead``).
No one else: not the other coordinators of the district, not staff, not the person's helpers.

Consent: a first contact needs none.  Until the person's consent for the wellbeing purpose
(``Purpose.WELLBEING_SCREENING``, the purpose the foundation gave cases and screenings) is recorded on the case, a
case allows contact attempts, follow-up dates, assigning, saying who the person is, recording the consent and
closing, and nothing else: no offers, no referrals, no screenings (``needs_consent``).

Every write locks the case (``select_for_update``) and asks the rule again on the locked row, so two coordinators
pressing at once cannot both close, or assign past a change of team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.rules import can
from apps.access.services import log_request_access, log_request_list
from apps.care.models import CareRequest
from apps.directory.models import Referral
from apps.people.models import Consent, Person, Purpose, Role, RoleAssignment
from apps.people.rules import STAFF_ROLES, coordinates_resident
from apps.people.services import consent_give
from apps.places.models import District

from .models import CaseOffer, ContactAttempt, OutreachCase, Screening
from .models_cases import TeamLead

RECORD = "wellbeing.OutreachCase"
PURPOSE = Purpose.WELLBEING_SCREENING
NOTE_MAX = 500
NOTES_MAX = 2000
FOLLOW_UP_MAX_DAYS = 366  # a follow-up further than a year ahead is a typing mistake
ATTEMPT_MAX_AGE_DAYS = 90  # an attempt recorded later than this is not remembered well enough


def tries_needed() -> int:
    """N of "not reached after N tries" (setting ``WELLBEING_CASE_TRIES_BEFORE_NOT_REACHED``)."""
    return int(settings.WELLBEING_CASE_TRIES_BEFORE_NOT_REACHED)


# --- who ---------------------------------------------------------------------------------------------------


def _lead_rows(person_id: int) -> QuerySet[TeamLead]:
    return TeamLead.objects.filter(person_id=person_id, withdrawn_at__isnull=True)


def lead_scope(actor: Actor) -> tuple[frozenset[int], frozenset[int]]:
    """The districts and organisations of which the actor is team lead now: marked lead (``TeamLead``) and still
    a coordinator there."""
    if actor.person_id is None:
        return frozenset(), frozenset()
    districts, organisations = set(), set()
    for district_id, organisation_id in _lead_rows(actor.person_id).values_list("district_id", "organisation_id"):
        if district_id in actor.district_scope(Role.COORDINATOR):
            districts.add(district_id)
        if organisation_id in actor.organisation_scope(Role.COORDINATOR):
            organisations.add(organisation_id)
    return frozenset(districts), frozenset(organisations)


def _in_scope(
    district_id: int | None, organisation_id: int | None, scope: tuple[frozenset[int], frozenset[int]]
) -> bool:
    return district_id in scope[0] or (organisation_id is not None and organisation_id in scope[1])


def coordinator_scope(actor: Actor) -> tuple[frozenset[int], frozenset[int]]:
    return actor.district_scope(Role.COORDINATOR), actor.organisation_scope(Role.COORDINATOR)


def is_team_lead(actor: Actor, case: OutreachCase) -> bool:
    return _in_scope(case.district_id, case.organisation_id, lead_scope(actor))


def leads_person(actor: Actor, person: Person) -> bool:
    """The actor is team lead of the person's district or of an organisation that follows them."""
    return _in_scope(person.district_id, person.organisation_id, lead_scope(actor))


def screening_cases(actor: Actor, person: Person) -> list[int]:
    """The cases about the person that the actor is assigned to and still sees (open or closed, until
    anonymised): the screenings taken for those cases are theirs to read."""
    if actor.person_id is None:
        return []
    scope = coordinator_scope(actor)
    assigned = OutreachCase.objects.filter(person=person, assigned_to_id=actor.person_id, anonymised_at__isnull=True)
    return [pk for pk, d, o in assigned.values_list("pk", "district_id", "organisation_id") if _in_scope(d, o, scope)]


def follows_screening(actor: Actor, screening: Screening) -> bool:
    """The actor took the screening, is assigned to the case it was taken for (or opened from), or is the team
    lead of the person's district or team.

    Not "assigned to any case about the person": a coordinator could open a case about anyone they coordinate
    and so read every screening of theirs (an attacker review found it).  A case gives its coordinator the
    screenings *of that case* only: the one it was opened from, those taken for it, and those a team lead
    opened it from before assigning it."""
    if actor.person_id is None or screening.person is None:
        return False
    if screening.taken_by_id == actor.person_id or leads_person(actor, screening.person):
        return True
    return screening.case_id is not None and screening.case_id in screening_cases(actor, screening.person)


def may_see_case(actor: Actor, case: Any) -> bool:
    """The rule ``wellbeing.view_case``: the assigned coordinator while they coordinate the case's district or
    team, and the team lead of that district or team."""
    if not isinstance(case, OutreachCase) or actor.person_id is None:
        return False
    if case.anonymised_at is not None:
        return False
    mine = case.assigned_to_id == actor.person_id
    if mine and _in_scope(case.district_id, case.organisation_id, coordinator_scope(actor)):
        return True
    return is_team_lead(actor, case)


def colleagues(case: OutreachCase) -> QuerySet[Person]:
    """Whom the case may be assigned to: the coordinators of its district, or of its organisation (the team),
    holding that role now (an organisation no longer active gives nothing, as for the actor)."""
    scope = Q(district_id=case.district_id)
    if case.organisation_id is not None:
        scope |= Q(organisation_id=case.organisation_id)
    grants = RoleAssignment.objects.filter(
        scope, Q(organisation__isnull=True) | Q(organisation__active=True), role=Role.COORDINATOR,
        withdrawn_at__isnull=True,
    )  # fmt: skip
    return Person.objects.filter(pk__in=grants.values("person_id"), erased_at__isnull=True).order_by(
        "first_name", "last_name", "pk"
    )


def has_consent(case: OutreachCase) -> bool:
    """The person's consent for the wellbeing purpose is recorded on the case and not withdrawn."""
    return case.consent_id is not None and case.consent is not None and case.consent.withdrawn_at is None


def needs_consent(case: OutreachCase) -> None:
    if not has_consent(case):
        raise ValidationError(
            _("First record the person's consent: without it, only contact attempts are possible."), code="consent"
        )


# --- reads -------------------------------------------------------------------------------------------------


def _cases() -> QuerySet[OutreachCase]:
    return OutreachCase.objects.select_related("person", "assigned_to", "consent", "district").defer(
        "district__geometry"
    )


def case_for(
    actor: Actor, pk: int, http: HttpRequest | None, *, action: str = "read", lock: bool = False
) -> OutreachCase:
    """One case, if ``wellbeing.view_case`` allows; every attempt in the access log, allowed or refused; 404 for
    "missing" and "forbidden" alike.  An id that does not exist is logged as refused too (no person): the same
    write either way, so the time of the answer does not tell "exists" from "does not"."""
    found = _cases().filter(pk=pk).first()
    allowed = found is not None and can(actor, "wellbeing.view_case", found)
    if http is not None:
        log_request_access(
            http, subject_person_id=found.person_id if found else None, record_type=RECORD, record_id=pk,
            action=action, purpose="wellbeing.view_case", allowed=allowed,
        )  # fmt: skip
    if found is None:
        raise Http404
    if not allowed:
        raise Http404
    return found


def case_for_write(pk: int) -> OutreachCase:
    """The case as it is now, unchecked: only to decide where a view goes after a write it made."""
    return _cases().get(pk=pk)


def _due_first(today: date) -> Case:
    return Case(
        When(follow_up_on__lte=today, then=Value(0)), When(follow_up_on__isnull=False, then=Value(1)),
        default=Value(2), output_field=IntegerField(),
    )  # fmt: skip


def my_open_cases(actor: Actor, today: date) -> QuerySet[OutreachCase]:
    """The actor's open cases: due today or overdue first (oldest date on top), then later dates, then those
    without a date (oldest case on top).  Only those the actor still sees as assigned coordinator: the rule's
    scope is in the query (their districts and teams now), so a page of them is one query."""
    districts, organisations = coordinator_scope(actor)
    return (
        _cases()
        .filter(Q(district_id__in=districts) | Q(organisation_id__in=organisations),
                assigned_to_id=actor.person_id, anonymised_at__isnull=True)
        .exclude(status=OutreachCase.Status.CLOSED)
        .annotate(due=_due_first(today))
        .order_by("due", "follow_up_on", "created_at", "pk")
    )  # fmt: skip


def my_cases(actor: Actor, today: date) -> list[OutreachCase]:
    """``my_open_cases``, at most 500."""
    return list(my_open_cases(actor, today)[:500])


def _team_rows(actor: Actor) -> QuerySet[OutreachCase]:
    districts, organisations = lead_scope(actor)
    return (
        _cases()
        .filter(Q(district_id__in=districts) | Q(organisation_id__in=organisations), anonymised_at__isnull=True)
        .exclude(status=OutreachCase.Status.CLOSED)
        .exclude(assigned_to_id=actor.person_id)
    )


def team_cases(actor: Actor, today: date) -> QuerySet[OutreachCase]:
    """For a team lead: the open cases of their teams assigned to someone else (or to no one), due first (empty
    for anyone who leads no team)."""
    return _team_rows(actor).annotate(due=_due_first(today)).order_by("due", "follow_up_on", "created_at", "pk")


def team_case_count(actor: Actor) -> int:
    return _team_rows(actor).count()


ONLINE_DAYS = 90


def closed_cases(actor: Actor) -> QuerySet[OutreachCase]:
    """The closed cases the actor still sees (until retention anonymises them), last closed first: their own, and
    for a team lead those of their teams."""
    # ``may_see_case`` in one query: assigned to the actor while they coordinate its district or team, or in a
    # district or team the actor leads (asking it per row cost a query per case of someone else's)
    own_districts, own_organisations = coordinator_scope(actor)
    lead_districts, lead_organisations = lead_scope(actor)
    mine = Q(assigned_to_id=actor.person_id) & (
        Q(district_id__in=own_districts) | Q(organisation_id__in=own_organisations)
    )
    scope = mine | Q(district_id__in=lead_districts) | Q(organisation_id__in=lead_organisations)
    rows = _cases().filter(scope, status=OutreachCase.Status.CLOSED, anonymised_at__isnull=True)
    return rows.order_by("-closed_at", "-pk")


def screenings_to_follow(actor: Actor, now: datetime | None = None, *, limit: int = 200) -> list[Screening]:
    """For a team lead: what residents of their districts or teams filled in online themselves in the last
    ``ONLINE_DAYS`` days that points to loneliness, on no case, with no open case about the person and their
    consent still holding.  Nobody is told automatically: the lead decides whether someone calls (a case)."""
    districts, organisations = lead_scope(actor)
    if not districts and not organisations:
        return []
    since = (now or timezone.now()) - timedelta(days=ONLINE_DAYS)
    person = OuterRef("person_id")
    open_case = OutreachCase.objects.filter(person_id=person, anonymised_at__isnull=True).exclude(
        status=OutreachCase.Status.CLOSED
    )
    staff = RoleAssignment.objects.filter(person_id=person, role__in=STAFF_ROLES, withdrawn_at__isnull=True)
    consent = Consent.objects.filter(person_id=person, purpose=PURPOSE, withdrawn_at__isnull=True)
    rows = (
        Screening.objects.select_related("person", "person__district")
        .filter(
            Q(person__district_id__in=districts) | Q(person__organisation_id__in=organisations),
            Exists(consent), ~Exists(open_case), ~Exists(staff),
            mode=Screening.Mode.ONLINE, case__isnull=True, anonymised_at__isnull=True, taken_at__gte=since,
            person__erased_at__isnull=True,
        )
        .exclude(category__in=["", "not_lonely"])
        .order_by("-taken_at", "-pk")
    )  # fmt: skip
    # what ``wellbeing.view_screening`` asks, in the query itself (per row it cost three queries a screening):
    # the lead's scope (coordinator there still), the consent holding, the person not a staff account
    return list(rows[:limit])


def log_list(http: HttpRequest, cases: list[OutreachCase], action: str = "list") -> None:
    """A list that names the person of a case says they may be lonely: one entry per case shown."""
    log_request_list(
        http, records=[(c.person_id, RECORD, c.pk) for c in cases], action=action, purpose="wellbeing.view_case"
    )


@dataclass(frozen=True)
class Call:
    case: OutreachCase
    last: ContactAttempt | None


def call_list(actor: Actor, day: date) -> list[Call]:
    """The actor's own open cases to follow up on ``day`` or before, with their last attempt (never a colleague's
    case, also not for a team lead)."""
    cases = [c for c in my_cases(actor, day) if c.follow_up_on is not None and c.follow_up_on <= day]
    last: dict[int, ContactAttempt] = {}
    for attempt in ContactAttempt.objects.filter(case__in=[c.pk for c in cases]).order_by("at", "pk"):
        last[attempt.case_id] = attempt
    return [Call(case, last.get(case.pk)) for case in cases]


def attempts_of(case: OutreachCase) -> list[ContactAttempt]:
    return list(case.attempts.select_related("by").order_by("at", "pk"))


def offers_of(case: OutreachCase) -> list[CaseOffer]:
    return list(case.offers.select_related("care_request", "referral__service").order_by("created_at", "pk"))


def open_care_requests(case: OutreachCase) -> list[CareRequest]:
    """The person's requests for help that can be linked to the case (not linked yet)."""
    if case.person_id is None:
        return []
    linked = case.offers.exclude(care_request=None).values("care_request_id")
    return list(CareRequest.objects.filter(person_id=case.person_id).exclude(pk__in=linked).order_by("-pk")[:20])


# --- writes ------------------------------------------------------------------------------------------------


def _person_of(actor: Actor) -> Person:
    if actor.person_id is None:
        raise PermissionDenied
    return Person.objects.get(pk=actor.person_id)


def _locked(actor: Actor, case: OutreachCase, *, open_only: bool = True) -> OutreachCase:
    locked = _cases().select_for_update(of=("self",)).get(pk=case.pk)
    if not may_see_case(actor, locked):
        raise PermissionDenied
    if open_only and locked.status == OutreachCase.Status.CLOSED:
        raise ValidationError(_("This case is closed."), code="closed")
    return locked


def _clean_text(text: str, limit: int, field: str) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise ValidationError(_("The text holds a character that cannot be stored."), code=f"{field}_unstorable")
    if len(text) > limit:
        raise ValidationError(_("Keep it under %(limit)d characters.") % {"limit": limit}, code=f"{field}_too_long")
    return text


def _team_of(actor: Actor, person: Person | None) -> int | None:
    """The organisation that follows the person, if the actor coordinates for it (the case's team)."""
    if person is not None and person.organisation_id in actor.organisation_scope(Role.COORDINATOR):
        return person.organisation_id
    return None


def case_open(
    *, actor: Actor, person: Person | None = None, district: District | None = None, notes: str = "",
    now: datetime | None = None,
) -> OutreachCase:  # fmt: skip
    """A case from the coordinator's own observation, assigned to them: about a known person they coordinate, or
    about someone described (``notes``) in a district they coordinate."""
    notes = _clean_text(notes, NOTES_MAX, "notes")
    if person is not None:
        if not coordinates_resident(actor, person):
            raise PermissionDenied
        district_id = person.district_id
        if district_id is None:
            raise ValidationError(_("This person has no district: choose it."), code="district")
    else:
        if district is None:
            raise ValidationError(_("Choose the district."), code="district")
        if not notes:
            raise ValidationError(_("Say who it is about, or choose the person."), code="notes_required")
        if district.pk not in actor.district_scope(Role.COORDINATOR):
            raise ValidationError(_("You do not coordinate this district."), code="district")
        district_id = district.pk
    me = _person_of(actor)
    with transaction.atomic():
        consent = None
        if person is not None:
            consent = person.consents.filter(purpose=PURPOSE, withdrawn_at__isnull=True).first()
        return OutreachCase.objects.create(
            person=person, district_id=district_id, organisation_id=_team_of(actor, person), assigned_to=me,
            origin=OutreachCase.Origin.OBSERVATION, notes=notes, consent=consent, created_by=me,
            created_at=now or timezone.now(),
        )  # fmt: skip


def open_case_from_screening(screening: Screening, by: Actor, *, now: datetime | None = None) -> OutreachCase:
    """A case from a screening (the button on a screening's page, item 2), assigned to the coordinator ``by``.

    The person coordinates as for the screening itself; the screening's consent (for the wellbeing purpose) is
    the case's.  A screening already linked to an open case gives that case back instead of a second one."""
    with transaction.atomic():
        locked = Screening.objects.select_for_update(of=("self",)).select_related("person").get(pk=screening.pk)
        person = locked.person
        if person is None or not coordinates_resident(by, person):
            raise PermissionDenied
        if locked.case_id is not None:
            existing = OutreachCase.objects.filter(pk=locked.case_id).exclude(status=OutreachCase.Status.CLOSED).first()
            if existing is not None:
                if not may_see_case(by, existing):
                    # neither its number nor a way to it: only that a colleague follows it up already
                    raise ValidationError(_("A colleague already follows this up in an outreach case."),
                                          code="case_exists")  # fmt: skip
                return existing
        me = _person_of(by)
        consent = locked.consent
        if consent is None or consent.withdrawn_at is not None:
            consent = person.consents.filter(purpose=PURPOSE, withdrawn_at__isnull=True).first()
        district_id = person.district_id or locked.district_id
        if district_id is None:
            raise ValidationError(_("This person has no district."), code="district")
        case = OutreachCase.objects.create(
            person=person, district_id=district_id, organisation_id=_team_of(by, person), assigned_to=me,
            origin=OutreachCase.Origin.SCREENING, screening=locked, consent=consent, created_by=me,
            created_at=now or timezone.now(),
        )  # fmt: skip
        locked.case = case
        locked.save(update_fields=["case"])
        return case


def case_assign(*, actor: Actor, case: OutreachCase, to: Person) -> OutreachCase:
    """Assign to oneself or a colleague of the same team (``colleagues``); anyone else is refused."""
    with transaction.atomic():
        locked = _locked(actor, case)
        if not colleagues(locked).filter(pk=to.pk).exists():
            raise ValidationError(_("Choose a coordinator of this case's team."), code="assignee")
        if locked.assigned_to_id != to.pk:
            locked.assigned_to = to
            locked.save(update_fields=["assigned_to"])
        return locked


def case_attempt(
    *, actor: Actor, case: OutreachCase, channel: str, outcome: str, note: str = "", on: date | None = None,
    now: datetime | None = None,
) -> ContactAttempt:  # fmt: skip
    """Log one try to reach the person (no consent needed: it is the first contact).  ``on``: the day it was made,
    today or up to ``ATTEMPT_MAX_AGE_DAYS`` before; a reached person puts the case "in contact"."""
    if channel not in ContactAttempt.Channel.values:
        raise ValidationError(_("Choose how you tried."), code="channel")
    if outcome not in ContactAttempt.Outcome.values:
        raise ValidationError(_("Choose what came of it."), code="outcome")
    note = _clean_text(note, NOTE_MAX, "note")
    now = now or timezone.now()
    today = timezone.localdate(now)
    at = now
    if on is not None and on != today:
        if on > today:
            raise ValidationError(_("An attempt cannot be in the future."), code="on")
        if on < today - timedelta(days=ATTEMPT_MAX_AGE_DAYS):
            raise ValidationError(
                _("Record attempts of the last %(days)d days only.") % {"days": ATTEMPT_MAX_AGE_DAYS}, code="on"
            )
        at = timezone.make_aware(datetime.combine(on, datetime.min.time().replace(hour=12)))
    with transaction.atomic():
        locked = _locked(actor, case)
        attempt = ContactAttempt.objects.create(
            case=locked, by_id=actor.person_id, at=at, channel=channel, outcome=outcome, note=note
        )
        if outcome == ContactAttempt.Outcome.REACHED and locked.status == OutreachCase.Status.OPEN:
            locked.status = OutreachCase.Status.IN_CONTACT
            locked.save(update_fields=["status"])
        return attempt


def case_follow_up(
    *, actor: Actor, case: OutreachCase, on: date | None, notes: str | None = None, today: date | None = None
) -> OutreachCase:
    """Set (or clear, ``None``) the follow-up date, today up to a year ahead, and what to ask then (the case's
    notes, shown on the call list)."""
    today = today or timezone.localdate()
    if on is not None and on < today:
        raise ValidationError(_("Choose today or a later day."), code="follow_up_on")
    if on is not None and on > today + timedelta(days=FOLLOW_UP_MAX_DAYS):
        raise ValidationError(_("Choose a day within a year."), code="follow_up_on")
    cleaned = None if notes is None else _clean_text(notes, NOTES_MAX, "notes")
    with transaction.atomic():
        locked = _locked(actor, case)
        locked.follow_up_on = on
        fields = ["follow_up_on"]
        if cleaned is not None:
            locked.notes = cleaned
            fields.append("notes")
        locked.save(update_fields=fields)
        return locked


def case_set_person(*, actor: Actor, case: OutreachCase, person: Person) -> OutreachCase:
    """Say who the case is about, once known: a resident the coordinator coordinates (their active consent for
    the wellbeing purpose, if any, becomes the case's)."""
    if not coordinates_resident(actor, person):
        raise ValidationError(_("You do not coordinate this person."), code="person")
    with transaction.atomic():
        locked = _locked(actor, case)
        if locked.person_id is not None:
            raise ValidationError(_("This case already says who it is about."), code="person_known")
        locked.person = person
        locked.consent = person.consents.filter(purpose=PURPOSE, withdrawn_at__isnull=True).first()
        locked.save(update_fields=["person", "consent"])
        return locked


def case_record_consent(*, actor: Actor, case: OutreachCase, method: str) -> Consent:
    """Record the person's consent for the wellbeing purpose (by phone or on paper, through the coordinator), and
    keep it on the case."""
    if method not in (Consent.Method.PHONE, Consent.Method.PAPER):
        raise ValidationError(_("Choose how the person gave their consent."), code="consent_method")
    with transaction.atomic():
        locked = _locked(actor, case)
        if locked.person is None:
            raise ValidationError(_("First say who the case is about."), code="person")
        consent = consent_give(actor=actor, person=locked.person, purpose=PURPOSE, method=method)
        locked.consent = consent
        locked.save(update_fields=["consent"])
        return consent


NOTE_KINDS = (CaseOffer.Kind.BUDDY, CaseOffer.Kind.ACTIVITY)


def case_offer(
    *, actor: Actor, case: OutreachCase, kind: str, description: str = "", care_request: CareRequest | None = None
) -> CaseOffer:
    """Note what was offered: a buddy or an activity (a description, until those capabilities exist), or one of
    the person's requests for help.  Only with the person's consent (``needs_consent``)."""
    description = _clean_text(description, 200, "description")
    if kind not in CaseOffer.Kind.values or kind == CaseOffer.Kind.REFERRAL:
        raise ValidationError(_("Choose what was offered."), code="kind")
    with transaction.atomic():
        locked = _locked(actor, case)
        needs_consent(locked)
        if kind == CaseOffer.Kind.CARE_REQUEST:
            if care_request is None or care_request.person_id != locked.person_id:
                raise ValidationError(_("Choose one of the person's requests for help."), code="care_request")
            if locked.offers.filter(care_request=care_request).exists():
                raise ValidationError(_("This request is linked already."), code="care_request")
        elif not description:
            raise ValidationError(_("Say what was offered."), code="description")
        return CaseOffer.objects.create(
            case=locked, kind=kind, description=description,
            care_request=care_request if kind == CaseOffer.Kind.CARE_REQUEST else None, created_by_id=actor.person_id,
        )  # fmt: skip


def may_refer(case: OutreachCase) -> bool:
    return case.person_id is not None and case.status != OutreachCase.Status.CLOSED and has_consent(case)


def case_link_referrals(case: OutreachCase) -> int:
    """Link the referrals sent from this case (``Referral.Origin.OUTREACH`` with the case's number, made through
    the directory's referral flow from the case page) as offers; how many were new.  Idempotent."""
    if case.person_id is None:
        return 0
    with transaction.atomic():
        OutreachCase.objects.select_for_update().filter(pk=case.pk).first()
        linked = case.offers.exclude(referral=None).values("referral_id")
        # only referrals made by someone who follows the case (its coordinator or a lead of its team): anyone who
        # may refer the person can name any case number as the origin, and must not add to a case they cannot see
        leads = TeamLead.objects.filter(Q(district_id=case.district_id) | Q(organisation_id=case.organisation_id)
                                        if case.organisation_id else Q(district_id=case.district_id),
                                        withdrawn_at__isnull=True).values("person_id")  # fmt: skip
        found = Referral.objects.filter(
            Q(created_by_id=case.assigned_to_id) | Q(created_by_id__in=leads),
            origin=Referral.Origin.OUTREACH, origin_id=case.pk, person_id=case.person_id,
        ).exclude(pk__in=linked)
        offers = [
            CaseOffer(case=case, kind=CaseOffer.Kind.REFERRAL, referral=r, created_by_id=r.created_by_id,
                      created_at=r.created_at)
            for r in found
        ]  # fmt: skip
        CaseOffer.objects.bulk_create(offers)
        return len(offers)


def case_offer_answer(*, actor: Actor, case: OutreachCase, offer_pk: int, answer: str) -> CaseOffer:
    if answer not in CaseOffer.Answer.values:
        raise ValidationError(_("Choose an answer."), code="answer")
    with transaction.atomic():
        locked = _locked(actor, case)
        needs_consent(locked)
        offer = locked.offers.filter(pk=offer_pk).first()
        if offer is None:
            raise ValidationError(_("Unknown offer."), code="offer")
        offer.answer = answer
        offer.save(update_fields=["answer"])
        return offer


REACHED = (OutreachCase.Outcome.REACHED_HELPED, OutreachCase.Outcome.REACHED_DECLINED)


def case_close(*, actor: Actor, case: OutreachCase, outcome: str, now: datetime | None = None) -> OutreachCase:
    """Close with an outcome.  "Reached ..." needs an attempt that reached the person; "not reached" needs at least
    ``tries_needed()`` attempts logged; a closed case cannot be closed again."""
    if outcome not in OutreachCase.Outcome.values:
        raise ValidationError(_("Choose how the case ends."), code="outcome")
    with transaction.atomic():
        locked = _locked(actor, case)
        attempts = locked.attempts.all()
        if outcome == OutreachCase.Outcome.NOT_REACHED and attempts.count() < tries_needed():
            raise ValidationError(
                _("Log at least %(n)d contact attempts before closing as not reached (%(done)d so far).")
                % {"n": tries_needed(), "done": attempts.count()},
                code="tries",
            )
        if outcome in REACHED and not attempts.filter(outcome=ContactAttempt.Outcome.REACHED).exists():
            raise ValidationError(_("Log the contact that reached the person first."), code="not_reached_yet")
        locked.status = OutreachCase.Status.CLOSED
        locked.outcome = outcome
        locked.closed_at = now or timezone.now()
        locked.closed_by_id = actor.person_id
        locked.follow_up_on = None
        locked.save(update_fields=["status", "outcome", "closed_at", "closed_by", "follow_up_on"])
        return locked


def team_lead_grant(
    *, actor: Actor, person: Person, district: District | None = None, organisation: Any = None
) -> TeamLead:
    """Mark a coordinator as the team lead of a district or an organisation (administrators only).  The mark
    counts only while they coordinate there (``lead_scope``)."""
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied
    if (district is None) == (organisation is None):
        raise ValidationError(_("Choose a district or an organisation."), code="scope")
    grants = RoleAssignment.objects.filter(person=person, role=Role.COORDINATOR, withdrawn_at__isnull=True)
    scope = {"district": district} if district is not None else {"organisation": organisation}
    if not grants.filter(**scope).exists():
        raise ValidationError(_("This person is not a coordinator there."), code="not_coordinator")
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()  # two grants at once make one row
        existing = _lead_rows(person.pk).filter(**scope).first()
        if existing is not None:
            return existing
        return TeamLead.objects.create(
            person=person, district=district, organisation=organisation, granted_by_id=actor.person_id
        )


def team_lead_withdraw(*, actor: Actor, lead: TeamLead) -> None:
    """End a team lead's mark (the row stays, with when)."""
    if not actor.has_role(Role.ADMINISTRATOR):
        raise PermissionDenied
    TeamLead.objects.filter(pk=lead.pk, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())


def team_leads() -> QuerySet[TeamLead]:
    """The team leads now, for the administrators' page."""
    return (
        TeamLead.objects.filter(withdrawn_at__isnull=True)
        .select_related("person", "district", "organisation")
        .defer("district__geometry")
        .order_by("district__number", "organisation__name", "person__first_name", "pk")
    )
