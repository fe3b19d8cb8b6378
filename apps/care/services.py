"""Writes of care matching.  Keyword-only, validated, one transaction each; bad input changes nothing.

Concurrency ("never twice"): every write that could give a request a second helper, or a helper more
requests than they offered, locks the request row and then the helper's offer row with
``SELECT … FOR UPDATE`` and re-checks under the lock.  Every write that changes a match locks in the
same one order too: the request, then the helper's offer (when it needs it), then the match
(``_lock_match``), so two writers never wait on each other in a circle (a deadlock on PostgreSQL).
The partial unique index ``one_holding_match_per_request`` is the last line: even a write that
skipped the lock cannot give a request two holding matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.actors import Actor
from apps.access.rules import can
from apps.people.models import Person, PlaceChange, Purpose, Role, RoleAssignment
from apps.people.places import coarse_reach, place_change_record
from apps.people.services import LocatedAddress, address_locate, consent_give
from domain.matching import explain, make_problem
from domain.matching.taken import overlapping

from . import notify, position, selectors
from .models import (
    AvailabilityException,
    CareCategory,
    CareRequest,
    HelperOffer,
    Match,
    MatchEvent,
    MatchingRound,
    Referral,
    RequestWindow,
    RoundProposal,
    Vetting,
    WeeklyAvailability,
)
from .problem import Horizon, available_offers, build_problem, offer_pk, planned_visits

MAX_OCCURRENCES = 60
"""A recurring request is laid out at most this many times (a bit more than a year of weeks)."""

SPOKEN_LANGUAGE_CODES = {
    "nl",
    "fr",
    "en",
    "ar",
    "tr",
    "uk",
    "pl",
    "bg",
    "ro",
    "es",
    "de",
    "ru",
    "so",
    "prs",
    "ps",
    "ti",
    "sgn",
}


def _person(actor: Actor) -> Person | None:
    return Person.objects.filter(pk=actor.person_id).first() if actor.person_id else None


def _languages(languages: Sequence[str]) -> list[str]:
    unknown = sorted(set(languages) - SPOKEN_LANGUAGE_CODES)
    if unknown:
        raise ValidationError(_("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)}, code="language")
    return sorted(set(languages))


# ----------------------------------------------------------------------------------------------------------
# requests


@dataclass(frozen=True)
class Window:
    """When help can take place, as the person said it (aware datetimes)."""

    start: datetime
    end: datetime


def _occurrences(windows: Sequence[Window], recurrence: str, repeat_until: date | None) -> list[Window]:
    """The windows, repeated weekly or fortnightly up to and including ``repeat_until``."""
    if recurrence == CareRequest.Recurrence.NONE:
        return list(windows)
    if repeat_until is None:
        raise ValidationError(_("Say until when the help should repeat."), code="repeat_until")
    step = timedelta(weeks=1 if recurrence == CareRequest.Recurrence.WEEKLY else 2)
    first_day = min(timezone.localtime(w.start).date() for w in windows)
    if repeat_until < first_day:
        raise ValidationError(_("The last date of the repetition lies before the first time."), code="repeat_until")
    if repeat_until > first_day + timedelta(days=366):
        raise ValidationError(_("A repetition can last one year at most."), code="repeat_until")
    laid_out: list[Window] = []
    for window in windows:
        start, end = timezone.localtime(window.start), timezone.localtime(window.end)
        while start.date() <= repeat_until:
            laid_out.append(Window(start, end))
            # wall-clock times stay the same across a change to or from summer time
            start = (start.replace(tzinfo=None) + step).replace(tzinfo=start.tzinfo)
            end = (end.replace(tzinfo=None) + step).replace(tzinfo=end.tzinfo)
            start, end = timezone.make_aware(start.replace(tzinfo=None)), timezone.make_aware(end.replace(tzinfo=None))
            if len(laid_out) > MAX_OCCURRENCES:
                raise ValidationError(
                    _("That repeats more than %(n)d times; choose an earlier end date.") % {"n": MAX_OCCURRENCES},
                    code="repeat_until",
                )
    return sorted(laid_out, key=lambda w: w.start)


def _check_windows(windows: Sequence[Window], duration_minutes: int, now: datetime) -> None:
    if not windows:
        raise ValidationError(_("Give at least one time when the help can take place."), code="windows")
    for window in windows:
        if window.end <= window.start:
            raise ValidationError(_("A time window ends before it starts."), code="window_order")
        if window.end <= now:
            raise ValidationError(_("A time window lies in the past."), code="window_past")
        if window.end - window.start < timedelta(minutes=duration_minutes):
            raise ValidationError(
                _("A time window is shorter than the %(minutes)d minutes the help takes.")
                % {"minutes": duration_minutes},
                code="window_short",
            )


def _offers(ids: Sequence[int], what: str) -> list[HelperOffer]:
    offers = list(HelperOffer.objects.filter(pk__in=set(ids)))
    if len(offers) != len(set(ids)):
        raise ValidationError(_("Unknown helper among the %(what)s helpers.") % {"what": what}, code="unknown_helper")
    return offers


def _where(person: Person, address: str) -> LocatedAddress:
    if address.strip():
        return address_locate(address)
    if person.lat is None or person.lon is None or person.district is None:
        raise ValidationError(_("Give the address where the help is needed."), code="address")
    return LocatedAddress(person.street, person.house_number, person.postcode, person.lat, person.lon, person.district)


@transaction.atomic
def care_request_create(
    *,
    actor: Actor,
    person: Person,
    category: CareCategory,
    windows: Sequence[Window],
    description: str = "",
    address: str = "",
    duration_minutes: int = 60,
    recurrence: str = CareRequest.Recurrence.NONE,
    repeat_until: date | None = None,
    languages: Sequence[str] = (),
    urgency: int = 3,
    requires_vetted: bool = False,
    preferred_helper_ids: Sequence[int] = (),
    excluded_helper_ids: Sequence[int] = (),
    follow_up_on: date | None = None,
    now: datetime | None = None,
) -> CareRequest:
    """A request asked online by the person, or taken by phone by their coordinator.

    Care matching needs the person's consent first (a coordinator records it on the phone, through
    ``people``).  A request in a professional category becomes a referral instead of a match.
    """
    by_phone = actor.person_id != person.pk
    if not can(actor, "care.take_request_by_phone" if by_phone else "care.ask_for_help", person):
        raise PermissionDenied
    if not person.consents.filter(purpose=Purpose.CARE_MATCHING, withdrawn_at__isnull=True).exists():
        raise ValidationError(_("First record the consent for matching requests with helpers."), code="consent_missing")
    if not category.active:
        raise ValidationError(_("This kind of help can no longer be asked for."), code="category")
    if not 1 <= urgency <= 5:
        raise ValidationError(_("Urgency must be from 1 to 5."), code="urgency")
    if not 15 <= duration_minutes <= 8 * 60:
        raise ValidationError(_("The help takes between 15 minutes and 8 hours."), code="duration")
    now = now or timezone.now()
    laid_out = _occurrences(windows, recurrence, repeat_until)
    _check_windows(laid_out, duration_minutes, now)
    where = _where(person, address)
    preferred = _offers(preferred_helper_ids, _("preferred"))
    excluded = _offers(excluded_helper_ids, _("excluded"))
    if {o.pk for o in preferred} & {o.pk for o in excluded}:
        raise ValidationError(_("A helper cannot be both preferred and excluded."), code="helper_both")
    # what helpers see of where, before they accept
    shown = position.shown_for(where.lat, where.lon, person_id=person.pk)
    request = CareRequest.objects.create(
        person=person,
        category=category,
        description=description.strip(),
        street=where.street,
        house_number=where.house_number,
        postcode=where.postcode,
        lat=where.lat,
        lon=where.lon,
        shown_lat=shown[0],
        shown_lon=shown[1],
        district=where.district,
        duration_minutes=duration_minutes,
        recurrence=recurrence,
        repeat_until=repeat_until if recurrence != CareRequest.Recurrence.NONE else None,
        languages=_languages(languages),
        urgency=urgency,
        requires_vetted=requires_vetted,
        channel=CareRequest.Channel.PHONE if by_phone else CareRequest.Channel.ONLINE,
        created_by=_person(actor),
        created_at=now,
        follow_up_on=follow_up_on,
        status=CareRequest.Status.REFERRED if category.professional else CareRequest.Status.OPEN,
    )
    RequestWindow.objects.bulk_create(RequestWindow(request=request, start=w.start, end=w.end) for w in laid_out)
    request.preferred_helpers.set(preferred)
    request.excluded_helpers.set(excluded)
    if category.professional:
        Referral.objects.create(request=request)
    else:
        _recount([request.pk])
    return request


@transaction.atomic
def care_request_cancel(*, actor: Actor, request: CareRequest, reason: str) -> CareRequest:
    """The person or their coordinator withdraws the request; a helper who had it is told."""
    if not can(actor, "care.cancel_request", request):
        raise PermissionDenied
    request = CareRequest.objects.select_for_update().get(pk=request.pk)
    if request.status in (CareRequest.Status.DONE, CareRequest.Status.CANCELLED):
        raise ValidationError(_("This request is already closed."), code="closed")
    if not reason.strip():
        raise ValidationError(_("Say why the request is cancelled."), code="reason")
    live = request.matches.select_for_update().filter(status__in=[Match.Status.PROPOSED, *Match.HOLDING])
    for match in live.order_by("pk"):
        if match.status in Match.HOLDING:
            _recount(offer=match.helper)  # the helper has room again
        _event_for(match, match.status, Match.Status.CANCELLED, actor, reason)
        match.status, match.cancel_reason = Match.Status.CANCELLED, reason.strip()[:300]
        match.save(update_fields=["status", "cancel_reason"])
        _tell_helper(match, lambda: _("A request you had was cancelled."))
    request.status = CareRequest.Status.CANCELLED
    request.closed_at = request.cancelled_at = timezone.now()
    request.cancel_reason, request.cancelled_by = reason.strip()[:300], _person(actor)
    request.save(update_fields=["status", "closed_at", "cancelled_at", "cancel_reason", "cancelled_by"])
    return request


# ----------------------------------------------------------------------------------------------------------
# matches


def _event_for(match: Match, from_status: str, to_status: str, actor: Actor, note: str = "") -> None:
    """Every transition is recorded: from, to, by whom, when, why."""
    MatchEvent.objects.create(
        match=match, from_status=from_status, to_status=to_status, actor_id=actor.person_id, note=note[:300]
    )


def _tell(person: Person, text: Callable[[], str], url_name: str, pk: int) -> None:
    """``text`` is called inside :func:`notify.for_person`, so the message and its link are in the
    person's language, not in the language of the page of whoever acted."""
    with notify.for_person(person):
        notify.notify(person, str(text()), reverse(url_name, args=[pk]))


