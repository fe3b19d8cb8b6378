"""Reporting a structural signal (issue 17, item 5), as a resident, a helper or staff would: by address or by
point, the district computed, a photo stored without its metadata; bad input gets a message beside its field
and stores nothing; the limit per person holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.people.models import Person
from apps.wellbeing import signals_service as service
from apps.wellbeing.models import RateBucket, Signal

from .conftest import World, client_for
from .signals_helpers import (
    SECRET_CAMERA,
    SECRET_COMMENT,
    SECRET_TRAILER,
    SECRET_XMP,
    city_staff,
    photo_dir,
    tiny_jpeg,
    tiny_png,
    with_exif,
)

pytestmark = pytest.mark.django_db
__all__ = ["photo_dir"]  # the fixture, used by name

NEW = "/nl/wellbeing/signals/new/"
GOOD: dict[str, Any] = {"category": "no_bench", "address": "Sint-Pietersnieuwstraat 33", "description": "Geen bank."}
"""Sint-Pietersnieuwstraat 33, 9000 Gent lies in district 1 (Binnenstad) at 51.046937, 3.727884 (the register)."""


def post(client: Client, **fields: Any) -> Any:
    data = {key: value for key, value in {**GOOD, **fields}.items() if value is not None}
    return client.post(NEW, data)


def photo_file(data: bytes, name: str = "bank.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def errors_of(answer: Any) -> str:
    return answer.content.decode()


@pytest.mark.parametrize(("language", "heading"), [
    ("nl", "Meld wat mensen meer doet vereenzamen"),
    ("en", "Report what makes isolation worse"),
    ("fr", "Signalez ce qui aggrave l’isolement"),
])  # fmt: skip
def test_the_form_speaks_the_language_of_its_address(world: World, language: str, heading: str) -> None:
    page = world.client("resident").get(f"/{language}/wellbeing/signals/new/")
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.content.decode()


def test_a_visitor_without_an_account_is_sent_to_sign_in(world: World) -> None:
    answer = Client().post(NEW, GOOD)
    assert answer.status_code == 302 and "login" in answer["Location"]
    assert not Signal.objects.exists()


@pytest.mark.parametrize("who", ["resident", "helper", "coordinator", "staff"])
def test_residents_helpers_and_staff_report_by_address_and_the_district_is_computed(world: World, who: str) -> None:
    person: Person = city_staff(world.other_district) if who == "staff" else getattr(world, who)
    answer = post(client_for(person), address="sint pietersnieuwstraat 33")
    assert answer.status_code == 302 and answer["Location"] == "/nl/wellbeing/signals/mine/"
    signal = Signal.objects.get()
    assert (signal.category, signal.address, signal.description) == (
        "no_bench",
        "Sint-Pietersnieuwstraat 33",
        "Geen bank.",
    )
    assert (signal.lat, signal.lon) == (51.046937, 3.727884)
    assert signal.district == world.district, "from the address, whoever reports it and wherever they live"
    assert signal.reporter == person and signal.status == "new" and signal.photo == ""


def test_a_district_sent_with_the_form_is_ignored(world: World) -> None:
    post(world.client("resident"), district=str(world.other_district.pk), district_id=str(world.other_district.pk))
    assert Signal.objects.get().district == world.district


def test_reporting_by_point_finds_the_district_and_the_nearest_street(world: World) -> None:
    answer = post(world.client("helper"), address="", lat="51.046937", lon="3.727884")
    assert answer.status_code == 302
    signal = Signal.objects.get()
    assert (signal.lat, signal.lon, signal.district) == (51.046937, 3.727884, world.district)
    assert signal.address == "Sint-Pietersnieuwstraat", "the register's nearest address, without its number"


def test_a_point_in_another_district_lands_there(world: World) -> None:
    other = world.other_district
    post(world.client("resident"), address="", lat=str(other.interior_lat), lon=str(other.interior_lon))
    assert Signal.objects.get().district == other


def test_the_photo_is_stored_without_exif_gps_or_anything_else_of_the_camera(world: World, photo_dir: Path) -> None:
    sent = with_exif(tiny_jpeg(16, 16))
    answer = post(world.client("resident"), photo=photo_file(sent))
    assert answer.status_code == 302
    signal = Signal.objects.get()
    assert signal.photo.endswith(".jpg") and "bank" not in signal.photo, "a name of our own, not the sender's"
    stored = (photo_dir / signal.photo).read_bytes()
    assert stored == tiny_jpeg(16, 16)
    for secret in (b"Exif", b"GPS", SECRET_CAMERA, SECRET_XMP, SECRET_COMMENT, SECRET_TRAILER):
        assert secret not in stored, secret


def test_a_png_photo_is_stored_as_png_without_its_text(world: World, photo_dir: Path) -> None:
    post(world.client("resident"), photo=photo_file(tiny_png(), "bank.png", "image/png"))
    signal = Signal.objects.get()
    assert signal.photo.endswith(".png")
    assert (photo_dir / signal.photo).read_bytes() == tiny_png(metadata=False)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"Dit is geen foto\n", "bank.jpg", "Dit bestand is geen foto in JPEG- of PNG-formaat"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "bank.gif", "Dit bestand is geen foto in JPEG- of PNG-formaat"),
        (tiny_jpeg()[:-20], "bank.jpg", "Deze foto is beschadigd of onvolledig"),
        (b"", "leeg.jpg", "Het verstuurde bestand is leeg"),  # Django's own check
    ],
)
def test_a_file_that_is_not_a_whole_jpeg_or_png_is_refused_and_nothing_stored(
    world: World, photo_dir: Path, data: bytes, name: str, message: str
) -> None:
    answer = post(world.client("resident"), photo=photo_file(data, name))
    assert answer.status_code == 400
    assert message in errors_of(answer)
    assert not Signal.objects.exists() and not RateBucket.objects.filter(scope=service.SIGNAL_PERSON).exists()
    assert RateBucket.objects.get(scope=service.SIGNAL_PHOTO_TRIES).count == 1, "reading it took work: it counts"
    assert not photo_dir.exists() or not any(photo_dir.iterdir())


def test_a_photo_over_the_limit_is_refused_with_the_limit_in_words(
    world: World, photo_dir: Path, settings: Any
) -> None:
    settings.WELLBEING_SIGNAL_PHOTO_MAX_BYTES = 300
    big = with_exif(tiny_jpeg(64, 64))  # the EXIF makes it over 300 bytes
    assert len(big) > 300
    answer = post(world.client("resident"), photo=photo_file(big))
    assert answer.status_code == 400
    assert "Deze foto is groter dan 300\xa0bytes" in errors_of(answer)
    assert not Signal.objects.exists()
    small = tiny_jpeg(64, 64)
    assert len(small) <= 300
    assert post(world.client("resident"), photo=photo_file(small)).status_code == 302


def test_a_30_mb_upload_is_refused_as_a_whole(world: World, photo_dir: Path) -> None:
    """The default limit is 8 MB; 30 MB is refused as a whole, with the limit in words."""
    huge = tiny_jpeg() + b"\x00" * (30 * 1024 * 1024)
    answer = post(world.client("resident"), photo=photo_file(huge))
    assert answer.status_code == 413
    assert "Deze foto is groter dan 8,0\xa0MB" in errors_of(answer)
    assert not Signal.objects.exists() and not RateBucket.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"address": "", "lat": "", "lon": ""}, "address", "Geef het adres, of een punt"),
        ({"address": "Nergensstraat 1"}, "address", "We kennen deze straat niet in de stad"),
        ({"address": "Sint-Pietersnieuwstraat 33", "lat": "51.05", "lon": "3.72"}, "address", "niet allebei"),
        ({"address": "", "lat": "51.05", "lon": ""}, "lon", "Geef zowel de breedtegraad als de lengtegraad"),
        ({"address": "", "lat": "50.8467", "lon": "4.3525"}, "lat", "Dit punt ligt buiten de stad"),  # Brussels
        ({"address": "", "lat": "95", "lon": "3.72"}, "lat", "Dit is geen punt op aarde"),
        ({"address": "", "lat": "nan", "lon": "3.72"}, "lat", "Vul een getal in"),
        ({"address": "", "lat": "inf", "lon": "3.72"}, "lat", "Vul een getal in"),
        ({"category": "flying_saucer"}, "category", "Selecteer een geldige keuze"),
        ({"category": ""}, "category", "Dit veld is verplicht"),
        ({"description": "Geen\x00bank"}, "description", "Null-tekens zijn niet toegestaan"),
        ({"description": "x" * 1001}, "description", "niet meer dan 1000 tekens bevat"),
        ({"address": "Korenmarkt\x00 1"}, "address", "Null-tekens zijn niet toegestaan"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    world: World, fields: dict[str, str], field: str, message: str
) -> None:
    answer = post(world.client("resident"), **fields)
    assert answer.status_code == 400
    page = errors_of(answer)
    assert message in page, page[page.find('class="error-summary') :][:1500]
    assert f'href="#id_{field}' in page, "the summary leads to the field"
    assert not Signal.objects.exists() and not RateBucket.objects.exists()


def test_each_person_may_send_a_few_a_day_and_a_refused_one_stores_nothing(world: World, settings: Any) -> None:
    settings.WELLBEING_SIGNALS_PER_DAY = 3
    resident = world.client("resident")
    assert post(resident, address="Nergensstraat 1").status_code == 400, "a refused signal takes nothing"
    for _ in range(3):
        assert post(resident).status_code == 302
    answer = post(resident, category="dark_street")
    assert answer.status_code == 429
    assert "U hebt vandaag al zoveel signalen gestuurd als we aanvaarden" in answer.content.decode()
    assert Signal.objects.count() == 3 and not Signal.objects.filter(category="dark_street").exists()
    assert post(world.client("helper")).status_code == 302, "the limit is per person"


def test_the_service_refuses_a_category_the_city_does_not_use(world: World, settings: Any) -> None:
    from apps.access.actors import actor_for_user

    settings.WELLBEING_SIGNAL_CATEGORIES = ("no_bench", "public_toilet_closed")
    place = service.place_from_address("Sint-Pietersnieuwstraat 33")
    actor = actor_for_user(world.resident.user)
    with pytest.raises(service.ValidationError):
        service.signal_create(actor=actor, data=service.SignalInput(category="dark_street", place=place))
    signal = service.signal_create(actor=actor, data=service.SignalInput(category="public_toilet_closed", place=place))
    assert service.category_label(signal.category) == "Public toilet closed"
    page = world.client("resident").get(NEW).content.decode()
    assert 'value="public_toilet_closed"' in page and 'value="dark_street"' not in page


def test_the_reporter_sees_the_status_of_their_own_signals_and_no_one_elses(world: World) -> None:
    post(world.client("resident"), category="no_lift")
    post(world.client("helper"), category="dark_street")
    Signal.objects.filter(category="no_lift").update(status="forwarded", forwarded_to="Dienst Wonen")
    mine = world.client("resident").get("/nl/wellbeing/signals/mine/").content.decode()
    assert "Geen lift, of een lift die niet werkt" in mine and "Doorgestuurd naar een dienst" in mine
    assert "Dienst Wonen" in mine
    assert "Een donkere straat" not in mine, "the helper's signal"


def test_a_photo_written_for_a_signal_that_then_fails_is_deleted(
    world: World, photo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(**fields: Any) -> Signal:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Signal.objects, "create", fail)
    with pytest.raises(RuntimeError):
        post(world.client("resident"), photo=photo_file(tiny_jpeg()))
    assert not any(photo_dir.iterdir()), "no photo without its signal"
    assert not RateBucket.objects.filter(scope=service.SIGNAL_PERSON).exists(), "and the count was given back"


def test_photos_sent_count_accepted_or_refused_and_over_the_days_budget_none_is_read(
    world: World, photo_dir: Path, settings: Any
) -> None:
    """Checking a photo takes work, so a refused one counts too: a flood of broken files is stopped, while the
    signal itself can still be sent without a photo."""
    settings.WELLBEING_SIGNAL_PHOTO_TRIES_PER_DAY = 2
    resident = world.client("resident")
    for _ in range(2):
        assert post(resident, photo=photo_file(tiny_jpeg()[:-20])).status_code == 400
    answer = post(resident, photo=photo_file(tiny_jpeg()))  # a good one, but over the budget
    assert answer.status_code == 400
    assert "U stuurde vandaag al veel foto" in errors_of(answer)
    assert 'href="#id_photo' in errors_of(answer)
    assert not Signal.objects.exists() and (not photo_dir.exists() or not any(photo_dir.iterdir()))
    assert post(resident).status_code == 302, "without a photo it is sent"
    assert post(world.client("helper"), photo=photo_file(tiny_jpeg())).status_code == 302, "the budget is per person"
    counted = RateBucket.objects.get(scope=service.SIGNAL_PHOTO_TRIES, key=service.person_key(world.resident.pk))
    assert counted.count == 2
