"""Bootstrap intervals of macro F1: one scikit-learn call per interval, the same per-resample
figures as scoring each resample on its own, reproducible by seed."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from bench.stats import percentile
from scripts.nlu_eval.intervals import (
    macro_f1_ci,
    percentile_interval,
    resample_indices,
    resampled_macro_f1,
)
from scripts.nlu_eval.metrics import strict_prediction
from tests.bench import reference_nlu_maths as reference


def _file(predictions: dict[str, Any], name: str) -> tuple[list[str], list[str]]:
    rows = predictions["files"][name]
    return [r["gold"] for r in rows], [strict_prediction(r) for r in rows]


def test_indices_are_the_draws_of_random_random_with_the_seed() -> None:
    rng = random.Random(7)
    expected = [[rng.randrange(5) for _ in range(5)] for _ in range(3)]
    assert resample_indices(5, 3, seed=7).tolist() == expected
    assert resample_indices(5, 3, seed=8).tolist() != expected
    with pytest.raises(ValueError):
        resample_indices(0, 3)


@pytest.mark.parametrize("name", ["bn_native", "hi_romanised", "en_transcript"])
def test_every_resample_scores_as_it_would_alone(
    nlu_predictions: dict[str, Any], name: str
) -> None:
    """Labels seen only in other resamples must not count: each resample has its own."""
    gold, pred = _file(nlu_predictions, name)
    indices = resample_indices(len(gold), 200, seed=3)
    together = resampled_macro_f1(gold, pred, indices)
    alone = [
        reference.intent_scores([gold[i] for i in row], [pred[i] for i in row])["macro_f1"]
        for row in indices
    ]
    np.testing.assert_allclose(together, alone, rtol=0, atol=1e-12)
    assert len(set(np.round(together, 9))) > 5  # the resamples really differ


def test_percentile_interval_interpolates_like_the_bench() -> None:
    values = np.array([0.9, 0.5, 0.7, 1.0, 0.6, 0.8])
    low, high = percentile_interval(values)
    assert low == pytest.approx(percentile(list(values), 2.5))
    assert high == pytest.approx(percentile(list(values), 97.5))


def test_a_file_interval_is_reproducible_and_holds_the_spread(
    nlu_predictions: dict[str, Any],
) -> None:
    gold, pred = _file(nlu_predictions, "bn_native")
    low, high = macro_f1_ci(gold, pred, count=1000)
    assert (low, high) == macro_f1_ci(gold, pred, count=1000)
    assert 0.0 <= low < reference.intent_scores(gold, pred)["macro_f1"] < high <= 1.0
    assert macro_f1_ci(gold, pred, count=1000, seed=1) != (low, high)


def test_a_perfect_file_has_no_spread() -> None:
    gold = ["a", "b", "c"] * 10
    assert macro_f1_ci(gold, gold, count=1000) == (1.0, 1.0)