def _tell_helper(match: Match, text: Callable[[], str]) -> None:
    _tell(match.helper.person, text, "care:helper_match", match.pk)


def _tell_resident(match: Match, text: Callable[[], str]) -> None:
    _tell(match.request.person, text, "care:my_request", match.request_id)


def eligibility(
    request: CareRequest, offer: HelperOffer, *, as_shown: bool = False
) -> tuple[bool, list[str], float | None, float]:
    """Whether the engine allows this pair now: (eligible, failing rule names, score, distance km).

    ``as_shown``: the distance rule is decided on the request's shown position, as the helper's "near
    me" decides it (``apps/care/position.py``), so that a helper's own attempt ("I can help") tells
    them nothing about the house that "near me" does not; the distance returned stays the house's."""
    # the pair alone: the helper is in the problem exactly when they are available for matching
    problem = build_problem(
        requests=[request],
        horizon=Horizon.from_now(days=settings.CARE_HORIZON_DAYS),
        offers=available_offers().filter(pk=offer.pk),
    )
    if not problem.requests:
        return False, ["time window"], None, 0.0
    if offer.engine_id not in {h.id for h in problem.helpers}:
        return False, ["not listed as helper"], None, 0.0
    exact = explain(problem, request.engine_id, offer.engine_id).distance_km
    if as_shown:
        moved = [replace(r, lat=request.shown_lat, lon=request.shown_lon) for r in problem.requests]
        problem = make_problem(moved, list(problem.helpers))
    explanation = explain(problem, request.engine_id, offer.engine_id)
    return explanation.eligible, [c.name for c in explanation.failed], explanation.score, exact


