"""The public search over the live directory: every filter, forgiving words, order, and the reasons given."""

from __future__ import annotations

from datetime import date, datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from django.http import Http404
from django.utils import translation

from apps.directory.models import Service
from apps.directory.search import Criteria, Near, published_service, search
from apps.places.models import District
from tests.apps.directory.search_builders import (
    GENTBRUGGE,
    KORENMARKT,
    SINT_PIETERS,
    area,
    by_appointment,
    closed,
    hours,
    organisation,
    place,
    service,
    term,
)

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY_MORNING = datetime(2026, 12, 7, 10, 30, tzinfo=BRUSSELS)


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


def names(criteria: Criteria) -> list[str]:
    return [result.service.name for result in search(criteria).results]


def test_only_published_services_of_active_organisations_are_found() -> None:
    service("Thuisverpleging Noord")
    service("Thuisverpleging Tijdelijk", status=Service.Status.TEMPORARILY_CLOSED)
    service("Thuisverpleging Gestopt", status=Service.Status.DEFUNCT)
    service("Thuisverpleging Inactief", status=Service.Status.INACTIVE)
    service("Thuisverpleging Oud", org=organisation("Weg", active=False))
    assert names(Criteria(words="thuisverpleging")) == ["Thuisverpleging Noord", "Thuisverpleging Tijdelijk"]
    assert names(Criteria()) == ["Thuisverpleging Noord", "Thuisverpleging Tijdelijk"]
    stopped = Service.objects.get(name="Thuisverpleging Gestopt")
    with pytest.raises(Http404):
        published_service(stopped.pk)


@pytest.mark.parametrize("typed", ["thuisverpleging", "thuisverplegin", "Thuisverpléging", "verpleging thuis"])
def test_words_forgive_accents_typos_and_word_order(typed: str) -> None:
    service("Wit-Gele Kruis", "Thuisverpleging: verpleegkundige zorg bij u thuis.")
    service("Maaltijden aan huis", "Warme maaltijden, elke werkdag gebracht.")
    assert names(Criteria(words=typed)) == ["Wit-Gele Kruis"]


def test_a_word_in_the_name_ranks_above_the_same_word_in_a_description() -> None:
    service("Buurtcentrum", "Ook hulp bij maaltijden.")
    service("Maaltijden aan huis", "Warme maaltijden.")
    assert names(Criteria(words="maaltijden")) == ["Maaltijden aan huis", "Buurtcentrum"]


def test_the_reasons_say_which_word_matched_where_and_what_was_typed() -> None:
    service("Sociaal restaurant", "Maaltijden voor een kleine prijs.")
    result = search(Criteria(words="maaltyden")).results[0]
    assert "matches “maaltijden” (you typed “maaltyden”) in the description" in result.reasons
    result = search(Criteria(words="restaurant")).results[0]
    assert "matches “restaurant” in the name" in result.reasons


def test_when_no_service_has_every_word_those_with_most_words_are_shown() -> None:
    service("Poetsdienst", "Hulp bij het poetsen.")
    service("Klusdienst", "Kleine klussen in huis.")
    found = search(Criteria(words="poetsen zwembad"))
    assert [r.service.name for r in found.results] == ["Poetsdienst"]
    assert not found.all_words and found.partial == 1


def test_need_includes_the_types_of_help_under_it() -> None:
    care = term("Zorg aan huis", "Care at home")
    nursing = term("Thuisverpleging", "Home nursing", parent=care)
    meals = term("Maaltijden", "Meals")
    service("Wit-Gele Kruis", terms=[nursing])
    service("Familiehulp", terms=[care])
    service("Sociaal restaurant", terms=[meals])
    assert names(Criteria(need=care)) == ["Familiehulp", "Wit-Gele Kruis"]
    assert names(Criteria(need=nursing)) == ["Wit-Gele Kruis"]
    assert "type of help: Home nursing" in search(Criteria(need=care)).results[1].reasons


