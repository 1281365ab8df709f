"""Our check of action server replies gives Rasa's verdict on every reply, valid or not.

Runs in the Rasa environment (.venv-bot): each reply is judged by Rasa's own, unpatched
`RemoteAction._validate_action_result` and by the function bot/launch.py puts in its place; both
must accept, or both refuse with the same error (message, where, which rule).
"""

from __future__ import annotations

import json

from tests.bot_env import last_json, needs_bot_env, run_in_bot_env

pytestmark = needs_bot_env

USER = {
    "event": "user",
    "text": "status",
    "parse_data": {
        "intent": {"name": "check_status", "confidence": 0.9},
        "entities": [{"entity": "uan", "value": "100000000001", "start": 0, "end": 12}],
    },
}
REPLIES = {
    # what our action server sends
    "slots and a message": {
        "events": [
            {"event": "slot", "name": "uan", "value": "100000000001", "timestamp": None},
            {"event": "active_loop", "name": None},
            {"event": "followup", "name": "action_listen"},
        ],
        "responses": [{"text": "ok", "buttons": []}],
    },
    "no events": {"events": [], "responses": []},
    "nothing at all": {},
    "every plain event": {
        "events": [
            {"event": name}
            for name in (
                "action",
                "user_featurization",
                "cancel_reminder",
                "reminder",
                "action_execution_rejected",
                "form_validation",
                "loop_interrupted",
                "form",
                "active_loop",
                "reset_slots",
                "resume",
                "pause",
                "followup",
                "export",
                "restart",
                "undo",
                "rewind",
                "bot",
                "session_started",
                "agent",
            )
        ]
    },
    "user event": {"events": [USER]},
    "entities": {"events": [{"event": "entities", "entities": [{"entity": "a", "value": 1}]}]},
    # what must be refused
    "unknown event": {"events": [{"event": "teleport"}]},
    "event name not a string": {"events": [{"event": 5}]},
    "no event name": {"events": [{"name": "uan", "value": 1}]},
    "event not an object": {"events": ["slot"]},
    "slot without value": {"events": [{"event": "slot", "name": "uan"}]},
    "slot name not a string": {"events": [{"event": "slot", "name": 1, "value": 1}]},
    "timestamp text": {"events": [{"event": "action", "timestamp": "now"}]},
    "metadata a list": {"events": [{"event": "bot", "metadata": []}]},
    "bad intent": {"events": [{**USER, "parse_data": {"intent": {"name": 3}}}]},
    "entity without value": {"events": [{"event": "entities", "entities": [{"entity": "a"}]}]},
    "events not a list": {"events": {"event": "slot"}},
    "events null": {"events": None},
    "response not an object": {"responses": ["hi"]},
    "reply a list": [],
    "one bad among good": {"events": [{"event": "bot"}, {"event": "slot", "name": "x"}]},
}

SCRIPT = r"""
import json, sys
sys.path.insert(0, 'bot')
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from reply_validation import validate_action_result

action = RemoteAction('action_probe', None)


def outcome(check, reply):
    try:
        return ['valid', check(reply)]
    except ValidationError as error:
        return ['invalid', error.message, list(error.absolute_path), error.validator]


verdicts = {}
for name, reply in json.loads(sys.stdin.read()).items():
    rasa = outcome(action._validate_action_result, reply)  # Rasa's own, unpatched
    ours = outcome(lambda reply: validate_action_result(action, reply), reply)
    verdicts[name] = [rasa, ours]
print(json.dumps(verdicts))
"""


def test_same_verdict_and_error_as_rasa_on_every_reply() -> None:
    verdicts = last_json(run_in_bot_env(SCRIPT, stdin=json.dumps(REPLIES), timeout=120))
    assert verdicts.keys() == REPLIES.keys()
    assert {name: rasa for name, (rasa, _) in verdicts.items()} == {
        name: ours for name, (_, ours) in verdicts.items()
    }
    refused = {name for name, (rasa, _) in verdicts.items() if rasa[0] == "invalid"}
    assert refused == set(list(REPLIES)[6:])  # the cases above are what they say they are
