"""An offline address finder over the city's address register.

People type addresses the way they say them: "sint pietersnieuwstr 12",
"Korenmrakt 1", "Lubeckstraat 3 9000 Gent".  The finder forgives case,
accents, hyphens, the usual Flemish abbreviations and small typos, but it
never guesses silently: when it understood a different street than typed it
says so (``understood``), and when it cannot decide it returns the closest
street names instead of an address.

``Geocoder`` is the interface the platform depends on; ``CrabGeocoder`` is the
offline implementation from a CSV file.  A production deployment can put the
current Flemish address register behind the same interface.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

# Street-name endings and words people abbreviate, on the compact (spaceless) form
SUFFIXES = [
    ("stwg", "steenweg"),
    ("stw", "steenweg"),
    ("str", "straat"),
    ("ln", "laan"),
    ("pl", "plein"),
    ("kaai", "kaai"),
    ("dr", "dreef"),
    ("vest", "vest"),
    ("bvd", "boulevard"),
]
PREFIXES = [
    ("st", "sint"),
    ("olv", "onzelievevrouw"),
    ("burg", "burgemeester"),
    ("kon", "koning"),
    ("prof", "professor"),
    ("dr", "doctor"),
]
HOUSE_NUMBER = re.compile(
    r"^(?P<street>.*?\D)\s*,?\s*(?P<number>\d+)\s*(?P<letter>[a-zA-Z](?![a-zA-Z]))?"
    r"\s*(?:(?:/|bus|bte|b\.?)\s*(?P<box>\w+))?(?P<rest>.*)$"
)
POSTCODE = re.compile(r"\b(\d{4})\b")
MAX_INTERPOLATION_GAP = 20
FUZZY_ACCEPT = 0.84  # similarity above which a misspelt street is taken, and said so


class Reason(Enum):
    EMPTY = "empty"
    NO_HOUSE_NUMBER = "no_house_number"
    UNKNOWN_STREET = "unknown_street"
    UNKNOWN_NUMBER = "unknown_number"
    STREET_NOT_IN_POSTCODE = "street_not_in_postcode"
    AMBIGUOUS = "ambiguous"
    OUTSIDE_AREA = "outside_area"  # the postcode typed is not one of the register's: another municipality


class NoteKind(Enum):
    BOX = "box"  # the register has no box numbers: the building is found, the box is kept as typed
    LETTER_FALLBACK = "letter_fallback"  # 12A is not in the register, 12 is
    INTERPOLATED = "interpolated"  # the number is not in the (2014) register: placed between its neighbours


@dataclass(frozen=True)
class Note:
    kind: NoteKind
    typed: str = ""
    used: str = ""
    lower: str = ""
    upper: str = ""


@dataclass(frozen=True)
class AddressPoint:
    street: str
    house_number: str
    postcode: str
    lat: float
    lon: float
    district_number: int | None
    district_name: str


@dataclass(frozen=True)
class GeocodeResult:
    """Either ``address`` is set, or ``reason`` says why not, with ``suggestions`` to offer."""

    address: AddressPoint | None
    reason: Reason | None = None
    understood: str | None = None  # the street we understood, when it differs from what was typed
    note: Note | None = None  # something the person should know about how the address was found
    suggestions: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.address is not None


class Geocoder(Protocol):
    def find(self, query: str) -> GeocodeResult: ...


def fold(text: str) -> str:
    """Lower case without accents, hyphens or punctuation: 'Sint-Pietersnieuwstr.' → 'sint pietersnieuwstr'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def street_key(text: str) -> str:
    """The compact key both the register and the query are reduced to, with abbreviations expanded."""
    words = fold(text).split()
    if not words:
        return ""
    for short, long in PREFIXES:
        if words[0] == short and len(words) > 1:
            words[0] = long
            break
    compact = "".join(words)
    for short, long in SUFFIXES:
        if compact.endswith(short) and not compact.endswith(long):
            compact = compact[: -len(short)] + long
            break
    return compact


STREET_WORDS = ("steenweg", "straat", "laan", "plein", "kaai", "dreef", "weg", "markt", "vest", "pad", "dok")


