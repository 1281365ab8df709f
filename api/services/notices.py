"""The worker hears back: every decision becomes a notice in the worker's language (reference,
new status, next step), kept for the web chat and the assistant to show, and queued once on the
worker's channel through the durable outbox.

Where it goes: WhatsApp when the worker last wrote on WhatsApp (the outbox falls back to SMS
outside the 24-hour window), else SMS to the registered number; a worker who last called and
chose calls also gets an automated call that reads the notice (voice/notice.py). A web-chat-only
worker with no number finds it in the chat (`GET /chat/notices`) or through the assistant
(`GET /api/v1/me/notices`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.db.models import (
    CallbackRequest,
    Case,
    CaseEvent,
    CaseNotice,
    Claim,
    CorrectionRequest,
    Enrollment,
    PensionAccount,
    PensionRestartRequest,
    RenewalRequest,
    Worker,
    utcnow,
)
from api.db.session import session_scope
from api.domain import casework as rules
from api.domain.phones import normalise_phone
from api.messaging import outbound
from api.services import audit, senders
from api.services.context import Ctx
from api.settings import get_settings
from locales import format_date, format_money, format_number, has_message, translate

NOTICE_PATH = "/voice/notice"
SILENT = {("callback", "reached"), ("callback", "wrong_number"), ("callback", "closed")}


def _valid_until(session: Session, case: Case) -> Any:
    request = session.execute(
        select(RenewalRequest).where(RenewalRequest.case_id == case.id)
    ).scalar_one_or_none()
    enrollment = session.get(Enrollment, request.enrollment_id) if request else None
    return enrollment.valid_until if enrollment else None


def _monthly_pension(session: Session, case: Case) -> int | None:
    request = session.execute(
        select(PensionRestartRequest).where(PensionRestartRequest.case_id == case.id)
    ).scalar_one_or_none()
    account = session.get(PensionAccount, request.pension_account_id) if request else None
    return account.monthly_amount if account else None


def _corrected_field(session: Session, case: Case) -> str | None:
    return session.execute(
        select(CorrectionRequest.field).where(CorrectionRequest.case_id == case.id)
    ).scalar_one_or_none()


def render(
    session: Session, case: Case, event: CaseEvent, lang: str, *, spoken: bool = False
) -> str:
    """The notice's words from the catalogs: what was decided, and what to do next."""
    amount = event.amount
    day = event.paid_on
    if case.kind == rules.CaseKind.RENEWAL:
        day = _valid_until(session, case)
    elif case.kind == rules.CaseKind.RESTART:
        amount = _monthly_pension(session, case)
    params: dict[str, Any] = {
        "reference": case.reference,
        "amount": format_money(amount, lang, spoken=spoken) if amount is not None else "",
        "date": format_date(day, lang) if day else "",
        "documents": ", ".join(translate(f"doc.{code}", lang) for code in event.documents or []),
        "reason": translate(f"reason.{event.reason}", lang)
        if event.reason in rules.ALL_REJECTION_REASONS
        else "",
        "note": event.note,
        "attempts": format_number(rules.MAX_CALL_ATTEMPTS, lang),
    }
    if case.kind == rules.CaseKind.CORRECTION:
        field = _corrected_field(session, case)
        params["field"] = translate(f"correction_field.{field}", lang) if field else ""
    words = [translate(f"notice.{case.kind}.{event.to_status}", lang, **params)]
    if event.to_status == "rejected":
        words.append(
            translate("notice.appeal", lang, days=format_number(get_settings().appeal_days, lang))
        )
    return " ".join(words)


def _number(session: Session, case: Case, worker: Worker | None) -> str | None:
    if worker is not None and worker.phone:
        return worker.phone
    if case.kind == rules.CaseKind.CALLBACK:
        phone = session.execute(
            select(CallbackRequest.phone).where(CallbackRequest.case_id == case.id)
        ).scalar_one_or_none()
        return normalise_phone(phone)
    return senders.number_of(session, case.conversation_id or "")


@dataclass(frozen=True)
class Route:
    """How the worker is told: text channel, and whether a call also reads it."""

    channel: str  # sms | whatsapp
    call: bool


def route(last_channel: str, worker: Worker | None) -> Route:
    """WhatsApp if the worker last came by WhatsApp (the outbox falls back to SMS outside 24
    hours), else SMS; a call too for a worker who last called and chose calls. Reminders use it."""
    channel = "whatsapp" if last_channel == "whatsapp" else "sms"
    call = last_channel == "voice" and worker is not None and worker.notify_by_call
    return Route(channel, call)


