"""Sessions of staff who can see care or wellbeing data: a second factor, 30 minutes idle, 12 hours in all."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.models import Authenticator
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
ALWAYS_ALLOWED = ("/static/", "/i18n/", "/healthz")


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(ALWAYS_ALLOWED):
            return self.get_response(request)
        if not actor_for(request).has_role(*settings.STAFF_MFA_ROLES):
            return self.get_response(request)
        now = time.time()
        session = request.session
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen = session.get(LAST_SEEN, now)
        if now - last_seen > settings.STAFF_IDLE_SECONDS or now - signed_in_at > settings.STAFF_ABSOLUTE_SECONDS:
            logout(request)
            messages.info(request, _("You were signed out to protect residents' data. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        session[LAST_SEEN] = now
        if not self._has_second_factor(user) and not self._is_mfa_setup(request):
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
