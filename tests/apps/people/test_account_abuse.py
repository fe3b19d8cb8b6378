"""Issue 12, item 4: accounts cannot be enumerated, locked out city-wide or brute-forced in parallel.

* Enumeration by timing: a known and a new address make the server do the same work (password hashes,
  breach look-ups, messages queued), counted rather than timed (``bench/security/signup_timing.py`` times it).
* Behind the reverse proxy, the per-address limit is per client, read from ``X-Forwarded-For`` only as far
  as the city's own proxies wrote it (``apps/people/throttle.py``).
* Code tries are counted in the database: a session written back by a parallel request (as a burst of
  guesses does) no longer brings back tries (``apps/people/code_tries.py``); the real parallel burst over
  HTTP on PostgreSQL is ``tests/service/test_code_tries_http.py``.
* Failed passwords are counted per account, whatever identifier is typed.

Text messages are captured where they are queued (the ``texts`` fixture); email lands in ``mail.outbox``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.test import Client, override_settings

from apps.people.models import CodeTries, Person
from tests.apps.people.test_authentication_asvs import BreachService

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "zonnige-dinsdag-aan-de-leie"
NUMBER = "+32470998877"
# the production limit per address (cityofpeople/settings/base.py); the test settings lower it to 5
PRODUCTION_LIMITS = {"login_failed": "20/5m/ip,5/5m/key"}
TOO_MANY = "Too many failed login attempts. Try again later."
SIX_DIGITS = re.compile(r"\b(\d{6})\b")
EMAIL_CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


def account(email: str, phone: str = "") -> Any:
    """A signed-up account with a confirmed email address and, if given, a confirmed mobile number."""
    user = get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Person.objects.create(user=user, first_name="Mireille", last_name="Test", email=email, phone=phone,
                          phone_verified=bool(phone))  # fmt: skip
    return user


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def production_setting(name: str, **environment: str) -> str:
    """A setting as the production settings make it from the environment (a process of its own)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("COP_") and k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "cityofpeople.settings.prod",
        "COP_SECRET_KEY": "s" * 60,
        "DATABASE_URL": "sqlite:///var/unused.sqlite3",
        "COP_ALLOWED_HOSTS": "cityofpeople.gent.example",
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(repr(settings.{name}))"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


# --- enumeration: the same work for a known and a new address -----------------------------------------


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], dict[str, int]]]:
    """What the server did since the last call: password hashes, breach look-ups, emails and texts queued."""
    breach = BreachService("not-this-one-at-all-1234")
    hashes: list[str] = []
    texts: list[str] = []
    original = MD5PasswordHasher.encode  # the test settings' hasher (production: PBKDF2, some 0.5 s each)

    def encode(self: MD5PasswordHasher, password: str, salt: str) -> str:
        hashes.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(MD5PasswordHasher, "encode", encode)
    for module in ("apps.people.phone_signup", "apps.people.adapter"):
        monkeypatch.setattr(f"{module}.send_sms", lambda *, to, text: texts.append(to))

    def done() -> dict[str, int]:
        counts = {"hashes": len(hashes), "breach look-ups": len(breach.asked), "emails": len(mail.outbox),
                  "texts": len(texts)}  # fmt: skip
        for seen in (hashes, breach.asked, mail.outbox, texts):
            seen.clear()
        return counts

    with override_settings(BREACHED_PASSWORDS_URL=breach.url):
        yield done
    breach.server.shutdown()


