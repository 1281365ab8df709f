"""A turn happens once, whole or not at all (bot/turns.py), with a real Rasa agent on the tiny
model: stock Rasa 3.6 first (the control, showing the fault), then with the launcher's patches.

- A message resent with the same `message_id` after its reply was lost: stock Rasa takes it a
  second time; patched, the conversation keeps one copy and the resend gets the same replies.
- An action whose server is gone or too slow: stock Rasa saves the turn without the action's
  events (the conversation moves on half-done); patched, nothing of the turn is saved or shown,
  so the resent message finds the conversation where it was.
"""

from __future__ import annotations

import pytest

from tests.bot_env import last_json, needs_bot_env, rasa_test_env, run_in_bot_env

pytestmark = needs_bot_env

SCRIPT = r"""
import asyncio, json, socket, sys, threading, time, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig

MODEL = sys.argv[1]

class Silent(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_POST(self):
        time.sleep(30)

server = ThreadingHTTPServer(('127.0.0.1', 0), Silent)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
slow = f'http://127.0.0.1:{server.server_address[1]}/webhook'
probe = socket.socket()
probe.bind(('127.0.0.1', 0))
gone = f'http://127.0.0.1:{probe.getsockname()[1]}/webhook'  # bound, never listening
import rasa.core.actions.action as action
action.DEFAULT_REQUEST_TIMEOUT = 1


async def say(agent, sender, text, message_id=None):
    channel = CollectingOutputChannel()
    metadata = {'message_id': message_id} if message_id else {}
    try:
        await agent.handle_message(UserMessage(text, channel, sender, metadata=metadata))
        error = None
    except Exception as failed:
        error = type(failed).__name__
    return {'replies': [m.get('text') for m in channel.messages], 'error': error}


async def stored(agent, sender):
    tracker = await agent.tracker_store.retrieve(sender)
    if tracker is None:
        return []
    return [[e.get('event'), e.get('text'), (e.get('metadata') or {}).get('message_id')]
            for e in tracker.current_state(EventVerbosity.ALL)['events']
            if e.get('event') == 'user']


async def run(label):
    out = {}
    agent = Agent.load(MODEL, action_endpoint=EndpointConfig(slow))
    out['first'] = await say(agent, 'a', 'hello', 'm1')
    out['resent'] = await say(agent, 'a', 'hello', 'm1')
    out['next'] = await say(agent, 'a', 'hello', 'm2')
    out['users_a'] = await stored(agent, 'a')
    out['slow_action'] = await say(agent, 'b', 'bye', 'm3')
    out['users_b'] = await stored(agent, 'b')
    gone_agent = Agent.load(MODEL, action_endpoint=EndpointConfig(gone))
    out['gone_action'] = await say(gone_agent, 'c', 'bye', 'm4')
    out['users_c'] = await stored(gone_agent, 'c')
    texts_gone = EndpointConfig(gone, type='timeouts.TimedCallbackNLG')
    nlg_agent = Agent.load(MODEL, generator=texts_gone)
    out['gone_text'] = await say(nlg_agent, 'd', 'hello', 'm5')
    out['users_d'] = await stored(nlg_agent, 'd')
    return out

from rasa.shared.core.trackers import EventVerbosity
result = {'stock': asyncio.run(run('stock'))}
import rasa_patches
rasa_patches.apply(['once_per_message', 'failed_action_fails_turn'])
result['ours'] = asyncio.run(run('ours'))
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def turns(tiny_model, tmp_path_factory) -> dict:
    env = rasa_test_env(tmp_path_factory.mktemp("turns"))
    return last_json(run_in_bot_env(SCRIPT, tiny_model, env=env, timeout=240))


def test_stock_rasa_takes_a_resent_message_twice_and_saves_a_half_done_turn(turns) -> None:
    stock = turns["stock"]
    assert [u[2] for u in stock["users_a"]] == ["m1", "m1", "m2"]
    assert stock["slow_action"]["error"] is None
    assert stock["users_b"] == [["user", "bye", "m3"]]  # saved, though its action failed
    assert stock["users_c"] == [["user", "bye", "m4"]]
    assert stock["users_d"] == [["user", "hello", "m5"]]  # saved, though its text failed


def test_a_resent_message_gets_its_replies_again_and_is_kept_once(turns) -> None:
    ours = turns["ours"]
    assert ours["first"] == {"replies": ["hello"], "error": None}
    assert ours["resent"] == ours["first"]
    assert ours["next"] == {"replies": ["hello"], "error": None}  # a new message is a new turn
    assert [u[2] for u in ours["users_a"]] == ["m1", "m2"]


def test_a_turn_whose_action_fails_leaves_no_trace_and_says_nothing(turns) -> None:
    ours = turns["ours"]
    for case, users in (("slow_action", "users_b"), ("gone_action", "users_c")):
        assert ours[case] == {"replies": [], "error": "TurnFailed"}, case
        assert ours[users] == [], case  # the resent message finds the conversation as it was


def test_a_turn_whose_bot_text_fails_leaves_no_trace_and_says_nothing(turns) -> None:
    """The NLG server is the action server: killed, a form's next question cannot be worded."""
    ours = turns["ours"]
    assert ours["gone_text"] == {"replies": [], "error": "TurnFailed"}
    assert ours["users_d"] == []
