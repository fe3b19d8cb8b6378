"""The instruments' scores, worked out by hand from the published rules (docs/instruments.md).

De Jong Gierveld items (numbered as in the 11-item scale): emotional, negatively worded 2 3 5 6 9 10 (lonely:
yes!, yes, more or less); social, positively worded 1 4 7 8 11 (lonely: more or less, no, no!).  Each case
below lists the answers and, counted by hand, which items count as lonely.
"""

from __future__ import annotations

from typing import Any

import pytest

from domain.instruments import (
    DJG6,
    DJG11,
    INSTRUMENTS,
    UCLA3,
    Kind,
    LanguageNotAvailable,
    UnknownAnswer,
    UnknownFormat,
    UnknownInstrument,
    UnknownItem,
    score,
)

# Not lonely on every item: "no" on the emotional items, "yes" on the social ones.
CALM11 = {"1": "yes", "2": "no", "3": "no", "4": "yes", "5": "no", "6": "no",
          "7": "yes", "8": "yes", "9": "no", "10": "no", "11": "yes"}  # fmt: skip
CALM6 = {"3": "no", "4": "yes", "7": "yes", "8": "yes", "9": "no", "10": "no"}


def with_(base: dict[str, str], **changes: str | None) -> dict[str, Any]:
    """``base`` with items changed (keyword ``i3`` is item "3"); ``None`` means no answer."""
    out: dict[str, Any] = dict(base)
    for key, value in changes.items():
        out[key.removeprefix("i")] = value
    return out


def triple(result: Any) -> tuple[int | None, int | None, int | None, str | None]:
    return result.total, result.emotional, result.social, result.category


# ---- the items


def test_the_items_and_their_kinds_are_those_of_the_manual() -> None:
    emotional = [item.number for item in DJG11.items if item.kind is Kind.EMOTIONAL]
    social = [item.number for item in DJG11.items if item.kind is Kind.SOCIAL]
    assert emotional == ["2", "3", "5", "6", "9", "10"]
    assert social == ["1", "4", "7", "8", "11"]
    assert DJG6.numbers == ("3", "4", "7", "8", "9", "10")
    assert [item.kind for item in DJG6.items] == [Kind.EMOTIONAL, Kind.SOCIAL, Kind.SOCIAL, Kind.SOCIAL,
                                                   Kind.EMOTIONAL, Kind.EMOTIONAL]  # fmt: skip
    assert UCLA3.numbers == ("1", "2", "3")
    assert set(INSTRUMENTS) == {"djg11", "djg6", "ucla3"}


def test_the_short_scale_uses_the_wording_of_the_long_scale() -> None:
    for item in DJG6.items:
        assert item.wording == DJG11.item(item.number).wording


def test_only_languages_with_a_published_wording_are_offered() -> None:
    assert DJG11.languages == ("nl", "en")
    assert DJG6.languages == ("nl", "en")
    assert UCLA3.languages == ("en",)
    assert DJG11.wording("3", "nl") == "Ik ervaar een leegte om me heen."
    assert DJG11.wording("3", "en") == "I experience a general sense of emptiness."
    assert UCLA3.wording("2", "en") == "How often do you feel left out?"
    with pytest.raises(LanguageNotAvailable, match="djg11 has no published wording in 'fr'"):
        DJG11.wording("3", "fr")
    with pytest.raises(LanguageNotAvailable, match="ucla3 has no published wording in 'nl'"):
        UCLA3.options("3", "nl")
    with pytest.raises(UnknownItem, match="item 1 is not part of djg6"):
        DJG6.wording("1", "nl")


