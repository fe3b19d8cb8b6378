"""What care matching holds about a person, for export and erasure.

Erasure keeps each request's row (category, district, dates, status) so that the counts per district
and month stay the same, and removes everything that says who, where exactly or what in their words:
the description, the address (the position moves to the district's own point, also in stored round
problems), the languages, feedback texts and reasons (on the match and in its history), the referral
note, the helper's offer details and the in-app messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from apps.access import special_category
from apps.access.privacy import PersonalDataSource, Rows
from apps.access.special_category import Reader
from apps.places import geo

from .models import (
    AvailabilityException,
    CareRequest,
    HelperOffer,
    Match,
    MatchEvent,
    MatchingRound,
    Message,
    Referral,
    Vetting,
)

ART9 = "GDPR art. 9: says something about a person's health or dependency"


def declare_special_category() -> None:
    """The care app's special-category fields, declared once (``apps/access/special_category.py``).

    The admin, the API, exports and erasure read these; a field added to a model that says what help
    someone needs, why they stopped or how a visit went belongs here.
    """
    declare = special_category.declare
    declare(
        CareRequest, fields=["person", "category", "description", "cancel_reason"], rule="care.view_request",
        subjects=["person"], why=f"{ART9}: that a person asked for help, in which category, in their words",
        kept={
            "person": "the row stays for the statistics; the person it points to is anonymised",
            "category": "counts per category and district stay; the row no longer names anyone",
        },
    )  # fmt: skip
    declare(Referral, fields=["service_name", "note"], rule="care.view_request", rule_on="request",
            subjects=["request__person"], why=f"{ART9}: the professional service a person is referred to")  # fmt: skip
    declare(
        Match, fields=["helper_feedback", "resident_feedback", "decline_reason", "cancel_reason"],
        rule="care.view_match", subjects=["request__person", "helper__person"],
        why=f"{ART9}: how a visit went and why it stopped, in the words of the helper or the person",
    )  # fmt: skip
    declare(MatchEvent, fields=["note"], rule="care.view_match", rule_on="match",
            subjects=["match__request__person", "match__helper__person"],
            why=f"{ART9}: the reason given when a match was declined or cancelled")  # fmt: skip
    declare(
        MatchingRound, fields=["problem"], rule="care.view_round",
        why=f"{ART9}: the engine's input holds every open request's category, place and languages",
        kept={"problem": "it holds many persons: the care eraser moves the person's positions to their "
                         "district's point (_scrub_rounds); request ids no longer name anyone"},
    )  # fmt: skip
    declare(Vetting, fields=["offer", "kind", "checked_on", "expires_on"], rule="care.record_vetting",
            rule_on="offer", subjects=["offer__person"], erase="delete",
            why="GDPR art. 10: a certificate of good conduct is data relating to criminal records")  # fmt: skip
    declare(AvailabilityException, fields=["note"], rule="care.change_offer", rule_on="offer",
            subjects=["offer__person"], why=f"{ART9}: why a helper is away (in hospital), in their words")  # fmt: skip


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _request_row(request: CareRequest, reader: Reader) -> dict[str, Any]:
    shown = reader.may_read(request)
    return {
        "id": request.pk,
        "category": request.category.code if shown else special_category.WITHHELD,
        "description": request.description if shown else special_category.WITHHELD,
        "address": f"{request.street} {request.house_number}, {request.postcode}".strip(" ,"),
        "district": request.district.name,
        "duration_minutes": request.duration_minutes,
        "recurrence": request.recurrence,
        "languages": request.languages,
        "urgency": request.urgency,
        "status": request.status,
        "cancel_reason": request.cancel_reason if shown else special_category.WITHHELD,
        "asked": request.channel,
        "created_at": _value(request.created_at),
        "times": [[_value(w.start), _value(w.end)] for w in request.windows.all()],
    }


def _match_row(match: Match, reader: Reader, *, as_helper: bool) -> dict[str, Any]:
    feedback = match.helper_feedback if as_helper else match.resident_feedback
    return {
        "id": match.pk,
        "request": match.request_id,
        "role": "helper" if as_helper else "resident",
        "status": match.status,
        "planned_start": _value(match.planned_start),
        "hours": str(match.hours) if match.hours is not None else None,
        "my_feedback": feedback if reader.may_read(match) else special_category.WITHHELD,
        "created_at": _value(match.created_at),
    }


def export(person: Any, reader: Reader) -> dict[str, Rows]:
    """The person's care data; for anyone but the person, declared fields only where the rule allows each row."""
    requests = CareRequest.objects.filter(person=person).select_related("category", "district", "person")
    requests = requests.prefetch_related("windows").order_by("created_at")
    tables: dict[str, Rows] = {"requests": [_request_row(r, reader) for r in requests]}
    mine = Match.objects.filter(request__person=person).select_related("request__person", "helper__person")
    tables["matches"] = [_match_row(m, reader, as_helper=False) for m in mine.order_by("created_at")]
    offer = HelperOffer.objects.filter(person=person).first()
    if offer is not None:
        tables["helper_offer"] = [
            {
                "kind": offer.kind,
                "categories": sorted(offer.categories.values_list("code", flat=True)),
                "max_distance_km": str(offer.max_distance_km),
                "requests_per_week": offer.requests_per_week,
                "languages": offer.languages,
                "weekly": [str(a) for a in offer.availability.all()],
                "away": [str(e) for e in offer.exceptions.all()],
                "vettings": [str(v) for v in offer.vettings.select_related("offer__person") if reader.may_read(v)],
            }
        ]
        helped = offer.matches.select_related("request__person", "helper__person").order_by("created_at")
        tables["helped"] = [_match_row(m, reader, as_helper=True) for m in helped]
    tables["messages"] = [
        {"text": m.text, "created_at": _value(m.created_at), "read_at": _value(m.read_at)}
        for m in Message.objects.filter(person=person).order_by("created_at")
    ]
    return tables


