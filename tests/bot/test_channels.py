"""The REST channel cannot pass a slash command to Rasa, whatever comes before the slash.

Judged by Rasa itself, in the Rasa environment: each text goes through the channel's real
webhook handler (a real Sanic request), and the message it hands Rasa is checked twice: by the
graph's own command step (`NLUMessageConverter` then `RegexMessageHandler`, with the project's
domain and with none, which accepts any intent name), and end to end by a real agent (tiny
model, tests/bot/conftest.py): no restart, no slot filled, no intent forced. Rasa's stock REST
channel is run alongside as the control: the same checks do catch its commands.
"""

from __future__ import annotations

import json
import random

import pytest

from tests.bot_env import last_json, needs_bot_env, rasa_test_env, run_in_bot_env

pytestmark = needs_bot_env

ATTACKS = [
    "/restart",
    "/ /restart",
    "//restart",
    " \t/ / /restart",
    "\u200b/restart",
    "\u00a0/restart",
    "\n/restart",
    "\u3000/\u2003/restart",
    "\ufeff/\u200d/restart",
    "\u2028/restart",
    "\x00/restart",
    "／restart",  # fullwidth solidus: "/" once NFKC-normalised
    '/check_status{"uan":"1"}',
    '/ /check_status{"uan":"1"}',
    '\u200c/check_status@1.0{"uan":"1"}',
    "/session_start",
]
# What each attack is, as stock Rasa's REST channel passes it, with the project's domain: the
# control. (`/ /restart` asks for an intent named "/restart", which the domain has not.)
STOCK_COMMANDS = {
    "/restart",
    "\n/restart",
    "\u00a0/restart",  # str.strip() removes every Unicode space, not the zero-width ones
    "\u2028/restart",
    '/check_status{"uan":"1"}',
    "/session_start",
}
# Texts the channel must hand over unchanged, or with only the leading junk gone.
KEPT = {
    "hello /restart": "hello /restart",
    "ক্\u200cষমা চাই": "ক্\u200cষমা চাই",  # a joiner inside Bengali text is kept
    "  नमस्ते  ": "नमस्ते",  # Rasa strips the ends of every message itself
    '/check_status{"uan":"1"}': 'check_status{"uan":"1"}',
    "/": "",
    "১২৩৪ / ৫৬": "১২৩৪ / ৫৬",
}
# What may come before a command, to generate prefixes from (hypothesis is not installed: a
# seeded generator instead, so a failure names its input and reproduces).
PREFIX_CHARS = [
    " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u00a0", "\u1680", "\u2000",
    "\u2003", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\u200b", "\u200c",
    "\u200d", "\u200e", "\u200f", "\u2060", "\ufeff", "\u00ad", "\x00", "/", "/", "/", "／",
]  # fmt: skip
BODIES = ["restart", 'check_status{"uan":"100000000001"}', "inform@0.9", "greet", "x{"]


def generated(count: int, seed: int = 20261205) -> list[str]:
    """`count` texts: a random run of `PREFIX_CHARS`, then a slash and a command."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        prefix = "".join(rng.choice(PREFIX_CHARS) for _ in range(rng.randint(0, 8)))
        texts.append(prefix + "/" + rng.choice(BODIES))
    return texts


SCRIPT = r"""
import asyncio, json, sys, warnings
warnings.filterwarnings('ignore')  # Rasa warns about every text that looks like a bad command
sys.path.insert(0, 'bot')
from sanic import Sanic
from sanic.compat import Header
from sanic.request import Request
from rasa.core.agent import Agent
from rasa.core.channels.rest import RestInput
from rasa.graph_components.converters.nlu_message_converter import NLUMessageConverter
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Restarted, SlotSet, UserUttered
from channels import SafeRestInput

APP = Sanic('channel_probe')
cases = json.loads(sys.stdin.read())
domain = Domain.load('bot/domain.yml')


def webhook(channel, on_new_message):
    # the channel's own POST /webhook handler, as Rasa mounts it
    routes = channel.blueprint(on_new_message)._future_routes
    return next(route.handler for route in routes if route.uri == '/webhook')