def test_answer_options_per_format_and_language() -> None:
    assert DJG11.options("3", "nl") == (("yes", "ja"), ("more_or_less", "min of meer"), ("no", "nee"))
    assert DJG11.options("3", "en") == (("yes", "yes"), ("more_or_less", "more or less"), ("no", "no"))
    assert [label for _, label in DJG6.options("5", "nl")] == ["ja!", "ja", "min-of-meer", "nee", "nee!"]
    assert [code for code, _ in DJG6.options("5", "en")] == ["strong_yes", "yes", "more_or_less", "no", "strong_no"]
    assert UCLA3.options("3", "en") == (("hardly_ever", "Hardly ever"), ("some_of_the_time", "Some of the time"),
                                        ("often", "Often"))  # fmt: skip
    with pytest.raises(UnknownFormat):
        UCLA3.options("5", "en")


# ---- djg11: every category bound, 3-point format


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (CALM11, (0, 0, 0, "not_lonely")),
        # 2 (more or less, emotional) + 4 (more or less, social)
        (with_(CALM11, i2="more_or_less", i4="more_or_less"), (2, 1, 1, "not_lonely")),
        # ... + 1 (no, social)
        (with_(CALM11, i2="more_or_less", i4="more_or_less", i1="no"), (3, 1, 2, "moderately_lonely")),
        # all six emotional items lonely (yes or more or less), social 1 and 4
        (
            with_(
                CALM11,
                i2="yes",
                i3="more_or_less",
                i5="yes",
                i6="yes",
                i9="more_or_less",
                i10="yes",
                i1="no",
                i4="more_or_less",
            ),
            (8, 6, 2, "moderately_lonely"),
        ),
        # ... + 7 (no)
        (
            with_(
                CALM11,
                i2="yes",
                i3="more_or_less",
                i5="yes",
                i6="yes",
                i9="more_or_less",
                i10="yes",
                i1="no",
                i4="more_or_less",
                i7="no",
            ),
            (9, 6, 3, "severely_lonely"),
        ),
        # ... + 8 (more or less)
        (
            with_(
                CALM11,
                i2="yes",
                i3="more_or_less",
                i5="yes",
                i6="yes",
                i9="more_or_less",
                i10="yes",
                i1="no",
                i4="more_or_less",
                i7="no",
                i8="more_or_less",
            ),
            (10, 6, 4, "severely_lonely"),
        ),
        # ... + 11 (no): every item lonely
        (
            with_(
                CALM11,
                i2="yes",
                i3="more_or_less",
                i5="yes",
                i6="yes",
                i9="more_or_less",
                i10="yes",
                i1="no",
                i4="more_or_less",
                i7="no",
                i8="more_or_less",
                i11="no",
            ),
            (11, 6, 5, "very_severely_lonely"),
        ),
    ],
)
def test_djg11_category_bounds(answers: dict[str, Any], expected: tuple[Any, ...]) -> None:
    assert triple(score("djg11", answers)) == expected


def test_djg11_more_or_less_counts_as_lonely_on_both_kinds_of_item() -> None:
    everything_neutral = dict.fromkeys(DJG11.numbers, "more_or_less")
    assert triple(score("djg11", everything_neutral)) == (11, 6, 5, "very_severely_lonely")


def test_djg11_yes_and_no_count_by_the_direction_of_the_item() -> None:
    # "yes" everywhere: the 6 emotional items are lonely, the 5 social ones are not
    assert triple(score("djg11", dict.fromkeys(DJG11.numbers, "yes"))) == (6, 6, 0, "moderately_lonely")
    # "no" everywhere: the 5 social items are lonely, the 6 emotional ones are not
    assert triple(score("djg11", dict.fromkeys(DJG11.numbers, "no"))) == (5, 0, 5, "moderately_lonely")


def test_djg11_publishes_no_subscale_categories() -> None:
    assert score("djg11", CALM11).to_dict() == {
        "instrument": "djg11", "total": 0, "emotional": 0, "social": 0, "category": "not_lonely",
    }  # fmt: skip


# ---- the 5-point format


