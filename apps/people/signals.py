"""Session hygiene around sign-in events (OWASP ASVS 5.0 V7.2.4, V7.4.2, V7.4.3; docs/security.md).

- signing in starts the clocks of the session limits (``middleware.py``);
- signing in again to confirm a sensitive change gets a new session key;
- a change of a sign-in factor (password, email address, phone number,
  authenticator, recovery codes) ends every *other* session of the account;
- an account that is disabled or deleted loses all its sessions at once.
"""

from __future__ import annotations

from typing import Any

from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _


def end_sessions(user_id: int, keep: str | None = None) -> int:
    """End the sessions of an account on the server, except ``keep``; returns how many ended."""
    ended = 0
    for session in UserSession.objects.filter(user_id=user_id).exclude(session_key=keep or ""):
        session.end()
        ended += 1
    return ended


def end_other_sessions(request: HttpRequest | None, user: Any) -> None:
    if user is None or getattr(user, "pk", None) is None:
        return
    session = getattr(request, "session", None)
    current = session.session_key if session is not None and getattr(request, "user", None) == user else None
    if end_sessions(user.pk, keep=current) and request is not None and current:
        messages.info(request, _("For your safety, you were signed out on your other devices."))


def on_signed_in(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    from .middleware import mark_signed_in

    if request is not None and hasattr(request, "session"):
        mark_signed_in(request.session)


def on_authentication_step(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """A re-authentication (password or authenticator code) gets a fresh session key, like a sign-in."""
    if request is not None and kwargs.get("reauthenticated") and hasattr(request, "session"):
        request.session.cycle_key()


def on_factor_changed(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    end_other_sessions(request, user)


def on_authenticator_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Recovery codes stand in for the authenticator app: without the app they go too (however it went)."""
    from . import recovery

    if instance.type == "totp":
        recovery.discard(instance.user_id)


def on_user_saved(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created and not instance.is_active:
        end_sessions(instance.pk)


def on_user_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    end_sessions(instance.pk)


def on_email_confirmed(
    sender: Any, request: HttpRequest | None = None, email_address: Any = None, **kwargs: Any
) -> None:
    """A confirmed address links the person a coordinator registered with it (never a typed, unconfirmed one)."""
    from .services import person_link_confirmed_email

    if email_address is None or email_address.user_id is None:
        return
    person_link_confirmed_email(user=email_address.user, email=email_address.email)
    if request is not None:
        request._actor = None  # type: ignore[attr-defined]  # the actor may now be another person


def connect() -> None:
    from allauth.account import signals as account
    from allauth.mfa import signals as mfa
    from django.contrib.auth import get_user_model
    from django.contrib.auth.signals import user_logged_in
    from django.db.models.signals import post_delete, post_save, pre_delete

    user_logged_in.connect(on_signed_in, dispatch_uid="cop_signed_in")
    account.authentication_step_completed.connect(on_authentication_step, dispatch_uid="cop_reauthenticated")
    account.email_confirmed.connect(on_email_confirmed, dispatch_uid="cop_email_confirmed")
    for signal in (
        account.password_changed,
        account.password_set,
        account.password_reset,
        account.email_changed,
        account.email_removed,
        mfa.authenticator_added,
        mfa.authenticator_removed,
        mfa.authenticator_reset,
    ):
        signal.connect(on_factor_changed, dispatch_uid=f"cop_factor_changed_{id(signal)}")
    from allauth.mfa.models import Authenticator

    post_delete.connect(on_authenticator_deleted, sender=Authenticator, dispatch_uid="cop_recovery_codes_discarded")
    user_model = get_user_model()
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="cop_user_disabled")
    pre_delete.connect(on_user_deleted, sender=user_model, dispatch_uid="cop_user_deleted")
