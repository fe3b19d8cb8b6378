"""A professional request for help is referred through the directory, and care follows it (issue 16).

Before: a request in a professional category was only marked "to refer".  Now the coordinator's request page
has "Refer to a service", which opens the directory's referral with the request as its origin; care's referral
row follows the directory's referral through the signal ``referral_changed``: referred (with the service's
name) when sent, back to "to refer" when declined or withdrawn, closed when completed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from apps.care import services as care_services
from apps.care.models import CareCategory, CareRequest
from apps.care.models import Referral as CareReferral
from apps.directory import referrals as services
from apps.people.consent_texts import current_version
from apps.people.models import Consent, Purpose

from .referral_world import *  # noqa: F403 (fixtures)
from .referral_world import ReferralWorld, actor, text_of

pytestmark = pytest.mark.django_db


def professional_request(world: ReferralWorld) -> CareRequest:
    Consent.objects.create(person=world.resident, purpose=Purpose.CARE_MATCHING, method="phone",
                           text_version=current_version(Purpose.CARE_MATCHING), given_at=timezone.now())  # fmt: skip
    nursing = CareCategory.objects.create(code="nursing", name_nl="Verpleegkundige zorg", name_en="Nursing care",
                                          name_fr="Soins infirmiers", professional=True)  # fmt: skip
    start = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=2), time(10)))
    return care_services.care_request_create(
        actor=actor(world.coordinator), person=world.resident, category=nursing,
        windows=[care_services.Window(start, start + timedelta(hours=2))], description="Wondzorg",
    )  # fmt: skip


def test_the_request_page_links_to_the_referral_and_care_follows_it(
    referral_world: ReferralWorld, client_for: Callable[..., Client]
) -> None:
    world = referral_world
    care_request = professional_request(world)
    assert CareReferral.objects.get(request=care_request).status == "to_refer"
    coordinator = client_for(world.coordinator)

    page = unescape(coordinator.get(f"/en/coordinate/requests/{care_request.pk}/").content.decode())
    link = f"/en/referrals/refer/{world.resident.pk}/?origin=care_request&origin_id={care_request.pk}"
    assert f'href="{link}"' in page and "Refer to a service" in page
    assert "Nursing" not in link, "the kind of care (art. 9) never travels in an address (server logs, history)"

    # the link opens the referral from the request; the coordinator says in words what the person needs
    step2 = coordinator.get(f"{link}&service={world.service.pk}")
    assert step2.status_code == 200 and "</textarea>" in step2.content.decode()
    form = {"location": str(world.place.pk), "need": "Nursing care: wondzorg", "shared": ["name", "need"],
            "consent_method": "phone", "consent": "on", "step": "send"}  # fmt: skip
    assert coordinator.post(f"{link}&service={world.service.pk}", form).status_code == 302
    row = CareReferral.objects.get(request=care_request)
    assert (row.status, row.service_name) == ("referred", "Thuisverpleging Noord")
    referral = world.service.referrals.get()
    assert (referral.origin, referral.origin_id) == ("care_request", care_request.pk)
    assert "Referred" in text_of(coordinator.get(f"/en/coordinate/requests/{care_request.pk}/"))

    # declined: back to "to refer", on the care worklist again
    services.referral_set_status(actor_person=world.staff, referral=referral, status="declined", reason="Vol")
    assert CareReferral.objects.get(request=care_request).status == "to_refer"
    # sent elsewhere: referred again, with the other service's name
    again = services.referral_resend(actor_person=world.coordinator, referral=referral, service=world.other_service,
                                     need="Wondzorg", shared_fields=["name"])  # fmt: skip
    row.refresh_from_db()
    assert (row.status, row.service_name) == ("referred", "Maaltijden aan huis")
    assert (again.origin, again.origin_id) == ("care_request", care_request.pk)
    # completed: closed
    services.referral_set_status(actor_person=world.other_staff, referral=again, status="accepted")
    services.referral_set_status(actor_person=world.other_staff, referral=again, status="completed")
    row.refresh_from_db()
    assert row.status == "closed"


def test_a_withdrawn_referral_puts_the_request_back_to_refer(referral_world: ReferralWorld) -> None:
    world = referral_world
    care_request = professional_request(world)
    referral = world.refer(origin="care_request", origin_id=care_request.pk)
    assert CareReferral.objects.get(request=care_request).status == "referred"
    services.referral_set_status(actor_person=world.coordinator, referral=referral, status="withdrawn", reason="")
    assert CareReferral.objects.get(request=care_request).status == "to_refer"


def test_an_origin_that_is_someone_elses_request_changes_nothing_in_care(referral_world: ReferralWorld) -> None:
    """A referral names its origin by number; care follows it only for a request of the same person."""
    world = referral_world
    care_request = professional_request(world)
    other = make_person("Marcel", world.district)  # noqa: F405
    Consent.objects.create(person=other, purpose=Purpose.CARE_MATCHING, method="phone",
                           text_version=current_version(Purpose.CARE_MATCHING), given_at=timezone.now())  # fmt: skip
    world.refer(person=other, origin="care_request", origin_id=care_request.pk)
    assert CareReferral.objects.get(request=care_request).status == "to_refer"
