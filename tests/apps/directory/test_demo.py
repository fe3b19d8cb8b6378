"""The demo directory: a plausible, fictitious offer of care and welfare in every district of Ghent, with work
waiting for organisation staff and city staff, and referrals in every state for the demo logins.

Loaded as ``load_demo`` loads it (the suites' copy of the demo city, ``tests/demo_snapshot.py``).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from apps.access.actors import actor_for_user
from apps.access.rules import can
from apps.directory import demo
from apps.directory.models import (
    Attribute,
    Location,
    Phone,
    Referral,
    ReferralEvent,
    Revision,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from apps.organisations.demo import DEMO_ORGANISATION
from apps.organisations.models import Organisation
from apps.people.demo import DEMO_ACCOUNTS
from apps.people.models import Person, Purpose, Role
from apps.places import geo
from apps.places.models import District
from tests.apps.directory.access_table import samples

pytestmark = pytest.mark.django_db

FICTITIOUS_PHONE = "+329000"
"""The demo's numbers are in the unused range +32 9 000 xx xx."""


def test_the_directory_is_of_city_scale_and_clearly_fictitious(demo_city: None) -> None:
    assert 60 <= Service.objects.count() <= 120
    assert 40 <= Location.objects.count() <= 80
    assert all("(demo)" in name for name in Service.objects.values_list("name", flat=True))
    assert all("(demo)" in name for name in Location.objects.values_list("name", flat=True))
    numbers = Phone.objects.filter(organisation__isnull=True).values_list("number", flat=True)
    assert numbers and all(number.startswith(FICTITIOUS_PHONE) for number in numbers)
    websites = [*Service.objects.values_list("url", flat=True), *Location.objects.values_list("url", flat=True)]
    assert all(url == "" or ".example/" in url for url in websites)


def test_every_district_has_a_location_or_is_a_service_area(demo_city: None) -> None:
    located = set(Location.objects.filter(district__isnull=False).values_list("district__number", flat=True))
    served = set(ServiceArea.objects.filter(district__isnull=False).values_list("district__number", flat=True))
    assert located == set(range(1, 26)), "every district has a building of the directory"
    assert located | served == set(District.objects.values_list("number", flat=True))


def test_locations_stand_at_real_addresses_in_their_district(demo_city: None) -> None:
    for location in Location.objects.filter(location_type=Location.Kind.PHYSICAL).select_related("district"):
        assert location.latitude is not None and location.longitude is not None
        found = geo.district_at(location.latitude, location.longitude)
        assert found is not None and found.number == location.district.number, location.name
        address = location.addresses.get()
        assert address.city == "Gent" and address.postal_code.startswith("9")
        assert location.accessibility.exists()
        if "{district}" not in location.name:
            assert "{" not in location.name


def test_every_service_has_a_type_of_help_opening_hours_a_phone_and_its_search_text(demo_city: None) -> None:
    services = Service.objects.annotate(
        types=Count("attributes", distinct=True),
        hours=Count("service_at_locations__schedules", distinct=True),
        n_phones=Count("phones", distinct=True),
        places=Count("service_at_locations", distinct=True),
        spoken=Count("languages", distinct=True),
        costs=Count("cost_options", distinct=True),
    )
    for service in services:
        assert service.types >= 1, service.name
        assert service.hours >= 1, service.name
        assert service.n_phones >= 1, service.name
        assert 1 <= service.places <= 3, service.name
        assert service.spoken >= 1 and service.costs >= 1, service.name
        assert service.published_at is not None and service.checked_at is not None and service.assured_date
        assert service.application_process and service.eligibility_description
        assert service.search_text and service.search_text == service.search_text.lower()
        assert "demo" in service.search_text.split()
    hours = Schedule.objects.filter(kind=Schedule.Kind.HOURS)
    assert all(s.byday and s.opens_at < s.closes_at for s in hours)