def _district_point(number: int) -> tuple[float, float] | None:
    for shape in geo.district_index().districts:
        if shape.number == number:
            return shape.interior_point
    return None


def _scrub_rounds(since: Any, requests: dict[str, tuple[float, float]], helper: tuple[str, tuple[float, float]] | None
                  ) -> None:  # fmt: skip
    """Stored round problems (kept so a round can be solved again) lose the person's exact positions."""
    if not requests and helper is None:
        return
    rounds = MatchingRound.objects.filter(created_at__gte=since).exclude(problem__isnull=True).only("pk", "problem")
    for matching_round in rounds.iterator():
        problem = matching_round.problem if isinstance(matching_round.problem, dict) else {}
        changed = False
        for item in problem.get("requests", []):
            if item.get("id") in requests:
                item["lat"], item["lon"] = requests[item["id"]]
                changed = True
        for item in problem.get("helpers", []):
            if helper is not None and item.get("id") == helper[0]:
                item["lat"], item["lon"] = helper[1]
                changed = True
        if changed:
            MatchingRound.objects.filter(pk=matching_round.pk).update(problem=problem)


def erase(person: Any) -> None:
    requests = list(CareRequest.objects.filter(person=person).select_related("district"))
    moved: dict[str, tuple[float, float]] = {}
    for request in requests:
        point = _district_point(request.district.number)
        request.description, request.cancel_reason = "", ""
        request.street, request.house_number, request.postcode = "", "", ""
        request.languages = []
        if point is not None:
            request.lat, request.lon = point
            request.shown_lat, request.shown_lon = point  # the shown position is a few hundred metres off
        moved[request.engine_id] = (request.lat, request.lon)
        words = ["description", "cancel_reason", "street", "house_number", "postcode", "languages"]
        request.save(update_fields=[*words, "lat", "lon", "shown_lat", "shown_lon"])
    Referral.objects.filter(request__person=person).update(note="")
    Match.objects.filter(request__person=person).update(resident_feedback="", decline_reason="", cancel_reason="")
    # a decline or cancel event keeps the reason in the person's own words
    reasons = MatchEvent.objects.filter(to_status__in=[Match.Status.DECLINED, Match.Status.CANCELLED])
    reasons.filter(match__request__person=person).exclude(note="").update(note="")
    offer = HelperOffer.objects.filter(person=person).first()
    helper: tuple[str, tuple[float, float]] | None = None
    if offer is not None:
        district = getattr(person, "district", None)
        point = _district_point(district.number) if district is not None else None
        helper = (offer.engine_id, point or (0.0, 0.0))
        reasons.filter(match__helper=offer).exclude(note="").update(note="")
        offer.matches.update(helper_feedback="", decline_reason="", cancel_reason="")
        offer.availability.all().delete()
        offer.exceptions.all().delete()
        offer.vettings.all().delete()
        HelperOffer.objects.filter(pk=offer.pk).update(active=False, languages=[])
    Message.objects.filter(person=person).delete()
    first = min([r.created_at for r in requests] + ([offer.created_at] if offer is not None else []), default=None)
    if first is not None:
        _scrub_rounds(first, moved, helper)


def clear_closed_requests(*, before: datetime) -> int:
    """Retention: requests closed before ``before`` lose their words (description, feedback, reasons).

    Their rows, categories, districts and dates stay, so the statistics do not change.
    """
    CareRequest.objects.filter(closed_at__lt=before).exclude(cancel_reason="").update(cancel_reason="")
    old = CareRequest.objects.filter(closed_at__lt=before).exclude(description="")
    cleared = old.update(description="")
    Match.objects.filter(request__closed_at__lt=before).exclude(
        helper_feedback="", resident_feedback="", decline_reason="", cancel_reason=""
    ).update(helper_feedback="", resident_feedback="", decline_reason="", cancel_reason="")
    return int(cleared)


SOURCE = PersonalDataSource(name="care", export=export, erase=erase)
