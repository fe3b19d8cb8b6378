"""allauth's hooks: the phone number lives on the Person, codes go out as SMS through the task worker."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.core.exceptions import ReauthenticationRequired
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from apps.core.tasks import send_sms

from . import reauthentication
from .models import Person
from .phones import normalise_phone
from .services import email_is_verified, person_link_account
from .signals import end_other_sessions
from .throttle import client_address, login_attempts_key


class FriendlyPhoneField(PhoneField):
    """Accept numbers as people write them ('0470 12 34 56'); allauth's field wants +32470123456."""

    def to_python(self, value: Any) -> str:
        raw = super().to_python(value)
        if not raw:
            return raw
        try:
            return normalise_phone(raw)
        except ValidationError:
            return str(raw)  # the E.164 validator then says what is wrong


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        return [
            "apps.people.stages.EmailOrPhoneVerificationStage" if stage.endswith(".EmailVerificationStage") else stage
            for stage in super().get_login_stages()
        ]

    def _get_login_attempts_cache_key(self, request: Any, **credentials: Any) -> str:
        """Failed passwords are counted per account, whichever identifier is typed (``throttle``)."""
        key = login_attempts_key(credentials)
        return key if key is not None else str(super()._get_login_attempts_cache_key(request, **credentials))

    def get_client_ip(self, request: Any) -> str:
        """The client behind the city's trusted proxies, for the per-address limits (``throttle``)."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def phone_form_field(self, **kwargs: Any) -> Any:
        return FriendlyPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        try:
            return normalise_phone(phone)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None

    def _person(self, user: Any) -> Person:
        return person_link_account(
            user=user, email=getattr(user, "email", "") or "", email_verified=email_is_verified(user)
        )

    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        """allauth calls this once a new number is confirmed with a code (the change needs a fresh sign-in)."""
        person = self._person(user)
        old_phone, old_verified = person.phone, person.phone_verified
        person.phone, person.phone_verified = normalise_phone(phone), verified
        person.save(update_fields=["phone", "phone_verified", "updated_at"])
        if old_phone and old_verified and old_phone != person.phone:
            send_sms(
                to=old_phone,
                text=_(
                    "The mobile number of your City of People account was just changed. "
                    "If this was not you, contact the city at once."
                ),
            )
            end_other_sessions(getattr(self, "request", None), user)

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        person = Person.objects.filter(user=user).only("phone", "phone_verified").first()
        if person is None or not person.phone:
            return None
        return person.phone, person.phone_verified

    def set_phone_verified(self, user: Any, phone: str) -> None:
        Person.objects.filter(user=user, phone=normalise_phone(phone)).update(phone_verified=True)

    def get_user_by_phone(self, phone: str) -> Any:
        """Only a number confirmed with a code identifies an account: codes go to validated numbers only."""
        person = (
            Person.objects.filter(
                phone=normalise_phone(phone), phone_verified=True, user__isnull=False, erased_at__isnull=True
            )
            .select_related("user")
            .order_by("pk")
            .first()
        )
        return person.user if person else None

    def send_verification_code_sms(self, user: Any, phone: str, code: str, **kwargs: Any) -> None:
        send_sms(to=phone, text=_("Your City of People code is %(code)s. It is valid for 10 minutes.") % {"code": code})

    def send_notification_mail(
        self, template_prefix: str, user: Any, context: dict[str, Any] | None = None, email: str | None = None
    ) -> None:
        """Changes to sign-in details are told by email; accounts without an email address get a text message."""
        super().send_notification_mail(template_prefix, user, context, email)
        if email or EmailAddress.objects.filter(user=user).exists():
            return
        known = self.get_phone(user)
        if known and known[1]:
            send_sms(
                to=known[0],
                text=_(
                    "The sign-in details of your City of People account were just changed. "
                    "If this was not you, contact the city at once."
                ),
            )

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Stricter than allauth: every factor of the account given again, not just the last one (ASVS 7.5.1)."""
        required = bool(super().is_reauthentication_required(app=app, **kwargs))
        request = context.request
        if required and request is not None and reauthentication.missing_factors(request):
            raise ReauthenticationRequired()
        return required

    def get_reauthentication_methods(self, user: Any) -> list[dict[str, Any]]:
        """The first missing factor first (where allauth sends the person), then the others."""
        methods = super().get_reauthentication_methods(user)
        if not user.is_authenticated:
            return list(methods)
        return reauthentication.order_methods(context.request, user, list(methods))

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        send_sms(
            to=phone,
            text=_(
                "Someone asked for a City of People code for this number, but there is no "
                "account with it. You can sign up on the website."
            ),
        )

    def send_account_already_exists_sms(self, phone: str, **kwargs: Any) -> None:
        """Signing up with a number that has an account: its owner is told, as a new number gets its code
        (one text message either way, so the answer and the work tell nothing: ASVS 6.3.8)."""
        send_sms(
            to=phone,
            text=_(
                "Someone tried to sign up for City of People with this number, but it already has an "
                "account. You can sign in on the website. If this was not you, you need not do anything."
            ),
        )

    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        """Every account is a person; the one a coordinator may have registered with the same email address
        is linked only once the address is confirmed (``signals.on_email_confirmed``), never on a typed address."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            person_link_account(user=user, email=user.email or "", email_verified=False)
        return user
