"""OWASP ASVS 5.0 chapter V6 (authentication), level 2, through our configuration: docs/security.md names each test.

Text messages are captured where they are queued (``send_sms``), so these
tests need no task worker and no committed transactions.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from hashlib import sha1
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from apps.people import recovery
from apps.people.demo import DEMO_ACCOUNTS, demo_password, demo_totp_code, demo_totp_secret
from apps.people.models import Person
from apps.people.passwords import CONTEXT_WORDS, CommonPasswordValidator, ContextWordsValidator

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
CODE = re.compile(r"\b(\d{6})\b")
SIGNUP = "/nl/accounts/signup/"
RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key", "phone_signup": "10/1h/ip,3/15m/key"}


def account(role: str) -> Any:
    return next(a for a in DEMO_ACCOUNTS if a.role.value == role)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def sign_up(client: Client, password: str, email: str = "lotte@example.org") -> bool:
    client.post(SIGNUP, {"email": email, "password1": password, "password2": password})
    return get_user_model().objects.filter(email=email).exists()


def verified_account(email: str, password: str) -> Any:
    user = get_user_model().objects.create_user(username=email, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(email: str, password: str) -> Client:
    client = Client()
    client.post("/nl/accounts/login/", {"login": email, "password": password})
    return client


def phone_code(client: Client, phone: str, texts: list[tuple[str, str]]) -> str:
    client.post("/nl/signup/phone/", {"phone": phone})
    return CODE.search(texts[-1][1]).group(1)  # type: ignore[union-attr]


# --- V6.2 passwords ---------------------------------------------------------------------------------


def test_passwords_of_any_length_are_used_exactly_as_typed() -> None:
    """6.2.8 and 6.2.9: 100 characters, spaces at both ends, accents; no truncation, trimming or case folding."""
    password = "  Één lange zin over de Leie, de Schelde en 's avonds fietsen naar huis langs de Coupure ... ok  "
    assert len(password) >= 64
    verified_account("lang@example.org", password)
    assert signed_in(log_in("lang@example.org", password))
    for altered in (password.strip(), password[:72], password.upper(), password[:-1]):
        assert not signed_in(log_in("lang@example.org", altered)), repr(altered[:20])


def test_a_password_of_128_characters_is_accepted_at_sign_up(client: Client) -> None:
    """6.2.9: no upper limit below 64."""
    assert sign_up(client, "fiets-" * 21 + "ab")


@pytest.mark.parametrize("password", ["839201746519283", "alleen kleine letters vandaag", "ZONDERCIJFERSOFTEKENS"])
def test_passwords_of_any_composition_are_accepted(client: Client, password: str) -> None:
    """6.2.5: no rule on digits, capitals or signs (an all-digit password is fine when long and not common)."""
    assert sign_up(client, password)


def test_passwords_shorter_than_ten_characters_are_refused(client: Client) -> None:
    """6.2.1: at least 8 characters (ours: 10)."""
    assert not sign_up(client, "kort-ww9x")
    assert sign_up(client, "kort-ww9xy")


def test_the_common_password_list_holds_over_3000_passwords_that_fit_the_policy() -> None:
    """6.2.4: at least the top 3000 passwords that match the policy (10 characters or more)."""
    fitting = {
        p
        for p in CommonPasswordValidator().passwords
        if len(p) >= settings.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"]
    }
    assert len(fitting) >= 3000


@pytest.mark.parametrize("password", ["1qaz2wsx3edc", "qwertyuiop", "Password123", "ILOVEYOU12", "football123"])
def test_common_passwords_are_refused_at_sign_up(client: Client, password: str) -> None:
    """6.2.4: checked at registration (and on every change, through the same validators)."""
    assert not sign_up(client, password)


@pytest.mark.parametrize(
    "password", ["CityOfPeople2025!", "Gent-Gent-9000", "St4dG3nt!!2024", "mantelzorger123", "coordinator-gent"]
)
def test_passwords_made_of_words_about_this_site_are_refused(client: Client, password: str) -> None:
    """6.2.11: the documented context-specific words are refused."""
    assert not sign_up(client, password)


def test_context_words_inside_a_longer_passphrase_are_fine(client: Client) -> None:
    assert sign_up(client, "mijn fiets staat in gent aan het station")


def test_the_context_words_in_the_documentation_are_the_ones_the_validator_uses() -> None:
    """6.1.2: the list is documented (docs/security.md) and is the list in force."""
    doc = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = doc.split("<!-- context-words -->")[1].split("<!-- /context-words -->")[0]
    documented = set(re.findall(r"`([a-z]+)`", section))
    assert documented == set(CONTEXT_WORDS)
    validator = ContextWordsValidator()
    assert all(validator.own_letters(word + "2025!") == "" for word in CONTEXT_WORDS)


class BreachService:
    """A stand-in for the Pwned Passwords range API, served by the test."""

    def __init__(self, breached: str) -> None:
        digest = sha1(breached.encode()).hexdigest().upper()
        self.prefix, self.suffix = digest[:5], digest[5:]
        self.asked: list[tuple[str, str]] = []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                service.asked.append((self.path, self.headers.get("Add-Padding", "")))
                lines = ["0" * 35 + ":0"]  # padding
                if self.path.endswith(service.prefix):
                    lines.append(f"{service.suffix}:1234")
                body = "\r\n".join(lines).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/range/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def breach_service() -> Iterator[BreachService]:
    service = BreachService("zonnebloem-aan-de-leie-42")
    with override_settings(BREACHED_PASSWORDS_URL=service.url):
        yield service
    service.server.shutdown()


def test_breached_passwords_are_refused_without_sending_the_password(
    client: Client, breach_service: BreachService
) -> None:
    """6.2.12: a range query (k-anonymity): only five characters of the SHA-1 leave the server."""
    assert not sign_up(client, "zonnebloem-aan-de-leie-42")
    assert sign_up(client, "zonnebloem-aan-de-schelde-43")
    assert breach_service.asked, "the breach service was asked"
    for path, padding in breach_service.asked:
        assert re.fullmatch(r"/range/[0-9A-F]{5}", path) and padding == "true"


@override_settings(BREACHED_PASSWORDS_URL="http://127.0.0.1:9/range/")
def test_an_unreachable_breach_service_does_not_stop_sign_up(client: Client) -> None:
    assert sign_up(client, "zonnebloem-aan-de-leie-42")


def test_changing_the_password_needs_the_current_one(client_as: Callable[[str], Client]) -> None:
    """6.2.2 and 6.2.3."""
    client = client_as("resident")
    user = get_user_model().objects.get(username=account("resident").email)
    page = client.get("/nl/accounts/password/change/")
    assert page.status_code == 200 and 'name="oldpassword"' in page.content.decode()
    new = "een-nieuw-wachtwoord-voor-de-zomer"
    client.post("/nl/accounts/password/change/", {"oldpassword": "niet-het-oude", "password1": new, "password2": new})
    user.refresh_from_db()
    assert not user.check_password(new)
    client.post(
        "/nl/accounts/password/change/",
        {"oldpassword": demo_password(account("resident")), "password1": new, "password2": new},
    )
    user.refresh_from_db()
    assert user.check_password(new)


PASSWORD_PAGES = ["/nl/accounts/login/", SIGNUP, "/nl/accounts/password/change/", "/nl/accounts/reauthenticate/"]


@pytest.mark.parametrize("url", PASSWORD_PAGES)
def test_password_fields_are_masked_and_open_to_password_managers(client_as: Callable[[str], Client], url: str) -> None:
    """6.2.6 (type=password) and 6.2.7 (paste and password managers allowed)."""
    client = client_as("anonymous" if url in PASSWORD_PAGES[:2] else "resident")
    html = client.get(url).content.decode()
    fields = re.findall(r"<input[^>]*name=\"(?:old)?password\d?\"[^>]*>", html)
    assert fields, f"no password field on {url}"
    for field in fields:
        assert 'type="password"' in field
        assert 'autocomplete="off"' not in field
        assert re.search(r'autocomplete="(current|new)-password"', field)
    assert not re.search(r"on(paste|copy|drop)=", html)


def test_passwords_do_not_expire(demo_city: None) -> None:
    """6.2.10: no periodic rotation: a password set years ago still signs in, with no demand to change it."""
    user = get_user_model().objects.get(username=account("resident").email)
    years_ago = timezone.now() - timedelta(days=3 * 365)
    get_user_model().objects.filter(pk=user.pk).update(date_joined=years_ago, last_login=years_ago)
    client = Client()
    response = client.post("/nl/accounts/login/", {"login": user.email, "password": demo_password(account("resident"))})
    assert signed_in(client) and "password" not in response["Location"]


# --- V6.3 general authentication security -------------------------------------------------------------


def test_a_password_lock_out_does_not_lock_the_person_out(
    demo_city: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """6.1.1: someone hammering a resident's password cannot keep the resident out: a one-time code still works."""
    resident = account("resident")
    for _ in range(6):
        Client().post("/nl/accounts/login/", {"login": resident.email, "password": "fout-wachtwoord-123"})
    assert not signed_in(log_in(resident.email, demo_password(resident))), "the password is locked for now"
    monkeypatch.setattr("apps.people.adapter.AccountAdapter.generate_login_code", lambda self: "K7Q2MX")
    client.post("/nl/accounts/login/code/", {"email": resident.email})
    client.post("/nl/accounts/login/code/confirm/", {"code": "K7Q2MX"})
    assert signed_in(client)


