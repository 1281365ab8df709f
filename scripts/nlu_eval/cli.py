"""The command line of `scripts/eval_nlu.py`: train or take a model, score it, write the report.

Why the hidden `--worker` / `--cv-worker` modes: the Rasa side runs this same entry point in
`.venv-bot`, so there is one command to start and one to read in a traceback.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from scripts.nlu_eval.candidates import CANDIDATES, candidate_config
from scripts.nlu_eval.cross_validation import cross_validate, cv_worker
from scripts.nlu_eval.layout import HELDOUT_DIR, ROOT, TARGET_F1, heldout_files
from scripts.nlu_eval.parsing import predict, worker
from scripts.nlu_eval.render import headline_f1, markdown
from scripts.nlu_eval.summary import summarise
from scripts.nlu_eval.training import train

DESCRIPTION = "Measure the NLU pipeline on the held-out files, per language and group."


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=DESCRIPTION)
    ap.add_argument("--config", type=Path, default=ROOT / "bot" / "config.yml")
    ap.add_argument("--candidate", choices=sorted(CANDIDATES), help="swap the classifier block")
    ap.add_argument("--model", type=Path, help="evaluate this model instead of training one")
    ap.add_argument("--heldout", type=Path, default=HELDOUT_DIR)
    ap.add_argument(
        "--out", type=Path, help="markdown report; JSON (.json, .predictions.json) next to it"
    )
    ap.add_argument("--keep", type=Path, help="copy the trained model here")
    ap.add_argument("--cv", action="store_true", help="5-fold CV on training data, no held-out")
    return ap


def main(argv: list[str] | None = None) -> int:
    """Exit code 0 when every held-out file reaches the target, 1 when one does not."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker(*argv[1:4])
        return 0
    if argv[:1] == ["--cv-worker"]:
        cv_worker(*argv[1:4])
        return 0
    args = parser().parse_args(argv)
    # the parsing subprocess runs in a temporary folder: a relative path would find nothing there
    args.heldout = args.heldout.resolve()
    if args.cv:
        return cross_validate(args.config)
    if not heldout_files(args.heldout):
        print(f"no held-out files in {args.heldout}", file=sys.stderr)
        return 2
    report, predictions = evaluate(args)
    text = markdown(report)
    print(text)
    if args.out:
        write_outputs(args.out, text, report, predictions)
    below = [n for n, s in report["per_file"].items() if headline_f1(s) < TARGET_F1]
    return 1 if below else 0


def evaluate(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """(report, the worker's predictions) for `--model`, or for a model trained here."""
    with tempfile.TemporaryDirectory(prefix="eval_nlu_") as tmp:
        workdir = Path(tmp)
        meta: dict[str, Any] = {}
        if args.model:
            model, label = args.model.resolve(), str(args.model)
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
    return {"label": label, "meta": meta, **summarise(predictions)}, predictions


def write_outputs(
    out: Path, text: str, report: dict[str, Any], predictions: dict[str, Any]
) -> None:
    """`out` (markdown), `out`.json (the report) and `out`.predictions.json (every message)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    # every message's prediction, to diff two runs or pair two models (bench/paired.py)
    out.with_suffix(".predictions.json").write_text(
        json.dumps(predictions["files"], ensure_ascii=False, indent=1), encoding="utf-8"
    )
