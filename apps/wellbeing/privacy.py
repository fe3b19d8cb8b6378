"""What the wellbeing app holds about a person, for export and erasure, and which of its fields are
special-category data (GDPR art. 9: they say something about a person's health).

Declared once here (``apps/access/special_category.py``): the admin cannot search, filter or order on them, an
export for anyone but the person carries them only where the rule allows, and erasure empties them.

- a screening's answers and scores (``wellbeing.view_screening``);
- what a neighbour wrote about someone and where they live (``wellbeing.view_report``); a report names no
  person, it reaches one through the outreach case opened from it (``cases__person``);
- the notes of an outreach case and of its contact attempts (``wellbeing.view_case``).

The export of a person gives their screenings and outreach cases; of a neighbour's report about them only that
there was one and when, never its words or who sent it (GDPR art. 15(4): the right of access does not reach the
rights of others, and a report's words can tell who wrote it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from apps.access import special_category
from apps.access.privacy import PersonalDataSource, Rows
from apps.access.special_category import Reader

from .models import CaseOffer, ContactAttempt, OutreachCase, Screening, Signal, WorryReport

ART9 = "GDPR art. 9: says something about a person's health"
SCORES = ["answers", "total", "category", "emotional", "emotional_category", "social", "social_category", "missing"]
REPORT_TEXTS = ["street", "house_number", "postal_code", "description", "noticed"]
REPORTER = ["reporter_name", "reporter_phone", "reporter_email"]


def declare_special_category() -> None:
    """The app's special-category fields, declared once (called from ``apps.py``)."""
    special_category.declare(
        Screening, fields=SCORES, rule="wellbeing.view_screening", subjects=["person"],
        why=f"{ART9}: how lonely a person is, in their own answers and the scores of a loneliness scale",
    )  # fmt: skip
    special_category.declare(
        WorryReport, fields=[*REPORT_TEXTS, "signs"], rule="wellbeing.view_report",
        subjects=["cases__person"],
        why=f"{ART9}: that a neighbour worries someone at this address is isolated or unwell, and what they noticed",
    )  # fmt: skip
    special_category.declare(
        OutreachCase, fields=["notes"], rule="wellbeing.view_case", subjects=["person"],
        why=f"{ART9}: what the coordinator noted about a person who may be lonely",
    )  # fmt: skip
    special_category.declare(
        ContactAttempt, fields=["note"], rule="wellbeing.view_case", rule_on="case", subjects=["case__person"],
        why=f"{ART9}: what came of trying to reach a person who may be lonely",
    )  # fmt: skip


