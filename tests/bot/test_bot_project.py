"""The Rasa project as Rasa sees it: data validation and the domain.

These run the Rasa environment (.venv-bot) in a subprocess, as production does. The launcher's
patches are tested in test_rasa_patches.py, the REST channel in test_channels.py.
"""

from __future__ import annotations

import subprocess

from scripts.stack import ROOT
from tests.bot_env import needs_bot_env, run_in_bot_env

pytestmark = needs_bot_env


def test_rasa_data_validate_passes() -> None:
    done = subprocess.run(
        [
            str(ROOT / ".venv-bot" / "bin" / "rasa"),
            "data",
            "validate",
            "--domain",
            "bot/domain.yml",
            "--data",
            "bot/data",
            "nlu_data",
            "--config",
            "bot/config.yml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    assert "conflict" not in done.stdout.lower().replace("no story structure conflicts", "")


DOMAIN_PROBE = """
from rasa.shared.core.domain import Domain
d = Domain.load('bot/domain.yml')
asks = [f'utter_ask_{f}_{s}' for f, v in d.forms.items() for s in v['required_slots']]
print('domain', len(d.responses), all(a in d.user_actions for a in asks))
"""


def test_domain_has_no_texts_and_every_form_question_is_an_action() -> None:
    assert run_in_bot_env(DOMAIN_PROBE, timeout=120).strip().splitlines()[-1] == "domain 0 True"
