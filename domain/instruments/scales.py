"""The three loneliness instruments as published: their items, the wording of each item and answer option
per language, and which languages the project has a published wording for.

Every wording below is copied from a published source named beside it (and in ``docs/instruments.md``).
A language without a published wording is simply absent: ``wording()`` and ``options()`` then refuse the
(instrument, language) pair with :class:`LanguageNotAvailable` instead of showing a home-made translation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType


class Kind(Enum):
    """What an item measures in the De Jong Gierveld scales (``NONE`` for the UCLA items)."""

    EMOTIONAL = "emotional"
    """Negatively worded: "yes" and "more or less" count as lonely."""
    SOCIAL = "social"
    """Positively worded: "no" and "more or less" count as lonely."""
    NONE = "n/a"


class InstrumentError(ValueError):
    """Answers or a request that cannot be scored; the message names the first offending item."""

    def __init__(self, message: str, item: str | None = None) -> None:
        super().__init__(message)
        self.item = item


class UnknownInstrument(InstrumentError):
    """Not one of ``djg11``, ``djg6``, ``ucla3``."""


class UnknownItem(InstrumentError):
    """An item number that is not part of the instrument."""


class UnknownAnswer(InstrumentError):
    """An answer code that the instrument (or the chosen answer format) does not have."""


class UnknownFormat(InstrumentError):
    """An answer format the instrument does not have."""


class LanguageNotAvailable(InstrumentError):
    """No published wording of this instrument in this language: the project does not translate it itself."""


@dataclass(frozen=True)
class Item:
    number: str
    """As in the 11-item scale for both De Jong Gierveld scales ("3", "10"); "1" to "3" for UCLA-3."""
    kind: Kind
    wording: Mapping[str, str]
    """Language code (``nl``, ``en``, ``fr``) -> the published wording."""


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    version: str
    """Changes whenever a wording or a scoring rule of this project's implementation changes; stored with
    every result so that old results stay readable against the rules they were scored with."""
    items: tuple[Item, ...]
    formats: Mapping[str, tuple[str, ...]]
    """Answer format ("3", "5") -> its answer codes, in the order they are shown."""
    option_labels: Mapping[str, Mapping[str, Mapping[str, str]]]
    """Answer format -> language -> answer code -> the published label."""
    introduction: Mapping[str, str]
    """Language -> the published instruction read before the items (absent where none was found)."""
    source: str

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages every item and every answer option of every format has a published wording in."""
        found = [
            language
            for language in ("nl", "en", "fr")
            if all(language in item.wording for item in self.items)
            and all(language in labels for labels in self.option_labels.values())
        ]
        return tuple(found)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(item.number for item in self.items)

    def item(self, number: str) -> Item:
        for item in self.items:
            if item.number == number:
                return item
        raise UnknownItem(f"item {number} is not part of {self.key}", number)

    def wording(self, number: str, language: str) -> str:
        self._check_language(language)
        return self.item(number).wording[language]

    def options(self, answer_format: str, language: str) -> tuple[tuple[str, str], ...]:
        """``(code, label)`` of each answer option of ``answer_format`` in ``language``, in order."""
        if answer_format not in self.formats:
            raise UnknownFormat(f"{self.key} has no {answer_format!r}-point answer format")
        self._check_language(language)
        labels = self.option_labels[answer_format][language]
        return tuple((code, labels[code]) for code in self.formats[answer_format])

    def _check_language(self, language: str) -> None:
        if language not in self.languages:
            available = ", ".join(self.languages)
            raise LanguageNotAvailable(f"{self.key} has no published wording in {language!r} (available: {available})")


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping))


# ---------------------------------------------------------------------------------------------------------
# De Jong Gierveld loneliness scale, 11 items (De Jong Gierveld & Kamphuis 1985; manual: De Jong Gierveld &
# Van Tilburg 1999, updated 2022).  Dutch: the original wording, as listed by oogvooreenzaamheid.be and, for
# items 1-5, 7, 8 and 11, in The Gerontologist (2021) 61(7) e335, table 1; items 3, 4, 7, 8, 9
# and 10 also by CBS (2023).  English: the manual's wording for items 4, 7, 8, 9 and 10 (section 8),
# The Gerontologist (2021) table 1 for items 1, 2, 3, 5, 6 and 11.  No published French wording was found.

_DJG_ITEMS: tuple[tuple[str, Kind, str, str], ...] = (
    (
        "1",
        Kind.SOCIAL,
        "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes terecht kan.",
        "There is always someone I can talk to about my day-to-day problems.",
    ),
    ("2", Kind.EMOTIONAL, "Ik mis een echt goede vriend of vriendin.", "I miss having a really close friend."),
    ("3", Kind.EMOTIONAL, "Ik ervaar een leegte om me heen.", "I experience a general sense of emptiness."),
    (
        "4",
        Kind.SOCIAL,
        "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen.",
        "There are plenty of people I can rely on when I have problems.",
    ),
    ("5", Kind.EMOTIONAL, "Ik mis gezelligheid om me heen.", "I miss the pleasure of the company of others."),
    (
        "6",
        Kind.EMOTIONAL,
        "Ik vind mijn kring van kennissen te beperkt.",
        "I find my circle of friends and acquaintances too limited.",
    ),
    (
        "7",
        Kind.SOCIAL,
        "Ik heb veel mensen op wie ik volledig kan vertrouwen.",
        "There are many people I can trust completely.",
    ),
    (
        "8",
        Kind.SOCIAL,
        "Er zijn voldoende mensen met wie ik me nauw verbonden voel.",
        "There are enough people I feel close to.",
    ),
    ("9", Kind.EMOTIONAL, "Ik mis mensen om me heen.", "I miss having people around me."),
    ("10", Kind.EMOTIONAL, "Vaak voel ik me in de steek gelaten.", "I often feel rejected."),
    (
        "11",
        Kind.SOCIAL,
        "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht.",
        "I can call on my friends whenever I need them.",
    ),
)

