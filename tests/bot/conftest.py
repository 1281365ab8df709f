"""A tiny Rasa model, trained once per test session, for tests that need a real Rasa agent.

Why: loading the project's model costs a minute of training when its inputs changed and seconds
of sentence-embedding set-up every time; the launcher's patches and the REST channel only need
Rasa's own processor, graph and policies, which a three-intent model trained in ~6 s exercises.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot.tiny_model import TRAIN, write_project
from tests.bot_env import BOT_PYTHON, last_json, rasa_test_env, run_in_bot_env


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of the trained tiny model (.tar.gz); its project files sit beside it."""
    if not BOT_PYTHON.exists():
        pytest.skip(".venv-bot is not installed")
    project = tmp_path_factory.mktemp("tiny-rasa")
    write_project(project)
    out = run_in_bot_env(TRAIN, project, env=rasa_test_env(project), timeout=300)
    return Path(last_json(out)["model"])
