"""Signing in with a one-time code by email or SMS: allauth's page, with the tries counted in the database.

(Also allauth's code that confirms a mobile number, at sign-up or when it changes: ``VerifyPhoneForm``.)

allauth keeps a code's failed tries in the session (``LoginCodeVerificationProcess.state``).  Parallel
requests each read the session before any wrote it back, so a burst of guesses was checked far more than
``ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS`` times, and a right code in the burst signed in.  This page, in front of
allauth's under the same name (``cityofpeople/urls.py``), first takes one of the three places in a
``CodeTries`` row (``code_tries.take``) and lets allauth compare the code only then.  allauth's own count in
the session still runs beside it; the database count is the one that cannot be outrun.
"""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import VerifyPhoneForm as AllauthVerifyPhoneForm
from allauth.account.views import ConfirmLoginCodeView as AllauthConfirmLoginCodeView
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from . import code_tries


def tries_key(state: dict[str, Any]) -> str:
    """One key per code sent: the account (or the address typed, when it has none) and the moment it was asked."""
    who = state.get("user_id") or state.get("email") or state.get("phone") or ""
    return code_tries.key("login_code", who, state.get("at", ""), state.get("code", ""))


class ConfirmLoginCodeView(AllauthConfirmLoginCodeView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self._action != "verify":
            return super().post(request, *args, **kwargs)  # type: ignore[no-any-return]
        limit, seconds = app_settings.LOGIN_BY_CODE_MAX_ATTEMPTS, app_settings.LOGIN_BY_CODE_TIMEOUT
        if code_tries.take(tries_key(self._process.state), limit, seconds) is None:
            return self.tries_used_up()
        return super().post(request, *args, **kwargs)  # type: ignore[no-any-return]

    def _verify_form_valid(self, form: Any) -> HttpResponse:
        """The right code: closed for good (it works once, whatever a session written back later holds)."""
        code_tries.close(tries_key(self._process.state), app_settings.LOGIN_BY_CODE_MAX_ATTEMPTS)
        return super()._verify_form_valid(form)  # type: ignore[no-any-return]

    def tries_used_up(self) -> HttpResponse:
        """As allauth ends the attempt after its last wrong try: say so, and back to asking for a code."""
        self._process.abort()
        adapter = get_adapter(self.request)
        adapter.add_message(self.request, messages.ERROR, message=adapter.error_messages["too_many_login_attempts"])
        by_user = self._process.state.get("initiated_by_user", True)
        return HttpResponseRedirect(reverse("account_request_login_code" if by_user else "account_login"))


class VerifyPhoneForm(AllauthVerifyPhoneForm):
    """allauth's form for the code that confirms a mobile number (``ACCOUNT_FORMS["verify_phone"]``).

    allauth counts its tries in the session too; here each try first takes its place in the database.
    The form knows the account, the number and the code sent, not when it was sent: those three make
    the key (a new code is a new key).  Once the places are taken even the right code is refused.
    """

    def clean_code(self) -> str:
        who = getattr(self.user, "pk", None) or ""
        tries = code_tries.key("verify_phone", who, self.phone or "", self.expected_code or "")
        limit = app_settings.PHONE_VERIFICATION_MAX_ATTEMPTS
        if code_tries.take(tries, limit, app_settings.PHONE_VERIFICATION_TIMEOUT) is None:
            raise get_adapter().validation_error("too_many_login_attempts")
        code: str = super().clean_code()
        code_tries.close(tries, limit)  # the right code works once
        return code