def test_sign_up_does_the_same_work_for_a_known_and_a_new_email_address(work: Callable[[], dict[str, int]]) -> None:
    """ASVS 6.3.8: a known address was answered in 54 ms, a new one in 621 ms (the new password's hash)."""
    account("bekend@example.org")
    work()
    answers, done = [], []
    for email in ("bekend@example.org", "nieuw@example.org"):
        response = Client().post("/nl/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})
        answers.append((response.status_code, response.get("Location")))
        done.append(work())
    assert answers[0] == answers[1], "the same answer"
    assert done[0] == done[1], f"the same work: known {done[0]}, new {done[1]}"
    assert done[0]["hashes"] == 1 and done[0]["breach look-ups"] == 1 and done[0]["emails"] == 1
    assert get_user_model().objects.filter(email="nieuw@example.org").exists()
    assert get_user_model().objects.filter(email="bekend@example.org").count() == 1


def test_sign_up_with_a_known_mobile_number_does_the_same_work_as_with_a_new_one(
    work: Callable[[], dict[str, int]],
) -> None:
    """The sign-up form's optional number: a known one got no message at all, a new one its code."""
    account("bekend@example.org", phone=NUMBER)
    work()
    outcomes = []
    for email, phone in (("nieuw-1@example.org", NUMBER), ("nieuw-2@example.org", "+32470112233")):
        data = {"email": email, "phone": phone, "password1": PASSWORD, "password2": PASSWORD}
        response = Client().post("/nl/accounts/signup/", data)
        outcomes.append((response.status_code, response.get("Location"), work()))
    assert outcomes[0] == outcomes[1], f"known {outcomes[0]}, new {outcomes[1]}"
    assert outcomes[0][2]["texts"] == 1 and outcomes[0][2]["hashes"] == 1


def test_phone_sign_up_reset_and_sign_in_codes_do_the_same_work_for_known_and_unknown(
    work: Callable[[], dict[str, int]],
) -> None:
    """Every page that takes an identifier answers and works alike whether it belongs to an account or not."""
    account("bekend@example.org", phone=NUMBER)
    work()
    pages: list[tuple[str, str, dict[str, str]]] = [
        ("phone sign-up", "/nl/signup/phone/", {"phone": NUMBER}),
        ("password reset", "/nl/accounts/password/reset/", {"email": "bekend@example.org"}),
        ("sign-in code by email", "/nl/accounts/login/code/", {"email": "bekend@example.org"}),
        ("sign-in code by SMS", "/nl/accounts/login/code/", {"phone": NUMBER}),
    ]
    unknown = {"phone": "+32470112233", "email": "onbekend@example.org"}
    for label, url, known in pages:
        outcomes = []
        for data in (known, {name: unknown[name] for name in known}):
            response = Client().post(url, data)
            outcomes.append((response.status_code, response.get("Location"), work()))
        assert outcomes[0] == outcomes[1], f"{label}: known {outcomes[0]}, unknown {outcomes[1]}"
        assert sum(outcomes[0][2].values()) == 1, f"{label}: one message each"


# --- behind the reverse proxy: the client's own address ---------------------------------------------


def behind_the_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach the application through the city's proxy at 10.0.0.2."""
    return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)


def fail_twenty_times(client: Client) -> None:
    """Twenty wrong passwords, each for another address (so only the limit per client address is reached)."""
    for n in range(20):
        client.post("/en/accounts/login/", {"login": f"gok-{n}@example.org", "password": "fout-wachtwoord-123"})


def test_behind_the_proxy_one_clients_failures_do_not_lock_out_the_city() -> None:
    """Client A fails twenty times: A is stopped, client B behind the same proxy signs in."""
    trusted = int(production_setting("ALLAUTH_TRUSTED_PROXY_COUNT"))
    assert trusted == 1, "production trusts the one proxy the README prescribes"
    account("rosa@example.org")
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=trusted, ACCOUNT_RATE_LIMITS=PRODUCTION_LIMITS):
        attacker = behind_the_proxy("203.0.113.10")
        fail_twenty_times(attacker)
        stopped = attacker.post("/en/accounts/login/", {"login": "rosa@example.org", "password": PASSWORD})
        assert not signed_in(attacker) and TOO_MANY in stopped.content.decode()
        # a header of the attacker's own making, in front of what the proxy appends, gains nothing
        spoofing = behind_the_proxy("198.51.100.77, 203.0.113.10")
        spoofing.post("/en/accounts/login/", {"login": "rosa@example.org", "password": PASSWORD})
        assert not signed_in(spoofing)
        neighbour = behind_the_proxy("198.51.100.20")
        neighbour.post("/en/accounts/login/", {"login": "rosa@example.org", "password": PASSWORD})
        assert signed_in(neighbour), "another client behind the same proxy is not locked out"


