"""Requests that carry the verification token in their body (a complaint, a hand-over; a
call-back likewise) name the helper too: the assistant sends those without the token header."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import AuditLog, HelperConsent
from api.db.session import session_scope
from tests.factory import RAMESH
from tests.helper.conftest import HELPER_HEADERS, helper_session


def test_a_complaint_filed_by_a_helper_names_the_helper(
    client: TestClient, officer: TestClient
) -> None:
    token = helper_session(client, RAMESH, name="Meena Kumari", relation="neighbour")[
        "X-Verification-Token"
    ]
    body = {"category": "complaint", "text": "The office did not answer for a month",
            "channel": "web", "language": "hi", "verification_token": token}  # fmt: skip
    filed = client.post("/api/v1/feedback", json=body, headers=HELPER_HEADERS)
    assert filed.status_code == 201, filed.text
    seen = officer.get(f"/api/v1/staff/cases/{filed.json()['reference']}").json()
    assert seen["helper"] is not None
    assert (seen["helper"]["name"], seen["helper"]["relation"]) == ("Meena Kumari", "neighbour")


def test_a_hand_over_asked_by_a_helper_is_audited_with_the_helper(client: TestClient) -> None:
    token = helper_session(client, RAMESH)["X-Verification-Token"]
    common = {"conversation_id": "rasa:web:helper-test", "channel": "web", "language": "hi",
              "reason": "asked", "transcript": [], "verification_token": token}  # fmt: skip
    opened = client.post("/api/v1/handoffs", json=common, headers=HELPER_HEADERS)
    assert opened.status_code == 201, opened.text
    with session_scope() as s:
        consent = s.execute(select(HelperConsent.id)).scalar_one()
        actions = set(
            s.execute(select(AuditLog.action).where(AuditLog.helper_consent_id == consent))
            .scalars()
            .all()
        )
    assert any(a.startswith("handoff") for a in actions), actions
