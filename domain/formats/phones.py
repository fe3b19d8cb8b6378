"""Phone numbers as a Belgian reads them, and the forms a typed number is searched in.

Numbers are stored in E.164 (``+32477503067``).  On a page a Belgian number is written in the national
format (``0477 50 30 67``, ``09 225 12 34``, ``02 512 34 56``) and a foreign one in the international
format (``+33 6 12 34 56 78``), so it can be dialled as it is written.  What cannot be read as a valid
number is shown exactly as stored: a page never hides or changes digits it does not understand.
"""

from __future__ import annotations

import re

import phonenumbers

HOME_REGION = "BE"

_PHONE_CHARS = re.compile(r"^[+\d][\d\s./\-()]*$")
_NOT_DIGIT = re.compile(r"\D")


def national_phone(stored: str, home_region: str = HOME_REGION) -> str:
    """``+32477503067`` → ``0477 50 30 67``; ``+33612345678`` → ``+33 6 12 34 56 78``; anything that is not a
    valid number comes back as it was given."""
    text = stored.strip()
    if not text:
        return stored
    try:
        number = phonenumbers.parse(text, home_region)
    except phonenumbers.NumberParseException:
        return stored
    if not phonenumbers.is_valid_number(number):
        return stored
    if phonenumbers.region_code_for_number(number) == home_region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _starts_a_number(token: str) -> bool:
    return token.startswith(("+", "0")) and bool(_PHONE_CHARS.match(token))


def _continues_a_number(token: str) -> bool:
    return bool(_PHONE_CHARS.match(token)) and not token.startswith("+")


def phone_terms(query: str) -> tuple[list[str], list[str]]:
    """Split what was typed into phone numbers and other words.

    A phone number starts with ``+`` or ``0`` (``+32 477 50.30.67``, ``0477/503067``, ``0032477503067``) and
    takes the groups of digits that follow it (``0477 50 30 67``).  Everything else stays a word, also a
    bare group of digits such as a house number.  Returns ``(numbers, words)``; each number keeps its
    characters as typed (``phone_search_keys`` reads it)."""
    numbers: list[str] = []
    words: list[str] = []
    current: list[str] = []
    for token in query.split():
        if current and _continues_a_number(token):
            current.append(token)
            continue
        if current:
            numbers.append(" ".join(current))
            current = []
        if _starts_a_number(token) and len(_NOT_DIGIT.sub("", token)) >= 2:
            current = [token]
        else:
            words.append(token)
    if current:
        numbers.append(" ".join(current))
    return numbers, words


def phone_search_keys(typed: str, country_code: str = "32") -> list[str]:
    """The digit strings a stored number (with its spaces, dots and slashes taken out) contains when it is the
    number typed, whether it was stored as ``+32477503067`` or as ``0477503067``.

    ``+32 477 50.30.67``, ``0032477503067`` and ``0477/503067`` all give ``["+32477503067", "0477503067"]``;
    the beginning of a number (``0477 50``) gives the beginnings (``+3247750``, ``047750``), so a coordinator
    can search with part of a number.  A foreign number gives its international form only."""
    digits = _NOT_DIGIT.sub("", typed)
    if not digits:
        return []
    text = typed.strip()
    if text.startswith("+"):
        international = "+" + digits
    elif digits.startswith("00"):
        international = "+" + digits[2:]
    elif digits.startswith("0"):
        international = "+" + country_code + digits[1:]
    else:
        return [digits]
    keys = [international]
    home = "+" + country_code
    if international.startswith(home) and len(international) > len(home):
        keys.append("0" + international[len(home):])
    return keys
