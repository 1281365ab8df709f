"""From evidence to a decision: a score per passage, a calibrated confidence, a threshold.

The numbers live in api/data/knowledge/calibration.yaml, written by `python -m scripts.kb_eval
calibrate` (weights from the tuning half, confidence and threshold from the calibration set,
never from the test half). Score = weights . features; confidence = logistic(a * score +
b * margin + c . features + bias), where margin is the score's lead over the best other passage,
so "the best of a bad lot" does not look sure, and the passage's own evidence says which kind of
match it is (a keyword-only match is less sure than one every view agrees on). An answer is
given only when its confidence reaches the threshold; below it the worker hears "I don't know;
an officer can tell you" instead of a neighbouring fact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from api.knowledge.passages import KB_DIR

log = logging.getLogger(__name__)
CALIBRATION_PATH = KB_DIR / "calibration.yaml"


@dataclass(frozen=True)
class Confidence:
    score: float
    margin: float
    features: tuple[float, ...]
    bias: float


@dataclass(frozen=True)
class MethodCalibration:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    confidence: Confidence
    threshold: float

    def scores(self, features: np.ndarray) -> np.ndarray:
        return features @ np.asarray(self.weights, dtype=np.float32)

    def confidences(self, features: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """Each passage's probability of being the right answer: score, margin and evidence."""
        if scores.size == 0:
            return scores
        order = np.argsort(-scores, kind="stable")
        best, second = scores[order[0]], scores[order[1]] if scores.size > 1 else -np.inf
        others_best = np.full_like(scores, best)
        others_best[order[0]] = second if np.isfinite(second) else best
        margin = scores - others_best
        c = self.confidence
        evidence = features @ np.asarray(c.features, dtype=np.float32)
        logit = c.score * scores + c.margin * margin + evidence + c.bias
        confidence: np.ndarray = 1.0 / (1.0 + np.exp(-logit))
        return confidence


@dataclass(frozen=True)
class Calibration:
    source_digest: str
    methods: dict[str, MethodCalibration]

    def for_method(self, key: str) -> MethodCalibration | None:
        return self.methods.get(key)


def parse_calibration(raw: dict[str, Any]) -> Calibration:
    methods = {}
    for key, item in (raw.get("methods") or {}).items():
        features = tuple(str(f) for f in item["features"])
        weights = tuple(float(w) for w in item["weights"])
        if len(features) != len(weights):
            raise ValueError(f"calibration {key}: features and weights differ in number")
        raw_confidence = item["confidence"]
        confidence = Confidence(
            score=float(raw_confidence["score"]),
            margin=float(raw_confidence["margin"]),
            features=tuple(float(v) for v in raw_confidence["features"]),
            bias=float(raw_confidence["bias"]),
        )
        if len(confidence.features) != len(features):
            raise ValueError(f"calibration {key}: confidence needs one weight per feature")
        threshold = float(item["threshold"])
        methods[str(key)] = MethodCalibration(features, weights, confidence, threshold)
    return Calibration(str(raw.get("source_digest") or ""), methods)


@lru_cache(maxsize=2)
def load_calibration(path: Path = CALIBRATION_PATH) -> Calibration:
    """Read once per process; a missing file means nothing is calibrated (no answers)."""
    import yaml

    if not path.exists():
        log.error("knowledge: no calibration at %s; knowledge answers are off", path.name)
        return Calibration("", {})
    return parse_calibration(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
