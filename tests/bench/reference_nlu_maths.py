"""The hand-written NLU maths as it stood before scikit-learn and scipy took over (commit 006f048).

Kept verbatim as the reference the library-backed code must reproduce; nothing else imports it.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from bench.stats import percentile

ENTITIES = ("uan", "date", "age")
TASK_INTENTS = (
    "check_status",
    "renew_registration",
    "file_claim",
    "check_eligibility",
    "update_nominee",
    "pension_issue",
    "register",
    "give_feedback",
    "talk_to_human",
    "ask_scheme_info",
)
Scorer = Callable[[list[str], list[str]], dict[str, float]]


def intent_scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """Accuracy and macro F1 over the labels seen in gold or predictions (as sklearn does)."""
    labels = sorted(set(gold) | set(pred))
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(p == label and g != label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * prec * rec / (prec + rec) if prec + rec else 0.0)
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0
    return {"n": len(gold), "accuracy": accuracy, "macro_f1": sum(f1s) / len(f1s) if f1s else 0.0}


def entity_scores(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """P/R/F1 per entity type; a prediction counts when its type matches and its span overlaps."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        preds = [e for e in row["pred_entities"] if e["entity"] in ENTITIES]
        golds = [e for e in row["gold_entities"] if e["entity"] in ENTITIES]
        used: set[int] = set()
        for g in golds:
            hit = next(
                (
                    i
                    for i, p in enumerate(preds)
                    if i not in used
                    and p["entity"] == g["entity"]
                    and p["start"] < g["end"]
                    and g["start"] < p["end"]
                ),
                None,
            )
            if hit is None:
                counts[g["entity"]]["fn"] += 1
            else:
                used.add(hit)
                counts[g["entity"]]["tp"] += 1
        for i, p in enumerate(preds):
            if i not in used:
                counts[p["entity"]]["fp"] += 1
    scores = {}
    for ent in ENTITIES:
        c = counts[ent]
        prec = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        rec = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        scores[ent] = {"gold": c["tp"] + c["fn"], "precision": prec, "recall": rec, "f1": f1}
    return scores


def task_confusions(gold: list[str], pred: list[str]) -> Counter[tuple[str, str]]:
    """The confusion counting of the old `summarise`."""
    confusions: Counter[tuple[str, str]] = Counter()
    for g, p in zip(gold, pred, strict=True):
        if g != p and g in TASK_INTENTS and p in TASK_INTENTS:
            confusions[(g, p)] += 1
    return confusions


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
