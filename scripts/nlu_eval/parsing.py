"""Parse every held-out message with a trained model, and run Rasa's own evaluation on it.

Why a subprocess: the model loads only in `.venv-bot` (Rasa 3.6), so `predict` starts `worker`
there (through `scripts/eval_nlu.py --worker`) and reads back a JSON file: per file, every
message's gold and predicted intent and entities, plus Rasa's `run_evaluation` figures.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from scripts.nlu_eval.bot_process import run_in_bot, worker_command
from scripts.nlu_eval.layout import ROOT, heldout_files

ENTITY_KEYS = ("entity", "start", "end", "value")


def predict(model: Path, heldout: Path, workdir: Path) -> dict[str, Any]:
    """Every held-out message parsed by `model` (the worker's JSON, see `worker`)."""
    out = workdir / "predictions.json"
    proc = run_in_bot(worker_command("--worker", model, heldout, out), cwd=ROOT / "bot")
    if proc.returncode != 0:
        raise SystemExit("parsing the held-out files failed")
    predictions: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return predictions


def worker(model: str, heldout: str, out: str) -> None:
    """Runs inside .venv-bot: parse every held-out example with the trained model."""
    import asyncio
    import logging

    logging.disable(logging.WARNING)
    from rasa.core.agent import Agent
    from rasa.nlu.classifiers import fallback_classifier
    from rasa.shared.nlu.training_data.loading import load_data

    started = time.monotonic()
    agent = Agent.load(model)
    load_s = time.monotonic() - started
    load_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results: dict[str, Any] = {"load_s": load_s, "load_rss_mb": load_rss, "files": {}}
    parse_times: list[float] = []
    for path in heldout_files(Path(heldout)):
        rows = []
        for ex in load_data(str(path)).intent_examples:
            text = ex.get("text")
            t0 = time.monotonic()
            parsed = asyncio.run(agent.parse_message(text))
            parse_times.append(time.monotonic() - t0)
            # the intent `rasa test nlu` scores: the one under an nlu_fallback
            scored = parsed
            if fallback_classifier.is_fallback_classifier_prediction(parsed):
                scored = fallback_classifier.undo_fallback_prediction(parsed)
            rows.append(
                {
                    "text": text,
                    "gold": ex.get("intent"),
                    "pred": (parsed.get("intent") or {}).get("name"),
                    "confidence": (parsed.get("intent") or {}).get("confidence"),
                    "pred_rasa": (scored.get("intent") or {}).get("name"),
                    "gold_entities": _entities(ex.get("entities")),
                    "pred_entities": _entities(parsed.get("entities")),
                }
            )
        results["files"][path.stem] = rows
    parse_times.sort()
    if parse_times:
        results["parse_ms_p50"] = 1000 * parse_times[len(parse_times) // 2]
        results["parse_ms_p95"] = 1000 * parse_times[int(len(parse_times) * 0.95)]
    results["rss_after_parse_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results["rasa_test_nlu"] = rasa_test_nlu(agent, heldout)
    Path(out).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


def _entities(entities: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [{k: e.get(k) for k in ENTITY_KEYS} for e in entities or []]


def rasa_test_nlu(agent: Any, heldout: str) -> dict[str, dict[str, float]]:
    """Intent accuracy and macro F1 per held-out file, as `rasa test nlu` computes them.

    `rasa test nlu` is `Agent.load` + `rasa.nlu.test.run_evaluation` (rasa/model_testing.py);
    this calls the latter with the agent already loaded. Rasa undoes a FallbackClassifier
    prediction before scoring (the intent under it is scored), whereas our own figures count an
    `nlu_fallback` as an error and as a label of its own: both are reported.
    """
    import asyncio

    from rasa.nlu.test import run_evaluation

    scores = {}
    for path in heldout_files(Path(heldout)):
        with tempfile.TemporaryDirectory(prefix="rasa_test_nlu_") as out:
            result = asyncio.run(
                run_evaluation(
                    str(path),
                    agent.processor,
                    output_directory=out,
                    disable_plotting=True,
                    report_as_dict=True,
                    domain_path=str(ROOT / "bot" / "domain.yml"),
                )
            )
        intent = result.get("intent_evaluation") or {}
        scores[path.stem] = {
            "accuracy": float(intent.get("accuracy") or 0.0),
            "macro_f1": float((intent.get("report") or {})["macro avg"]["f1-score"]),
        }
    return scores
