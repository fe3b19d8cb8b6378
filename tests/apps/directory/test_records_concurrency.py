"""Two reviewers press "Publish" on the same change at the same instant (PostgreSQL, one thread and one
connection each): exactly one publishes, the other is told who did and that nothing was changed; never a
database error, never a second copy.  Two colleagues saving the same new record at once continue one change."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from apps.access.actors import actor_for_user
from apps.directory import records
from apps.directory.forms_records import document_organisation
from apps.directory.models import Revision, Service
from apps.people.models import Role
from apps.places.models import District
from tests.apps.care.test_lock_order import at_once, needs_postgresql

from .records_builders import World, client_for, person, service_post
from .records_builders import world as make_world


def world() -> World:
    if not District.objects.exists():  # a test with transaction=True before this one emptied every table
        call_command("load_districts", verbosity=0)
    return make_world()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_publishing_at_once_one_wins_the_other_is_told() -> None:
    needs_postgresql()
    w = world()
    second = person("Sam", Role.CITY_STAFF)
    client_for(w.staff).post(f"/en/records/services/new/?organisation={w.org.pk}", service_post(w.org, w.location))
    revision = Revision.objects.get()
    records.revision_submit(actor=actor_for_user(w.staff.user), revision=revision)
    reviewers = [actor_for_user(w.reviewer.user), actor_for_user(second.user)]

    results = at_once([lambda a=a: records.revision_publish(actor=a, revision=revision) for a in reviewers])

    published = [r for r in results if isinstance(r, Service)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(published) == 1 and len(refused) == 1, results
    assert "already reviewed this change" in refused[0].messages[0]
    assert "Nothing was changed" in refused[0].messages[0]
    assert Service.objects.count() == 1
    revision.refresh_from_db()
    assert revision.status == Revision.Status.PUBLISHED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_colleagues_saving_one_new_record_at_once_continue_one_change() -> None:
    needs_postgresql()
    w = world()
    colleague = person("Lies", Role.ORGANISATION_STAFF, w.org)
    target = uuid.uuid4()
    document = document_organisation(None, target=target, organisation=w.org, data={"description": "Samen"})
    actors = [actor_for_user(w.staff.user), actor_for_user(colleague.user)]

    results = at_once([
        lambda a=a: records.revision_save(actor=a, organisation=w.org, kind="organization", target=target,
                                          document=document)
        for a in actors
    ])  # fmt: skip

    assert all(isinstance(r, Revision) for r in results), results
    assert Revision.objects.filter(target=target).count() == 1