def _lock(request: CareRequest, offer: HelperOffer) -> tuple[CareRequest, HelperOffer]:
    """Lock the request, then the helper's offer (always in this order)."""
    locked_request = CareRequest.objects.select_for_update().get(pk=request.pk)
    locked_offer = HelperOffer.objects.select_for_update().get(pk=offer.pk)
    return locked_request, locked_offer


def _lock_match(match: Match, *, offer: bool = False) -> tuple[CareRequest, Match]:
    """Lock the match's request, then (``offer``) the helper's offer, then the match: the one order of every
    write, so that two of them at once wait for each other in turn instead of in a circle."""
    request = CareRequest.objects.select_for_update().get(pk=match.request_id)
    if offer:
        HelperOffer.objects.select_for_update().get(pk=match.helper_id)
    locked = Match.objects.select_for_update().get(pk=match.pk)
    locked.request = request
    return request, locked


def _for_helper(actor: Actor, match: Match) -> str:
    """The note of an answer given by the coordinator for the helper (by phone); empty for the helper's own."""
    return "" if actor.person_id == match.helper.person_id else "for the helper, by phone"


def _ensure_free(request: CareRequest, offer: HelperOffer, *, ignoring: Match | None = None) -> None:
    """Under the locks: the request has no helper yet, and the helper has room."""
    if request.matches.filter(status__in=Match.HOLDING).exists():
        raise ValidationError(
            _("Another helper has already accepted this request. Thank you all the same!"), code="taken"
        )
    if request.status != CareRequest.Status.OPEN:  # called off, referred or done: nobody else took it
        raise ValidationError(_("This request no longer looks for a helper."), code="not_open")
    full = selectors.capacity_refusal(offer)  # the one question the pages ask before the helper taps, too
    if full is not None:
        raise full.error


TAKEN_NOTE = selectors.TAKEN_NOTE
"""The note of a take's event: what the limit on takes a day counts."""
CHECK_CONFIRMED = "confirmed by a coordinator"
CHECK_REFUSED = "not confirmed by a coordinator"
LIMIT_WINDOW = selectors.LIMIT_WINDOW


def _cancels_today(offer: HelperOffer, now: datetime) -> int:
    return MatchEvent.objects.filter(
        match__helper_id=offer.pk,
        actor_id=offer.person_id,
        to_status=Match.Status.CANCELLED,
        at__gt=now - LIMIT_WINDOW,
    ).count()


def _check_limit(offer: HelperOffer, what: str) -> None:
    """Under the lock of the helper's offer row (so that parallel takes or cancellations of one helper
    are counted one after the other, each seeing the ones before): refuse beyond the day's limit."""
    now = timezone.now()
    if what == "take":  # the page asks the same before the helper taps (``selectors.take_refusal``)
        refusal = selectors.take_refusal(offer, now=now)
        if refusal is not None and refusal.code == "limit":
            raise refusal.error
        return
    limit = settings.CARE_CANCELS_PER_DAY
    if _cancels_today(offer, now) >= limit:
        raise ValidationError(
            _("You have cancelled %(n)d times in the last 24 hours, as many as we allow. "
              "Call your coordinator to cancel this visit.") % {"n": limit},
            code="limit",
        )  # fmt: skip


def _hold(match: Match, request: CareRequest) -> None:
    """Save an accepted match; the database's unique index refuses a second holder."""
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError:
        raise ValidationError(
            _("Another helper has already accepted this request. Thank you all the same!"), code="taken"
        ) from None
    request.status = CareRequest.Status.MATCHED
    request.save(update_fields=["status"])
    # other proposals for the same request end here
    for other in request.matches.filter(status=Match.Status.PROPOSED).exclude(pk=match.pk):
        MatchEvent.objects.create(
            match=other, from_status=other.status, to_status=Match.Status.CANCELLED, note="another helper accepted"
        )
        other.status = Match.Status.CANCELLED
        other.cancel_reason = "another helper accepted"
        other.save(update_fields=["status", "cancel_reason"])


@transaction.atomic
def match_propose(
    *, actor: Actor, request: CareRequest, offer: HelperOffer, proposal: RoundProposal | None = None
) -> Match:
    """A coordinator proposes a helper for a request (from the suggestions or a round); the helper answers.

    A helper named by hand must be one the coordinator may name (``selectors.offer_named_by_coordinator``,
    the selector of "why (not) this helper?" too): anyone else is refused like a number nobody has, never
    with the rules they fail.  A round's pairs come from the engine and fit by construction."""
    if not can(actor, "care.manage_request", request):
        raise PermissionDenied
    if proposal is None:
        try:
            selectors.offer_named_by_coordinator(actor, request, offer.pk)
        except Http404:
            raise ValidationError(_("There is no helper with this number."), code="unknown_helper") from None
    request, offer = _lock(request, offer)
    if request.status != CareRequest.Status.OPEN or request.matches.filter(status__in=Match.HOLDING).exists():
        raise ValidationError(_("This request no longer looks for a helper."), code="not_open")
    if request.matches.filter(helper=offer, status=Match.Status.PROPOSED).exists():
        raise ValidationError(_("This helper has already been asked for this request."), code="already_proposed")
    ok, failed, score, distance = eligibility(request, offer)
    if not ok:
        raise ValidationError(
            _("This helper does not fit this request: %(rules)s.") % {"rules": ", ".join(failed)}, code="not_eligible"
        )
    match = Match.objects.create(
        request=request,
        helper=offer,
        status=Match.Status.PROPOSED,
        score=score,
        distance_km=distance,
        proposed_by_id=actor.person_id,
    )
    _event_for(match, "", Match.Status.PROPOSED, actor, f"round {proposal.round_id}" if proposal else "")
    if proposal is not None:
        proposal.match = match
        proposal.save(update_fields=["match"])
    _tell_helper(match, lambda: _("Someone near you could use a hand. Can you help?"))
    if proposal is None:  # a round's proposals are counted once, after all of them (``round_confirm``)
        _recount(offer=offer)  # the helper has less room: a request near them may have nobody left
    return match


