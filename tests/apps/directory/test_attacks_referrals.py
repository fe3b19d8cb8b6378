"""Attacks on referrals through the pages: another organisation's staff, a coordinator of another district,
the person themself, each asking repeatedly with small changes to learn what they may not read.

"Missing" and "forbidden" must look the same (status and body), filters must not tell one person's referral
from another's, and hostile input (huge numbers, NUL, 1 MB of text, extra fields) must change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from apps.directory.models import Referral, ReferralEvent

from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld, snapshot, text_of

pytestmark = pytest.mark.django_db

NEED = "Wondzorg na een operatie aan de heup."


def _body(response: object, url: str) -> str:
    """The page without what differs from one request to the next (the CSRF token, the nonce, its own address
    in the language switcher)."""
    html = response.content.decode().replace(url[3:], "URL")  # type: ignore[attr-defined]
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', "", html)


def _same_as_missing(client: Client, url: str, missing: str) -> None:
    found, absent = client.get(url), client.get(missing)
    assert found.status_code == absent.status_code
    assert found.status_code in (403, 404)
    assert _body(found, url) == _body(absent, missing)


def test_another_organisation_and_another_district_see_a_404_like_a_missing_referral(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    missing = referral.pk + 1000
    _same_as_missing(client_for(world.other_staff), f"/en/referrals/received/{referral.pk}/",
                     f"/en/referrals/received/{missing}/")  # fmt: skip
    _same_as_missing(client_for(world.other_coordinator), f"/en/referrals/{referral.pk}/", f"/en/referrals/{missing}/")
    _same_as_missing(client_for(world.staff), f"/en/referrals/{referral.pk}/", f"/en/referrals/{missing}/")
    _same_as_missing(client_for(world.resident), f"/en/referrals/received/{referral.pk}/",
                     f"/en/referrals/received/{missing}/")  # fmt: skip
    # the refer form: a person Otto does not coordinate is as missing as a person who does not exist
    _same_as_missing(client_for(world.other_coordinator), f"/en/referrals/refer/{world.resident.pk}/",
                     f"/en/referrals/refer/{world.resident.pk + 1000}/")  # fmt: skip


def test_posting_a_status_to_someone_elses_referral_changes_nothing(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    before = snapshot()
    for who, url, data in [
        (world.other_staff, f"/en/referrals/received/{referral.pk}/", {"status": "accepted", "note": "x"}),
        (world.other_staff, f"/en/referrals/received/{referral.pk}/", {"status": "declined", "note": "x"}),
        (world.other_coordinator, f"/en/referrals/{referral.pk}/", {"action": "status", "status": "withdrawn"}),
        (world.other_coordinator, f"/en/referrals/{referral.pk}/", {"action": "seen"}),
        (world.staff, f"/en/referrals/{referral.pk}/", {"action": "status", "status": "withdrawn"}),
        (world.resident, f"/en/referrals/{referral.pk}/", {"action": "status", "status": "withdrawn"}),
        (world.resident, f"/en/referrals/received/{referral.pk}/", {"status": "completed"}),
        (world.coordinator, f"/en/referrals/received/{referral.pk}/", {"status": "accepted"}),
    ]:
        assert client_for(who).post(url, data).status_code in (403, 404), (who, url, data)
    assert snapshot() == before


def test_the_incoming_list_and_its_filters_show_nothing_of_another_organisation(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    world.refer()
    jef = client_for(world.other_staff)
    pages = [text_of(jef.get("/en/referrals/received/", {"status": status}))
             for status in ["", *Referral.Status.values]]  # fmt: skip
    for page in pages:
        assert "No referrals match." in page
        assert "Rosalie" not in page and "Thuisverpleging" not in page
    # the same answer, whatever the status asked: nothing to learn from the differences
    assert len({p.replace("selected", "") for p in pages}) >= 1


def test_a_coordinator_of_another_district_learns_nothing_from_the_list_filters(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    otto = client_for(world.other_coordinator)
    for query in [{}, {"status": "sent"}, {"district": world.district.pk}, {"district": world.district.pk,
                  "status": "sent"}, {"ordering": "need"}, {"o": "need"}, {"q": NEED[:6]}, {"need": NEED}]:  # fmt: skip
        page = text_of(otto.get("/en/referrals/", query))
        assert "Rosalie" not in page and "Thuisverpleging" not in page and str(referral.pk) not in page.split()


def test_a_withdrawn_referral_no_longer_shows_the_service_what_was_passed_on(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    """The coordinator's button and the person's page both say "the service no longer sees it"."""
    world = referral_world
    referral = world.refer()
    coordinator = client_for(world.coordinator)
    page = text_of(coordinator.get(f"/en/referrals/{referral.pk}/"))
    assert "the service no longer sees it" in page
    coordinator.post(f"/en/referrals/{referral.pk}/", {"action": "status", "status": "withdrawn",
                                                        "note": "Dochter regelt het zelf."})  # fmt: skip
    assert Referral.objects.get(pk=referral.pk).status == "withdrawn"
    assert "Stopped. The service no longer sees it." in text_of(client_for(world.resident).get("/en/my-referrals/"))
    ingrid = client_for(world.staff)
    listed = text_of(ingrid.get("/en/referrals/received/"))
    detail = ingrid.get(f"/en/referrals/received/{referral.pk}/")
    shown = listed + (text_of(detail) if detail.status_code == 200 else "")
    for secret in (NEED, "Rosalie", "+32477503067"):
        assert secret not in shown, secret
    assert detail.status_code == 200, "the service still sees that it was withdrawn"
    assert "Withdrawn" in shown and "Dochter regelt het zelf." in shown
    assert "what was passed on about the person is no longer shown" in shown


@pytest.mark.parametrize(
    "url",
    [
        "/en/referrals/99999999999999999999999/",
        "/en/referrals/received/99999999999999999999999/",
        "/en/referrals/refer/99999999999999999999999/",
        "/en/records/changes/99999999999999999999999/",
        "/en/records/review/99999999999999999999999/",
        "/en/referrals/refer/{person}/?resend=99999999999999999999999",
        "/en/referrals/refer/{person}/?service=not-a-uuid",
        "/en/referrals/refer/{person}/?service=%00",
        "/en/referrals/?page=99999999999999999999999&status=%00",
        "/en/referrals/?district=99999999999999999999999",
        "/en/referrals/received/?status=%00&page=-1",
    ],
)
def test_huge_numbers_nul_and_malformed_ids_never_make_a_server_error(
    referral_world: ReferralWorld, client_for: Callable[..., Client], url: str
) -> None:
    world = referral_world
    world.refer()
    url = url.format(person=world.resident.pk)
    for who in (world.coordinator, world.staff, world.other_coordinator, world.resident):
        response = client_for(who).get(url)
        assert response.status_code in (200, 302, 400, 403, 404), (who, url, response.status_code)


def test_a_huge_or_nul_answer_is_refused_and_changes_nothing(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    referral = world.refer()
    before = snapshot()
    ingrid = client_for(world.staff)
    for note in ("x" * 1_000_000, "Nee\x00"):
        response = ingrid.post(f"/en/referrals/received/{referral.pk}/", {"status": "declined", "note": note})
        assert response.status_code == 200
    for extra in ({"status": "completed"}, {"status": "withdrawn"}, {"status": "no_answer"},
                  {"status": "accepted", "need": "overschreven", "shared": "{}", "organisation": "2"}):  # fmt: skip
        ingrid.post(f"/en/referrals/received/{referral.pk}/", extra)
    after = snapshot()
    changed = Referral.objects.get(pk=referral.pk)
    assert changed.need == NEED and changed.shared == before["referrals"][0]["shared"]
    assert changed.organisation_id == world.organisation.pk
    assert [e.status for e in ReferralEvent.objects.filter(referral=referral)] == ["sent", "accepted"]
    assert len(after["events"]) == len(before["events"]) + 1


def test_an_export_for_someone_who_may_not_read_a_referral_withholds_where_the_person_was_sent(
    referral_world: ReferralWorld,
) -> None:
    """``privacy.py`` declares the service and location special-category: an export for a reader the rule
    refuses carries neither them nor the organisation that names them, only that there was a referral."""
    from apps.access.actors import actor_for_user
    from apps.access.special_category import WITHHELD, Reader
    from apps.directory import privacy

    world = referral_world
    world.refer()
    for who, shown in ((world.other_coordinator, False), (world.other_staff, False), (world.coordinator, True)):
        row = privacy.export(world.resident, Reader(actor_for_user(who.user), world.resident))["referrals"][0]
        values = [row["service"], row["organisation"], row["location"], row["need"]]
        assert (values == [WITHHELD] * 4) is not shown, who
        assert NEED not in str(row) if not shown else NEED in str(row)


@pytest.mark.parametrize(
    "changes",
    [
        {"shared": ["name", "support_needs"]},
        {"shared": ["password"]},
        {"need": "x" * 1_000_000},
        {"need": "Hulp\x00"},
        {"need": "   "},
        {"location": "999999999"},
        {"location": "other"},
        {"consent_method": "online"},
        {"consent_method": "telepathy"},
        {"consent": ""},
        {"person": "1", "organisation": "2", "status": "completed", "service": "x"},
    ],
)
def test_a_forged_refer_form_sends_nothing_it_should_not(
    referral_world: ReferralWorld, client_for: Callable[..., Client], changes: dict[str, object]
) -> None:
    world = referral_world
    other_place = world.other_service.service_at_locations.get()
    form: dict[str, object] = {"location": str(world.place.pk), "need": NEED, "shared": ["name", "need"],
                               "consent_method": "phone", "consent": "on", "step": "send"}  # fmt: skip
    form.update({k: (str(other_place.pk) if v == "other" else v) for k, v in changes.items()})
    response = client_for(world.coordinator).post(
        f"/en/referrals/refer/{world.resident.pk}/?service={world.service.pk}", form
    )
    assert response.status_code in (200, 302)
    for referral in Referral.objects.all():  # whatever was accepted is exactly what the form allows
        assert referral.service_id == world.service.pk and referral.person_id == world.resident.pk
        assert referral.status == "sent" and set(referral.shared) <= {"name", "need"}
        assert referral.service_at_location_id in (None, world.place.pk) and "\x00" not in referral.need
    refused = {"shared", "need", "location", "consent_method", "consent"}
    if set(changes) & refused:
        assert not Referral.objects.exists(), changes


def test_an_organisation_made_inactive_publishes_nothing_and_receives_no_new_referral(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    """An organisation is made inactive instead of deleted: the search already hides its services; the HSDS API,
    the open data and the refer form must not keep offering them."""
    from apps.directory import open_data
    from apps.directory.hsds import record_id

    world = referral_world
    service = world.service
    world.organisation.active = False
    world.organisation.save(update_fields=["active"])
    anonymous = Client()
    assert anonymous.get(f"/api/v1/hsds/services/{service.pk}").status_code == 404
    assert str(service.pk) not in anonymous.get("/api/v1/hsds/services", {"per_page": 500}).content.decode()
    assert anonymous.get(f"/api/v1/hsds/service_at_locations/{world.place.pk}").status_code == 404
    assert str(world.place.pk) not in anonymous.get("/api/v1/hsds/service_at_locations").content.decode()
    assert anonymous.get(f"/api/v1/hsds/organizations/{record_id(world.organisation)}").status_code == 404
    assert "Thuisverpleging Noord" not in open_data.services_json()
    coordinator = client_for(world.coordinator)
    url = f"/en/referrals/refer/{world.resident.pk}/?service={service.pk}"
    coordinator.post(url, {"location": str(world.place.pk), "need": NEED, "shared": ["name"],
                           "consent_method": "phone", "consent": "on", "step": "send"})  # fmt: skip
    assert not Referral.objects.exists()
    assert "Maaltijden aan huis" in anonymous.get("/api/v1/hsds/services").content.decode(), "the others stay"
