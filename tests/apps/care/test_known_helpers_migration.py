"""Migration care 0007: helpers who already hold or finished a visit stay known; the others are checked."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from apps.people.models import Person
from apps.places.models import District

BEFORE = [("care", "0006_match_event_at")]


@pytest.mark.django_db(transaction=True)
def test_helpers_already_helping_are_known_after_the_migration() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        if not District.objects.exists():
            call_command("load_districts", verbosity=0)
        district = District.objects.order_by("number").first()
        assert district is not None
        category = old.get_model("care", "CareCategory").objects.create(
            code="shopping", name_nl="Boodschappen", name_en="Shopping", name_fr="Courses"
        )
        offers = old.get_model("care", "HelperOffer")
        resident = Person.objects.create(first_name="R", last_name="Test", district=district)
        request = old.get_model("care", "CareRequest").objects.create(
            person_id=resident.pk, category=category, street="Straat", lat=district.interior_lat,
            lon=district.interior_lon, shown_lat=district.interior_lat, shown_lon=district.interior_lon,
            district_id=district.pk,
        )  # fmt: skip
        made = {}
        for name, status in [("planned", "planned"), ("proposed", "proposed"), ("none", None)]:
            person = Person.objects.create(first_name=name, last_name="Helper", district=district)
            made[name] = offers.objects.create(person_id=person.pk)
            if status:
                old.get_model("care", "Match").objects.create(request=request, helper=made[name], status=status)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    from apps.care.models import HelperOffer

    known = {offer.person.first_name: offer.known_since is not None for offer in HelperOffer.objects.all()}
    assert known == {"planned": True, "proposed": False, "none": False}