def test_services_close_for_christmas_some_by_appointment_income_and_age_limits(demo_city: None) -> None:
    start, end = demo.christmas_closure(timezone.localdate())
    closed = Schedule.objects.filter(kind=Schedule.Kind.CLOSED, valid_from=start, valid_to=end)
    assert closed.values("service").distinct().count() == Service.objects.count()
    assert Schedule.objects.filter(kind=Schedule.Kind.APPOINTMENT).count() >= 5
    assert Service.objects.filter(income_limited=True).exists()
    assert Service.objects.filter(minimum_age__isnull=False).exists()
    assert Service.objects.filter(required_documents__isnull=False).distinct().count() >= 5
    assert {"nl", "fr", "en", "ar", "tr"} <= set(Service.objects.values_list("languages__code", flat=True))


def test_the_taxonomy_is_in_three_languages_with_broader_and_narrower_terms(demo_city: None) -> None:
    taxonomy = Taxonomy.objects.get(name=demo.TAXONOMY_NAME)
    terms = TaxonomyTerm.objects.filter(taxonomy=taxonomy)
    assert 18 <= terms.count() <= 25
    assert all(t.name_nl and t.name_en and t.name_fr for t in terms)
    assert terms.filter(parent__isnull=False).count() >= 10
    needs = {"social-service", "service-centre", "home-nursing", "carers", "volunteering", "meals-at-home",
             "mobility", "mental-health", "interpreting", "debt-help", "loneliness", "home-adaptation"}  # fmt: skip
    assert needs <= set(terms.values_list("code", flat=True))
    unused = terms.exclude(parent__isnull=True).exclude(pk__in=Attribute.objects.values("taxonomy_term"))
    assert list(unused) == [], "every narrower type of help has services"


def test_some_records_wait_to_be_checked_also_for_the_demo_organisation(demo_city: None) -> None:
    before = timezone.now() - timedelta(days=settings.DIRECTORY_CHECK_AFTER_DAYS)
    old = Service.objects.filter(checked_at__lt=before)
    assert old.filter(organisation__slug=DEMO_ORGANISATION).count() >= 2
    assert old.count() < Service.objects.count() / 3, "most records are recent"


def test_changes_wait_for_both_sides(demo_city: None) -> None:
    own = Revision.objects.filter(organisation__slug=DEMO_ORGANISATION)
    assert own.filter(status=Revision.Status.UNDER_REVIEW).exists()
    assert own.filter(status=Revision.Status.DRAFT).exists()
    returned = Revision.objects.get(status=Revision.Status.RETURNED)
    assert returned.review_note and returned.reviewed_by is not None and returned.organisation.slug != DEMO_ORGANISATION
    for revision in Revision.objects.all():
        assert revision.document["id"] == str(revision.target)


def staff_actor(role: Role) -> Any:
    account = next(a for a in DEMO_ACCOUNTS if a.role == role)
    return actor_for_user(Person.objects.get(user__username=account.email).user)


def test_referrals_in_every_state_with_consent_and_history(demo_city: None) -> None:
    referrals = list(Referral.objects.select_related("person", "consent"))
    assert 6 <= len(referrals) <= 10
    assert {r.status for r in referrals} >= {"sent", "received", "accepted", "declined", "completed", "no_answer"}
    today = timezone.localdate()
    assert any(r.status == Referral.Status.SENT and r.answer_due < today for r in referrals), "one is overdue"
    assert any(r.status == Referral.Status.SENT and r.answer_due >= today for r in referrals)
    coordinator = staff_actor(Role.COORDINATOR)
    for referral in referrals:
        assert referral.consent.person_id == referral.person_id
        assert referral.consent.purpose == Purpose.SHARE_WITH_SERVICE and referral.consent.withdrawn_at is None
        assert referral.consent.given_at <= referral.created_at
        assert can(coordinator, "directory.refer", referral.person), "the coordinator coordinates the person"
        steps = list(referral.events.values_list("status", flat=True))
        assert steps[0] == Referral.Status.SENT and steps[-1] == referral.status
        assert referral.need and referral.shared.get("name")
        assert referral.service.organisation_id == referral.organisation_id
        assert referral.service_at_location.service_id == referral.service_id  # type: ignore[union-attr]
        if referral.status == Referral.Status.DECLINED:
            assert referral.status_reason
            assert ReferralEvent.objects.get(referral=referral, status="declined").note == referral.status_reason