def test_without_a_trusted_proxy_x_forwarded_for_is_never_read() -> None:
    """No proxy configured: a client making up X-Forwarded-For values still has one address."""
    assert production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", COP_TRUSTED_PROXY_COUNT="0") == "0"
    account("rosa@example.org")
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0, ACCOUNT_RATE_LIMITS=PRODUCTION_LIMITS):
        for n in range(20):
            Client(REMOTE_ADDR="203.0.113.10", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").post(
                "/en/accounts/login/", {"login": f"gok-{n}@example.org", "password": "fout-wachtwoord-123"}
            )
        again = Client(REMOTE_ADDR="203.0.113.10", HTTP_X_FORWARDED_FOR="198.51.100.200")
        again.post("/en/accounts/login/", {"login": "rosa@example.org", "password": PASSWORD})
        assert not signed_in(again)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_an_odd_x_forwarded_for_is_no_error() -> None:
    """Garbage, or fewer entries than proxies, gives the sign-in page, not an error (allauth raised one)."""
    account("rosa@example.org")
    for forwarded in ("unknown", "203.0.113.10", "not an address, 10.0.0.1"):
        client = behind_the_proxy(forwarded)
        assert client.get("/en/accounts/login/").status_code == 200
        client.post("/en/accounts/login/", {"login": "rosa@example.org", "password": PASSWORD})
        assert signed_in(client), forwarded


# --- code tries: counted where a parallel request cannot undo them ----------------------------------


def written_back(client: Client, before: dict[str, Any]) -> None:
    """The session as a slower request of the same burst writes it back: as it was when that request began."""
    session = client.session
    session.clear()
    session.update(before)
    session.save()


def test_a_phone_sign_up_code_gets_three_tries_even_when_the_session_is_written_back(texts: list[Any]) -> None:
    client = Client()
    client.post("/en/signup/phone/", {"phone": NUMBER})
    code = SIX_DIGITS.search(texts[-1][1]).group(1)  # type: ignore[union-attr]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    before = dict(client.session.items())
    for _ in range(3):
        client.post("/en/signup/phone/code/", {"code": wrong})
    written_back(client, before)
    response = client.post("/en/signup/phone/code/", {"code": code}, follow=True)
    assert not signed_in(client), "the right code after three wrong ones does not sign in"
    assert "The code was wrong three times. Ask for a new one." in response.content.decode()
    assert not Person.objects.filter(phone=NUMBER).exists()
    assert CodeTries.objects.get().tries == 3


