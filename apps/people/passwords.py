"""Password rules (OWASP ASVS 5.0, V6.2): long enough, not common, not about this site, not breached.

There are no composition rules (no "one capital, one digit"): any character
may be used, and length and a block list do the work.  Passwords are never
truncated, trimmed or case-folded before they are hashed and compared.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
import unicodedata
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Context-specific words (ASVS 6.1.2, 6.2.11): the site, the city, its services and the roles of this
# platform, in Dutch, English and French.  A password made only of these (plus digits and signs) is refused.
CONTEXT_WORDS: tuple[str, ...] = (
    "cityofpeople",
    "city",
    "people",
    "gent",
    "ghent",
    "gand",
    "stad",
    "ville",
    "ocmw",
    "cpas",
    "buurtcentrum",
    "buurtzorg",
    "burenzorg",
    "buurt",
    "wijk",
    "leefstraat",
    "mantelzorger",
    "mantelzorg",
    "vrijwilliger",
    "vrijwilligerspunt",
    "volunteer",
    "zorg",
    "care",
    "coordinator",
    "coordinateur",
    "helper",
    "resident",
    "bewoner",
    "habitant",
    "administrator",
    "administrateur",
    "admin",
    "auditor",
    "auditeur",
    "beheerder",
    "welkom",
    "welcome",
    "bienvenue",
    "wachtwoord",
    "password",
    "motdepasse",
    "paswoord",
    "login",
    "inloggen",
    "demo",
)
# letters people swap in for others ("G3nt", "c1ty@people")
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
MIN_OWN_LETTERS = 4


def _letters(text: str) -> str:
    """The letters of a password, with look-alike digits and signs read as letters where they stand between letters."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()
    core = re.sub(r"^[^a-z]+|[^a-z]+$", "", folded)  # "Gent2024!" -> "gent"; "G3nt" keeps its 3
    return re.sub(r"[^a-z]", "", core.translate(LEET))


class ContextWordsValidator:
    """Refuse a password that is only the name of this site, the city or a role, dressed up with digits and signs."""

    def __init__(self, words: tuple[str, ...] | None = None) -> None:
        self.words = sorted({_letters(word) for word in (words or CONTEXT_WORDS)}, key=len, reverse=True)

    def own_letters(self, password: str) -> str:
        remaining = _letters(password)
        for word in self.words:
            remaining = remaining.replace(word, "")
        return remaining

    def validate(self, password: str, user: Any = None) -> None:
        own = self.own_letters(password)
        if own != _letters(password) and len(own) < MIN_OWN_LETTERS:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it is made of the name of this site, the city or a role. "
                    "Add words of your own."
                ),
                code="password_context_words",
            )

    def get_help_text(self) -> str:
        return _("Your password can’t be just the name of this site, the city or a role.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's 20,000 common passwords plus the 3,527 common ones of 10 characters or more (data/passwords/)."""

    def __init__(self, extra_list_path: str | Path | None = None) -> None:
        super().__init__()
        path = Path(extra_list_path or settings.COMMON_PASSWORDS_FILE)
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            self.passwords = self.passwords | {line.strip() for line in lines if line.strip()}


class BreachedPasswordValidator:
    """Refuse a password that appears in known breaches (the Pwned Passwords range API, ASVS 6.2.12).

    k-anonymity: only the first five characters of the password's SHA-1 leave
    the server; the answer lists every breached hash with that prefix (padded,
    so its size says nothing either).  ``BREACHED_PASSWORDS_URL`` points at the
    service or a mirror of it; empty turns the check off.  When the service
    cannot be reached the password is accepted (the other rules still hold)
    and a warning is logged: sign-up must not depend on a third party.
    """

    def __init__(self, timeout: float = 3.0) -> None:
        self.timeout = timeout

    def validate(self, password: str, user: Any = None) -> None:
        base_url = getattr(settings, "BREACHED_PASSWORDS_URL", "")
        if not base_url:
            return
        digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper()
        prefix, suffix = digest[:5], digest[5:]
        request = urllib.request.Request(  # noqa: S310 - the URL comes from settings, https in production
            f"{base_url}{prefix}", headers={"Add-Padding": "true", "User-Agent": "City of People"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read().decode("ascii", "replace")
        except (OSError, ValueError) as error:
            logger.warning("Breached-password check not available (%s); password accepted on the other rules", error)
            return
        for line in body.splitlines():
            found, _sep, count = line.strip().partition(":")
            if found.upper() == suffix and count.strip().isdigit() and int(count) > 0:
                raise ValidationError(
                    _("This password appears in known data breaches, so others may try it. Choose another one."),
                    code="password_breached",
                )

    def get_help_text(self) -> str:
        return _("Your password can’t be one that appeared in a known data breach.")
