"""Bootstrap intervals of macro F1 over a file's messages: how far ~100 messages can move it.

Why a seeded resample of our own rather than scipy.stats.bootstrap: `bench/paired.py` has drawn
its resamples with `random.Random(seed)` since its first run, and sharing that draw keeps its
intervals reproducible. Why percentile intervals: macro F1 of ~100 messages is discrete and often
near 1.0, where BCa's jackknife correction is unstable (scipy answers NaN when every resample
agrees); the percentile interval is defined everywhere.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import f1_score

LEVEL = 0.95
RESAMPLES = 2000
SEED = 0


def resample_indices(n: int, count: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """`count` rows of n message indices drawn with replacement, the same for the same seed."""
    if n <= 0:
        raise ValueError("a bootstrap needs at least one message")
    rng = random.Random(seed)
    return np.array([[rng.randrange(n) for _ in range(n)] for _ in range(count)], dtype=np.int64)


def resampled_macro_f1(gold: Sequence[str], pred: Sequence[str], indices: np.ndarray) -> np.ndarray:
    """Macro F1 of every resample (one row of `indices` each), as `metrics.intent_scores`.

    Why one scikit-learn call for all resamples: a call costs ~1 ms of input checks, i.e.
    seconds per interval. Label l of resample r becomes class r * L + l, so each class counts
    only its own resample's messages; the per-class F1 are then averaged, per resample, over
    the labels that resample has in gold or predictions.
    """
    labels = sorted(set(gold) | set(pred))
    code = {label: i for i, label in enumerate(labels)}
    count, width = len(indices), len(labels)
    offset = (np.arange(count, dtype=np.int64) * width)[:, None]
    y_true = (np.array([code[g] for g in gold], dtype=np.int64)[indices] + offset).ravel()
    y_pred = (np.array([code[p] for p in pred], dtype=np.int64)[indices] + offset).ravel()
    classes = np.arange(count * width)
    f1 = f1_score(y_true, y_pred, labels=classes, average=None, zero_division=0)
    size = count * width
    seen = np.bincount(y_true, minlength=size) + np.bincount(y_pred, minlength=size) > 0
    f1, seen = f1.reshape(count, width), seen.reshape(count, width)
    scores: np.ndarray = (f1 * seen).sum(axis=1) / seen.sum(axis=1)
    return scores


def percentile_interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """The central `level` share of `values` (linear interpolation between ranks)."""
    tail = 100 * (1 - level) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def macro_f1_ci(
    gold: Sequence[str], pred: Sequence[str], count: int = RESAMPLES, seed: int = SEED
) -> tuple[float, float]:
    """95% interval of one file's macro F1 over its messages drawn with replacement."""
    indices = resample_indices(len(gold), count, seed)
    return percentile_interval(resampled_macro_f1(gold, pred, indices))
