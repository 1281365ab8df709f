"""Score the knowledge base on a half of the question set: what each question got, and the
figures the README and the bench report.

Definitions (every rate over the questions of the half):
- top-1 accuracy: answerable questions whose best passage, before any threshold, is expected;
- answered right: answerable questions given an answer whose first passage is expected;
- false answers: questions given a wrong first passage (answerable ones answered with another
  fact, plus unanswerable ones answered at all), over all questions;
- refused, unanswerable: unanswerable questions given no answer;
- precision: right first answers over all answers given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from api.knowledge.calibration import MethodCalibration
from api.knowledge.embedders import Embedder
from api.knowledge.ranking import Ranking, embedding_ranking, keyword_ranking
from api.knowledge.store import KnowledgeBase
from api.knowledge.vectors import passage_vectors
from scripts.kb_eval.questions import Question


@dataclass(frozen=True)
class Observed:
    """One question's evidence for every passage under one retrieval path."""

    question: Question
    features: np.ndarray

    def positives(self, kb: KnowledgeBase) -> list[int]:
        return [kb.position(e) for e in self.question.expect]


@dataclass(frozen=True)
class Outcome:
    question: Question
    top_id: str
    confidence: float
    right_top1: bool
    answered: bool

    @property
    def false_answer(self) -> bool:
        return self.answered and not self.right_top1


def collect(
    questions: Iterable[Question], kb: KnowledgeBase, embedder: Embedder | None
) -> list[Observed]:
    """Features of every question (the embedding path embeds each question once)."""
    vectors = passage_vectors(embedder, kb) if embedder is not None else None
    out = []
    for q in questions:
        ranking: Ranking
        if embedder is None or vectors is None:
            ranking = keyword_ranking(kb, q.text)
        else:
            ranking = embedding_ranking(kb, q.text, embedder, vectors)
        out.append(Observed(q, ranking.features))
    return out


def outcomes(
    observed: list[Observed], kb: KnowledgeBase, fitted: MethodCalibration, threshold: float
) -> list[Outcome]:
    result = []
    for item in observed:
        scores = fitted.scores(item.features)
        confidences = fitted.confidences(item.features, scores)
        best = int(np.argmax(scores))
        top_id = kb.passages[best].id
        result.append(
            Outcome(
                question=item.question,
                top_id=top_id,
                confidence=float(confidences[best]),
                right_top1=top_id in item.question.expect,
                answered=bool(confidences[best] >= threshold) and kb.passages[best].covered,
            )
        )
    return result


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def summary(results: list[Outcome]) -> dict[str, Any]:
    answerable = [o for o in results if o.question.answerable]
    unanswerable = [o for o in results if not o.question.answerable]
    answered = [o for o in results if o.answered]
    answered_right = sum(o.answered and o.right_top1 for o in answerable)
    out: dict[str, Any] = {
        "n": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "top1_accuracy": _rate(sum(o.right_top1 for o in answerable), len(answerable)),
        "answered_right": _rate(answered_right, len(answerable)),
        "false_answer_rate": _rate(sum(o.false_answer for o in results), len(results)),
        "false_answers": sum(o.false_answer for o in results),
        "refused_unanswerable": _rate(sum(not o.answered for o in unanswerable), len(unanswerable)),
        "precision": _rate(sum(o.right_top1 for o in answered), len(answered)),
        "brier": _brier(results),
    }
    by_group: dict[str, list[Outcome]] = defaultdict(list)
    for o in answerable:
        by_group[f"{o.question.lang}_{o.question.form}"].append(o)
    out["top1_by_group"] = {
        k: {"top1": _rate(sum(o.right_top1 for o in v), len(v)), "n": len(v)}
        for k, v in sorted(by_group.items())
    }
    return out


def _brier(results: list[Outcome]) -> float | None:
    """Mean squared gap between the confidence and whether the first passage was right."""
    if not results:
        return None
    return round(float(np.mean([(o.confidence - o.right_top1) ** 2 for o in results])), 4)


def misses(results: list[Outcome]) -> list[str]:
    """Readable lines for the questions that went wrong (tuning half only: see questions.py)."""
    lines = []
    for o in results:
        if o.question.answerable and o.right_top1 and o.answered:
            continue
        if not o.question.answerable and not o.answered:
            continue
        kind = (
            "FALSE"
            if o.false_answer
            else ("refused" if o.question.answerable and o.right_top1 else "wrong-top1")
        )
        lines.append(
            f"{kind:10} conf {o.confidence:.2f} got {o.top_id:32} want "
            f"{','.join(o.question.expect) or '-':40} {o.question.text}"
        )
    return lines
