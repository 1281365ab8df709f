"""Hand-over to a human officer: one open ticket per conversation, replies flow back."""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from api.db.models import HandoffMessage, HandoffTicket, StaffSession, StaffUser, Worker, utcnow
from api.domain.casework import expected_wait_minutes
from api.domain.errors import DomainError
from api.domain.masking import mask_numbers
from api.messaging.outbound import NotServed, enqueue
from api.services import audit, callbacks, senders
from api.services.context import Ctx
from api.services.references import next_reference
from api.settings import get_settings

log = logging.getLogger(__name__)
OPEN = ("open", "assigned")
QUEUE_LIMIT = 200


def officer_available(now: datetime | None = None) -> bool:
    """Within office days and hours in the helpline's time zone."""
    settings = get_settings()
    try:
        local = (now or utcnow()).astimezone(ZoneInfo(settings.timezone))
        start_s, end_s = settings.office_hours.split("-")
        start = time.fromisoformat(start_s.strip())
        # "24:00" closes at midnight: a round-the-clock desk is "00:00-24:00"
        end = time.max if end_s.strip() == "24:00" else time.fromisoformat(end_s.strip())
        days = {int(d) for d in settings.office_days.split(",") if d.strip()}
    except (ValueError, KeyError):
        log.warning("office hours/days misconfigured; assuming no officer available")
        return False
    now_t = local.time()
    return local.weekday() in days and start <= now_t and (now_t < end or end == time.max)


def expected_wait(session: Session, conversation_id: str) -> int:
    """Minutes a caller may wait for an officer: open tickets ahead of theirs, shared among the
    officers logged in now (at least one)."""
    mine = _open_ticket(session, conversation_id)
    ahead = select(func.count()).select_from(HandoffTicket).where(HandoffTicket.status == "open")
    if mine is not None:
        ahead = ahead.where(HandoffTicket.id < mine.id)
    on_duty = session.execute(
        select(func.count(func.distinct(StaffSession.staff_user_id)))
        .join(StaffUser, StaffUser.id == StaffSession.staff_user_id)
        .where(StaffSession.expires_at > utcnow(), StaffUser.active.is_(True))
    ).scalar_one()
    return expected_wait_minutes(
        int(session.execute(ahead).scalar_one()),
        int(on_duty),
        get_settings().officer_minutes_per_ticket,
    )


def _opened(session: Session, ticket: HandoffTicket, available: bool) -> dict[str, Any]:
    """The answer to "open a hand-over" for a ticket that is already open."""
    return {
        "ticket_id": ticket.id,
        "reference": ticket.reference,
        "status": ticket.status,
        "officer_available": available,
        "wait_minutes": expected_wait(session, ticket.conversation_id),
    }


def _open_ticket(session: Session, conversation_id: str) -> HandoffTicket | None:
    return session.execute(
        select(HandoffTicket).where(
            HandoffTicket.conversation_id == conversation_id, HandoffTicket.status.in_(OPEN)
        )
    ).scalar_one_or_none()


def ticket_view(ticket: HandoffTicket, with_messages: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ticket.id,
        "reference": ticket.reference,
        "channel": ticket.channel,
        "language": ticket.language,
        "reason": ticket.reason,
        "status": ticket.status,
        "verified_worker": ticket.worker_id is not None,
        "assigned_to": ticket.assigned_to,
        "assigned_name": (ticket.assignee.name or ticket.assignee.username)
        if ticket.assignee
        else None,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "closed_at": ticket.closed_at,
    }
    if with_messages:
        data["messages"] = [
            {"sender": m.sender, "text": m.text, "at": m.at} for m in ticket.messages
        ]
    return data


def create(
    session: Session,
    ctx: Ctx,
    *,
    conversation_id: str,
    channel: str,
    language: str,
    reason: str,
    transcript: list[dict[str, Any]],
    worker: Worker | None,
) -> dict[str, Any]:
    existing = _open_ticket(session, conversation_id)
    available = officer_available()
    if existing is not None:
        return _opened(session, existing, available)
    try:
        with session.begin_nested():
            ticket = HandoffTicket(
                reference=next_reference(session, "handoff"),
                conversation_id=conversation_id,
                channel=channel,
                language=language,
                reason=mask_numbers(reason.strip())[:500],
                status="open",
                worker_id=worker.id if worker else None,
            )
            session.add(ticket)
            session.flush()
    except IntegrityError:  # the same conversation asked twice at once: return the winner
        existing = _open_ticket(session, conversation_id)
        if existing is None:
            raise
        return _opened(session, existing, available)
    for line in transcript:
        session.add(
            HandoffMessage(
                ticket_id=ticket.id,
                sender=line["sender"],
                text=mask_numbers(line["text"]),
                at=line.get("at") or utcnow(),
            )
        )
    if worker is not None:
        audit.record(
            session, ctx, "handoff.create", worker_id=worker.id, purpose="hand-off to officer"
        )
    return {
        "ticket_id": ticket.id,
        "reference": ticket.reference,
        "status": "open",
        "officer_available": available,
        "wait_minutes": expected_wait(session, conversation_id),
    }


def active(session: Session, conversation_id: str) -> dict[str, Any]:
    """The conversation's open ticket: whether an officer has taken it (`assigned`), or how long
    the worker may wait (`wait_minutes`, `officer_available`) while the assistant serves them."""
    ticket = _open_ticket(session, conversation_id)
    if ticket is None:
        return {"active": False, "replies": []}
    replies = [{"text": m.text, "at": m.at} for m in ticket.messages if m.sender == "staff"]
    return {
        "active": True,
        "ticket_id": ticket.id,
        "reference": ticket.reference,
        "status": ticket.status,
        "officer_available": officer_available(),
        "wait_minutes": expected_wait(session, conversation_id),
        "replies": replies,
    }


