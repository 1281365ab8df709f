"""A turn whose conversation cannot be read or saved says nothing and is resent (bot/turns.py),
with a real Rasa agent on the tiny model: stock Rasa 3.6 first (the control), then patched.

Stock Rasa's FailSafeTrackerStore answers from an empty conversation when the store cannot be
read (and saves it over the conversation once the store is back), and answers (keeping the turn
in process memory only) when it cannot be saved: during a PostgreSQL restart the cluster's
workers got a fresh session's reply, then the old state.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot_env import last_json, needs_bot_env, rasa_test_env, run_in_bot_env

pytestmark = needs_bot_env

SCRIPT = r"""
import asyncio, json, sys, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore

MODEL = sys.argv[1]


class Flaky(InMemoryTrackerStore):
    failing = ''  # 'retrieve' or 'save': that call raises, as a database gone away does

    async def retrieve(self, sender_id):
        if self.failing == 'retrieve':
            raise ConnectionError('database restarting')
        return await super().retrieve(sender_id)

    async def save(self, tracker):
        if self.failing == 'save':
            raise ConnectionError('database restarting')
        await super().save(tracker)


async def say(agent, text, message_id):
    channel = CollectingOutputChannel()
    try:
        message = UserMessage(text, channel, 'w', metadata={'message_id': message_id})
        await agent.handle_message(message)
        error = None
    except Exception as failed:
        error = type(failed).__name__
    return {'replies': [m.get('text') for m in channel.messages], 'error': error}


async def run():
    store = Flaky(None)
    agent = Agent.load(MODEL, tracker_store=store)
    out = {'first': await say(agent, 'hello', 'm1')}
    for failing in ('retrieve', 'save'):
        store.failing = failing
        out[failing] = await say(agent, 'hello', f'm-{failing}')
        store.failing = ''
    tracker = await store.retrieve('w')
    out['kept'] = [e.metadata.get('message_id') for e in tracker.events if e.type_name == 'user']
    out['resent'] = await say(agent, 'hello', 'm-save')
    return out

result = {'stock': asyncio.run(run())}
import rasa_patches
rasa_patches.apply(['once_per_message', 'failed_action_fails_turn', 'store_failure_fails_turn'])
result['ours'] = asyncio.run(run())
print(json.dumps(result))
"""


@pytest.fixture(scope="module")
def turns(tiny_model: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env = rasa_test_env(tmp_path_factory.mktemp("store-failure"))
    answer: dict[str, Any] = last_json(run_in_bot_env(SCRIPT, tiny_model, env=env, timeout=240))
    return answer


def test_stock_rasa_answers_turns_it_could_not_read_or_save(turns: dict[str, Any]) -> None:
    stock = turns["stock"]
    assert stock["retrieve"] == {"replies": ["hello"], "error": None}  # from an empty one
    assert stock["save"] == {"replies": ["hello"], "error": None}  # kept in memory only
    assert stock["kept"] == ["m-retrieve"]  # and the empty one replaced the conversation


def test_a_turn_the_store_cannot_read_or_save_says_nothing(turns: dict[str, Any]) -> None:
    ours = turns["ours"]
    assert ours["first"] == {"replies": ["hello"], "error": None}
    assert ours["retrieve"] == {"replies": [], "error": "StoreFailed"}
    assert ours["save"] == {"replies": [], "error": "TurnFailed"}
    assert ours["kept"] == ["m1"]  # as it was: the resent message is a new turn
    assert ours["resent"] == {"replies": ["hello"], "error": None}