def test_a_new_installation_has_no_accounts() -> None:
    """6.3.2: no default accounts (the demo accounts exist only where COP_ALLOW_DEMO says so)."""
    assert get_user_model().objects.count() == 0


def test_the_admin_has_no_login_form_of_its_own(demo_city: None, client: Client) -> None:
    """6.3.4: the Django admin's own login (no throttle, no second factor) is not a way in."""
    response = client.get("/nl/admin/login/?next=/nl/admin/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    admin = account("administrator")
    client.post("/nl/admin/login/", {"username": admin.email, "password": demo_password(admin)})
    assert not signed_in(client)


def test_an_sms_code_does_not_skip_a_staff_members_second_factor(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], texts: list[tuple[str, str]]
) -> None:
    """6.3.3 and 6.3.4: phone sign-up with a staff member's number leads to the authenticator code, not in."""
    client = Client()
    code = phone_code(client, person_of("coordinator").phone, texts)
    response = client.post("/nl/signup/phone/code/", {"code": code})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert not signed_in(client)
    client.post(response["Location"], {"code": demo_totp_code(account("coordinator"))})
    assert signed_in(client)


def test_an_email_code_does_not_skip_a_staff_members_second_factor(
    demo_city: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """6.3.4: login by email code goes through the same stages."""
    monkeypatch.setattr("apps.people.adapter.AccountAdapter.generate_login_code", lambda self: "K7Q2MX")
    client.post("/nl/accounts/login/code/", {"email": account("coordinator").email})
    response = client.post("/nl/accounts/login/code/confirm/", {"code": "K7Q2MX"})
    assert response.status_code == 302 and "/accounts/2fa/authenticate/" in response["Location"]
    assert not signed_in(client)


# --- V6.4 factor lifecycle and recovery ----------------------------------------------------------------


def test_accounts_made_with_a_phone_have_no_password_to_guess(client: Client, texts: list[tuple[str, str]]) -> None:
    """6.4.1: no system-generated initial password: a phone-only account has none at all."""
    code = phone_code(client, "0470 12 34 56", texts)
    client.post("/nl/signup/phone/code/", {"code": code})
    person = Person.objects.get(phone="+32470123456")
    assert signed_in(client) and not person.user.has_usable_password()  # type: ignore[union-attr]


def test_email_confirmation_links_expire(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """6.4.1: the activation link stops working after its lifetime."""
    sign_up(client, "lang-genoeg-wachtwoord")
    link = re.search(r"http://testserver(/\S+/accounts/confirm-email/\S+/)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 4 * 24 * 3600)
    client.post(link)
    assert not EmailAddress.objects.filter(email="lotte@example.org", verified=True).exists()


def test_sign_up_asks_no_secret_questions(client: Client) -> None:
    """6.4.2: no hints or knowledge-based questions."""
    html = client.get(SIGNUP).content.decode()
    names = set(re.findall(r'<input[^>]*name="([^"]+)"', html)) - {"csrfmiddlewaretoken", "next", "language"}
    assert names <= {"email", "phone", "password1", "password2"}


def test_a_password_reset_neither_signs_in_nor_skips_the_second_factor(demo_city: None, client: Client) -> None:
    """6.4.3, and the reset link works once (6.4.1)."""
    coordinator = account("coordinator")
    client.post("/nl/accounts/password/reset/", {"email": coordinator.email})
    link = re.search(r"http://testserver(/\S+/accounts/password/reset/key/\S+/)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    form = client.get(link)
    form_url = form["Location"] if form.status_code == 302 else link
    new = "een-nieuw-wachtwoord-na-de-vakantie"
    client.post(form_url, {"password1": new, "password2": new})
    assert not signed_in(client), "a reset does not sign in"
    assert get_user_model().objects.get(username=coordinator.email).check_password(new)
    again = Client().get(link, follow=True).content.decode()
    assert 'name="password1"' not in again, "the link works once"
    response = Client().post("/nl/accounts/login/", {"login": coordinator.email, "password": new})
    assert "/accounts/2fa/authenticate/" in response["Location"], "the second factor is still asked"


def test_a_recovery_code_replaces_a_lost_authenticator_once(demo_city: None) -> None:
    """6.4.4 (with the documented procedure) and 6.5.1: each recovery code works one time."""
    coordinator = account("coordinator")
    user = get_user_model().objects.get(username=coordinator.email)
    code = recovery.issue(user)[0]
    first = Client()
    step = first.post("/nl/accounts/login/", {"login": coordinator.email, "password": demo_password(coordinator)})
    first.post(step["Location"], {"code": code})
    assert signed_in(first)
    second = Client()
    step = second.post("/nl/accounts/login/", {"login": coordinator.email, "password": demo_password(coordinator)})
    second.post(step["Location"], {"code": code})
    assert not signed_in(second)


# --- V6.5 one-time codes ----------------------------------------------------------------------------------


def test_an_authenticator_code_works_once(demo_city: None) -> None:
    """6.5.1: a TOTP code cannot be replayed, not even within its 30 seconds."""
    coordinator = account("coordinator")
    if time.time() % 30 > 15:  # the code of this half minute must still hold when the first sign-in, on a busy
        time.sleep(30 - time.time() % 30 + 0.1)  # machine seconds later, checks it
    code = demo_totp_code(coordinator)
    results = []
    for _ in range(2):
        client = Client()
        step = client.post("/nl/accounts/login/", {"login": coordinator.email, "password": demo_password(coordinator)})
        client.post(step["Location"], {"code": code})
        results.append(signed_in(client))
    assert results == [True, False]


def test_sms_codes_work_once(client: Client, texts: list[tuple[str, str]]) -> None:
    """6.5.1 for our own SMS codes."""
    code = phone_code(client, "0470 12 34 56", texts)
    client.post("/nl/signup/phone/code/", {"code": code})
    client.post("/nl/accounts/logout/")
    again = client.post("/nl/signup/phone/code/", {"code": code})
    assert again.status_code == 302 and again["Location"].endswith("/signup/phone/")
    assert not signed_in(client)


def test_codes_come_from_the_operating_systems_random_source(
    client: Client, texts: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """6.5.3: SMS codes from ``secrets``; allauth's codes from Django's get_random_string (``secrets`` too)."""
    import django.utils.crypto

    monkeypatch.setattr("apps.people.phone_signup.secrets.randbelow", lambda n: 424242)
    assert phone_code(client, "0470 12 34 56", texts) == "424242"
    drawn: list[str] = []

    def choice(chars: str) -> str:
        drawn.append(chars)
        return chars[0]

    monkeypatch.setattr(django.utils.crypto.secrets, "choice", choice)
    from allauth.account.adapter import get_adapter

    get_adapter().generate_login_code()
    assert drawn, "allauth's login codes are drawn with secrets.choice"
    from allauth.mfa.totp.internal import auth

    assert auth.generate_totp_secret.__code__.co_names.count("secrets")


def test_codes_have_at_least_20_bits(client: Client, texts: list[tuple[str, str]]) -> None:
    """6.5.4: six random digits (19.9 bits, the amount ASVS names as enough); recovery codes 60 secret bits."""
    assert re.fullmatch(r"\d{6}", phone_code(client, "0470 12 34 56", texts))
    assert settings.ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT["length"] >= 6
    from allauth.mfa import app_settings

    assert app_settings.TOTP_DIGITS >= 6
    assert recovery.SECRET_LENGTH * 5 >= 60, "twelve characters of a 32-letter alphabet"


def test_code_lifetimes_are_ten_minutes_and_thirty_seconds(
    demo_city: None, client: Client, texts: list[tuple[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """6.5.5: out-of-band codes live 10 minutes at most; an authenticator code from the previous 30 s is refused."""
    from allauth.mfa import app_settings

    assert settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT <= 600 and settings.ACCOUNT_PHONE_VERIFICATION_TIMEOUT <= 600
    assert app_settings.TOTP_PERIOD == 30 and app_settings.TOTP_TOLERANCE == 0
    code = phone_code(client, "0470 12 34 56", texts)
    assert "10" in texts[-1][1], "the message says how long the code is valid"
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 10 * 60 + 5)
    client.post("/nl/signup/phone/code/", {"code": code})
    assert not signed_in(client)
    monkeypatch.setattr(time, "time", real)
    coordinator = account("coordinator")
    old = format_hotp_value(hotp_value(demo_totp_secret(coordinator), int(real()) // 30 - 1))
    staff = Client()
    step = staff.post("/nl/accounts/login/", {"login": coordinator.email, "password": demo_password(coordinator)})
    staff.post(step["Location"], {"code": old})
    assert not signed_in(staff)


# --- V6.6 out-of-band (SMS) ---------------------------------------------------------------------------


def test_sms_codes_go_only_to_numbers_confirmed_before(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], texts: list[tuple[str, str]]
) -> None:
    """6.6.1: a number nobody confirmed with a code does not lead to an account."""
    resident = person_of("resident")
    Person.objects.filter(pk=resident.pk).update(phone_verified=False)
    Client().post("/nl/accounts/login/code/", {"phone": resident.phone})
    assert texts and not CODE.search(texts[-1][1]), "no code: the number is not confirmed"


@pytest.mark.parametrize("url", ["/nl/signup/phone/", "/nl/accounts/login/code/"])
def test_pages_that_send_sms_codes_say_what_the_risk_is(client: Client, url: str) -> None:
    """6.6.1: information on the risk of SMS, and the stronger method (an authenticator app) is offered to all."""
    assert 'class="hint sms-risk"' in client.get(url).content.decode()


def test_the_stronger_factor_is_offered_to_residents(client_as: Callable[[str], Client]) -> None:
    html = client_as("resident").get("/nl/me/").content.decode()
    assert '/accounts/2fa/"' in html


def test_an_sms_code_belongs_to_the_request_it_was_sent_for(client: Client, texts: list[tuple[str, str]]) -> None:
    """6.6.2: a newer request voids the older code, and a code cannot be used from another browser."""
    first = phone_code(client, "0470 12 34 56", texts)
    second = phone_code(client, "0470 12 34 56", texts)
    if first != second:
        client.post("/nl/signup/phone/code/", {"code": first})
        assert not signed_in(client)
    elsewhere = Client()
    assert elsewhere.post("/nl/signup/phone/code/", {"code": second}).status_code == 302
    assert not signed_in(elsewhere)
    client.post("/nl/signup/phone/code/", {"code": second})
    assert signed_in(client)


@override_settings(ACCOUNT_RATE_LIMITS=RATE_LIMITS)
def test_sms_codes_are_rate_limited_per_number(client: Client, texts: list[tuple[str, str]]) -> None:
    """6.6.3: three tries per code (test_three_wrong_codes_end_the_attempt) and three codes per number per 15 min."""
    for _ in range(3):
        assert client.post("/nl/signup/phone/", {"phone": "0470 12 34 56"}).status_code == 302
    refused = client.post("/nl/signup/phone/", {"phone": "0470 12 34 56"})
    assert refused.status_code == 200 and len(texts) == 3


def test_users_have_no_authenticator_until_they_add_one(demo_city: None) -> None:
    """Sanity for the tests above: only the demo staff have an authenticator."""
    staff = {a.email for a in DEMO_ACCOUNTS if a.role.value in settings.STAFF_MFA_ROLES}
    assert set(Authenticator.objects.values_list("user__username", flat=True)) == staff


# --- beyond level 2 ----------------------------------------------------------------------------------


def test_changes_to_sign_in_details_are_told_to_the_person(
    client_as: Callable[[str], Client], texts: list[tuple[str, str]], client: Client
) -> None:
    """6.3.7 (level 3): an email after a password change; a text message for an account without email."""
    resident = client_as("resident")
    new = "een-nieuw-wachtwoord-voor-de-winter"
    old = demo_password(account("resident"))
    resident.post("/nl/accounts/password/change/", {"oldpassword": old, "password1": new, "password2": new})
    assert [m.to for m in mail.outbox] == [[account("resident").email]]
    code = phone_code(client, "0470 12 34 56", texts)
    client.post("/nl/signup/phone/code/", {"code": code})
    user = Person.objects.get(phone="+32470123456").user
    from apps.people.adapter import AccountAdapter

    AccountAdapter().send_notification_mail("account/email/password_set", user)
    assert texts[-1][0] == "+32470123456" and not CODE.search(texts[-1][1])


def test_sign_up_and_reset_do_not_tell_whether_an_account_exists(demo_city: None) -> None:
    """6.3.8 (level 3): the same answer for a known and an unknown email address."""
    known, unknown = account("resident").email, "niemand@example.org"
    answers = []
    for email in (known, unknown):
        signup = Client().post(
            SIGNUP, {"email": email, "password1": "lang-genoeg-wachtwoord", "password2": "lang-genoeg-wachtwoord"}
        )
        reset = Client().post("/nl/accounts/password/reset/", {"email": email})
        answers.append((signup.status_code, signup.get("Location"), reset.status_code, reset.get("Location")))
    assert answers[0] == answers[1]
