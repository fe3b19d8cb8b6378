"""The closed loop, as the people do it on the pages (issue 16, point 4).

The coordinator refers Rosalie by phone, with her consent, to home nursing and passes on only her name, phone
and need; the organisation's office worker sees only the referrals to its own services and only what was
ticked, and answers; the coordinator and Rosalie see the answer.  Another organisation's staff get the same 404
as for a number nobody has, for the page and for a POST.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from apps.access.models import AccessLogEntry
from apps.directory.models import Referral
from apps.people.models import Consent, Purpose

from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld, text_of

pytestmark = pytest.mark.django_db


def test_the_whole_loop_on_the_pages(referral_world: ReferralWorld, client_for: Callable[..., Client]) -> None:
    world = referral_world
    coordinator = client_for(world.coordinator)
    refer_url = f"/en/referrals/refer/{world.resident.pk}/"

    # step 1: the coordinator searches for the service, in the person's district by default
    page = text_of(coordinator.get(refer_url, {"q": "thuisverpleging"}))
    assert "Thuisverpleging Noord" in page and "Maaltijden aan huis" not in page
    # step 2: where, what, what to pass on (each value shown as it will be sent), the consent text
    step2 = coordinator.get(refer_url, {"service": str(world.service.pk)})
    page = text_of(step2)
    assert "Phone: 0477 50 30 67" in page
    assert "My request may be shared with the care or welfare service I am referred to." in page
    assert not Consent.objects.filter(person=world.resident, purpose=Purpose.SHARE_WITH_SERVICE).exists()
    form = {
        "location": str(world.place.pk), "need": "Wondzorg na een operatie aan de heup.",
        "shared": ["name", "phone", "need"], "consent_method": "phone", "consent": "on",
    }  # fmt: skip
    # step 3: check exactly what will be sent; nothing is saved yet
    check = coordinator.post(f"{refer_url}?service={world.service.pk}", {**form, "step": "check"})
    page = text_of(check)
    assert "What Thuiszorg Noord will read" in page
    assert f"Name Rosalie {world.resident.last_name} Phone 0477 50 30 67" in page
    assert world.resident.email not in page and "Rosaliestraat" not in page
    assert Referral.objects.count() == 0
    sent = coordinator.post(f"{refer_url}?service={world.service.pk}", {**form, "step": "send"})
    referral = Referral.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/en/referrals/{referral.pk}/"
    assert referral.shared == {
        "name": f"Rosalie {world.resident.last_name}", "phone": "0477 50 30 67",
        "need": "Wondzorg na een operatie aan de heup.",
    }  # fmt: skip
    consent = Consent.objects.get(person=world.resident, purpose=Purpose.SHARE_WITH_SERVICE)
    assert consent.method == "phone" and referral.consent == consent
    assert referral.organisation == world.organisation and referral.district == world.district

    # the organisation: its list, the referral, only what was ticked
    office = client_for(world.staff)
    page = text_of(office.get("/en/referrals/received/"))
    assert f"Rosalie {world.resident.last_name}" in page and "Thuisverpleging Noord" in page
    page = text_of(office.get(f"/en/referrals/received/{referral.pk}/"))
    assert "0477 50 30 67" in page and "Wondzorg na een operatie aan de heup." in page
    assert world.resident.email not in page and "Rosaliestraat" not in page and "1944" not in page
    # another organisation sees nothing of it
    other = client_for(world.other_staff)
    assert "Rosalie" not in text_of(other.get("/en/referrals/received/"))
    assert other.get(f"/en/referrals/received/{referral.pk}/").status_code == 404
    refused = other.post(f"/en/referrals/received/{referral.pk}/", {"status": "declined", "note": "Nee"})
    assert refused.status_code == 404
    assert other.get("/en/referrals/received/999999/").content == refused.content
    referral.refresh_from_db()
    assert referral.status == "sent"

    # the organisation answers: received, then accepted with a note
    assert office.post(f"/en/referrals/received/{referral.pk}/", {"status": "received"}).status_code == 302
    answer = office.post(
        f"/en/referrals/received/{referral.pk}/", {"status": "accepted", "note": "Eerste bezoek dinsdag."}
    )
    assert answer.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    assert list(referral.events.values_list("status", flat=True)) == ["sent", "received", "accepted"]

    # the coordinator sees it, with the note, and so does Rosalie, in plain words
    page = text_of(coordinator.get(f"/en/referrals/{referral.pk}/"))
    assert "Accepted" in page and "Eerste bezoek dinsdag." in page
    assert "Accepted" in text_of(coordinator.get("/en/referrals/"))
    resident = client_for(world.resident)
    page = text_of(resident.get("/en/my-referrals/"))
    assert "Thuisverpleging Noord" in page and "The service will help you. They will contact you." in page
    assert "09 225 12 34" in page  # how to reach the service

    # completed
    office.post(f"/en/referrals/received/{referral.pk}/", {"status": "completed"})
    referral.refresh_from_db()
    assert referral.status == "completed"
    assert "The service has helped you." in text_of(resident.get("/en/my-referrals/"))


def test_other_organisations_and_coordinators_get_404_and_are_logged(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    for person, url in [
        (world.other_staff, f"/en/referrals/received/{referral.pk}/"),
        (world.other_coordinator, f"/en/referrals/{referral.pk}/"),
        (world.staff, f"/en/referrals/{referral.pk}/"),  # the organisation has its own page, not the coordinator's
    ]:
        client = client_for(person)
        missing = client.get(url.replace(str(referral.pk), "999999"))
        forbidden = client.get(url)
        assert forbidden.status_code == missing.status_code == 404, url
        assert client.post(url, {"status": "declined", "note": "x", "action": "status"}).status_code == 404
    # a coordinator has no "referrals received" pages at all
    assert client_for(world.coordinator).get(f"/en/referrals/received/{referral.pk}/").status_code == 403
    refused = AccessLogEntry.objects.filter(record_type="directory.Referral", outcome="denied", record_id=referral.pk)
    assert refused.count() == 6  # a GET and a POST by each of the three
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.events.count() == 1


def test_the_other_organisation_never_sees_the_referral_in_its_list(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    world.refer()
    world.refer(service=world.other_service, service_at_location=None, shared_fields=["name"])
    mine = text_of(client_for(world.staff).get("/en/referrals/received/"))
    theirs = text_of(client_for(world.other_staff).get("/en/referrals/received/"))
    assert "Thuisverpleging Noord" in mine and "Maaltijden aan huis" not in mine
    assert "Maaltijden aan huis" in theirs and "Thuisverpleging Noord" not in theirs