def _stem(key: str) -> str:
    for word in STREET_WORDS:
        if key.endswith(word) and len(key) > len(word) + 2:
            return key[: -len(word)]
    return key


def similarity(typed: str, candidate: str) -> float:
    """How alike two street keys are, judged on what distinguishes them ('nergens' vs 'energie', not 'straat')."""
    whole = difflib.SequenceMatcher(None, typed, candidate).ratio()
    if typed.endswith(candidate[len(_stem(candidate)) :]) and _stem(candidate) != candidate:
        return min(whole, difflib.SequenceMatcher(None, _stem(typed), _stem(candidate)).ratio())
    return whole


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _number_sort_key(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group(0)) if digits else 0, number)


class CrabGeocoder:
    """The address register (CRAB) in memory: a dict per street and postcode, a trigram index for typos."""

    def __init__(self, points: list[AddressPoint]) -> None:
        self.by_street: dict[str, dict[str, dict[str, AddressPoint]]] = defaultdict(lambda: defaultdict(dict))
        self.display: dict[str, str] = {}
        self.postcodes: set[str] = {point.postcode for point in points}
        for point in points:
            key = street_key(point.street)
            self.by_street[key][point.postcode][point.house_number.upper()] = point
            self.display.setdefault(key, point.street)
        self.trigram_index: dict[str, set[str]] = defaultdict(set)
        for key in self.by_street:
            for gram in _trigrams(key):
                self.trigram_index[gram].add(key)

    @classmethod
    def from_csv(cls, path: Path | str) -> CrabGeocoder:
        """Columns: street, housenumber, postcode, lat, lon, district_nr, district."""
        with open(path, newline="", encoding="utf-8") as handle:
            points = [
                AddressPoint(
                    row["street"],
                    row["housenumber"],
                    row["postcode"],
                    float(row["lat"]),
                    float(row["lon"]),
                    int(row["district_nr"]) if row.get("district_nr") else None,
                    row.get("district", ""),
                )
                for row in csv.DictReader(handle)
            ]
        return cls(points)

    # --- searching streets --------------------------------------------------------------------

    def closest_streets(self, typed: str, limit: int = 5) -> list[tuple[float, str]]:
        """(similarity, key) of the streets most like ``typed``, best first."""
        key = street_key(typed)
        if not key:
            return []
        counts: dict[str, int] = defaultdict(int)
        for gram in _trigrams(key):
            for candidate in self.trigram_index.get(gram, ()):
                counts[candidate] += 1
        # ties broken by name: the same query always gives the same suggestions, whatever the hash seed
        shortlist = sorted(counts, key=lambda c: (-counts[c], c))[:200]
        scored = [(similarity(key, c), c) for c in shortlist]
        if any(c.startswith(key) for c in self.by_street) and len(key) >= 4:
            scored += [(0.8, c) for c in self.by_street if c.startswith(key) and c not in shortlist]
        scored.sort(key=lambda pair: (-pair[0], self.display[pair[1]]))
        return scored[:limit]

    def search_streets(self, text: str, limit: int = 10) -> list[str]:
        """Street names for autocomplete: prefix matches first, then the closest spellings."""
        key = street_key(text)
        prefixed = sorted(self.display[k] for k in self.by_street if key and k.startswith(key))
        fuzzy = [self.display[k] for _, k in self.closest_streets(text, limit)]
        return list(dict.fromkeys(prefixed + fuzzy))[:limit]

    def _suggest(self, typed: str) -> list[str]:
        return [self.display[key] for _, key in self.closest_streets(typed)]

    # --- finding an address -------------------------------------------------------------------

    def find(self, query: str) -> GeocodeResult:
        text = " ".join(query.split())
        if not text:
            return GeocodeResult(None, Reason.EMPTY)
        parsed = HOUSE_NUMBER.match(text)
        if parsed is None:
            return GeocodeResult(None, Reason.NO_HOUSE_NUMBER, suggestions=self._suggest(text))
        typed_street = parsed.group("street").strip(" ,")
        number = parsed.group("number") + (parsed.group("letter") or "").upper()
        box = parsed.group("box")
        postcode_match = POSTCODE.search(parsed.group("rest") or "")
        postcode = postcode_match.group(1) if postcode_match else None
        if postcode is not None and postcode not in self.postcodes:
            return GeocodeResult(None, Reason.OUTSIDE_AREA)

        key = street_key(typed_street)
        understood = None
        if key not in self.by_street:
            closest = self.closest_streets(typed_street)
            if not closest or closest[0][0] < FUZZY_ACCEPT or (len(closest) > 1 and closest[1][0] == closest[0][0]):
                return GeocodeResult(None, Reason.UNKNOWN_STREET, suggestions=[self.display[k] for _, k in closest])
            key = closest[0][1]
            understood = self.display[key]
        return self._in_street(key, number, box, postcode, understood)

    def _in_street(
        self, key: str, number: str, box: str | None, postcode: str | None, understood: str | None
    ) -> GeocodeResult:
        postcodes = self.by_street[key]
        name = self.display[key]
        if postcode is not None:
            if postcode not in postcodes:
                return GeocodeResult(
                    None,
                    Reason.STREET_NOT_IN_POSTCODE,
                    understood,
                    suggestions=[f"{name}, {code}" for code in sorted(postcodes)],
                )
            postcodes = {postcode: postcodes[postcode]}
        note = Note(NoteKind.BOX, typed=box) if box else None
        hits = [numbers[number] for numbers in postcodes.values() if number in numbers]
        if not hits and number[-1].isalpha():
            base = number.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            hits = [numbers[base] for numbers in postcodes.values() if base in numbers]
            note = Note(NoteKind.LETTER_FALLBACK, typed=number, used=base) if hits else note
        if not hits:
            estimated = [e for e in (_interpolate(numbers, number) for numbers in postcodes.values()) if e]
            if len(estimated) == 1:
                point, lower, upper = estimated[0]
                return GeocodeResult(
                    point,
                    understood=understood,
                    note=Note(NoteKind.INTERPOLATED, typed=number, lower=lower, upper=upper),
                )
        if len(hits) == 1:
            return GeocodeResult(hits[0], understood=understood, note=note)
        if len(hits) > 1:
            return GeocodeResult(
                None,
                Reason.AMBIGUOUS,
                understood,
                suggestions=[f"{h.street} {h.house_number}, {h.postcode}" for h in hits],
            )
        existing = sorted({n for numbers in postcodes.values() for n in numbers}, key=_number_sort_key)
        wanted = _number_sort_key(number)[0]
        nearest = sorted(existing, key=lambda n: (abs(_number_sort_key(n)[0] - wanted), _number_sort_key(n)))[:5]
        return GeocodeResult(
            None,
            Reason.UNKNOWN_NUMBER,
            understood,
            suggestions=[f"{name} {n}" for n in sorted(nearest, key=_number_sort_key)],
        )


