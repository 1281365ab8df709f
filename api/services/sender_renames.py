"""One-off: conversations stored before pseudonyms get their pseudonymous ids.

Why: SMS/WhatsApp conversations used to be named by the number (`sms:+91...`); that id sits in
Rasa's tracker rows and in the backend's conversation ids and actors, the audit trail's for two
years. Renaming them to `sms:<pseudonym>` (api/domain/pseudonyms.py) removes those numbers at
once instead of waiting for retention; the number's contact row learns the pseudonym, so an
open hand-over's replies and later decision notices still reach it. Safe to run again (it finds
nothing the second time). Idempotency keys are left: they live 7 days.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.db.models import (
    AuditLog,
    Case,
    CaseEvent,
    CaseNotice,
    ErasureRecord,
    HandoffTicket,
    NomineeChange,
    VerificationAttempt,
    VerificationSession,
)
from api.domain.phones import normalise_phone
from api.domain.pseudonyms import TEXT_CHANNELS, is_legacy_number, split_conversation
from api.services import senders, trackers

# Every column holding a backend conversation id (`rasa:sms:...`) as an id or as an actor.
COLUMNS: tuple[InstrumentedAttribute[Any], ...] = (
    HandoffTicket.conversation_id,
    Case.conversation_id,
    CaseNotice.conversation_id,
    CaseEvent.actor,
    VerificationSession.actor,
    VerificationAttempt.actor,
    NomineeChange.actor,
    ErasureRecord.actor,
    AuditLog.actor,
)


def _renamed(session: Session, value: str) -> str | None:
    """`[rasa:]sms:+91...` -> `[rasa:]sms:<pseudonym>` (the contact row learns it), else None."""
    channel, rest = split_conversation(value)
    number = normalise_phone(rest) if channel in TEXT_CHANNELS and is_legacy_number(rest) else None
    if number is None:
        return None
    prefix = "rasa:" if value.startswith("rasa:") else ""
    return f"{prefix}{channel}:{senders.remember(session, number)}"


def rename_legacy(session: Session) -> dict[str, int]:
    """Rename every old SMS/WhatsApp conversation id; rows (or conversations) renamed per place."""
    counts: dict[str, int] = {}
    for column in COLUMNS:
        legacy = or_(column.like("rasa:sms:+%"), column.like("rasa:whatsapp:+%"))
        done = 0
        for value in list(session.execute(select(column).where(legacy).distinct()).scalars()):
            new = _renamed(session, value)
            if new is not None:
                result = session.execute(
                    update(column.class_).where(column == value).values({column.key: new})
                )
                done += int(getattr(result, "rowcount", 0) or 0)
        counts[f"{column.class_.__tablename__}.{column.key}"] = done
    renames = {
        old: new for old in trackers.legacy_text_senders() if (new := _renamed(session, old))
    }
    counts["tracker conversations"] = trackers.rename_senders(renames)
    return counts
