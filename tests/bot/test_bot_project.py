"""The Rasa project as Rasa sees it: data validation, the launcher and the REST channel.

These run the Rasa environment (.venv-bot) in a subprocess, as production does.
"""

from __future__ import annotations

import subprocess

import pytest

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


# One Rasa interpreter start (~6 s) answers every question below.
PROBE = """
import sys; sys.path.insert(0, 'bot')
from rasa.shared.core.domain import Domain
d = Domain.load('bot/domain.yml')
asks = [f'utter_ask_{f}_{s}' for f, v in d.forms.items() for s in v['required_slots']]
print('domain', len(d.responses), all(a in d.user_actions for a in asks))
import rasa.__main__ as m; m.main = lambda: None
import launch; launch.main(['--version'])
import rasa.core.actions.action as a, rasa.core.nlg.callback as c
print('timeout', a.DEFAULT_REQUEST_TIMEOUT, c.DEFAULT_REQUEST_TIMEOUT)
print('switch', sys.getswitchinterval())
import asyncio, threading
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
class Processor:
    http_interpreter = None
    def _parse_message_with_graph(self, message, tracker, only_output):
        return {'thread': threading.current_thread().name, 'sender': tracker.sender_id}
    def _update_full_retrieval_intent(self, data): data['updated'] = True
    def _check_for_unseen_features(self, data): data['checked'] = True
data = asyncio.run(MessageProcessor.parse_message(Processor(), UserMessage('hi', sender_id='s1')))
print('parse', data['thread'].split('_')[0], data['sender'], data['updated'], data['checked'])
from channels import SafeRestInput, strip_command
class Req:
    json = {'message': '  /restart'}
print('channel', SafeRestInput.name(), repr(SafeRestInput()._extract_message(Req())),
      repr(strip_command('/check_status{"uan":"1"}')))
"""


@pytest.fixture(scope="module")
def probe() -> dict[str, str]:
    lines = run_in_bot_env(PROBE, timeout=120).strip().splitlines()
    return {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in lines if " " in line}


def test_domain_has_no_texts_and_every_form_question_is_an_action(probe) -> None:
    assert probe["domain"] == "0 True"


def test_launcher_shortens_the_action_timeout(probe) -> None:
    assert probe["timeout"] == "5.0 5.0"


def test_launcher_lets_the_parse_thread_back_in_quickly(probe) -> None:
    assert float(probe["switch"]) == 0.001


def test_launcher_parses_off_the_event_loop_with_rasas_own_checks(probe) -> None:
    assert probe["parse"] == "nlu-parse s1 True True"


def test_rest_channel_turns_commands_into_plain_text(probe) -> None:
    assert probe["channel"] == "rest 'restart' 'check_status{\"uan\":\"1\"}'"
