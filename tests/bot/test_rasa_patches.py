"""The launcher's patches of Rasa, checked against the real Rasa in .venv-bot: no stand-ins.

Two kinds of check, each failing when Rasa's behaviour changes under a patch:
- the Rasa code every patch relies on still has the fingerprint recorded for Rasa 3.6.21, and the
  start-up guard refuses another Rasa version, a missing target, changed code or a changed
  signature (so an upgrade forces a review of bot/rasa_patches.py);
- the patches do what they are for, with a real Rasa agent on the tiny model
  (tests/bot/conftest.py) and the endpoints of bot/endpoints.yml: a silent action server or NLG
  endpoint is given up on after RASA_ACTION_TIMEOUT_S, not Rasa's 300 s; the NLU graph runs on
  the parse thread and gives the same parse as Rasa's own `parse_message`; with
  `--logging-config-file` Rasa keeps the file's handler (and stock Rasa, the control, does not).
"""

from __future__ import annotations

import pytest

from tests.bot_env import last_json, needs_bot_env, rasa_test_env, run_in_bot_env

pytestmark = needs_bot_env

STATIC = r"""
import json, logging, sys, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from dataclasses import replace
import rasa.__main__ as rasa_main
import rasa.cli.run as cli_run
import rasa.version
import rasa_patches
from rasa_patches import PATCHES, check, fingerprint, resolve

out = {'problems': check()}
by_name = {patch.name: patch for patch in PATCHES}
timeout = by_name['action_timeout']
out['guard'] = {
    'version': check([], version='3.7.0'),
    'gone': check([replace(timeout, target=timeout.target + '_GONE')]),
    'changed': check([replace(timeout, relies_on={'rasa.core.actions.action.RemoteAction.run':
                                                  '0' * 16})]),
    'signature': check([replace(by_name['reply_validation'],
                                by='reply_validation.validate_action_reply')]),
}

# the logging control: stock Rasa run with a logging config file
handlers = {}
def record(label):
    def run(args):
        handlers[label] = [[type(h).__name__, type(h.formatter).__name__]
                           for h in logging.getLogger().handlers]
    return run
cli_run.run = record('stock')
sys.argv = ['rasa', 'run', '--logging-config-file', 'bot/logging.yml']
rasa_main.main()

import launch
# another Rasa: the launcher refuses before Rasa runs
cli_run.run = lambda args: out.setdefault('rasa_ran', True)
installed, rasa.version.__version__ = rasa.version.__version__, '3.7.0'
try:
    launch.main(['run'])
except SystemExit as stop:
    out['refused'] = str(stop.code)
rasa.version.__version__ = installed

# this Rasa: patched, and the logging config stays
cli_run.run = record('ours')
try:
    launch.main(['run', '--logging-config-file', 'bot/logging.yml'])
except SystemExit as stop:  # a changed Rasa: test_the_rasa_code... names the change
    out['launch_refused'] = str(stop.code)
out['handlers'] = handlers
import rasa.core.actions.action as action, rasa.core.nlg.callback as nlg, rasa.utils.io as rasa_io
from rasa.core.processor import MessageProcessor
from rasa.core.agent import Agent
import keep_alive, model_signing, parse_thread, reply_validation, turns, locks
from rasa.utils.endpoints import EndpointConfig
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockStore
out['applied'] = {
    'lock_queue': TicketLock.is_locked is locks.is_locked,
    'lock_lease': LockStore.lock is locks.lock,
    'keep_alive': EndpointConfig.session is keep_alive.session,
    'once_per_message': MessageProcessor.handle_message is turns.handle_message,
    'failed_action_fails_turn': action.RemoteAction.run is turns.run_remote_action,
    'store_failure_fails_turn': Agent._create_tracker_store is turns.create_tracker_store,
    'action_timeout': action.DEFAULT_REQUEST_TIMEOUT,
    'nlg_constant': nlg.DEFAULT_REQUEST_TIMEOUT,  # untouched: endpoints.yml names our NLG
    'reply_validation': action.RemoteAction._validate_action_result
                        is reply_validation.validate_action_result,
    'parse_off_loop': MessageProcessor.parse_message is parse_thread.parse_message,
    'signed_models': MessageProcessor._load_model is model_signing.load_signed_model,
    'keep_logging_config': rasa_io.configure_colored_logging.__name__,
    'switch_interval': sys.getswitchinterval(),
}
out['problems_after'] = check()  # Rasa's originals are still what is fingerprinted
print(json.dumps(out))
"""

