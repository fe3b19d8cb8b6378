"""The re-authentication pages: allauth's password and authenticator steps chained, and a code step.

See ``apps.people.reauthentication`` for which factors an account must give again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.flows.login import record_authentication
from allauth.account.internal.flows.reauthentication import reauthenticate_by_password
from allauth.account.views import BaseReauthenticateView
from allauth.account.views import ReauthenticateView as AllauthPasswordView
from allauth.core import ratelimit
from allauth.mfa.base.views import ReauthenticateView as AllauthAuthenticatorView
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.access.models import SecurityEvent
from apps.access.services import failed_login_record
from apps.core.tasks import send_sms

from . import code_tries
from .phone_signup import six_digit_code_field
from .reauthentication import AUTHENTICATOR, CODE, PASSWORD, STEP_URL_NAMES, code_channel, factors_of, missing_factors

SESSION_KEY = "cop_reauthentication_code"
CODE_SECONDS = 10 * 60
MAX_TRIES = 3


class ReauthenticationSteps:
    """Mixed into the re-authentication views: on success, the next missing factor, or resume."""

    factor: str
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        factors = factors_of(self.request.user)
        if len(factors) > 1:
            context["reauthentication_alternatives"] = []  # every factor is needed: there is no alternative
            context["reauthentication_step"] = {"number": factors.index(self.factor) + 1, "total": len(factors)}
        return context

    def next_step_or_resume(self, form: forms.Form) -> HttpResponse:
        missing = missing_factors(self.request)
        if missing:
            url = reverse(STEP_URL_NAMES[missing[0]])
            return HttpResponseRedirect(self.passthrough_next_url(url))  # type: ignore[attr-defined]
        return BaseReauthenticateView.form_valid(self, form)  # type: ignore[arg-type]


class PasswordStepView(ReauthenticationSteps, AllauthPasswordView):
    factor = PASSWORD

    def form_valid(self, form: forms.Form) -> HttpResponse:
        reauthenticate_by_password(self.request)
        return self.next_step_or_resume(form)


class AuthenticatorStepView(ReauthenticationSteps, AllauthAuthenticatorView):
    factor = AUTHENTICATOR

    def form_valid(self, form: forms.Form) -> HttpResponse:
        form.save()  # type: ignore[attr-defined]
        return self.next_step_or_resume(form)


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"reauthenticate:{code}".encode(), hashlib.sha256).hexdigest()


class CodeForm(forms.Form):
    code = six_digit_code_field(gettext_lazy("Code"))

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        session = self.request.session
        pending: dict[str, Any] | None = session.get(SESSION_KEY)
        if not pending or pending["user"] != str(self.request.user.pk):
            raise ValidationError(_("Ask for a code first."))
        if time.time() > pending["expires"] or "tries_key" not in pending:
            del session[SESSION_KEY]
            raise ValidationError(_("The code has expired. Ask for a new one."))
        # tries counted in the database, not the session, so parallel guesses cannot outrun the count
        attempt = code_tries.take(pending["tries_key"], MAX_TRIES, CODE_SECONDS)
        if attempt is None or not hmac.compare_digest(pending["hash"], _hash(code)):
            failed_login_record(request=self.request, user_id=self.request.user.pk, method=SecurityEvent.Method.CODE)
            if attempt is None or attempt >= MAX_TRIES:
                del session[SESSION_KEY]
                raise ValidationError(_("The code was wrong three times. Ask for a new one."))
            raise ValidationError(_("This code is not right. Check the message and try again."))
        del session[SESSION_KEY]
        code_tries.close(pending["tries_key"], MAX_TRIES)
        return code


def _masked(channel: tuple[str, str]) -> str:
    kind, address = channel
    if kind == "sms":
        return "…" + address[-2:]
    name, _at, domain = address.partition("@")
    return f"{name[:1]}…@{domain}"


@method_decorator(login_required, name="dispatch")
class CodeStepView(ReauthenticationSteps, BaseReauthenticateView):
    """A six-digit code by SMS (or email) for accounts that have neither password nor authenticator."""

    factor = CODE
    form_class = CodeForm
    template_name = "people/reauthenticate_code.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        channel = code_channel(self.request.user)
        pending = self.request.session.get(SESSION_KEY)
        context["sent"] = bool(pending and pending["user"] == str(self.request.user.pk))
        context["channel"] = channel[0] if channel else ""
        context["masked"] = _masked(channel) if channel else ""
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "send" in request.POST:
            self.send_code()
            return HttpResponseRedirect(self.passthrough_next_url(request.path))
        return super().post(request, *args, **kwargs)  # type: ignore[no-any-return]

    def send_code(self) -> None:
        channel = code_channel(self.request.user)
        if channel is None:
            return
        if not ratelimit.consume(self.request, action="reauthenticate_code", key=str(self.request.user.pk)):
            messages.error(self.request, _("Too many codes were asked for. Try again in 15 minutes."))
            return
        code = f"{secrets.randbelow(1_000_000):06d}"
        self.request.session[SESSION_KEY] = {
            "user": str(self.request.user.pk),
            "hash": _hash(code),
            "expires": time.time() + CODE_SECONDS,
            "tries_key": code_tries.key("reauthenticate", self.request.user.pk, secrets.token_hex(16)),
        }
        kind, address = channel
        if kind == "sms":
            text = _("Your City of People code to confirm it is you is %(code)s. It is valid for 10 minutes.")
            send_sms(to=address, text=text % {"code": code})
        else:
            get_account_adapter(self.request).send_mail("people/email/reauthenticate_code", address, {"code": code})
        messages.info(self.request, _("We sent a code to %(where)s.") % {"where": _masked(channel)})

    def form_valid(self, form: forms.Form) -> HttpResponse:
        record_authentication(self.request, self.request.user, CODE, reauthenticated=True)  # type: ignore[arg-type]
        return self.next_step_or_resume(form)
