"""Ours vs stock on the same messages: the counts, the exact test and the interval are right."""

from __future__ import annotations

import math
from typing import Any

import pytest

from bench.paired import bootstrap_diff_ci, compare, mcnemar_exact_p, paired_notes
from scripts.nlu_eval.metrics import rasa_prediction, strict_prediction
from tests.bench import reference_nlu_maths as reference


def _rows(gold: list[str], pred: list[str]) -> list[dict]:
    return [
        {"text": f"message {i}", "gold": g, "pred": p, "pred_rasa": p}
        for i, (g, p) in enumerate(zip(gold, pred, strict=True))
    ]


def test_mcnemar_exact_p_matches_the_binomial_by_hand() -> None:
    assert mcnemar_exact_p(0, 0) == 1.0
    assert math.isclose(mcnemar_exact_p(0, 3), 2 * 1 / 8)  # 3 discordant, all one way: p = 0.25
    assert math.isclose(mcnemar_exact_p(1, 9), 2 * (1 + 10) / 1024)
    assert mcnemar_exact_p(5, 5) == 1.0
    assert mcnemar_exact_p(0, 6) < 0.05 < mcnemar_exact_p(0, 5)


def test_scipy_binomtest_gives_the_hand_written_p_values() -> None:
    for only_a in range(41):
        for only_b in range(41):
            expected = reference.mcnemar_exact_p(only_a, only_b)
            assert math.isclose(mcnemar_exact_p(only_a, only_b), expected, rel_tol=1e-9), (
                only_a,
                only_b,
            )


@pytest.mark.parametrize("name", ["bn_native", "hi_romanised", "en_transcript"])
def test_bootstrap_interval_is_the_hand_written_one(
    nlu_predictions: dict[str, Any], name: str
) -> None:
    """Same draws, same figures: the fallback undone (a) against the fallback as an error (b)."""
    rows = nlu_predictions["files"][name]
    gold = [r["gold"] for r in rows]
    pred_a = [rasa_prediction(r) for r in rows]
    pred_b = [strict_prediction(r) for r in rows]
    ours = bootstrap_diff_ci(gold, pred_a, pred_b, resamples=400, seed=5)
    old = reference.bootstrap_diff_ci(
        gold, pred_a, pred_b, reference.intent_scores, resamples=400, seed=5
    )
    assert ours == pytest.approx(old, abs=1e-12)


def test_identical_models_differ_by_nothing() -> None:
    gold = ["a", "b", "c"] * 10
    pred = ["a", "b", "b"] * 10
    low, high = bootstrap_diff_ci(gold, pred, pred, resamples=200)
    assert low == high == 0.0
    result = compare(_rows(gold, pred), _rows(gold, pred), resamples=200)
    assert result["ours_only_right"] == result["stock_only_right"] == 0
    assert result["mcnemar_p"] == 1.0 and result["f1_diff"] == 0.0


def test_counts_messages_only_one_model_gets_right_and_scores_the_undone_fallback() -> None:
    gold = ["a"] * 20 + ["b"] * 20
    ours = list(gold)
    stock = list(gold)
    stock[0] = stock[1] = "b"  # stock wrong twice
    ours[30] = "a"  # ours wrong once
    our_rows = _rows(gold, ours)
    our_rows[5]["pred"] = "nlu_fallback"  # rasa test nlu scores the intent under a fallback
    result = compare(our_rows, _rows(gold, stock), resamples=300)
    assert result["n"] == 40
    assert (result["ours_only_right"], result["stock_only_right"]) == (2, 1)
    assert result["stock_only_right_sample"] == [{"text": "message 30", "gold": "b", "ours": "a"}]
    low, high = result["f1_diff_ci95"]
    assert low <= result["f1_diff"] <= high and result["f1_diff"] > 0


def test_rows_are_paired_by_text_not_by_position() -> None:
    ours = _rows(["a", "b"], ["a", "b"])
    stock = list(reversed(_rows(["a", "b"], ["a", "a"])))
    result = compare(ours, stock, resamples=50)
    assert (result["ours_only_right"], result["stock_only_right"]) == (1, 0)


def test_no_common_message_is_no_comparison() -> None:
    assert compare(_rows(["a"], ["a"]), [{"text": "other", "gold": "a", "pred": "a"}]) == {"n": 0}


def test_report_calls_a_small_gap_chance_and_a_large_one_real() -> None:
    common = {"f1_diff": -0.02, "f1_diff_ci95": [-0.06, 0.0], "n": 105, "ours_only_right": 0}
    notes = paired_notes(
        {
            "hi_transcript": {**common, "stock_only_right": 3, "mcnemar_p": 0.25},
            "bn_native": {**common, "stock_only_right": 9, "mcnemar_p": 0.004},
        }
    )
    assert notes[0].startswith("- Paired with stock, bn native") and "a real difference" in notes[0]
    assert "hi transcript" in notes[1] and "within chance" in notes[1]
