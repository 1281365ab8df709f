"""Train an NLU model for the evaluation with `rasa train nlu` in `.venv-bot`.

Why a copy of the data: `rasa train nlu` takes a single path, and the training data lives in
several folders (never nlu_data/heldout).
"""

from __future__ import annotations

import resource
import shutil
import time
from pathlib import Path

from scripts.nlu_eval.bot_process import run_in_bot
from scripts.nlu_eval.layout import ROOT, TRAIN_DIRS, training_files


def collect_training_data(dest: Path) -> int:
    """Copy the training files into one folder; returns how many were copied."""
    count = 0
    for rel, path in training_files():
        target = dest / rel.replace("/", "_") / path.relative_to(ROOT / rel)
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
    started = time.monotonic()
    proc = run_in_bot(cmd, cwd=ROOT / "bot")
    seconds = time.monotonic() - started
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        raise SystemExit(f"rasa train nlu failed ({proc.returncode})")
    return workdir / "models" / "nlu.tar.gz", seconds, rss_mb
