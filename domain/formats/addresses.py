"""An address on one line, as a Belgian writes it: ``Kanunnikstraat 48, 9000 Gent``."""

from __future__ import annotations


def one_line_address(street: str, house_number: str = "", postcode: str = "", municipality: str = "") -> str:
    """Street and number, then postcode and municipality; parts that are missing are left out with their
    comma (``Kanunnikstraat 48``, ``9000 Gent``), and nothing at all gives an empty string."""
    first = " ".join(part for part in (street.strip(), house_number.strip()) if part)
    second = " ".join(part for part in (postcode.strip(), municipality.strip()) if part)
    return ", ".join(part for part in (first, second) if part)
