"""Recovery codes for a lost authenticator app, stored only as salted hashes (ASVS 6.5.2).

allauth's own recovery codes are derived from a seed kept in the database, so anyone who
reads the database can compute them.  Ours are drawn at random, shown once, and kept as
PBKDF2 hashes with a random salt of 128 bits.  A code is sixteen characters of Crockford's
base-32 alphabet, written in four groups (``7K3Q-M9XD-2HTP-W4RB``): the first group is a
public lookup that finds the one stored hash to check; the other twelve characters are the
secret, 60 bits.  Because those 60 bits are far more than a password carries, the hash uses
100,000 iterations rather than Django's million for passwords: guessing one code offline
still costs about 2^60 × 10^5 hash steps, while making ten codes takes a third of a second
instead of three.  Typing is forgiving: case, spaces and dashes do not matter, and O, I and L
are read as 0, 1 and 1.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.utils import timezone

from .models import RecoveryCode

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_COUNT = 10
LOOKUP_LENGTH = 4
SECRET_LENGTH = 12
GROUP = 4
TYPING_MISTAKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class RecoveryCodeHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256, 100,000 iterations, for 60-bit random secrets (see the module docstring)."""

    algorithm = "cop_recovery_pbkdf2_sha256"
    iterations = 100_000


HASHER = RecoveryCodeHasher()


def _draw(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def _written(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(typed: str) -> str:
    """What a person typed, as the sixteen characters it stands for (or whatever else it is)."""
    return "".join(typed.split()).replace("-", "").upper().translate(TYPING_MISTAKES)


def looks_like_recovery_code(typed: str) -> bool:
    code = normalise(typed)
    return len(code) == LOOKUP_LENGTH + SECRET_LENGTH and all(c in ALPHABET for c in code)


@transaction.atomic
def issue(user: object) -> list[str]:
    """Replace the account's codes by ten new ones, returned once, in their written form."""
    RecoveryCode.objects.filter(user=user).delete()
    codes: list[str] = []
    lookups: set[str] = set()
    while len(codes) < CODE_COUNT:
        lookup = _draw(LOOKUP_LENGTH)
        if lookup in lookups:
            continue
        lookups.add(lookup)
        secret = _draw(SECRET_LENGTH)
        RecoveryCode.objects.create(user=user, lookup=lookup, secret_hash=HASHER.encode(secret, HASHER.salt()))
        codes.append(_written(lookup + secret))
    return codes


@transaction.atomic
def use(user: object, typed: str) -> bool:
    """Accept an unused code of this account once; a wrong or used one costs the same time."""
    code = normalise(typed)
    if not looks_like_recovery_code(code):
        return False
    lookup, secret = code[:LOOKUP_LENGTH], code[LOOKUP_LENGTH:]
    stored = RecoveryCode.objects.select_for_update().filter(user=user, lookup=lookup, used_at=None).first()
    if stored is None:
        HASHER.encode(secret, HASHER.salt())  # the same work as a real check: no timing hint
        return False
    if not HASHER.verify(secret, stored.secret_hash):
        return False
    stored.used_at = timezone.now()
    stored.save(update_fields=["used_at"])
    return True


def unused_count(user: object) -> int:
    return RecoveryCode.objects.filter(user=user, used_at=None).count()


def discard(user: object) -> None:
    """Remove the account's codes (``user`` may be the user or its primary key)."""
    RecoveryCode.objects.filter(user=user).delete()


def issued_at(user: object) -> object:
    """When the account's current codes were made (None: it has none)."""
    first = RecoveryCode.objects.filter(user=user).order_by("created_at").only("created_at").first()
    return first.created_at if first else None
