"""Keep nothing personal longer than needed: one pass deletes or blanks what is past its period.

Why one module: every store's period is a setting (RETENTION_*), and the pass must cover them all
or a forgotten table keeps data for ever. Each step works in small batches, each batch in its own
transaction; on PostgreSQL a batch first takes a transaction-scoped advisory lock for its table
and skips it when another process holds it, so two processes running passes at once never fight
over rows (on SQLite the sessions already take turns). What the law keeps (claims, requests,
references) is not touched; closed tickets keep their reference and status, not their words.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, or_, select, text, update
from sqlalchemy.orm import Session

from api.db.models import (
    AuditLog,
    CallbackRequest,
    CallStatusEvent,
    Case,
    CaseNotice,
    HandoffMessage,
    HandoffTicket,
    HelperConsent,
    IdempotencyKey,
    MenuChoice,
    MessagingContact,
    OutboundCall,
    OutboundMessage,
    Reminder,
    VerificationAttempt,
    VerificationCounter,
    VerificationSession,
    VoiceCall,
    VoiceTurn,
    WebchatSession,
    WebhookReceipt,
    utcnow,
)
from api.db.session import session_scope
from api.services import trackers
from api.settings import get_settings

log = logging.getLogger(__name__)
BATCH = 500
DONE = ("sent", "delivered", "failed", "undelivered")
CLEARED = "-"  # a closed call-back's reason once its words and number are gone


def _locked_out(session: Session, name: str) -> bool:
    """Another process is purging `name` right now (PostgreSQL only): skip it this pass."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    key = zlib.crc32(f"retention:{name}".encode())
    got = session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}).scalar()
    return not got


def _batches(name: str, model: Any, where: Any, change: Callable[[Any], Any] | None) -> int:
    """Delete (or `change`) rows of `model` matching `where`, BATCH rows per transaction."""
    total = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with session_scope() as s:
            if _locked_out(s, name):
                return total
            ids = list(s.execute(select(model.id).where(where).limit(BATCH)).scalars())
            if not ids:
                return total
            chosen = model.id.in_(ids)
            if change is None:
                s.execute(delete(model).where(chosen))
            else:
                s.execute(change(update(model).where(chosen)))
            total += len(ids)
    return total


def _days(n: int) -> datetime:
    return utcnow() - timedelta(days=n)