@pytest.mark.parametrize(
    ("item", "answer", "lonely"),
    [
        # emotional item 3: yes!, yes and more or less count
        ("3", "strong_yes", 1), ("3", "yes", 1), ("3", "more_or_less", 1), ("3", "no", 0), ("3", "strong_no", 0),
        # social item 8: more or less, no and no! count
        ("8", "strong_yes", 0), ("8", "yes", 0), ("8", "more_or_less", 1), ("8", "no", 1), ("8", "strong_no", 1),
    ],
)  # fmt: skip
def test_five_point_answers_are_dichotomised_as_published(item: str, answer: str, lonely: int) -> None:
    calm = {
        number: ("strong_no" if DJG11.item(number).kind is Kind.EMOTIONAL else "strong_yes") for number in DJG11.numbers
    }
    result = score("djg11", {**calm, item: answer}, "5")
    assert result.total == lonely
    assert result.answer_format == "5"
    short = score("djg6", {**{n: calm[n] for n in DJG6.numbers}, item: answer}, "5")
    assert short.total == lonely


def test_five_point_extremes() -> None:
    assert triple(score("djg11", dict.fromkeys(DJG11.numbers, "strong_yes"))) == (6, 6, 0, "moderately_lonely")
    assert triple(score("djg11", dict.fromkeys(DJG11.numbers, "strong_no"))) == (5, 0, 5, "moderately_lonely")
    assert triple(score("djg6", dict.fromkeys(DJG6.numbers, "strong_yes"))) == (3, 3, 0, "moderately_lonely")


def test_the_answer_format_is_inferred_from_strong_codes() -> None:
    assert score("djg6", CALM6).answer_format == "3"
    assert score("djg6", with_(CALM6, i4="strong_yes")).answer_format == "5"
    assert score("djg6", CALM6, "5").answer_format == "5"  # the three middle codes exist in both formats


def test_a_strong_code_in_the_three_point_format_is_refused_naming_the_item() -> None:
    with pytest.raises(UnknownAnswer, match="item 9: 'strong_no' is not an answer of the 3-point format") as raised:
        score("djg6", with_(CALM6, i9="strong_no", i10="strong_yes"), "3")
    assert raised.value.item == "9"
    with pytest.raises(UnknownFormat, match="djg6 has no answer format '4'"):
        score("djg6", CALM6, "4")
    with pytest.raises(UnknownFormat, match="ucla3 has no answer format '5'"):
        score("ucla3", {"1": "often"}, "5")


# ---- djg11 missing answers (the project's rule: only complete scales and subscales are scored)


def test_djg11_one_missing_emotional_item_leaves_the_social_subscale() -> None:
    result = score("djg11", with_(CALM11, i2=None, i1="no"))
    assert (result.total, result.emotional, result.social, result.category) == (None, None, 1, None)
    assert result.missing == ("2",)


def test_djg11_one_missing_social_item_leaves_the_emotional_subscale() -> None:
    answers = with_(CALM11, i3="yes")
    del answers["11"]  # absent counts as missing, as null does
    assert triple(score("djg11", answers)) == (None, 1, None, None)


def test_djg11_nothing_answered() -> None:
    assert score("djg11", {}).to_dict() == {
        "instrument": "djg11", "total": None, "emotional": None, "social": None, "category": None,
    }  # fmt: skip


