"""Sign up with only a mobile number and a one-time SMS code.

Many older residents and newcomers have a phone but no email address.  The
code is six digits, stored only as a hash in the session, valid for ten
minutes and for three tries, counted in the database (``code_tries``: a count
in the session let parallel guesses through); requests are rate-limited per
number and per address.  Whether a number already has an account is never revealed: it
gets a code either way, and confirming it simply signs that person in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

from allauth.account.utils import perform_login
from allauth.core import ratelimit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.access.decorators import requires
from apps.access.signals import failed_code_for_phone
from apps.core.tasks import send_sms

from . import code_tries
from .adapter import AccountAdapter
from .models import Person
from .phones import is_mobile, normalise_phone
from .services import person_link_account

SESSION_KEY = "cop_phone_signup"
CODE_SECONDS = 10 * 60
MAX_TRIES = 3


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone number"),
        max_length=30,
        help_text=gettext_lazy("For example: 0470 12 34 56. We send you a code by text message."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        phone = normalise_phone(self.cleaned_data["phone"])
        if not is_mobile(phone):
            raise ValidationError(_("This is not a mobile number: we can only send a code to a mobile phone."))
        return phone


def six_digit_code_field(label: str) -> forms.CharField:
    """The one-time code people type from a text message or email (the phone offers its own keypad)."""
    return forms.CharField(
        label=label,
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CodeForm(forms.Form):
    code = six_digit_code_field(gettext_lazy("Code from the text message"))


def _hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


@never_cache
@requires("public")
@require_http_methods(["GET", "POST"])
def phone_signup(request: HttpRequest) -> HttpResponse:
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        if not ratelimit.consume(request, action="phone_signup", key=phone):
            form.add_error("phone", _("Too many codes were asked for. Try again in 15 minutes."))
        else:
            code = f"{secrets.randbelow(1_000_000):06d}"
            request.session[SESSION_KEY] = {
                "phone": phone,
                "hash": _hash(code),
                "expires": time.time() + CODE_SECONDS,
                "tries_key": code_tries.key("phone_signup", phone, secrets.token_hex(16)),
            }
            send_sms(
                to=phone, text=_("Your City of People code is %(code)s. It is valid for 10 minutes.") % {"code": code}
            )
            return redirect("people:phone_signup_confirm")
    return render(request, "people/phone_signup.html", {"form": form})


@never_cache
@requires("public")
@require_http_methods(["GET", "POST"])
def phone_signup_confirm(request: HttpRequest) -> HttpResponse:
    pending: dict[str, Any] | None = request.session.get(SESSION_KEY)
    if not pending:
        return redirect("people:phone_signup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if time.time() > pending["expires"] or "tries_key" not in pending:
            del request.session[SESSION_KEY]
            messages.error(request, _("The code has expired. Ask for a new one."))
            return redirect("people:phone_signup")
        # a place among the three tries first, counted in the database; only then is the code compared
        attempt = code_tries.take(pending["tries_key"], MAX_TRIES, CODE_SECONDS)
        if attempt is None:
            del request.session[SESSION_KEY]
            messages.error(request, _("The code was wrong three times. Ask for a new one."))
            return redirect("people:phone_signup")
        if not hmac.compare_digest(pending["hash"], _hash(form.cleaned_data["code"])):
            failed_code_for_phone(request, pending["phone"])  # for the auditor's activity view
            if attempt >= MAX_TRIES:
                del request.session[SESSION_KEY]
                messages.error(request, _("The code was wrong three times. Ask for a new one."))
                return redirect("people:phone_signup")
            form.add_error("code", _("This code is not right. Check the text message and try again."))
        else:
            del request.session[SESSION_KEY]
            code_tries.close(pending["tries_key"], MAX_TRIES)  # it works once, whatever a session still holds
            user = _account_for(pending["phone"])
            # through allauth's login stages, like every other way in: an account with a second
            # factor is asked for it, an inactive one is refused (ASVS 6.3.4)
            response = perform_login(request, user, redirect_url=reverse("people:my_profile"))
            if request.user.is_authenticated:
                messages.success(request, _("Welcome! You are signed in with your mobile number."))
            return response
    return render(request, "people/phone_signup_confirm.html", {"form": form, "phone": pending["phone"]})


@transaction.atomic
def _account_for(phone: str) -> Any:
    """The account of this verified number, or a new one linked to the person a coordinator registered."""
    existing = AccountAdapter().get_user_by_phone(phone)
    if existing is not None:
        Person.objects.filter(user=existing, phone=phone).update(phone_verified=True)
        return existing
    user = get_user_model().objects.create_user(username=f"phone-{get_random_string(16).lower()}")
    user.set_unusable_password()
    user.save(update_fields=["password"])
    person = person_link_account(user=user, phone=phone)
    person.phone, person.phone_verified = phone, True
    person.save(update_fields=["phone", "phone_verified", "updated_at"])
    return user
