"""An SMS or WhatsApp conversation is named by a pseudonym of the number, never the number: in
Rasa's sender (the tracker database's `sender_id`), in the audit trail's actors. The backend
still finds the number for an officer's reply, a decision notice and an erasure.

Through the real gateway (signed webhooks), the real backend and the real outbox sender against
a loopback Twilio; Rasa is the loopback stand-in, which records what the gateway sent it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from api.db.models import AuditLog, MessagingContact
from api.db.session import session_scope
from api.messaging import outbound
from api.services import trackers
from api.settings import get_settings
from tests.api.conftest import SERVICE_HEADERS
from tests.factory import RINA
from tests.secrets import STAFF_PASSWORD
from tests.stand_ins import RasaStandIn, TwilioStandIn, twilio_on_loopback
from tests.voice.conftest import post_signed

STRANGER = "+919811155501"
EVENTS = """CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL,
type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255),
action_name VARCHAR(255), data TEXT)"""


def digit_runs(number: str) -> list[str]:
    """Every run of 4 digits of the number's national part: none may show in an id."""
    national = number[-10:]
    return [national[i : i + 4] for i in range(len(national) - 3)]


def shows_number(value: str, number: str) -> bool:
    digits = re.sub(r"\D", "", value)
    return any(run in value or run in digits for run in digit_runs(number))


@pytest.fixture
def tracker_db(rasa: RasaStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'trackers.db'}"
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(EVENTS))
    engine.dispose()
    monkeypatch.setenv("TRACKER_DB_URL", url)
    get_settings.cache_clear()
    yield url
    trackers.dispose()


@pytest.fixture
def twilio(tracker_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TwilioStandIn]:
    with twilio_on_loopback(monkeypatch) as stand_in:
        yield stand_in


@pytest.fixture
def gateway(twilio: TwilioStandIn) -> Iterator[TestClient]:
    from asgi import create_app

    # https: the staff cookie is Secure behind PUBLIC_BASE_URL's https
    with TestClient(create_app(configure_logs=False), base_url="https://testserver") as client:
        yield client


def text_in(client: TestClient, rasa: RasaStandIn, address: str, body: str, sid: str) -> str:
    """A message through the gateway; Rasa's sender for it."""
    params = {"MessageSid": sid, "From": address, "To": "+15005550006", "Body": body}
    assert post_signed(client, "/sms/incoming", params).status_code == 200
    return str(rasa.received[-1]["sender"])


def store_turn(url: str, sender: str) -> None:
    """What Rasa writes for a turn of this conversation."""
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO events (sender_id, type_name, timestamp, data)"
                " VALUES (:s, 'user', 1.0, '{}')"
            ),
            {"s": sender},
        )
    engine.dispose()


def stored_senders(url: str) -> list[str]:
    engine = create_engine(url)
    with engine.connect() as c:
        found = [r[0] for r in c.execute(text("SELECT DISTINCT sender_id FROM events"))]
    engine.dispose()
    return found


def sent_to(twilio: TwilioStandIn) -> list[dict[str, str]]:
    return [r["form"] for r in twilio.requests if r["path"].endswith("/Messages.json")]


def test_sms_and_whatsapp_reach_rasa_without_the_number(gateway, rasa) -> None:
    sms = text_in(gateway, rasa, RINA.phone, "hello", "SMP1")
    whatsapp = text_in(gateway, rasa, f"whatsapp:{RINA.phone}", "hello", "SMP2")
    assert sms.startswith("sms:") and whatsapp.startswith("whatsapp:")
    for sender in (sms, whatsapp):
        assert not shows_number(sender, RINA.phone), sender
    assert sms.split(":", 1)[1] == whatsapp.split(":", 1)[1]  # one pseudonym per number
    assert rasa.received[-1]["metadata"]["caller_phone"] == RINA.phone  # the turn may need it
    assert text_in(gateway, rasa, RINA.phone, "again", "SMP3") == sms  # same conversation
    assert text_in(gateway, rasa, STRANGER, "hello", "SMP4") != sms
    with session_scope() as s:
        contact = s.get(MessagingContact, RINA.phone)
        assert contact is not None and contact.pseudonym == sms.split(":", 1)[1]


