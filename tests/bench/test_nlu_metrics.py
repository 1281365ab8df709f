"""scikit-learn's figures are the hand-written ones they replaced, on the same predictions."""

from __future__ import annotations

from typing import Any

import pytest

from scripts.nlu_eval.metrics import (
    entity_scores,
    intent_scores,
    rasa_prediction,
    strict_prediction,
    task_confusions,
)
from tests.bench import reference_nlu_maths as reference


def _columns(rows: list[dict[str, Any]]) -> tuple[list[str], list[str], list[str]]:
    gold = [r["gold"] for r in rows]
    return gold, [strict_prediction(r) for r in rows], [rasa_prediction(r) for r in rows]


def _all_rows(predictions: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for _, rows in sorted(predictions["files"].items()) for r in rows]


def test_the_fixture_holds_the_hard_cases(nlu_predictions: dict[str, Any]) -> None:
    _, strict, undone = _columns(_all_rows(nlu_predictions))
    assert strict.count("nlu_fallback") == 3 and "nlu_fallback" not in undone
    assert "none" in strict  # a message with no intent at all
    for name, rows in nlu_predictions["files"].items():
        if name != "en_transcript":  # every other file predicts an intent it never has
            file_gold, file_strict, _ = _columns(rows)
            assert set(file_strict) - set(file_gold) - {"nlu_fallback"}, name


@pytest.mark.parametrize("figure", ["strict", "rasa"])
def test_intent_scores_equal_the_hand_written_ones(
    nlu_predictions: dict[str, Any], figure: str
) -> None:
    for rows in [*nlu_predictions["files"].values(), _all_rows(nlu_predictions)]:
        gold, strict, undone = _columns(rows)
        pred = strict if figure == "strict" else undone
        ours, old = intent_scores(gold, pred), reference.intent_scores(gold, pred)
        assert ours["n"] == old["n"]
        assert ours["accuracy"] == pytest.approx(old["accuracy"], abs=1e-12)
        assert ours["macro_f1"] == pytest.approx(old["macro_f1"], abs=1e-12)


def test_rasa_figure_of_the_fixture_is_the_hand_written_one(
    nlu_predictions: dict[str, Any],
) -> None:
    """The fixture's `rasa_test_nlu` block was computed by the reference on `pred_rasa`."""
    for name, rows in nlu_predictions["files"].items():
        gold, _, undone = _columns(rows)
        expected = nlu_predictions["rasa_test_nlu"][name]["macro_f1"]
        assert intent_scores(gold, undone)["macro_f1"] == pytest.approx(expected, abs=1e-12)


def test_a_predicted_class_without_support_costs_a_whole_class() -> None:
    gold = ["a", "a", "b", "b"]
    pred = ["a", "a", "b", "nlu_fallback"]
    # a: F1 1, b: P 1 R 0.5 -> 2/3, nlu_fallback: 0 -> (1 + 2/3 + 0) / 3
    assert intent_scores(gold, pred)["macro_f1"] == pytest.approx(5 / 9)
    assert reference.intent_scores(gold, pred)["macro_f1"] == pytest.approx(5 / 9)


def test_intent_scores_of_nothing_and_of_mismatched_lengths() -> None:
    assert intent_scores([], []) == {"n": 0, "accuracy": 0.0, "macro_f1": 0.0}
    with pytest.raises(ValueError):
        intent_scores(["a", "b"], ["a"])


def test_entity_scores_equal_the_hand_written_ones(nlu_predictions: dict[str, Any]) -> None:
    rows = _all_rows(nlu_predictions)
    ours, old = entity_scores(rows), reference.entity_scores(rows)
    assert list(ours) == list(old) == ["uan", "date", "age"]
    for entity, expected in old.items():
        assert ours[entity]["gold"] == expected["gold"], entity
        for key in ("precision", "recall", "f1"):
            assert ours[entity][key] == pytest.approx(expected[key], abs=1e-12), (entity, key)
    assert {e: s["gold"] for e, s in ours.items()} == {"uan": 2, "date": 4, "age": 2}


def test_entity_scores_without_any_entity() -> None:
    rows = [{"gold_entities": [], "pred_entities": [{"entity": "language", "start": 0, "end": 2}]}]
    assert entity_scores(rows) == reference.entity_scores(rows)


def test_task_confusions_count_what_the_hand_written_loop_counted(
    nlu_predictions: dict[str, Any],
) -> None:
    gold, strict, _ = _columns(_all_rows(nlu_predictions))
    ours = task_confusions(gold, strict)
    old = reference.task_confusions(gold, strict)
    assert {(c["gold"], c["pred"]): c["count"] for c in ours} == dict(old)
    counts = [c["count"] for c in ours]
    assert counts == sorted(counts, reverse=True) and counts[0] == 2
    # ties keep the order of TASK_INTENTS (gold first, then predicted)
    assert [(c["gold"], c["pred"]) for c in ours[1:3]] == [
        ("renew_registration", "check_status"),
        ("renew_registration", "register"),
    ]


def test_task_confusions_without_task_intents() -> None:
    assert task_confusions(["greet", "goodbye"], ["goodbye", "greet"]) == []
    assert task_confusions([], []) == []
