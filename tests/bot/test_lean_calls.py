"""Rasa's calls to the action server, made cheaper without changing what they do, on the real
Rasa in .venv-bot: one kept connection per endpoint (keep_alive.py) where stock Rasa opens one
per call; a bot-text request without the conversation's events, and its reply checked with the
same verdicts as Rasa's (nlg_request.py)."""

from __future__ import annotations

import pytest

from tests.bot_env import last_json, needs_bot_env, rasa_test_env, run_in_bot_env

pytestmark = needs_bot_env

CONNECTIONS = r"""
import asyncio, json, sys, threading, time, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from rasa.utils.endpoints import EndpointConfig
import keep_alive, rasa_patches

seen = []
class Recording(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keeps a connection open between requests, as Sanic does
    def log_message(self, *args):
        pass
    def do_POST(self):
        self.rfile.read(int(self.headers['Content-Length']))
        seen.append([self.client_address[1], self.headers.get('Authorization')])
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

server = ThreadingHTTPServer(('127.0.0.1', 0), Recording)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
url = f'http://127.0.0.1:{server.server_address[1]}'

async def calls(endpoint, n, pause=0.0):
    answers = []
    for _ in range(n):
        answers.append(await endpoint.request(json={'x': 1}, timeout=5))
        await asyncio.sleep(pause)
    return answers

out = {}
def run(label, **kw):
    seen.clear()
    endpoint = EndpointConfig(url, headers={'Authorization': 'Bearer t'})
    out[label] = {'answers': asyncio.run(calls(endpoint, 5, **kw)), 'seen': list(seen)}

run('stock')
rasa_patches.apply(['keep_alive'])
run('kept')
run('idle', pause=keep_alive.IDLE_S + 0.5)
print(json.dumps(out))
"""

NLG = r"""
import asyncio, json, sys, warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, 'bot')
from rasa.core.nlg.callback import CallbackNaturalLanguageGenerator, nlg_request_format
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from nlg_request import request_body, valid_response
from timeouts import TimedCallbackNLG

tracker = DialogueStateTracker.from_events('web:abc', [
    ActionExecuted('action_listen'),
    UserUttered('my uan', {'name': 'inform', 'confidence': 1.0},
                metadata={'request_id': 'r-1'}),
    SlotSet('language', 'hi'),
])
out = {
    'ours': request_body('utter_ask_uan', tracker, 'rest', response_id=None, extra=1),
    'stock': nlg_request_format('utter_ask_uan', tracker, 'rest', response_id=None, extra=1),
}
replies = [None, '', {'text': 'hi'}, {'text': 'hi', 'buttons': [{'title': 'a'}], 'custom': {}},
           {'text': 3}, {'buttons': 'x'}, {'custom': []}, {'image': 5, 'text': None}, {}]
verdicts = []
for reply in replies:
    found = []
    for check in (CallbackNaturalLanguageGenerator.validate_response, valid_response):
        try:
            found.append(['ok', check(reply)])
        except RasaException as error:
            found.append(['refused', str(error)])
    verdicts.append(found)
out['verdicts'] = verdicts

bodies = []
class Recorded(EndpointConfig):
    async def request(self, method='post', subpath=None, content_type='application/json',
                      compress=False, **kwargs):
        bodies.append(kwargs['json'])
        return {'text': 'hello'}

nlg = TimedCallbackNLG(EndpointConfig('http://127.0.0.1:9'))
nlg.nlg_endpoint = Recorded('http://127.0.0.1:9')
out['generated'] = asyncio.run(nlg.generate('utter_greet', tracker, 'rest'))
out['sent'] = bodies
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def connections(tmp_path_factory) -> dict:
    env = rasa_test_env(tmp_path_factory.mktemp("keep-alive"))
    return last_json(run_in_bot_env(CONNECTIONS, env=env, timeout=120))


@pytest.fixture(scope="module")
def nlg(tmp_path_factory) -> dict:
    env = rasa_test_env(tmp_path_factory.mktemp("lean-nlg"))
    return last_json(run_in_bot_env(NLG, env=env, timeout=120))


def test_calls_share_one_connection_where_stock_rasa_opens_one_each(connections) -> None:
    stock, kept = connections["stock"], connections["kept"]
    assert len({port for port, _ in stock["seen"]}) == 5  # the control: a connection per call
    assert len({port for port, _ in kept["seen"]}) == 1
    assert kept["answers"] == [{"ok": True}] * 5
    assert {auth for _, auth in kept["seen"]} == {"Bearer t"}  # the endpoint's headers kept


def test_an_idle_connection_is_closed_and_the_next_call_still_answers(connections) -> None:
    idle = connections["idle"]
    assert idle["answers"] == [{"ok": True}] * 5
    assert len({port for port, _ in idle["seen"]}) == 5  # each pause outlasted IDLE_S


def test_a_bot_text_request_carries_the_state_but_not_the_events(nlg) -> None:
    ours, stock = nlg["ours"], nlg["stock"]
    assert stock["tracker"]["events"]  # the control: Rasa sends the whole conversation
    assert ours["tracker"]["events"] is None
    assert set(ours) == set(stock) and ours["arguments"] == stock["arguments"] == {"extra": 1}
    for key in ("sender_id", "slots", "latest_message", "active_loop"):
        assert ours["tracker"][key] == stock["tracker"][key]
    assert ours["tracker"]["slots"]["language"] == "hi"
    assert ours["tracker"]["latest_message"]["metadata"] == {"request_id": "r-1"}


def test_replies_get_rasas_verdicts_and_errors(nlg) -> None:
    for stock, ours in nlg["verdicts"]:
        assert ours == stock
    assert sum(v[0][0] == "refused" for v in nlg["verdicts"]) == 4  # text 3, buttons "x", ...


def test_our_nlg_class_sends_the_lean_body_and_returns_the_reply(nlg) -> None:
    assert nlg["generated"] == {"text": "hello"}
    (sent,) = nlg["sent"]
    assert sent["response"] == "utter_greet" and sent["tracker"]["events"] is None
    assert sent["channel"] == {"name": "rest"}