def test_audit_and_tracker_hold_no_number_and_an_officers_reply_reaches_it(
    gateway, rasa, twilio, tracker_db
) -> None:
    """Someone texts from a number the register does not know and verifies as Rina: the
    officer's reply goes to the number the conversation comes from (not Rina's registered one),
    found through the pseudonym."""
    sender = text_in(gateway, rasa, STRANGER, "I need a person", "SMP5")
    store_turn(tracker_db, sender)
    conversation = f"rasa:{sender}"
    headers = {**SERVICE_HEADERS, "X-Conversation-ID": conversation}
    verified = gateway.post("/api/v1/verify", json=RINA.verify_body(), headers=headers)
    assert verified.status_code == 200, verified.text
    handed = gateway.post(
        "/api/v1/handoffs",
        json={
            "conversation_id": conversation,
            "channel": "sms",
            "language": "en",
            "reason": "asked",
            "transcript": [{"sender": "user", "text": "I need a person"}],
            "verification_token": verified.json()["verification_token"],
        },
        headers=headers,
    )
    assert handed.status_code in (200, 201), handed.text
    login = {"username": "officer1", "password": STAFF_PASSWORD}
    assert gateway.post("/api/v1/staff/login", json=login).status_code == 200
    ticket = handed.json()["ticket_id"]
    replied = gateway.post(f"/api/v1/staff/handoffs/{ticket}/reply", json={"text": "Call us"})
    assert replied.status_code == 200, replied.text
    outbound.Sender().run_once()
    assert [(m["To"], m["Body"]) for m in sent_to(twilio)] == [(STRANGER, "Call us")]
    assert stored_senders(tracker_db) == [sender]
    assert not any(shows_number(s, STRANGER) for s in stored_senders(tracker_db))
    with session_scope() as s:
        rows = list(s.execute(select(AuditLog)).scalars())
    assert any(r.actor == conversation for r in rows), "the conversation is the actor"
    for row in rows:
        assert not shows_number(f"{row.actor} {row.subject} {row.purpose}", STRANGER), row.actor


def test_a_decision_on_an_sms_complaint_is_texted_to_the_number(gateway, rasa, twilio) -> None:
    sender = text_in(gateway, rasa, STRANGER, "complaint", "SMP6")
    filed = gateway.post(
        "/api/v1/feedback",
        json={"category": "complaint", "text": "nobody came", "channel": "sms", "language": "en"},
        headers={**SERVICE_HEADERS, "X-Conversation-ID": f"rasa:{sender}"},
    )
    assert filed.status_code == 201, filed.text
    reference = filed.json()["reference"]
    login = {"username": "officer1", "password": STAFF_PASSWORD}
    assert gateway.post("/api/v1/staff/login", json=login).status_code == 200
    version = gateway.get(f"/api/v1/staff/cases/{reference}").json()["version"]
    decided = gateway.post(
        f"/api/v1/staff/cases/{reference}/decisions",
        json={"status": "in_progress", "version": version},
    )
    assert decided.status_code == 200, decided.text
    outbound.Sender().run_once()
    (message,) = sent_to(twilio)
    assert message["To"] == STRANGER and reference in message["Body"]


def test_a_worker_erases_their_sms_conversation_and_its_mapping(gateway, rasa, tracker_db) -> None:
    sender = text_in(gateway, rasa, RINA.phone, "hello", "SMP7")
    store_turn(tracker_db, sender)
    store_turn(tracker_db, "web:someone")
    actor = f"rasa:{sender}"
    headers = {**SERVICE_HEADERS, "X-Conversation-ID": actor}
    verified = gateway.post("/api/v1/verify", json=RINA.verify_body(), headers=headers)
    assert verified.status_code == 200, verified.text
    token = verified.json()["verification_token"]
    done = gateway.post(
        "/api/v1/me/erasure", json={}, headers={**headers, "X-Verification-Token": token}
    )
    assert done.status_code == 201, done.text
    assert done.json()["erased"]["conversations"] == 1
    assert stored_senders(tracker_db) == ["web:someone"]
    with session_scope() as s:
        contact = s.get(MessagingContact, RINA.phone)
        assert contact is None or contact.pseudonym is None  # the id no longer finds the number
