"""Ours vs stock on the same held-out messages: is a difference more than a message or two?

Why: each held-out file has ~100 messages, so one message moves macro F1 by 0.01-0.05 and a
"win" or "loss" against the baseline can be luck. Both models parse the same messages, so the
fair test is a paired one: count the messages only one of them gets right (exact McNemar test)
and bootstrap the macro F1 difference over resampled messages. Predictions are the intents
`rasa test nlu` scores (an `nlu_fallback` undone), as in the headline figure.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from bench.stats import percentile

Scorer = Callable[[list[str], list[str]], dict[str, float]]


def mcnemar_exact_p(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p: a fair coin over the discordant messages (1.0 if none)."""
    n = only_a + only_b
    if n == 0:
        return 1.0
    k = min(only_a, only_b)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def bootstrap_diff_ci(
    gold: Sequence[str],
    pred_a: Sequence[str],
    pred_b: Sequence[str],
    score: Scorer,
    resamples: int = 2000,
    seed: int = 0,
) -> tuple[float, float]:
    """95% percentile interval of macro F1(a) - macro F1(b) over messages drawn with replacement."""
    rng = random.Random(seed)
    n = len(gold)
    diffs = []
    for _ in range(resamples):
        idx = [rng.randrange(n) for _ in range(n)]
        g = [gold[i] for i in idx]
        a = score(g, [pred_a[i] for i in idx])["macro_f1"]
        b = score(g, [pred_b[i] for i in idx])["macro_f1"]
        diffs.append(a - b)
    return percentile(diffs, 2.5), percentile(diffs, 97.5)


def compare(
    ours: Sequence[dict[str, Any]],
    stock: Sequence[dict[str, Any]],
    score: Scorer,
    resamples: int = 2000,
) -> dict[str, Any]:
    """Paired comparison of two models' rows (text, gold, pred_rasa) for one held-out file."""
    by_text = {r["text"]: r for r in stock}
    pairs = [(r, by_text[r["text"]]) for r in ours if r["text"] in by_text]
    if not pairs:
        return {"n": 0}
    gold = [a["gold"] for a, _ in pairs]
    pred_a = [_scored(a) for a, _ in pairs]
    pred_b = [_scored(b) for _, b in pairs]
    right_a = [p == g for p, g in zip(pred_a, gold, strict=True)]
    right_b = [p == g for p, g in zip(pred_b, gold, strict=True)]
    only_ours = [a["text"] for (a, _), x, y in zip(pairs, right_a, right_b, strict=True) if x > y]
    only_stock = [
        {"text": a["text"], "gold": a["gold"], "ours": _scored(a)}
        for (a, _), x, y in zip(pairs, right_a, right_b, strict=True)
        if y > x
    ]
    low, high = bootstrap_diff_ci(gold, pred_a, pred_b, score, resamples)
    return {
        "n": len(pairs),
        "ours_only_right": len(only_ours),
        "stock_only_right": len(only_stock),
        "mcnemar_p": round(mcnemar_exact_p(len(only_ours), len(only_stock)), 4),
        "f1_diff": round(score(gold, pred_a)["macro_f1"] - score(gold, pred_b)["macro_f1"], 4),
        "f1_diff_ci95": [round(low, 4), round(high, 4)],
        "stock_only_right_sample": only_stock[:5],
    }


def _scored(row: dict[str, Any]) -> str:
    return row.get("pred_rasa") or row.get("pred") or "none"
