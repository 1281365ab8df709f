"""The worker hears back: each decision sent once, in their language, on their channel, captured
where twilio's client sends it (the outbox Sender against a loopback Twilio)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from api.db.models import Case, MessagingContact, OutboundCall, Worker, utcnow
from api.db.session import session_scope
from api.messaging import outbound
from api.services import webchat_sessions
from locales import LOCALES, format_money, translate
from tests.casework.conftest import (
    OFFICER,
    RINA_CLAIM,
    SERVICE_HEADERS,
    decide,
    file_claim,
    login,
    verify,
)
from tests.factory import RAMESH, RINA


def _sent(twilio, kind: str = "Messages") -> list[dict[str, str]]:
    """What reached Twilio, less the verification codes texted before a claim was filed."""
    forms = [r["form"] for r in twilio.requests if r["path"].endswith(f"/{kind}.json")]
    return [f for f in forms if not any(f.get("Body", "").startswith(p) for p in _CODE_TEXTS)]


_CODE_TEXTS = [translate("api.otp_sms", lang, code="\0").split("\0")[0] for lang in LOCALES]


def test_a_decision_is_sent_once_in_the_workers_language_with_the_next_step(twilio, client) -> None:
    officer = login(client, OFFICER)
    decide(officer, RINA_CLAIM, status="documents_pending", documents=["bank_passbook"])
    sender = outbound.Sender()
    assert sender.run_once() == 1
    assert sender.run_once() == 0
    (sms,) = _sent(twilio)
    assert sms["To"] == RINA.phone
    expected = translate(
        "notice.claim.documents_pending",
        "bn",
        reference=RINA_CLAIM,
        documents=translate("doc.bank_passbook", "bn"),
    )
    assert sms["Body"] == expected  # Bengali, the documents to bring


def test_a_rejection_gives_the_reason_and_how_to_appeal(twilio, client) -> None:
    officer = login(client, OFFICER)
    ramesh = verify(officer, RAMESH.uan, RAMESH.dob)
    ref = officer.post("/api/v1/me/renewals", json={}, headers=ramesh).json()["reference"]
    decide(officer, ref, status="rejected", reason="no_longer_eligible")
    outbound.Sender().run_once()
    (sms,) = _sent(twilio)
    assert sms["To"] == RAMESH.phone
    assert translate("reason.no_longer_eligible", "hi") in sms["Body"]
    assert translate("notice.appeal", "hi", days="30") in sms["Body"]


def test_whatsapp_worker_is_answered_on_whatsapp_inside_the_window(twilio, client) -> None:
    officer = login(client, OFFICER)
    with session_scope() as s:
        s.add(MessagingContact(address=RINA.phone, choices=[], last_whatsapp_in_at=utcnow()))
    headers = {**verify(officer, strong=True), "X-Channel": "whatsapp"}
    body = {
        "claim_type": "medical",
        "incident_date": "2026-11-20",
        "description": "fever",
        "bank_account_last4": "3307",
    }
    ref = officer.post("/api/v1/me/claims", json=body, headers=headers).json()["reference"]
    decide(officer, ref, status="under_review")
    outbound.Sender().run_once()
    (message,) = _sent(twilio)
    assert message["To"] == "whatsapp:+919800000001" and ref in message["Body"]


def test_an_approval_says_the_amount_in_the_workers_writing(twilio, client) -> None:
    officer = login(client, OFFICER)
    decide(officer, RINA_CLAIM, status="approved", amount=150000)
    outbound.Sender().run_once()
    (sms,) = _sent(twilio)
    assert format_money(150000, "bn") in sms["Body"] and RINA_CLAIM in sms["Body"]


def test_a_caller_who_chose_calls_also_gets_the_decision_read_aloud(twilio, client) -> None:
    officer = login(client, OFFICER)
    chose = officer.put(
        "/api/v1/me/call-preference", json={"notify_by_call": True}, headers=verify(officer)
    )
    assert chose.status_code == 200 and chose.json() == {"notify_by_call": True}
    with session_scope() as s:
        assert s.execute(select(Worker.notify_by_call).where(Worker.uan == RINA.uan)).scalar_one()
    ref = file_claim(officer)
    with session_scope() as s:
        s.execute(update(Case).where(Case.reference == ref).values(channel="voice"))
    decide(officer, ref, status="under_review")
    outbound.Sender().run_once()
    assert len(_sent(twilio)) == 1  # the SMS
    (call,) = _sent(twilio, "Calls")
    assert call["To"] == RINA.phone
    assert "/voice/notice?notice=" in call["Url"]
    with session_scope() as s:
        assert s.execute(select(OutboundCall.reason)).scalar_one() == "case_decision"


def test_web_chat_only_worker_finds_the_decision_in_the_chat(client) -> None:
    officer = login(client, OFFICER)
    with session_scope() as s:
        opened = webchat_sessions.open_or_create(s, None, "127.0.0.1")
    assert opened.cookie
    client.cookies.set("shramik_chat", opened.cookie, path="/chat")
    body = {"category": "complaint", "text": "no reply from the office", "channel": "web"}
    filed = client.post(
        "/api/v1/feedback",
        json={**body, "language": "hi"},
        headers={**SERVICE_HEADERS, "X-Conversation-ID": f"rasa:{opened.sender}"},
    )
    ref = filed.json()["reference"]
    decide(officer, ref, status="in_progress")
    first = client.post("/chat/notices").json()
    assert [(n["reference"], n["status"]) for n in first] == [(ref, "in_progress")]
    assert first[0]["text"] == translate("notice.complaint.in_progress", "hi", reference=ref)
    assert client.post("/chat/notices").json() == []  # handed over once
    client.cookies.set("shramik_chat", "someone-else", path="/chat")
    assert client.post("/chat/notices").json() == []


def test_the_assistant_lists_and_marks_the_workers_notices(client) -> None:
    officer = login(client, OFFICER)
    decide(officer, RINA_CLAIM, status="approved", amount=90000)
    rina = verify(officer)
    listed = officer.get("/api/v1/me/notices", headers=rina).json()
    assert [(n["reference"], n["read"]) for n in listed] == [(RINA_CLAIM, False)]
    ids = [n["id"] for n in listed]
    assert (
        officer.post("/api/v1/me/notices/read", json={"ids": ids}, headers=rina).status_code == 204
    )
    assert officer.get("/api/v1/me/notices", headers=rina).json()[0]["read"] is True
    ramesh = verify(officer, RAMESH.uan, RAMESH.dob)
    assert officer.get("/api/v1/me/notices", headers=ramesh).json() == []


def test_whatsapp_outside_the_window_falls_back_to_sms(twilio, client) -> None:
    officer = login(client, OFFICER)
    with session_scope() as s:
        s.add(
            MessagingContact(
                address=RINA.phone,
                choices=[],
                last_whatsapp_in_at=utcnow() - timedelta(hours=30),
            )
        )
        s.execute(update(Case).where(Case.reference == RINA_CLAIM).values(channel="whatsapp"))
    decide(officer, RINA_CLAIM, status="approved", amount=1000)
    outbound.Sender().run_once()
    (message,) = _sent(twilio)
    assert message["To"] == RINA.phone


def test_without_the_choice_a_caller_gets_only_the_sms(twilio, client) -> None:
    officer = login(client, OFFICER)
    ref = file_claim(officer)
    with session_scope() as s:
        s.execute(update(Case).where(Case.reference == ref).values(channel="voice"))
    decide(officer, ref, status="under_review")
    outbound.Sender().run_once()
    assert len(_sent(twilio)) == 1 and _sent(twilio, "Calls") == []


def test_a_worker_who_asks_on_another_channel_hears_the_decision_there(twilio, client) -> None:
    """Filed by SMS, asked about on WhatsApp: the decision goes where the worker is now."""
    officer = login(client, OFFICER)
    ref = file_claim(officer)  # by SMS
    with session_scope() as s:
        s.add(MessagingContact(address=RINA.phone, choices=[], last_whatsapp_in_at=utcnow()))
    on_whatsapp = {
        **verify(officer),
        "X-Channel": "whatsapp",
        "X-Conversation-ID": f"rasa:whatsapp:{RINA.phone}",
    }
    assert officer.get("/api/v1/me/status", headers=on_whatsapp).status_code == 200
    decide(officer, ref, status="under_review")
    outbound.Sender().run_once()
    (message,) = _sent(twilio)
    assert message["To"] == f"whatsapp:{RINA.phone}" and ref in message["Body"]
