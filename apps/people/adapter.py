"""allauth's hooks: the phone number lives on the Person, codes go out as SMS through the task worker."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.core.tasks import send_sms

from .models import Person
from .phones import normalise_phone
from .services import person_link_account


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
        """allauth keys failed logins on email or username only; phone logins would all share one key."""
        if credentials.get("phone") and not credentials.get("email") and not credentials.get("username"):
            return f"phone:{credentials['phone']}"
        return str(super()._get_login_attempts_cache_key(request, **credentials))

    def phone_form_field(self, **kwargs: Any) -> Any:
        return FriendlyPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        try:
            return normalise_phone(phone)
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None

    def _person(self, user: Any) -> Person:
        return person_link_account(user=user, email=getattr(user, "email", "") or "")

    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        person = self._person(user)
        person.phone, person.phone_verified = normalise_phone(phone), verified
        person.save(update_fields=["phone", "phone_verified", "updated_at"])

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        person = Person.objects.filter(user=user).only("phone", "phone_verified").first()
        if person is None or not person.phone:
            return None
        return person.phone, person.phone_verified

    def set_phone_verified(self, user: Any, phone: str) -> None:
        Person.objects.filter(user=user, phone=normalise_phone(phone)).update(phone_verified=True)

    def get_user_by_phone(self, phone: str) -> Any:
        person = (
            Person.objects.filter(phone=normalise_phone(phone), user__isnull=False, erased_at__isnull=True)
            .select_related("user")
            .order_by("-phone_verified", "pk")
            .first()
        )
        return person.user if person else None

    def send_verification_code_sms(self, user: Any, phone: str, code: str, **kwargs: Any) -> None:
        send_sms(to=phone, text=_("Your City of People code is %(code)s. It is valid for 15 minutes.") % {"code": code})

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        send_sms(
            to=phone,
            text=_(
                "Someone asked for a City of People code for this number, but there is no "
                "account with it. You can sign up on the website."
            ),
        )

    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:
        """A new account is linked to the person a coordinator may have registered before (same email)."""
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            person_link_account(user=user, email=user.email or "")
        return user
