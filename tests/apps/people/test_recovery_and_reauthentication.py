"""ASVS 6.5.2 (recovery codes stored hashed) and 7.5.1 (full re-authentication before changing sign-in details).

docs/security.md names these tests.  Text messages are captured where they are queued.
"""

from __future__ import annotations

import importlib
import re
import time
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test import Client

from apps.people import recovery
from apps.people.demo import DEMO_ACCOUNTS, demo_password, demo_totp_code
from apps.people.models import Person, RecoveryCode

pytestmark = pytest.mark.django_db
WRITTEN = re.compile(r"\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b")
SIX_DIGITS = re.compile(r"\b(\d{6})\b")


def account(role: str) -> Any:
    return next(a for a in DEMO_ACCOUNTS if a.role.value == role)


def user_of(role: str) -> Any:
    return get_user_model().objects.get(username=account(role).email)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def staff_client(role: str = "coordinator") -> Client:
    client = Client()
    client.force_login(user_of(role))
    return client


def phone_only_client(texts: list[tuple[str, str]], phone: str = "0470 12 34 56") -> Client:
    client = Client()
    client.post("/nl/signup/phone/", {"phone": phone})
    client.post("/nl/signup/phone/code/", {"code": SIX_DIGITS.search(texts[-1][1]).group(1)})  # type: ignore[union-attr]
    assert signed_in(client)
    return client


# --- 6.5.2 recovery codes ----------------------------------------------------------------------------


