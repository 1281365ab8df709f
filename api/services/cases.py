"""Cases: one opened for every request a worker makes, the officers' work queue, and one case
read in full (timeline, the worker's masked record, linked hand-overs; audited).

The status of a request lives only on its case; request services call `open_case` when they
store a request, and readers join the case (`status_of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from api.db.models import (
    CallbackRequest,
    Case,
    CaseEvent,
    Claim,
    HandoffTicket,
    StaffUser,
    Worker,
    utcnow,
)
from api.domain import casework as rules
from api.domain.errors import DomainError
from api.domain.references import parse_reference
from api.services import audit, case_details, helper_consents
from api.services.context import Ctx
from api.settings import get_settings

QUEUE_LIMIT = 200


def conversation_of(ctx: Ctx) -> str | None:
    """The conversation acting (`rasa:web:<cookie>` ...), where notices for the web chat go."""
    return ctx.actor[:200] if ctx.actor.startswith("rasa:") else None


def due_days(kind: str, category: str | None = None) -> int:
    settings = get_settings()
    if kind == rules.CaseKind.COMPLAINT:
        return settings.complaint_due_days.get(category or "complaint", 7)
    return settings.case_due_days.get(kind, rules.DEFAULT_DUE_DAYS)


@dataclass(frozen=True)
class NewCase:
    """One case to open: what `open_case` takes, for opening many at once (an import)."""

    kind: str
    reference: str
    worker: Worker | None
    language: str | None = None
    scheme: str | None = None
    category: str | None = None
    channel: str | None = None
    at: datetime | None = None  # when the request was made if not now (an imported claim)


def open_case(
    session: Session,
    ctx: Ctx,
    *,
    kind: str,
    reference: str,
    worker: Worker | None,
    language: str | None = None,
    scheme: str | None = None,
    category: str | None = None,
    channel: str | None = None,
    actor_role: str = rules.Role.WORKER,
    at: datetime | None = None,
) -> Case:
    """Store a new case in its first status, with the first line of its timeline."""
    wanted = NewCase(kind, reference, worker, language, scheme, category, channel, at)
    return open_cases(session, ctx, [wanted], actor_role=actor_role)[0]


def open_cases(
    session: Session, ctx: Ctx, wanted: Sequence[NewCase], *, actor_role: str
) -> list[Case]:
    """`open_case` for many in one flush: each in its first status, due from when it was made,
    with the first line of its timeline (the event is flushed with the caller's next flush)."""
    now = utcnow()
    made: list[Case] = []
    for w in wanted:
        since = w.at or now
        worker = w.worker
        made.append(
            Case(
                kind=w.kind,
                reference=w.reference,
                status=rules.INITIAL_STATUS[w.kind],
                is_open=True,
                version=1,
                worker_id=worker.id if worker else None,
                language=w.language or (worker.preferred_language if worker else "en"),
                channel=(w.channel or ctx.channel or "")[:20],
                conversation_id=conversation_of(ctx),
                helper_consent_id=ctx.helper_consent_id,
                district=(worker.district if worker else "")[:60],
                scheme=w.scheme,
                due_at=since + timedelta(days=due_days(w.kind, w.category)),
                created_at=since,
                updated_at=since,
            )
        )
    session.add_all(made)
    session.flush()
    session.add_all(
        CaseEvent(
            case_id=case.id,
            at=case.created_at,
            actor=ctx.actor[:120],
            role=actor_role,
            from_status=None,
            to_status=case.status,
            version=1,
            documents=[],
            note="",
        )
        for case in made
    )
    return made


def touch_channel(case: Case, ctx: Ctx) -> None:
    """The worker wrote again about this case: their last channel is where the answer goes."""
    if ctx.channel:
        case.channel = ctx.channel[:20]
        conversation = conversation_of(ctx)
        if conversation:
            case.conversation_id = conversation


def worker_came_by(session: Session, ctx: Ctx, worker_id: int) -> None:
    """The worker asked about their requests on this channel: their open cases answer there.

    Why on a status read too, not only when a request is filed: a worker who filed by SMS and
    asks on WhatsApp a week later is on WhatsApp now; a decision must not go to a channel they
    left (docs/contracts.md, casework: `channel` is the one the worker last used)."""
    if not ctx.channel:
        return
    values: dict[str, Any] = {"channel": ctx.channel[:20]}
    changed = [Case.channel.is_distinct_from(values["channel"])]
    conversation = conversation_of(ctx)
    if conversation:
        values["conversation_id"] = conversation
        changed.append(Case.conversation_id.is_distinct_from(conversation))
    # a claim the family filed for a worker who died answers the family, wherever anyone
    # holding the worker's UAN and date of birth reads the worker's status
    family = select(Claim.case_id).where(Claim.worker_id == worker_id, Claim.filed_by == "family")
    session.execute(
        update(Case)
        .where(
            Case.worker_id == worker_id,
            Case.is_open.is_(True),
            or_(*changed),
            Case.id.not_in(family),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def find(session: Session, reference: str) -> Case:
    cleaned = "".join(reference.split()).upper()
    case = (
        session.execute(select(Case).where(Case.reference == cleaned)).scalar_one_or_none()
        if parse_reference(cleaned)
        else None
    )
    if case is None:
        raise DomainError("not_found", "No case with this reference.", field="reference")
    return case


def line(case: Case, now: datetime | None = None) -> dict[str, Any]:
    """A case as a row of the work queue (no personal data: the queue is not audited)."""
    now = now or utcnow()
    return {
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "open": case.is_open,
        "version": case.version,
        "language": case.language,
        "channel": case.channel,
        "district": case.district,
        "scheme": case.scheme,
        "assigned_to": case.assigned_to,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "due_at": case.due_at,
        "overdue": bool(case.is_open and case.due_at is not None and case.due_at < now),
        "closed_at": case.closed_at,
    }


def queue(
    session: Session,
    *,
    kind: str | None = None,
    status: str | None = None,
    language: str | None = None,
    district: str | None = None,
    limit: int = QUEUE_LIMIT,
    offset: int = 0,
) -> dict[str, Any]:
    """Oldest first; without `status`, the open cases. Counts per status ignore `status`."""
    filters: list[Any] = []
    if kind:
        filters.append(Case.kind == kind)
    if language:
        filters.append(Case.language == language)
    if district:
        filters.append(Case.district == district)
    page = select(Case).where(*filters)
    page = page.where(Case.status == status) if status else page.where(Case.is_open.is_(True))
    rows = session.execute(
        page.order_by(Case.created_at, Case.id).limit(limit).offset(offset)
    ).scalars()
    counts = dict(
        session.execute(
            select(Case.status, func.count()).where(*filters).group_by(Case.status)
        ).all()
    )
    now = utcnow()
    items = [line(c, now) for c in rows]
    total = counts.get(status, 0) if status else _open_total(session, filters)
    return {
        "items": items,
        "total": total,
        "counts": {str(k): int(v) for k, v in sorted(counts.items())},
        "limit": limit,
        "offset": offset,
    }


def _open_total(session: Session, filters: list[Any]) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(Case).where(*filters, Case.is_open.is_(True))
        ).scalar_one()
    )


def timeline(session: Session, case: Case) -> list[dict[str, Any]]:
    events = session.execute(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).scalars()
    return [
        {
            "at": e.at,
            "actor": e.actor,
            "role": e.role,
            "from": e.from_status,
            "to": e.to_status,
            "version": e.version,
            "reason": e.reason,
            "amount": e.amount,
            "paid_on": e.paid_on,
            "documents": list(e.documents or []),
            "note": e.note,
        }
        for e in events
    ]


def _handovers(session: Session, case: Case) -> list[dict[str, Any]]:
    """Hand-over conversations of the same worker or conversation, and the one a call-back
    came from."""
    links: list[Any] = []
    if case.worker_id is not None:
        links.append(HandoffTicket.worker_id == case.worker_id)
    if case.conversation_id:
        links.append(HandoffTicket.conversation_id == case.conversation_id)
    ticket_id = session.execute(
        select(CallbackRequest.handoff_ticket_id).where(CallbackRequest.case_id == case.id)
    ).scalar_one_or_none()
    if ticket_id is not None:
        links.append(HandoffTicket.id == ticket_id)
    if not links:
        return []
    tickets = session.execute(
        select(HandoffTicket).where(or_(*links)).order_by(HandoffTicket.id.desc()).limit(20)
    ).scalars()
    return [
        {
            "id": t.id,
            "reference": t.reference,
            "channel": t.channel,
            "language": t.language,
            "status": t.status,
            "created_at": t.created_at,
        }
        for t in tickets
    ]


def detail(session: Session, ctx: Ctx, staff: StaffUser, reference: str) -> dict[str, Any]:
    """One case for an officer: the case, its timeline, what the request says, the worker's
    record with numbers masked, linked hand-overs, and the moves this officer may make."""
    case = find(session, reference)
    worker = session.get(Worker, case.worker_id) if case.worker_id else None
    role = rules.Role(staff.role)
    data = line(case)
    data.update(
        {
            "timeline": timeline(session, case),
            "request": case_details.request(session, case),
            "worker": case_details.worker_record(worker),
            "handoffs": _handovers(session, case),
            "allowed": rules.allowed_moves(case.kind, case.status, role),
            "reason_codes": list(rules.REJECTION_REASONS.get(case.kind, ())),
            "helper": helper_consents.describe(session, case.helper_consent_id),
        }
    )
    # always: an unverified caller's call-back shows their number and words (personal data too)
    audit.record(
        session,
        ctx,
        "case.read",
        worker_id=case.worker_id,
        purpose="officer reads case",
        subject=f"case:{case.reference}",
    )
    return data
