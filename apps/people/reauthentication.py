"""Full re-authentication before a change of sign-in details (ASVS 7.5.1) and before erasing a person.

allauth asks for *one* recent factor (the last re-authentication within five minutes) and,
for an account without a password or an authenticator, for none at all.  Here an account
gives *every* factor it has: the password and the authenticator code when it has both, in
two steps; an account that signs in only with its mobile number (or only through an outside
provider) confirms a code sent to its current number or, failing that, its email address.
allauth still decides *when* re-authentication is needed; our adapter only makes its test
stricter (``missing_factors``), and these views walk the person through the missing steps
before allauth resumes what they were doing.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ReauthenticationRequired
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Person

PASSWORD = "password"  # noqa: S105 (the name allauth records for a password step)
AUTHENTICATOR = "mfa"
CODE = "code"
STEP_URL_NAMES = {
    PASSWORD: "account_reauthenticate",
    AUTHENTICATOR: "mfa_reauthenticate",
    CODE: "people:reauthenticate_code",
}
METHOD_FACTORS = {"reauthenticate": PASSWORD, "mfa_reauthenticate": AUTHENTICATOR, CODE: CODE}


def code_channel(user: Any) -> tuple[str, str] | None:
    """Where a re-authentication code goes: the confirmed mobile number, else the confirmed email."""
    person = Person.objects.filter(user=user).only("phone", "phone_verified").first()
    if person is not None and person.phone and person.phone_verified:
        return "sms", person.phone
    address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary").first()
    return ("email", address.email) if address is not None else None


def factors_of(user: Any) -> list[str]:
    """Every factor the account signs in with, in the order they are asked."""
    factors = []
    if user.has_usable_password():
        factors.append(PASSWORD)
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        factors.append(AUTHENTICATOR)
    if not factors and code_channel(user) is not None:
        factors.append(CODE)
    return factors


def factors_given(request: HttpRequest) -> set[str]:
    """The factors given again in this session within the re-authentication timeout."""
    now = time.time()
    return {
        str(record["method"])
        for record in get_authentication_records(request, request.user)  # type: ignore[arg-type]
        if record.get("reauthenticated") and now - float(record["at"]) < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    }


def missing_factors(request: HttpRequest) -> list[str]:
    if not request.user.is_authenticated:
        return []
    given = factors_given(request)
    return [factor for factor in factors_of(request.user) if factor not in given]


def reauthenticated_recently(request: HttpRequest) -> bool:
    """Every factor of the account given again within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``: the test of a
    change of sign-in details, for any other irreversible act too (erasing a person), whatever
    ``ACCOUNT_REAUTHENTICATION_REQUIRED`` says.  The mark lives in the server-side session, set by the
    re-authentication pages, so the API (signed in with the same session) reads the same mark."""
    if not request.user.is_authenticated:
        return False
    return not missing_factors(request) and did_recently_reauthenticate(request)


def require_reauthentication(request: HttpRequest) -> None:
    """In a page's view, before an irreversible act: without a recent full re-authentication, raise allauth's
    ``ReauthenticationRequired``.  allauth's middleware then keeps the POST, sends the person through the
    missing steps (``reauthentication_views``) and replays the POST when the last one is given."""
    if not reauthenticated_recently(request):
        raise ReauthenticationRequired()


def first_step_url(request: HttpRequest) -> str:
    """Where the re-authentication starts for this account: its first missing factor (password, by default)."""
    missing = missing_factors(request)
    return reverse(STEP_URL_NAMES[missing[0]] if missing else STEP_URL_NAMES[PASSWORD])


def order_methods(request: HttpRequest | None, user: Any, methods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """allauth's list of ways to re-authenticate, plus ours, the first missing step first."""
    methods = [m for m in methods if m["id"] in METHOD_FACTORS]
    if CODE in factors_of(user):
        methods.append({"id": CODE, "description": _("Use a code we send you"), "url": reverse(STEP_URL_NAMES[CODE])})
    missing = missing_factors(request) if request is not None else []
    rank = {factor: index for index, factor in enumerate(missing)}
    return sorted(methods, key=lambda m: rank.get(METHOD_FACTORS[m["id"]], len(rank)))
