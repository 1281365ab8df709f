"""Outbound messages through the real twilio client, received by a loopback Twilio stand-in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

from api.db.models import MessagingContact, OutboundCall, OutboundMessage, utcnow
from api.db.session import session_scope
from api.messaging import outbound
from api.settings import get_settings
from tests.stand_ins import TwilioStandIn, twilio_on_loopback
from tests.voice.conftest import outbound_rows, post_signed

WORKER = "+919800000009"


@pytest.fixture
def twilio(env, monkeypatch) -> Iterator[TwilioStandIn]:
    with twilio_on_loopback(monkeypatch) as stand_in:
        yield stand_in


def queue(body: str = "Your reference is CLM-2026-000123", **kw) -> int:
    with session_scope() as s:
        kw.setdefault("dedupe_key", f"test:{body}")
        return outbound.enqueue(s, to=kw.pop("to", WORKER), body=body, reason="test", **kw).id


def test_enqueue_stores_first_and_sends_once(twilio) -> None:
    first = queue()
    again = queue()  # same dedupe key
    assert first == again
    assert outbound_rows()[0]["status"] == "queued" and twilio.requests == []
    sender = outbound.Sender(base_delay_s=0.1)
    assert sender.run_once() == 1
    assert sender.run_once() == 0  # nothing left: never sent twice
    assert len(twilio.requests) == 1
    request = twilio.requests[0]
    assert request["path"].endswith("/Messages.json")
    assert request["form"]["To"] == WORKER
    assert request["form"]["From"] == get_settings().twilio_from_number
    assert request["form"]["Body"] == "Your reference is CLM-2026-000123"
    assert request["form"]["StatusCallback"].endswith("/twilio/sms/status")
    row = outbound_rows()[0]
    assert row["status"] == "sent" and row["provider_sid"].startswith("SM") and row["attempts"] == 1


def test_retries_with_growing_backoff_then_sends(twilio, monkeypatch) -> None:
    """Refused twice (429: too many requests, so surely not sent), then sent: 0.2 s, then 0.4 s
    later, on a clock the test moves. (A 500 may have been sent: test_twilio_faults.py.)"""
    clock = [utcnow()]
    monkeypatch.setattr(outbound, "utcnow", lambda: clock[0])
    twilio.fail_first, twilio.fail_status = 2, 429
    queue()
    sender = outbound.Sender(base_delay_s=0.2)
    waits = []
    for _ in range(3):
        sender.run_once()
        row = outbound_rows()[0]
        if row["status"] != "queued":
            break
        waits.append((row["next_attempt_at"] - clock[0]).total_seconds())
        sender.run_once()  # not due yet: nothing is sent
        assert len(twilio.requests) == row["attempts"]
        clock[0] = row["next_attempt_at"]
    row = outbound_rows()[0]
    assert row["status"] == "sent" and row["attempts"] == 3
    assert "429" in (row["last_error"] or "")
    assert waits == [0.2, 0.4]
    assert len(twilio.requests) == 3


def test_permanent_refusal_is_not_retried(twilio) -> None:
    twilio.fail_first, twilio.fail_status = 5, 400
    queue()
    outbound.Sender(base_delay_s=0.0).run_once()
    outbound.Sender(base_delay_s=0.0).run_once()
    row = outbound_rows()[0]
    assert row["status"] == "failed" and len(twilio.requests) == 1


def test_gives_up_after_max_attempts(twilio) -> None:
    twilio.fail_first = 10
    queue()
    sender = outbound.Sender(base_delay_s=0.0, max_attempts=3)
    for _ in range(5):
        sender.run_once()
    row = outbound_rows()[0]
    assert row["status"] == "failed" and row["attempts"] == 3 and len(twilio.requests) == 3


def test_queued_row_survives_a_restart_and_a_crash_mid_send(twilio) -> None:
    queue("first")
    stuck = queue("second")
    with session_scope() as s:  # a sender died after claiming this row
        row = s.get(OutboundMessage, stuck)
        row.status, row.attempts = "sending", 1
        row.updated_at = utcnow() - timedelta(minutes=10)
    new_sender = outbound.Sender()  # a new process
    assert new_sender.recover() == {"found_sent": 0, "requeued": 1, "not_asked": 0}
    assert new_sender.run_once() == 2
    assert sorted(r["form"]["Body"] for r in twilio.requests) == ["first", "second"]
    assert {r["status"] for r in outbound_rows()} == {"sent"}


def test_whatsapp_outside_24h_goes_by_sms(twilio) -> None:
    with session_scope() as s:
        s.add(
            MessagingContact(
                address=WORKER, choices=[], last_whatsapp_in_at=utcnow() - timedelta(hours=25)
            )
        )
        s.add(
            MessagingContact(
                address="+919800000010",
                choices=[],
                last_whatsapp_in_at=utcnow() - timedelta(hours=1),
            )
        )
    queue("late", channel="whatsapp")
    queue("fresh", channel="whatsapp", to="whatsapp:+919800000010")
    queue("never wrote", channel="whatsapp", to="+919800000011")
    outbound.Sender().run_once()
    sent = {r["form"]["Body"]: r["form"] for r in twilio.requests}
    assert (
        sent["late"]["To"] == WORKER and sent["late"]["From"] == get_settings().twilio_from_number
    )
    assert sent["fresh"]["To"] == "whatsapp:+919800000010"
    assert sent["fresh"]["From"] == get_settings().twilio_whatsapp_from
    assert sent["never wrote"]["To"] == "+919800000011"
    channels = {r["body"]: r["channel"] for r in outbound_rows()}
    assert channels == {"late": "sms", "fresh": "whatsapp", "never wrote": "sms"}


def test_delivery_status_callback_is_recorded(twilio, app_client) -> None:
    queue()
    outbound.Sender().run_once()
    sid = outbound_rows()[0]["provider_sid"]
    assert sid, outbound_rows()
    assert (
        post_signed(
            app_client, "/sms/status", {"MessageSid": sid, "MessageStatus": "delivered"}
        ).status_code
        == 204
    )
    post_signed(app_client, "/sms/status", {"MessageSid": sid, "MessageStatus": "sent"})  # late
    assert outbound_rows()[0]["status"] == "delivered"


def test_missed_call_is_rejected_then_called_back(twilio, app_client) -> None:
    params = {"CallSid": "CA" + "7" * 32, "From": WORKER, "To": "+15005550006"}
    first = post_signed(app_client, "/voice/missed-call", params)
    post_signed(app_client, "/voice/missed-call", params)  # delivered twice
    assert "<Reject" in first.text
    outbound.Sender().run_once()
    calls = [r for r in twilio.requests if r["path"].endswith("/Calls.json")]
    assert len(calls) == 1
    assert calls[0]["form"]["To"] == WORKER
    assert calls[0]["form"]["Url"].endswith("/twilio/voice/incoming")
    with session_scope() as s:
        row = s.query(OutboundCall).one()
        assert row.status == "sent" and row.provider_sid.startswith("CA")


def test_sender_runs_in_the_app_lifespan(twilio, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    from asgi import create_app

    monkeypatch.setenv("OUTBOUND_SENDER_ENABLED", "true")
    get_settings.cache_clear()
    queue("from the lifespan")
    with TestClient(create_app(configure_logs=False)):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not twilio.requests:
            time.sleep(0.05)
    assert [r["form"]["Body"] for r in twilio.requests] == ["from the lifespan"]
