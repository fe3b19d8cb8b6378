"""Loneliness screening instruments, scored exactly as published (no Django): the De Jong Gierveld scale
(11 items), its 6-item short scale and the UCLA three-item scale.  Sources and conditions of use:
``docs/instruments.md``; the exchange format of the command: ``docs/specs/instruments.md``.

    from domain.instruments import INSTRUMENTS, score
    score("djg6", {"3": "yes", "4": "more_or_less", "7": "no", "8": "yes", "9": "no", "10": None})
"""

from .scales import (
    DJG6,
    DJG11,
    INSTRUMENTS,
    UCLA3,
    Instrument,
    InstrumentError,
    Item,
    Kind,
    LanguageNotAvailable,
    UnknownAnswer,
    UnknownFormat,
    UnknownInstrument,
    UnknownItem,
    instrument,
)
from .scoring import RULES, Result, read_answers, score

__all__ = [
    "DJG6",
    "DJG11",
    "INSTRUMENTS",
    "RULES",
    "UCLA3",
    "Instrument",
    "InstrumentError",
    "Item",
    "Kind",
    "LanguageNotAvailable",
    "Result",
    "UnknownAnswer",
    "UnknownFormat",
    "UnknownInstrument",
    "UnknownItem",
    "instrument",
    "read_answers",
    "score",
]
