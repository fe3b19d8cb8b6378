"""Input that no database can store, found before anything is written (docs/security.md, "No server error").

PostgreSQL refuses a NUL character (0x00) in text, and neither PostgreSQL nor SQLite can store a lone
surrogate (half of a UTF-16 pair, which JSON's ``"\\ud800"`` can carry but UTF-8 cannot encode).  Numbers
outside what a 64-bit integer column holds, and the floats NaN and Infinity, have no place in any field
either.  Without a check these reach the database and end in a server error, or in a value that breaks
every later comparison.  One place decides what is refused, with one message per kind:

* the API checks every validated value of every operation (path, query and body, nested schemas and
  lists included) in ``cityofpeople/api.py`` before the operation runs;
* :class:`apps.core.middleware.InputGuardMiddleware` checks the path, the query string and the headers
  (cookies and the User-Agent end up in queries and in the list of one's sessions) of every request;
* forms of the pages refuse NUL in every ``CharField`` (Django's own validator) and lone surrogates
  cannot arrive through a form: a browser's bytes that are not UTF-8 become the replacement character;
* files read by the console (``cityofpeople districts FILE``) are checked before anything is loaded.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel

MAX_INTEGER = 2**63 - 1
"""The largest integer any of our databases stores (PostgreSQL ``bigint``, SQLite ``INTEGER``)."""

Location = tuple[str | int, ...]


def as_number(text: str | None) -> int | None:
    """A number typed or sent as text (an id, a page), or None when it is none a database stores: only the
    digits 0-9 (``"²".isdigit()`` is true, and ``int("²")`` fails), at most ``MAX_INTEGER``."""
    text = (text or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number <= MAX_INTEGER else None


def unstorable_text(text: str) -> str | None:
    """Why this text cannot be stored, or None when it can."""
    if "\x00" in text:
        return _("This text contains a character that cannot be saved (NUL, 0x00). Remove it and try again.")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return _(
                "This text contains a character that cannot be saved (half of a Unicode character). "
                "Remove it and try again."
            )
    return None


def unstorable_number(number: float | int | Decimal) -> str | None:
    """Why this number cannot be stored, or None when it can (a field's own limits come on top)."""
    if isinstance(number, bool):
        return None
    if isinstance(number, int):
        return _("This number is too large.") if abs(number) > MAX_INTEGER else None
    finite = number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)
    return None if finite else _("Give an ordinary number: NaN and Infinity cannot be saved.")


def find_unstorable(value: Any, location: Location = ()) -> tuple[Location, str] | None:
    """The first value inside ``value`` (texts, numbers, keys, lists, dicts, schemas) that cannot be stored.

    Walks without recursion, so no shape of input can exhaust the stack.
    """
    pending: list[tuple[Location, Any]] = [(location, value)]
    while pending:
        where, item = pending.pop()
        reason: str | None = None
        if isinstance(item, str):
            reason = unstorable_text(item)
        elif isinstance(item, int | float | Decimal):
            reason = unstorable_number(item)
        elif isinstance(item, BaseModel):
            names = list(type(item).model_fields)
            pending.extend(((*where, name), getattr(item, name, None)) for name in reversed(names))
        elif isinstance(item, Mapping):
            if any(isinstance(key, str) and (reason := unstorable_text(key)) for key in item):
                return where, reason or ""
            pending.extend(((*where, str(key)), inner) for key, inner in reversed(list(item.items())))
        elif isinstance(item, list | tuple | set | frozenset):
            pending.extend(reversed([((*where, index), inner) for index, inner in enumerate(item)]))
        if reason is not None:
            return where, reason
    return None