def _interpolate(numbers: dict[str, AddressPoint], number: str) -> tuple[AddressPoint, str, str] | None:
    """Place a house number missing from the register between its neighbours on the same side of the street.

    Only between two existing numbers of the same parity at most 20 apart (ten
    houses on one side), so the estimate stays within a short walk; otherwise
    nothing is guessed.  The result says it is an estimate.
    """
    wanted = _number_sort_key(number)[0]
    side = sorted(
        (
            (_number_sort_key(n)[0], point)
            for n, point in numbers.items()
            if _number_sort_key(n)[0] % 2 == wanted % 2 and n.isdigit()
        ),
        key=lambda pair: pair[0],
    )
    lower = max((pair for pair in side if pair[0] < wanted), default=None, key=lambda pair: pair[0])
    upper = min((pair for pair in side if pair[0] > wanted), default=None, key=lambda pair: pair[0])
    if lower is None or upper is None or upper[0] - lower[0] > MAX_INTERPOLATION_GAP:
        return None
    share = (wanted - lower[0]) / (upper[0] - lower[0])
    low, high = lower[1], upper[1]
    point = AddressPoint(
        street=low.street,
        house_number=number,
        postcode=low.postcode,
        lat=round(low.lat + share * (high.lat - low.lat), 6),
        lon=round(low.lon + share * (high.lon - low.lon), 6),
        district_number=low.district_number if low.district_number == high.district_number else None,
        district_name=low.district_name if low.district_number == high.district_number else "",
    )
    return point, low.house_number, high.house_number
