"""Twilio in trouble: its API answers 500, or holds requests past the client's timeout (having
taken the message, or not), then recovers. What the outbox holds then (a decision notice, a
texted code, four reminders, all queued by the real services) is sent exactly once: a send that
timed out after Twilio took it is found in Twilio's message list and never sent again.

Everything goes through twilio's own client to a loopback Twilio (tests/stand_ins.py) with a
short TWILIO_TIMEOUT_S; the sender passes run as the app's outbox job runs them. Each fault adds
a row to the fault table printed at the end (tests/cluster/harness.py's columns).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import OutboundMessage
from api.db.session import session_scope
from api.messaging import outbound, templates
from api.services import reminders
from tests.api.test_reminders import NOW, due_world  # noqa: F401
from tests.casework.conftest import OFFICER, RINA_CLAIM, SERVICE_HEADERS, decide, login
from tests.cluster.harness import FaultRow, table
from tests.factory import RINA
from tests.stand_ins import TwilioStandIn, twilio_on_loopback

CLIENT_TIMEOUT_S = 0.3  # TWILIO_TIMEOUT_S here (production: 10 s)
HANG_S = 0.8  # how long the troubled Twilio holds a request: past the client's timeout
OUTAGE_S = 1.5
SETTLE_S = 20.0  # every row sent (or failed) this long after Twilio recovers, at most
FAULTS = {
    "error": "Twilio API answers 500",
    "hang": "Twilio API times out (message not taken)",
    "take-then-hang": "Twilio API times out after taking the message",
}
ROWS: list[FaultRow] = []


@pytest.fixture(scope="module", autouse=True)
def fault_table(request: pytest.FixtureRequest) -> Iterator[None]:
    """The rows of this module's faults, printed as the cluster's fault test prints its own."""
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if ROWS and capture is not None:
        with capture.global_and_fixture_disabled():
            print("\n" + table(ROWS), flush=True)
    ROWS.clear()


@pytest.fixture
def twilio(db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TwilioStandIn]:
    monkeypatch.setenv("TWILIO_TIMEOUT_S", str(CLIENT_TIMEOUT_S))
    with twilio_on_loopback(monkeypatch) as stand_in:
        stand_in.hang_s = HANG_S
        yield stand_in


def _sender() -> outbound.Sender:
    """Production's sender with its delays scaled down to the test's seconds."""
    return outbound.Sender(base_delay_s=0.05, max_delay_s=0.4, max_attempts=30)


def _queue_the_days_messages(client: TestClient) -> None:
    """A decision notice (an officer decides), a texted code (a worker verifies), the reminders
    of the day (the reminder pass): the real services queue them in the outbox."""
    officer = login(client, OFFICER)
    made = decide(officer, RINA_CLAIM, status="documents_pending", documents=["bank_passbook"])
    assert made.status_code == 200, made.text
    verified = client.post(
        "/api/v1/verify",
        json={"uan": RINA.uan, "date_of_birth": RINA.dob, "channel": "sms"},
        headers=SERVICE_HEADERS,
    )
    token = verified.json()["verification_token"]
    sent = client.post(
        "/api/v1/verify/otp/send", json={"verification_token": token}, headers=SERVICE_HEADERS
    )
    assert sent.status_code == 200, sent.text
    assert reminders.run_once(NOW).queued == 4


def _rows() -> list[dict[str, Any]]:
    with session_scope() as s:
        found = s.execute(select(OutboundMessage).order_by(OutboundMessage.id)).scalars()
        return [
            {c.name: getattr(m, c.name) for c in OutboundMessage.__table__.columns} for m in found
        ]


def _bodies_sent() -> dict[int, str]:
    """Each row's text as the worker reads it (a code is rendered as the sender renders it)."""
    with session_scope() as s:
        found = s.execute(select(OutboundMessage)).scalars()
        return {
            m.id: (
                templates.render(m.template, m.template_params, m.language or "en") or ""
                if m.template
                else m.body
            )
            for m in found
        }


