"""Free text in the service directory: one normal form, and a matcher that forgives the way people type.

An older resident types "thuisverplegin", a family member on a phone "Thuisverpléging", a coordinator
mid-call "verpleging thuis": all mean the same service.  ``normalise`` gives text one form (lower case, no
accents, no punctuation, single spaces); it is what ``Service.search_text`` holds.  ``Query`` then matches the
words typed against such a text, word by word, and says for each word how it matched, so a result can be
explained ("matches 'thuisverpleging'", "you typed 'thuisverplegin'").

How a typed word may match a word of the text, best first:

* the same word, also after the Dutch spelling equivalences (``ij``/``y``/``ei``, ``au``/``ou``, ``ph``/``f``,
  ``ck``/``k``, a final ``dt``/``t``);
* the beginning of a longer word ("maaltijd" → "maaltijden"; the last word typed may be short: the person
  may still be typing);
* a part of a compound word ("verpleging" in "thuisverpleging") or of the text with its spaces taken out
  ("thuisverpleging" in "thuis verpleging");
* a typo: at most one edit (a letter added, missing, changed, or two letters swapped) for words of 4–7
  letters, at most two for longer words; never for words of 3 letters or fewer.

Small words (de, het, een, voor, the, pour…) are left out of the query unless nothing else was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

_NOT_A_WORD = re.compile(r"[\W_]+")
# letters that have no decomposition with a combining accent
_SPECIAL_LETTERS = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss"})

_SMALL_WORDS = (
    "de het een en of van voor in op met aan bij naar om te tot door die dat er is ik mijn u uw wat waar wie hoe"
    " the a an and or of for in on at to with by my is are where who how"
    " le la les l un une des du d et ou pour a au aux avec par en sur dans mon ma mes"
)
STOPWORDS = frozenset(_SMALL_WORDS.split(" "))

EXACT, PREFIX, PART, TYPO = 1.0, 0.9, 0.8, 0.7
"""How much a typed word counts by the way it matched (a second typo takes another 0.1 off)."""

MIN_PREFIX = 3
"""A word shorter than this matches the beginning of a longer word only when it is the last word typed."""
MIN_PART = 4
"""A word shorter than this never matches inside a longer word ("hulp" does, "in" does not)."""
MIN_JOINED = 6
"""A word this long may match across the spaces of the text ("thuisverpleging" in "thuis verpleging")."""


def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation turned into spaces, single spaces: the form searched in."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL_LETTERS))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NOT_A_WORD.sub(" ", plain).split())


_EQUIVALENCES = (("ij", "ei"), ("y", "ei"), ("au", "ou"), ("ph", "f"), ("ck", "k"), ("ae", "aa"))


_FOLDED: dict[str, str] = {}
"""Words already folded.  A plain dict of strings, which Python's garbage collector does not scan (an
``lru_cache`` keeps a list per entry, and 200,000 of them made every full collection slower)."""
FOLDED_LIMIT = 200_000


def _fold(word: str) -> str:
    """A normalised word in the form in which Dutch spelling variants meet: "wijk", "wyk" and "weik" fold alike.

    Applied to both sides before comparing, so it only has to be consistent, not pretty.
    """
    for written, said in _EQUIVALENCES:
        word = word.replace(written, said)
    if word.endswith("dt"):
        word = word[:-2] + "t"
    return word


def fold(word: str) -> str:
    folded = _FOLDED.get(word)
    if folded is None:
        if len(_FOLDED) >= FOLDED_LIMIT:
            _FOLDED.clear()
        folded = _FOLDED[word] = _fold(word)
    return folded


def allowed_typos(word: str) -> int:
    """How many edits a typed word may be off: none up to 3 letters, one up to 7, two beyond."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 7 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two neighbouring letters is one edit), stopping early.

    Returns ``limit + 1`` as soon as the distance is known to be larger than ``limit``: the matcher only needs
    to know whether a word is close enough, and most words are not.
    """
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return min(previous[len(b)], limit + 1)


class How(Enum):
    """How a typed word was found in a text (for the explanation of a result)."""

    EXACT = "exact"
    PREFIX = "prefix"
    PART = "part"
    TYPO = "typo"


@dataclass(frozen=True)
class WordMatch:
    typed: str
    """The word as typed, normalised."""
    found: str
    """The word of the text it matched (or the stretch of text, for a match across spaces)."""
    how: How
    score: float


@dataclass(frozen=True)
class Match:
    """What a query found in one text: per typed word its match or None, and the sum of their scores."""

    words: tuple[WordMatch | None, ...]

    @property
    def score(self) -> float:
        return sum(word.score for word in self.words if word is not None)

    @property
    def matched(self) -> int:
        return sum(1 for word in self.words if word is not None)

    @property
    def found(self) -> tuple[WordMatch, ...]:
        return tuple(word for word in self.words if word is not None)


MAX_QUERY_WORDS = 8
"""The words of a query that count, at most: nobody looks for a service with more, and each new word typed is
looked up in the whole vocabulary (forty made-up words in one search cost half a second)."""


def query_words(query: str) -> list[str]:
    """The words of a query that count: normalised, small words left out (unless there is nothing else), the
    first ``MAX_QUERY_WORDS``."""
    words = list(dict.fromkeys(normalise(query).split()))
    kept = [word for word in words if word not in STOPWORDS]
    return (kept or words)[:MAX_QUERY_WORDS]


def compare(typed: str, last: bool, token: str) -> WordMatch | None:
    """How a typed word (normalised; ``last`` when it is the last word typed) matches one word of a text.

    A typo is looked for only where it could be: lengths within the typos allowed, and the first or the last
    letter in common (a typo at both ends at once is given up for speed).  ``Query`` remembers the answers
    for one search.
    """
    folded_typed, folded = fold(typed), fold(token)
    if typed == token or folded_typed == folded:
        return WordMatch(typed, token, How.EXACT, EXACT)
    if (len(typed) >= MIN_PREFIX or last) and (token.startswith(typed) or folded.startswith(folded_typed)):
        return WordMatch(typed, token, How.PREFIX, PREFIX)
    if len(typed) >= MIN_PART and (typed in token or folded_typed in folded):
        return WordMatch(typed, token, How.PART, PART)
    limit = allowed_typos(typed)
    if not limit or (folded[0] != folded_typed[0] and folded[-1] != folded_typed[-1] and not last):
        return None
    distance = limit + 1
    if abs(len(folded) - len(folded_typed)) <= limit and (
        folded[0] == folded_typed[0] or folded[-1] == folded_typed[-1]
    ):
        distance = edit_distance(folded_typed, folded, limit)
    if distance > limit and last and len(folded) > len(folded_typed) and folded[0] == folded_typed[0]:
        # the last word may be the beginning of a longer word, with a typo in it
        distance = edit_distance(folded_typed, folded[: len(folded_typed)], limit)
    if distance <= limit:
        return WordMatch(typed, token, How.TYPO, round(TYPO - 0.1 * (distance - 1), 2))
    return None


@dataclass
class Query:
    """A typed query, ready to be matched against many normalised texts.

    What a word of a text means for each typed word is remembered, so a word that occurs in many texts (a
    district's name, "hulp") is looked at once per query, not once per text.
    """

    text: str
    words: list[str] = field(init=False)
    _folded: list[str] = field(init=False)
    _seen: dict[str, tuple[WordMatch | None, ...]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.words = query_words(self.text)
        self._folded = [fold(word) for word in self.words]

    def __bool__(self) -> bool:
        return bool(self.words)

    def _word_against(self, index: int, token: str) -> WordMatch | None:
        return compare(self.words[index], index == len(self.words) - 1, token)

    def _token(self, token: str) -> tuple[WordMatch | None, ...]:
        known = self._seen.get(token)
        if known is None:
            known = tuple(self._word_against(i, token) for i in range(len(self.words)))
            self._seen[token] = known
        return known

    def learn(self, vocabulary: Iterable[str]) -> frozenset[str]:
        """Look at every distinct word of many texts once; return those that match some typed word.

        ``match(text, tokens & hits)`` then loops only over the few words of a text that matter.
        """
        return frozenset(token for token in vocabulary if any(self._token(token)))

    def match(self, text: str, tokens: Iterable[str] | None = None) -> Match:
        """Match every typed word against a normalised text (its words may be passed in when known)."""
        best = self.best_of(set(text.split()) if tokens is None else tokens)
        return self.across_spaces(best, text.replace(" ", "") if None in best else "")

    def best_of(self, tokens: Iterable[str]) -> tuple[WordMatch | None, ...]:
        """Per typed word, its best match among these words of a text (None where none matches).

        Depends on the words only, so a caller may remember it for texts that share the words that matter.
        """
        best: list[WordMatch | None] = [None] * len(self.words)
        for token in tokens:
            for i, found in enumerate(self._token(token)):
                current = best[i]
                if found is not None and (current is None or found.score > current.score):
                    best[i] = found
        return tuple(best)

    def across_spaces(self, best: tuple[WordMatch | None, ...], joined: str) -> Match:
        """``best`` completed by the long typed words found in the text written without spaces ("thuis
        verpleging" for "thuisverpleging"), where no word of the text matched them."""
        if None not in best or not joined:
            return Match(best)
        completed = list(best)
        for i, typed in enumerate(self.words):
            if completed[i] is None and len(typed) >= MIN_JOINED and typed in joined:
                completed[i] = WordMatch(typed, typed, How.PART, PART)
        return Match(tuple(completed))


def score(query: str, text: str) -> float:
    """The relevance of a normalised text for a typed query: the sum of its words' scores (0 when none match)."""
    return Query(query).match(normalise(text)).score


class Vocabulary:
    """The distinct words of many texts, arranged so that the words a typed word matches are found without
    comparing it with each of them.

    ``matching`` returns exactly the words for which ``compare`` gives a match (``test_text.py`` checks it
    against comparing with every word): it only leaves out words that ``compare`` would refuse on sight.  A
    directory has tens of thousands of distinct words; comparing a newly typed word with all of them cost
    30 ms and more, once per new word.
    """

    def __init__(self, tokens: Iterable[str]) -> None:
        self.tokens: list[str] = sorted({token for token in tokens if token})
        self._folded: list[str] = [fold(token) for token in self.tokens]
        self._by_folded: list[tuple[str, int]] = sorted((folded, i) for i, folded in enumerate(self._folded))
        self._folded_keys = [folded for folded, _i in self._by_folded]
        self._raw_text, self._raw_starts = self._joined(self.tokens)
        self._folded_text, self._folded_starts = self._joined(self._folded)
        self._by_first: dict[tuple[str, int], list[int]] = {}
        self._by_last: dict[tuple[str, int], list[int]] = {}
        self._first: dict[str, list[int]] = {}
        for i, folded in enumerate(self._folded):
            self._by_first.setdefault((folded[0], len(folded)), []).append(i)
            self._by_last.setdefault((folded[-1], len(folded)), []).append(i)
            self._first.setdefault(folded[0], []).append(i)
        self._memo: dict[tuple[str, bool], frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.tokens)

    @staticmethod
    def _joined(words: list[str]) -> tuple[str, list[int]]:
        """The words on one line each (a newline never occurs in a word), and where each begins."""
        starts, at = [], 0
        for word in words:
            starts.append(at)
            at += len(word) + 1
        return "\n".join(words) + "\n", starts

    def matching(self, typed: str, last: bool) -> frozenset[str]:
        """The words ``compare(typed, last, word)`` matches, remembered per typed word."""
        key = (typed, last)
        known = self._memo.get(key)
        if known is None:
            known = frozenset(
                self.tokens[i] for i in self._candidates(typed, last) if compare(typed, last, self.tokens[i])
            )
            if len(self._memo) >= 10_000:
                self._memo.clear()
            self._memo[key] = known
        return known

    def _candidates(self, typed: str, last: bool) -> set[int]:
        """Every word ``compare`` could accept, by the first test it could pass (see ``compare``)."""
        folded_typed = fold(typed)
        found = set(self._folded_range(folded_typed, prefix=False))
        if len(typed) >= MIN_PREFIX or last:
            found.update(self._folded_range(folded_typed, prefix=True))
            found.update(self._raw_prefix(typed))
        if len(typed) >= MIN_PART:
            found.update(self._containing(self._raw_text, self._raw_starts, typed))
            found.update(self._containing(self._folded_text, self._folded_starts, folded_typed))
        limit = allowed_typos(typed)
        if limit:
            size = len(folded_typed)
            for length in range(max(1, size - limit), size + limit + 1):
                found.update(self._by_first.get((folded_typed[0], length), ()))
                found.update(self._by_last.get((folded_typed[-1], length), ()))
            if last:
                # the last word typed may begin a longer word with a typo in it: same first letter, longer
                found.update(i for i in self._first.get(folded_typed[0], ()) if len(self._folded[i]) > size)
        return found

    def _folded_range(self, folded_typed: str, prefix: bool) -> list[int]:
        from bisect import bisect_left, bisect_right

        start = bisect_left(self._folded_keys, folded_typed)
        if prefix:
            end = bisect_left(self._folded_keys, folded_typed + "\U0010ffff")
        else:
            end = bisect_right(self._folded_keys, folded_typed)
        return [i for _folded, i in self._by_folded[start:end]]

    def _raw_prefix(self, typed: str) -> range:
        from bisect import bisect_left

        return range(bisect_left(self.tokens, typed), bisect_left(self.tokens, typed + "\U0010ffff"))

    @staticmethod
    def _containing(text: str, starts: list[int], part: str) -> list[int]:
        from bisect import bisect_right

        found, at = [], text.find(part)
        while at != -1:
            index = bisect_right(starts, at) - 1
            found.append(index)
            at = text.find(part, starts[index + 1] if index + 1 < len(starts) else len(text))
        return found
