"""The engine's findings in the reader's language.

The engine (``domain/matching``) is plain Python and speaks English on the command line; in the
platform, what it found is told again here from its structured result (rule numbers, outcomes,
distance, overlap) and the database rows, through gettext, so a coordinator reads Dutch, French or
English like the rest of the page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from apps.core import formats as shown
from apps.people.forms import LANGUAGES
from domain.matching import RuleCheck, Suggestion

from .models import CareRequest, HelperOffer

LANGUAGE_NAMES = dict(LANGUAGES)


def language_names(codes: Iterable[str]) -> str:
    """Language codes in words ("Dutch, Arabic"), as the forms offer them (``apps/core/formats.py``)."""
    return shown.language_names(list(codes))


def km(distance: float) -> str:
    return formats.number_format(round(distance, 1), 1)


def km_as_shown(distance: float | None) -> float | None:
    """A distance as the coordinator's pages show it (one decimal, ``floatformat:1``), for the API."""
    return None if distance is None else round(distance, 1)


def short_name(person: Any) -> str:
    """A helper as the coordinator's pages name them: first name and initial, no more."""
    initial = f" {person.last_name[:1]}." if person.last_name else ""
    return f"{person.first_name}{initial}"


def when(start: datetime, end: datetime) -> str:
    """A naive local overlap (the engine's form) in words: "di 24 nov 09:00–12:00", "Tue 24 Nov 09:00–12:00"."""
    return f"{shown.day_short(start.date())} {start:%H:%M}–{end:%H:%M}"


def suggestion_reasons(suggestion: Suggestion, request: CareRequest, offer: HelperOffer) -> list[str]:
    """Why this helper fits, as a coordinator reads it on the phone."""
    reasons = [
        _("helps with %(category)s") % {"category": request.category.name},
        _("%(distance)s km away (travels up to %(reach)s km)")
        % {"distance": km(suggestion.distance_km), "reach": km(float(offer.max_distance_km))},
    ]
    if request.languages:
        shared = [code for code in request.languages if code in (offer.languages or [])]
        reasons.append(_("speaks %(languages)s") % {"languages": language_names(shared)})
    reasons.append(_("free %(when)s") % {"when": when(suggestion.overlap_start, suggestion.overlap_end)})
    if request.requires_vetted:
        reasons.append(_("vetted, as the request requires"))
    if suggestion.preferred:
        reasons.append(_("preferred by the person who asked"))
    return reasons


def rule_detail(check: RuleCheck, request: CareRequest, offer: HelperOffer, distance_km: float) -> str:
    """One rule's outcome for a pair, naming the values that decided it."""
    category = request.category.name
    if check.rule == 1:
        if check.ok:
            return _("helps with %(category)s") % {"category": category}
        helps = ", ".join(c.name for c in offer.categories.all()) or _("nothing yet")
        return _("does not help with %(category)s (helps with: %(helps)s)") % {"category": category, "helps": helps}
    if check.rule == 2:
        values = {"distance": km(distance_km), "reach": km(float(offer.max_distance_km))}
        if check.ok:
            return _("%(distance)s km away, within the %(reach)s km the helper travels") % values
        return _("%(distance)s km away, farther than the %(reach)s km the helper travels") % values
    if check.rule == 3:
        if not request.languages:
            return _("any language is fine")
        if check.ok:
            shared = [code for code in request.languages if code in (offer.languages or [])]
            return _("speaks %(languages)s") % {"languages": language_names(shared)}
        return _("the request needs %(needed)s; the helper speaks %(spoken)s") % {
            "needed": language_names(request.languages),
            "spoken": language_names(offer.languages or []) or _("no language listed"),
        }
    if check.rule == 4:
        if not request.requires_vetted:
            return _("no vetting needed")
        return _("vetted, as the request requires") if check.ok else _("the request needs a vetted helper")
    if check.rule == 5:
        return _("not excluded") if check.ok else _("excluded by the person who asked")
    minutes = {"minutes": request.duration_minutes}
    if check.ok:
        return _("a common free time of at least %(minutes)d minutes") % minutes
    return _("no common free time of %(minutes)d minutes in the coming days") % minutes


def _system_notes() -> dict[str, str]:
    from . import services  # the services import nothing of the pages' wording

    return {
        services.TAKEN_NOTE: _("taken by the helper"),
        services.CHECK_CONFIRMED: _("confirmed by a coordinator"),
        services.CHECK_REFUSED: _("not confirmed by a coordinator"),
        services.CHECK_LAPSED: _("not checked in time"),
        services.BECAME_PROFESSIONAL: _("the kind of help is professional care now"),
        "for the helper, by phone": _("for the helper, by phone"),
        "continuity: same helper for the next time": _("the same helper for the next time"),
        "the resident prefers someone else": _("the person prefers someone else"),
    }


def note_in_words(note: str, *, coordinator: bool) -> str:
    """A match's note (of an event, or its cancel reason) in the reader's language.

    The services write their own notes in English (the daily limits and the history count on them); a
    note typed by a person (a reason) is shown as typed.  A coordinator's reason for not confirming a new
    helper (``CHECK_REFUSED: <reason>``) is for coordinators only: the helper and the person read that
    it was not confirmed, not why (the reason may say something about the person's health)."""
    from . import services

    notes = _system_notes()
    if note in notes:
        return notes[note]
    head, _sep, rest = note.partition(": ")
    if head == services.CHECK_REFUSED and rest:
        return f"{notes[head]}: {rest}" if coordinator else notes[head]
    if note.startswith("round ") and note[6:].isdigit():
        return _("matching round %(number)s") % {"number": note[6:]}
    return note
