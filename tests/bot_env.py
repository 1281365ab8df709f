"""Run code in the Rasa environment (.venv-bot), as production runs the bot and its components.

Tests of bot/ code and of Rasa's own behaviour start a short script there and read back the last
line it prints as JSON; without .venv-bot they skip (`needs_bot_env`).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from scripts.stack import BOT_PYTHON, ROOT

__all__ = ["BOT_PYTHON", "last_json", "needs_bot_env", "rasa_test_env", "run_in_bot_env"]

needs_bot_env = pytest.mark.skipif(not BOT_PYTHON.exists(), reason=".venv-bot is not installed")


def rasa_test_env(scratch: Path, **extra: str) -> dict[str, str]:
    """The environment for a Rasa script: quiet, no telemetry, its training cache in `scratch`.

    Why: Rasa caches training results under the home folder by default, shared by everyone on
    the machine; a test's throw-away models have no business there.
    """
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        RASA_CACHE_DIRECTORY=str(scratch / ".rasa-cache"),
        TF_CPP_MIN_LOG_LEVEL="2",
        OMP_NUM_THREADS="1",
        LOG_LEVEL="WARNING",
        VAR_DIR=str(scratch),  # bot/endpoints.yml keeps the tracker database there
    )
    env.update(extra)
    return env


def run_in_bot_env(
    code: str,
    *args: object,
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    timeout: float = 240,
) -> str:
    """stdout of `python -c code args...`; a non-zero exit fails the test with stderr's tail."""
    done = subprocess.run(
        [str(BOT_PYTHON), "-c", code, *(str(a) for a in args)],
        cwd=cwd,
        env=env if env is not None else dict(os.environ),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def last_json(stdout: str) -> Any:
    """The script's answer: its last printed line, as JSON (Rasa may log lines before it)."""
    return json.loads(stdout.strip().splitlines()[-1])
