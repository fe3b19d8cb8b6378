"""``manage.py fill_city``: a whole city of care matching, at a small scale here.

What the data must be: the numbers asked for, every request in the district its point lies in, the
history a realistic city has (done visits with hours and feedback, consents), the same city for the
same seed, and a second run that refuses and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from apps.care.management.commands.fill_city import SIZES, filled_city_persons
from apps.care.models import CareRequest, HelperOffer, Match, MatchEvent, Referral, RequestWindow, WeeklyAvailability
from apps.people.models import Consent, Person, Purpose
from apps.places.geo import district_index

SCALE = 0.01
pytestmark = pytest.mark.django_db


def fill(scale: float = SCALE, seed: int = 1) -> str:
    out = StringIO()
    call_command("fill_city", scale=scale, seed=seed, stdout=out)
    return out.getvalue()


def city_requests() -> QuerySet[CareRequest]:
    return CareRequest.objects.filter(person__demo_key__startswith="city:")


def test_it_makes_the_numbers_asked_for() -> None:
    fill()
    persons, helpers = round(SIZES["persons"] * SCALE), round(SIZES["helpers"] * SCALE)
    open_count, past = round(SIZES["open"] * SCALE), round(SIZES["past"] * SCALE)
    assert filled_city_persons().count() == persons == 200
    assert HelperOffer.objects.filter(person__demo_key__startswith="city:").count() == helpers == 50
    requests = city_requests()
    closed = requests.filter(status__in=[CareRequest.Status.DONE, CareRequest.Status.CANCELLED])
    assert closed.count() == past == 600
    current = requests.exclude(pk__in=closed.values("pk"))
    assert current.count() == open_count + round(open_count * 0.07) + round(open_count * 0.03) == 33
    assert current.filter(status=CareRequest.Status.OPEN).count() >= open_count
    referred = current.filter(status=CareRequest.Status.REFERRED)
    assert referred.count() == 1
    assert Referral.objects.filter(request__in=referred, status=Referral.Status.TO_REFER).count() == 1
    assert all(r.category.professional for r in referred)
    assert not current.exclude(status=CareRequest.Status.REFERRED).filter(category__professional=True).exists()


def test_every_request_lies_in_its_district() -> None:
    fill()
    index = district_index()
    located = [
        (pk, number, index.lookup(lat, lon))
        for pk, number, lat, lon in city_requests().values_list("pk", "district__number", "lat", "lon")
    ]
    assert len(located) == 633
    wrong = [
        (pk, number, found.number if found else None)
        for pk, number, found in located
        if found is None or found.number != number
    ]
    assert wrong == []
    persons = filled_city_persons().values_list("district__number", "lat", "lon")
    assert all(index.lookup(lat, lon).number == number for number, lat, lon in persons)  # type: ignore[union-attr]


def test_people_are_spread_over_the_districts_by_population() -> None:
    fill(scale=0.05)  # 1,000 persons
    from collections import Counter

    counts = Counter(filled_city_persons().values_list("district__number", flat=True))
    assert len(counts) >= 20
    # Drongen (25, 13,093 inhabitants) holds several times more people than Gentse Kanaaldorpen (11, 2,691)
    assert counts[25] > 2 * counts[11]


def test_open_requests_have_times_in_the_coming_two_weeks_and_counted_helpers() -> None:
    fill()
    now = timezone.now()
    open_requests = city_requests().filter(status=CareRequest.Status.OPEN)
    for request in open_requests.prefetch_related("windows"):
        starts = [w.start for w in request.windows.all()]
        assert starts, request
        assert min(starts) > now and min(starts) < now + timedelta(days=15), request
        if request.recurrence == CareRequest.Recurrence.NONE:
            assert max(starts) < now + timedelta(days=15)
        else:
            assert request.repeat_until is not None and len(starts) >= 2
    waiting = Match.objects.filter(status=Match.Status.PROPOSED).values("request_id")
    uncounted = open_requests.exclude(pk__in=waiting).filter(eligible_helpers=None)
    assert not uncounted.exists(), "eligibility_refresh ran once at the end"


def test_the_past_has_done_visits_with_hours_feedback_and_every_transition() -> None:
    fill()
    done = city_requests().filter(status=CareRequest.Status.DONE)
    assert done.count() > 400
    for request in done.prefetch_related("matches", "windows")[:100]:
        (match,) = request.matches.all()
        assert match.status == Match.Status.DONE
        assert match.hours is not None and match.hours > 0
        assert match.done_at is not None and request.closed_at == match.done_at
        (window,) = request.windows.all()
        assert window.start <= match.planned_start < window.end
        assert match.done_at < timezone.now() - timedelta(days=1)
    events = MatchEvent.objects.filter(match__request__in=done).values_list("match_id", "to_status")
    transitions: dict[int, list[str]] = {}
    for match_id, to_status in events.order_by("match_id", "at", "pk"):
        transitions.setdefault(match_id, []).append(to_status)
    assert set(map(tuple, transitions.values())) == {("proposed", "accepted", "planned", "done")}
    assert Match.objects.filter(request__in=done).exclude(helper_feedback="").exists()
    assert Match.objects.filter(request__in=done, resident_continues=False).exists()
    cancelled = city_requests().filter(status=CareRequest.Status.CANCELLED)
    assert cancelled.exists() and not cancelled.filter(closed_at=None).exists()
    assert not Match.objects.filter(request__in=cancelled).exclude(status=Match.Status.CANCELLED).exists()


def test_current_matches_happen_in_order() -> None:
    fill(scale=0.05)
    current = city_requests().filter(status__in=[CareRequest.Status.OPEN, CareRequest.Status.MATCHED])
    matches = Match.objects.filter(request__in=current).select_related("request")
    assert matches.filter(status=Match.Status.PROPOSED).exists()
    planned = matches.filter(status=Match.Status.PLANNED)
    assert planned.count() == current.filter(status=CareRequest.Status.MATCHED).count() > 0
    now = timezone.now()
    for match in matches:
        assert match.request.created_at < match.created_at < now
        if match.status == Match.Status.PLANNED:
            assert match.created_at < match.accepted_at < match.planned_start < match.planned_end  # type: ignore[operator]
    assert planned.filter(planned_start__date=timezone.localdate()).exists(), "visits today, for the call list"


def test_consents_are_recorded_for_everyone_who_asks_or_helps() -> None:
    fill()
    asking = Person.objects.filter(care_requests__in=city_requests()).distinct()
    consenting = Consent.objects.filter(purpose=Purpose.CARE_MATCHING, withdrawn_at=None).values("person_id")
    assert asking.exists() and not asking.exclude(pk__in=consenting).exists()
    helpers = Person.objects.filter(helper_offer__isnull=False, demo_key__startswith="city:")
    listed = Consent.objects.filter(purpose=Purpose.LISTED_AS_HELPER, withdrawn_at=None).values("person_id")
    assert helpers.count() == 50 and not helpers.exclude(pk__in=listed).exists()
    offers = HelperOffer.objects.filter(person__in=helpers)
    assert not offers.filter(availability=None).exists()
    assert all(0.5 <= float(o.max_distance_km) <= 5 and 1 <= o.requests_per_week <= 3 for o in offers)
    assert WeeklyAvailability.objects.filter(offer__in=offers).count() >= 50


def test_the_same_seed_makes_the_same_city() -> None:
    def snapshot() -> list[tuple[object, ...]]:
        return list(
            city_requests()
            .order_by("person__demo_key", "created_at")
            .values_list("person__demo_key", "category__code", "lat", "urgency", "status")
        )

    with transaction.atomic():
        fill(seed=7)
        first = snapshot()
        transaction.set_rollback(True)
    assert not filled_city_persons().exists()
    fill(seed=7)
    assert len(first) == 633
    assert snapshot() == first


def test_a_second_run_refuses_and_changes_nothing() -> None:
    fill()
    before = (Person.objects.count(), CareRequest.objects.count(), RequestWindow.objects.count(), Match.objects.count())
    with pytest.raises(CommandError, match="already holds a filled city"):
        fill()
    after = (Person.objects.count(), CareRequest.objects.count(), RequestWindow.objects.count(), Match.objects.count())
    assert after == before


def test_it_says_what_it_made() -> None:
    out = fill()
    assert "200 persons, 50 helpers" in out
    assert "600 past requests" in out
