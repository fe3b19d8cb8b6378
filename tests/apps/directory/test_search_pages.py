"""The "Find help" pages as a visitor uses them: a plain GET form (no JavaScript), results explained, a service's
page, the list to print; in English (the Dutch and French words come with the merged catalogues)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from apps.directory.models import Accessibility, CostOption, RequiredDocument, Service
from tests.apps.directory.search_builders import (
    GENTBRUGGE,
    KORENMARKT,
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


def url(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(f"directory:{name}", kwargs=kwargs or None)


@pytest.fixture
def directory() -> dict[str, Service]:
    care = term("Zorg aan huis", "Care at home")
    nursing = term("Thuisverpleging", "Home nursing", parent=care)
    meals = term("Maaltijden", "Meals")
    nurse = service("Wit-Gele Kruis", "Thuisverpleging: verpleegkundige zorg bij u thuis.", terms=[nursing],
                     languages=["nl", "fr"], phone="09 225 12 34", minimum_age=18, income_limited=True,
                     fees_description="Terugbetaald door het ziekenfonds.",
                     application_process="Bel ons of vraag het aan uw huisarts.")  # fmt: skip
    korenmarkt = place(nurse, KORENMARKT, street="Korenmarkt 1", name="Kantoor Binnenstad")
    Accessibility.objects.create(location=korenmarkt.location, description="Toegankelijk met een rolstoel.")
    hours(service=nurse)
    closed(date(2026, 12, 24), date(2026, 12, 26), service=nurse)
    area(nurse, 1)
    CostOption.objects.create(service=nurse, option="Per bezoek", amount=0)
    RequiredDocument.objects.create(service=nurse, document="Identiteitskaart")
    meals_service = service("Maaltijden aan huis", "Warme maaltijden, elke werkdag.", terms=[meals],
                            phone="+32 9 266 00 00")  # fmt: skip
    place(meals_service, GENTBRUGGE, district=16, street="Brusselsesteenweg 499")
    by_appointment(service=meals_service)
    service("Gestopte dienst", "Thuisverpleging", status=Service.Status.DEFUNCT)
    service("Dienst van een gestopte organisatie", "Thuisverpleging", org=organisation("Weg", active=False))
    return {"nurse": nurse, "meals": meals_service}


def test_the_first_visit_shows_the_form_and_the_types_of_help(client: Client, directory: dict[str, Service]) -> None:
    page = client.get(url("search"))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'method="get"' in text and 'name="words"' in text and 'name="address"' in text
    assert "Care at home" in text and "Meals" in text  # the main types, as links to start from
    assert "services found" not in text


@pytest.mark.parametrize("typed", ["thuisverpleging", "thuisverplegin", "Thuisverpléging", "verpleging thuis"])
def test_words_find_the_service_with_its_reasons_without_javascript(
    client: Client, directory: dict[str, Service], typed: str
) -> None:
    page = client.get(url("search"), {"words": typed})
    text = page.content.decode()
    assert "1 service found" in text
    assert "Wit-Gele Kruis" in text and "Maaltijden aan huis" not in text
    assert "Gestopte dienst" not in text and "gestopte organisatie" not in text
    assert "Why it is here:" in text and "matches “" in text
    assert 'href="tel:092251234"' in text


def test_near_an_address_shows_distance_and_nearest_first(client: Client, directory: dict[str, Service]) -> None:
    page = client.get(url("search"), {"address": "Sint-Pietersnieuwstraat 33"})
    text = page.content.decode()
    assert text.index("Wit-Gele Kruis") < text.index("Maaltijden aan huis")
    assert "1.0 km from Sint-Pietersnieuwstraat 33" in text
    assert "<svg" in text and "<circle" in text  # the district map with the places of the results


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_maps_dots_are_drawn_in_every_language(
    client: Client, directory: dict[str, Service], language: str
) -> None:
    """SVG wants "406.9", never the Dutch or French "406,9" (the dots were not drawn at all)."""
    with translation.override(language):
        address = reverse("directory:search")
    text = client.get(address, {"address": "Sint-Pietersnieuwstraat 33"}).content.decode()
    circles = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)" r="([^"]+)"', text)
    assert circles, "a dot per place and one for the address"
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for circle in circles for value in circle), circles


def test_an_unknown_address_is_said_and_nothing_is_searched(client: Client, directory: dict[str, Service]) -> None:
    page = client.get(url("search"), {"address": "Nergensstraat 4"})
    text = page.content.decode()
    assert "There is a problem" in text and "We do not know this street in the city." in text
    assert "services found" not in text


def test_filters_by_type_district_language_and_when(client: Client, directory: dict[str, Service]) -> None:
    care = directory["nurse"].attributes.get().taxonomy_term.parent
    assert "1 service found" in client.get(url("search"), {"need": str(care.pk)}).content.decode()
    page = client.get(url("search"), {"district": "gentbrugge"}).content.decode()
    assert "Maaltijden aan huis" in page and "Wit-Gele Kruis" not in page and "in Gentbrugge" in page
    page = client.get(url("search"), {"language": "fr"}).content.decode()
    assert "Wit-Gele Kruis" in page and "speaks French" in page and "Maaltijden aan huis" not in page
    page = client.get(url("search"), {"day": "24/12/2026"}).content.decode()
    assert "No service found" in page  # the nursing office is closed for Christmas; meals only by appointment
    page = client.get(url("search"), {"words": "maaltijden"}).content.decode()
    assert "By appointment" in page


def test_a_day_far_ahead_is_refused_with_a_message(client: Client, directory: dict[str, Service]) -> None:
    page = client.get(url("search"), {"day": "31/12/2099"}).content.decode()
    assert "Choose a day from today, at most a year ahead." in page


def test_results_are_paginated_and_keep_the_search(client: Client) -> None:
    for number in range(25):
        service(f"Buurtdienst {number:02d}", "Hulp in de buurt")
    page = client.get(url("search"), {"words": "buurt"}).content.decode()
    assert "25 services found" in page and "Page 1 of 3" in page and "words=buurt&amp;page=2" in page
    last = client.get(url("search"), {"words": "buurt", "page": 3}).content.decode()
    assert "21. Buurtdienst 20" in last and "25. Buurtdienst 24" in last and "Buurtdienst 19" not in last


def test_the_service_page_says_everything_a_caller_needs(client: Client, directory: dict[str, Service]) -> None:
    page = client.get(url("service", pk=directory["nurse"].pk))
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "A service of", "Kantoor Binnenstad", "Korenmarkt 1, 9000 Gent", 'href="tel:092251234"', "09 225 12 34",
        "Monday", "09:00–17:00", "Sunday", "Closed from Thursday 24 December 2026 to Saturday 26 December 2026",
        "Dutch, French", "From 18 years old", "For residents of Binnenstad", "Only for people with a low income",
        "Terugbetaald door het ziekenfonds.", "Per bezoek: free", "Bel ons of vraag het aan uw huisarts.",
        "Identiteitskaart", "Toegankelijk met een rolstoel.", "Last checked on Monday 2 November 2026.",
        "Home nursing",
    ):  # fmt: skip
        assert expected in text, expected
    meals = client.get(url("service", pk=directory["meals"].pk)).content.decode()
    assert "By appointment: phone or write first." in meals


def test_an_unpublished_or_unknown_service_is_not_found(client: Client, directory: dict[str, Service]) -> None:
    stopped = Service.objects.get(name="Gestopte dienst")
    assert client.get(url("service", pk=stopped.pk)).status_code == 404
    gone = Service.objects.get(name="Dienst van een gestopte organisatie")
    assert client.get(url("service", pk=gone.pk)).status_code == 404
    assert client.get(url("search") + "services/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_print_page_lists_the_results_with_phones_and_addresses_without_menu(
    client: Client, directory: dict[str, Service]
) -> None:
    page = client.get(url("print"), {"words": "thuisverplegin"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Wit-Gele Kruis" in text and "Korenmarkt 1, 9000 Gent" in text and "09 225 12 34" in text
    assert 'class="site-nav"' not in text  # no menu on paper
    assert "Maaltijden aan huis" not in text
    assert "Back to the search" in text and "words=thuisverplegin" in text


def test_the_search_is_public_for_anyone(client: Client, directory: dict[str, Service]) -> None:
    assert client.get(url("search")).status_code == 200
    assert client.post(url("search")).status_code == 405
    assert client.get(url("print")).status_code == 200


def test_open_now_on_a_weekday_morning(client: Client, directory: dict[str, Service], monkeypatch) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    monday = datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    original = timezone.localtime
    monkeypatch.setattr(timezone, "localtime", lambda value=None, tz=None: monday if value is None else original(value))
    page = client.get(url("search"), {"open_now": "on"}).content.decode()
    assert "Wit-Gele Kruis" in page and "Open now until 17:00" in page and "Maaltijden aan huis" not in page
