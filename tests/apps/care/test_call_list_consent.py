"""The call list respects "Being contacted by phone" and lists the people for whom no helper fits (issue 14).

Whoever did not agree to be called, or has no number, is not among the calls: they are listed apart with
the reason and how they prefer to be contacted, and each section says how many it left out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.access.models import AccessLogEntry
from apps.care.models import CareRequest, Match
from apps.core import formats
from apps.people.models import Person, Purpose

from .conftest import CareWorld, consent, local, make_person
from .test_coordinator_pages import text_of

pytestmark = pytest.mark.django_db


def number(e164: str, text: str) -> bool:
    """The phone number is in the text, as stored or in the national format a Belgian reads."""
    return e164 in text or formats.phone(e164) in text


def section(page: str, heading: str) -> str:
    """The text of the call list from a section's heading to the next section's."""
    start = page.index(heading)
    headings = (
        "Call back (", "No helper fits (", "Helpers who have not answered for two days (", "Not to be called by phone ("
    )
    ends = [page.find(h, start + 1) for h in headings]
    return page[start : min([e for e in ends if e > start] or [len(page)])]


def test_who_did_not_agree_to_be_called_is_left_out_with_the_reason(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[..., Client]
) -> None:
    today = timezone.localdate()
    agreed = make_person("Agnes", care_world.district, phone="+3292661111")
    consent(agreed, Purpose.CARE_MATCHING)
    consent(agreed, Purpose.CONTACT_PHONE)
    silent = make_person("Bert", care_world.district, phone="+3292662222")  # may not be called
    consent(silent, Purpose.CARE_MATCHING)
    no_number = make_person("Cecile", care_world.district, phone="")
    consent(no_number, Purpose.CARE_MATCHING)
    consent(no_number, Purpose.CONTACT_PHONE)
    for person in (agreed, silent, no_number):
        CareRequest.objects.filter(pk=make_request(person=person).pk).update(follow_up_on=today)

    page = text_of(client_for(care_world.coordinator).get("/en/coordinate/calls/"))

    calls = section(page, "Call back (")
    assert "Call back (1)" in calls and "Agnes" in calls and number("+3292661111", calls)
    assert "Bert" not in calls and not number("+3292662222", page) and "Cecile" not in calls
    assert "2 left out, not to be called: see below." in calls
    assert "2 people are left out: they did not agree to be called, or there is no number." in page
    apart = section(page, "Not to be called by phone (2)")
    assert f"{silent} did not agree to be called" in apart and f"{no_number} no phone number" in apart


def test_the_people_no_helper_fits_are_on_the_call_list(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[..., Client]
) -> None:
    person = make_person("Dirk", care_world.district, phone="+3292663333")
    consent(person, Purpose.CARE_MATCHING)
    consent(person, Purpose.CONTACT_PHONE)
    nobody_fits = make_request(person=person)
    CareRequest.objects.filter(pk=nobody_fits.pk).update(eligible_helpers=0)
    client = client_for(care_world.coordinator)

    page = text_of(client.get("/en/coordinate/calls/"))

    rows = section(page, "No helper fits (")
    assert "No helper fits (1)" in rows and str(person) in rows and number("+3292663333", rows)
    # the worklist sends the coordinator here: the same request, in its "No helper fits" section
    assert str(person) in text_of(client.get("/en/coordinate/worklist/without_helper/"))
    assert AccessLogEntry.objects.filter(record_id=str(nobody_fits.pk), action="list").exists()


def test_a_helper_who_may_not_be_called_is_not_called_and_their_number_not_shown(
    care_world: CareWorld, care_request: CareRequest, client_for: Callable[..., Client]
) -> None:
    Person.objects.filter(pk=care_world.helper.pk).update(phone="+32470111222")
    Person.objects.filter(pk=care_world.resident.pk).update(phone="+3292661111")
    consent(care_world.resident, Purpose.CONTACT_PHONE)
    today = timezone.localdate()
    Match.objects.create(
        request=care_request, helper=care_world.offer, status=Match.Status.PLANNED,
        planned_start=local(today, 10), planned_end=local(today, 11),
    )  # fmt: skip
    asked = Match.objects.create(request=care_request, helper=care_world.offer, status=Match.Status.PROPOSED)
    Match.objects.filter(pk=asked.pk).update(created_at=timezone.now() - timedelta(days=3))

    page = text_of(client_for(care_world.coordinator).get("/en/coordinate/calls/"))

    assert "Visits planned that day (1)" in page and number("+3292661111", page)
    assert not number("+32470111222", page)  # the helper did not agree to be called
    assert "Helpers who have not answered for two days (0)" in page
    assert "a helper who has not answered" in section(page, "Not to be called by phone (1)")


def test_the_call_list_reads_the_same_queries_for_more_rows(
    care_world: CareWorld, make_request: Callable[..., CareRequest], client_for: Callable[..., Client]
) -> None:
    client = client_for(care_world.coordinator)

    def people(count: int) -> None:
        for n in range(count):
            person = make_person(f"Caller{n}", care_world.district, phone="+3292661111")
            consent(person, Purpose.CARE_MATCHING)
            if n % 2:
                consent(person, Purpose.CONTACT_PHONE)
            made = make_request(person=person)
            CareRequest.objects.filter(pk=made.pk).update(follow_up_on=timezone.localdate(), eligible_helpers=0)

    people(2)
    client.get("/en/coordinate/calls/")
    with CaptureQueriesContext(connection) as few:
        client.get("/en/coordinate/calls/")
    people(6)
    with CaptureQueriesContext(connection) as many:
        client.get("/en/coordinate/calls/")
    assert len(many) == len(few)
