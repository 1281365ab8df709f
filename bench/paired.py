"""Ours vs stock on the same held-out messages: is a difference more than a message or two?

Why: each held-out file has ~100 messages, so one message moves macro F1 by 0.01-0.05 and a
"win" or "loss" against the baseline can be luck. Both models parse the same messages, so the
fair test is a paired one: count the messages only one of them gets right (exact McNemar test)
and bootstrap the macro F1 difference over resampled messages. Predictions are the intents
`rasa test nlu` scores (an `nlu_fallback` undone), as in the headline figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scipy.stats import binomtest

from scripts.nlu_eval.intervals import (
    percentile_interval,
    resample_indices,
    resampled_macro_f1,
)
from scripts.nlu_eval.metrics import intent_scores, rasa_prediction

RESAMPLES = 2000


def mcnemar_exact_p(only_a: int, only_b: int) -> float:
    """Two-sided exact McNemar p: a fair coin over the discordant messages (1.0 if none)."""
    n = only_a + only_b
    if n == 0:
        return 1.0
    return float(binomtest(only_a, n, 0.5).pvalue)


def bootstrap_diff_ci(
    gold: Sequence[str],
    pred_a: Sequence[str],
    pred_b: Sequence[str],
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> tuple[float, float]:
    """95% percentile interval of macro F1(a) - macro F1(b) over messages drawn with replacement."""
    indices = resample_indices(len(gold), resamples, seed)
    diffs = resampled_macro_f1(gold, pred_a, indices) - resampled_macro_f1(gold, pred_b, indices)
    return percentile_interval(diffs)


def compare(
    ours: Sequence[dict[str, Any]], stock: Sequence[dict[str, Any]], resamples: int = RESAMPLES
) -> dict[str, Any]:
    """Paired comparison of two models' rows (text, gold, pred_rasa) for one held-out file."""
    by_text = {r["text"]: r for r in stock}
    pairs = [(r, by_text[r["text"]]) for r in ours if r["text"] in by_text]
    if not pairs:
        return {"n": 0}
    gold = [a["gold"] for a, _ in pairs]
    pred_a = [rasa_prediction(a) for a, _ in pairs]
    pred_b = [rasa_prediction(b) for _, b in pairs]
    right_a = [p == g for p, g in zip(pred_a, gold, strict=True)]
    right_b = [p == g for p, g in zip(pred_b, gold, strict=True)]
    only_ours = [a["text"] for (a, _), x, y in zip(pairs, right_a, right_b, strict=True) if x > y]
    only_stock = [
        {"text": a["text"], "gold": a["gold"], "ours": rasa_prediction(a)}
        for (a, _), x, y in zip(pairs, right_a, right_b, strict=True)
        if y > x
    ]
    low, high = bootstrap_diff_ci(gold, pred_a, pred_b, resamples)
    f1_diff = intent_scores(gold, pred_a)["macro_f1"] - intent_scores(gold, pred_b)["macro_f1"]
    return {
        "n": len(pairs),
        "ours_only_right": len(only_ours),
        "stock_only_right": len(only_stock),
        "mcnemar_p": round(mcnemar_exact_p(len(only_ours), len(only_stock)), 4),
        "f1_diff": round(f1_diff, 4),
        "f1_diff_ci95": [round(low, 4), round(high, 4)],
        "stock_only_right_sample": only_stock[:5],
    }


def paired_notes(paired: dict[str, Any]) -> list[str]:
    """One line per held-out file: how many messages separate ours from stock, and is it luck."""
    from bench.report import file_order, group_label  # the report's order and labels

    out = []
    for name, p in sorted(paired.items(), key=lambda i: file_order(i[0])):
        if not p.get("n"):
            continue
        low, high = p["f1_diff_ci95"]
        # the exact test decides; a percentile bootstrap is too eager with a handful of messages
        verdict = "a real difference" if p["mcnemar_p"] < 0.05 else "within chance"
        out.append(
            f"- Paired with stock, {group_label(name)}: only ours right on {p['ours_only_right']},"
            f" only stock on {p['stock_only_right']} of {p['n']} (exact McNemar p"
            f" {p['mcnemar_p']:.2f}); macro F1 difference {p['f1_diff']:+.3f}, 95% bootstrap"
            f" interval [{low:+.3f}, {high:+.3f}]: {verdict}"
        )
    return out