@transaction.atomic
def match_accept(*, actor: Actor, match: Match) -> Match:
    """The helper (or their coordinator, told by phone) says yes to a proposal.  Exactly one helper can hold
    a request."""
    if not can(actor, "care.answer_match", match):
        raise PermissionDenied
    request, offer = _lock(match.request, match.helper)
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status == Match.Status.CANCELLED and request.matches.filter(status__in=Match.HOLDING).exists():
        # another helper accepted while this one was waiting for the lock: say so, not "withdrawn"
        raise ValidationError(_("Another helper has already accepted this request. Thank you all the same!"),
                              code="taken")  # fmt: skip
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been answered or withdrawn."), code="answered")
    _ensure_free(request, offer)
    match.status = Match.Status.ACCEPTED
    match.accepted_at = timezone.now()
    _hold(match, request)
    _event_for(match, Match.Status.PROPOSED, Match.Status.ACCEPTED, actor, _for_helper(actor, match))
    _tell_resident(match, lambda: _("Good news: a helper will come for your request."))
    if _for_helper(actor, match):
        _tell_helper(match, lambda: _("Your coordinator said yes for you. Here is what you need to know to go there."))
    return match  # no count again: the proposal already took the helper's room (``problem.helper_load``)


@transaction.atomic
def request_take(*, actor: Actor, request: CareRequest) -> Match:
    """ "I can help": a helper takes an open request that fits them, without waiting for a proposal."""
    offer = HelperOffer.objects.filter(person_id=actor.person_id).first()
    if offer is None or not can(actor, "care.take_request", request):
        raise PermissionDenied
    ok, failed, score, distance = eligibility(request, offer, as_shown=True)  # as "near me" shows it
    if not ok:
        raise ValidationError(
            _("This request does not fit your offer: %(rules)s.") % {"rules": ", ".join(failed)}, code="not_eligible"
        )
    request, offer = _lock(request, offer)
    _check_limit(offer, "take")
    _ensure_free(request, offer)
    new = selectors.helper_is_new(offer)
    refusal = selectors.take_refusal(offer)  # one unchecked take at a time (the limit and room were asked above)
    if refusal is not None and refusal.code == "awaiting_check":
        raise refusal.error
    if new and request.matches.filter(status=Match.Status.PROPOSED).exists():
        # a new helper's take would end a coordinator's proposal while it waits for a check itself
        raise ValidationError(_("A coordinator has already asked a helper for this request."), code="not_open")
    match = Match(
        request=request,
        helper=offer,
        score=score,
        distance_km=distance,
        status=Match.Status.ACCEPTED,
        accepted_at=timezone.now(),
        # a new helper holds the request, but sees nobody's details until a coordinator confirms
        awaiting_check=new,
    )
    _hold(match, request)
    _event_for(match, "", Match.Status.ACCEPTED, actor, TAKEN_NOTE)
    if not match.awaiting_check:  # else the person is told once a coordinator confirmed (``match_check``)
        _tell_resident(match, lambda: _("Good news: a helper will come for your request."))
    else:
        from .tasks import queue_check_lapse  # the tasks module imports this one

        queue_check_lapse(match.pk, match.accepted_at)
    _recount(offer=offer)  # the helper has less room: a request near them may have nobody left
    return match


@transaction.atomic
def match_check(*, actor: Actor, match: Match, confirm: bool, reason: str = "") -> Match:
    """A coordinator checks a new helper's take: confirmed, the helper sees what they need to go there and
    the person is told; refused (with a short reason), the request looks for a helper again."""
    if not can(actor, "care.coordinate_match", match):
        raise PermissionDenied
    request, match = _lock_match(match, offer=True)
    if not match.awaiting_check or match.checked_at is not None or match.status not in Match.HOLDING:
        raise ValidationError(_("This offer to help has already been checked, or is no longer current."),
                              code="answered")  # fmt: skip
    if not confirm and not reason.strip():
        raise ValidationError(_("Say briefly why, for the history of this request."), code="reason")
    match.checked_by_id, match.checked_at = actor.person_id, timezone.now()
    if confirm:
        match.awaiting_check = False
        match.save(update_fields=["awaiting_check", "checked_by", "checked_at"])
        if not selectors.helper_is_new(match.helper):  # vouched for often enough: known from now on
            unknown = HelperOffer.objects.filter(pk=match.helper_id, known_since__isnull=True)
            unknown.update(known_since=match.checked_at)
        _event_for(match, match.status, match.status, actor, CHECK_CONFIRMED)
        _tell_helper(match, lambda: _("A coordinator confirmed your help. Here is what you need to know to go there."))
        _tell_resident(match, lambda: _("Good news: a helper will come for your request."))
        return match
    # refused: ``awaiting_check`` stays, so the history shows the helper never saw the details
    _event_for(match, match.status, Match.Status.CANCELLED, actor, f"{CHECK_REFUSED}: {reason.strip()}")
    match.status, match.cancel_reason = Match.Status.CANCELLED, CHECK_REFUSED
    match.save(update_fields=["status", "cancel_reason", "checked_by", "checked_at"])
    if request.status == CareRequest.Status.MATCHED:
        request.status = CareRequest.Status.OPEN
        request.save(update_fields=["status"])
    _recount([request.pk], offer=match.helper)
    _tell_helper(match, lambda: _("A coordinator has found another way to help this person. Thank you all the same!"))
    return match


CHECK_LAPSED = "not checked in time"


@transaction.atomic
def match_check_lapse(*, match_id: int, now: datetime | None = None) -> bool:
    """A new helper's take that no coordinator checked within ``CARE_CHECK_WITHIN_HOURS`` lets the request
    go: the person is not kept waiting on an unchecked helper, and the helper hears, as promised, within
    that time.  Nothing happens to a take that was checked, answered or ended meanwhile.  Queued for each
    such take (``tasks.queue_check_lapse``); the daily run catches any the worker missed."""
    now = now or timezone.now()
    waited = timedelta(hours=settings.CARE_CHECK_WITHIN_HOURS)
    match = Match.objects.filter(pk=match_id).select_related("request", "helper").first()
    if match is None:
        return False
    request, match = _lock_match(match, offer=True)
    if not match.awaiting_check or match.checked_at is not None or match.status not in Match.HOLDING:
        return False
    if match.accepted_at is None or match.accepted_at > now - waited:
        return False
    MatchEvent.objects.create(
        match=match, from_status=match.status, to_status=Match.Status.CANCELLED, actor_id=None, note=CHECK_LAPSED
    )
    match.status, match.cancel_reason = Match.Status.CANCELLED, CHECK_LAPSED
    match.save(update_fields=["status", "cancel_reason"])
    if request.status == CareRequest.Status.MATCHED:
        request.status = CareRequest.Status.OPEN
        request.save(update_fields=["status"])
    _recount([request.pk], offer=match.helper)
    _tell_helper(
        match,
        lambda: _("No coordinator could check your offer to help in time, so the request is open again. "
                  "Thank you! You may offer your help again."),
    )  # fmt: skip
    return True


