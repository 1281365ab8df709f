"""Phone calls: the state of each call, one row per answered turn, Twilio's status events, and
what a call may do in the backend (open a hand-over, queue an SMS or a call-back).

Why a service: the phone line (voice/) is an adapter that decides what to say; this module owns
the tables and the transactions. State lives in the database, so a webhook reaching any API
process (or the same one twice) finds the same call, and a call survives a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db.models import CallStatusEvent, OutboundCall, VoiceCall, VoiceTurn, utcnow
from api.db.session import session_scope
from api.domain.phones import normalise_phone
from api.messaging import outbound
from api.services import callbacks, handoff, menu_order, pace
from api.services import language as language_service
from api.services.context import Ctx

log = logging.getLogger(__name__)
T = TypeVar("T")
TERMINAL_STATUSES = ("completed", "busy", "failed", "no-answer", "canceled")


@dataclass
class CallRecord:
    """A call as the phone line sees it; changed by the line, saved by `transact`."""

    call_sid: str
    caller: str = ""
    direction: str = "inbound"
    language: str | None = None
    slow: bool = False
    turn: int = 0
    mode: str = "language"
    mode_data: dict[str, Any] = field(default_factory=dict)
    last_prompt: list[str] = field(default_factory=list)
    misses: int = 0
    failures: int = 0
    transcript: list[dict[str, str]] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    status: str = "in-progress"

    @property
    def conversation_id(self) -> str:
        """The backend's id of this call's conversation (docs/contracts.md)."""
        return f"rasa:voice:{self.call_sid}"

    @property
    def phone(self) -> str | None:
        """The caller's number in E.164, if it is one (it may be hidden or malformed)."""
        return normalise_phone(self.caller)


_FIELDS = tuple(f.name for f in fields(CallRecord))


@dataclass(frozen=True)
class Turn:
    """One answered <Gather>: a duplicate delivery replays `twiml`."""

    call_sid: str
    turn: int
    status: str  # pending | done | failed
    twiml: str | None


@dataclass(frozen=True)
class Handover:
    reference: str | None
    officer_available: bool


def _record(row: VoiceCall) -> CallRecord:
    values = {name: getattr(row, name) for name in _FIELDS}
    for name in ("mode_data", "last_prompt", "transcript", "references"):
        value = values[name]
        values[name] = type(value)(value) if value else ({} if name == "mode_data" else [])
    return CallRecord(**values)


def _save(row: VoiceCall, record: CallRecord) -> None:
    for name in _FIELDS:
        if getattr(row, name) != getattr(record, name):
            setattr(row, name, getattr(record, name))
    if record.status == "ended" and row.ended_at is None:
        row.ended_at = utcnow()