def _when(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export(person: Any, reader: Reader) -> dict[str, Rows]:
    """The person's screenings and outreach cases, and the signals they reported.

    For anyone but the person, a screening or a case is in the file only where its rule lets the reader see it
    at all: that a neighbour reported someone, how a case ended or that someone was screened for loneliness says
    as much as the notes (a coordinator of the district who is not assigned to the case got it all but the
    notes, before)."""
    screenings = [
        {
            "id": s.pk, "instrument": s.instrument, "version": s.instrument_version, "answer_format": s.answer_format,
            "taken_at": _when(s.taken_at), "mode": s.mode,
            **{name: getattr(s, name) for name in SCORES},
        }
        for s in Screening.objects.filter(person=person).order_by("taken_at", "pk")
        if reader.may_read(s)
    ]  # fmt: skip
    cases = []
    for case in OutreachCase.objects.filter(person=person).select_related("district").order_by("created_at", "pk"):
        shown = reader.may_read(case)
        if not shown:
            continue
        cases.append({
            "id": case.pk, "district": case.district.name, "opened_from": case.origin,
            "opened_at": _when(case.created_at), "status": case.status, "outcome": case.outcome,
            "closed_at": _when(case.closed_at),
            "notes": case.notes if shown else special_category.WITHHELD,
            "neighbour_report_at": _when(case.report.created_at) if case.report_id and case.report else None,
            "attempts": [
                {"at": _when(a.at), "how": a.channel, "outcome": a.outcome,
                 "note": a.note if shown else special_category.WITHHELD}
                for a in case.attempts.all()
            ],
            "offers": [
                {"what": o.kind, "answer": o.answer, "at": _when(o.created_at)} for o in case.offers.all()
            ],
        })  # fmt: skip
    signals = [
        {"id": s.pk, "category": s.category, "at": _when(s.created_at), "status": s.status,
         "description": s.description, "address": s.address}
        for s in Signal.objects.filter(reporter=person).order_by("created_at", "pk")
    ]  # fmt: skip
    return {"screenings": screenings, "outreach_cases": cases, "signals": signals}


def erase(person: Any) -> None:
    """Screenings go; cases keep their counts (district, origin, outcome, dates) without the person or words;
    reports reached through them lose their words and address; signals forget who reported them, with their words,
    photo and house number."""
    cases = OutreachCase.objects.filter(person=person)
    reports = WorryReport.objects.filter(cases__in=cases)
    reports.update(**dict.fromkeys([*REPORT_TEXTS, *REPORTER], ""), signs=[])
    ContactAttempt.objects.filter(case__in=cases).update(note="")
    CaseOffer.objects.filter(case__in=cases).update(description="", care_request=None, referral=None)
    cases.update(notes="", person=None, consent=None)
    Screening.objects.filter(person=person).delete()
    _forget_signals_of(person)


def _forget_signals_of(person: Any) -> None:
    """A signal stays for its place (category, district, street, status: the public page and the counts), but
    loses who reported it, their words, their photo and the house number (which may have been their own)."""
    from .signals_service import photo_storage, street_of

    storage = photo_storage()
    for signal in Signal.objects.filter(reporter=person):
        if signal.photo:
            storage.delete(signal.photo)
        signal.reporter, signal.description, signal.photo = None, "", ""
        signal.address = street_of(signal.address)
        signal.save(update_fields=["reporter", "description", "photo", "address"])


def anonymise_reports(*, before: datetime) -> int:
    """Retention: reports sent before ``before`` lose the words, the address and the reporter's contact; the
    district, the signs ticked, the status and the dates stay for the statistics."""
    old = WorryReport.objects.filter(created_at__lt=before, anonymised_at__isnull=True)
    return int(old.update(**dict.fromkeys([*REPORT_TEXTS, *REPORTER], ""), anonymised_at=timezone.now()))


def anonymise_closed_cases(*, before: datetime) -> int:
    """Retention: cases closed before ``before`` lose the person, the notes and the links to other records; the
    district, origin, outcome and dates stay (counts per district and outcome do not change)."""
    old = OutreachCase.objects.filter(
        status=OutreachCase.Status.CLOSED, closed_at__lt=before, anonymised_at__isnull=True
    )
    ContactAttempt.objects.filter(case__in=old).exclude(note="").update(note="")
    CaseOffer.objects.filter(case__in=old).update(description="", care_request=None, referral=None)
    Screening.objects.filter(case__in=old).update(
        person=None, consent=None, answers={}, missing=[], case=None, anonymised_at=timezone.now()
    )
    return int(old.update(person=None, notes="", consent=None, screening=None, anonymised_at=timezone.now()))


def anonymise_screenings(*, before: datetime) -> int:
    """Retention: screenings taken before ``before`` lose the person, the answers and their links to a case;
    the scores, categories, district and date stay for the district view."""
    old = Screening.objects.filter(taken_at__lt=before, anonymised_at__isnull=True)
    # the links go too: a case (still open, or not yet anonymised) pointing at the screening would name its person
    OutreachCase.objects.filter(screening__in=old).update(screening=None)
    return int(old.update(person=None, consent=None, answers={}, missing=[], case=None,
                          anonymised_at=timezone.now()))  # fmt: skip


SOURCE = PersonalDataSource(name="wellbeing", export=export, erase=erase)
