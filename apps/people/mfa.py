"""The second factor around allauth's authenticator app: our hashed recovery codes (ASVS 6.5.2).

allauth checks the six-digit authenticator codes; a typed code that has the shape of one of
our recovery codes is checked here instead, on the same sign-in and re-authentication pages
and under the same rate limit.  Using one is told to the account holder, with how many are
left, because it is also what someone who stole the codes would do.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from allauth.core import context
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthReauthenticateForm
from allauth.mfa.base.internal.flows import check_rate_limit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from apps.access.decorators import requires

from . import recovery
from .signals import end_other_sessions

CODE_HELP = gettext_lazy("The six digits from your authenticator app, or one of your recovery codes.")


class RecoveryCodeAccepted:
    """Mixed into allauth's code forms: a recovery code stands in for the authenticator app."""

    user: Any
    cleaned_data: dict[str, Any]
    authenticator: Authenticator
    used_recovery_code = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.fields["code"].help_text = CODE_HELP  # type: ignore[attr-defined]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not recovery.looks_like_recovery_code(code):
            return super().clean_code()  # type: ignore[misc,no-any-return]
        clear_rate_limit = check_rate_limit(self.user)
        app = Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP).first()
        if app is not None and recovery.use(self.user, code):
            app.user = self.user
            self.authenticator = app
            self.used_recovery_code = True
            clear_rate_limit()
            return code
        if app is not None:
            self._emit_authentication_failed(app)  # type: ignore[attr-defined]
        raise get_adapter().validation_error("incorrect_code")

    def save(self) -> None:
        super().save()  # type: ignore[misc]
        if self.used_recovery_code:
            tell_recovery_code_used(context.request, self.user)


class AuthenticateForm(RecoveryCodeAccepted, AllauthAuthenticateForm):
    pass


class ReauthenticateForm(RecoveryCodeAccepted, AllauthReauthenticateForm):
    pass


def tell_recovery_code_used(request: HttpRequest, user: Any) -> None:
    left = recovery.unused_count(user)
    told = ngettext(
        "You used a recovery code. You have %(count)d left.", "You used a recovery code. You have %(count)d left.", left
    ) % {"count": left}
    if left <= 3:
        told += " " + _("Make new ones soon, on the page of your authenticator app.")
    messages.warning(request, told)
    get_account_adapter(request).send_notification_mail("people/email/recovery_code_used", user, {"left": left})


class ActivateAuthenticatorView(ActivateTOTPView):
    """allauth's activation, followed by our recovery-codes page instead of allauth's."""

    def get_success_url(self) -> str:
        return reverse("people:recovery_codes")


def _has_authenticator(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@never_cache
@requires("authenticated")
@require_http_methods(["GET", "POST"])
@reauthentication_required(allow_get=True, app="allauth.mfa")
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """How many codes are left; on POST ten new ones, shown this once."""
    if not _has_authenticator(request.user):
        messages.info(request, _("Recovery codes go with an authenticator app. Set one up first."))
        return redirect("mfa_index")
    codes: list[str] = []
    if request.method == "POST":
        codes = recovery.issue(request.user)
        end_other_sessions(request, request.user)
    context = {"codes": codes, "left": recovery.unused_count(request.user), "made": recovery.issued_at(request.user)}
    return render(request, "people/recovery_codes.html", context)
