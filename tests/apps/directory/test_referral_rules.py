"""The rules of a referral: consent first, only what was ticked, who sets which status, overdue after N
working days, a declined referral back to the coordinator with the reason, a withdrawn consent, bad input,
erasure, retention and export (issue 16, points 4 and 6)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone, translation

from apps.access.privacy import erase_person, export_person
from apps.access.retention import apply_retention
from apps.directory import referrals as services
from apps.directory.models import Referral, ReferralEvent
from apps.people.models import Consent, Purpose
from apps.people.services import consent_withdraw

from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld, actor, clock, snapshot, text_of

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(datetime.fromisoformat(day).date(), time(hour)))


# --- consent and what is passed on ----------------------------------------------------------------------


def test_the_consent_is_recorded_first_and_an_active_one_is_reused(referral_world: ReferralWorld) -> None:
    world = referral_world
    first = world.refer()
    second = world.refer(service=world.other_service, service_at_location=None, consent_method="paper")
    consents = Consent.objects.filter(person=world.resident, purpose=Purpose.SHARE_WITH_SERVICE)
    assert consents.count() == 1
    assert first.consent == second.consent == consents.get()
    assert consents.get().method == "phone" and consents.get().recorded_by == world.coordinator


def test_only_the_ticked_information_is_kept_as_it_was_when_sent(referral_world: ReferralWorld) -> None:
    world = referral_world
    referral = world.refer(shared_fields=["phone", "languages", "birth_date"])
    assert referral.shared == {"phone": "0477 50 30 67", "birth_date": "1944-03-02", "languages": ["nl"]}
    world.resident.phone = "+32499000000"
    world.resident.save()
    referral.refresh_from_db()
    assert referral.shared["phone"] == "0477 50 30 67"  # a snapshot: what the service received
    with translation.override("en"):
        assert services.shared_rows(referral.shared) == [
            ("Phone", "0477 50 30 67"), ("Date of birth", "Thursday 2 March 1944"), ("Languages", "Dutch")
        ]  # fmt: skip


# --- who sets which status -----------------------------------------------------------------------------


def test_the_organisation_and_the_coordinator_each_set_only_their_own_steps(referral_world: ReferralWorld) -> None:
    world = referral_world
    referral = world.refer()
    with pytest.raises(PermissionDenied):
        services.referral_set_status(actor_person=world.other_staff, referral=referral, status="received")
    with pytest.raises(ValidationError) as refused:
        services.referral_set_status(actor_person=world.coordinator, referral=referral, status="accepted")
    assert refused.value.code == "not_now"
    with pytest.raises(ValidationError):
        services.referral_set_status(actor_person=world.staff, referral=referral, status="withdrawn")
    with pytest.raises(ValidationError):  # "no answer" only once the answer is overdue
        services.referral_set_status(actor_person=world.coordinator, referral=referral, status="no_answer")
    with pytest.raises(ValidationError):  # completed only after accepted
        services.referral_set_status(actor_person=world.staff, referral=referral, status="completed")
    services.referral_set_status(actor_person=world.staff, referral=referral, status="received")
    services.referral_set_status(actor_person=world.staff, referral=referral, status="accepted")
    services.referral_set_status(actor_person=world.coordinator, referral=referral, status="withdrawn",
                                 reason="De persoon verhuist.")  # fmt: skip
    with pytest.raises(ValidationError):  # closed: nothing more
        services.referral_set_status(actor_person=world.staff, referral=referral, status="completed")
    assert list(referral.events.values_list("status", "by")) == [
        ("sent", world.coordinator.pk), ("received", world.staff.pk), ("accepted", world.staff.pk),
        ("withdrawn", world.coordinator.pk),
    ]  # fmt: skip


def test_overdue_after_the_working_days_not_counting_easter_monday(
    referral_world: ReferralWorld, client_for: Callable[..., Client], settings: Any
) -> None:
    """Sent on Thursday 2 April 2026 with 5 working days: Fri 3, (Mon 6 is Easter Monday) Tue 7, Wed 8, Thu 9,
    Fri 10.  Not overdue on Friday 10 April, overdue on Monday 13 April."""
    settings.REFERRAL_ANSWER_WORKING_DAYS = 5
    world = referral_world
    with clock(at("2026-04-02")):
        late = world.refer()
        on_time = world.refer(service=world.other_service, service_at_location=None)
        services.referral_set_status(actor_person=world.other_staff, referral=on_time, status="accepted")
    assert late.answer_due.isoformat() == "2026-04-10"
    with clock(at("2026-04-10", 16)):
        coordinator = client_for(world.coordinator)
        assert services.next_statuses(actor(world.coordinator), late) == ["withdrawn"]
        assert "Answer overdue" not in text_of(coordinator.get("/en/referrals/"))
        assert "No answer after the expected day" not in text_of(coordinator.get("/en/"))
    with clock(at("2026-04-13", 9)):
        coordinator = client_for(world.coordinator)  # signed in again: the session ended after days idle
        page = text_of(coordinator.get("/en/referrals/"))
        assert "Answer overdue" in page
        assert page.index("Thuisverpleging Noord") < page.index("Maaltijden aan huis"), "overdue first"
        assert "No answer after the expected day 1" in text_of(coordinator.get("/en/"))
        assert services.next_statuses(actor(world.coordinator), late) == ["withdrawn", "no_answer"]
        services.referral_set_status(actor_person=world.coordinator, referral=late, status="no_answer")
    late.refresh_from_db()
    assert late.status == "no_answer" and late.seen_by_coordinator_at is None


def test_a_declined_referral_comes_back_to_the_coordinator_with_the_reason(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    office = client_for(world.staff)
    without = office.post(f"/en/referrals/received/{referral.pk}/", {"status": "declined", "note": "  "})
    assert "Say why the service cannot help" in text_of(without)
    referral.refresh_from_db()
    assert referral.status == "sent"
    office.post(f"/en/referrals/received/{referral.pk}/", {"status": "declined", "note": "Geen plaats tot maart."})
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == ("declined", "Geen plaats tot maart.")

    coordinator = client_for(world.coordinator)
    assert "Came back to you (declined or no answer) 1" in text_of(coordinator.get("/en/"))
    assert "Not seen yet" in text_of(coordinator.get("/en/referrals/"))
    page = text_of(coordinator.get(f"/en/referrals/{referral.pk}/"))
    assert "The service declined" in page and "Geen plaats tot maart." in page and "Send to another service" in page
    assert "The service cannot help. Your coordinator looks for another way." in text_of(
        client_for(world.resident).get("/en/my-referrals/")
    )
    coordinator.post(f"/en/referrals/{referral.pk}/", {"action": "seen"})
    assert "Came back to you" not in text_of(coordinator.get("/en/"))
    assert "Not seen yet" not in text_of(coordinator.get("/en/referrals/"))

    # sent elsewhere through the same three steps: a new referral, the old one keeps its history
    url = f"/en/referrals/refer/{world.resident.pk}/?resend={referral.pk}&service={world.other_service.pk}"
    place = world.other_service.service_at_locations.get()
    form = {"location": str(place.pk), "need": "Wondzorg", "shared": ["name"], "step": "send"}
    assert coordinator.post(url, form).status_code == 302
    new = Referral.objects.exclude(pk=referral.pk).get()
    assert new.service == world.other_service and new.status == "sent"
    assert f"Sent to another service instead (referral {new.pk})." in text_of(
        coordinator.get(f"/en/referrals/{referral.pk}/")
    )


def test_withdrawing_the_consent_withdraws_the_open_referrals_and_hides_them(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    open_one = world.refer()
    done = world.refer(service=world.other_service, service_at_location=None)
    services.referral_set_status(actor_person=world.other_staff, referral=done, status="accepted")
    services.referral_set_status(actor_person=world.other_staff, referral=done, status="completed")
    office = client_for(world.staff)
    assert office.get(f"/en/referrals/received/{open_one.pk}/").status_code == 200

    consent_withdraw(actor=actor(world.resident), person=world.resident, purpose=Purpose.SHARE_WITH_SERVICE)

    assert office.get(f"/en/referrals/received/{open_one.pk}/").status_code == 404
    assert "Rosalie" not in text_of(office.get("/en/referrals/received/"))
    assert office.post(f"/en/referrals/received/{open_one.pk}/", {"status": "accepted"}).status_code == 404
    page = text_of(client_for(world.coordinator).get("/en/referrals/"))
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert open_one.status == "withdrawn" and done.status == "completed"
    assert "Withdrawn" in page
    note = open_one.events.order_by("-pk").first()
    assert note is not None and note.note == services.NOTE_CONSENT_WITHDRAWN
    assert "The person withdrew their consent for sharing" in text_of(
        client_for(world.coordinator).get(f"/en/referrals/{open_one.pk}/")
    )


def test_the_person_who_withdraws_their_consent_sees_the_referral_stopped_at_once(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    consent_withdraw(actor=actor(world.resident), person=world.resident, purpose=Purpose.SHARE_WITH_SERVICE)
    page = text_of(client_for(world.resident).get("/en/my-referrals/"))
    assert "Stopped. The service no longer sees it." in page
    referral.refresh_from_db()
    assert referral.status == "withdrawn"


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"need": "Wondzorg\x00"}, "need_unstorable"),
        ({"need": "x" * (services.NEED_MAX + 1)}, "need_too_long"),
        ({"need": "   "}, "need_required"),
        ({"shared_fields": ["name", "support_needs"]}, "shared_unknown"),
        ({"shared_fields": []}, "shared_required"),
        ({"origin": "somewhere"}, "unknown_origin"),
        ({"origin": "care_request", "origin_id": None}, "unknown_origin"),
        ({"consent_method": "telepathy"}, "consent_method"),
        ({"consent_method": "online"}, "online_only_by_person"),
    ],
)
def test_bad_input_to_the_service_is_refused_and_changes_nothing(
    referral_world: ReferralWorld, changes: dict[str, Any], code: str
) -> None:
    world = referral_world
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        world.refer(**changes)
    assert refused.value.code == code
    assert snapshot() == before


def test_an_unknown_or_unpublished_service_or_a_foreign_location_is_refused(referral_world: ReferralWorld) -> None:
    world = referral_world
    before = snapshot()
    world.other_service.published_at = None
    world.other_service.save()
    foreign = world.other_service.service_at_locations.get()
    for changes in ({"service": world.other_service, "service_at_location": None}, {"service": None},
                    {"service_at_location": foreign}):  # fmt: skip
        with pytest.raises(ValidationError):
            world.refer(**changes)
    assert snapshot() == before


def test_a_person_the_coordinator_does_not_coordinate_is_a_404_and_nothing_changes(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    before = snapshot()
    other = client_for(world.other_coordinator)
    url = f"/en/referrals/refer/{world.resident.pk}/?service={world.service.pk}"
    assert other.get(url).status_code == 404
    form = {"location": str(world.place.pk), "need": "x", "shared": ["name"], "consent_method": "phone",
            "consent": "on", "step": "send"}  # fmt: skip
    assert other.post(url, form).status_code == 404
    with pytest.raises(PermissionDenied):
        world.refer(actor_person=world.other_coordinator)
    assert snapshot() == before


def test_bad_input_on_the_pages_gives_a_clear_message_and_changes_nothing(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    coordinator = client_for(world.coordinator)
    base = f"/en/referrals/refer/{world.resident.pk}/"
    page = text_of(coordinator.get(base, {"service": "not-a-uuid"}))
    assert "This service is not in the directory" in page
    page = text_of(coordinator.get(base, {"service": "00000000-0000-0000-0000-000000000000", "origin_id": "9" * 40}))
    assert "This service is not in the directory" in page
    before = snapshot()
    url = f"{base}?service={world.service.pk}"
    good = {"location": str(world.place.pk), "need": "Wondzorg", "shared": ["name"], "consent_method": "phone",
            "consent": "on", "step": "send"}  # fmt: skip
    cases = [
        ({"need": "Wond\x00zorg"}, "Null characters are not allowed"),
        ({"need": "x" * 5000}, "at most 2000 characters"),
        ({"shared": []}, "Tick at least one piece of information"),
        ({"shared": ["name", "support_needs"]}, "is not one of the available choices"),
        ({"consent": ""}, "Read the consent text to the person"),
        ({"location": "00000000-0000-0000-0000-000000000000"}, "Choose one of the places"),
    ]
    for change, message in cases:
        response = coordinator.post(url, {**good, **change})
        assert response.status_code == 200, change
        assert message in text_of(response), change
        assert "There is a problem" in text_of(response)
    referral = world.refer()
    office = client_for(world.staff)
    response = office.post(f"/en/referrals/received/{referral.pk}/", {"status": "completed"})
    assert "This step is not possible now." in text_of(response)
    response = office.post(f"/en/referrals/received/{referral.pk}/", {"status": "accepted", "note": "y" * 1001})
    assert "at most 1000 characters" in text_of(response)
    after = snapshot()
    assert after["referrals"][:-1] == before["referrals"] and len(after["events"]) == len(before["events"]) + 1


# --- erasure, retention, export ------------------------------------------------------------------------


def test_erasure_empties_every_declared_field_and_withdraws_what_is_open(referral_world: ReferralWorld) -> None:
    world = referral_world
    open_one = world.refer()
    declined = world.refer(service=world.other_service, service_at_location=None)
    services.referral_set_status(actor_person=world.other_staff, referral=declined, status="declined",
                                 reason="Wij bedienen alleen wijk 2.")  # fmt: skip
    erase_person(world.resident)
    for referral in (open_one, declined):
        referral.refresh_from_db()
        assert (referral.need, referral.shared, referral.status_reason) == ("", {}, "")
    assert open_one.status == "withdrawn" and declined.status == "declined"
    assert not ReferralEvent.objects.exclude(note="").exists()
    assert Referral.objects.count() == 2, "the rows stay for the statistics"


def test_retention_empties_the_texts_of_referrals_closed_long_ago(referral_world: ReferralWorld, settings: Any) -> None:
    settings.REFERRAL_RETENTION_CLOSED_DAYS = 30
    world = referral_world
    with clock(timezone.now() - timedelta(days=40)):
        old = world.refer()
        services.referral_set_status(actor_person=world.staff, referral=old, status="declined", reason="Vol.")
        still_open = world.refer(service=world.other_service, service_at_location=None)
    recent = world.refer()
    services.referral_set_status(actor_person=world.staff, referral=recent, status="declined", reason="Vol.")
    counts = apply_retention(now=timezone.now())
    assert counts["directory_closed_referrals"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert (old.need, old.shared, old.status_reason) == ("", {}, "")
    assert not old.events.exclude(note="").exists() and old.events.count() == 2
    assert recent.need and recent.status_reason == "Vol." and still_open.need


def test_the_persons_export_holds_their_referrals(referral_world: ReferralWorld) -> None:
    world = referral_world
    referral = world.refer()
    tables = export_person(world.resident)
    (row,) = tables["directory.referrals"]
    assert row["id"] == referral.pk and row["service"] == "Thuisverpleging Noord"
    assert row["need"] == referral.need and row["passed_on"] == referral.shared
    assert [step["status"] for step in row["steps"]] == ["sent"]
    by_other = export_person(world.resident, actor(world.other_coordinator))
    assert by_other["directory.referrals"][0]["need"] is None, "withheld from someone the rule does not allow"


def test_no_list_filters_or_orders_on_what_was_written(referral_world: ReferralWorld) -> None:
    """The lists' queries (with every filter) reach no special-category field: status, district, due day and
    time only (``apps/access/special_category.py::query_reaches``)."""
    from apps.access import special_category
    from apps.directory import referral_selectors as selectors

    world = referral_world
    world.refer()
    queries = [
        selectors.followed_by(actor(world.coordinator), status="declined", district_id=world.district.pk),
        selectors.incoming(actor(world.staff), status="sent"),
        selectors.of_person(world.resident.pk).filter(selectors.coordinated(actor(world.coordinator))),
    ]
    for query in queries:
        assert special_category.query_reaches(query) == [], str(query.query)
        list(query)
    # and the check sees one that does
    searching = Referral.objects.filter(need__icontains="wond")
    assert special_category.query_reaches(searching) == ["directory.Referral.need"]


def test_a_withdrawn_consent_withdraws_the_referral_when_it_is_committed_before_anyone_looks(
    referral_world: ReferralWorld, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """The people app says so (``consent_withdrawn``): no page has to be read for the referral to stop."""
    world = referral_world
    referral = world.refer()
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(actor=actor(world.resident), person=world.resident, purpose=Purpose.SHARE_WITH_SERVICE)
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    assert referral.events.order_by("-pk").first().note == services.NOTE_CONSENT_WITHDRAWN
