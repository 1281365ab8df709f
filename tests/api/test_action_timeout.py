"""Rasa's wait for an action (RASA_ACTION_TIMEOUT_S) must hold the action server's wait for the
API (BACKEND_TIMEOUT_S) and the action's own work: otherwise Rasa gives up on an action that
still waits for the API, and the turn fails although the API answers. One rule
(api/domain/timeouts.py), checked by the settings, by the stack that starts Rasa and by Rasa's
own launcher (its environment has no settings class); a bad pair refuses to start.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from api.settings import Settings
from bot.launch import timeout_problem
from scripts.stack import BOT_PYTHON, ROOT, Stack
from tests.bot_env import needs_bot_env, rasa_test_env


def test_the_settings_refuse_an_action_wait_not_over_the_backend_wait() -> None:
    for action_s in (3.0, 4.0, 4.5):
        with pytest.raises(ValueError, match="RASA_ACTION_TIMEOUT_S"):
            Settings(demo_mode=True, backend_timeout_s=4.0, rasa_action_timeout_s=action_s)
    assert Settings(demo_mode=True, backend_timeout_s=4.0, rasa_action_timeout_s=5.0)
    assert Settings(demo_mode=True).rasa_action_timeout_s == 5.0  # the production default


def test_rasa_s_launcher_applies_the_same_rule() -> None:
    assert timeout_problem({"BACKEND_TIMEOUT_S": "4", "RASA_ACTION_TIMEOUT_S": "4.5"})
    assert timeout_problem({"BACKEND_TIMEOUT_S": "20", "RASA_ACTION_TIMEOUT_S": "15"})
    assert timeout_problem({"BACKEND_TIMEOUT_S": "4", "RASA_ACTION_TIMEOUT_S": "five"})
    assert timeout_problem({"BACKEND_TIMEOUT_S": "4", "RASA_ACTION_TIMEOUT_S": "5"}) is None
    assert timeout_problem({"BACKEND_TIMEOUT_S": "4"}) is None  # Rasa's default, 5 s
    assert timeout_problem({"RASA_ACTION_TIMEOUT_S": "1"}) is None  # no pair given: no rule


def test_the_stack_refuses_a_bad_pair_and_hands_rasa_the_checked_one(tmp_path: Path) -> None:
    env = {**os.environ, "DEMO_MODE": "true", "VAR_DIR": str(tmp_path)}
    model, logs = tmp_path / "model.tar.gz", tmp_path / "log"
    with pytest.raises(ValueError, match="RASA_ACTION_TIMEOUT_S"):
        bad = {**env, "BACKEND_TIMEOUT_S": "10", "RASA_ACTION_TIMEOUT_S": "8"}
        Stack(model=model, env=bad, log_dir=logs)
    good = {**env, "BACKEND_TIMEOUT_S": "10", "RASA_ACTION_TIMEOUT_S": "12"}
    stack = Stack(model=model, env=good, log_dir=logs)
    rasa = next(s for s in stack.services if s.name == "rasa")
    assert rasa.env["RASA_ACTION_TIMEOUT_S"] == "12" and rasa.env["BACKEND_TIMEOUT_S"] == "10"
    plain = {k: v for k, v in env.items() if "TIMEOUT_S" not in k}
    rasa = next(s for s in Stack(model=model, env=plain, log_dir=logs).services if s.name == "rasa")
    assert rasa.env["RASA_ACTION_TIMEOUT_S"] == "5" and rasa.env["BACKEND_TIMEOUT_S"] == "4"


@needs_bot_env
def test_rasa_is_not_started_with_a_bad_pair(tmp_path: Path) -> None:
    command = [str(BOT_PYTHON), str(ROOT / "bot" / "launch.py"), "run", "--model", "bot/models"]
    env = rasa_test_env(tmp_path, BACKEND_TIMEOUT_S="4", RASA_ACTION_TIMEOUT_S="4")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert done.returncode != 0
    assert b"refusing to start Rasa" in done.stderr and b"RASA_ACTION_TIMEOUT_S" in done.stderr
