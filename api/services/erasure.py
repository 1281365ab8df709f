"""Erasure of a worker's (or one caller's) conversations, on request (DPDP Act 2023, s. 12).

What goes: the assistant's conversations (tracker events), hand-over transcripts, call
transcripts and spoken turns, bodies of messages sent, numbered choices, web chat sessions and
stored answers of repeated requests. What stays, because the law or the worker's own interest
needs it: claims, renewals, nominee and pension requests with their references, and the audit
trail. The erasure itself is recorded (an `ERA-` reference, counts, who asked) and audited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from api.db.models import (
    ErasureRecord,
    HandoffMessage,
    HandoffTicket,
    HelperConsent,
    IdempotencyKey,
    MessagingContact,
    OutboundMessage,
    Reminder,
    VerificationAttempt,
    VerificationSession,
    VoiceCall,
    VoiceTurn,
    WebchatSession,
    Worker,
)
from api.domain.errors import DomainError
from api.services import audit, senders, trackers
from api.services.context import Ctx
from api.services.references import next_reference

ERASED = "erased"


def _conversation(value: str) -> str | None:
    """'rasa:web:abc' / 'voice:CA..' -> the backend's conversation id, else None (a service)."""
    if value.startswith("rasa:"):
        return value
    if value.startswith(("voice:", "web:", "sms:", "whatsapp:")):
        return f"rasa:{value}"
    return None


def conversations_of(session: Session, worker: Worker, ctx: Ctx) -> set[str]:
    """Every conversation known to be the worker's: verified from, handed over, by phone."""
    found: set[str] = set()
    actors = session.execute(
        select(VerificationSession.actor).where(VerificationSession.worker_id == worker.id)
    ).scalars()
    tickets = session.execute(
        select(HandoffTicket.conversation_id).where(HandoffTicket.worker_id == worker.id)
    ).scalars()
    for value in [*actors, *tickets, ctx.actor]:
        conversation = _conversation(value or "")
        if conversation:
            found.add(conversation)
    if worker.phone:
        found.update(senders.conversations_of_number(worker.phone))
    return found


def _erase(
    session: Session, conversations: set[str], phone: str | None, worker: Worker | None
) -> dict[str, int]:
    senders = {c.removeprefix("rasa:") for c in conversations}
    call_sids = {s.removeprefix("voice:") for s in senders if s.startswith("voice:")}
    if phone:
        call_sids.update(
            session.execute(select(VoiceCall.call_sid).where(VoiceCall.caller == phone)).scalars()
        )
    ticket_filter: ColumnElement[bool] = HandoffTicket.conversation_id.in_(conversations)
    if worker is not None:
        ticket_filter = or_(ticket_filter, HandoffTicket.worker_id == worker.id)
    ticket_ids = list(session.execute(select(HandoffTicket.id).where(ticket_filter)).scalars())
    counts = {
        "conversations": trackers.delete_conversations(senders),
        "handoff_messages": _rows(
            session.execute(delete(HandoffMessage).where(HandoffMessage.ticket_id.in_(ticket_ids)))
        ),
        "calls": _rows(
            session.execute(
                update(VoiceCall)
                .where(VoiceCall.call_sid.in_(call_sids))
                .values(caller="", transcript=[], last_prompt=[], mode_data={})
            )
        ),
        "outbound_messages": 0,
    }
    session.execute(update(HandoffTicket).where(HandoffTicket.id.in_(ticket_ids)).values(reason=""))
    session.execute(delete(VoiceTurn).where(VoiceTurn.call_sid.in_(call_sids)))
    web = [c.removeprefix("rasa:web:") for c in conversations if c.startswith("rasa:web:")]
    session.execute(delete(WebchatSession).where(WebchatSession.conversation_id.in_(web)))
    for sender in senders:
        session.execute(delete(IdempotencyKey).where(IdempotencyKey.key.startswith(f"{sender}:")))
    if phone:
        counts["outbound_messages"] = _rows(
            session.execute(
                update(OutboundMessage)
                .where(OutboundMessage.to_address == phone, OutboundMessage.body != "")
                .values(body="", template_params=None)
            )
        )
        session.execute(  # the pseudonym goes too: old conversation ids no longer find the number
            update(MessagingContact)
            .where(MessagingContact.address == phone)
            .values(choices=[], pseudonym=None)
        )
    if worker is not None:  # the reminder's key stays (sent once); its words go
        session.execute(
            update(Reminder).where(Reminder.worker_id == worker.id).values(body="", spoken="")
        )
    return counts


def _rows(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _record(
    session: Session, ctx: Ctx, worker: Worker | None, counts: dict[str, int], subject: str
) -> dict[str, Any]:
    reference = next_reference(session, "erasure")
    session.add(
        ErasureRecord(
            reference=reference,
            worker_id=worker.id if worker else None,
            actor=ctx.actor[:200],
            channel=ctx.channel[:20],
            counts=counts,
        )
    )
    audit.record(
        session,
        ctx,
        "erasure",
        worker_id=worker.id if worker else None,
        purpose="erase conversations on request",
        subject=f"{subject} {reference}".strip(),
    )
    return {"reference": reference, "erased": counts}


def erase_worker(session: Session, ctx: Ctx, worker: Worker) -> dict[str, Any]:
    """The verified worker's own request, or an officer's for them."""
    conversations = conversations_of(session, worker, ctx)
    counts = _erase(session, conversations, worker.phone, worker)
    session.execute(
        update(VerificationSession)
        .where(VerificationSession.worker_id == worker.id)
        .values(actor=ERASED)
    )
    session.execute(
        update(VerificationAttempt)
        .where(VerificationAttempt.worker_id == worker.id)
        .values(actor=ERASED)
    )
    session.execute(  # the helpers' names go; who they were to the worker stays with the audit
        update(HelperConsent)
        .where(HelperConsent.worker_id == worker.id)
        .values(helper_name="", actor=ERASED)
    )
    return _record(session, ctx, worker, counts, "")


def erase_ticket_caller(session: Session, ctx: Ctx, ticket_id: int) -> dict[str, Any]:
    """An officer erases the conversation behind a ticket (the caller may be unverified)."""
    ticket = session.get(HandoffTicket, ticket_id)
    if ticket is None:
        raise DomainError("not_found", "No such ticket.")
    if ticket.worker_id is not None:
        worker = session.get(Worker, ticket.worker_id)
        if worker is not None:
            return erase_worker(session, ctx, worker)
    conversation = ticket.conversation_id
    phone = senders.number_of(session, conversation)
    counts = _erase(session, {conversation}, phone, None)
    return _record(session, ctx, None, counts, f"ticket:{ticket.reference}")


def erase_by_uan(session: Session, ctx: Ctx, uan: str) -> dict[str, Any]:
    worker = session.execute(select(Worker).where(Worker.uan == uan)).scalar_one_or_none()
    if worker is None:
        raise DomainError("not_found", "No worker with this UAN.")
    return erase_worker(session, ctx, worker)
