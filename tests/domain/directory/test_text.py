"""Free text as people type it: accents, typos, compounds, spelling variants, small words."""

from __future__ import annotations

import subprocess
import sys

import pytest

from domain.directory.text import How, Query, edit_distance, fold, normalise, query_words, score

SERVICE = normalise("Thuisverpleging – verpleegkundige zorg aan huis. Maaltijden aan huis in Gentbrugge (wijk 12).")


def test_normalise_lowers_removes_accents_and_punctuation() -> None:
    assert normalise("  Thuisverpléging, 24/7!  Crèche—Œuvre ") == "thuisverpleging 24 7 creche oeuvre"
    assert normalise("Ça coûte 5 €") == "ca coute 5"
    assert normalise("") == ""


@pytest.mark.parametrize("typed", ["thuisverpleging", "thuisverplegin", "Thuisverpléging", "verpleging thuis",
                                   "THUIS VERPLEGING", "thuisverpelging", "thuisverplegign"])  # fmt: skip
def test_the_ways_people_type_home_nursing_all_match(typed: str) -> None:
    found = Query(typed).match(SERVICE)
    assert found.matched == len(found.words) > 0
    assert found.score > 0


def test_an_exact_word_ranks_above_a_prefix_a_part_and_a_typo() -> None:
    exact = score("thuisverpleging", "thuisverpleging")
    prefix = score("thuisverpleging", "thuisverplegingen")
    part = score("verpleging", "thuisverpleging")
    typo = score("thuisverpelging", "thuisverpleging")
    assert exact > prefix > part > typo > 0


def test_how_each_word_matched_is_told() -> None:
    found = Query("verpleging thuis maaltyden").match(SERVICE)
    hows = {word.typed: (word.how, word.found) for word in found.found}
    assert hows["verpleging"] == (How.PART, "thuisverpleging")
    assert hows["thuis"][0] is How.PREFIX
    assert hows["maaltyden"] == (How.EXACT, "maaltijden")  # ij and y are the same letter in Dutch


def test_a_compound_typed_whole_matches_a_text_that_writes_it_apart() -> None:
    found = Query("thuisverpleging").match("verpleging aan huis en thuis verpleging")
    assert found.matched == 1


def test_typos_allowed_grow_with_the_word() -> None:
    assert score("hulp", "hulp") == 1.0
    assert score("hupl", "hulp") > 0  # a swap in a 4-letter word is one edit
    assert score("bus", "bos") == 0  # three letters: no typo allowed
    assert score("maaltijd", "maaltyjd") > 0
    assert score("boodschappen", "bootschapen") > 0  # two edits in a long word
    assert score("poetsen", "feesten") == 0


def test_the_last_word_may_be_unfinished_but_not_an_earlier_short_one() -> None:
    assert Query("maal").match("maaltijden").matched == 1
    assert Query("zo hulp").match("zorg en hulp").matched == 1  # "zo" is short and not the last word
    assert Query("hulp zo").match("zorg en hulp").matched == 2  # the last word: the person is still typing


def test_small_words_are_left_out_unless_alone() -> None:
    assert query_words("hulp bij het eten") == ["hulp", "eten"]
    assert query_words("de") == ["de"]
    assert query_words("Hulp, hulp!") == ["hulp"]


def test_dutch_spelling_variants_fold_alike() -> None:
    assert fold("wijk") == fold("wyk") == fold("weik")
    assert fold("stadt") == fold("stat")
    assert fold("apotheek") == "apotheek"


def test_edit_distance_counts_a_swap_as_one_and_stops_early() -> None:
    assert edit_distance("verpleging", "verpelging", 2) == 1
    assert edit_distance("abc", "abc", 0) == 0
    assert edit_distance("kitten", "sitting", 5) == 3
    assert edit_distance("a" * 20, "b" * 20, 2) == 3  # "more than 2", without computing the whole table


def test_the_command_line_matches_and_normalises() -> None:
    run = [sys.executable, "-m", "domain.directory"]
    out = subprocess.run([*run, "match", "thuisverplegin", "Thuisverpleging aan huis"], capture_output=True, text=True)
    assert out.returncode == 0 and "prefix 'thuisverpleging'" in out.stdout
    out = subprocess.run([*run, "normalise", "Crèche"], capture_output=True, text=True)
    assert out.stdout.strip() == "creche"
    out = subprocess.run([sys.executable, "-m", "cityofpeople.cli", "directory", "match", "bus", "bos"],
                         capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 1 and "not found" in out.stdout


def test_the_vocabulary_finds_exactly_the_words_compare_accepts() -> None:
    """``Vocabulary.matching`` leaves out only words ``compare`` refuses: checked against comparing a typed word
    with every word, for typed words made from the vocabulary's own words with letters dropped, added, changed
    and cut short, as the last word typed and not."""
    import random

    from domain.directory.text import Vocabulary, compare

    rng = random.Random(16)
    letters = "abcdeeeghiijklmnoprsttuvwyz"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 14))) for _ in range(4000)}
    words |= {"thuisverpleging", "wijkgezondheidscentrum", "maaltijden", "buurtrestaurant", "dt", "weid", "wijd"}
    vocabulary = Vocabulary(words)
    for _ in range(600):
        typed = list(rng.choice(vocabulary.tokens))
        for _edit in range(rng.randint(0, 3)):
            at = rng.randrange(len(typed) + 1)
            roll = rng.random()
            if roll < 0.3 and len(typed) > 1:
                typed.pop(min(at, len(typed) - 1))
            elif roll < 0.6:
                typed.insert(at, rng.choice(letters))
            else:
                typed[min(at, len(typed) - 1)] = rng.choice(letters)
        word = "".join(typed)
        if rng.random() < 0.3:
            word = word[: rng.randint(1, len(word))]
        last = rng.random() < 0.5
        expected = {token for token in vocabulary.tokens if compare(word, last, token) is not None}
        assert vocabulary.matching(word, last) == expected, (word, last)


def test_the_vocabulary_of_nothing_matches_nothing() -> None:
    from domain.directory.text import Vocabulary

    assert Vocabulary([]).matching("zorg", True) == frozenset()
    assert Vocabulary(["zorg", ""]).matching("zorg", False) == {"zorg"}


def test_only_the_first_eight_words_of_a_query_count() -> None:
    typed = "thuisverpleging wondzorg maaltijden poetshulp vervoer tolk kapper pedicure strijkdienst klusjes"
    assert query_words(typed) == typed.split()[:8]
