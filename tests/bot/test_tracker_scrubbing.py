"""A dump of the tracker database shows no UAN, date of birth, token or name (DPDP Act 2023),
while the live conversation, and one read back from the database, still work.

Runs real Rasa trackers and stores in the Rasa environment (.venv-bot) on a SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.bot_env import last_json, needs_bot_env, run_in_bot_env

pytestmark = needs_bot_env

SECRETS = [
    "100000000001",
    "1000 0000 0001",
    "1988-03-14",
    "14/03/1988",
    "tok-9f8e7d6c5b4a",
    "Rina",
    "9800000001",
    "nine eight zero zero zero zero zero zero zero one",
    "1990-07-02",  # a corrected date of birth (slot correction_value)
    "2 July 1990",  # ... as said while it was asked
]

SCRIPT = r"""
import asyncio, json, sqlite3, sys
sys.path.insert(0, 'bot')
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.utils.endpoints import read_endpoint_config

DB = sys.argv[1]
domain = Domain.load('bot/domain.yml')
config = read_endpoint_config('bot/endpoints.yml', 'tracker_store')
config.kwargs['db'] = DB
store = TrackerStore.create(config, domain)

def said(text, entities=()):
    return UserUttered(text, {'name': 'inform', 'confidence': 1.0},
                       [{'entity': e, 'value': v, 'start': 0, 'end': 1} for e, v in entities])

async def main():
    tracker = await store.get_or_create_tracker('web:conv-1')
    for event in [
        # the gateway's metadata: the number a call or a text comes from (docs/contracts.md)
        UserUttered('hello', {'name': 'greet', 'confidence': 1.0},
                    metadata={'channel': 'sms', 'caller_phone': '+919800000001'}),
        ActionExecuted('action_listen'),
        ActiveLoop('verify_form'), SlotSet('requested_slot', 'uan'),
        BotUttered('Please tell me your UAN.'),
        said('my uan is 1000 0000 0001', [('uan', '100000000001')]),
        SlotSet('uan', '100000000001'), SlotSet('requested_slot', 'date_of_birth'),
        BotUttered('UAN one zero zero zero zero zero zero zero zero zero zero one. Date of birth?'),
        said('14/03/1988', [('date', '1988-03-14')]),
        BotUttered('Thank you, Rina.'),
        SlotSet('date_of_birth', '1988-03-14'), SlotSet('verification_token', 'tok-9f8e7d6c5b4a'),
        SlotSet('worker_name', 'Rina'), SlotSet('requested_slot', None), ActiveLoop(None),
        ActionExecuted('action_listen'),
        said('call me on 9800000001 or nine eight zero zero zero zero zero zero zero one'),
        BotUttered('Rina, your claim CLM-2026-000101 is under review.'),
        ActionExecuted('action_listen'),
        ActiveLoop('correction_form'), SlotSet('requested_slot', 'correction_value'),
        BotUttered('What is your correct date of birth?'),
        said('2 July 1990', [('date', '1990-07-02')]),
        SlotSet('correction_value', '1990-07-02'), SlotSet('requested_slot', None),
        ActiveLoop(None), ActionExecuted('action_listen'),
    ]:
        tracker.update(event)
    await store.save(tracker)
    live = await store.retrieve('web:conv-1')
    with sqlite3.connect(DB) as db:
        dump = '\n'.join(r[0] for r in db.execute('select data from events'))
    fresh = TrackerStore.create(config, domain)  # another process: nothing kept in memory
    reread = await fresh.retrieve('web:conv-1')
    print(json.dumps({
        'dump': dump,
        'live_is_kept': live is tracker,
        'live_uan': live.get_slot('uan'),
        'reread_token': reread.get_slot('verification_token'),
        'reread_uan': reread.get_slot('uan'),
        'reread_name': reread.get_slot('worker_name'),
        'reread_texts': [e.get('text') for e in [x.as_dict() for x in reread.events]
                         if e.get('event') in ('user', 'bot')],
        'reread_channels': [e.get('metadata', {}).get('channel') for e in
                            [x.as_dict() for x in reread.events] if e.get('event') == 'user'],
    }))

asyncio.run(main())
"""


def _run(tmp_path: Path, **env_changes: str | None) -> dict[str, object]:
    env = dict(os.environ)
    env.setdefault("ACTION_SERVER_URL", "http://127.0.0.1:5055")
    env["VAR_DIR"] = str(tmp_path)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    result = last_json(run_in_bot_env(SCRIPT, tmp_path / "trackers.db", env=env, timeout=180))
    assert isinstance(result, dict)
    return result


def test_a_tracker_dump_shows_nothing_personal(tmp_path: Path) -> None:
    result = _run(tmp_path, ACTION_SERVER_TOKEN="t", TRACKER_KEY="test-tracker-key")
    dump = str(result["dump"])
    for secret in SECRETS:
        assert secret not in dump, secret
    assert "[identity check]" in dump and "CLM-2026-000101" in dump, "the rest stays readable"
    assert "sms" in list(result["reread_channels"]), "metadata other than the number stays"
    assert result["live_is_kept"] is True and result["live_uan"] == "100000000001"
    assert result["reread_token"] == "tok-9f8e7d6c5b4a", "another replica can carry on"
    assert result["reread_uan"] == "100000000001" and result["reread_name"] == "Rina"
    assert "my uan is 1000 0000 0001" not in str(result["reread_texts"])
    # what the assistant said at an identity step is sealed, not lost: a message resent after
    # its reply was lost (bot/turns.py) gets those words again from another replica
    assert "Thank you, Rina." in result["reread_texts"]
    assert "What is your correct date of birth?" in result["reread_texts"]
    (tmp_path / "nokey").mkdir()
    bare_words = _run(tmp_path / "nokey", ACTION_SERVER_TOKEN="", TRACKER_KEY=None)
    assert "Thank you, Rina." not in bare_words["reread_texts"], "no key: nothing to open"


def test_without_any_key_personal_slots_are_dropped_not_kept(tmp_path: Path) -> None:
    result = _run(tmp_path, ACTION_SERVER_TOKEN="t", TRACKER_KEY=None)
    assert result["reread_token"] is not None  # derived from ACTION_SERVER_TOKEN
    (tmp_path / "bare").mkdir()
    bare = _run(tmp_path / "bare", ACTION_SERVER_TOKEN="", TRACKER_KEY=None)
    assert bare["reread_token"] is None and bare["reread_uan"] is None
    for secret in SECRETS:
        assert secret not in str(bare["dump"]), secret
