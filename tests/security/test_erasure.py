"""A worker erases their conversations after verification; an officer can do it for a caller.
What the law keeps (claims, the audit trail) stays; the erasure is recorded and audited."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from api.db.models import (
    AuditLog,
    Claim,
    ErasureRecord,
    HandoffMessage,
    OutboundMessage,
    VoiceCall,
)
from api.db.session import session_scope
from api.services import trackers
from api.settings import get_settings
from tests.api.conftest import SERVICE_HEADERS as H
from tests.factory import RINA
from tests.secrets import STAFF_PASSWORD
from tests.security.helpers import token_headers, verify

EVENTS = """CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,
type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),
action_name VARCHAR(255), data TEXT)"""
MINE = "rasa:web:conv-rina"


@pytest.fixture
def tracker_db(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A tracker database as Rasa writes it, with the worker's and someone else's turns."""
    url = f"sqlite:///{tmp_path / 'trackers.db'}"
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(EVENTS))
        for sender in ("web:conv-rina", "web:conv-rina", "sms:+919800000001", "web:someone"):
            c.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data)"
                    " VALUES (:s, 'user', 1.0, '{}')"
                ),
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


def _hand_over(client, conversation: str, token: str | None = None) -> dict[str, Any]:
    body = {
        "conversation_id": conversation,
        "channel": "web",
        "language": "bn",
        "reason": "asked",
        "transcript": [{"sender": "user", "text": "আমার স্বামীর নাম তপন"}],
        **({"verification_token": token} if token else {}),
    }
    return dict(client.post("/api/v1/handoffs", json=body, headers=H).json())


def test_a_worker_erases_their_conversations_and_the_law_keeps_the_rest(client, tracker_db) -> None:
    token = verify(client, actor=MINE).json()["verification_token"]
    _hand_over(client, MINE, token)
    client.post("/api/v1/verify/otp/send", json={"verification_token": token}, headers=H)
    with session_scope() as s:
        s.add(
            VoiceCall(
                call_sid="CA" + "1" * 32,
                caller="+919800000001",
                transcript=[{"sender": "user", "text": "1988"}],
            )
        )

    done = client.post("/api/v1/me/erasure", json={}, headers=token_headers(token, MINE))
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["reference"].startswith("ERA-")
    assert body["erased"]["conversations"] == 2 and body["erased"]["handoff_messages"] == 1
    assert _senders(tracker_db) == ["web:someone"]
    with session_scope() as s:
        assert s.execute(select(func.count()).select_from(HandoffMessage)).scalar_one() == 0
        call = s.get(VoiceCall, "CA" + "1" * 32)
        assert call is not None and call.transcript == [] and call.caller == ""
        assert all(m.body == "" for m in s.execute(select(OutboundMessage)).scalars())
        kept = select(Claim).where(Claim.reference == "CLM-2026-000101")
        assert s.execute(kept).scalar_one() is not None
        record = s.execute(select(ErasureRecord)).scalar_one()
        assert record.reference == body["reference"] and record.actor == MINE
        audited = s.execute(select(AuditLog).where(AuditLog.action == "erasure")).scalar_one()
        assert body["reference"] in audited.subject and audited.worker_id == record.worker_id


def test_erasure_needs_verification(client, tracker_db) -> None:
    refused = client.post("/api/v1/me/erasure", json={}, headers=H)
    assert refused.status_code == 401
    assert _senders(tracker_db) == ["sms:+919800000001", "web:conv-rina", "web:someone"]


def test_an_officer_erases_an_unverified_callers_conversation(client, tracker_db) -> None:
    ticket = _hand_over(client, "rasa:web:someone")
    body = {"ticket_id": ticket["ticket_id"], "note": "caller asked on the phone"}
    assert client.post("/api/v1/staff/erasures", json=body).status_code == 401
    client.post("/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD})
    done = client.post("/api/v1/staff/erasures", json=body)
    assert done.status_code == 201, done.text
    assert _senders(tracker_db) == ["sms:+919800000001", "web:conv-rina"]
    with session_scope() as s:
        rows = list(
            s.execute(select(AuditLog).where(AuditLog.action.startswith("erasure"))).scalars()
        )
        assert {r.actor for r in rows} == {"staff:officer1"}
        assert any(done.json()["reference"] in r.subject for r in rows)


def test_only_a_supervisor_erases_everything_under_a_uan(client, tracker_db) -> None:
    client.post("/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD})
    body = {"uan": RINA.uan, "note": "asked at the office"}
    refused = client.post("/api/v1/staff/erasures", json=body)
    assert refused.status_code == 403
    assert "web:conv-rina" in _senders(tracker_db)  # nothing erased
