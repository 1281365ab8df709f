"""Small helpers shared by the security tests: verify, read every stored text, send the outbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text, select

from api.db.models import Base
from api.db.session import session_scope
from tests import factory
from tests.api.conftest import SERVICE_HEADERS

RINA_BODY = factory.RINA.verify_body()


def verify(client: Any, body: dict[str, str] | None = None, actor: str = "rasa:test") -> Any:
    headers = {**SERVICE_HEADERS, "X-Conversation-ID": actor}
    return client.post("/api/v1/verify", json=body or RINA_BODY, headers=headers)


def token_headers(token: str, actor: str = "rasa:test") -> dict[str, str]:
    return {**SERVICE_HEADERS, "X-Conversation-ID": actor, "X-Verification-Token": token}


def database_dump() -> str:
    """Every text and JSON value of every table, as one string (what a dump would show)."""
    parts: list[str] = []
    with session_scope() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)).mappings():
                for column in table.columns:
                    value = row[column.key]
                    if value is not None and (
                        isinstance(column.type, String | Text) or isinstance(value, dict | list)
                    ):
                        parts.append(str(value))
    return "\n".join(parts)


class CapturingClient:
    """Stands in for twilio's client at the REST boundary: records what would be sent."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, job: dict[str, Any]) -> str:
        self.sent.append({"to": job["to_address"], "body": job["body"]})
        return f"SM{len(self.sent):032d}"


def send_outbox() -> list[dict[str, str]]:
    """Run one pass of the real sender with Twilio replaced; returns what it sent."""
    from api.messaging.outbound import Sender

    capture = CapturingClient()
    sender = Sender(client_factory=lambda: None)
    # the real sender; its two calls to Twilio (the only users of the client) go to the capture
    sender._send_message = capture.send  # type: ignore[method-assign]  # replaced on purpose
    sender._place = capture.send  # type: ignore[method-assign]  # replaced on purpose
    sender.run_once()
    return capture.sent
