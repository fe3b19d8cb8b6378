"""Failed sign-ins, written down as they happen (``SecurityEvent``) for the auditor's activity view.

allauth counts failures only in its rate-limit cache, which forgets them after minutes: a slow attack
spread over a day, or over many addresses, would leave no trace.  Here every way in reports a failure:

* a wrong password (sign-in and re-authentication): Django's ``user_login_failed``;
* a wrong login code sent by email or text message: allauth's ``login_code_rejected``;
* a wrong second factor (authenticator app or recovery code): allauth's ``mfa.signals.authentication_failed``;
* our own code steps (sign-up or sign-in with a mobile number, the code step of re-authentication) call
  :func:`apps.access.services.failed_login_record` themselves.

What is kept: the account the typed email address or number belongs to (nothing when it belongs to none,
so an unknown address cannot be told from a known one in the events), the way in, the time and a keyed
hash of the client's network.  Never the password or code, never the typed identifier.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from .models import SecurityEvent
from .services import failed_login_record


def account_for_credentials(credentials: dict[str, Any]) -> int | None:
    """The account a typed email address, username or mobile number belongs to, if any."""
    from allauth.account.adapter import get_adapter
    from allauth.account.utils import filter_users_by_email

    email = credentials.get("email")
    if isinstance(email, str) and email:
        users = filter_users_by_email(email)
        if users:
            return int(users[0].pk)
    username = credentials.get("username")
    if isinstance(username, str) and username:
        user_id = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
        if user_id is not None:
            return int(user_id)
    phone = credentials.get("phone")
    if isinstance(phone, str) and phone:
        try:
            user = get_adapter().get_user_by_phone(phone)
        except Exception:  # a number that does not parse belongs to no account
            user = None
        if user is not None:
            return int(user.pk)
    return None


def on_user_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    failed_login_record(
        request=request, user_id=account_for_credentials(credentials), method=SecurityEvent.Method.PASSWORD
    )


def on_login_code_rejected(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    failed_login_record(request=request, user_id=getattr(user, "pk", None), method=SecurityEvent.Method.CODE)


def on_second_factor_failed(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    failed_login_record(request=request, user_id=getattr(user, "pk", None), method=SecurityEvent.Method.SECOND_FACTOR)


def connect() -> None:
    """Called once from ``AccessConfig.ready``."""
    from allauth.account.signals import login_code_rejected
    from allauth.mfa.signals import authentication_failed
    from django.contrib.auth.signals import user_login_failed

    user_login_failed.connect(on_user_login_failed, dispatch_uid="access.failed_login.password")
    login_code_rejected.connect(on_login_code_rejected, dispatch_uid="access.failed_login.code")
    authentication_failed.connect(on_second_factor_failed, dispatch_uid="access.failed_login.second_factor")


def failed_code_for_phone(request: HttpRequest | None, phone: str) -> None:
    """A wrong code typed for a mobile number (sign-up or sign-in by SMS): a failed sign-in of its account, if any."""
    failed_login_record(
        request=request, user_id=account_for_credentials({"phone": phone}), method=SecurityEvent.Method.CODE
    )
