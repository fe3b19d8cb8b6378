"""OWASP ASVS 5.0 chapter V7 (session management), level 2: docs/security.md names each test."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.people.demo import DEMO_ACCOUNTS, demo_password
from apps.people.models import Person

pytestmark = pytest.mark.django_db


def account(role: str) -> Any:
    return next(a for a in DEMO_ACCOUNTS if a.role.value == role)


def user_of(role: str) -> Any:
    return get_user_model().objects.get(username=account(role).email)


def password_login(role: str = "resident") -> Client:
    client = Client()
    client.post("/nl/accounts/login/", {"login": account(role).email, "password": demo_password(account(role))})
    assert "_auth_user_id" in client.session
    return client


def cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def with_cookie(value: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = value
    return client


REAL_TIME = time.time


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The clock, ``seconds`` from now (each call counts from the real time)."""
    monkeypatch.setattr(time, "time", lambda: REAL_TIME() + seconds)


# --- V7.2 tokens ------------------------------------------------------------------------------------


def test_sessions_are_checked_on_the_server(demo_city: None) -> None:
    """7.2.1: the cookie is only a reference; a made-up or altered one is worth nothing."""
    client = password_login()
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert with_cookie(cookie(client)).get("/nl/me/").status_code == 200
    forged = cookie(client)[:-1] + ("a" if cookie(client)[-1] != "a" else "b")
    assert with_cookie(forged).get("/nl/me/").status_code == 302
    assert with_cookie("0" * 32).get("/api/v1/me").status_code == 401


def test_the_api_knows_no_static_keys(demo_city: None, client: Client) -> None:
    """7.2.2: only the session (a dynamic reference token) signs in to the API; no API keys or bearer tokens."""
    schemes = client.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"apiKey"}
    assert {scheme["in"] for scheme in schemes.values()} == {"cookie"}
    assert {scheme["name"] for scheme in schemes.values()} == {settings.SESSION_COOKIE_NAME}
    for header in ({"HTTP_AUTHORIZATION": "Bearer x"}, {"HTTP_X_API_KEY": settings.SECRET_KEY}):
        assert client.get("/api/v1/me", **header).status_code == 401


def test_session_keys_are_long_random_and_unique(demo_city: None) -> None:
    """7.2.3: 32 characters of [a-z0-9] from ``secrets`` (165 bits), never the same twice."""
    keys = {cookie(password_login()) for _ in range(5)}
    assert len(keys) == 5
    assert all(re.fullmatch(r"[a-z0-9]{32}", key) for key in keys)


def test_signing_in_gives_a_new_session_key(demo_city: None) -> None:
    """7.2.4: the key a visitor had before signing in (fixation) is dropped at sign-in."""
    from django.contrib.sessions.backends.db import SessionStore

    planted = SessionStore()
    planted["visited"] = True
    planted.save()
    client = with_cookie(planted.session_key)  # a key someone planted before the sign-in
    resident = account("resident")
    client.post("/nl/accounts/login/", {"login": resident.email, "password": demo_password(resident)})
    assert "_auth_user_id" in client.session
    assert cookie(client) != planted.session_key
    assert with_cookie(planted.session_key).get("/nl/me/").status_code == 302


def test_signing_in_again_gives_a_new_session_key(demo_city: None) -> None:
    """7.2.4 "including re-authentication": confirming the password before a sensitive change rotates the key."""
    client = password_login()
    before = cookie(client)
    client.post("/nl/accounts/reauthenticate/", {"password": demo_password(account("resident"))})
    assert cookie(client) != before
    assert with_cookie(before).get("/nl/me/").status_code == 302
    assert client.get("/nl/me/").status_code == 200


def session_cookie_set_by(response: Any) -> Any:
    """The ``Set-Cookie`` of the session cookie in this answer (a new key is set at sign-in)."""
    assert settings.SESSION_COOKIE_NAME in response.cookies, "the sign-in sets a new session cookie"
    return response.cookies[settings.SESSION_COOKIE_NAME]


@pytest.mark.parametrize("remember", [None, "on"])
def test_no_session_cookie_outlives_the_browser_with_or_without_remember_me(
    demo_city: None, remember: str | None
) -> None:
    """Issue 12, item 6: "remember me" kept the cookie 12 hours after the browser closed, so the next person
    at a library's computer was still signed in as the resident.  There is no such box, and a ``remember``
    sent anyway (an old form, a script) changes nothing: the cookie has no Max-Age and no Expires."""
    client = Client()
    form = client.get("/nl/accounts/login/").content.decode()
    assert 'name="remember"' not in form
    resident = account("resident")
    data = {"login": resident.email, "password": demo_password(resident)}
    if remember:
        data["remember"] = remember
    response = client.post("/nl/accounts/login/", data)
    assert "_auth_user_id" in client.session
    set_cookie = session_cookie_set_by(response)
    assert (set_cookie["max-age"], set_cookie["expires"]) == ("", ""), set_cookie.OutputString()
    assert client.session.get_expire_at_browser_close()


