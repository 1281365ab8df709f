"""Intent and entity scores of the evaluation, computed by scikit-learn.

Why scikit-learn: `rasa test nlu` scores with it (`classification_report`), so our figures and
Rasa's share one implementation; only the reading of rows and the entity span matching are ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from scripts.nlu_eval.layout import ENTITIES, TASK_INTENTS

NO_INTENT = "none"
FALLBACK = "nlu_fallback"
# the other side of a missed or a spurious entity (never one of ENTITIES)
NO_ENTITY = "-"


def strict_prediction(row: dict[str, Any]) -> str:
    """The predicted intent as the parser answered: an `nlu_fallback` stays a label of its own."""
    return row.get("pred") or NO_INTENT


def rasa_prediction(row: dict[str, Any]) -> str:
    """The intent `rasa test nlu` scores: the one under an `nlu_fallback`."""
    return row.get("pred_rasa") or row.get("pred") or NO_INTENT


def intent_scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """n, accuracy and macro F1 over the labels seen in gold or predictions.

    Why those labels: a label only ever predicted (an `nlu_fallback`, an intent the file lacks)
    is a class with F1 0, as in `rasa test nlu`'s report, so every such prediction costs more
    than one message's accuracy.
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    if not gold:
        return {"n": 0, "accuracy": 0.0, "macro_f1": 0.0}
    labels = sorted(set(gold) | set(pred))
    macro = f1_score(gold, pred, labels=labels, average="macro", zero_division=0)
    return {"n": len(gold), "accuracy": float(accuracy_score(gold, pred)), "macro_f1": float(macro)}


def task_confusions(gold: Sequence[str], pred: Sequence[str]) -> list[dict[str, Any]]:
    """Task intents predicted as another task intent, commonest first (ties in TASK_INTENTS order).

    Why only task intents: those are the mistakes that send a worker down the wrong flow.
    """
    labels = list(TASK_INTENTS)
    if not set(gold) & set(labels):  # scikit-learn refuses a matrix no gold label is part of
        return []
    matrix = confusion_matrix(gold, pred, labels=labels)
    cells = [
        (int(matrix[i, j]), labels[i], labels[j])
        for i in range(len(labels))
        for j in range(len(labels))
        if i != j and matrix[i, j]
    ]
    cells.sort(key=lambda cell: -cell[0])  # stable: ties keep the matrix order
    return [{"gold": g, "pred": p, "count": count} for count, g, p in cells]


def entity_matches(rows: Iterable[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(gold type, predicted type) of every matched, missed and spurious entity of ENTITIES.

    A prediction matches a gold entity when the type is the same and the spans overlap (each
    prediction matches once); a miss pairs with NO_ENTITY on the predicted side, a spurious
    prediction with NO_ENTITY on the gold side.
    """
    gold_types: list[str] = []
    pred_types: list[str] = []
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
            gold_types.append(g["entity"])
            pred_types.append(NO_ENTITY if hit is None else g["entity"])
            if hit is not None:
                used.add(hit)
        for i, p in enumerate(preds):
            if i not in used:
                gold_types.append(NO_ENTITY)
                pred_types.append(p["entity"])
    return gold_types, pred_types


def entity_scores(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Precision, recall, F1 and gold count per entity type of ENTITIES (span overlap)."""
    gold_types, pred_types = entity_matches(rows)
    if not gold_types:
        zero = {"gold": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0}
        return {ent: dict(zero) for ent in ENTITIES}
    precision, recall, f1, support = precision_recall_fscore_support(
        gold_types, pred_types, labels=list(ENTITIES), zero_division=0
    )
    return {
        ent: {
            "gold": int(support[i]),
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1": float(f1[i]),
        }
        for i, ent in enumerate(ENTITIES)
    }