def test_district_through_a_location_or_a_service_area() -> None:
    binnenstad, gentbrugge = District.objects.get(number=1), District.objects.get(number=16)
    place(service("In de Binnenstad"), KORENMARKT, district=1)
    area(service("Voor Gentbrugge"), 16)
    place(service("In Gentbrugge"), GENTBRUGGE, district=16)
    assert names(Criteria(district=binnenstad)) == ["In de Binnenstad"]
    assert names(Criteria(district=gentbrugge)) == ["In Gentbrugge", "Voor Gentbrugge"]
    reasons = {r.service.name: r.reasons for r in search(Criteria(district=gentbrugge)).results}
    assert "in Gentbrugge" in reasons["In Gentbrugge"]
    assert "for residents of Gentbrugge" in reasons["Voor Gentbrugge"]


def test_near_an_address_orders_by_distance_and_says_how_far() -> None:
    place(service("Ver weg"), GENTBRUGGE, district=16)
    place(service("Dichtbij"), KORENMARKT)
    place(service("Iets verder"), SINT_PIETERS)
    service("Telefonisch")  # no place: last
    near = Near(*KORENMARKT, label="Korenmarkt 1")
    found = search(Criteria(near=near)).results
    assert [r.service.name for r in found] == ["Dichtbij", "Iets verder", "Ver weg", "Telefonisch"]
    assert "0.0 km from Korenmarkt 1" in found[0].reasons
    assert "1.0 km from Korenmarkt 1" in found[1].reasons
    assert "no address of its own: by phone or online" in found[3].reasons


def test_language_of_the_service_or_of_a_location() -> None:
    service("Frans sprekend", languages=["fr"])
    place(service("Franstalig onthaal"), languages=["FR"])
    service("Alleen Nederlands", languages=["nl"])
    assert names(Criteria(language="fr")) == ["Frans sprekend", "Franstalig onthaal"]
    assert "speaks French" in search(Criteria(language="fr")).results[0].reasons


def test_open_now_with_hours_closures_and_appointments() -> None:
    open_one = service("Open")
    hours(service=open_one)
    afternoon = service("Pas open na de middag")
    hours(opens=time(13), service=afternoon)
    holiday = service("Met vakantie")
    hours(service=holiday)
    closed(date(2026, 12, 7), date(2026, 12, 11), service=holiday)
    appointment = service("Op afspraak")
    by_appointment(service=appointment)
    building_closed = service("Gebouw dicht")
    hours(service=building_closed)
    location = place(building_closed).location
    closed(date(2026, 12, 1), date(2026, 12, 31), location=location)
    assert names(Criteria(open_now=True, moment=MONDAY_MORNING)) == ["Open"]
    everything = {r.service.name: r.status_text for r in search(Criteria(moment=MONDAY_MORNING)).results}
    assert everything["Open"] == "Open now until 17:00"
    assert everything["Pas open na de middag"] == "Closed now; opens today at 13:00"
    assert everything["Met vakantie"] == "Closed now; opens Mon 14 Dec at 09:00 (closed for a holiday or closure)"
    assert everything["Op afspraak"] == "By appointment"


def test_open_on_a_day() -> None:
    weekdays = service("Weekdagen")
    hours(service=weekdays)
    saturday = service("Zaterdag")
    hours("SA", time(10), time(12), service=saturday)
    assert names(Criteria(day=date(2026, 12, 12), moment=MONDAY_MORNING)) == ["Zaterdag"]
    result = search(Criteria(day=date(2026, 12, 12), moment=MONDAY_MORNING)).results[0]
    assert "open on Saturday 12 December 2026: 10:00–12:00" in result.reasons


def test_filters_combine() -> None:
    meals = term("Maaltijden", "Meals")
    good = service("Maaltijden Binnenstad", "Warme maaltijden", terms=[meals], languages=["fr"])
    place(good, KORENMARKT)
    hours(service=good)
    other = service("Maaltijden Gentbrugge", "Warme maaltijden", terms=[meals], languages=["fr"])
    place(other, GENTBRUGGE, district=16)
    hours(service=other)
    criteria = Criteria(need=meals, district=District.objects.get(number=1), language="fr", open_now=True,
                        words="maaltyd", near=Near(*SINT_PIETERS, label="Sint-Pietersnieuwstraat 33"),
                        moment=MONDAY_MORNING)  # fmt: skip
    found = search(criteria)
    assert [r.service.name for r in found.results] == ["Maaltijden Binnenstad"]
    assert len(found.results[0].reasons) >= 5


