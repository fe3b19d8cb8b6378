"""Scoring the three instruments by their published rules (sources in ``docs/instruments.md``).

De Jong Gierveld scales (manual, sections 2, 7 and 8): every item is dichotomised.  A negatively worded
(emotional) item counts 1 for "yes" and "more or less" (and, in the 5-point format, "yes!"); a positively
worded (social) item counts 1 for "no" and "more or less" (and "no!").  So the neutral answer counts as lonely
on both kinds of item.  The total is the number of items counted 1; the subscales count their own items.

UCLA-3 (Hughes et al. 2004): hardly ever = 1, some of the time = 2, often = 3; the total is the sum, 3-9.

Missing answers (absent or ``None``) and the categories are in ``RULES``, one entry per instrument, each with
where it comes from: what the sources publish, and where they publish nothing, the project's own rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .scales import (
    DJG_CODES_3,
    DJG_CODES_5,
    INSTRUMENTS,
    Instrument,
    Kind,
    UnknownAnswer,
    UnknownFormat,
    UnknownItem,
    instrument,
)

Band = tuple[int, int, str]
"""``(lowest, highest, category)``: a total from ``lowest`` to ``highest`` (both included) is ``category``."""


@dataclass(frozen=True)
class Rules:
    missing_total: int
    """How many missing answers still give a total (the total then counts the answered items only)."""
    missing_subscale: int
    """How many missing answers in a subscale still give that subscale."""
    bands: tuple[Band, ...]
    subscale_bands: tuple[Band, ...] | None
    """``None``: the source publishes no category rule for the subscales (the result then has no
    ``emotional_category`` and ``social_category``)."""


RULES: Mapping[str, Rules] = {
    # Total categories: Van Tilburg & De Jong Gierveld (1999), as applied by the Dutch GGD health monitor and
    # RIVM.  Missing answers: no rule for the 11-item scale could be read in the sources available to the
    # project; the project scores only complete scales (docs/instruments.md, "What is not published").
    "djg11": Rules(
        missing_total=0,
        missing_subscale=0,
        bands=(
            (0, 2, "not_lonely"),
            (3, 8, "moderately_lonely"),
            (9, 10, "severely_lonely"),
            (11, 11, "very_severely_lonely"),
        ),
        subscale_bands=None,
    ),
    # The manual, section 8 (its SPSS syntax for the 6-item scale): a total with at most one missing item,
    # a subscale only without missing items; 0-1 not lonely, 2-4 moderately, 5-6 severely lonely; each
    # subscale 0 not lonely, 1-3 lonely.
    "djg6": Rules(
        missing_total=1,
        missing_subscale=0,
        bands=((0, 1, "not_lonely"), (2, 4, "moderately_lonely"), (5, 6, "severely_lonely")),
        subscale_bands=((0, 0, "not_lonely"), (1, 3, "lonely")),
    ),
    # Hughes et al. (2004) publish neither a cut-off nor a rule for missing answers: the project calls a
    # total of 6 or more "lonely" and scores only complete answers (docs/instruments.md).
    "ucla3": Rules(
        missing_total=0,
        missing_subscale=0,
        bands=((3, 5, "not_lonely"), (6, 9, "lonely")),
        subscale_bands=None,
    ),
}

UCLA3_POINTS = {"hardly_ever": 1, "some_of_the_time": 2, "often": 3}
_LONELY = {
    Kind.EMOTIONAL: frozenset({"strong_yes", "yes", "more_or_less"}),
    Kind.SOCIAL: frozenset({"more_or_less", "no", "strong_no"}),
}


@dataclass(frozen=True)
class Result:
    instrument: str
    version: str
    answer_format: str
    total: int | None
    category: str | None
    emotional: int | None = None
    social: int | None = None
    emotional_category: str | None = None
    social_category: str | None = None
    missing: tuple[str, ...] = ()
    """The items without an answer, in item order."""

    def to_dict(self) -> dict[str, Any]:
        """The result as ``specs/instruments.md`` fixes it (no version, format or missing items)."""
        out: dict[str, Any] = {"instrument": self.instrument, "total": self.total}
        if self.instrument != "ucla3":
            out["emotional"] = self.emotional
            out["social"] = self.social
        out["category"] = self.category
        if RULES[self.instrument].subscale_bands is not None:
            out["emotional_category"] = self.emotional_category
            out["social_category"] = self.social_category
        return out


def band(total: int | None, bands: tuple[Band, ...]) -> str | None:
    if total is None:
        return None
    for lowest, highest, category in bands:
        if lowest <= total <= highest:
            return category
    raise AssertionError(f"total {total} outside the published bands")  # pragma: no cover - totals are bounded


def _show(value: object, limit: int = 40) -> str:
    """A short, printable, single-line form of something the caller sent (no control characters)."""
    if isinstance(value, str):
        shown = value.encode("unicode_escape").decode("ascii").replace("'", "\\'")
        return f"'{shown[:limit]}…'" if len(shown) > limit else f"'{shown}'"
    if isinstance(value, int | float | bool):
        return repr(value)[:limit]
    return "an object" if isinstance(value, dict) else "a list" if isinstance(value, list) else type(value).__name__


def read_answers(
    scale: Instrument, answers: Mapping[Any, Any], answer_format: str | None = None
) -> tuple[str, dict[str, str | None]]:
    """Check ``answers`` against ``scale`` and return the answer format and the answers by item number.

    Raises :class:`UnknownItem` or :class:`UnknownAnswer` naming the first offending item in the order of
    ``answers``, and :class:`UnknownFormat` for a format the instrument does not have.  Without
    ``answer_format``, a De Jong Gierveld scale is in the 5-point format when any ``strong_`` code occurs,
    else in the 3-point format (the ``strong_`` codes only exist in the 5-point format).
    """
    if answer_format is not None and answer_format not in scale.formats:
        formats = " or ".join(f"{key}-point" for key in scale.formats)
        raise UnknownFormat(f"{scale.key} has no answer format {_show(answer_format)} (it has {formats})")
    all_codes = {code for codes in scale.formats.values() for code in codes}
    numbers = set(scale.numbers)
    for key, value in answers.items():
        if not isinstance(key, str) or key not in numbers:
            items = ", ".join(scale.numbers)
            raise UnknownItem(f"item {_show(key)} is not part of {scale.key} (items {items})", str(key))
        if value is not None and (not isinstance(value, str) or value not in all_codes):
            raise UnknownAnswer(
                f"item {key}: {_show(value)} is not an answer code of {scale.key} ({', '.join(sorted(all_codes))})",
                key,
            )
    if answer_format is None:
        strong = any(value in set(DJG_CODES_5) - set(DJG_CODES_3) for value in answers.values())
        answer_format = "5" if strong and "5" in scale.formats else "3"
    allowed = scale.formats[answer_format]
    for key, value in answers.items():
        if value is not None and value not in allowed:
            raise UnknownAnswer(
                f"item {key}: {_show(value)} is not an answer of the {answer_format}-point format of {scale.key}",
                key,
            )
    return answer_format, {number: answers.get(number) for number in scale.numbers}


def score(instrument_key: str, answers: Mapping[Any, Any], answer_format: str | None = None) -> Result:
    """Score ``answers`` (item number -> answer code or ``None``) by the instrument's published rules.

    ``answer_format`` is ``"3"`` or ``"5"`` (De Jong Gierveld); ``None`` infers it (see ``read_answers``).
    """
    scale = instrument(instrument_key)
    answer_format, given = read_answers(scale, answers, answer_format)
    rules = RULES[scale.key]
    missing = tuple(number for number, value in given.items() if value is None)
    if scale.key == "ucla3":
        total = None if len(missing) > rules.missing_total else sum(UCLA3_POINTS[v] for v in given.values() if v)
        return Result(scale.key, scale.version, answer_format, total, band(total, rules.bands), missing=missing)

    def count(kinds: set[Kind], allowed_missing: int) -> int | None:
        items = [item for item in scale.items if item.kind in kinds]
        if sum(given[item.number] is None for item in items) > allowed_missing:
            return None
        return sum(1 for item in items if (answer := given[item.number]) is not None and answer in _LONELY[item.kind])

    total = count({Kind.EMOTIONAL, Kind.SOCIAL}, rules.missing_total)
    emotional = count({Kind.EMOTIONAL}, rules.missing_subscale)
    social = count({Kind.SOCIAL}, rules.missing_subscale)
    sub = rules.subscale_bands
    return Result(
        instrument=scale.key,
        version=scale.version,
        answer_format=answer_format,
        total=total,
        category=band(total, rules.bands),
        emotional=emotional,
        social=social,
        emotional_category=band(emotional, sub) if sub else None,
        social_category=band(social, sub) if sub else None,
        missing=missing,
    )


__all__ = ["INSTRUMENTS", "RULES", "Result", "band", "read_answers", "score"]
