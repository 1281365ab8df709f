"""Helper tests: the real app on SQLite and PostgreSQL (tests/api fixtures), a helper acting for a
demo worker with the consent code texted to the worker's registered phone."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import OutboundMessage
from api.db.session import session_scope
from api.messaging import templates
from tests.api.conftest import SERVICE_HEADERS, client, database, db, verify  # noqa: F401
from tests.casework.conftest import officer  # noqa: F401
from tests.factory import Person

HELPER_HEADERS = {**SERVICE_HEADERS, "X-Conversation-ID": "rasa:web:helper-test"}


def consent_sms() -> tuple[OutboundMessage, str]:
    """The last consent SMS queued, and its text as the sender renders it."""
    with session_scope() as s:
        row = (
            s.execute(
                select(OutboundMessage)
                .where(OutboundMessage.reason == "helper_consent")
                .order_by(OutboundMessage.id.desc())
            )
            .scalars()
            .first()
        )
        assert row is not None and row.template == "helper_consent"
        body = templates.render(row.template, row.template_params, row.language or "en")
        s.expunge(row)
    assert body is not None
    return row, body


def code_in(body: str) -> str:
    return re.findall(r"\d{6}", body)[0]


def ask_consent(
    http: TestClient, token: str, name: str = "Sohel Das", relation: str = "son", **extra: Any
) -> Any:
    body = {"verification_token": token, "helper_name": name, "relation": relation, **extra}
    return http.post("/api/v1/helpers/consent", json=body, headers=HELPER_HEADERS)


def helper_session(http: TestClient, who: Person, **extra: Any) -> dict[str, str]:
    """Headers of a strong session a helper acts with, the worker having given the code."""
    token = verify(http, who.uan, who.dob)["X-Verification-Token"]
    asked = ask_consent(http, token, **extra)
    assert asked.status_code == 200, asked.text
    typed = http.post(
        "/api/v1/verify/otp",
        json={"verification_token": token, "code": code_in(consent_sms()[1])},
        headers=HELPER_HEADERS,
    )
    assert typed.status_code == 200 and typed.json()["level"] == "strong", typed.text
    return {**HELPER_HEADERS, "X-Verification-Token": token}
