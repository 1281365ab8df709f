"""`make rename-senders`: conversations stored before pseudonyms (`sms:+91...`) get their
pseudonymous ids everywhere, and the number behind them is still found (an open hand-over)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from api.db.models import AuditLog, HandoffTicket
from api.db.session import session_scope
from api.services import handoff, sender_renames, senders, trackers
from api.services.context import Ctx
from api.settings import get_settings

NUMBER = "+919811155501"
OLD = f"sms:{NUMBER}"
EVENTS = """CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,
type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),
action_name VARCHAR(255), data TEXT)"""


@pytest.fixture
def tracker_db(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'trackers.db'}"
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(EVENTS))
        for sender in (OLD, OLD, "web:someone"):
            c.execute(
                text("INSERT INTO events (sender_id, type_name, data) VALUES (:s, 'user', '{}')"),
                {"s": sender},
            )
    engine.dispose()
    monkeypatch.setenv("TRACKER_DB_URL", url)
    get_settings.cache_clear()
    yield url
    trackers.dispose()
    get_settings.cache_clear()


def _senders(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as c:
        found = [r[0] for r in c.execute(text("SELECT DISTINCT sender_id FROM events ORDER BY 1"))]
    engine.dispose()
    return found


def test_old_ids_are_renamed_everywhere_and_still_find_the_number(tracker_db: str) -> None:
    with session_scope() as s:
        handoff.create(
            s,
            Ctx(actor=f"rasa:{OLD}", channel="sms"),
            conversation_id=f"rasa:{OLD}",
            channel="sms",
            language="en",
            reason="asked",
            transcript=[],
            worker=None,
        )
        s.add(AuditLog(actor=f"rasa:{OLD}", action="x", purpose="test", outcome="ok"))
    with session_scope() as s:
        counts = sender_renames.rename_legacy(s)
    assert counts["tracker conversations"] == 1 and counts["audit_log.actor"] >= 1
    new = senders.sender_for("sms", NUMBER)
    assert _senders(tracker_db) == sorted([new, "web:someone"])
    with session_scope() as s:
        ticket = s.execute(select(HandoffTicket)).scalar_one()
        assert ticket.conversation_id == f"rasa:{new}"
        assert senders.number_of(s, ticket.conversation_id) == NUMBER  # replies still reach it
        actors = list(s.execute(select(AuditLog.actor)).scalars())
        assert f"rasa:{new}" in actors and not any(NUMBER[3:] in a for a in actors)
    with session_scope() as s:  # once is enough: a second run finds nothing
        assert not any(sender_renames.rename_legacy(s).values())
