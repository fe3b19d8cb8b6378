"""Tries of one-time codes, counted atomically in the database (ASVS 6.6.3: three tries per code).

A code's count used to live in the session, next to the code.  Twenty guesses sent at the same moment each
read the session before any of them wrote it back, so each saw "no wrong try yet": all twenty were checked,
and the right code among them signed in.  Now every try first takes a numbered place in a ``CodeTries`` row
(``take``), locked while it is counted, and only a try that got one of the first three places is compared
with the code at all.  Once the places are gone, even the right code is refused; a code that was used is
closed the same way, so a session written back by a slower parallel request cannot bring it back.

Used by the phone sign-up (``phone_signup``), allauth's sign-in by email or SMS code
(``login_codes.ConfirmLoginCodeView``) and the re-authentication code (``reauthentication_views``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import CodeTries

# rows are kept a while after the code itself expired, so that a count never starts again for a live code
KEEP_AFTER_EXPIRY = timedelta(hours=1)


def key(*parts: object) -> str:
    """A key for one issued code: what it was for, to whom and when, as an HMAC (nothing readable stored)."""
    text = "\x1f".join(str(part) for part in parts)
    return hmac.new(settings.SECRET_KEY.encode(), f"code-tries:{text}".encode(), hashlib.sha256).hexdigest()


def take(code_key: str, limit: int, valid_seconds: float) -> int | None:
    """Count one try of this code: its number (1 .. ``limit``), or None when every try is used up.

    The row is locked while it is counted (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite takes its
    write lock at the start of the transaction), so parallel tries get distinct numbers.
    """
    with transaction.atomic():
        row, created = CodeTries.objects.select_for_update().get_or_create(
            key=code_key,
            defaults={"expires_at": timezone.now() + timedelta(seconds=valid_seconds) + KEEP_AFTER_EXPIRY},
        )
        if created:
            CodeTries.objects.filter(expires_at__lt=timezone.now()).delete()  # forget old codes now and then
        if row.tries >= limit:
            return None
        row.tries += 1
        row.save(update_fields=["tries"])
        return row.tries


def close(code_key: str, limit: int) -> None:
    """A code that was used (or given up) takes no more tries, whatever a session still holds."""
    CodeTries.objects.filter(key=code_key).update(tries=limit)
