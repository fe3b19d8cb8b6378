"""Session limits (OWASP ASVS 5.0 V7.3, docs/security.md).

Everyone: 12 hours after signing in the session ends, and after an hour
without any request.  Staff who can see care or wellbeing data: 30 minutes
idle, and a second factor before anything else.  Both times are kept in the
server-side session, so a client cannot stretch them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from apps.access.actors import actor_for

SIGNED_IN_AT = "cop_signed_in_at"
LAST_SEEN = "cop_last_seen"
LAST_SEEN_RESOLUTION = 60  # seconds: the session is written at most once a minute for this
LISTED_AS = "cop_listed_as"  # the session key under which the session was last put in allauth's list
ALWAYS_ALLOWED = ("/static/", "/i18n/", "/healthz", "/.well-known/")


def mark_signed_in(session: object) -> None:
    """Called when someone signs in: the clock of both limits starts now."""
    now = time.time()
    session[SIGNED_IN_AT] = now  # type: ignore[index]
    session[LAST_SEEN] = now  # type: ignore[index]


def session_limits(is_staff: bool) -> tuple[int, int]:
    """(idle, absolute) in seconds."""
    if is_staff:
        return settings.STAFF_IDLE_SECONDS, settings.STAFF_ABSOLUTE_SECONDS
    return settings.SESSION_IDLE_SECONDS, settings.SESSION_ABSOLUTE_SECONDS


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(ALWAYS_ALLOWED):
            return self.get_response(request)
        is_staff = actor_for(request).has_role(*settings.STAFF_MFA_ROLES)
        idle, absolute = session_limits(is_staff)
        now = time.time()
        session = request.session
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        if now - last_seen > idle or now - signed_in_at > absolute:
            logout(request)  # flushes the session on the server: the old cookie is worth nothing
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Log in first.")}, status=401)
            messages.info(request, _("You were signed out to protect residents' data. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        stale = LAST_SEEN not in session or now - last_seen >= LAST_SEEN_RESOLUTION
        if stale:
            session[LAST_SEEN] = now
        # "Where you are signed in" lists each session with when and from where it was last used: brought up
        # to date as seldom as the mark above (and at once for a new session key), not on every request as
        # allauth's own middleware did (five queries and, on SQLite, the write lock for every page opened)
        if stale or session.get(LISTED_AS) != session.session_key:
            UserSession.objects.create_from_request(request)
            session[LISTED_AS] = session.session_key
        if is_staff and not self._has_second_factor(user) and not self._is_mfa_setup(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Set up a second factor (an authenticator app) first.")}, status=403)
            messages.warning(request, _("Your role gives access to sensitive data: set up a second factor first."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _has_second_factor(user: object) -> bool:
        return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    @staticmethod
    def _is_mfa_setup(request: HttpRequest) -> bool:
        """The pages needed to set the factor up, or to leave."""
        path = request.path
        return "/accounts/2fa/" in path or "/accounts/logout/" in path or "/accounts/reauthenticate/" in path