def _run_until(sender: outbound.Sender, done: Any, deadline_s: float) -> None:
    """The outbox job's passes (the app runs one every second; here every 50 ms)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline and not done():
        sender.run_once()
        time.sleep(0.05)


@pytest.mark.parametrize("outage", list(FAULTS))
def test_each_message_is_sent_once_after_twilio_recovers(
    twilio: TwilioStandIn,
    client: TestClient,
    due_world: dict[str, str],  # noqa: F811
    outage: str,
) -> None:
    _queue_the_days_messages(client)
    bodies = _bodies_sent()  # before sending: a code's text is forgotten once it is sent
    reasons = Counter(r["reason"] for r in _rows())
    assert reasons == {"case_decision": 1, "otp": 1, "reminder": 4}, reasons
    sender = _sender()
    row = FaultRow(FAULTS[outage], time.monotonic())
    twilio.outage = outage
    _run_until(sender, lambda: False, OUTAGE_S)
    twilio.outage = ""
    recovered, recovered_wall = time.monotonic(), datetime.now(UTC)
    _run_until(sender, lambda: all(r["status"] in ("sent", "failed") for r in _rows()), SETTLE_S)
    rows = _rows()
    taken = Counter((a["to"], a["body"]) for a in twilio.accepted)
    row.failed = twilio.unanswered
    row.affected = sum(1 for r in rows if r["attempts"] > 1 or r["last_error"])
    row.duplicates = sum(n - 1 for n in taken.values())
    row.losses = sum(1 for r in rows if r["status"] != "sent")
    sent_at = [r["sent_at"].replace(tzinfo=UTC) for r in rows if r["sent_at"] is not None]
    row.recover_s = round(max(0.0, (max(sent_at) - recovered_wall).total_seconds()), 1)
    ROWS.append(row)
    assert twilio.unanswered > 0  # the fault happened
    assert time.monotonic() - recovered < SETTLE_S
    for r in rows:
        assert r["status"] == "sent", r
        assert taken[(r["to_address"], bodies[r["id"]])] == 1, f"not sent exactly once: {r}"
        listed = [a["sid"] for a in twilio.accepted if a["body"] == bodies[r["id"]]]
        assert r["provider_sid"] == listed[0]  # the message Twilio has is the one recorded
    assert len(twilio.accepted) == len(rows)
    assert row.duplicates == 0 and row.losses == 0


def test_a_send_twilio_took_but_never_answered_is_not_sent_again(twilio: TwilioStandIn) -> None:
    """The request reached Twilio, which took the message, and the client timed out: the next
    pass asks Twilio's message list instead of sending it again."""
    with session_scope() as s:
        outbound.enqueue(s, to=RINA.phone, body="Your claim is approved", reason="case_decision")
    sender = outbound.Sender(base_delay_s=0.0)
    twilio.outage = "take-then-hang"
    sender.run_once()  # times out
    twilio.outage = ""
    for _ in range(3):
        sender.run_once()
    assert [a["body"] for a in twilio.accepted] == ["Your claim is approved"]
    (row,) = _rows()
    assert row["status"] == "sent" and row["provider_sid"] == twilio.accepted[0]["sid"]
    assert len(twilio.requests) == 1 and twilio.lists  # asked, not resent


def test_a_send_that_never_reached_twilio_is_simply_sent_again(
    twilio: TwilioStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No connection at all (nothing listens): nothing can have been sent, no need to ask."""
    from api.settings import get_settings

    with session_scope() as s:
        outbound.enqueue(s, to=RINA.phone, body="Your renewal is filed", reason="case_decision")
    real = get_settings().twilio_api_base
    monkeypatch.setenv("TWILIO_API_BASE", "http://127.0.0.1:9")  # refused
    get_settings.cache_clear()
    outbound.Sender(base_delay_s=0.0).run_once()
    (row,) = _rows()
    assert row["status"] == "queued" and "ConnectionError" in (row["last_error"] or "")
    monkeypatch.setenv("TWILIO_API_BASE", real)
    get_settings.cache_clear()
    outbound.Sender(base_delay_s=0.0).run_once()
    assert [a["body"] for a in twilio.accepted] == ["Your renewal is filed"]
    assert twilio.lists == []  # not asked: it could not have been sent


def test_a_message_twilio_never_answers_for_fails_and_shows_to_supervisors(
    twilio: TwilioStandIn, supervisor: TestClient
) -> None:
    """Twilio down past the last try: the message is given up, never resent blind, and listed
    for supervisors saying that whether it went is unknown."""
    with session_scope() as s:
        outbound.enqueue(s, to=RINA.phone, body="Your claim is approved", reason="case_decision")
    twilio.outage = "error"
    sender = outbound.Sender(base_delay_s=0.0, max_attempts=2)
    for _ in range(4):
        sender.run_once()
    (row,) = _rows()
    assert row["status"] == "failed" and row["attempts"] == 2  # a send, then a question
    assert len(twilio.requests) == 1 and twilio.lists  # never sent blind
    listed = supervisor.get("/api/v1/staff/outbox/failed").json()
    assert listed["total"] == 1
    assert "unknown" in listed["items"][0]["last_error"]
    assert supervisor.get("/api/v1/staff/dashboard").json()["outbox_failed"] >= 1