DJG_SHORT_ITEMS = ("3", "4", "7", "8", "9", "10")
"""The 6-item scale (De Jong Gierveld & Van Tilburg 2006), numbered as in the 11-item scale."""

DJG_CODES_3 = ("yes", "more_or_less", "no")
DJG_CODES_5 = ("strong_yes", "yes", "more_or_less", "no", "strong_no")

_DJG_FORMATS = MappingProxyType({"3": DJG_CODES_3, "5": DJG_CODES_5})
_DJG_LABELS: Mapping[str, Mapping[str, Mapping[str, str]]] = MappingProxyType(
    {
        # The manual, section 2: "yes", "more or less", "no" (face-to-face and telephone interviews) and the
        # five categories, in Dutch "ja!", "ja", "min-of-meer", "nee", "nee!".  Dutch three-point labels as in
        # the national health monitor and CBS: "ja", "min of meer", "nee".
        "3": MappingProxyType(
            {
                "nl": _frozen({"yes": "ja", "more_or_less": "min of meer", "no": "nee"}),
                "en": _frozen({"yes": "yes", "more_or_less": "more or less", "no": "no"}),
            }
        ),
        "5": MappingProxyType(
            {
                "nl": _frozen(
                    {"strong_yes": "ja!", "yes": "ja", "more_or_less": "min-of-meer", "no": "nee", "strong_no": "nee!"}
                ),
                "en": _frozen(
                    {"strong_yes": "yes!", "yes": "yes", "more_or_less": "more or less", "no": "no", "strong_no": "no!"}
                ),
            }
        ),
    }
)
_DJG_INTRODUCTION = _frozen(
    {
        # RIVM, VZinfo "Eenzaamheid - methoden" (the question asked before the items in the Dutch monitors).
        "nl": "Wilt u van elk van de volgende uitspraken aangeven in hoeverre die op u, zoals u de laatste tijd "
        "bent, van toepassing is?",
    }
)


def _djg_items(numbers: tuple[str, ...]) -> tuple[Item, ...]:
    return tuple(
        Item(number, kind, _frozen({"nl": dutch, "en": english}))
        for number, kind, dutch, english in _DJG_ITEMS
        if number in numbers
    )


DJG11 = Instrument(
    key="djg11",
    name="De Jong Gierveld loneliness scale (11 items)",
    version="djg11-1",
    items=_djg_items(tuple(number for number, *_ in _DJG_ITEMS)),
    formats=_DJG_FORMATS,
    option_labels=_DJG_LABELS,
    introduction=_DJG_INTRODUCTION,
    source="De Jong Gierveld & Kamphuis (1985); De Jong Gierveld & Van Tilburg (1999), Manual of the Loneliness "
    "Scale; Van Tilburg & De Jong Gierveld (1999), cut-off points",
)

DJG6 = Instrument(
    key="djg6",
    name="De Jong Gierveld short loneliness scale (6 items)",
    version="djg6-1",
    items=_djg_items(DJG_SHORT_ITEMS),
    formats=_DJG_FORMATS,
    option_labels=_DJG_LABELS,
    introduction=_DJG_INTRODUCTION,
    source="De Jong Gierveld & Van Tilburg (2006), Research on Aging 28(5) 582-598; the manual, section 8",
)

# ---------------------------------------------------------------------------------------------------------
# UCLA three-item loneliness scale (Hughes, Waite, Hawkley & Cacioppo 2004, Research on Aging 26(6) 655-672):
# English only.  No published Dutch or French wording of these three items was found.

UCLA3_CODES = ("hardly_ever", "some_of_the_time", "often")

UCLA3 = Instrument(
    key="ucla3",
    name="UCLA three-item loneliness scale",
    version="ucla3-1",
    items=(
        Item("1", Kind.NONE, _frozen({"en": "How often do you feel that you lack companionship?"})),
        Item("2", Kind.NONE, _frozen({"en": "How often do you feel left out?"})),
        Item("3", Kind.NONE, _frozen({"en": "How often do you feel isolated from others?"})),
    ),
    formats=MappingProxyType({"3": UCLA3_CODES}),
    option_labels=MappingProxyType(
        {
            "3": MappingProxyType(
                {
                    "en": _frozen(
                        {"hardly_ever": "Hardly ever", "some_of_the_time": "Some of the time", "often": "Often"}
                    )
                }
            )
        }
    ),
    introduction=_frozen({}),
    source="Hughes, Waite, Hawkley & Cacioppo (2004), Research on Aging 26(6) 655-672",
)

INSTRUMENTS: Mapping[str, Instrument] = MappingProxyType({i.key: i for i in (DJG11, DJG6, UCLA3)})


def instrument(key: str) -> Instrument:
    try:
        return INSTRUMENTS[key]
    except (KeyError, TypeError):
        known = ", ".join(INSTRUMENTS)
        raise UnknownInstrument(f"unknown instrument {key!r} (known: {known})") from None
