"""Every staff read of a worker's words is audited, also when the caller never verified."""

from __future__ import annotations

from sqlalchemy import select

from api.db.models import AuditLog
from api.db.session import session_scope
from tests.api.conftest import SERVICE_HEADERS as H
from tests.secrets import STAFF_PASSWORD


def test_an_officer_reading_an_unverified_ticket_is_audited(client) -> None:
    created = client.post(
        "/api/v1/handoffs",
        json={
            "conversation_id": "rasa:sms:+919811111111",
            "channel": "sms",
            "language": "bn",
            "reason": "asked",
            "transcript": [{"sender": "user", "text": "আমার স্বামী মারা গেছেন"}],
        },
        headers=H,
    ).json()
    client.post("/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD})
    assert client.get(f"/api/v1/staff/handoffs/{created['ticket_id']}").status_code == 200
    with session_scope() as s:
        rows = list(s.execute(select(AuditLog).where(AuditLog.action == "handoff.read")).scalars())
    assert len(rows) == 1
    assert rows[0].actor == "staff:officer1" and rows[0].worker_id is None
    assert rows[0].subject == f"ticket:{created['reference']}"


def test_an_officer_reading_an_unverified_callers_case_is_audited(client) -> None:
    """A call-back asked for before verifying shows the caller's number in full and their
    words: reading it leaves a row naming the case (no worker known). It left none before."""
    asked = client.post(
        "/api/v1/callbacks",
        json={
            "conversation_id": "rasa:whatsapp:+919811100077",
            "channel": "whatsapp",
            "language": "hi",
            "reason": "asked",
            "transcript": [{"sender": "user", "text": "pati ki maut ho gayi"}],
        },
        headers=H,
    ).json()
    client.post("/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD})
    case = client.get(f"/api/v1/staff/cases/{asked['reference']}")
    assert case.status_code == 200 and case.json()["request"]["phone"] == "+919811100077"
    with session_scope() as s:
        rows = list(s.execute(select(AuditLog).where(AuditLog.action == "case.read")).scalars())
    assert len(rows) == 1
    assert rows[0].actor == "staff:officer1" and rows[0].worker_id is None
    assert rows[0].subject == f"case:{asked['reference']}"