def purge_database() -> dict[str, int]:
    """One pass over the backend's tables; rows touched per store."""
    st = get_settings()
    calls = _days(st.retention_call_days)
    handoffs = _days(st.retention_handoff_days)
    outbound = _days(st.retention_outbound_days)
    verified = _days(st.retention_verification_days)
    closed_old = and_(HandoffTicket.status == "closed", HandoffTicket.closed_at < handoffs)
    old_tickets = select(HandoffTicket.id).where(closed_old)
    return {
        "voice_turns": _batches("voice_turns", VoiceTurn, VoiceTurn.created_at < calls, None),
        "call_status_events": _batches(
            "call_status_events", CallStatusEvent, CallStatusEvent.at < calls, None
        ),
        "voice_calls": _voice_calls(calls),
        "menu_choices": _batches("menu_choices", MenuChoice, MenuChoice.at < calls, None),
        "handoff_messages": _batches(
            "handoff_messages", HandoffMessage, HandoffMessage.ticket_id.in_(old_tickets), None
        ),
        "handoff_reasons": _batches(
            "handoff_tickets",
            HandoffTicket,
            and_(closed_old, HandoffTicket.reason != ""),
            lambda u: u.values(reason=""),
        ),
        "outbound_messages": _batches(
            "outbound_messages",
            OutboundMessage,
            and_(OutboundMessage.status.in_(DONE), OutboundMessage.created_at < outbound),
            None,
        ),
        "outbound_secrets": _batches(
            "outbound_secrets",
            OutboundMessage,
            and_(
                OutboundMessage.template_params.isnot(None),
                OutboundMessage.created_at < utcnow() - timedelta(hours=1),
            ),
            lambda u: u.values(template_params=None),
        ),
        # a reminder's key stays (it is sent once); its words go with the message bodies
        "reminders": _batches(
            "reminders",
            Reminder,
            and_(Reminder.created_at < outbound, Reminder.body != ""),
            lambda u: u.values(body="", spoken=""),
        ),
        "outbound_calls": _batches(
            "outbound_calls", OutboundCall, OutboundCall.created_at < outbound, None
        ),
        "audit_log": _batches(
            "audit_log", AuditLog, AuditLog.at < _days(st.retention_audit_days), None
        ),
        "webhook_receipts": _batches(
            "webhook_receipts",
            WebhookReceipt,
            WebhookReceipt.created_at < _days(st.retention_receipt_days),
            None,
        ),
        "idempotency_keys": _batches(
            "idempotency_keys",
            IdempotencyKey,
            IdempotencyKey.created_at < _days(st.retention_idempotency_days),
            None,
        ),
        # a helper's name is personal data: a consent never given goes with its session, a
        # given one with the audit trail that names it
        "helper_consents": _batches(
            "helper_consents",
            HelperConsent,
            or_(
                and_(HelperConsent.granted_at.is_(None), HelperConsent.expires_at < verified),
                HelperConsent.granted_at < _days(st.retention_audit_days),
            ),
            None,
        ),
        "verification_sessions": _batches(
            "verification_sessions",
            VerificationSession,
            VerificationSession.expires_at < verified,
            None,
        ),
        "verification_attempts": _batches(
            "verification_attempts", VerificationAttempt, VerificationAttempt.at < verified, None
        ),
        "verification_counters": _counters(verified),
        "webchat_sessions": _batches(
            "webchat_sessions",
            WebchatSession,
            WebchatSession.last_seen_at
            < utcnow() - timedelta(minutes=st.webchat_idle_minutes, days=1),
            None,
        ),
        "messaging_contacts": _contacts(_days(st.retention_conversation_days)),
        # a notice is the decision told once; the decision itself stays in case_events
        "case_notices": _batches(
            "case_notices",
            CaseNotice,
            or_(CaseNotice.read_at < outbound, CaseNotice.created_at < handoffs),
            None,
        ),
        # a call-back closed long ago keeps its case and outcome, not the words or the number
        "callback_requests": _batches(
            "callback_requests",
            CallbackRequest,
            and_(
                CallbackRequest.case_id.in_(
                    select(Case.id).where(Case.is_open.is_(False), Case.closed_at < handoffs)
                ),
                CallbackRequest.reason != CLEARED,
            ),
            lambda u: u.values(reason=CLEARED, transcript=[], phone=""),
        ),
    }


def _voice_calls(cutoff: datetime) -> int:
    """Calls have a text key: deleted in one statement per pass (few per day)."""
    with session_scope() as s:
        if _locked_out(s, "voice_calls"):
            return 0
        result = s.execute(delete(VoiceCall).where(VoiceCall.updated_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)


def _counters(cutoff: datetime) -> int:
    now = utcnow()
    expired = or_(
        VerificationCounter.locked_until.is_(None), VerificationCounter.locked_until < now
    )
    with session_scope() as s:
        if _locked_out(s, "verification_counters"):
            return 0
        result = s.execute(
            delete(VerificationCounter).where(VerificationCounter.last_at < cutoff, expired)
        )
        return int(getattr(result, "rowcount", 0) or 0)


def _contacts(cutoff: datetime) -> int:
    with session_scope() as s:
        if _locked_out(s, "messaging_contacts"):
            return 0
        result = s.execute(delete(MessagingContact).where(MessagingContact.updated_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)


def purge_personal_audio() -> int:
    """Per-call audio older than RETENTION_TTS_PERSONAL_MINUTES (a call that never reported
    its end keeps nothing either)."""
    folder = get_settings().personal_audio_dir
    if not folder.is_dir():
        return 0
    cutoff = time.time() - get_settings().retention_tts_personal_minutes * 60
    deleted = 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                deleted += 1
        except FileNotFoundError:  # another process got there first
            continue
    return deleted


def run_pass() -> dict[str, int]:
    """Every store, once. Safe to run from several processes at the same time."""
    counts = purge_database()
    counts["tracker_conversations"] = trackers.purge_idle(
        _days(get_settings().retention_conversation_days)
    )
    counts["tts_personal_files"] = purge_personal_audio()
    touched = {k: v for k, v in counts.items() if v}
    if touched:
        log.info("retention pass", extra={"purged": str(touched)})
    return counts
