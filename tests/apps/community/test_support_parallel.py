"""No material is lent twice, even when twenty requests come at once (issue 18, items 2 and 6; PostgreSQL).

Ten tables; twenty starters each ask for one more than half of what is left after the others... concretely: each of
twenty initiatives asks 3 tables for the same two days at the same instant.  Sending locks the material's row and
counts again under the lock, so exactly three requests get them (9 of 10) and seventeen are refused with the
message a person reads, never a database error; the stock is never exceeded on any day.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.access.actors import actor_for_user
from apps.community import support
from apps.community.models import Initiative, Material, MaterialLine, SupportRequest
from apps.people.models import Role
from tests.apps.care.test_lock_order import at_once, needs_postgresql

from .conftest import World, make_person

CROWD = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_requests_at_once_never_lend_more_tables_than_there_are(world: World) -> None:
    needs_postgresql()
    tables = Material.objects.create(slug="tables", name_nl="Tafels", name_en="Tables", name_fr="Tables", quantity=10)
    benches = Material.objects.create(
        slug="benches", name_nl="Banken", name_en="Benches", name_fr="Bancs", quantity=100
    )
    starters = [make_person(f"S{n}", world.district, Role.RESIDENT) for n in range(CROWD)]
    initiatives = [
        Initiative.objects.create(
            title=f"Straatfeest {n}",
            summary="x",
            organiser="residents",
            audience=["everyone"],
            district=world.district,
            starter=person,
            status="published",
            commitment_signed_at=timezone.now(),
        )
        for n, person in enumerate(starters)
    ]
    actors = [actor_for_user(person.user) for person in starters]
    first = timezone.localdate() + timedelta(days=10)

    def ask(n: int) -> Any:
        try:
            # half ask benches too, in the other order of the form: the lock order (by id) keeps them from waiting
            # on each other
            wanted = {tables.pk: 3, benches.pk: 5} if n % 2 else {benches.pk: 5, tables.pk: 3}
            return support.request_materials(
                actor=actors[n],
                initiative=initiatives[n],
                needed_from=first + timedelta(days=n % 2),
                needed_until=first + timedelta(days=1),
                wanted=wanted,
            )
        except ValidationError as refused:
            return refused

    results = at_once([lambda n=n: ask(n) for n in range(CROWD)])
    made = [r for r in results if isinstance(r, SupportRequest)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) + len(refused) == CROWD, results
    assert len(made) == 3, results
    assert all("Not enough" in " ".join(r.messages) for r in refused)
    lent = sum(MaterialLine.objects.filter(material=tables).values_list("quantity", flat=True))
    assert lent == 9
    # whatever was refused left nothing behind
    assert SupportRequest.objects.count() == 3 and MaterialLine.objects.filter(material=benches).count() == 3
