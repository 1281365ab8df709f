"""Call-backs officers make: cases from the assistant, a phone hand-over answered in writing,
hand-overs left waiting; "call" rings the officer and bridges the worker (captured at Twilio's
HTTP boundary); three unanswered attempts close the case with one SMS."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from api.db.models import CallbackRequest, HandoffTicket, StaffUser, VoiceCall
from api.db.session import session_scope
from api.messaging import outbound
from api.services import callbacks
from locales import translate
from tests.casework.conftest import OFFICER, SERVICE_HEADERS, case_row, login, messages, verify

CALLER = "+919811100042"


def _ask(client, **body):
    payload = {
        "conversation_id": f"rasa:whatsapp:{CALLER}",
        "channel": "whatsapp",
        "language": "hi",
        "reason": "wants to talk about a stopped pension",
        "transcript": [{"sender": "user", "text": "mera aadhaar 1234 5678 9012 hai"}],
        **body,
    }
    return client.post("/api/v1/callbacks", json=payload, headers=SERVICE_HEADERS)


def _give_phone(username: str, phone: str | None) -> None:
    with session_scope() as s:
        s.execute(update(StaffUser).where(StaffUser.username == username).values(phone=phone))


def test_the_assistant_asks_for_a_call_back_on_the_conversations_number(client) -> None:
    r = _ask(client)
    assert r.status_code == 201, r.text
    ref = r.json()["reference"]
    assert ref.startswith("CBK-") and r.json()["status"] == "waiting"
    assert _ask(client).json()["reference"] == ref  # one open call-back per number
    officer = login(client, OFFICER)
    case = officer.get(f"/api/v1/staff/cases/{ref}").json()
    assert case["kind"] == "callback" and case["language"] == "hi"
    assert case["request"]["phone"] == CALLER  # the number the officer rings, in full
    assert case["request"]["transcript"] == [
        {"sender": "user", "text": "mera aadhaar XXXX XXXX 9012 hai"}
    ]
    queue = officer.get("/api/v1/staff/cases", params={"kind": "callback"}).json()
    assert [c["reference"] for c in queue["items"]] == [ref]


def test_a_call_back_needs_a_number(client) -> None:
    r = _ask(client, conversation_id="rasa:web:abc", channel="web")
    assert r.status_code == 422 and r.json()["error"]["field"] == "phone"
    headers = verify(client)  # a verified web visitor is rung on the registered number
    rina = client.post(
        "/api/v1/callbacks",
        json={
            "conversation_id": "rasa:web:abc",
            "channel": "web",
            "language": "bn",
            "verification_token": headers["X-Verification-Token"],
        },
        headers=SERVICE_HEADERS,
    )
    assert rina.status_code == 201
    row = case_row(rina.json()["reference"])
    assert row["worker_id"] is not None and row["district"] == "Kolkata"


def test_call_rings_the_officer_and_bridges_the_worker(twilio, client) -> None:
    ref = _ask(client).json()["reference"]
    officer = login(client, OFFICER)
    no_phone = officer.post(f"/api/v1/staff/cases/{ref}/call", json={"version": 1})
    assert no_phone.status_code == 409 and no_phone.json()["error"]["code"] == "no_officer_phone"
    _give_phone("officer1", "+919830012345")
    stale = officer.post(f"/api/v1/staff/cases/{ref}/call", json={"version": 7})
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale"
    r = officer.post(f"/api/v1/staff/cases/{ref}/call", json={"version": 1})
    assert r.status_code == 200, r.text
    (call,) = [q["form"] for q in twilio.requests if q["path"].endswith("/Calls.json")]
    assert call["To"] == "+919830012345"  # the officer's own phone rings first
    assert f">{CALLER}</Dial>" in call["Twiml"] and "<Dial" in call["Twiml"]
    assert 'callerId="+15005550006"' in call["Twiml"]
    assert r.json()["call_sid"].startswith("CA")
    with session_scope() as s:
        row = s.execute(select(CallbackRequest)).scalar_one()
        assert row.last_call_sid == r.json()["call_sid"]
    claim = officer.post("/api/v1/staff/cases/CLM-2026-000101/call", json={"version": 1})
    assert claim.status_code == 409 and claim.json()["error"]["code"] == "invalid_transition"


def test_twilio_down_is_a_clear_answer(twilio, client) -> None:
    twilio.fail_first, twilio.fail_status = 1, 500
    ref = _ask(client).json()["reference"]
    _give_phone("officer1", "+919830012345")
    officer = login(client, OFFICER)
    r = officer.post(f"/api/v1/staff/cases/{ref}/call", json={"version": 1})
    assert r.status_code == 502 and r.json()["error"]["code"] == "call_failed"


def test_three_unanswered_calls_close_the_case_with_one_sms(twilio, client) -> None:
    ref = _ask(client).json()["reference"]
    officer = login(client, OFFICER)
    for attempt in (1, 2):
        r = officer.post(
            f"/api/v1/staff/cases/{ref}/call", json={"version": attempt, "outcome": "no_answer"}
        )
        assert r.status_code == 200 and r.json()["status"] == "waiting"
        assert r.json()["request"]["attempts"] == attempt
    assert messages("case_decision") == []
    last = officer.post(
        f"/api/v1/staff/cases/{ref}/call", json={"version": 3, "outcome": "no_answer"}
    )
    assert last.json()["status"] == "unreachable" and last.json()["open"] is False
    assert last.json()["timeline"][-1]["role"] == "system"
    sender = outbound.Sender()
    sender.run_once()
    sender.run_once()
    sms = [q["form"] for q in twilio.requests if q["path"].endswith("/Messages.json")]
    assert len(sms) == 1 and sms[0]["To"] == CALLER
    assert sms[0]["Body"] == translate(
        "notice.callback.unreachable", "hi", reference=ref, attempts="3"
    )
    again = officer.post(
        f"/api/v1/staff/cases/{ref}/call", json={"version": 4, "outcome": "reached"}
    )
    assert again.status_code == 409


def test_reached_and_wrong_number_end_the_case_without_a_message(client) -> None:
    ref = _ask(client).json()["reference"]
    officer = login(client, OFFICER)
    r = officer.post(
        f"/api/v1/staff/cases/{ref}/call", json={"version": 1, "outcome": "wrong_number"}
    )
    assert r.json()["status"] == "wrong_number" and messages("case_decision") == []
    bad = officer.post(f"/api/v1/staff/cases/{ref}/call", json={"version": 2, "outcome": "maybe"})
    assert bad.status_code == 422


def _voice_ticket(client, minutes_ago: int = 0) -> int:
    sid = "CA" + "5" * 32
    with session_scope() as s:
        s.add(VoiceCall(call_sid=sid, caller=CALLER, language="bn"))
    r = client.post(
        "/api/v1/handoffs",
        json={
            "conversation_id": f"rasa:voice:{sid}",
            "channel": "voice",
            "language": "bn",
            "reason": "pressed_zero",
            "transcript": [{"sender": "user", "text": "আমার পেনশন বন্ধ"}],
        },
        headers=SERVICE_HEADERS,
    )
    ticket_id = int(r.json()["ticket_id"])
    if minutes_ago:
        with session_scope() as s:
            row = s.get(HandoffTicket, ticket_id)
            assert row is not None
            row.created_at = row.created_at - timedelta(minutes=minutes_ago)
    return ticket_id


def test_an_officers_written_reply_to_a_caller_is_texted_and_becomes_a_call_back(client) -> None:
    ticket = _voice_ticket(client)
    officer = login(client, OFFICER)
    r = officer.post(f"/api/v1/staff/handoffs/{ticket}/reply", json={"text": "আমি ফোন করব"})
    assert r.status_code == 200
    (sms,) = messages("handoff_reply")
    assert sms["to_address"] == CALLER and sms["body"] == "আমি ফোন করব"
    queue = officer.get("/api/v1/staff/cases", params={"kind": "callback"}).json()["items"]
    assert len(queue) == 1
    case = officer.get(f"/api/v1/staff/cases/{queue[0]['reference']}").json()
    assert case["request"]["source"] == "handoff" and case["request"]["handoff_ticket_id"] == ticket
    assert [h["id"] for h in case["handoffs"]] == [ticket]


def test_a_hand_over_left_waiting_becomes_a_call_back_once(client) -> None:
    _voice_ticket(client, minutes_ago=45)
    assert callbacks.sweep_waiting_handoffs() == 1
    assert callbacks.sweep_waiting_handoffs() == 0
    with session_scope() as s:
        row = s.execute(select(CallbackRequest)).scalar_one()
        assert row.source == "queue" and row.phone == CALLER
        assert row.transcript == [{"sender": "user", "text": "আমার পেনশন বন্ধ"}]


def test_a_fresh_hand_over_is_left_to_the_officers(client) -> None:
    _voice_ticket(client, minutes_ago=5)
    assert callbacks.sweep_waiting_handoffs() == 0


def test_a_waiting_hand_over_of_a_number_already_waiting_is_linked_once(client) -> None:
    _ask(client)  # the same number already asked on WhatsApp
    ticket = _voice_ticket(client, minutes_ago=45)
    assert callbacks.sweep_waiting_handoffs() == 1
    assert callbacks.sweep_waiting_handoffs() == 0  # looked at once, not every minute
    with session_scope() as s:
        (row,) = s.execute(select(CallbackRequest)).scalars().all()
        assert row.source == "whatsapp" and row.handoff_ticket_id == ticket