# ---- djg6: every category bound, subscale categories


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (CALM6, (0, 0, 0, "not_lonely", "not_lonely", "not_lonely")),
        (with_(CALM6, i3="more_or_less"), (1, 1, 0, "not_lonely", "lonely", "not_lonely")),
        (with_(CALM6, i3="more_or_less", i4="more_or_less"), (2, 1, 1, "moderately_lonely", "lonely", "lonely")),
        (
            with_(CALM6, i3="more_or_less", i4="more_or_less", i9="yes", i7="no"),
            (4, 2, 2, "moderately_lonely", "lonely", "lonely"),
        ),
        (
            with_(CALM6, i3="more_or_less", i4="more_or_less", i9="yes", i7="no", i10="yes"),
            (5, 3, 2, "severely_lonely", "lonely", "lonely"),
        ),
        (
            with_(CALM6, i3="more_or_less", i4="more_or_less", i9="yes", i7="no", i10="yes", i8="no"),
            (6, 3, 3, "severely_lonely", "lonely", "lonely"),
        ),
        # social 0 and emotional 3: each subscale has its own category
        (with_(CALM6, i3="yes", i9="yes", i10="more_or_less"), (3, 3, 0, "moderately_lonely", "lonely", "not_lonely")),
    ],
)
def test_djg6_category_bounds(answers: dict[str, Any], expected: tuple[Any, ...]) -> None:
    result = score("djg6", answers)
    assert (result.total, result.emotional, result.social, result.category, result.emotional_category,
            result.social_category) == expected  # fmt: skip


def test_djg6_the_example_of_the_spec() -> None:
    answers = {"3": "yes", "9": "no", "10": "no", "4": "no", "7": "more_or_less", "8": "yes"}
    assert score("djg6", answers).to_dict() == {
        "instrument": "djg6", "total": 3, "emotional": 1, "social": 2, "category": "moderately_lonely",
        "emotional_category": "lonely", "social_category": "lonely",
    }  # fmt: skip


def test_djg6_one_missing_item_still_gives_a_total_of_the_answered_items() -> None:
    # 10 missing; 3 and 9 (yes) and 4, 7, 8 (no) are lonely: 5 of the 5 answered
    answers = {"3": "yes", "4": "no", "7": "no", "8": "no", "9": "yes", "10": None}
    assert score("djg6", answers).to_dict() == {
        "instrument": "djg6", "total": 5, "emotional": None, "social": 3, "category": "severely_lonely",
        "emotional_category": None, "social_category": "lonely",
    }  # fmt: skip


def test_djg6_one_missing_social_item_at_the_lowest_bound() -> None:
    answers = with_(CALM6, i3="more_or_less", i4=None)
    assert score("djg6", answers).to_dict() == {
        "instrument": "djg6", "total": 1, "emotional": 1, "social": None, "category": "not_lonely",
        "emotional_category": "lonely", "social_category": None,
    }  # fmt: skip


def test_djg6_two_missing_items_give_no_total() -> None:
    # both missing in the emotional subscale: the social subscale is still complete
    result = score("djg6", {"3": "no", "4": "no", "7": "yes", "8": "yes"})
    assert (result.total, result.category, result.emotional, result.social) == (None, None, None, 1)
    assert (result.emotional_category, result.social_category) == (None, "lonely")
    assert result.missing == ("9", "10")
    # one missing in each subscale: nothing is scored
    result = score("djg6", with_(CALM6, i3=None, i8=None))
    assert (result.total, result.emotional, result.social, result.category) == (None, None, None, None)


def test_djg6_nothing_answered() -> None:
    assert score("djg6", dict.fromkeys(DJG6.numbers)).total is None


# ---- ucla3


@pytest.mark.parametrize(
    ("answers", "total", "category"),
    [
        (("hardly_ever", "hardly_ever", "hardly_ever"), 3, "not_lonely"),
        (("some_of_the_time", "hardly_ever", "hardly_ever"), 4, "not_lonely"),
        (("some_of_the_time", "some_of_the_time", "hardly_ever"), 5, "not_lonely"),
        (("some_of_the_time", "some_of_the_time", "some_of_the_time"), 6, "lonely"),
        (("hardly_ever", "often", "some_of_the_time"), 6, "lonely"),
        (("often", "often", "some_of_the_time"), 8, "lonely"),
        (("often", "often", "often"), 9, "lonely"),
    ],
)
def test_ucla3_totals_and_category(answers: tuple[str, str, str], total: int, category: str) -> None:
    result = score("ucla3", dict(zip(("1", "2", "3"), answers, strict=True)))
    assert result.to_dict() == {"instrument": "ucla3", "total": total, "category": category}


