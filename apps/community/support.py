"""Support requests to the city (issue 18, item 2): the writes and the reads.

The starter of a published initiative asks the city for materials on loan, a permit for the street, a small grant
or help with insurance, a room or publicity.  Each request goes to the city team that handles its kind, carries
the date of the promised first answer (``answer_due``: the service level, in working days; for a grant the
decision after the call's jury) and a step for everything that happens to it (``SupportStep``): sent, taken up,
a question and its reply, a note of the city (not shown to the applicant), the answer.

**Materials are never lent twice.**  A request's materials count against the stock from the moment it is sent
until it is declined or withdrawn; sending locks the rows of the materials asked (in the order of their ids, so
two requests cannot wait on each other) and counts every day of the loan again under that lock
(``domain.lending``).  On PostgreSQL twenty requests at once for the last tables get them exactly once.

Every write is one transaction on the locked request with the rule asked again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.rules import can
from domain.lending import Booking, add_working_days, free_per_day, shortfall

from .models import (
    CityTeam,
    GrantCall,
    Initiative,
    JuryMember,
    JuryScore,
    Material,
    MaterialLine,
    SupportKind,
    SupportRequest,
    SupportStep,
)
from .rules import review_districts, reviews_everywhere
from .rules_support import team_ids

HOLDING = (
    SupportRequest.Status.SUBMITTED,
    SupportRequest.Status.IN_PROGRESS,
    SupportRequest.Status.QUESTION,
    SupportRequest.Status.APPROVED,
)
"""Statuses in which a request's materials count against the stock."""
OPEN = (SupportRequest.Status.SUBMITTED, SupportRequest.Status.IN_PROGRESS, SupportRequest.Status.QUESTION)
MAX_OPEN_PER_INITIATIVE = 10
"""Requests of one initiative waiting at one time: more is a mistake or a script."""
MAX_MATERIALS = 20
PERMIT_EVENTS = {
    "street_party": _("A street party"),
    "meal": _("A neighbourhood meal"),
    "market": _("A flea market"),
    "play_street": _("A play street"),
    "other": _("Something else"),
}
HELP_TOPICS = {"insurance": _("Insurance"), "room": _("A room"), "publicity": _("Publicity"), "other": _("Other")}


