"""Every store has a retention period, enforced by one pass (also from two processes at once)."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from api.db.models import (
    AuditLog,
    Base,
    CallbackRequest,
    CallStatusEvent,
    Case,
    CaseNotice,
    Claim,
    HandoffMessage,
    HandoffTicket,
    IdempotencyKey,
    MessagingContact,
    OutboundMessage,
    VerificationAttempt,
    VerificationCounter,
    VerificationSession,
    VoiceCall,
    VoiceTurn,
    WebchatSession,
    WebhookReceipt,
    Worker,
    utcnow,
)
from api.db.session import session_scope
from api.services import retention, trackers
from api.settings import get_settings

LONG_AGO = utcnow() - timedelta(days=3650)
EVENTS = (
    "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255),"
    " timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
)


@pytest.fixture
def stores(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'trackers.db'}"
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(EVENTS))
        for sender, at in (("web:old", LONG_AGO.timestamp()), ("web:new", time.time())):
            c.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data)"
                    " VALUES (:s, 'user', :t, '{}')"
                ),
                {"s": sender, "t": at},
            )
    engine.dispose()
    monkeypatch.setenv("TRACKER_DB_URL", url)
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield url
    trackers.dispose()
    get_settings.cache_clear()


def _old_everything() -> None:
    with session_scope() as s:
        worker = s.execute(select(Worker)).scalars().first()
        assert worker is not None
        s.add_all(
            [
                VoiceCall(
                    call_sid="CAold",
                    caller="+919800000001",
                    transcript=[{"text": "x"}],
                    created_at=LONG_AGO,
                    updated_at=LONG_AGO,
                ),
                VoiceTurn(call_sid="CAold", turn=1, twiml="<Response/>", created_at=LONG_AGO),
                CallStatusEvent(call_sid="CAold", status="completed", at=LONG_AGO),
                OutboundMessage(
                    to_address="+919800000001",
                    channel="sms",
                    body="old words",
                    dedupe_key="old",
                    status="sent",
                    created_at=LONG_AGO,
                ),
                OutboundMessage(
                    to_address="+919800000001",
                    channel="sms",
                    body="code ······",
                    dedupe_key="stuck",
                    status="queued",
                    template="otp",
                    template_params={"nonce": "ab"},
                    created_at=LONG_AGO,
                ),
                AuditLog(actor="rasa:x", action="status.read", at=LONG_AGO),
                AuditLog(actor="rasa:x", action="status.read"),
                WebhookReceipt(key="sms:old", response="<Response/>", created_at=LONG_AGO),
                IdempotencyKey(
                    key="k", endpoint="claims", request_hash="h", response={}, created_at=LONG_AGO
                ),
                VerificationSession(
                    token_hash="h" * 64,
                    worker_id=worker.id,
                    expires_at=LONG_AGO,
                    created_at=LONG_AGO,
                ),
                VerificationAttempt(worker_id=worker.id, success=False, at=LONG_AGO),
                VerificationCounter(key="uan:old", failures=2, last_at=LONG_AGO),
                WebchatSession(
                    secret_hash="s" * 64, conversation_id="c-old", last_seen_at=LONG_AGO
                ),
                MessagingContact(address="+919811111111", choices=["1"], updated_at=LONG_AGO),
            ]
        )
        closed = HandoffTicket(
            reference="HND-2016-000001",
            conversation_id="rasa:web:c-old",
            channel="web",
            language="bn",
            reason="asked about 1988",
            status="closed",
            closed_at=LONG_AGO,
        )
        s.add(closed)
        s.flush()
        s.add(HandoffMessage(ticket_id=closed.id, sender="user", text="old words", at=LONG_AGO))
    audio = get_settings().personal_audio_dir
    audio.mkdir(parents=True, exist_ok=True)
    old_file = audio / ("a" * 40 + ".wav")
    old_file.write_bytes(b"RIFF")
    os.utime(old_file, (LONG_AGO.timestamp(), LONG_AGO.timestamp()))
    (audio / ("b" * 40 + ".wav")).write_bytes(b"RIFF")


def _count(model: Any) -> int:
    with session_scope() as s:
        return int(s.execute(select(func.count()).select_from(model)).scalar_one())


def test_one_pass_clears_what_is_past_its_period_and_keeps_the_rest(stores) -> None:
    claims_before = _count(Claim)
    _old_everything()
    counts = retention.run_pass()
    assert counts["tracker_conversations"] == 1 and counts["tts_personal_files"] == 1
    for model in (
        VoiceCall,
        VoiceTurn,
        CallStatusEvent,
        WebhookReceipt,
        IdempotencyKey,
        VerificationSession,
        VerificationAttempt,
        VerificationCounter,
        WebchatSession,
        MessagingContact,
        HandoffMessage,
    ):
        assert _count(model) == 0, model
    assert _count(AuditLog) == 1, "the recent audit row stays"
    assert _count(Claim) == claims_before, "claims are what the law keeps"
    with session_scope() as s:
        ticket = s.execute(select(HandoffTicket)).scalar_one()
        assert ticket.reference == "HND-2016-000001" and ticket.reason == ""
        left = list(s.execute(select(OutboundMessage)).scalars())
        assert [m.dedupe_key for m in left] == ["stuck"] and left[0].template_params is None
    engine = create_engine(stores)
    with engine.connect() as c:
        assert [r[0] for r in c.execute(text("SELECT sender_id FROM events"))] == ["web:new"]
    engine.dispose()
    assert [p.name[0] for p in get_settings().personal_audio_dir.iterdir()] == ["b"]


def test_two_passes_at_once_neither_fail_nor_leave_anything(stores) -> None:
    with session_scope() as s:
        s.add_all([AuditLog(actor="a", action="x", at=LONG_AGO) for _ in range(1200)])
    errors: list[BaseException] = []

    def one_pass() -> None:
        try:
            retention.run_pass()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=one_pass) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    retention.run_pass()  # a pass that found the table busy finishes next time
    assert _count(AuditLog) == 0


def test_the_command_runs_a_pass_and_says_what_it_did(stores, capsys) -> None:
    from api import retention as command

    _old_everything()
    assert command.main() == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed["audit_log"] == 1 and set(printed) >= {"tracker_conversations", "voice_calls"}


def test_every_table_is_either_kept_by_law_or_has_a_period() -> None:
    """A new table must be placed: purged by the pass, or kept on purpose (listed here)."""
    kept = {
        "workers",
        "schemes",
        "enrollments",
        "nominees",
        "pension_accounts",
        "claims",
        "claim_events",
        "claim_documents",
        "renewal_requests",
        "nominee_changes",
        "pension_restart_requests",
        "correction_requests",  # what the record said and what it was corrected to: its history
        "feedback",
        "reference_counters",
        "staff_users",
        "staff_sessions",
        "staff_login_lockouts",
        "handoff_tickets",
        "erasure_records",
        "cases",  # the decisions on claims and requests, like the claims themselves
        "case_events",
        "reminder_preferences",  # the worker's own choice (STOP), kept like the worker's record
        "job_runs",  # one row per periodic job (its last tick): nothing personal, nothing grows
    }
    source = Path(retention.__file__).read_text()
    purged = {t.name for t in Base.metadata.sorted_tables if t.name not in kept}
    classes = {m.class_.__tablename__: m.class_.__name__ for m in Base.registry.mappers}
    missing = [name for name in purged if classes[name] not in source]
    assert missing == []


def test_old_notices_go_and_a_closed_call_back_keeps_its_case_not_the_number(stores) -> None:
    with session_scope() as s:
        open_case = Case(kind="callback", reference="CBK-2026-000001", status="new")
        closed = Case(
            kind="callback",
            reference="CBK-2016-000001",
            status="reached",
            is_open=False,
            closed_at=LONG_AGO,
        )
        s.add_all([open_case, closed])
        s.flush()
        for case in (open_case, closed):
            s.add(CallbackRequest(case_id=case.id, phone="+919800000001", source="ivr", reason="x"))
        for at, read in ((LONG_AGO, None), (utcnow(), utcnow()), (utcnow(), None)):
            s.add(
                CaseNotice(
                    case_id=closed.id,
                    reference=closed.reference,
                    status="reached",
                    language="bn",
                    body="words",
                    created_at=at,
                    read_at=read,
                )
            )
    counts = retention.run_pass()
    assert counts["callback_requests"] == 1 and counts["case_notices"] == 1
    with session_scope() as s:
        phones = dict(s.execute(select(CallbackRequest.case_id, CallbackRequest.phone)).all())
        assert phones == {open_case.id: "+919800000001", closed.id: ""}
        assert _count(Case) >= 2, "the cases themselves are kept"
    assert _count(CaseNotice) == 2, "recent notices wait to be read or are kept a while"
