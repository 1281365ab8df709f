"""Start a process in the Rasa environment (`.venv-bot`) the way every step here needs it.

Why: training, parsing and cross-validation all run Rasa 3.6, which lives in its own virtualenv;
they share one environment recipe and one way of reporting a failure (the output's tail).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scripts.nlu_eval.layout import BOT_PYTHON, ROOT

# the CLI, which the workers are started through (`--worker`, `--cv-worker`)
ENTRY = ROOT / "scripts" / "eval_nlu.py"
TAIL_CHARS = 4000


def bot_env() -> dict[str, str]:
    """This process's environment plus the import paths and quiet settings Rasa needs."""
    env = dict(os.environ)
    # the repository root (custom components are `bot.components.*`, as scripts/train_model.py
    # and the Dockerfile resolve them) and bot/ (older `components.*` names)
    paths = [str(ROOT), str(ROOT / "bot"), env.get("PYTHONPATH")]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, paths))
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    return env


def worker_command(flag: str, *args: object) -> list[str]:
    """`.venv-bot/bin/python scripts/eval_nlu.py <flag> args...`."""
    return [str(BOT_PYTHON), str(ENTRY), flag, *(str(a) for a in args)]


def run_in_bot(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `command` in the Rasa environment; a failure's output tail goes to stderr."""
    proc = subprocess.run(command, cwd=cwd, env=bot_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-TAIL_CHARS:] + proc.stderr[-TAIL_CHARS:])
    return proc