def test_pages_of_ten() -> None:
    for number in range(45):
        service(f"Dienst {number:02d}")
    first, last = search(Criteria(), 1), search(Criteria(), 5)
    assert first.total == 45 and len(first.results) == 10 and len(last.results) == 5
    assert last.results[0].service.name == "Dienst 40"


@pytest.mark.parametrize("count", [10, 200])
def test_the_number_of_queries_does_not_grow_with_the_directory(count: int, django_assert_max_num_queries) -> None:
    meals = term("Maaltijden", "Meals")
    for number in range(count):
        made = service(f"Maaltijden {number}", "Warme maaltijden", terms=[meals], languages=["fr"], phone="092251234")
        place(made, KORENMARKT if number % 2 else SINT_PIETERS, languages=["nl"])
        hours(service=made)
        closed(date(2026, 12, 24), date(2026, 12, 26), service=made)
    criteria = Criteria(need=meals, district=District.objects.get(number=1), language="fr", open_now=True,
                        day=date(2026, 12, 8), words="maaltijdn", near=Near(*KORENMARKT, label="Korenmarkt 1"),
                        moment=MONDAY_MORNING)  # fmt: skip
    with django_assert_max_num_queries(22):  # the index is built: a fixed number of queries more
        assert search(criteria).total == count
    with django_assert_max_num_queries(15):  # the index is current: one query of its token, then the page
        found = search(criteria)
        for result in found.results:
            [str(phone) for phone in result.phones]
            [place.location.addresses.all()[0] for place in result.places]
    assert found.total == count


def test_open_in_the_index_agrees_with_the_opening_hours_of_each_service() -> None:
    """The search's index decides "open now" and "open on a day" as a service's page does (``place_rules`` and
    ``domain.directory.opening``), for services with hours, closures and appointments at each of the three
    levels, at many moments."""
    import random

    from apps.directory.search import place_rules, published_services, with_details
    from apps.directory.search_index import search_index
    from domain.directory import opening

    rng = random.Random(16)
    day_sets = ["MO,TU,WE,TH,FR", "SA", "MO,WE", "", "TU,TH,SU"]
    periods = [(None, None), (date(2026, 12, 1), date(2026, 12, 31)), (date(2027, 1, 1), None)]
    for number in range(40):
        made = service(f"Dienst {number}")
        places = [place(made, KORENMARKT) for _ in range(rng.choice([0, 1, 2]))]
        levels = [{"service": made}] + [{"service_at_location": p} for p in places]
        levels += [{"location": p.location} for p in places]
        for _ in range(rng.randint(0, 4)):
            at = rng.choice(levels)
            roll = rng.random()
            if roll < 0.6:
                start = rng.choice([8, 9, 13, 18])
                end = rng.choice([12, 17, 0, 10])
                since, until = rng.choice(periods)
                hours(rng.choice(day_sets), time(start), time(end), valid_from=since, valid_to=until, **at)
            elif roll < 0.85:
                closed(date(2026, 12, rng.randint(1, 20)), date(2026, 12, rng.randint(20, 31)), **at)
            else:
                by_appointment(**at)
    services = list(with_details(published_services(), page=False))
    sizes = set()
    for moment in [datetime(2026, 12, d, h, m, tzinfo=BRUSSELS) for d in (7, 12, 13, 24) for h, m in
                   ((8, 30), (10, 0), (12, 0), (16, 59), (20, 0))]:  # fmt: skip
        in_sql = {UUID(key) for key in search_index().open_at(moment)}
        on_day = {UUID(key) for key in search_index().open_on(moment.date())}
        sizes.add(len(in_sql))
        for one in services:
            levels = [rules for _place, rules in place_rules(one)]
            assert (one.pk in in_sql) == any(opening.open_at(rules, moment) for rules in levels), (one.name, moment)
            assert (one.pk in on_day) == any(opening.open_on(rules, moment.date()) for rules in levels), one.name
    assert len(sizes) > 3 and 0 < max(sizes) < len(services)  # the cases differ: some open, some not