def test_staff_session_cookies_end_with_the_browser_too(demo_city: None) -> None:
    """The same for a coordinator, whose cookie is set after the second step (the authenticator code)."""
    from apps.people.demo import demo_totp_code

    coordinator = account("coordinator")
    client = Client()
    step = client.post(
        "/nl/accounts/login/", {"login": coordinator.email, "password": demo_password(coordinator), "remember": "on"}
    )
    response = client.post(step["Location"], {"code": demo_totp_code(coordinator)})
    assert "_auth_user_id" in client.session
    set_cookie = session_cookie_set_by(response)
    assert (set_cookie["max-age"], set_cookie["expires"]) == ("", ""), set_cookie.OutputString()


# --- V7.3 timeouts ----------------------------------------------------------------------------------


def test_residents_sessions_end_after_an_hour_idle(demo_city: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """7.3.1 for everyone (staff: 30 minutes, test_staff_sessions_end_after_30_minutes_idle)."""
    client = password_login()
    later(monkeypatch, 55 * 60)
    assert client.get("/nl/me/").status_code == 200, "55 minutes idle is fine"
    later(monkeypatch, 55 * 60 + 61 * 60)
    response = client.get("/nl/me/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_where_one_is_signed_in_is_brought_up_to_date_once_a_minute(
    demo_city: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list of one's sessions says when each was last used, without a write on every page."""
    client = password_login()
    assert client.get("/nl/me/").status_code == 200
    seen = UserSession.objects.get(session_key=cookie(client)).last_seen_at
    later(monkeypatch, 30)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/nl/me/").status_code == 200
    assert UserSession.objects.get(session_key=cookie(client)).last_seen_at == seen
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    later(monkeypatch, 90)
    assert client.get("/nl/me/").status_code == 200
    assert UserSession.objects.get(session_key=cookie(client)).last_seen_at > seen


def test_residents_sessions_end_12_hours_after_signing_in(demo_city: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """7.3.2 for everyone, however active (staff: test_staff_sessions_end_after_12_hours)."""
    client = password_login()
    for minutes in range(0, 12 * 60, 50):
        later(monkeypatch, minutes * 60)
        assert client.get("/nl/me/").status_code == 200
    later(monkeypatch, 12 * 3600 + 60)
    assert client.get("/nl/me/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


# --- V7.4 termination -------------------------------------------------------------------------------


def test_logging_out_ends_the_session_on_the_server(demo_city: None) -> None:
    """7.4.1: after logout, a copy of the old cookie no longer works."""
    client = password_login()
    old = cookie(client)
    client.post("/nl/accounts/logout/")
    assert not Session.objects.filter(session_key=old).exists()
    assert with_cookie(old).get("/nl/me/").status_code == 302


def test_an_expired_session_is_ended_on_the_server(demo_city: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """7.4.1 on expiry: the idle limit flushes the session, not only the browser's view of it."""
    client = password_login()
    old = cookie(client)
    later(monkeypatch, 2 * 3600)
    client.get("/nl/me/")
    assert not Session.objects.filter(session_key=old).exists()


def test_disabling_an_account_ends_all_its_sessions(demo_city: None) -> None:
    """7.4.2: disabled (someone leaves) or deleted (erasure): every session ends at once."""
    phone, laptop = password_login(), password_login()
    user = user_of("resident")
    user.is_active = False
    user.save()
    assert not UserSession.objects.filter(user=user).exists()
    assert not Session.objects.filter(session_key__in=[cookie(phone), cookie(laptop)]).exists()
    assert phone.get("/nl/me/").status_code == 302


def test_erasing_an_account_ends_all_its_sessions(demo_city: None) -> None:
    client = password_login()
    client.post("/nl/accounts/reauthenticate/", {"password": demo_password(account("resident"))})
    old = cookie(client)  # the key as it is after re-authenticating (which gives a new one)
    client.post("/nl/me/data/", {"confirm": "on"})
    assert not Session.objects.filter(session_key=old).exists()
    assert with_cookie(old).get("/nl/me/").status_code == 302


def test_changing_the_password_ends_the_other_sessions(demo_city: None) -> None:
    """7.4.3: after a change of a sign-in factor the other sessions end (always, not only as an option)."""
    other, client = password_login(), password_login()
    new = "een-nieuw-wachtwoord-voor-de-herfst"
    client.post(
        "/nl/accounts/password/change/",
        {"oldpassword": demo_password(account("resident")), "password1": new, "password2": new},
    )
    assert other.get("/nl/me/").status_code == 302
    assert not Session.objects.filter(session_key=cookie(other)).exists()


def test_every_factor_change_ends_the_other_sessions() -> None:
    """7.4.3: the same for email address, phone number, authenticator and recovery codes (signal wiring)."""
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals

    from apps.people import signals

    for signal in (
        account_signals.password_changed,
        account_signals.password_set,
        account_signals.password_reset,
        account_signals.email_changed,
        account_signals.email_removed,
        mfa_signals.authenticator_added,
        mfa_signals.authenticator_removed,
        mfa_signals.authenticator_reset,
    ):
        receivers = [entry[1]() for entry in signal.receivers]
        assert signals.on_factor_changed in receivers


def test_a_new_phone_number_ends_the_other_sessions_and_tells_the_old_number(
    demo_city: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr("apps.people.adapter.send_sms", lambda *, to, text: sent.append((to, text)))
    other = password_login()
    old = Person.objects.get(user=user_of("resident")).phone
    from apps.people.adapter import AccountAdapter

    AccountAdapter().set_phone(user_of("resident"), "+32470998877", True)
    assert other.get("/nl/me/").status_code == 302
    assert sent and sent[0][0] == old


SIGNED_IN_PAGES = [
    "/nl/me/",
    "/nl/me/roles/",
    "/nl/me/consents/",
    "/nl/me/reads/",
    "/nl/me/data/",
    "/nl/accounts/email/",
    "/nl/accounts/password/change/",
    "/nl/accounts/2fa/",
    "/nl/accounts/sessions/",
    "/nl/accounts/phone/change/",
]


def test_every_signed_in_page_has_a_visible_logout(client_as: Callable[[str], Client]) -> None:
    """7.4.4."""
    client = client_as("resident")
    for url in SIGNED_IN_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert re.search(r'<form method="post" action="/nl/accounts/logout/"', response.content.decode()), url


def test_administrators_end_the_sessions_of_one_account_or_of_all(client_as: Callable[[str], Client]) -> None:
    """7.4.5: the admin action on accounts ends sessions on the server (select all accounts for everyone)."""
    resident, helper = password_login("resident"), password_login("helper")
    admin = client_as("administrator")
    users = get_user_model().objects.filter(username__in=[account("resident").email, account("helper").email])
    response = admin.post(
        "/nl/admin/auth/user/",
        {"action": "end_sessions_of_accounts", "_selected_action": [str(u.pk) for u in users]},
    )
    assert response.status_code == 302
    assert resident.get("/nl/me/").status_code == 302 and helper.get("/nl/me/").status_code == 302
    assert admin.get("/nl/admin/").status_code == 200, "the administrator's own session is untouched"


def test_deleting_a_session_in_the_admin_ends_it(client_as: Callable[[str], Client]) -> None:
    resident = password_login("resident")
    admin = client_as("administrator")
    row = UserSession.objects.get(session_key=cookie(resident))
    admin.post(f"/nl/admin/usersessions/usersession/{row.pk}/delete/", {"post": "yes"})
    assert resident.get("/nl/me/").status_code == 302


# --- V7.5 re-authentication and session overview ------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/nl/accounts/email/", {"action_add": "", "email": "nieuw@example.org"}),
        ("/nl/accounts/phone/change/", {"phone": "+32470998877"}),
        ("/nl/accounts/2fa/totp/activate/", {"code": "123456"}),
    ],
)
def test_changing_sign_in_details_needs_a_fresh_sign_in(
    client_as: Callable[[str], Client], url: str, data: dict[str, str]
) -> None:
    """7.5.1: email address, phone number and second factor."""
    client = client_as("resident")
    response = client.post(url, data)
    assert response.status_code == 302 and "reauthenticate" in response["Location"], url
    assert not get_user_model().objects.filter(emailaddress__email="nieuw@example.org").exists()
    assert Person.objects.get(user=user_of("resident")).phone != "+32470998877"


def test_the_phone_number_one_signs_in_with_cannot_be_changed_on_the_profile(
    client_as: Callable[[str], Client],
) -> None:
    """7.5.1: neither the profile form nor the API change the confirmed number (that goes through the account)."""
    client = client_as("resident")
    person = Person.objects.get(user=user_of("resident"))
    api = client.patch("/api/v1/me", {"phone": "0470 99 88 77"}, content_type="application/json")
    assert api.status_code == 422
    page = client.get("/nl/me/").content.decode()
    assert "/accounts/phone/change/" in page
    person.refresh_from_db()
    assert person.phone != "+32470998877" and person.phone_verified


def test_where_you_are_signed_in_shows_this_device_first(demo_city: None) -> None:
    """With 47 sessions in the demo, "Dit toestel" was the 47th card, at the bottom of a long page: the one a
    resident looks for comes first, then the others from the newest."""
    for _ in range(3):
        password_login()
    client = password_login()
    html = client.get("/nl/accounts/sessions/").content.decode()
    cards = re.findall(r"<li[^>]*>.*?</li>", html[html.index("<main") :], re.S)
    assert len(cards) >= 4
    assert "Dit toestel" in cards[0]
    assert all("Dit toestel" not in card for card in cards[1:])