class CallDesk:
    """What a call may do in the backend, inside the call's own transaction."""

    def __init__(self, session: Session, record: CallRecord | None) -> None:
        self.session = session
        self.record = record

    def _ctx(self) -> Ctx:
        sid = self.record.call_sid if self.record else "-"
        return Ctx(actor=f"voice:{sid}", channel="voice")

    def remembered_language(self, caller: str) -> str | None:
        """The caller's language, remembered by number (worker's preference first)."""
        try:
            with self.session.begin_nested():
                return language_service.remembered(self.session, caller, self._ctx())
        except Exception:
            log.warning("language lookup failed; asking the caller", exc_info=True)
            return None

    def remember_language(self, caller: str, language: str) -> None:
        with self.session.begin_nested():
            language_service.remember(self.session, language=language, address=caller)

    def remembered_slow(self, caller: str) -> bool:
        """The caller chose slow speech on an earlier call (remembered by number)."""
        try:
            with self.session.begin_nested():
                return pace.remembered_slow(self.session, caller)
        except Exception:
            log.warning("speed lookup failed; normal speed", exc_info=True)
            return False

    def remember_slow(self, caller: str, slow: bool) -> None:
        """Keep the caller's speed for their next call; a failure costs only the memory."""
        try:
            with self.session.begin_nested():
                pace.remember_slow(self.session, caller, slow)
        except Exception:
            log.warning("speed not remembered", exc_info=True)

    def record_choice(self, level: str, option: str, language: str) -> None:
        """Count a keypad menu choice (for the learned order); a failure costs only the count."""
        try:
            with self.session.begin_nested():
                menu_order.record(self.session, level, option, language)
        except Exception:
            log.warning("menu choice not counted", exc_info=True)

    def menu_order(
        self, level: str, default: tuple[str, ...], fixed: frozenset[str]
    ) -> tuple[str, ...]:
        """A menu level's options in the order learned from callers' choices (else `default`)."""
        try:
            with self.session.begin_nested():
                return menu_order.order(self.session, level, default, fixed)
        except Exception:
            log.warning("menu order unavailable; the default order", exc_info=True)
            return default

    def open_handover(self, language: str, reason: str) -> Handover:
        """Open (or find) the call's hand-over ticket; a failure still says if officers work."""
        record = self.record
        assert record is not None
        try:
            with self.session.begin_nested():
                ticket = handoff.create(
                    self.session,
                    self._ctx(),
                    conversation_id=record.conversation_id,
                    channel="voice",
                    language=language,
                    reason=reason,
                    transcript=[
                        {"sender": x["sender"], "text": x["text"]} for x in record.transcript
                    ][-60:],
                    worker=None,
                )
            return Handover(ticket["reference"], bool(ticket["officer_available"]))
        except Exception:
            log.exception("hand-off ticket could not be opened")
            return Handover(None, self.officer_available())

    def withdraw_handover(self) -> bool:
        """The caller no longer wants an officer: the call's ticket nobody has taken yet is
        closed, as the chat's `POST /handoffs/withdraw` does. False: it is still open (an
        officer already has it, or the database failed)."""
        record = self.record
        assert record is not None
        try:
            with self.session.begin_nested():
                after = handoff.withdraw(self.session, self._ctx(), record.conversation_id)
            return not after["active"]
        except Exception:
            log.exception("hand-off ticket could not be withdrawn")
            return False

    def officer_available(self) -> bool:
        try:
            return handoff.officer_available()
        except Exception:
            return False

    def expected_wait(self) -> int:
        """Minutes until an officer is likely free (open tickets ahead, officers logged in)."""
        record = self.record
        assert record is not None
        try:
            return handoff.expected_wait(self.session, record.conversation_id)
        except Exception:
            log.warning("wait estimate failed", exc_info=True)
            return 1

    def open_callback(self, language: str, reason: str) -> str | None:
        """A call-back case for the caller's number (linked to the call's hand-over ticket);
        its reference, or None when the number is hidden or the case could not be stored."""
        record = self.record
        if record is None or record.phone is None:
            return None
        try:
            with self.session.begin_nested():
                ticket = handoff.active(self.session, record.conversation_id)
                case = callbacks.open_callback(
                    self.session,
                    self._ctx(),
                    phone=record.phone,
                    language=language,
                    source="ivr",
                    reason=reason,
                    transcript=list(record.transcript),
                    handoff_ticket_id=ticket.get("ticket_id"),
                )
                return case.reference
        except Exception:
            log.exception("call-back case could not be opened")
            return None

    def officer_has_call(self) -> bool:
        """An officer's ticket is open on this call's conversation."""
        if self.record is None:
            return False
        try:
            return bool(handoff.active(self.session, self.record.conversation_id)["active"])
        except Exception:
            return False

    def queue_sms(self, body: str, *, reason: str, dedupe_key: str) -> bool:
        """Text the caller (once per `dedupe_key`); False when the caller has no usable number."""
        number = self.record.phone if self.record else None
        if number is None or not outbound.serves(number):
            return False
        outbound.enqueue(
            self.session, to=number, body=body, channel="sms", reason=reason, dedupe_key=dedupe_key
        )
        return True

    def store_turn(self, turn: int, twiml: str, status: str = "done") -> str:
        """Record a turn's answer unless another path already did (then return that one)."""
        sid = self.record.call_sid if self.record else ""
        row = self.session.execute(
            select(VoiceTurn).where(VoiceTurn.call_sid == sid, VoiceTurn.turn == turn)
        ).scalar_one_or_none()
        if row is None:
            row = VoiceTurn(call_sid=sid, turn=turn)
            self.session.add(row)
        elif row.status != "pending" and row.twiml:
            return row.twiml
        row.status, row.twiml, row.finished_at = status, twiml, utcnow()
        return twiml

    def turn(self, turn: int) -> Turn | None:
        sid = self.record.call_sid if self.record else ""
        row = self.session.execute(
            select(VoiceTurn).where(VoiceTurn.call_sid == sid, VoiceTurn.turn == turn)
        ).scalar_one_or_none()
        return Turn(row.call_sid, row.turn, row.status, row.twiml) if row is not None else None


