"""Rasa's HTTP API is never served without a token, whoever starts it (make run, compose, k8s).

Rasa checks the token only when one is given, and a manifest whose secret is empty hands it
`--auth-token ""`: the launcher refuses to start Rasa then, before any of Rasa is loaded. The
token comes from RASA_TOKEN in the environment, not the command line (`ps` shows that to all).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.launch import open_api_problem, with_token_from
from scripts.stack import BOT_PYTHON, ROOT
from tests.bot_env import needs_bot_env, rasa_test_env

BASE = ["run", "--model", "bot/models", "--enable-api", "--port", "5005"]


@pytest.mark.parametrize(
    "extra",
    [[], ["--auth-token", ""], ["--auth-token", "  "], ["--auth-token="], ["--auth-token"]],
)
def test_the_api_without_a_token_is_refused(extra: list[str]) -> None:
    assert open_api_problem([*BASE, *extra]) is not None


@pytest.mark.parametrize(
    "extra",
    [["--auth-token", "s3cret"], ["--auth-token=-dash"], ["--jwt-secret", "k"]],
)
def test_the_api_with_a_token_or_no_api_at_all_starts(extra: list[str]) -> None:
    assert open_api_problem([*BASE, *extra]) is None
    assert open_api_problem(["run", "--model", "bot/models"]) is None  # channels only


@needs_bot_env
def test_the_launcher_exits_before_rasa_starts(tmp_path: Path) -> None:
    command = [str(BOT_PYTHON), str(ROOT / "bot" / "launch.py"), *BASE, "--auth-token", ""]
    done = subprocess.run(
        command, cwd=ROOT, env=rasa_test_env(tmp_path), capture_output=True, timeout=120
    )
    assert done.returncode != 0
    assert b"refusing to start Rasa" in done.stderr and b"--auth-token" in done.stderr


def test_the_token_comes_from_the_environment_not_the_command_line() -> None:
    env = {"RASA_TOKEN": "-s3cret-from-env"}
    args = with_token_from(env, BASE)
    assert args == [*BASE, "--auth-token=-s3cret-from-env"] and open_api_problem(args) is None
    # no variable, or an empty one: nothing added, so the launcher refuses
    for empty in ({}, {"RASA_TOKEN": "  "}):
        assert open_api_problem(with_token_from(empty, BASE)) is not None
    # a token given on the command line, or no API at all: left as it is
    given = [*BASE, "--auth-token", "other"]
    assert with_token_from(env, given) == given
    assert with_token_from(env, ["run", "--model", "m"]) == ["run", "--model", "m"]


@needs_bot_env
def test_the_launcher_refuses_when_the_environment_has_no_token(tmp_path: Path) -> None:
    command = [str(BOT_PYTHON), str(ROOT / "bot" / "launch.py"), *BASE]
    env = {**rasa_test_env(tmp_path), "RASA_TOKEN": ""}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert done.returncode != 0 and b"refusing to start Rasa" in done.stderr