def withdraw(session: Session, ctx: Ctx, conversation_id: str) -> dict[str, Any]:
    """The worker no longer wants an officer: a ticket nobody has taken yet is closed."""
    ticket = _open_ticket(session, conversation_id)
    if ticket is not None and ticket.status == "open":
        ticket.status = "closed"
        ticket.closed_at = utcnow()
        session.add(HandoffMessage(ticket_id=ticket.id, sender="user", text="(withdrawn)"))
        if ticket.worker_id:
            audit.record(
                session,
                ctx,
                "handoff.withdraw",
                worker_id=ticket.worker_id,
                purpose="worker withdrew the hand-over",
            )
        session.flush()
    return active(session, conversation_id)


def relay(session: Session, conversation_id: str, text: str) -> dict[str, Any]:
    """Add the worker's new message to the open ticket (masked), then report its state."""
    ticket = _open_ticket(session, conversation_id)
    if ticket is not None and text.strip():
        session.add(HandoffMessage(ticket_id=ticket.id, sender="user", text=mask_numbers(text)))
        ticket.updated_at = utcnow()
        session.flush()
        session.refresh(ticket)
    return active(session, conversation_id)


def list_tickets(
    session: Session,
    status: str | None,
    language: str | None = None,
    limit: int = QUEUE_LIMIT,
) -> list[dict[str, Any]]:
    """The queue: waiting tickets oldest first (first come, first served), closed newest first.

    `language` lets an officer see only the conversations they can answer; `limit` keeps the
    page small once years of closed tickets have piled up.
    """
    stmt = select(HandoffTicket).options(selectinload(HandoffTicket.assignee))
    if status:
        stmt = stmt.where(HandoffTicket.status == status)
    if language:
        stmt = stmt.where(HandoffTicket.language == language)
    if status == "closed":
        stmt = stmt.order_by(HandoffTicket.closed_at.desc(), HandoffTicket.id.desc())
    else:
        stmt = stmt.order_by(HandoffTicket.created_at, HandoffTicket.id)
    rows = session.execute(stmt.limit(limit)).scalars()
    return [ticket_view(t, with_messages=False) for t in rows]


def _get(session: Session, ticket_id: int) -> HandoffTicket:
    ticket = session.get(HandoffTicket, ticket_id)
    if ticket is None:
        raise DomainError("not_found", "No such ticket.")
    return ticket


def _audit_staff(session: Session, ctx: Ctx, ticket: HandoffTicket, action: str, why: str) -> None:
    """Every officer touch of a ticket leaves a row: the worker when known, always the ticket
    (an unverified caller's words are personal data too)."""
    audit.record(
        session,
        ctx,
        action,
        worker_id=ticket.worker_id,
        purpose=why,
        subject=f"ticket:{ticket.reference}",
    )


def get_ticket(session: Session, ctx: Ctx, ticket_id: int) -> dict[str, Any]:
    ticket = _get(session, ticket_id)
    _audit_staff(session, ctx, ticket, "handoff.read", "officer reads ticket")
    return ticket_view(ticket)


def _reply_address(session: Session, ticket: HandoffTicket) -> tuple[str, str] | None:
    """Where an officer's reply goes for SMS/WhatsApp conversations (web/voice poll instead)."""
    if ticket.channel not in ("sms", "whatsapp"):
        return None
    number = senders.number_of(session, ticket.conversation_id)
    if number is not None:
        return number, ticket.channel
    if ticket.worker_id:
        worker = session.get(Worker, ticket.worker_id)
        if worker and worker.phone:
            return worker.phone, ticket.channel
    return None


def reply(
    session: Session, ctx: Ctx, ticket_id: int, staff: StaffUser, text: str
) -> dict[str, Any]:
    ticket = _get(session, ticket_id)
    if ticket.status == "closed":
        raise DomainError("ticket_closed", "The ticket is closed.")
    body = text.strip()
    if not body:
        raise DomainError("missing_field", "Reply text is required.", field="text")
    message = HandoffMessage(ticket_id=ticket.id, sender="staff", text=body, staff_user_id=staff.id)
    session.add(message)
    ticket.status = "assigned"
    ticket.assigned_to = staff.id
    ticket.updated_at = utcnow()
    session.flush()
    address = _reply_address(session, ticket)
    if address:
        try:
            enqueue(
                session,
                to=address[0],
                body=body,
                channel=address[1],
                reason="handoff_reply",
                dedupe_key=f"handoff:{ticket.id}:{message.id}",
            )
        except NotServed:
            log.warning("officer reply kept but not sent: the number is not served")
    elif ticket.channel == "voice":  # a caller cannot read the console: text them, ring them
        callbacks.for_voice_handoff(session, ctx, ticket, body, message.id)
    _audit_staff(session, ctx, ticket, "handoff.reply", "officer reply")
    session.refresh(ticket)
    return ticket_view(ticket)


def close(session: Session, ctx: Ctx, ticket_id: int, staff: StaffUser) -> dict[str, Any]:
    ticket = _get(session, ticket_id)
    if ticket.status != "closed":
        ticket.status = "closed"
        ticket.closed_at = utcnow()
        ticket.assigned_to = ticket.assigned_to or staff.id
    _audit_staff(session, ctx, ticket, "handoff.close", "officer closes ticket")
    session.flush()
    return ticket_view(ticket)