async def post(channel, text, on_new_message, sender='probe'):
    request = Request(b'/webhooks/rest/webhook', Header({'content-type': 'application/json'}),
                      '1.1', 'POST', None, APP)
    request.body = json.dumps({'sender': sender, 'message': text}).encode()
    await webhook(channel, on_new_message)(request)


async def handed_over(channel, text):
    got = []
    async def keep(message):
        got.append(message)
    await post(channel, text, keep)
    return got[0]


def is_command(user_message, domain):
    message = NLUMessageConverter().convert_user_message([user_message])[0]
    return RegexMessageHandler().process([message], domain)[0] is not message


async def judged(channel, text):
    message = await handed_over(channel, text)
    return {'text': message.text, 'command': is_command(message, domain),
            'any_intent_command': is_command(message, None)}


async def end_to_end(agent, channel, text, sender):
    await post(channel, 'hello', agent.handle_message, sender)
    await post(channel, text, agent.handle_message, sender)
    tracker = await agent.tracker_store.retrieve_full_tracker(sender)
    said = [e for e in tracker.events if isinstance(e, UserUttered)][-1]
    return {'restarted': any(isinstance(e, Restarted) for e in tracker.events),
            'uan': [e.value for e in tracker.events if isinstance(e, SlotSet) and e.key == 'uan'],
            'intent': said.intent.get('name')}


async def main():
    ours, stock = SafeRestInput(), RestInput()
    out = {'ours': {}, 'stock': {}, 'generated': [], 'kept': {}, 'e2e': {}, 'stock_e2e': {}}
    for text in cases['attacks']:
        out['ours'][text] = await judged(ours, text)
        out['stock'][text] = await judged(stock, text)
    for text in cases['generated']:
        verdict = await judged(ours, text)
        if verdict['command'] or verdict['any_intent_command']:
            out['generated'].append(text)
    for text in cases['kept']:
        out['kept'][text] = (await handed_over(ours, text)).text
    agent = Agent.load(cases['model'])
    for n, text in enumerate(cases['attacks']):
        out['e2e'][text] = await end_to_end(agent, ours, text, f'ours-{n}')
        out['stock_e2e'][text] = await end_to_end(agent, stock, text, f'stock-{n}')
    print(json.dumps(out))

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def verdicts(tiny_model, tmp_path_factory) -> dict:
    cases = {
        "attacks": ATTACKS,
        "generated": generated(3000),
        "kept": list(KEPT),
        "model": str(tiny_model),
    }
    env = rasa_test_env(tmp_path_factory.mktemp("channels"))
    return last_json(run_in_bot_env(SCRIPT, env=env, stdin=json.dumps(cases), timeout=180))


def test_the_checks_catch_stock_rasas_commands(verdicts) -> None:
    stock = {text for text, verdict in verdicts["stock"].items() if verdict["command"]}
    assert stock == STOCK_COMMANDS
    e2e = verdicts["stock_e2e"]
    assert e2e["/restart"]["restarted"]
    assert e2e['/check_status{"uan":"1"}']["uan"] == ["1"]
    assert e2e["/session_start"]["intent"] == "session_start"


def test_no_attack_reaches_rasa_as_a_command(verdicts) -> None:
    passed = {
        text: verdict["text"]
        for text, verdict in verdicts["ours"].items()
        if verdict["command"] or verdict["any_intent_command"]
    }
    assert passed == {}


def test_no_attack_restarts_fills_a_slot_or_forces_an_intent(verdicts) -> None:
    # none of the attack texts holds a keyword of the tiny model: NLU finds no intent at all
    expected = {"restarted": False, "uan": [], "intent": None}
    assert {text: seen for text, seen in verdicts["e2e"].items() if seen != expected} == {}


def test_no_generated_prefix_lets_a_command_through(verdicts) -> None:
    assert verdicts["generated"] == []


def test_only_the_leading_junk_is_removed(verdicts) -> None:
    assert verdicts["kept"] == KEPT
