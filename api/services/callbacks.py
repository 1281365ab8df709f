"""Call-backs officers actually make: every "call me back" (a missed call, the keypad out of
hours, a caller who would rather not wait, a hand-over left waiting, a web or WhatsApp request)
becomes a call-back case holding the number to ring; the officer's "call" rings their own phone
and bridges it to the worker; three unanswered attempts close the case with an SMS.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.db.models import (
    CallbackRequest,
    Case,
    CaseEvent,
    CaseNotice,
    HandoffMessage,
    HandoffTicket,
    StaffUser,
    VoiceCall,
    Worker,
    utcnow,
)
from api.db.session import session_scope
from api.domain import casework as rules
from api.domain.errors import DomainError
from api.domain.masking import mask_numbers
from api.domain.phones import normalise_phone
from api.integrations.twilio import rest, twiml
from api.logging_setup import current_request_id
from api.messaging import outbound
from api.services import audit, cases, decisions, senders
from api.services import language as language_service
from api.services.context import Ctx
from api.services.references import next_reference
from api.settings import get_settings
from locales import translate

TRANSCRIPT_LINES = 30


def _open_for(session: Session, number: str) -> Case | None:
    return session.execute(
        select(Case)
        .join(CallbackRequest, CallbackRequest.case_id == Case.id)
        .where(CallbackRequest.phone == number, Case.is_open.is_(True))
        .order_by(Case.id)
        .limit(1)
    ).scalar_one_or_none()


def open_callback(
    session: Session,
    ctx: Ctx,
    *,
    phone: str | None,
    language: str | None,
    source: str,
    reason: str = "",
    transcript: list[dict[str, Any]] | None = None,
    worker: Worker | None = None,
    handoff_ticket_id: int | None = None,
) -> Case:
    """A call-back case for `phone`; a number already waiting keeps its one open case."""
    number = normalise_phone(phone)
    if number is None:
        raise DomainError("missing_field", "A phone number to call back is needed.", field="phone")
    existing = _open_for(session, number)
    if existing is not None:
        cases.touch_channel(existing, ctx)
        if handoff_ticket_id is not None:
            session.execute(
                update(CallbackRequest)
                .where(
                    CallbackRequest.case_id == existing.id,
                    CallbackRequest.handoff_ticket_id.is_(None),
                )
                .values(handoff_ticket_id=handoff_ticket_id)
            )
        return existing
    if worker is None:
        worker = session.execute(select(Worker).where(Worker.phone == number)).scalars().first()
    case = cases.open_case(
        session,
        ctx,
        kind=rules.CaseKind.CALLBACK,
        reference=next_reference(session, "callback"),
        worker=worker,
        language=language or (worker.preferred_language if worker else None),
        actor_role=rules.Role.WORKER if source != "queue" else rules.Role.SYSTEM,
    )
    lines = [
        {"sender": str(x.get("sender", "")), "text": mask_numbers(str(x.get("text", "")))}
        for x in (transcript or [])
    ][-TRANSCRIPT_LINES:]
    session.add(
        CallbackRequest(
            case_id=case.id,
            phone=number,
            source=source[:20],
            reason=mask_numbers(reason.strip())[:500],
            transcript=lines,
            attempts=0,
            handoff_ticket_id=handoff_ticket_id,
        )
    )
    session.flush()
    if worker is not None:
        audit.record(
            session, ctx, "callback.create", worker_id=worker.id, purpose="call-back requested"
        )
    return case


def _number_of_conversation(session: Session, conversation_id: str) -> str | None:
    """The caller's number behind a conversation id (`rasa:voice:<CallSid>`, `rasa:sms:<name>`)."""
    tail = conversation_id.removeprefix("rasa:")
    channel, _, rest_of = tail.partition(":")
    if channel == "voice":
        call = session.get(VoiceCall, rest_of)
        return normalise_phone(call.caller) if call else None
    return senders.number_of(session, conversation_id)


