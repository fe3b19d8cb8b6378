"""The words of the directory known per process (``search._hits``): never a stale or missed match."""

from __future__ import annotations

import pytest

from apps.directory import search as search_module
from apps.directory.search import Criteria, search
from tests.apps.directory.search_builders import service

pytestmark = pytest.mark.django_db


def names(words: str) -> list[str]:
    return [result.service.name for result in search(Criteria(words=words)).results]


def test_a_word_added_after_a_search_is_found_by_the_same_typed_word() -> None:
    service("Poetsdienst", "Hulp bij het poetsen.")
    assert names("strijkdienst") == []
    service("Strijkatelier", "Een strijkdienst in de buurt.")
    assert names("strijkdienst") == ["Strijkatelier"]
    assert names("strykdienst") == ["Strijkatelier"]  # a spelling variant too, after the word is known


def test_a_changed_text_is_matched_as_it_is_now() -> None:
    changed = service("Klusdienst", "Kleine klussen in huis.")
    assert names("klussen") == ["Klusdienst"]
    changed.search_text = "klusdienst tuinonderhoud"
    changed.save(update_fields=["search_text"])
    assert names("klussen") == []
    assert names("tuinonderhoud") == ["Klusdienst"]


def test_when_the_vocabulary_is_full_it_starts_again_and_still_finds_everything(monkeypatch) -> None:
    monkeypatch.setattr(search_module, "VOCABULARY_LIMIT", 8)
    service("Maaltijden aan huis", "Warme maaltijden, elke werkdag gebracht.")
    service("Wit-Gele Kruis", "Thuisverpleging: verpleegkundige zorg bij u thuis.")
    for _round in range(3):
        assert names("maaltyden") == ["Maaltijden aan huis"]  # typos: no match across the spaces to fall back on
        assert names("verpleegkundgie") == ["Wit-Gele Kruis"]
        assert names("werkdga gebarcht") == ["Maaltijden aan huis"]