def notify(
    session: Session, case: Case, worker: Worker | None, event: CaseEvent
) -> CaseNotice | None:
    """Keep the notice and queue it once (dedupe key per case transition)."""
    if (case.kind, event.to_status) in SILENT:
        return None
    if not has_message(f"notice.{case.kind}.{event.to_status}", "en"):
        return None
    claimant = family_claimant(session, case)
    if claimant is not None:
        return _notify_family(session, case, event, claimant)
    lang = worker.preferred_language if worker else case.language
    notice = CaseNotice(
        case_id=case.id,
        worker_id=worker.id if worker else None,
        conversation_id=case.conversation_id,
        reference=case.reference,
        status=event.to_status,
        language=lang,
        body=render(session, case, event, lang),
        spoken=render(session, case, event, lang, spoken=True),
    )
    session.add(notice)
    session.flush()
    number = _number(session, case, worker)
    if number is None:
        return notice  # web chat only: the chat and the assistant show it
    key = f"case:{case.reference}:v{event.version}"  # references are never reused; ids may be
    way = route(case.channel, worker)
    outbound.enqueue(
        session,
        to=number,
        body=notice.body,
        channel=way.channel,
        reason="case_decision",
        dedupe_key=key,
    )
    if way.call:
        outbound.enqueue_call(
            session,
            number,
            reason="case_decision",
            dedupe_key=f"{key}:call",
            path=f"{NOTICE_PATH}?notice={notice.id}&lang={notice.language}",
        )
    return notice


def family_claimant(session: Session, case: Case) -> str | None:
    """The phone of the family member who filed this claim for a worker who died, else None."""
    if case.kind != rules.CaseKind.CLAIM:
        return None
    return session.execute(
        select(Claim.claimant_phone).where(Claim.case_id == case.id, Claim.filed_by == "family")
    ).scalar_one_or_none()


def _notify_family(session: Session, case: Case, event: CaseEvent, phone: str) -> CaseNotice:
    """A family claim's decision goes to the claimant, in the language and on the channel the
    claim was filed in; never to the dead worker's phone or notices."""
    lang = case.language
    notice = CaseNotice(
        case_id=case.id,
        worker_id=None,
        conversation_id=case.conversation_id,
        reference=case.reference,
        status=event.to_status,
        language=lang,
        body=render(session, case, event, lang),
        spoken=render(session, case, event, lang, spoken=True),
    )
    session.add(notice)
    session.flush()
    outbound.enqueue(
        session,
        to=phone,
        body=notice.body,
        channel=route(case.channel, None).channel,
        reason="case_decision",
        dedupe_key=f"case:{case.reference}:v{event.version}",
    )
    return notice


def set_call_preference(session: Session, ctx: Ctx, worker: Worker, wanted: bool) -> bool:
    """The worker chooses whether decisions are also read to them by an automated call."""
    worker.notify_by_call = wanted
    audit.record(session, ctx, "worker.preference", worker_id=worker.id, purpose="decision calls")
    return worker.notify_by_call


def notice_view(notice: CaseNotice) -> dict[str, Any]:
    return {
        "id": notice.id,
        "reference": notice.reference,
        "status": notice.status,
        "language": notice.language,
        "text": notice.body,
        "at": notice.created_at,
        "read": notice.read_at is not None,
    }


def for_worker(session: Session, worker: Worker, limit: int = 20) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CaseNotice)
        .where(CaseNotice.worker_id == worker.id)
        .order_by(CaseNotice.id.desc())
        .limit(limit)
    ).scalars()
    return [notice_view(n) for n in rows]


def mark_read(session: Session, worker: Worker, ids: list[int]) -> int:
    result = session.execute(
        update(CaseNotice)
        .where(CaseNotice.worker_id == worker.id, CaseNotice.id.in_(ids))
        .where(CaseNotice.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # an UPDATE: a CursorResult


def take_for_conversation(session: Session, conversation_id: str) -> list[dict[str, Any]]:
    """Unread notices of one web-chat conversation, marked read as they are handed over."""
    rows = list(
        session.execute(
            select(CaseNotice)
            .where(CaseNotice.conversation_id == conversation_id, CaseNotice.read_at.is_(None))
            .order_by(CaseNotice.id)
            .limit(20)
        ).scalars()
    )
    now = utcnow()
    for row in rows:
        row.read_at = now
    return [notice_view(n) for n in rows]


def for_call(notice_id: int) -> dict[str, str] | None:
    """What the automated call reads aloud (voice/notice.py): language and words."""
    with session_scope() as s:
        notice = s.get(CaseNotice, notice_id)
        if notice is None:
            return None
        return {
            "language": notice.language,
            "text": notice.spoken or notice.body,
            "reference": notice.reference,
        }
