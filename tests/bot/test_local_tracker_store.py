"""The embedded tracker store: what it hands Rasa is always what Rasa's own SQL store would read.

Runs in the Rasa environment (.venv-bot), against a real SQLite file, side by side with Rasa's
stock `SQLTrackerStore` on the same file: every answer of ours must equal the stock answer.
"""

from __future__ import annotations

import os

import pytest

from tests.bot_env import last_json, needs_bot_env, run_in_bot_env

pytestmark = needs_bot_env

SCRIPT = r"""
import asyncio, json, sqlite3, sys
sys.path.insert(0, 'bot')  # as bot/launch.py does: endpoints.yml names the module without `bot.`
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, SessionStarted, SlotSet, UserUttered,
)
from rasa.utils.endpoints import read_endpoint_config

DB = sys.argv[1]
domain = Domain.load('bot/domain.yml')
config = read_endpoint_config('bot/endpoints.yml', 'tracker_store')
config.kwargs['db'] = DB
ours = TrackerStore.create(config, domain)
stock = SQLTrackerStore(domain, dialect='sqlite', db=DB)
out = {'class': type(ours).__name__}

def dicts(tracker):
    return [e.as_dict() for e in tracker.events] if tracker else None

async def same(sender):
    mine, theirs = await ours.retrieve(sender), await stock.retrieve(sender)
    return dicts(mine) == dicts(theirs)

agree = []

def count_agrees(sender):
    # our one-statement count against Rasa's own query of the events it would read
    with ours.session_scope() as session:
        rasas = ours._event_query(session, sender, fetch_events_from_all_sessions=False).count()
        agree.append(ours._count(session, sender) == rasas)

def rows(sender):
    with sqlite3.connect(DB) as db:
        return db.execute('select count(*) from events where sender_id=?', (sender,)).fetchone()[0]

def turn(tracker, text, slot=None):
    tracker.update(UserUttered(text, {'name': 'inform', 'confidence': 1.0}))
    if slot:
        tracker.update(SlotSet('flow', slot))  # personal slots: test_tracker_scrubbing.py
    tracker.update(ActionExecuted('action_listen'))

async def main():
    sender = 'caller-1'
    first = await ours.get_or_create_tracker(sender)
    out['new_matches_stock'] = await same(sender)
    count_agrees(sender)
    count_agrees('nobody')
    tracker = await ours.retrieve(sender)
    turn(tracker, 'status please', 'status')
    await ours.save(tracker)
    again = await ours.retrieve(sender)
    out['kept_after_save'] = again is tracker
    out['kept_matches_stock'] = await same(sender)
    out['rows_equal_events'] = rows(sender) == len(again.events)
    count_agrees(sender)

    # a turn that fails half-way: changed, never saved; the next turn must not see it
    turn(again, 'lost turn')
    after_failure = await ours.retrieve(sender)
    out['failed_turn_dropped'] = (
        after_failure is not again and 'lost turn' not in json.dumps(dicts(after_failure))
    )
    out['after_failure_matches_stock'] = await same(sender)

    # a second turn on the kept tracker, then a new session started during a turn
    turn(after_failure, 'second turn')
    await ours.save(after_failure)
    kept = await ours.retrieve(sender)
    kept.update(ActionExecuted('action_session_start'))
    kept.update(SessionStarted())
    kept.update(ActionExecuted('action_listen'))
    await ours.save(kept)
    new_session = await ours.retrieve(sender)
    out['new_session_reread'] = new_session is not kept and len(new_session.events) == 2
    out['new_session_matches_stock'] = await same(sender)
    count_agrees(sender)
    turn(new_session, 'third turn', 'claim')
    await ours.save(new_session)
    full = await stock.retrieve_full_tracker(sender)
    out['no_row_twice'] = rows(sender) == len(full.events)
    out['slot_after_new_session'] = (await ours.retrieve(sender)).get_slot('flow')

    # a restart (a new process) reads the same conversation
    fresh = TrackerStore.create(config, domain)
    restarted = await fresh.retrieve(sender)
    out['restart_matches'] = dicts(restarted) == dicts(await stock.retrieve(sender))

    # a save by someone else (the stock store) is never hidden by a kept tracker
    other = await stock.retrieve(sender)
    turn(other, 'saved elsewhere')
    await stock.save(other)
    seen = await fresh.retrieve(sender)
    turn(seen, 'next')
    await fresh.save(seen)
    everything = await stock.retrieve_full_tracker(sender)
    out['outside_save_then_ours'] = rows(sender) == len(everything.events)
    out['outside_save_seen'] = 'saved elsewhere' in json.dumps(dicts(seen))

    # the memory is bounded: least recently used conversations are read again from disk
    small = type(ours)(domain=domain, db=DB, cache_size=2)
    for name in ('a', 'b', 'c'):
        t = await small.get_or_create_tracker(name)
        t = await small.retrieve(name)
        turn(t, 'hello ' + name)
        await small.save(t)
    out['bounded'] = len(small._kept) <= 2
    evicted = await small.retrieve('a')
    out['evicted_still_readable'] = dicts(evicted) == dicts(await stock.retrieve('a'))

    # a conversation without any session start (as Rasa 2 wrote them): every event counts
    plain = stock.init_tracker('plain')
    turn(plain, 'old style')
    await stock.save(plain)
    count_agrees('plain')
    out['counts_agree'] = agree
    out['plain_matches_stock'] = await same('plain')

    with sqlite3.connect(DB) as db:
        out['journal'] = db.execute('pragma journal_mode').fetchone()[0]

asyncio.run(main())
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    db = tmp_path_factory.mktemp("trackers") / "trackers.db"
    env = dict(os.environ)
    env.setdefault("ACTION_SERVER_URL", "http://127.0.0.1:5055")
    env.setdefault("ACTION_SERVER_TOKEN", "t")
    env["VAR_DIR"] = str(db.parent)  # bot/endpoints.yml puts the tracker database there
    return last_json(run_in_bot_env(SCRIPT, db, env=env, timeout=180))


def test_endpoints_name_our_store(result: dict[str, object]) -> None:
    # Rasa falls back to an in-memory store (conversations lost on restart) if the name is wrong
    assert result["class"] == "LocalSQLiteTrackerStore"


def test_answers_equal_rasas_own_sql_store(result: dict[str, object]) -> None:
    for key in (
        "new_matches_stock",
        "kept_matches_stock",
        "after_failure_matches_stock",
        "new_session_matches_stock",
        "restart_matches",
        "evicted_still_readable",
        "plain_matches_stock",
    ):
        assert result[key] is True, key


def test_counts_what_rasas_query_counts(result: dict[str, object]) -> None:
    assert result["counts_agree"] == [True] * 5


def test_keeps_a_saved_tracker_and_drops_an_unsaved_change(result: dict[str, object]) -> None:
    assert result["kept_after_save"] is True
    assert result["failed_turn_dropped"] is True


def test_no_event_is_written_twice(result: dict[str, object]) -> None:
    assert result["rows_equal_events"] is True
    assert result["new_session_reread"] is True
    assert result["no_row_twice"] is True
    assert result["outside_save_then_ours"] is True
    assert result["outside_save_seen"] is True
    assert result["slot_after_new_session"] == "claim"


def test_bounded_and_in_wal_mode(result: dict[str, object]) -> None:
    assert result["bounded"] is True
    assert result["journal"] == "wal"