def test_an_email_sign_in_code_gets_three_tries_even_when_the_session_is_written_back() -> None:
    account("rosa@example.org")
    client = Client()
    client.post("/en/accounts/login/code/", {"email": "rosa@example.org"})
    code = EMAIL_CODE.search(mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    before = dict(client.session.items())
    for _ in range(3):
        client.post("/en/accounts/login/code/confirm/", {"code": "AAAA-AAAA"})
    written_back(client, before)
    response = client.post("/en/accounts/login/code/confirm/", {"code": code}, follow=True)
    assert not signed_in(client), "the right code after three wrong ones does not sign in"
    assert TOO_MANY in response.content.decode()


def test_a_sign_in_code_still_works_on_the_third_try() -> None:
    account("rosa@example.org")
    client = Client()
    client.post("/en/accounts/login/code/", {"email": "rosa@example.org"})
    code = EMAIL_CODE.search(mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    for _ in range(2):
        wrong = client.post("/en/accounts/login/code/confirm/", {"code": "AAAA-AAAA"})
        assert "Incorrect code." in wrong.content.decode()
    client.post("/en/accounts/login/code/confirm/", {"code": code})
    assert signed_in(client)


def test_a_used_sign_in_code_does_not_sign_in_again_from_a_written_back_session() -> None:
    account("rosa@example.org")
    client = Client()
    client.post("/en/accounts/login/code/", {"email": "rosa@example.org"})
    code = EMAIL_CODE.search(mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    before = dict(client.session.items())
    client.post("/en/accounts/login/code/confirm/", {"code": code})
    assert signed_in(client)
    other = Client()
    written_back(other, before)  # a session holding the pending code, as a copy taken before it was used would
    other.post("/en/accounts/login/code/confirm/", {"code": code})
    assert not signed_in(other)


def test_a_re_authentication_code_gets_three_tries_even_when_the_session_is_written_back(
    texts: list[tuple[str, str]],
) -> None:
    """The code a phone-only account confirms before changing its sign-in details (ours, like the others)."""
    client = Client()
    client.post("/en/signup/phone/", {"phone": NUMBER})
    client.post("/en/signup/phone/code/", {"code": SIX_DIGITS.search(texts[-1][1]).group(1)})  # type: ignore[union-attr]
    assert signed_in(client)
    step = "/en/accounts/reauthenticate/code/"
    client.post(step, {"send": "1"})
    code = SIX_DIGITS.search(texts[-1][1]).group(1)  # type: ignore[union-attr]
    before = dict(client.session.items())
    for _ in range(3):
        client.post(step, {"code": f"{(int(code) + 1) % 1_000_000:06d}"})
    written_back(client, before)
    page = client.post(step, {"code": code})
    assert page.status_code == 200, "not let through to the change"
    assert "The code was wrong three times. Ask for a new one." in page.content.decode()


def test_a_code_confirming_a_mobile_number_gets_three_tries_even_when_the_session_is_written_back(
    texts: list[tuple[str, str]],
) -> None:
    """allauth's own phone confirmation (sign-up with email and number; changing the number) counts alike."""
    client = Client()
    data = {"email": "nieuw@example.org", "phone": NUMBER, "password1": PASSWORD, "password2": PASSWORD}
    step = client.post("/en/accounts/signup/", data)["Location"]
    code = SIX_DIGITS.search(texts[-1][1]).group(1)  # type: ignore[union-attr]
    before = dict(client.session.items())
    for _ in range(3):
        client.post(step, {"code": f"{(int(code) + 1) % 1_000_000:06d}"})
    written_back(client, before)
    client.post(step, {"code": code})
    assert not Person.objects.filter(phone=NUMBER, phone_verified=True).exists(), "the number is not confirmed"


# --- password tries: per account, whichever identifier is typed ------------------------------------


@override_settings(ACCOUNT_RATE_LIMITS=PRODUCTION_LIMITS)
def test_an_account_gets_five_password_tries_whether_reached_by_email_or_by_number() -> None:
    account("rosa@example.org", phone=NUMBER)
    typed = ["rosa@example.org", "ROSA@example.org", "0470 99 88 77", "+32470998877", "0470998877"]
    for login in typed:
        Client().post("/en/accounts/login/", {"login": login, "password": "fout-wachtwoord-123"})
    for login in ("rosa@example.org", "0470 99 88 77"):
        client = Client()
        response = client.post("/en/accounts/login/", {"login": login, "password": PASSWORD})
        assert not signed_in(client), f"a sixth try through {login!r} is refused"
        assert TOO_MANY in response.content.decode()


@override_settings(ACCOUNT_RATE_LIMITS=PRODUCTION_LIMITS)
def test_failures_on_one_account_do_not_lock_another() -> None:
    account("rosa@example.org", phone=NUMBER)
    account("jan@example.org", phone="+32470112233")
    for _ in range(5):
        Client().post("/en/accounts/login/", {"login": "0470 99 88 77", "password": "fout-wachtwoord-123"})
    client = Client()
    client.post("/en/accounts/login/", {"login": "0470 11 22 33", "password": PASSWORD})
    assert signed_in(client)