@pytest.mark.parametrize("missing", [["1"], ["3"], ["1", "2"], ["1", "2", "3"]])
def test_ucla3_any_missing_answer_gives_no_score(missing: list[str]) -> None:
    answers: dict[str, Any] = {"1": "often", "2": "often", "3": "often"}
    for number in missing:
        answers[number] = None
    assert score("ucla3", answers).to_dict() == {"instrument": "ucla3", "total": None, "category": None}


# ---- bad input names the first offending item


def test_the_first_offending_item_in_the_order_given_is_named() -> None:
    with pytest.raises(UnknownAnswer, match="item 2: 'maybe'") as raised:
        score("djg11", {"1": "yes", "2": "maybe", "99": "yes"})
    assert raised.value.item == "2"
    with pytest.raises(UnknownItem, match="item '99' is not part of djg11") as raised_item:
        score("djg11", {"99": "yes", "2": "maybe"})
    assert raised_item.value.item == "99"


@pytest.mark.parametrize(
    ("instrument", "answers", "error", "message"),
    [
        ("djg6", {"1": "yes"}, UnknownItem, "item '1' is not part of djg6"),
        ("djg6", {"11": "yes"}, UnknownItem, "item '11' is not part of djg6"),
        ("djg11", {"03": "yes"}, UnknownItem, "item '03' is not part of djg11"),
        ("djg11", {"": "yes"}, UnknownItem, "item '' is not part of djg11"),
        ("ucla3", {"4": "often"}, UnknownItem, "item '4' is not part of ucla3"),
        ("djg11", {3: "yes"}, UnknownItem, "item 3 is not part of djg11"),
        ("djg11", {"3": "YES"}, UnknownAnswer, "item 3: 'YES' is not an answer code"),
        ("djg11", {"3": ""}, UnknownAnswer, "item 3: '' is not an answer code"),
        ("djg11", {"3": 1}, UnknownAnswer, "item 3: 1 is not an answer code"),
        ("djg11", {"3": True}, UnknownAnswer, "item 3: True is not an answer code"),
        ("djg11", {"3": ["yes"]}, UnknownAnswer, "item 3: a list is not an answer code"),
        ("djg11", {"3": "often"}, UnknownAnswer, "item 3: 'often' is not an answer code of djg11"),
        ("ucla3", {"1": "yes"}, UnknownAnswer, "item 1: 'yes' is not an answer code of ucla3"),
        ("ucla3", {"2": "strong_yes"}, UnknownAnswer, "item 2: 'strong_yes' is not an answer code of ucla3"),
        ("djg11", {"3": "ye\x00s"}, UnknownAnswer, r"item 3: 'ye\\x00s' is not an answer code"),
    ],
)
def test_bad_answers_are_refused(
    instrument: str, answers: dict[Any, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        score(instrument, answers)


def test_an_unknown_instrument_is_refused() -> None:
    with pytest.raises(UnknownInstrument, match="unknown instrument 'djg10' \\(known: djg11, djg6, ucla3\\)"):
        score("djg10", {})


# ---- the category bounds again in the 5-point format (strong answers go with their side)

CALM11_5 = {"1": "strong_yes", "2": "strong_no", "3": "no", "4": "yes", "5": "strong_no", "6": "no",
            "7": "strong_yes", "8": "yes", "9": "strong_no", "10": "no", "11": "strong_yes"}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, (0, 0, 0, "not_lonely")),
        # 2 (yes!) and 11 (no!)
        ({"2": "strong_yes", "11": "strong_no"}, (2, 1, 1, "not_lonely")),
        # ... + 5 (more or less)
        ({"2": "strong_yes", "11": "strong_no", "5": "more_or_less"}, (3, 2, 1, "moderately_lonely")),
        # every emotional item lonely (yes!, yes, more or less), social 11 (no!) and 1 (more or less)
        ({"2": "strong_yes", "3": "yes", "5": "more_or_less", "6": "strong_yes", "9": "yes", "10": "strong_yes",
          "11": "strong_no", "1": "more_or_less"}, (8, 6, 2, "moderately_lonely")),
        # ... + 4 (no)
        ({"2": "strong_yes", "3": "yes", "5": "more_or_less", "6": "strong_yes", "9": "yes", "10": "strong_yes",
          "11": "strong_no", "1": "more_or_less", "4": "no"}, (9, 6, 3, "severely_lonely")),
        # ... + 7 (no!)
        ({"2": "strong_yes", "3": "yes", "5": "more_or_less", "6": "strong_yes", "9": "yes", "10": "strong_yes",
          "11": "strong_no", "1": "more_or_less", "4": "no", "7": "strong_no"}, (10, 6, 4, "severely_lonely")),
        # ... + 8 (more or less)
        ({"2": "strong_yes", "3": "yes", "5": "more_or_less", "6": "strong_yes", "9": "yes", "10": "strong_yes",
          "11": "strong_no", "1": "more_or_less", "4": "no", "7": "strong_no", "8": "more_or_less"},
         (11, 6, 5, "very_severely_lonely")),
    ],
)  # fmt: skip
def test_djg11_category_bounds_in_the_five_point_format(changes: dict[str, str], expected: tuple[Any, ...]) -> None:
    result = score("djg11", {**CALM11_5, **changes})
    assert result.answer_format == "5"
    assert triple(result) == expected


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"3": "strong_no", "4": "strong_yes", "7": "yes", "8": "strong_yes", "9": "no", "10": "strong_no"},
         (0, "not_lonely", "not_lonely", "not_lonely")),
        # 3 (yes!)
        ({"3": "strong_yes", "4": "strong_yes", "7": "yes", "8": "strong_yes", "9": "no", "10": "strong_no"},
         (1, "not_lonely", "lonely", "not_lonely")),
        # 3 (yes!) and 8 (no!)
        ({"3": "strong_yes", "4": "strong_yes", "7": "yes", "8": "strong_no", "9": "no", "10": "strong_no"},
         (2, "moderately_lonely", "lonely", "lonely")),
        # 3, 9 (more or less), 8, 4 (more or less)
        ({"3": "strong_yes", "4": "more_or_less", "7": "yes", "8": "strong_no", "9": "more_or_less", "10": "strong_no"},
         (4, "moderately_lonely", "lonely", "lonely")),
        # ... + 10 (yes)
        ({"3": "strong_yes", "4": "more_or_less", "7": "yes", "8": "strong_no", "9": "more_or_less", "10": "yes"},
         (5, "severely_lonely", "lonely", "lonely")),
        # ... + 7 (no)
        ({"3": "strong_yes", "4": "more_or_less", "7": "no", "8": "strong_no", "9": "more_or_less", "10": "yes"},
         (6, "severely_lonely", "lonely", "lonely")),
    ],
)  # fmt: skip
def test_djg6_category_bounds_in_the_five_point_format(answers: dict[str, str], expected: tuple[Any, ...]) -> None:
    result = score("djg6", answers)
    assert result.answer_format == "5"
    assert (result.total, result.category, result.emotional_category, result.social_category) == expected


def test_djg6_missing_answers_in_the_five_point_format() -> None:
    # 8 missing; 3 (yes!) and 4 (no!) lonely: a total of 2 over five items, no social subscale
    result = score("djg6", {"3": "strong_yes", "4": "strong_no", "7": "strong_yes", "9": "no", "10": "strong_no"})
    assert result.to_dict() == {
        "instrument": "djg6", "total": 2, "emotional": 1, "social": None, "category": "moderately_lonely",
        "emotional_category": "lonely", "social_category": None,
    }  # fmt: skip
