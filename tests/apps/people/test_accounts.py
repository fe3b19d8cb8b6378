"""Accounts: email sign-up, phone sign-up by SMS code, throttling, staff second factor and sessions."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings

from apps.core import sms
from apps.people.demo import DEMO_ACCOUNTS, demo_password, demo_totp_code
from apps.people.models import Person

pytestmark = pytest.mark.django_db
LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    from django.core.cache import cache

    cache.clear()
    sms.MemorySmsBackend.outbox.clear()


def deliver() -> None:
    call_command("db_worker", "--batch", verbosity=0)


# SMS leave through the task worker once the request's transaction commits: these tests commit for real
committed = pytest.mark.django_db(transaction=True)


@LOCMEM
def test_email_sign_up_needs_verification(client: Client) -> None:
    response = client.post(
        "/nl/accounts/signup/",
        {"email": "lotte@example.org", "password1": "lang-genoeg-wachtwoord", "password2": "lang-genoeg-wachtwoord"},
    )
    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    assert len(mail.outbox) == 1
    user = get_user_model().objects.get(email="lotte@example.org")
    assert Person.objects.filter(user=user).exists(), "every account is a person"
    link = re.search(r"http://testserver(/\S+/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link is not None


@LOCMEM
@pytest.mark.parametrize("password", ["12345678901", "password123", "lotte@example.org"])
def test_weak_passwords_are_refused(client: Client, password: str) -> None:
    response = client.post(
        "/nl/accounts/signup/", {"email": "lotte@example.org", "password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="lotte@example.org").exists()


def test_repeated_failed_logins_are_locked_with_a_clear_message(demo_city: None, client: Client) -> None:
    account = DEMO_ACCOUNTS[0]
    for _ in range(5):
        client.post("/nl/accounts/login/", {"login": account.email, "password": "wrong-password"})
    response = client.post("/nl/accounts/login/", {"login": account.email, "password": demo_password(account)})
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session
    assert "Te veel inlogpogingen. Probeer het later nogmaals." in response.content.decode()


@committed
def test_sign_up_with_only_a_mobile_number(client: Client) -> None:
    assert client.post("/nl/signup/phone/", {"phone": "0470 12 34 56"}).status_code == 302
    deliver()
    assert len(sms.MemorySmsBackend.outbox) == 1
    message = sms.MemorySmsBackend.outbox[0]
    assert message.to == "+32470123456"
    code = re.search(r"\b(\d{6})\b", message.text).group(1)  # type: ignore[union-attr]
    response = client.post("/nl/signup/phone/code/", {"code": code})
    assert response.status_code == 302
    person = Person.objects.get(phone="+32470123456")
    assert person.user is not None and person.phone_verified
    assert client.session["_auth_user_id"] == str(person.user.pk)


@committed
def test_phone_sign_up_links_to_the_person_a_coordinator_registered(demo_city: None, client: Client) -> None:
    registered = Person.objects.filter(user__isnull=True).exclude(phone="").first()
    assert registered is not None
    client.post("/nl/signup/phone/", {"phone": registered.phone})
    deliver()
    code = re.search(r"\b(\d{6})\b", sms.MemorySmsBackend.outbox[0].text).group(1)  # type: ignore[union-attr]
    client.post("/nl/signup/phone/code/", {"code": code})
    registered.refresh_from_db()
    assert registered.user is not None, "the existing record is linked, not duplicated"
    assert Person.objects.filter(phone=registered.phone).count() == 1


@pytest.mark.parametrize("number", ["12345", "09 266 11 11", "+32 470 12"])
@committed
def test_phone_sign_up_refuses_numbers_that_cannot_receive_a_code(client: Client, number: str) -> None:
    response = client.post("/nl/signup/phone/", {"phone": number})
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()  # the design system's error under the field
    deliver()
    assert sms.MemorySmsBackend.outbox == []


def test_three_wrong_codes_end_the_attempt(client: Client) -> None:
    client.post("/nl/signup/phone/", {"phone": "0470 12 34 56"})
    for _ in range(3):
        response = client.post("/nl/signup/phone/code/", {"code": "000000"})
    assert response.status_code == 302 and response["Location"].endswith("/signup/phone/")
    assert not Person.objects.filter(phone="+32470123456").exists()


@committed
def test_codes_expire(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    client.post("/nl/signup/phone/", {"phone": "0470 12 34 56"})
    deliver()
    code = re.search(r"\b(\d{6})\b", sms.MemorySmsBackend.outbox[0].text).group(1)  # type: ignore[union-attr]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11 * 60)
    response = client.post("/nl/signup/phone/code/", {"code": code})
    assert response["Location"].endswith("/signup/phone/")
    assert not Person.objects.filter(phone="+32470123456").exists()


def test_staff_without_a_second_factor_must_set_one_up(demo_city: None, client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    Authenticator.objects.filter(user__username="coordinator@demo.cityofpeople.example").delete()
    response = client.get("/nl/persons/")
    assert response.status_code == 302 and "/accounts/2fa/totp/activate/" in response["Location"]
    assert client.get("/api/v1/persons").status_code == 403


def test_staff_login_asks_for_the_authenticator_code(demo_city: None, client: Client) -> None:
    account = next(a for a in DEMO_ACCOUNTS if a.role.value == "coordinator")
    response = client.post("/nl/accounts/login/", {"login": account.email, "password": demo_password(account)})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert "_auth_user_id" not in client.session
    response = client.post(response["Location"], {"code": demo_totp_code(account)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    assert client.get("/nl/persons/").status_code == 200


def test_staff_sessions_end_after_30_minutes_idle(
    demo_city: None, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_as("coordinator")
    assert client.get("/nl/persons/").status_code == 200
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 31 * 60)
    response = client.get("/nl/persons/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_staff_sessions_end_after_12_hours(
    demo_city: None, client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_as("coordinator")
    start = time.time()
    for minutes in range(0, 12 * 60 + 1, 25):  # active all day, never idle for 30 minutes
        monkeypatch.setattr(time, "time", lambda m=minutes: start + m * 60)
        last = client.get("/nl/persons/")
    monkeypatch.setattr(time, "time", lambda: start + 12 * 3600 + 120)
    response = client.get("/nl/persons/")
    assert last.status_code == 200
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_residents_are_not_asked_for_a_second_factor(demo_city: None, client_as: Callable[[str], Client]) -> None:
    assert client_as("resident").get("/nl/me/").status_code == 200


def test_sign_out_everywhere(demo_city: None) -> None:
    account = DEMO_ACCOUNTS[0]
    phone, laptop = Client(), Client()
    for device in (phone, laptop):
        assert device.login(username=account.email, password=demo_password(account))
        device.get("/nl/me/")
    page = laptop.get("/nl/accounts/sessions/")
    assert page.status_code == 200, "seeing one's sessions needs no new sign-in"
    asked = laptop.post("/nl/accounts/sessions/", {"action": "logout"})
    assert asked.status_code == 302 and "/accounts/reauthenticate/" in asked["Location"], "ending them does"
    assert phone.get("/nl/me/").status_code == 200, "nothing ended before the password was given again"
    laptop.post(asked["Location"], {"password": demo_password(account)})
    assert phone.get("/nl/me/").status_code == 302, "the other device is signed out"
    assert laptop.get("/nl/me/").status_code == 200, "this one stays signed in"


@committed
def test_a_phone_only_person_signs_in_later_with_an_sms_code(client: Client) -> None:
    client.post("/nl/signup/phone/", {"phone": "0470 12 34 56"})
    deliver()
    code = re.search(r"\b(\d{6})\b", sms.MemorySmsBackend.outbox[0].text).group(1)  # type: ignore[union-attr]
    client.post("/nl/signup/phone/code/", {"code": code})
    client.post("/nl/accounts/logout/")
    sms.MemorySmsBackend.outbox.clear()

    later = Client()
    response = later.post("/nl/accounts/login/code/", {"phone": "0470 12 34 56"})
    assert response.status_code == 302
    deliver()
    login_code = sms.MemorySmsBackend.outbox[0].text
    typed = re.search(r"\b(\d{6})\b", login_code).group(1)  # type: ignore[union-attr]
    response = later.post("/nl/accounts/login/code/confirm/", {"code": typed})
    assert response.status_code == 302
    assert "confirm-email" not in response["Location"], "a verified phone is enough without an email address"
    assert later.session["_auth_user_id"] == str(Person.objects.get(phone="+32470123456").user_id)


def test_failed_phone_logins_of_one_number_do_not_lock_out_another(demo_city: None, client: Client) -> None:
    from apps.people.adapter import AccountAdapter

    adapter = AccountAdapter()
    assert adapter._get_login_attempts_cache_key(None, phone="+32470000001") != (
        adapter._get_login_attempts_cache_key(None, phone="+32470000002")
    )


@LOCMEM
def test_an_email_sign_up_links_a_registered_person_only_once_the_address_is_confirmed(
    demo_city: None, client: Client
) -> None:
    """Typing someone's email address at sign-up gives nothing of theirs; confirming it links their record."""
    registered = Person.objects.filter(user__isnull=True, erased_at__isnull=True).exclude(support_needs="").first()
    assert registered is not None
    registered.email = "georgette@example.org"
    registered.save(update_fields=["email"])
    password = "lang-genoeg-wachtwoord"
    response = client.post(
        "/nl/accounts/signup/", {"email": "Georgette@example.org", "password1": password, "password2": password}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email__iexact="georgette@example.org")
    registered.refresh_from_db()
    assert registered.user is None, "not linked on an address nobody confirmed"
    # even signed in before confirming (say with a verified phone), the account sees a person of its own
    unconfirmed = Client()
    unconfirmed.force_login(user)
    me = unconfirmed.get("/api/v1/me").json()
    assert me["id"] != registered.pk and registered.support_needs not in str(me)
    assert registered.support_needs not in unconfirmed.get("/nl/me/").content.decode()
    link = re.search(r"http://testserver(/\S+/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link is not None
    client.post(link.group(1))
    registered.refresh_from_db()
    assert registered.user == user, "linked once the address is confirmed"
    assert Person.objects.filter(user=user).count() == 1, "the empty record of the sign-up is not left behind"
    me = unconfirmed.get("/api/v1/me").json()
    assert me["id"] == registered.pk and me["support_needs"] == registered.support_needs