def _clean(value: Any, limit: int, what: str, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise ValidationError(_("The text contains a character that cannot be saved (NUL, 0x00)."), code="nul")
    if len(text) > limit:
        raise ValidationError(_("%(what)s has at most %(limit)d characters.") % {"what": what, "limit": limit})
    if required and not text:
        raise ValidationError(_("Fill in %(what)s.") % {"what": what}, code="required")
    return text


def _step(request: SupportRequest, kind: str, actor: Actor, text: str = "", *, internal: bool = False) -> None:
    SupportStep.objects.create(request=request, kind=kind, text=text, internal=internal, by_id=actor.person_id)


def team_for(kind: str) -> CityTeam | None:
    """The team that answers this kind of request (the first one that says it does)."""
    return CityTeam.objects.filter(handles__icontains=f'"{kind}"').order_by("slug").first()


def is_late(request: SupportRequest, today: date | None = None) -> bool:
    """Past the promised date without a first answer of the city: one meaning for the worklist, the request's page,
    the home panel and the API."""
    today = today or timezone.localdate()
    return request.is_open and request.answered_at is None and request.answer_due < today


def late(rows: QuerySet[SupportRequest], today: date | None = None) -> QuerySet[SupportRequest]:
    """The same as ``is_late``, as a filter."""
    return rows.filter(status__in=OPEN, answered_at__isnull=True, answer_due__lt=today or timezone.localdate())


def answer_due(kind: str, sent: date, call: GrantCall | None = None) -> date:
    """The date of the promised first answer: the service level in working days; a grant: the decision after
    the call's deadline and its jury."""
    if kind == SupportKind.GRANT and call is not None:
        return call.deadline + timedelta(days=settings.COMMUNITY_GRANT_DECISION_DAYS)
    return add_working_days(sent, settings.COMMUNITY_SUPPORT_ANSWER_DAYS)


# --- asking ------------------------------------------------------------------------------------------------------


def _locked_initiative(actor: Actor, initiative: Initiative) -> Initiative:
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if not can(actor, "community.ask_support", locked):
        raise PermissionDenied
    waiting = SupportRequest.objects.filter(initiative=locked, status__in=OPEN).count()
    if waiting >= MAX_OPEN_PER_INITIATIVE:
        raise ValidationError(
            _("Your initiative has %(count)d requests waiting for an answer. Wait for one before you ask again.")
            % {"count": waiting},
            code="too_many",
        )
    return locked


def _new_request(actor: Actor, initiative: Initiative, kind: str, **fields: Any) -> SupportRequest:
    now = timezone.now()
    request = SupportRequest.objects.create(
        initiative=initiative,
        kind=kind,
        team=team_for(kind),
        submitted_by_id=actor.person_id,
        submitted_at=now,
        answer_due=answer_due(kind, timezone.localdate(now), fields.get("call")),
        **fields,
    )
    _step(request, SupportStep.Kind.SUBMITTED, actor)
    return request


def check_loan_dates(needed_from: date, needed_until: date) -> None:
    today = timezone.localdate()
    if needed_until < needed_from:
        raise ValidationError(_("The last day comes after the first day."), code="dates")
    if needed_from < today + timedelta(days=settings.COMMUNITY_MATERIAL_LEAD_DAYS):
        first = today + timedelta(days=settings.COMMUNITY_MATERIAL_LEAD_DAYS)
        raise ValidationError(
            _("The lending service needs %(days)d days to prepare. Choose a first day from %(first)s.")
            % {"days": settings.COMMUNITY_MATERIAL_LEAD_DAYS, "first": first.strftime("%d/%m/%Y")},
            code="lead",
        )
    if needed_from > today + timedelta(days=366):
        raise ValidationError(_("Materials can be asked for at most a year ahead."), code="far")
    if (needed_until - needed_from).days + 1 > settings.COMMUNITY_MATERIAL_MAX_DAYS:
        raise ValidationError(
            _("A loan lasts at most %(days)d days.") % {"days": settings.COMMUNITY_MATERIAL_MAX_DAYS}, code="long"
        )


def _bookings(
    material_ids: list[int], first: date, last: date, *, excluding: int | None = None
) -> dict[int, list[Booking]]:
    rows = (
        MaterialLine.objects.filter(
            material_id__in=material_ids,
            request__status__in=HOLDING,
            request__needed_from__lte=last,
            request__needed_until__gte=first,
        )
        .exclude(request_id=excluding)
        .values_list("material_id", "request__needed_from", "request__needed_until", "quantity")
    )
    found: dict[int, list[Booking]] = {pk: [] for pk in material_ids}
    for material_id, start, end, quantity in rows:
        found[material_id].append(Booking(start, end, quantity))
    return found


@transaction.atomic
def request_materials(
    *,
    actor: Actor,
    initiative: Initiative,
    needed_from: date,
    needed_until: date,
    wanted: dict[int, int],
    message: str = "",
) -> SupportRequest:
    """Borrow materials from the first to the last day; refused with the first day one is short, and how many
    are free then, when any of them does not fit."""
    check_loan_dates(needed_from, needed_until)
    wanted = {pk: count for pk, count in wanted.items() if count}
    if not wanted:
        raise ValidationError(_("Say how many of at least one thing you want to borrow."), code="empty")
    if len(wanted) > MAX_MATERIALS or any(not 1 <= count <= 999 for count in wanted.values()):
        raise ValidationError(_("Ask between 1 and 999 of each thing."), code="count")
    message = _clean(message, 2000, _("Your question"))
    locked = _locked_initiative(actor, initiative)
    materials = list(Material.objects.select_for_update().filter(pk__in=wanted, active=True).order_by("pk"))
    if len(materials) != len(wanted):
        raise ValidationError(_("This is not one of the things the city lends."), code="material")
    held = _bookings([m.pk for m in materials], needed_from, needed_until)
    for material in materials:
        short = shortfall(material.quantity, held[material.pk], Booking(needed_from, needed_until, wanted[material.pk]))
        if short is not None:
            day, free = short
            raise ValidationError(
                _("Not enough %(name)s: on %(day)s %(free)d of %(total)d are free.")
                % {"name": material.name, "day": day.strftime("%d/%m/%Y"), "free": free, "total": material.quantity},
                code="short",
            )
    request = _new_request(
        actor, locked, SupportKind.MATERIALS, needed_from=needed_from, needed_until=needed_until, message=message
    )
    MaterialLine.objects.bulk_create(
        [MaterialLine(request=request, material=m, quantity=wanted[m.pk]) for m in materials]
    )
    return request


@dataclass(frozen=True)
class Permit:
    """What the events service needs to judge a small event on the public domain."""

    event: str
    street: str
    day: date
    starts: time
    ends: time
    people: int
    closes_street: bool
    amplified_sound: bool
    food_or_drinks: bool
    structures: str = ""
    set_up: str = ""


def permit_first_day() -> date:
    return timezone.localdate() + timedelta(days=settings.COMMUNITY_PERMIT_LEAD_DAYS)


@transaction.atomic
def request_permit(*, actor: Actor, initiative: Initiative, permit: Permit, message: str = "") -> SupportRequest:
    """A permit for the street or a square; refused when the date is closer than the events service's lead
    time (a setting: Ghent's own is not published)."""
    if permit.event not in PERMIT_EVENTS:
        raise ValidationError(_("Choose what kind of event it is."), code="event")
    if permit.day < permit_first_day():
        raise ValidationError(
            _("The events service needs at least %(days)d days. Choose a date from %(first)s.")
            % {"days": settings.COMMUNITY_PERMIT_LEAD_DAYS, "first": permit_first_day().strftime("%d/%m/%Y")},
            code="lead",
        )
    if permit.day > timezone.localdate() + timedelta(days=366):
        raise ValidationError(_("A permit can be asked for at most a year ahead."), code="far")
    if permit.ends <= permit.starts:
        raise ValidationError(_("The end comes after the start (an event past midnight: ask for two days)."))
    if not 1 <= permit.people <= 5000:
        raise ValidationError(_("Say how many people you expect, from 1 to 5000."), code="people")
    details = {
        "event": permit.event,
        "street": _clean(permit.street, 200, _("The street or square"), required=True),
        "starts": permit.starts.strftime("%H:%M"),
        "ends": permit.ends.strftime("%H:%M"),
        "people": permit.people,
        "closes_street": permit.closes_street,
        "amplified_sound": permit.amplified_sound,
        "food_or_drinks": permit.food_or_drinks,
        "structures": _clean(permit.structures, 300, _("Tents or stands")),
        "set_up": _clean(permit.set_up, 300, _("Setting up and clearing away")),
    }
    locked = _locked_initiative(actor, initiative)
    return _new_request(
        actor,
        locked,
        SupportKind.PERMIT,
        needed_from=permit.day,
        needed_until=permit.day,
        details=details,
        message=_clean(message, 2000, _("Your question")),
    )


def open_calls(initiative: Initiative, today: date | None = None) -> QuerySet[GrantCall]:
    """The grant calls this initiative may apply to today: open, and for its district or every district."""
    today = today or timezone.localdate()
    return GrantCall.objects.filter(opens_on__lte=today, deadline__gte=today).filter(
        Q(district__isnull=True) | Q(district_id=initiative.district_id)
    )


@transaction.atomic
def request_grant(
    *, actor: Actor, initiative: Initiative, call: GrantCall, amount_eur: int, plan: str, budget: str
) -> SupportRequest:
    """Apply to a call: before its deadline (until midnight, Ghent time), at most its ceiling, once per call."""
    locked = _locked_initiative(actor, initiative)
    if not open_calls(locked).filter(pk=call.pk).exists():
        raise ValidationError(_("This call is not open for your initiative (closed, or for another district)."))
    if not 1 <= amount_eur <= call.ceiling_eur:
        raise ValidationError(
            _("Ask an amount from 1 to %(ceiling)d euro.") % {"ceiling": call.ceiling_eur}, code="amount"
        )
    if SupportRequest.objects.filter(initiative=locked, call=call).exclude(status="withdrawn").exists():
        raise ValidationError(_("Your initiative already applied to this call."), code="twice")
    details = {
        "plan": _clean(plan, 3000, _("Your plan"), required=True),
        "budget": _clean(budget, 2000, _("Your budget"), required=True),
    }
    return _new_request(actor, locked, SupportKind.GRANT, call=call, amount_eur=amount_eur, details=details)


@transaction.atomic
def request_help(*, actor: Actor, initiative: Initiative, topic: str, message: str) -> SupportRequest:
    if topic not in HELP_TOPICS:
        raise ValidationError(_("Choose what you need help with."), code="topic")
    locked = _locked_initiative(actor, initiative)
    return _new_request(
        actor,
        locked,
        SupportKind.HELP,
        details={"topic": topic},
        message=_clean(message, 2000, _("Your question"), required=True),
    )


# --- answering ---------------------------------------------------------------------------------------------------


def _tell_applicant(request: SupportRequest, kind: str) -> None:
    """Email who asked (in their language) that the city asked something or answered, with a link to the request;
    the text itself stays on the page, behind the sign-in.  Queued when the transaction commits."""
    from django.core.mail import EmailMessage
    from django.urls import reverse
    from django.utils import translation

    from .registrations import language_of

    person = request.submitted_by
    if person is None or not person.email or person.erased_at is not None:
        return
    with translation.override(language_of(person)):
        link = settings.SITE_URL.rstrip("/") + reverse("community:support_request", args=[request.pk])
        what = request.get_kind_display()
        if kind == "question":
            subject = _("The city asks you something: %(what)s") % {"what": what}
            text = _("The city has a question about your request for %(initiative)s. Read it and answer on %(link)s.")
        else:
            subject = _("The city answered: %(what)s") % {"what": what}
            text = _("The city answered your request for %(initiative)s. Read the answer on %(link)s.")
        body = "\n\n".join([_("Hello %(name)s,") % {"name": person.first_name},
                             text % {"initiative": request.initiative.title, "link": link}])  # fmt: skip
    EmailMessage(subject=" ".join(str(subject).split())[:150], body=body, to=[person.email]).send()


def _locked_request(request: SupportRequest, actor: Actor, rule: str) -> SupportRequest:
    locked = (
        SupportRequest.objects.select_for_update(of=("self",)).select_related("initiative", "call").get(pk=request.pk)
    )
    if not can(actor, rule, locked):
        raise PermissionDenied
    return locked


def _save(request: SupportRequest, *fields: str) -> None:
    request.save(update_fields=list(fields))


def _first_answer(request: SupportRequest) -> None:
    if request.answered_at is None:
        request.answered_at = timezone.now()


@transaction.atomic
def take(*, actor: Actor, request: SupportRequest) -> SupportRequest:
    """Someone of the city takes it up: the applicant sees "being handled" and by which team."""
    locked = _locked_request(request, actor, "community.answer_support")
    if locked.status not in OPEN:
        raise ValidationError(_("This request has already been answered."), code="status")
    locked.status, locked.handler_id = SupportRequest.Status.IN_PROGRESS, actor.person_id
    _save(locked, "status", "handler")
    _step(locked, SupportStep.Kind.TAKEN, actor)
    return locked


@transaction.atomic
def ask(*, actor: Actor, request: SupportRequest, text: str) -> SupportRequest:
    locked = _locked_request(request, actor, "community.answer_support")
    if locked.status not in OPEN:
        raise ValidationError(_("This request has already been answered."), code="status")
    text = _clean(text, 2000, _("Your question"), required=True)
    locked.status = SupportRequest.Status.QUESTION
    locked.handler_id = locked.handler_id or actor.person_id
    _first_answer(locked)
    _save(locked, "status", "handler", "answered_at")
    _step(locked, SupportStep.Kind.QUESTION, actor, text)
    _tell_applicant(locked, "question")
    return locked


@transaction.atomic
def note(*, actor: Actor, request: SupportRequest, text: str) -> SupportRequest:
    """A note for the city only (who was called, what was agreed); never shown to the applicant."""
    locked = _locked_request(request, actor, "community.answer_support")
    _step(locked, SupportStep.Kind.NOTE, actor, _clean(text, 2000, _("The note"), required=True), internal=True)
    return locked


@transaction.atomic
def reply(*, actor: Actor, request: SupportRequest, text: str) -> SupportRequest:
    """The applicant answers the city's question: the request is back with the city."""
    locked = _locked_request(request, actor, "community.view_support")
    if locked.initiative.starter_id != actor.person_id and locked.submitted_by_id != actor.person_id:
        raise PermissionDenied
    if locked.status != SupportRequest.Status.QUESTION:
        raise ValidationError(_("The city has not asked you anything on this request."), code="status")
    locked.status = SupportRequest.Status.IN_PROGRESS
    _save(locked, "status")
    _step(locked, SupportStep.Kind.REPLY, actor, _clean(text, 2000, _("Your answer"), required=True))
    return locked


def may_withdraw(request: SupportRequest, today: date | None = None) -> bool:
    """A request that waits, or a granted loan of materials before its first day (the tables are free again)."""
    if request.is_open:
        return True
    today = today or timezone.localdate()
    loan = request.kind == SupportKind.MATERIALS and request.needed_from is not None
    return request.status == SupportRequest.Status.APPROVED and loan and today < request.needed_from  # type: ignore[operator]


@transaction.atomic
def withdraw(*, actor: Actor, request: SupportRequest) -> SupportRequest:
    """The applicant no longer needs it: its materials are free again at once (a granted loan too, until its first
    day)."""
    locked = _locked_request(request, actor, "community.view_support")
    if locked.initiative.starter_id != actor.person_id and locked.submitted_by_id != actor.person_id:
        raise PermissionDenied
    if not may_withdraw(locked):
        raise ValidationError(
            _("Only a request that waits for an answer, or a loan before its first day, can be withdrawn."),
            code="status",
        )
    locked.status = SupportRequest.Status.WITHDRAWN
    _save(locked, "status")
    _step(locked, SupportStep.Kind.WITHDRAWN, actor)
    return locked


@transaction.atomic
def decide(
    *, actor: Actor, request: SupportRequest, approve: bool, text: str, granted_eur: int | None = None
) -> SupportRequest:
    """The city's answer: granted (a grant with its amount, at most what was asked) or not (with the reason)."""
    locked = _locked_request(request, actor, "community.answer_support")
    if locked.status not in OPEN:
        raise ValidationError(_("This request has already been answered."), code="status")
    text = _clean(text, 2000, _("The answer"), required=not approve)
    if locked.kind == SupportKind.GRANT:
        if locked.call is not None and timezone.localdate() <= locked.call.deadline:
            raise ValidationError(_("The city decides on a grant after the call's deadline and the jury's scores."))
        if not JuryScore.objects.filter(application=locked, recused=False).exists():
            raise ValidationError(_("The city decides on a grant with the jury's advice: no member has scored it yet."))
        if approve and (granted_eur is None or not 1 <= granted_eur <= (locked.amount_eur or 0)):
            raise ValidationError(
                _("Grant an amount from 1 to the %(asked)d euro asked.") % {"asked": locked.amount_eur or 0}
            )
        locked.granted_eur = granted_eur if approve else None
    locked.status = SupportRequest.Status.APPROVED if approve else SupportRequest.Status.DECLINED
    locked.handler_id = locked.handler_id or actor.person_id
    _first_answer(locked)
    _save(locked, "status", "handler", "answered_at", "granted_eur")
    _step(locked, SupportStep.Kind.APPROVED if approve else SupportStep.Kind.DECLINED, actor, text)
    _tell_applicant(locked, "answer")
    return locked


# --- the jury ----------------------------------------------------------------------------------------------------


def member_of(actor: Actor, call_id: int) -> JuryMember | None:
    return JuryMember.objects.filter(call_id=call_id, person_id=actor.person_id).first()


@transaction.atomic
def score(
    *,
    actor: Actor,
    application: SupportRequest,
    marks: dict[str, int] | None,
    comment: str = "",
    recusal_reason: str = "",
) -> JuryScore:
    """A jury member scores an application on the four criteria (0–5 each), or declares a conflict of interest
    (``marks`` None).  Once given, a score is not changed: the others have seen it next to theirs."""
    locked = _locked_request(application, actor, "community.score_application")
    member = member_of(actor, locked.call_id or 0)
    if member is None:
        raise PermissionDenied
    if JuryScore.objects.filter(application=locked, member=member).exists():
        raise ValidationError(_("You have already scored this application."), code="twice")
    comment = _clean(comment, 1000, _("Your comment"))
    if marks is None:
        reason = _clean(recusal_reason, 300, _("Why"), required=True)
        return JuryScore.objects.create(application=locked, member=member, recused=True, recusal_reason=reason)
    if set(marks) != set(JuryScore.CRITERIA) or any(not 0 <= value <= 5 for value in marks.values()):
        raise ValidationError(_("Give every criterion a score from 0 to 5."), code="marks")
    return JuryScore.objects.create(application=locked, member=member, comment=comment, **marks)


@dataclass(frozen=True)
class ScoreSummary:
    scored: int
    recused: int
    average: float | None


def may_see_scores(actor: Actor, application: SupportRequest) -> bool:
    """The jury's scores of an application, for who answers it: a member of its jury only once they scored it
    themselves (not when they stepped aside), as on the jury's own pages."""
    member = member_of(actor, application.call_id or 0)
    if member is None:
        return True
    return JuryScore.objects.filter(application=application, member=member, recused=False).exists()


def summary(application: SupportRequest) -> ScoreSummary:
    rows = list(application.scores.all())
    totals = [row.total for row in rows if row.total is not None]
    return ScoreSummary(
        scored=len(totals),
        recused=sum(1 for row in rows if row.recused),
        average=round(sum(totals) / len(totals), 1) if totals else None,
    )


# --- reads -------------------------------------------------------------------------------------------------------


def _requests() -> QuerySet[SupportRequest]:
    return SupportRequest.objects.select_related("initiative", "initiative__district", "team", "call").defer(
        "initiative__district__geometry"
    )


def request_for(actor: Actor, pk: int, *, rule: str = "community.view_support") -> SupportRequest:
    """One request, for who may see it; missing and forbidden are the same 404."""
    found = _requests().filter(pk=pk).first()
    if found is None or not can(actor, rule, found):
        raise Http404
    return found


def mine(actor: Actor) -> QuerySet[SupportRequest]:
    """The requests of the initiatives the actor started (none for an account without a person)."""
    if actor.person_id is None:
        return SupportRequest.objects.none()
    return _requests().filter(initiative__starter_id=actor.person_id).order_by("-submitted_at", "-pk")


def of_initiative(initiative: Initiative) -> QuerySet[SupportRequest]:
    return _requests().filter(initiative=initiative).order_by("-submitted_at", "-pk")


def worklist(actor: Actor, *, kind: str = "", mine: bool = False) -> QuerySet[SupportRequest]:
    """What waits for the actor's teams and districts, the answer due first; never one's own initiative's."""
    rows = _requests().filter(status__in=OPEN).exclude(initiative__starter_id=actor.person_id)
    if not reviews_everywhere(actor):
        rows = rows.filter(Q(team_id__in=team_ids(actor)) | Q(initiative__district_id__in=review_districts(actor)))
    if kind:
        rows = rows.filter(kind=kind)
    if mine:
        rows = rows.filter(handler_id=actor.person_id)
    return rows.order_by("answer_due", "submitted_at", "pk")


def steps_for(actor: Actor, request: SupportRequest) -> list[SupportStep]:
    """The history; the city's own notes only for who answers."""
    rows = request.steps.select_related("by").order_by("at", "pk")
    if not can(actor, "community.answer_support", request):
        rows = rows.filter(internal=False)
    return list(rows)


def availability(first: date, last: date) -> list[tuple[Material, int, dict[date, int]]]:
    """Every material lent out, with the fewest free over the days and the free count per day.  Callers ask only
    from today on: the counts of past days would tell who borrowed what, next to the public events of those days."""
    materials = list(Material.objects.filter(active=True).order_by("slug"))
    held = _bookings([m.pk for m in materials], first, last)
    result = []
    for material in materials:
        free = free_per_day(material.quantity, held[material.pk], first, last)
        result.append((material, max(min(free.values()), 0), free))
    return result


def applications_for_jury(actor: Actor, call: GrantCall) -> list[dict[str, Any]]:
    """The applications of a call for one of its jury members: their own score or recusal, and the average only
    of those they scored."""
    member = member_of(actor, call.pk)
    if member is None:
        raise Http404
    rows = []
    applications = _requests().filter(call=call).exclude(status="withdrawn").prefetch_related("scores")
    for application in applications.order_by("initiative__title", "pk"):
        mine = next((s for s in application.scores.all() if s.member_id == member.pk), None)
        rows.append(
            {
                "application": application,
                "mine": mine,
                "summary": summary(application) if mine is not None and not mine.recused else None,
            }
        )
    return rows


def calls_for() -> QuerySet[GrantCall]:
    return GrantCall.objects.select_related("district").defer("district__geometry").order_by("-deadline", "pk")