def check_lapses(*, now: datetime | None = None) -> int:
    """The daily catch-all of :func:`match_check_lapse`: every unchecked take older than the promise."""
    now = now or timezone.now()
    due = Match.objects.filter(
        awaiting_check=True,
        checked_at__isnull=True,
        status__in=Match.HOLDING,
        accepted_at__lte=now - timedelta(hours=settings.CARE_CHECK_WITHIN_HOURS),
    ).values_list("pk", flat=True)
    return sum(match_check_lapse(match_id=pk, now=now) for pk in list(due))


@transaction.atomic
def match_decline(*, actor: Actor, match: Match, reason: str) -> Match:
    """The helper (or their coordinator, told by phone) says no, with a short reason."""
    if not can(actor, "care.answer_match", match):
        raise PermissionDenied
    _request, match = _lock_match(match)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(_("This proposal has already been answered or withdrawn."), code="answered")
    if not reason.strip():
        raise ValidationError(_("Say briefly why, so the coordinator can find someone else."), code="reason")
    on_behalf = _for_helper(actor, match)
    note = f"{on_behalf}: {reason.strip()}" if on_behalf else reason
    _event_for(match, match.status, Match.Status.DECLINED, actor, note)
    match.status = Match.Status.DECLINED
    match.decline_reason = reason.strip()[:300]
    match.save(update_fields=["status", "decline_reason"])
    _recount([match.request_id])  # back among the new requests, or among those no helper fits
    if match.proposed_by is not None and match.proposed_by_id != actor.person_id:
        _tell(match.proposed_by, lambda: _("A helper said no to a proposal; the request needs someone else."),
              "care:request_detail", match.request_id)  # fmt: skip
    return match


@transaction.atomic
def match_plan(*, actor: Actor, match: Match, start: datetime, end: datetime) -> Match:
    """The date and time agreed between helper and resident (or through the coordinator)."""
    if not can(actor, "care.plan_match", match):
        raise PermissionDenied
    # the helper's offer is locked too (the one order: request, offer, match), so that two visits of one
    # helper planned at the same moment are checked one after the other, each seeing the one before
    _request, match = _lock_match(match, offer=True)
    if match.status not in Match.HOLDING:
        raise ValidationError(_("Only an accepted match can be planned."), code="state")
    _ensure_checked(match)
    if end <= start:
        raise ValidationError(_("The end lies before the start."), code="window_order")
    if start <= timezone.now():
        raise ValidationError(_("Choose a moment in the future."), code="window_past")
    if end - start > timedelta(hours=12):
        raise ValidationError(_("A visit lasts 12 hours at most."), code="too_long")
    clash = overlapping((start, end), planned_visits(match.helper_id, exclude_match=match.pk))
    if clash is not None:
        raise ValidationError(
            _("Another visit is already planned at that time (%(when)s). Choose another time.")
            % {"when": _span(*clash)},
            code="overlap",
        )
    previous = match.status
    match.status, match.planned_start, match.planned_end, match.reminded_at = Match.Status.PLANNED, start, end, None
    match.save(update_fields=["status", "planned_start", "planned_end", "reminded_at"])
    _event_for(match, previous, Match.Status.PLANNED, actor, f"{start:%Y-%m-%d %H:%M}")
    from .tasks import queue_reminder

    queue_reminder(match.pk, start)  # a day before, or at once: the daily run may already have passed
    _recount(offer=match.helper)  # the visit takes the helper's time: a request then may have nobody left
    _tell_resident(match, lambda: _("Your helper comes on %(when)s.") % {"when": _when(start)})
    if actor.person_id != match.helper.person_id:
        _tell_helper(match, lambda: _("Your visit is planned on %(when)s.") % {"when": _when(start)})
    return match


def _ensure_checked(match: Match) -> None:
    """A new helper's take is planned or done only once a coordinator has confirmed it."""
    if match.awaiting_check:
        raise ValidationError(
            _("A coordinator first checks this offer to help. The visit can be planned once it is confirmed."),
            code="awaiting_check",
        )


