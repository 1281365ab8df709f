"""Per-file and overall scores of the held-out predictions, each macro F1 with its interval.

Why two figures per file: the target is judged on `rasa test nlu`'s (which scores the intent
under an `nlu_fallback`); the strict one counts each fallback as an error and a class of its own.
"""

from __future__ import annotations

from typing import Any

from scripts.nlu_eval.intervals import LEVEL, RESAMPLES, SEED, macro_f1_ci
from scripts.nlu_eval.metrics import (
    FALLBACK,
    entity_scores,
    intent_scores,
    rasa_prediction,
    strict_prediction,
    task_confusions,
)

CI_DIGITS = 4


def file_scores(
    rows: list[dict[str, Any]], rasa: dict[str, float] | None, resamples: int, seed: int
) -> dict[str, Any]:
    """One held-out file: n, accuracy, both macro F1 figures with their 95% intervals."""
    gold = [r["gold"] for r in rows]
    pred = [strict_prediction(r) for r in rows]
    scores: dict[str, Any] = intent_scores(gold, pred)
    if rows:
        scores["macro_f1_ci95"] = _rounded(macro_f1_ci(gold, pred, resamples, seed))
    scores["fallbacks"] = pred.count(FALLBACK)
    if rasa:
        scores["rasa_macro_f1"] = rasa["macro_f1"]
        scores["rasa_accuracy"] = rasa["accuracy"]
        if rows:
            undone = [rasa_prediction(r) for r in rows]
            scores["rasa_macro_f1_ci95"] = _rounded(macro_f1_ci(gold, undone, resamples, seed))
    return scores


def _rounded(interval: tuple[float, float]) -> list[float]:
    return [round(interval[0], CI_DIGITS), round(interval[1], CI_DIGITS)]


def summarise(
    predictions: dict[str, Any], resamples: int = RESAMPLES, seed: int = SEED
) -> dict[str, Any]:
    """The report's scores from the worker's predictions (`parsing.worker`'s JSON)."""
    rasa_figures = predictions.get("rasa_test_nlu") or {}
    per_file = {
        name: file_scores(rows, rasa_figures.get(name), resamples, seed)
        for name, rows in sorted(predictions["files"].items())
    }
    all_rows = [r for _, rows in sorted(predictions["files"].items()) for r in rows]
    gold = [r["gold"] for r in all_rows]
    pred = [strict_prediction(r) for r in all_rows]
    errors = [
        {"file": n, "text": r["text"], "gold": r["gold"], "pred": r["pred"]}
        for n, rows in predictions["files"].items()
        for r in rows
        if r["gold"] != r["pred"]
    ]
    return {
        "per_file": per_file,
        "overall": intent_scores(gold, pred),
        "task_confusions": task_confusions(gold, pred),
        "entities": entity_scores(all_rows),
        "errors": errors,
        "intervals": {
            "level": LEVEL,
            "method": "percentile bootstrap over the file's messages",
            "resamples": resamples,
            "seed": seed,
        },
    }
