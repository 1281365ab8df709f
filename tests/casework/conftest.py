"""Casework tests run through the real app and services on SQLite and PostgreSQL (the API
fixtures of tests/api), with a supervisor and an officer logged in on their own clients."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import Case, OutboundMessage
from api.db.session import session_scope
from api.services import officers
from api.services.context import Ctx
from tests.api.conftest import SERVICE_HEADERS, client, database, db, verify  # noqa: F401
from tests.secrets import STAFF_PASSWORD
from tests.stand_ins import TwilioStandIn, twilio_on_loopback

OFFICER = ("officer1", STAFF_PASSWORD)
SUPERVISOR = ("super1", "supervisor-pass-1")
RINA_CLAIM = "CLM-2026-000101"  # demo: under_review, hospital certificate pending


@pytest.fixture
def twilio(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TwilioStandIn]:  # noqa: F811
    """Twilio's REST API on loopback; the tests run the outbox sender step by step."""
    with twilio_on_loopback(monkeypatch) as stand_in:
        yield stand_in


def login(http: TestClient, who: tuple[str, str]) -> TestClient:
    r = http.post("/api/v1/staff/login", json={"username": who[0], "password": who[1]})
    assert r.status_code == 200, r.text
    return http


@pytest.fixture
def officer(client: TestClient) -> TestClient:  # noqa: F811
    return login(client, OFFICER)


@pytest.fixture
def supervisor(db: str) -> Iterator[TestClient]:  # noqa: F811
    from asgi import create_app

    with session_scope() as s:
        officers.add(
            s,
            Ctx(actor="test"),
            username=SUPERVISOR[0],
            password=SUPERVISOR[1],
            name="Sarla Supervisor",
            role="supervisor",
            district="Kolkata",
            phone="+919830000000",
        )
    with TestClient(create_app(configure_logs=False)) as c:
        yield login(c, SUPERVISOR)


def case_row(reference: str) -> dict[str, Any]:
    with session_scope() as s:
        case = s.execute(select(Case).where(Case.reference == reference)).scalar_one()
        return {c.name: getattr(case, c.name) for c in Case.__table__.columns}


def messages(reason: str | None = None) -> list[dict[str, Any]]:
    with session_scope() as s:
        query = select(OutboundMessage).order_by(OutboundMessage.id)
        if reason:
            query = query.where(OutboundMessage.reason == reason)
        return [
            {c.name: getattr(m, c.name) for c in OutboundMessage.__table__.columns}
            for m in s.execute(query).scalars()
        ]


def decide(http: TestClient, reference: str, **body: Any) -> Any:
    if "version" not in body:
        body["version"] = http.get(f"/api/v1/staff/cases/{reference}").json()["version"]
    return http.post(f"/api/v1/staff/cases/{reference}/decisions", json=body)


def file_claim(http: TestClient, **overrides: Any) -> str:
    headers = verify(http, strong=True)  # a claim moves money: the texted code is needed
    body = {
        "claim_type": "accident_disability",  # a death claim is the family's
        "incident_date": "2026-11-01",
        "description": "I fell from the scaffold on the site",
        "bank_account_last4": "3307",
        **overrides,
    }
    r = http.post("/api/v1/me/claims", json=body, headers={**headers, "X-Channel": "sms"})
    assert r.status_code == 201, r.text
    return str(r.json()["reference"])


__all__ = ["SERVICE_HEADERS", "case_row", "decide", "file_claim", "login", "messages", "verify"]