def _when(moment: datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _span(start: datetime, end: datetime) -> str:
    from django.utils.formats import time_format

    return f"{_when(start)}–{time_format(timezone.localtime(end), 'TIME_FORMAT')}"


def done_possible_from(match: Match) -> datetime | None:
    """From when a visit can be logged as done: its planned start.  None while no visit is planned (then it
    cannot be logged at all: a visit is first planned, then it takes place, then it is logged)."""
    if match.status != Match.Status.PLANNED or match.planned_start is None:
        return None
    return match.planned_start


def _ensure_begun(match: Match, now: datetime) -> None:
    """A visit is logged done only once it was planned and its planned time has begun: the person never
    reads "done" about a visit that has not taken place (a helper could otherwise log hours right after
    saying yes, and the request closed)."""
    begins = done_possible_from(match)
    if begins is None:
        raise ValidationError(
            _("First write down the day and time of the visit. Once the visit has begun, you can log it here."),
            code="not_planned",
        )
    if begins > now:
        raise ValidationError(
            _("This visit has not taken place yet. You can log it from %(when)s.") % {"when": _when(begins)},
            code="too_early",
        )


@transaction.atomic
def match_done(
    *, actor: Actor, match: Match, hours: Decimal, feedback: str = "", would_come_again: bool | None = None
) -> Match:
    """The helper (or their coordinator, as the helper told them by phone) logs the visit: hours and a short
    word.  A recurring request continues with them."""
    if not can(actor, "care.answer_match", match):
        raise PermissionDenied
    request, match = _lock_match(match, offer=True)
    if match.status not in Match.HOLDING:
        raise ValidationError(_("Only an accepted or planned match can be marked done."), code="state")
    _ensure_checked(match)
    _ensure_begun(match, timezone.now())
    if not hours.is_finite() or not Decimal("0.25") <= hours <= Decimal("12"):
        raise ValidationError(_("Hours must be between 0.25 and 12."), code="hours")
    previous = match.status
    match.status, match.done_at, match.hours = Match.Status.DONE, timezone.now(), hours
    match.helper_feedback, match.helper_continues = feedback.strip()[:500], would_come_again
    match.save()
    _event_for(match, previous, Match.Status.DONE, actor, _for_helper(actor, match))
    _after_visit(request, match, actor)
    _tell_resident(match, lambda: _("How did it go? Tell us in a few words."))
    # the helper has room again, unless they go on with this request; a recurring one may look again
    _recount([request.pk] if request.status == CareRequest.Status.OPEN else (), offer=match.helper)
    return match


def _after_visit(request: CareRequest, match: Match, actor: Actor) -> None:
    """A one-off request is done; a recurring one with times left goes on, with the same helper if they wish."""
    more = request.windows.filter(start__gt=timezone.now()).exists()
    if request.recurrence == CareRequest.Recurrence.NONE or not more:
        request.status, request.closed_at = CareRequest.Status.DONE, timezone.now()
        request.save(update_fields=["status", "closed_at"])
        return
    request.status = CareRequest.Status.OPEN
    request.save(update_fields=["status"])
    if match.helper_continues and match.resident_continues is not False:
        follow = Match(
            request=request,
            helper=match.helper,
            score=match.score,
            distance_km=match.distance_km,
            status=Match.Status.ACCEPTED,
            accepted_at=timezone.now(),
        )
        _hold(follow, request)
        _event_for(follow, "", Match.Status.ACCEPTED, actor, "continuity: same helper for the next time")


@transaction.atomic
def match_resident_feedback(*, actor: Actor, match: Match, feedback: str, same_helper_again: bool | None) -> Match:
    """The resident (or their coordinator) says how it went and whether they want the same helper again."""
    if not can(actor, "care.resident_feedback", match):
        raise PermissionDenied
    _request, match = _lock_match(match)
    if match.status != Match.Status.DONE:
        raise ValidationError(_("Feedback is possible once the visit is done."), code="state")
    match.resident_feedback, match.resident_continues = feedback.strip()[:500], same_helper_again
    match.save(update_fields=["resident_feedback", "resident_continues"])
    if same_helper_again is False:
        # continuity was assumed from the helper's side: end the follow-up they hold
        for follow in Match.objects.filter(
            request_id=match.request_id, helper_id=match.helper_id, status__in=Match.HOLDING
        ):
            _event_for(follow, follow.status, Match.Status.CANCELLED, actor, "the resident prefers someone else")
            follow.status, follow.cancel_reason = Match.Status.CANCELLED, "the resident prefers someone else"
            follow.save(update_fields=["status", "cancel_reason"])
            _tell_helper(follow, lambda: _("Thank you for your visit. Next time someone else will help."))
            CareRequest.objects.filter(pk=match.request_id, status=CareRequest.Status.MATCHED).update(
                status=CareRequest.Status.OPEN
            )
    return match


@transaction.atomic
def match_cancel(*, actor: Actor, match: Match, reason: str) -> Match:
    """Helper, resident or coordinator calls it off; the request looks for a helper again."""
    if not can(actor, "care.cancel_match", match):
        raise PermissionDenied
    by_helper = actor.person_id is not None and actor.person_id == match.helper.person_id
    _request, match = _lock_match(match, offer=by_helper)  # the helper's own: counted under their offer's lock
    if match.status not in (Match.Status.PROPOSED, *Match.HOLDING):
        raise ValidationError(_("This match is already closed."), code="state")
    if by_helper:
        _check_limit(match.helper, "cancel")
    if not reason.strip():
        raise ValidationError(_("Say why the visit is cancelled."), code="reason")
    held = match.status in Match.HOLDING
    _event_for(match, match.status, Match.Status.CANCELLED, actor, reason)
    match.status, match.cancel_reason = Match.Status.CANCELLED, reason.strip()[:300]
    match.save(update_fields=["status", "cancel_reason"])
    if held:
        CareRequest.objects.filter(pk=match.request_id, status=CareRequest.Status.MATCHED).update(
            status=CareRequest.Status.OPEN
        )
        _recount([match.request_id], offer=match.helper)  # the request looks again; the helper has room again
    if actor.person_id != match.helper.person_id:
        # the reason stays in the app: an email or SMS never carries what may be a care detail
        _tell_helper(match, lambda: _("A visit was cancelled."))
    if held and actor.person_id != match.request.person_id and not match.awaiting_check:  # told only once confirmed
        if actor.person_id == match.helper.person_id:
            _tell_resident(match, lambda: _("Your helper had to cancel. We are looking for someone else."))
        else:
            _tell_resident(match, lambda: _("Your visit was cancelled. We are looking for someone else."))
    return match


# ----------------------------------------------------------------------------------------------------------
# categories

BECAME_PROFESSIONAL = "the kind of help is professional care now"
"""The reason on the matches a category's change to professional care calls off (as the other notes: not shown
to residents, kept for the history)."""


@transaction.atomic
def category_became_professional(*, actor: Actor, category: CareCategory) -> int:
    """An administrator marked an existing category professional: its requests that still look for a
    volunteer, or have one, become referrals to a professional service, and their live matches are called off
    (the helpers and the persons are told).  Volunteers support; they never take over professional care.

    Called from the admin's save, which has checked the administrator's permission to change categories.
    Locks each request, then its matches (the services' one order).  Returns how many requests were referred.
    """
    if not CareCategory.objects.filter(pk=category.pk, professional=True).exists():
        return 0
    looking = [CareRequest.Status.OPEN, CareRequest.Status.MATCHED]
    requests = CareRequest.objects.select_for_update().filter(category_id=category.pk, status__in=looking)
    referred = 0
    for request in requests.order_by("pk"):
        live = request.matches.select_for_update().filter(status__in=[Match.Status.PROPOSED, *Match.HOLDING])
        for match in live.order_by("pk"):
            _event_for(match, match.status, Match.Status.CANCELLED, actor, BECAME_PROFESSIONAL)
            match.status, match.cancel_reason = Match.Status.CANCELLED, BECAME_PROFESSIONAL
            match.save(update_fields=["status", "cancel_reason"])
            _tell_helper(match, lambda: _("A visit was cancelled."))
        request.status = CareRequest.Status.REFERRED
        request.save(update_fields=["status"])
        Referral.objects.get_or_create(request=request)
        _tell(
            request.person,
            lambda: _("Your request is for professional care: a professional service will help, not a volunteer."),
            "care:my_request",
            request.pk,
        )
        referred += 1
    return referred


# ----------------------------------------------------------------------------------------------------------
# helpers' offers


@dataclass(frozen=True)
class Slot:
    weekday: int
    start: time
    end: time


@transaction.atomic
def offer_save(
    *,
    actor: Actor,
    person: Person,
    kind: str,
    categories: Sequence[CareCategory],
    slots: Sequence[Slot],
    max_distance_km: Decimal,
    requests_per_week: int,
    languages: Sequence[str],
    active: bool = True,
    via: str = "",
) -> HelperOffer:
    """A helper signs up or changes what they offer.  Signing up lists them, with their consent.

    A change of how far they travel is limited per day and recorded (``apps.people.places``)."""
    if not can(actor, "care.offer_help", person):
        raise PermissionDenied
    if kind not in HelperOffer.Kind.values:
        raise ValidationError(_("Choose how you help."), code="kind")
    if not categories:
        raise ValidationError(_("Choose at least one kind of help."), code="categories")
    if any(c.professional for c in categories):
        raise ValidationError(_("Professional care is given by professionals, not by volunteers."), code="professional")
    if not slots:
        raise ValidationError(_("Give at least one moment in the week when you are free."), code="slots")
    for slot in slots:
        if not 0 <= slot.weekday <= 6 or slot.end <= slot.start:
            raise ValidationError(_("A free moment ends before it starts."), code="slot_order")
    if not Decimal("0.1") <= max_distance_km <= Decimal("50"):
        raise ValidationError(_("Distance must be between 0.1 and 50 km."), code="distance")
    if not 1 <= requests_per_week <= 20:
        raise ValidationError(_("Between 1 and 20 requests a week."), code="capacity")
    if not languages:
        raise ValidationError(_("Choose at least one language you speak."), code="languages")
    if person.lat is None or person.district_id is None:
        raise ValidationError(
            _("Add your address to your profile first, so we can find requests near you."), code="address"
        )
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk", flat=True).first()  # one at a time
    before = HelperOffer.objects.filter(person=person).values_list("max_distance_km", flat=True).first()
    if before is not None and before != max_distance_km:  # limited and recorded: a reach moved again and again
        place_change_record(actor=actor, person=person, kind=PlaceChange.Kind.REACH, before=coarse_reach(before),
                            after=coarse_reach(max_distance_km), via=via)  # fmt: skip
    offer, _created = HelperOffer.objects.update_or_create(
        person=person,
        defaults={
            "kind": kind,
            "max_distance_km": max_distance_km,
            "requests_per_week": requests_per_week,
            "languages": _languages(languages),
            "active": active,
        },
    )
    offer.categories.set(categories)
    offer.availability.all().delete()
    WeeklyAvailability.objects.bulk_create(
        WeeklyAvailability(offer=offer, weekday=s.weekday, start=s.start, end=s.end) for s in slots
    )
    if not person.consents.filter(purpose=Purpose.LISTED_AS_HELPER, withdrawn_at__isnull=True).exists():
        consent_give(actor=actor, person=person, purpose=Purpose.LISTED_AS_HELPER, method="online")
    if not RoleAssignment.objects.filter(person=person, role=Role.HELPER, withdrawn_at__isnull=True).exists():
        RoleAssignment.objects.create(person=person, role=Role.HELPER, district=person.district, granted_by=person)
    _recount(offer=offer, reach_km=float(before or 0))  # within the old reach and the new one
    return offer


@transaction.atomic
def exception_add(*, actor: Actor, offer: HelperOffer, first_day: date, last_day: date, note: str = "") -> None:
    if not can(actor, "care.change_offer", offer):
        raise PermissionDenied
    if last_day < first_day:
        raise ValidationError(_("The last day lies before the first."), code="order")
    if last_day < timezone.localdate():
        raise ValidationError(_("These days are already past."), code="past")
    AvailabilityException.objects.create(offer=offer, first_day=first_day, last_day=last_day, note=note[:100])
    _recount(offer=offer)


@transaction.atomic
def exception_remove(*, actor: Actor, exception: AvailabilityException) -> None:
    if not can(actor, "care.change_offer", exception.offer):
        raise PermissionDenied
    exception.delete()
    _recount(offer=exception.offer)


@transaction.atomic
def vetting_record(*, actor: Actor, offer: HelperOffer, kind: str, checked_on: date, expires_on: date) -> Vetting:
    """A coordinator records a check they saw (the document itself is never stored)."""
    if not can(actor, "care.record_vetting", offer):
        raise PermissionDenied
    if kind not in Vetting.Kind.values:
        raise ValidationError(_("Choose the kind of check."), code="kind")
    if checked_on > timezone.localdate():
        raise ValidationError(_("The check date lies in the future."), code="future")
    if expires_on <= checked_on:
        raise ValidationError(_("The end of validity must come after the check date."), code="order")
    return Vetting.objects.create(
        offer=offer, kind=kind, checked_on=checked_on, expires_on=expires_on, recorded_by_id=actor.person_id
    )


# ----------------------------------------------------------------------------------------------------------
# rounds


@transaction.atomic
def round_start(*, actor: Actor, district_id: int | None) -> MatchingRound:
    """Queue a matching round over a district's open requests, or over all the actor's districts."""
    if not can(actor, "care.run_round", district_id):
        raise PermissionDenied
    matching_round = MatchingRound.objects.create(district_id=district_id, started_by_id=actor.person_id)
    from .tasks import run_round

    transaction.on_commit(lambda: run_round.enqueue(matching_round.pk, sorted(round_districts(actor, district_id))))
    return matching_round


def round_districts(actor: Actor, district_id: int | None) -> set[int]:
    return {district_id} if district_id is not None else set(actor.district_scope(Role.COORDINATOR))


def round_run(round_id: int, district_ids: Sequence[int]) -> MatchingRound:
    """Build the problem, solve it with the engine, store the problem and the proposed pairs."""
    from domain.matching import problem_to_dict

    from .problem import open_requests
    from .rounds import solve_round

    matching_round = MatchingRound.objects.get(pk=round_id)
    MatchingRound.objects.filter(pk=round_id).update(status=MatchingRound.Status.RUNNING)
    started = timezone.now()
    horizon = Horizon.from_now(started, days=settings.CARE_HORIZON_DAYS)
    requests = list(
        open_requests().filter(district_id__in=list(district_ids)).select_related("category").order_by("pk")
    )
    problem = build_problem(requests=requests, horizon=horizon)
    solution = solve_round(tuple(district_ids), problem)
    by_engine_id = {r.engine_id: r for r in requests}
    with transaction.atomic():
        RoundProposal.objects.bulk_create(
            RoundProposal(
                round=matching_round,
                request=by_engine_id[a.request],
                helper_id=offer_pk(a.helper),
                score=a.score,
                distance_km=a.distance_km,
            )
            for a in solution.assignments
        )
        matching_round.status = MatchingRound.Status.DONE
        matching_round.finished_at = timezone.now()
        matching_round.horizon_start, matching_round.horizon_end = horizon.start, horizon.end
        matching_round.requests_count, matching_round.helpers_count = len(problem.requests), len(problem.helpers)
        matching_round.total_score, matching_round.optimal = solution.score, solution.optimal
        matching_round.seconds = (matching_round.finished_at - started).total_seconds()
        matching_round.problem = problem_to_dict(problem)
        matching_round.save()
    return matching_round


@dataclass(frozen=True)
class Confirmed:
    matches: list[Match]
    skipped: list[tuple[RoundProposal, str]]


def round_confirm(*, actor: Actor, matching_round: MatchingRound, proposal_ids: Sequence[int] | None) -> Confirmed:
    """Turn proposals into matches proposed to the helpers: all of them, or the chosen ones.

    Each proposal is confirmed in its own transaction: one that no longer holds (the request was taken
    meanwhile, the helper is full) is skipped with its reason, and the others still go through.
    """
    if not can(actor, "care.confirm_round", matching_round):
        raise PermissionDenied
    if matching_round.status != MatchingRound.Status.DONE:
        raise ValidationError(_("This round has no proposals yet."), code="not_ready")
    proposals = matching_round.proposals.filter(match__isnull=True).select_related("request", "helper")
    if proposal_ids is not None:
        proposals = proposals.filter(pk__in=list(proposal_ids))
    matches: list[Match] = []
    skipped: list[tuple[RoundProposal, str]] = []
    for proposal in proposals:
        try:
            matches.append(
                match_propose(actor=actor, request=proposal.request, offer=proposal.helper, proposal=proposal)
            )
        except ValidationError as error:
            skipped.append((proposal, " ".join(error.messages)))
        except PermissionDenied:
            skipped.append((proposal, str(_("not in your districts"))))
    if matches:
        from . import tasks

        tasks.queue_eligibility()  # helpers have less room: count again every open request, once
    return Confirmed(matches, skipped)


# ----------------------------------------------------------------------------------------------------------
# eligibility counts


def eligibility_refresh(*, request_ids: Sequence[int] | None = None) -> int:
    """Store, for each open request (all, or the given ones), how many helpers with room fit it now."""
    from domain.matching import eligible_helper_counts

    from .problem import open_requests

    requests = open_requests().select_related("category").order_by("pk")
    if request_ids is not None:
        requests = requests.filter(pk__in=list(request_ids))
    chosen = list(requests)
    problem = build_problem(requests=chosen, horizon=Horizon.from_now(days=settings.CARE_HORIZON_DAYS))
    counts = eligible_helper_counts(problem)
    now = timezone.now()
    for request in chosen:
        request.eligible_helpers = counts.get(request.engine_id, 0)
        request.eligibility_checked_at = now
    CareRequest.objects.bulk_update(chosen, ["eligible_helpers", "eligibility_checked_at"], batch_size=500)
    return len(chosen)


def eligibility_refresh_near(*, offer_id: int, reach_km: float) -> int:
    """Count again the open requests within ``reach_km`` of a helper (a box, as ``problem.offers_near``):
    the only ones whose count a change of this helper's offer or room can change."""
    import math

    from .problem import KM_PER_DEGREE, open_requests

    person = Person.objects.filter(helper_offer__pk=offer_id).values("lat", "lon").first()
    if person is None or person["lat"] is None or person["lon"] is None:
        return 0
    lat, lon = person["lat"], person["lon"]
    d_lat = reach_km / KM_PER_DEGREE + 0.001
    d_lon = reach_km / (KM_PER_DEGREE * math.cos(math.radians(min(89.0, abs(lat) + 1)))) + 0.001
    near = open_requests().filter(lat__range=(lat - d_lat, lat + d_lat), lon__range=(lon - d_lon, lon + d_lon))
    ids = list(near.values_list("pk", flat=True))
    return eligibility_refresh(request_ids=ids) if ids else 0


def _recount(request_ids: Sequence[int] = (), *, offer: HelperOffer | None = None, reach_km: float = 0.0) -> None:
    """Once the change is committed, count again in the background the helpers who fit: of the given
    requests, and of the requests near a helper whose offer or room changed (the worklist's "no helper
    fits" section stays true between the daily counts)."""
    from . import tasks

    if request_ids:
        tasks.queue_eligibility(list(request_ids))
    if offer is not None:
        tasks.queue_eligibility_near(offer.pk, max(reach_km, float(offer.max_distance_km)))


# ----------------------------------------------------------------------------------------------------------
# messages


def messages_read(*, actor: Actor, message_ids: Sequence[int]) -> int:
    """Mark the person's own in-app messages as read: they have just seen them on their messages page."""
    from .models import Message

    return Message.objects.filter(person_id=actor.person_id, pk__in=list(message_ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )
