"""The assistant's conversation store (Rasa's `events` table), reached for retention and erasure.

Why here: Rasa keeps every turn of every conversation; the law (DPDP Act 2023) says keep it no
longer than needed and erase it when the worker asks. The backend does both on the tracker
database named by TRACKER_DB_URL (var/trackers.db under `make run`, PostgreSQL in compose),
deleting whole conversations (Rasa then starts afresh). A store Rasa never created is no error.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from api.db.session import make_engine
from api.settings import get_settings

log = logging.getLogger(__name__)
# A stored reply's sealed words (the same name in bot/local_tracker_store.py, checked by a test)
SEALED_WORDS = "sealed_words"
_IDLE_SENDERS = text(
    "SELECT sender_id FROM events GROUP BY sender_id HAVING max(timestamp) < :cutoff LIMIT 500"
)
_DELETE_SENDERS = text("DELETE FROM events WHERE sender_id IN :senders").bindparams(
    bindparam("senders", expanding=True)
)
_STORED_SENDERS = text(
    "SELECT DISTINCT sender_id FROM events WHERE sender_id IN :senders"
).bindparams(bindparam("senders", expanding=True))


_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _engine(url: str) -> Engine:
    with _lock:
        if url not in _engines:
            _engines[url] = make_engine(url)
        return _engines[url]


def _store() -> Engine | None:
    engine = _engine(get_settings().tracker_database_url)
    try:
        if not inspect(engine).has_table("events"):
            return None
    except SQLAlchemyError:
        log.warning("tracker database unreachable", exc_info=True)
        return None
    return engine


def delete_conversations(senders: Iterable[str]) -> int:
    """Delete every event of these Rasa senders ("web:...", "sms:+91..."); conversations deleted."""
    wanted = sorted({s for s in senders if s})
    engine = _store() if wanted else None
    if engine is None:
        return 0
    with engine.begin() as connection:
        stored = list(connection.execute(_STORED_SENDERS, {"senders": wanted}))
        connection.execute(_DELETE_SENDERS, {"senders": wanted})
    return len(stored)


def purge_idle(older_than: datetime) -> int:
    """Delete conversations whose last event is older than `older_than`; conversations deleted."""
    engine = _store()
    if engine is None:
        return 0
    cutoff = older_than.timestamp()
    done = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with engine.begin() as connection:
            senders = [r[0] for r in connection.execute(_IDLE_SENDERS, {"cutoff": cutoff})]
            if not senders:
                break
            connection.execute(_DELETE_SENDERS, {"senders": senders})
        done += len(senders)
    return done


_EVENTS_SINCE = text(
    "SELECT type_name, data FROM events WHERE sender_id = :sender AND id >= ("
    " SELECT min(id) FROM events WHERE sender_id = :sender AND type_name = 'user'"
    " AND data LIKE :marker) ORDER BY id"
)


def replies_to(sender: str, message_id: str) -> list[dict[str, Any]] | None:
    """The assistant's replies to the user message carrying `message_id` in its metadata (the
    web chat's retry after the process that relayed it died), None if it never got there.

    As stored: personal values and long numbers are masked (bot/local_tracker_store.py). A
    reply of an identity step is stored sealed under a key only Rasa holds: then None too, and
    the message goes to Rasa, which answers a message it has taken with that turn's replies
    (bot/turns.py) and takes nothing twice."""
    engine = _store()
    if engine is None:
        return None
    marker = f'%"message_id": "{message_id}"%'  # ids are [A-Za-z0-9-] only (the web chat checks)
    try:
        with engine.connect() as connection:
            rows = list(connection.execute(_EVENTS_SINCE, {"sender": sender, "marker": marker}))
    except SQLAlchemyError:
        log.warning("tracker database unreachable", exc_info=True)
        return None
    if not rows:
        return None
    replies: list[dict[str, Any]] = []
    for kind, data in rows[1:]:
        if kind == "user":
            break
        if kind == "bot":
            event = json.loads(data)
            if SEALED_WORDS in event:
                return None
            buttons = (event.get("data") or {}).get("buttons") or []
            replies.append({"text": event.get("text") or "", "buttons": buttons})
    return replies


def dispose() -> None:
    """Close the tracker store's connections (tests)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


_LEGACY_TEXT_SENDERS = text(
    "SELECT DISTINCT sender_id FROM events WHERE sender_id LIKE 'sms:+%'"
    " OR sender_id LIKE 'whatsapp:+%'"
)
_RENAME_SENDER = text("UPDATE events SET sender_id = :new WHERE sender_id = :old")


def legacy_text_senders() -> list[str]:
    """SMS/WhatsApp senders from before pseudonyms (`sms:+91...`), as stored."""
    engine = _store()
    if engine is None:
        return []
    with engine.connect() as connection:
        return [str(r[0]) for r in connection.execute(_LEGACY_TEXT_SENDERS)]


def rename_senders(renames: dict[str, str]) -> int:
    """Give conversations new sender ids (old -> new), in one transaction; conversations renamed."""
    engine = _store() if renames else None
    if engine is None:
        return 0
    with engine.begin() as connection:
        for old, new in renames.items():
            connection.execute(_RENAME_SENDER, {"old": old, "new": new})
    return len(renames)
