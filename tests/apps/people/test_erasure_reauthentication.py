"""Issue 12, item 6: erasing a person is irreversible, so it asks for a fresh re-authentication first.

The attack: someone at a computer where a resident (or a coordinator) is still signed in, a library's or a
neighbourhood centre's, ticks one box and erases the resident for good.  Now the page and the API ask for
every factor of the account again within five minutes, by the same mechanism as a change of sign-in
details (``apps/people/reauthentication.py``): the password, and the authenticator code when the account
has one; an account with neither confirms a code sent to its number.  The page keeps the request and
carries it out once the last step is given; the API answers 403 until the session has the mark.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from apps.people.demo import DEMO_ACCOUNTS, demo_password, demo_totp_code
from apps.people.models import Person

pytestmark = pytest.mark.django_db

SIX_DIGITS = re.compile(r"\b(\d{6})\b")
REAL_TIME = time.time


def account(role: str) -> Any:
    return next(a for a in DEMO_ACCOUNTS if a.role.value == role)


def confirm_it_is_me(client: Client, role: str) -> None:
    """Every factor of a demo account again, as the re-authentication pages ask them."""
    client.post("/nl/accounts/reauthenticate/", {"password": demo_password(account(role))})
    if role in {"coordinator", "auditor", "administrator"}:
        client.post("/nl/accounts/2fa/reauthenticate/", {"code": demo_totp_code(account(role))})


def erased(person: Person) -> bool:
    person.refresh_from_db()
    return person.erased_at is not None


def api_erase(client: Client, url: str) -> Any:
    return client.post(url, json.dumps({"confirm": True}), content_type="application/json")


# --- the pages ------------------------------------------------------------------------------------


def test_erasing_myself_asks_for_my_password_first_and_then_erases(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    me, client = person_of("resident"), client_as("resident")
    asked = client.post("/nl/me/data/", {"confirm": "on"})
    assert asked.status_code == 302 and asked["Location"].startswith("/nl/accounts/reauthenticate/")
    assert not erased(me), "a tick alone erases nothing"
    wrong = client.post(asked["Location"], {"password": "not-my-password-at-all"})
    assert wrong.status_code == 200 and not erased(me)
    done = client.post(asked["Location"], {"password": demo_password(account("resident"))})
    assert done.status_code == 302, "the kept request is carried out once it is confirmed"
    assert erased(me) and me.user is None
    assert client.get("/nl/me/").status_code == 302, "and the account is signed out"


def test_a_coordinator_gives_password_and_authenticator_code_before_erasing_a_resident(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident, client = resident_in_coordinators_district, client_as("coordinator")
    url = f"/nl/persons/{resident.pk}/erase/"
    page = client.get(url).content.decode()
    assert "wachtwoord" in page and "authenticator" in page, "the page says what will be asked"
    asked = client.post(url, {"confirm": "on"})
    assert asked.status_code == 302 and "/accounts/reauthenticate/" in asked["Location"]
    half = client.post(asked["Location"], {"password": demo_password(account("coordinator"))})
    assert half.status_code == 302 and "/accounts/2fa/reauthenticate/" in half["Location"]
    assert not erased(resident), "the password alone is half of it"
    done = client.post(half["Location"], {"code": demo_totp_code(account("coordinator"))})
    assert done.status_code == 302 and done["Location"] == "/nl/persons/"
    assert erased(resident)


def test_a_phone_only_resident_confirms_a_code_sent_to_their_number_before_erasing(
    texts: list[tuple[str, str]],
) -> None:
    client = Client()
    client.post("/nl/signup/phone/", {"phone": "0470 12 34 56"})
    client.post("/nl/signup/phone/code/", {"code": SIX_DIGITS.search(texts[-1][1]).group(1)})  # type: ignore[union-attr]
    me = Person.objects.get(phone="+32470123456")
    asked = client.post("/nl/me/data/", {"confirm": "on"})
    assert asked.status_code == 302 and "/accounts/reauthenticate/code/" in asked["Location"]
    assert not erased(me)
    client.post(asked["Location"], {"send": "1"})
    assert texts[-1][0] == "+32470123456"
    code = SIX_DIGITS.search(texts[-1][1]).group(1)  # type: ignore[union-attr]
    wrong = "000000" if code != "000000" else "111111"
    client.post(asked["Location"], {"code": wrong})
    assert not erased(me)
    client.post(asked["Location"], {"code": code})
    assert erased(me)


# --- the API --------------------------------------------------------------------------------------


def test_the_api_erases_only_in_a_session_that_confirmed_it_is_me(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person]
) -> None:
    me, client = person_of("resident"), client_as("resident")
    refused = api_erase(client, "/api/v1/me/erase")
    assert refused.status_code == 403 and refused["Content-Type"].startswith("application/json")
    assert "/accounts/reauthenticate/" in refused.json()["detail"] and not erased(me)
    confirm_it_is_me(client, "resident")
    assert api_erase(client, "/api/v1/me/erase").status_code == 204
    assert erased(me)


def test_the_api_erases_on_behalf_only_after_both_factors_of_the_coordinator(
    client_as: Callable[[str], Client], resident_in_coordinators_district: Person
) -> None:
    resident, client = resident_in_coordinators_district, client_as("coordinator")
    url = f"/api/v1/persons/{resident.pk}/erase"
    assert api_erase(client, url).status_code == 403
    client.post("/nl/accounts/reauthenticate/", {"password": demo_password(account("coordinator"))})
    half = api_erase(client, url)
    assert half.status_code == 403 and "/accounts/2fa/reauthenticate/" in half.json()["detail"]
    assert not erased(resident)
    cache.clear()  # allauth refuses a code used before within its 30 seconds: an earlier test may have used it
    client.post("/nl/accounts/2fa/reauthenticate/", {"code": demo_totp_code(account("coordinator"))})
    assert api_erase(client, url).status_code == 204
    assert erased(resident)


def test_a_confirmation_older_than_five_minutes_no_longer_erases(
    client_as: Callable[[str], Client], person_of: Callable[[str], Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    me, client = person_of("resident"), client_as("resident")
    confirm_it_is_me(client, "resident")
    monkeypatch.setattr(time, "time", lambda: REAL_TIME() + 5 * 60 + 5)
    assert api_erase(client, "/api/v1/me/erase").status_code == 403
    asked = client.post("/nl/me/data/", {"confirm": "on"})
    assert asked.status_code == 302 and "/accounts/reauthenticate/" in asked["Location"]
    assert not erased(me)
