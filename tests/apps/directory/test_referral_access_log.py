"""Every read of a referral's details is in the access log (issue 16: "every read is in the access log").

The coordinator's list and page, the organisation's list and page, the person's page section: one entry per
referral shown, with who, in which role, whose record, and through which page; the person reading their own
referrals is not logged (as everywhere).  The home panels show counts only, so they read no referral and log
nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.access.models import AccessLogEntry

from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld, text_of

pytestmark = pytest.mark.django_db


MARK = {"pk": 0}


def entries() -> list[tuple[int | None, str, str, str, str]]:
    """The referral entries written since the last ``mark()`` (the log is append-only: nothing is deleted)."""
    found = AccessLogEntry.objects.filter(record_type="directory.Referral", pk__gt=MARK["pk"]).order_by("pk")
    return list(found.values_list("actor_person_id", "record_id", "action", "via", "outcome"))


def mark() -> None:
    MARK["pk"] = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_every_page_that_shows_a_referral_writes_the_access_log(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    mark()
    first = world.refer()
    second = world.refer(service=world.other_service, service_at_location=None)
    coordinator, office = client_for(world.coordinator), client_for(world.staff)
    assert entries() == []

    coordinator.get("/en/referrals/")
    assert sorted(entries()) == sorted([
        (world.coordinator.pk, str(first.pk), "list", "GET directory:referrals", "allowed"),
        (world.coordinator.pk, str(second.pk), "list", "GET directory:referrals", "allowed"),
    ])  # fmt: skip
    mark()

    coordinator.get(f"/en/referrals/{first.pk}/")
    assert entries() == [(world.coordinator.pk, str(first.pk), "read", "GET directory:referral", "allowed")]
    mark()

    office.get("/en/referrals/received/")
    assert entries() == [(world.staff.pk, str(first.pk), "list", "GET directory:incoming", "allowed")]
    mark()

    office.get(f"/en/referrals/received/{first.pk}/")
    office.post(f"/en/referrals/received/{first.pk}/", {"status": "received"})
    assert entries() == [
        (world.staff.pk, str(first.pk), "read", "GET directory:incoming_referral", "allowed"),
        (world.staff.pk, str(first.pk), "read", "POST directory:incoming_referral", "allowed"),
    ]
    mark()

    page = text_of(coordinator.get(f"/en/persons/{world.resident.pk}/"))
    assert "Referrals to services" in page and "Thuisverpleging Noord" in page and "Maaltijden aan huis" in page
    assert sorted(e[1] for e in entries()) == sorted([str(first.pk), str(second.pk)])
    assert {e[3] for e in entries()} == {"GET people:person_detail"}
    mark()

    # the home panels: counts, no names, no referral read
    assert "Referrals received" in text_of(office.get("/en/"))
    assert "Referrals to follow up" in text_of(coordinator.get("/en/"))
    # the person's own page: not logged
    assert "Thuisverpleging Noord" in text_of(client_for(world.resident).get("/en/my-referrals/"))
    assert "Where I was referred" in text_of(client_for(world.resident).get("/en/"))
    assert entries() == []


def test_the_person_sees_only_their_own_referrals(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    world.refer()
    neighbour = make_person("Marcel", world.district)  # noqa: F405
    grant(neighbour, "resident")  # noqa: F405
    page = text_of(client_for(neighbour).get("/en/my-referrals/"))
    assert "Thuisverpleging Noord" not in page and "You have not been referred to a service." in page
    assert "Where I was referred" not in text_of(client_for(neighbour).get("/en/")), "no panel without referrals"