def test_the_organisation_staff_login_sees_incoming_referrals_and_only_its_own(demo_city: None) -> None:
    staff = staff_actor(Role.ORGANISATION_STAFF)
    organisation = Organisation.objects.get(slug=DEMO_ORGANISATION)
    assert staff.organisation_scope(Role.ORGANISATION_STAFF) == {organisation.pk}
    incoming = Referral.objects.filter(organisation=organisation)
    assert {r.status for r in incoming} >= {"sent", "received", "accepted", "declined"}
    assert all(can(staff, "directory.answer_referral", r) for r in incoming.filter(status__in=Referral.OPEN))
    others = Referral.objects.exclude(organisation=organisation)
    assert others.exists() and not any(can(staff, "directory.view_referral", r) for r in others)
    assert Service.objects.filter(organisation=organisation).count() >= 12


def test_the_demo_resident_sees_where_she_was_referred(demo_city: None) -> None:
    rosa = staff_actor(Role.RESIDENT)
    mine = Referral.objects.filter(person_id=rosa.person_id)
    assert mine.exists() and all(can(rosa, "directory.view_referral", r) for r in mine)


def test_the_access_table_samples_name_demo_objects(demo_city: None, resident_in_coordinators_district: Person) -> None:
    found = samples(District.objects.get(number=1), resident_in_coordinators_district)
    assert set(found) == {"@service", "@location", "@revision_own", "@revision_other", "@referral_own",
                          "@referral_other", "@person", "@organization", "@service_at_location", "@taxonomy",
                          "@taxonomy_term"}  # fmt: skip
    staff, coordinator = staff_actor(Role.ORGANISATION_STAFF), staff_actor(Role.COORDINATOR)
    own, other = Referral.objects.get(pk=found["@referral_own"]), Referral.objects.get(pk=found["@referral_other"])
    assert can(staff, "directory.view_referral", own) and not can(staff, "directory.view_referral", other)
    assert can(coordinator, "directory.view_referral", own) and can(coordinator, "directory.view_referral", other)
    assert can(coordinator, "directory.refer", Person.objects.get(pk=found["@person"]))
    assert can(staff, "directory.view_revision", Revision.objects.get(pk=found["@revision_own"]))
    assert not can(staff, "directory.view_revision", Revision.objects.get(pk=found["@revision_other"]))
    assert Service.objects.get(pk=found["@service"]).service_at_locations.exists()


def test_loading_again_changes_nothing(demo_city: None) -> None:
    def counts() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (Service, Location, Referral, Revision, Organisation, Schedule))

    first = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == first
    assert demo.load(random.Random(1)) == 0


def wipe_directory() -> None:
    """Empty the directory's tables (the demo organisations, people and consents stay)."""
    ReferralEvent.objects.all().delete()
    Referral.objects.all().delete()
    Revision.objects.all().delete()
    Service.objects.all().delete()
    ServiceAtLocation.objects.all().delete()
    Location.objects.all().delete()
    Phone.objects.all().delete()
    TaxonomyTerm.objects.filter(parent__isnull=False).delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()


def fingerprint() -> list[Any]:
    """What a user of the directory sees of it, ids included."""
    services = Service.objects.order_by("id").values_list("id", "name", "minimum_age", "assured_date")
    places = Location.objects.order_by("id").values_list("id", "name", "latitude", "longitude", "district_id")
    hours = Schedule.objects.order_by("id").values_list("id", "byday", "opens_at", "closes_at")
    referrals = Referral.objects.order_by("service_id", "person_id").values_list("person_id", "service_id", "status")
    return [list(services), list(places), list(hours), list(referrals)]


