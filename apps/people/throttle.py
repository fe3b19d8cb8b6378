"""Who is knocking: the client's address behind the city's proxies, and the account a sign-in attempt is for.

Both are keys of allauth's throttles (``ACCOUNT_RATE_LIMITS``): ``login_failed`` counts failed passwords per
address and per account.  Read by ``apps.people.adapter.AccountAdapter``.

**The address.**  Behind a reverse proxy every request comes from the proxy, so a limit per address would
lock the whole city out at once.  ``ALLAUTH_TRUSTED_PROXY_COUNT`` (environment ``COP_TRUSTED_PROXY_COUNT``)
says how many proxies of the city's own stand in front.  Each appends the address it was reached from to
``X-Forwarded-For``; the entries on the right are therefore written by proxies we trust, and the one
``count`` places from the right is the client as our outermost proxy saw it.  Anything further left came
from the client and may be made up: it is never read.  With a count of 0 the header is ignored entirely
(spoofing it would otherwise escape the limits).  ``ALLAUTH_TRUSTED_CLIENT_IP_HEADER`` names a header the
proxy always overwrites instead (nginx ``X-Real-IP``).  A value that is not an address falls back to the
connection's own address, never to an error page.

**The account.**  allauth counts failed passwords per identifier as typed: an account reached by email and
by mobile number (and by each way of writing the number) got five tries for each.  They are counted per
account instead; an identifier that belongs to no account is counted as itself (normalised), so
unknown and known identifiers are throttled alike.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from allauth import app_settings as allauth_settings
from allauth.account.internal.userkit import filter_users_by_email
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from .phones import normalise_phone


def _address(value: str | None) -> str | None:
    """``value`` as a normalised IP address (a port or IPv6 brackets taken off), or None."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:51234
        value = value.partition(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the city's outermost trusted proxy saw it (see the module docstring)."""
    own = _address(request.META.get("REMOTE_ADDR"))
    header = allauth_settings.TRUSTED_CLIENT_IP_HEADER
    if header:
        return _address(request.headers.get(header)) or own
    count = max(0, int(allauth_settings.TRUSTED_PROXY_COUNT or 0))
    forwarded = request.headers.get("x-forwarded-for", "")
    if count == 0 or not forwarded.strip():
        return own
    entries = [entry.strip() for entry in forwarded.split(",")]
    # fewer entries than proxies: the request came in past the outer ones, the first entry is the client
    chosen = entries[-count] if len(entries) >= count else entries[0]
    return _address(chosen) or own


def login_attempts_key(credentials: dict[str, Any]) -> str | None:
    """``user:<id>`` for the account the identifier reaches, else the identifier itself (normalised).

    None when the credentials hold neither an email address nor a mobile number (allauth's own key then).
    """
    from .adapter import AccountAdapter  # the adapter imports this module

    email = str(credentials.get("email") or "").strip().lower()
    if email:
        users = filter_users_by_email(email, prefer_verified=True)
        return f"user:{users[0].pk}" if users else f"email:{email}"
    phone = str(credentials.get("phone") or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValidationError:
            return f"phone:{phone}"
        user = AccountAdapter().get_user_by_phone(phone)
        return f"user:{user.pk}" if user is not None else f"phone:{phone}"
    return None
