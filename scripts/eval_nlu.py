"""Measure the NLU pipeline on the held-out files, per language and group.

Why: the pipeline in bot/config.yml is chosen by these numbers, not by taste. The script trains an
NLU model with `.venv-bot` (or takes one), parses every example of
`nlu_data/heldout/<lang>_<group>.yml` in a `.venv-bot` subprocess (this same file in `--worker`
mode), and reports intent accuracy / macro F1 per file (each with a 95% bootstrap interval), the
confusions between task intents, entity F1 for uan/date/age, training time and the RSS of the
loaded model.

    .venv/bin/python scripts/eval_nlu.py --out var/eval/lr.md                # bot/config.yml
    .venv/bin/python scripts/eval_nlu.py --candidate diet --out var/eval/diet.md
    .venv/bin/python scripts/eval_nlu.py --model bot/models/x.tar.gz --out r.md
    .venv/bin/python scripts/eval_nlu.py --cv      # choose settings here: 5-fold CV, no held-out

Training data is nlu_data/{bn,hi,en,common} + the NLU files of bot/data, never nlu_data/heldout.
The work is done by the modules of scripts/nlu_eval/; the names below stay importable from here.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":  # run as a file: the repository root is not on sys.path yet
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.nlu_eval.cli import main
from scripts.nlu_eval.layout import HELDOUT_DIR, TASK_INTENTS
from scripts.nlu_eval.metrics import intent_scores
from scripts.nlu_eval.parsing import predict
from scripts.nlu_eval.render import headline_f1
from scripts.nlu_eval.summary import summarise

__all__ = [
    "HELDOUT_DIR",
    "TASK_INTENTS",
    "headline_f1",
    "intent_scores",
    "main",
    "predict",
    "summarise",
]

if __name__ == "__main__":
    sys.exit(main())