def request(
    session: Session,
    ctx: Ctx,
    *,
    conversation_id: str,
    channel: str,
    language: str,
    phone: str | None,
    reason: str,
    transcript: list[dict[str, Any]],
    worker: Worker | None,
) -> dict[str, Any]:
    """`POST /api/v1/callbacks`: the assistant asks for a call-back on a text channel."""
    number = (
        phone
        or _number_of_conversation(session, conversation_id)
        or (worker.phone if worker else None)
    )
    scoped = Ctx(actor=conversation_id[:200], request_id=ctx.request_id, channel=channel)
    case = open_callback(
        session,
        scoped,
        phone=number,
        language=language,
        source=channel,
        reason=reason,
        transcript=transcript,
        worker=worker,
    )
    return {"reference": case.reference, "status": case.status, "due_at": case.due_at}


def from_missed_call(caller: str, call_sid: str) -> str | None:
    """The missed-call line: a call-back case for the number (its own transaction)."""
    if normalise_phone(caller) is None:
        return None
    ctx = Ctx(actor=f"voice:{call_sid}"[:200], request_id=current_request_id(), channel="voice")
    with session_scope() as s:
        lang = language_service.remembered(s, caller, ctx)
        case = open_callback(s, ctx, phone=caller, language=lang, source="missed_call")
        return case.reference


def from_notice(notice_id: int, phone: str, call_sid: str) -> str | None:
    """The worker pressed 0 while a decision was read to them and no officer can take the call
    now: a call-back case on the number that was rung (its own transaction)."""
    ctx = Ctx(actor=f"voice:{call_sid}"[:200], request_id=current_request_id(), channel="voice")
    with session_scope() as s:
        notice = s.get(CaseNotice, notice_id)
        if notice is None or normalise_phone(phone) is None:
            return None
        case = open_callback(
            s,
            ctx,
            phone=phone,
            language=notice.language,
            source="notice",
            reason=f"asked about {notice.reference}",
            worker=s.get(Worker, notice.worker_id) if notice.worker_id else None,
        )
        return case.reference


def for_voice_handoff(
    session: Session, ctx: Ctx, ticket: HandoffTicket, text: str, message_id: int
) -> str | None:
    """An officer answered a phone hand-over in writing: text it to the caller and keep a
    call-back case for the ticket, so someone rings them."""
    number = _number_of_conversation(session, ticket.conversation_id)
    if number is None:
        return None
    outbound.enqueue(
        session,
        to=number,
        body=text,
        channel="sms",
        reason="handoff_reply",
        dedupe_key=f"handoff:{ticket.id}:{message_id}",
    )
    case = open_callback(
        session,
        ctx,
        phone=number,
        language=ticket.language,
        source="handoff",
        reason=ticket.reason,
        transcript=[{"sender": m.sender, "text": m.text} for m in ticket.messages],
        handoff_ticket_id=ticket.id,
    )
    return case.reference


def sweep_waiting_handoffs(now: datetime | None = None) -> int:
    """Hand-overs nobody picked up within HANDOVER_MAX_WAIT_MINUTES become call-backs."""
    cutoff = (now or utcnow()) - timedelta(minutes=get_settings().handover_max_wait_minutes)
    made = 0
    with session_scope() as s:
        tickets = s.execute(
            select(HandoffTicket)
            .where(
                HandoffTicket.status == "open",
                HandoffTicket.created_at < cutoff,
                HandoffTicket.channel.in_(("voice", "sms", "whatsapp")),
                HandoffTicket.callback_checked_at.is_(None),
            )
            .order_by(HandoffTicket.id)
            .limit(200)
        ).scalars()
        for ticket in list(tickets):
            ticket.callback_checked_at = utcnow()  # looked at once, call-back or not
            number = _number_of_conversation(s, ticket.conversation_id)
            if number is None:
                continue
            messages = s.execute(
                select(HandoffMessage).where(HandoffMessage.ticket_id == ticket.id)
            ).scalars()
            open_callback(
                s,
                Ctx(actor="system:handover-wait", channel=ticket.channel),
                phone=number,
                language=ticket.language,
                source="queue",
                reason=ticket.reason,
                transcript=[{"sender": m.sender, "text": m.text} for m in messages],
                worker=s.get(Worker, ticket.worker_id) if ticket.worker_id else None,
                handoff_ticket_id=ticket.id,
            )
            made += 1
    return made


