"""A login stage for people who have a verified mobile number and no email address.

allauth's mandatory email verification would send them to "confirm your
email" for ever; a verified phone is their proof of contact instead.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage

from .models import Person


class EmailOrPhoneVerificationStage(EmailVerificationStage):
    def handle(self) -> tuple[Any, bool]:
        user = self.login.user
        if (
            user is not None
            and not EmailAddress.objects.filter(user=user).exists()
            and Person.objects.filter(user=user, phone_verified=True).exists()
        ):
            return None, True
        return super().handle()