BEHAVIOUR = r"""
import asyncio, json, sys, threading, time, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import rasa.cli.run as cli_run
import rasa.core.actions.action as action
from rasa.core.processor import MessageProcessor
from rasa.core.channels.channel import UserMessage

MODEL = sys.argv[1]  # before the launcher hands Rasa its own argv
stock_parse = MessageProcessor.parse_message
out = {'stock_timeout': action.DEFAULT_REQUEST_TIMEOUT}
cli_run.run = lambda args: None  # Rasa's CLI runs up to starting the server
import launch
launch.main(['run'])  # RASA_ACTION_TIMEOUT_S=1 in the environment

calls = []
class Silent(BaseHTTPRequestHandler):
    # an action server / NLG endpoint that takes far longer than any timeout
    def log_message(self, *args):
        pass
    def do_POST(self):
        calls.append(self.path)
        time.sleep(30)

server = ThreadingHTTPServer(('127.0.0.1', 0), Silent)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f'http://127.0.0.1:{server.server_address[1]}'

import os
from rasa.core.agent import Agent
from rasa.core.utils import AvailableEndpoints

# the endpoints as the server reads them from bot/endpoints.yml, pointed at the silent server
os.environ.update(ACTION_SERVER_URL=url, ACTION_SERVER_TOKEN='probe')
endpoints = AvailableEndpoints.read_endpoints('bot/endpoints.yml')


async def timed(agent, text, sender):
    start = time.monotonic()
    try:
        await agent.handle_text(text, sender_id=sender)
    except Exception as failed:  # an abandoned turn (turns.py): the REST channel answers []
        out.setdefault('failed', []).append(type(failed).__name__)
    return round(time.monotonic() - start, 1)


async def main():
    agent = Agent.load(MODEL, action_endpoint=endpoints.action, generator=endpoints.nlg)
    out['nlg_class'] = type(agent.nlg).__name__
    out['nlg_s'] = await timed(agent, 'hello', 'a')  # utter_greet, from the NLG endpoint
    out['action_s'] = await timed(agent, 'bye', 'b')  # action_slow, from the action server
    out['calls'] = sorted(set(calls))

    processor = agent.processor
    runner, threads = processor.graph_runner, []
    run = runner.run
    def recording_run(*args, **kwargs):
        threads.append(threading.current_thread().name.split('_')[0])
        return run(*args, **kwargs)
    runner.run = recording_run
    tracker = await agent.tracker_store.retrieve('a')
    texts = ['hello', 'where is my claim', 'nothing it knows', '/check_status{"uan":"1"}']
    out['same_parse'], out['threads'] = {}, {}
    for text in texts:
        for label, args in [('plain', ()), ('tracker', (tracker, False))]:
            message = UserMessage(text)  # one message_id for both
            threads.clear()
            stock = await stock_parse(processor, message, *args)
            stock_threads = list(threads)
            threads.clear()
            ours = await processor.parse_message(message, *args)
            out['same_parse'][f'{label}: {text}'] = stock == ours
            out['threads'][f'{label}: {text}'] = [stock_threads, list(threads)]
    out['parse_example'] = ours
    print(json.dumps(out))

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def static(tmp_path_factory) -> dict:
    env = rasa_test_env(tmp_path_factory.mktemp("patches"), RASA_ACTION_TIMEOUT_S="2.5")
    return last_json(run_in_bot_env(STATIC, env=env, timeout=180))


@pytest.fixture(scope="module")
def behaviour(tiny_model, tmp_path_factory) -> dict:
    env = rasa_test_env(tmp_path_factory.mktemp("behaviour"), RASA_ACTION_TIMEOUT_S="1")
    return last_json(run_in_bot_env(BEHAVIOUR, tiny_model, env=env, timeout=180))


def test_the_rasa_code_each_patch_relies_on_is_as_recorded_for_3_6_21(static) -> None:
    assert static["problems"] == []


def test_the_guard_names_another_version_a_gone_target_changed_code_and_a_signature(
    static,
) -> None:
    guard = static["guard"]
    assert guard["version"] == ["Rasa 3.7.0 is installed; the patches are for 3.6.21"]
    assert len(guard["gone"]) == 1
    assert "DEFAULT_REQUEST_TIMEOUT_GONE is gone" in guard["gone"][0]
    assert len(guard["changed"]) == 1
    assert "RemoteAction.run changed" in guard["changed"][0]
    assert len(guard["signature"]) == 1
    assert "('self', 'result')" in guard["signature"][0]
    assert "('reply',)" in guard["signature"][0]


def test_the_launcher_refuses_another_rasa_before_it_runs(static) -> None:
    assert "refusing to start Rasa" in static["refused"]
    assert "Rasa 3.7.0 is installed" in static["refused"]
    assert "rasa_ran" not in static


def test_the_launcher_applies_every_patch(static) -> None:
    assert static["applied"] == {
        "lock_queue": True,
        "lock_lease": True,
        "keep_alive": True,
        "once_per_message": True,
        "failed_action_fails_turn": True,
        "store_failure_fails_turn": True,
        "action_timeout": 2.5,
        "nlg_constant": 300,
        "reply_validation": True,
        "parse_off_loop": True,
        "signed_models": True,
        "keep_logging_config": "keep_configured_logging",
        "switch_interval": 0.001,
    }
    assert static["problems_after"] == []


def test_the_logging_config_file_keeps_its_handler_which_stock_rasa_replaces(static) -> None:
    assert static["handlers"]["ours"] == [["StreamHandler", "JsonFormatter"]]
    assert static["handlers"]["stock"] != static["handlers"]["ours"]  # the control


def test_rasa_gives_up_on_a_silent_nlg_endpoint_and_action_server_within_seconds(
    behaviour,
) -> None:
    assert behaviour["stock_timeout"] == 300
    assert behaviour["nlg_class"] == "TimedCallbackNLG"  # loaded by Rasa from endpoints.yml
    assert behaviour["calls"] == ["/nlg", "/webhook"]  # both were asked
    # the endpoint answers after 30 s: Rasa stopped waiting long before (1 s configured)
    assert behaviour["nlg_s"] < 10
    assert behaviour["action_s"] < 10
    # both turns are abandoned (turns.py): the action's, and the one whose bot text failed
    assert behaviour["failed"] == ["TurnFailed", "TurnFailed"]


def test_the_graph_runs_on_the_parse_thread_with_rasas_own_parse(behaviour) -> None:
    assert set(behaviour["same_parse"].values()) == {True}
    assert {key: threads for key, threads in behaviour["threads"].items()} == {
        key: [["MainThread"], ["nlu-parse"]] for key in behaviour["threads"]
    }
    assert behaviour["parse_example"]["intent"]["name"] == "check_status"