def test_the_demo_is_the_same_for_the_same_seed(demo_city: None) -> None:
    runs = []
    for seed in (7, 7, 8):
        wipe_directory()
        assert demo.load(random.Random(seed)) > 0
        runs.append(fingerprint())
    assert runs[0] == runs[1]
    assert runs[0] != runs[2], "another seed draws another city"


def test_the_demo_does_not_move_the_generator_of_the_demos_after_it(demo_city: None) -> None:
    wipe_directory()
    generator = random.Random(3)
    state = generator.getstate()
    demo.load(generator)
    assert generator.getstate() == state


def test_the_demo_directory_and_its_changes_are_valid_hsds(demo_city: None) -> None:
    from apps.directory import hsds
    from tests.apps.directory.hsds_fixtures import assert_valid

    for service in hsds.prefetch_services(Service.objects.all()):
        assert_valid("service", hsds.service_document(service))
    for organisation in Organisation.objects.filter(directory_record__isnull=False):
        assert_valid("organization", hsds.organization_document(organisation))
    for revision in Revision.objects.filter(kind=Revision.Kind.SERVICE):
        assert_valid("service", revision.document)
    for sal in hsds.prefetch_sals(ServiceAtLocation.objects.all()):  # with each location in full
        assert_valid("service_at_location", hsds.service_at_location_document(sal))


def test_the_demo_directory_survives_an_hsds_round_trip(demo_city: None) -> None:
    """Export → import into a directory that holds only the city's types of help → export: the same documents."""
    from apps.directory import hsds
    from apps.directory.models import OrganisationRecord

    first = hsds.dumps(list(hsds.export_services()))
    terms = TaxonomyTerm.objects.count()
    services = Service.objects.count()
    ReferralEvent.objects.all().delete()
    Referral.objects.all().delete()
    Revision.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    OrganisationRecord.objects.all().delete()
    Phone.objects.all().delete()
    report = hsds.import_dataset(first)
    assert report.added["service"] == services and TaxonomyTerm.objects.count() == terms
    assert hsds.dumps(list(hsds.export_services())) == first


def test_city_staff_can_publish_the_demo_changes_under_review(demo_city: None) -> None:
    """The demo's changes are what the review publishes: its documents go through the same code as an import."""
    from apps.directory.records import revision_publish

    reviewer = staff_actor(Role.CITY_STAFF)
    for revision in Revision.objects.filter(status=Revision.Status.UNDER_REVIEW).order_by("pk"):
        record = revision_publish(actor=reviewer, revision=revision)
        assert record.pk == revision.target
        key = "description" if revision.kind == Revision.Kind.SERVICE else "transportation"
        assert getattr(record, key) == revision.document[key]
        assert record.published_by_id == reviewer.person_id


def test_the_organisation_staff_login_answers_a_demo_referral_on_its_pages(
    demo_city: None, client_as: Callable[[str], Client]
) -> None:
    from apps.directory.referrals import referral_set_status

    staff = client_as("organisation_staff")
    page = unescape(staff.get("/en/referrals/received/").content.decode())
    own = Referral.objects.filter(organisation__slug=DEMO_ORGANISATION).select_related("service")
    assert own.count() >= 5 and all(r.service.name in page for r in own)
    others = Referral.objects.exclude(organisation__slug=DEMO_ORGANISATION).select_related("service")
    assert others.exists() and not any(r.service.name in page for r in others)
    waiting = own.filter(status=Referral.Status.SENT).order_by("pk").first()
    assert waiting is not None
    referral_set_status(actor_person=staff_actor(Role.ORGANISATION_STAFF), referral=waiting, status="accepted")
    waiting.refresh_from_db()
    assert waiting.status == Referral.Status.ACCEPTED and waiting.events.last().status == "accepted"  # type: ignore[union-attr]