def _callback_case(session: Session, reference: str) -> tuple[Case, CallbackRequest]:
    case = cases.find(session, reference)
    if case.kind != rules.CaseKind.CALLBACK:
        raise DomainError(
            "invalid_transition", "Only call-back cases are called.", field="reference"
        )
    request_row = session.execute(
        select(CallbackRequest).where(CallbackRequest.case_id == case.id)
    ).scalar_one()
    return case, request_row


def place_call(ctx: Ctx, staff: StaffUser, reference: str, version: int) -> dict[str, Any]:
    """Ring the officer's own phone and bridge it to the worker (Twilio REST, <Dial>).

    The call is placed with no transaction open (Twilio may be slow); its sid is stored after.
    """
    officer_phone = normalise_phone(staff.phone)
    if officer_phone is None:
        raise DomainError(
            "no_officer_phone", "Add your phone number to your account first.", field="phone"
        )
    with session_scope() as s:
        case, request_row = _callback_case(s, reference)
        if not case.is_open:
            raise DomainError("invalid_transition", "The call-back is closed.", field="status")
        if version != case.version:
            raise DomainError(
                "stale",
                "The case changed; reload it.",
                field="version",
                current_version=case.version,
            )
        worker_phone, case_id = request_row.phone, case.id
        lang = (staff.languages.split(",") or ["en"])[0] or "en"
        announce = translate("casework.bridge_intro", lang, reference=case.reference)
    settings = get_settings()
    script = twiml.bridge(
        announce=announce, lang=lang, to=worker_phone, caller_id=settings.twilio_from_number
    )
    try:
        sid = rest.place_call(rest.twilio_client(), to=officer_phone, twiml=script)
    except Exception as error:  # Twilio refused or is unreachable: tell the officer now
        raise DomainError(
            "call_failed", f"The call could not be placed ({type(error).__name__})."
        ) from error
    with session_scope() as s:
        placed = s.get(Case, case_id)
        assert placed is not None
        case = placed
        request_row = s.execute(
            select(CallbackRequest).where(CallbackRequest.case_id == case_id)
        ).scalar_one()
        request_row.last_call_sid = sid
        case.assigned_to = staff.id
        s.add(
            CaseEvent(
                case_id=case_id,
                actor=ctx.actor[:120],
                role=staff.role,
                from_status=case.status,
                to_status=case.status,
                version=case.version,
                reason="call_placed",
                documents=[],
                note="",
            )
        )
        audit.record(s, ctx, "case.call", worker_id=case.worker_id, purpose="officer calls back")
        return {"reference": case.reference, "call_sid": sid, "to": worker_phone}


def record_outcome(
    session: Session,
    ctx: Ctx,
    staff: StaffUser,
    reference: str,
    outcome: str,
    version: int,
    note: str = "",
) -> dict[str, Any]:
    """reached / wrong_number end the case; no_answer counts, and the third closes it."""
    case, request_row = _callback_case(session, reference)
    if not case.is_open:
        raise DomainError("invalid_transition", "The call-back is closed.", field="status")
    if version != case.version:
        raise DomainError(
            "stale", "The case changed; reload it.", field="version", current_version=case.version
        )
    target, attempts = rules.after_call(request_row.attempts, outcome)
    request_row.attempts = attempts
    request_row.last_outcome = outcome
    if target is None:
        new_version = decisions.compare_and_set(session, case, case.status, staff)
        session.add(
            CaseEvent(
                case_id=case.id,
                actor=ctx.actor[:120],
                role=staff.role,
                from_status=case.status,
                to_status=case.status,
                version=new_version,
                reason=outcome,
                documents=[],
                note=note.strip()[: decisions.NOTE_LIMIT],
            )
        )
        audit.record(session, ctx, "case.call", worker_id=case.worker_id, purpose="no answer")
    else:
        role = rules.Role.SYSTEM if target == "unreachable" else rules.Role(staff.role)
        decision = rules.Decision(status=target, version=version, reason=outcome, note=note)
        decisions.apply(session, ctx, case, decision, role, staff=staff)
    return cases.detail(session, ctx, staff, case.reference)
