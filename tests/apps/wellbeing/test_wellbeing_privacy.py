"""What the wellbeing app keeps, for how long, and what erasure and export do (issue 17).

Worked out by hand: a report sent 400 days ago is past the default 365 days and loses its words, address and the
reporter's contact, but keeps its district, signs and status; one sent 300 days ago keeps everything.  A case closed
800 days ago (default 730) loses its person and notes and keeps its outcome.  Counters of windows that ended more
than two days after the longest window go.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.access import special_category
from apps.access.privacy import erase_person, export_person
from apps.access.retention import apply_retention
from apps.wellbeing.models import ContactAttempt, OutreachCase, RateBucket, Screening, WorryReport

from .conftest import World

pytestmark = pytest.mark.django_db


def test_the_special_category_fields_are_declared() -> None:
    declared = {d.label: set(d.fields) for d in special_category.declarations() if d.label.startswith("wellbeing.")}
    assert declared["wellbeing.Screening"] >= {"answers", "total", "category", "emotional", "social"}
    assert declared["wellbeing.WorryReport"] >= {"street", "house_number", "description", "noticed", "signs"}
    assert declared["wellbeing.OutreachCase"] == {"notes"}
    assert declared["wellbeing.ContactAttempt"] == {"note"}


def test_retention_anonymises_old_reports_and_closed_cases_and_keeps_the_counts(world: World) -> None:
    now = timezone.now()
    old = WorryReport.objects.create(
        district=world.district, street="Korenmarkt", house_number="1", postal_code="9000", noticed="oud",
        signs=["mail"], reporter_phone="+32470123456", created_at=now - timedelta(days=400),
    )  # fmt: skip
    recent = WorryReport.objects.create(district=world.district, noticed="recent", created_at=now - timedelta(days=300))
    case = OutreachCase.objects.create(
        district=world.district, person=world.resident, origin="observation", notes="alleen", status="closed",
        outcome="moved", closed_at=now - timedelta(days=800),
    )  # fmt: skip
    ContactAttempt.objects.create(case=case, channel="door", outcome="no_answer", note="niemand thuis")
    RateBucket.objects.create(scope="report_network", key="k", window_start=now - timedelta(days=10), count=3)
    RateBucket.objects.create(scope="report_network", key="k", window_start=now - timedelta(days=1), count=3)
    counts = apply_retention(now=now)
    assert counts["wellbeing_reports"] == 1 and counts["wellbeing_closed_cases"] == 1
    assert counts["wellbeing_rate_counters"] == 1
    old.refresh_from_db()
    assert (old.street, old.postal_code, old.noticed, old.reporter_phone) == ("", "", "", "")
    assert (old.district, old.signs, old.status) == (world.district, ["mail"], "new") and old.anonymised_at
    recent.refresh_from_db()
    assert recent.noticed == "recent" and recent.anonymised_at is None
    case.refresh_from_db()
    assert (case.person, case.notes, case.outcome) == (None, "", "moved")
    assert ContactAttempt.objects.get().note == ""


def test_erasure_removes_screenings_and_empties_cases_and_the_report_behind_them(world: World) -> None:
    from apps.people.models import Consent, Purpose

    consent = Consent.objects.create(
        person=world.resident, purpose=Purpose.WELLBEING_SCREENING, method="phone", text_version="1",
        given_at=timezone.now(),
    )  # fmt: skip
    Screening.objects.create(
        person=world.resident, instrument="djg6", instrument_version="djg6-1", answer_format="3",
        answers={"3": "yes"}, total=1, category="not_lonely", mode="phone", consent=consent,
    )  # fmt: skip
    report = WorryReport.objects.create(district=world.district, street="Korenmarkt", noticed="zorgen")
    OutreachCase.objects.create(district=world.district, person=world.resident, origin="report", report=report,
                                notes="alleen")  # fmt: skip
    exported = export_person(world.resident)
    assert [s["total"] for s in exported["wellbeing.screenings"]] == [1]
    (case_row,) = exported["wellbeing.outreach_cases"]
    assert case_row["notes"] == "alleen" and "zorgen" not in str(case_row), "never the words of the neighbour"
    erase_person(world.resident)
    assert not Screening.objects.exists()
    case = OutreachCase.objects.get()
    assert (case.person, case.notes) == (None, "")
    report.refresh_from_db()
    assert (report.street, report.noticed) == ("", "")


def test_erasure_keeps_a_signal_for_its_place_without_the_reporter_their_words_photo_or_house_number(
    world: World, settings, tmp_path
) -> None:
    from django.core.files.base import ContentFile

    from apps.wellbeing.models import Signal
    from apps.wellbeing.signals_service import photo_storage

    settings.WELLBEING_SIGNAL_PHOTO_DIR = str(tmp_path)
    name = photo_storage().save("signal.jpg", ContentFile(b"\xff\xd8photo"))
    signal = Signal.objects.create(
        category="no_bench", district=world.district, reporter=world.resident, address="Veldstraat 12",
        description="Ik, Rik, woon hier en mis een bank", photo=name,
    )  # fmt: skip
    erase_person(world.resident)
    signal.refresh_from_db()
    assert (signal.reporter, signal.description, signal.photo) == (None, "", "")
    assert signal.address == "Veldstraat" and signal.category == "no_bench" and signal.district == world.district
    assert not photo_storage().exists(name)


def test_an_export_for_someone_else_holds_only_the_cases_and_screenings_they_may_see(world: World) -> None:
    from apps.access.actors import actor_for_user
    from apps.people.models import Role

    from .conftest import make_person

    colleague = make_person("Lotte", world.district, Role.COORDINATOR)  # same district, not assigned
    report = WorryReport.objects.create(district=world.district, street="Korenmarkt", noticed="zorgen")
    OutreachCase.objects.create(district=world.district, person=world.resident, origin="report", report=report,
                                assigned_to=world.coordinator, notes="alleen")  # fmt: skip
    Screening.objects.create(person=world.resident, instrument="djg6", instrument_version="djg6-1",
                             answer_format="3", total=5, category="severely_lonely", mode="phone")  # fmt: skip
    for_colleague = export_person(world.resident, actor_for_user(colleague.user))
    assert for_colleague["wellbeing.outreach_cases"] == []  # not even that a neighbour reported him
    assert for_colleague["wellbeing.screenings"] == []  # no consent for wellbeing: not that he was screened
    for_assigned = export_person(world.resident, actor_for_user(world.coordinator.user))
    assert [case["notes"] for case in for_assigned["wellbeing.outreach_cases"]] == ["alleen"]
    assert len(export_person(world.resident)["wellbeing.screenings"]) == 1  # the person themselves: everything


def test_an_anonymised_screening_cannot_be_traced_back_through_its_case(world: World) -> None:
    from apps.wellbeing.privacy import anonymise_screenings

    screening = Screening.objects.create(
        person=world.resident, instrument="djg6", instrument_version="djg6-1", answer_format="3", total=5,
        category="severely_lonely", mode="phone", taken_at=timezone.now() - timedelta(days=3 * 365 + 5),
    )  # fmt: skip
    case = OutreachCase.objects.create(district=world.district, person=world.resident, origin="screening",
                                       screening=screening)  # fmt: skip
    screening.case = case
    screening.save(update_fields=["case"])
    assert anonymise_screenings(before=timezone.now() - timedelta(days=3 * 365)) == 1
    screening.refresh_from_db()
    case.refresh_from_db()
    assert (screening.person, screening.case, case.screening) == (None, None, None)
    assert screening.category == "severely_lonely"  # kept for the district view