def test_recovery_codes_are_stored_only_as_salted_slow_hashes(demo_city: None) -> None:
    user = user_of("coordinator")
    codes = recovery.issue(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(WRITTEN.fullmatch(code) for code in codes)
    rows = list(RecoveryCode.objects.filter(user=user))
    assert len(rows) == 10
    salts = set()
    for row, code in zip(sorted(rows, key=lambda r: r.lookup), sorted(codes), strict=True):
        algorithm, iterations, salt, _digest = row.secret_hash.split("$")
        assert (algorithm, iterations) == ("cop_recovery_pbkdf2_sha256", "100000")
        assert len(salt) >= 16, "a random salt far above the 32 bits ASVS asks"
        salts.add(salt)
        secret = code.replace("-", "")[4:]
        assert secret not in row.secret_hash and row.lookup == code[:4]
    assert len(salts) == 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_hash, lookup FROM people_recoverycode")
        stored = " ".join(" ".join(r) for r in cursor.fetchall())
    assert not any(code.replace("-", "")[4:] in stored for code in codes), "no secret part anywhere in the table"
    assert not Authenticator.objects.filter(type="recovery_codes").exists(), "allauth's seeded codes are not used"


def test_a_recovery_code_signs_in_once_however_it_is_typed_and_the_person_is_told(demo_city: None) -> None:
    coordinator = account("coordinator")
    code = recovery.issue(user_of("coordinator"))[3]
    typed = code.lower().replace("-", " ").replace("0", "o")
    first = Client()
    step = first.post("/nl/accounts/login/", {"login": coordinator.email, "password": demo_password(coordinator)})
    first.post(step["Location"], {"code": typed})
    assert signed_in(first)
    assert recovery.unused_count(user_of("coordinator")) == 9
    told = [m for m in mail.outbox if coordinator.email in m.to and "herstelcode" in m.body.lower()]
    assert told and "9" in told[-1].body
    again = Client()
    step = again.post("/nl/accounts/login/", {"login": coordinator.email, "password": demo_password(coordinator)})
    page = again.post(step["Location"], {"code": code})
    assert not signed_in(again) and page.status_code == 200


def test_a_wrong_recovery_code_is_refused_and_counts_against_the_limit(demo_city: None) -> None:
    coordinator = account("coordinator")
    codes = recovery.issue(user_of("coordinator"))
    wrong = codes[0][:5] + ("AAAA" if codes[0][5:9] != "AAAA" else "BBBB") + codes[0][9:]
    client = Client()
    step = client.post("/nl/accounts/login/", {"login": coordinator.email, "password": demo_password(coordinator)})
    client.post(step["Location"], {"code": wrong})
    assert not signed_in(client)
    assert recovery.unused_count(user_of("coordinator")) == 10, "a wrong code uses nothing up"
    assert recovery.use(user_of("coordinator"), "ZZZZ" + codes[1][4:]) is False, "an unknown lookup is refused"


def test_recovery_codes_page_shows_new_codes_once_after_full_reauthentication(demo_city: None) -> None:
    client = staff_client()
    page = client.get("/nl/accounts/2fa/recovery-codes/").content.decode()
    assert "geen herstelcodes" in page.lower()
    refused = client.post("/nl/accounts/2fa/recovery-codes/")
    assert refused.status_code == 302 and "/accounts/reauthenticate/" in refused["Location"]
    assert not RecoveryCode.objects.filter(user=user_of("coordinator")).exists()
    give_every_factor(client, "coordinator")
    made = client.post("/nl/accounts/2fa/recovery-codes/").content.decode()
    codes = WRITTEN.findall(made)
    assert len(codes) == 10
    later = client.get("/nl/accounts/2fa/recovery-codes/").content.decode()
    assert not WRITTEN.findall(later), "the codes are never shown again"
    assert "10" in later


def test_residents_without_an_authenticator_are_sent_to_set_one_up_first(client_as: Any) -> None:
    response = client_as("resident").get("/nl/accounts/2fa/recovery-codes/")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/2fa/")


def test_removing_the_authenticator_removes_its_recovery_codes(demo_city: None) -> None:
    user = user_of("coordinator")
    recovery.issue(user)
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    assert not RecoveryCode.objects.filter(user=user).exists()


def test_the_migration_forgets_allauths_seeded_recovery_codes(demo_city: None) -> None:
    user = user_of("coordinator")
    Authenticator.objects.create(user=user, type="recovery_codes", data={"seed": "ab" * 40, "used_mask": 0})
    migration = importlib.import_module("apps.people.migrations.0003_recovery_codes")
    migration.forget_seeded_recovery_codes(django_apps, None)
    assert not Authenticator.objects.filter(type="recovery_codes").exists()
    assert Authenticator.objects.filter(user=user, type="totp").exists(), "the authenticator app keeps working"


# --- 7.5.1 full re-authentication --------------------------------------------------------------------


def give_every_factor(client: Client, role: str) -> None:
    """Password, then authenticator code, as the pages ask them."""
    client.post("/nl/accounts/reauthenticate/", {"password": demo_password(account(role))})
    client.post("/nl/accounts/2fa/reauthenticate/", {"code": demo_totp_code(account(role))})


NEW_NUMBER = "+32470998877"
CHANGE_PHONE = "/nl/accounts/phone/change/"


def change_phone(client: Client) -> Any:
    return client.post(CHANGE_PHONE, {"phone": "0470 99 88 77"})


def test_an_account_with_an_authenticator_gives_both_factors_before_a_change(
    demo_city: None, texts: list[tuple[str, str]]
) -> None:
    client = staff_client()
    first = change_phone(client)
    assert first.status_code == 302 and "/accounts/reauthenticate/" in first["Location"]
    step_one = client.get(first["Location"]).content.decode()
    assert "Stap 1 van 2" in step_one
    second = client.post(first["Location"], {"password": demo_password(account("coordinator"))})
    assert second.status_code == 302 and "/accounts/2fa/reauthenticate/" in second["Location"]
    assert not any(to == NEW_NUMBER for to, _ in texts), "not yet: one factor given"
    assert "Stap 2 van 2" in client.get(second["Location"]).content.decode()
    client.post(second["Location"], {"code": demo_totp_code(account("coordinator"))})
    assert [to for to, _ in texts] == [NEW_NUMBER], "both given: the change goes on, the new number gets its code"


def test_half_a_reauthentication_does_not_open_the_change(demo_city: None, texts: list[tuple[str, str]]) -> None:
    client = staff_client()
    client.post("/nl/accounts/reauthenticate/", {"password": demo_password(account("coordinator"))})
    response = change_phone(client)
    assert response.status_code == 302 and "/accounts/2fa/reauthenticate/" in response["Location"]
    assert not texts


def test_the_factors_may_be_given_in_either_order_but_both_within_five_minutes(
    demo_city: None, texts: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = staff_client()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 6 * 60)
    client.post("/nl/accounts/2fa/reauthenticate/", {"code": demo_totp_code(account("coordinator"))})
    monkeypatch.setattr(time, "time", real)
    client.post("/nl/accounts/reauthenticate/", {"password": demo_password(account("coordinator"))})
    stale = change_phone(client)
    assert "/accounts/2fa/reauthenticate/" in stale["Location"], "the code from six minutes ago no longer counts"
    assert not texts


def test_an_account_with_only_a_password_gives_its_password(client_as: Any) -> None:
    client = client_as("resident")
    client.post("/nl/accounts/reauthenticate/", {"password": demo_password(account("resident"))})
    client.post("/nl/accounts/email/", {"action_add": "", "email": "nieuw@example.org"})
    assert EmailAddress.objects.filter(email="nieuw@example.org", user=user_of("resident")).exists()


def test_a_phone_only_account_confirms_a_code_sent_to_its_current_number_before_changing_it(
    texts: list[tuple[str, str]],
) -> None:
    client = phone_only_client(texts)
    person = Person.objects.get(phone="+32470123456")
    asked = change_phone(client)
    assert asked.status_code == 302 and "/accounts/reauthenticate/code/" in asked["Location"]
    page = client.get(asked["Location"]).content.decode()
    assert "56" in page and "0470123456" not in page.replace(" ", ""), "the number is shown masked"
    before = len(texts)
    client.post(asked["Location"], {"send": "1"})
    assert texts[before][0] == "+32470123456", "the code goes to the current number"
    code = SIX_DIGITS.search(texts[before][1]).group(1)  # type: ignore[union-attr]
    done = client.post(asked["Location"], {"code": code})
    assert done.status_code in {200, 302}
    assert [to for to, _ in texts[before + 1 :]] == [NEW_NUMBER], "then the new number gets its own code"
    person.refresh_from_db()
    assert person.phone == "+32470123456", "unchanged until the new number is confirmed"


def test_a_phone_only_account_without_the_code_changes_nothing(texts: list[tuple[str, str]]) -> None:
    client = phone_only_client(texts)
    asked = change_phone(client)
    client.post(asked["Location"], {"send": "1"})
    for _ in range(3):
        client.post(asked["Location"], {"code": "000000" if "000000" not in texts[-1][1] else "111111"})
    page = client.post(asked["Location"], {"code": SIX_DIGITS.search(texts[-1][1]).group(1)})  # type: ignore[union-attr]
    assert "Vraag eerst een code" in page.content.decode(), "three wrong tries end the code"
    assert not any(to == NEW_NUMBER for to, _ in texts)


def test_reauthentication_codes_expire_and_are_rate_limited(
    texts: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = phone_only_client(texts)
    url = "/nl/accounts/reauthenticate/code/"
    client.post(url, {"send": "1"})
    code = SIX_DIGITS.search(texts[-1][1]).group(1)  # type: ignore[union-attr]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 10 * 60 + 5)
    expired = client.post(url, {"code": code}).content.decode()
    assert "verlopen" in expired
    monkeypatch.setattr(time, "time", real)
    for _ in range(3):
        client.post(url, {"send": "1"})
    sent = len(texts)
    refused = client.post(url, {"send": "1"}, follow=True).content.decode()
    assert len(texts) == sent and "Probeer opnieuw binnen 15 minuten" in refused