def transact(
    call_sid: str,
    work: Callable[[CallRecord | None, CallDesk], T],
    *,
    start: CallRecord | None = None,
) -> T:
    """Run `work` on the call in one transaction and save what it changed.

    `start`: the call's first state, stored if the call is new. `work` gets None for a call
    never seen (and no `start`).
    """
    with session_scope() as s:
        row = s.get(VoiceCall, call_sid)
        if row is None and start is not None:
            row = VoiceCall(call_sid=call_sid)
            _save(row, start)
            s.add(row)
            s.flush()
        record = _record(row) if row is not None else None
        result = work(record, CallDesk(s, record))
        if row is not None and record is not None:
            _save(row, record)
        return result


def claim_turn(call_sid: str, turn: int) -> Turn | None:
    """Mark a turn as being answered: None if it is new, else what a previous delivery made."""
    try:
        with session_scope() as s:
            s.add(VoiceTurn(call_sid=call_sid, turn=turn, status="pending"))
    except IntegrityError:
        return get_turn(call_sid, turn)
    return None


def get_turn(call_sid: str, turn: int) -> Turn | None:
    with session_scope() as s:
        return CallDesk(s, CallRecord(call_sid)).turn(turn)


def store_turn(call_sid: str, turn: int, twiml: str, status: str = "done") -> str:
    with session_scope() as s:
        return CallDesk(s, CallRecord(call_sid)).store_turn(turn, twiml, status)


def record_status(call_sid: str, status: str, direction: str, duration: str) -> bool:
    """Keep Twilio's call status event; True when the call has just ended."""
    status = status[:20]
    with session_scope() as s:
        s.add(
            CallStatusEvent(
                call_sid=call_sid,
                status=status,
                direction=direction[:20],
                duration_s=int(duration) if duration.isdigit() else None,
            )
        )
        placed = s.execute(
            select(OutboundCall).where(OutboundCall.provider_sid == call_sid)
        ).scalar_one_or_none()
        if placed is not None and status:
            placed.status = status
    return status in TERMINAL_STATUSES


def queue_call_back(caller: str, call_sid: str, reason: str) -> bool:
    """Ring a caller back (missed-call line), once per call; False for no usable number.

    A number the line does not serve (abroad, premium rate) is never called, however the
    webhook was signed: someone who owns a premium number would be paid for every call-back.
    """
    number = normalise_phone(caller)
    if number is None or not outbound.serves(number):
        log.warning("no call-back: the caller's number is not one the line calls")
        return False
    with session_scope() as s:
        outbound.enqueue_call(s, number, reason=reason, dedupe_key=f"missed:{call_sid}")
    return True


def missed_call(caller: str, call_sid: str) -> bool:
    """The missed-call line: the automated call-back (the menu, at once, free for the caller)
    and a call-back case, so an officer rings whoever the menu could not help."""
    queued = queue_call_back(caller, call_sid, "missed_call")
    if queued:
        callbacks.from_missed_call(caller, call_sid)
    return queued


def caller_number(session: Session, call_sid: str) -> str | None:
    """The number a call came from (E.164), if it had a usable one."""
    row = session.get(VoiceCall, call_sid[:64])
    return normalise_phone(row.caller) if row is not None else None


def snapshot(call_sid: str) -> dict[str, Any] | None:
    """The call's state (tests, the simulator's diagnostics)."""
    return transact(call_sid, lambda record, _desk: None if record is None else vars(record).copy())
