"""Track one request by its reference: any kind the worker made, its status and its timeline.

Why one service: a worker holds a reference slip (CLM-, REN-, PRR-, NOM-, FDB-, CBK-, HND-,
ERA-, COR-) and asks "what happened to it?" on any channel; the status of a decided request lives on
its case (api/services/cases.py); a nominee change and an erasure are done at once and have no
case; a hand-over to an officer has its ticket's status (open, assigned, closed). The worker
sees only their own requests; a reference of someone else is answered exactly like an unknown
one (404 `not_found`). A complaint can be followed before verification, status only, since
complaints may be anonymous.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from api.db.models import (
    CallbackRequest,
    Case,
    CaseEvent,
    Claim,
    ClaimDocument,
    CorrectionRequest,
    ErasureRecord,
    Feedback,
    HandoffTicket,
    NomineeChange,
    RenewalRequest,
    Worker,
)
from api.domain import casework as rules
from api.domain.codes import REFERENCE_PREFIXES, ReferenceKind
from api.domain.errors import DomainError
from api.domain.references import ReferenceQuery, normalise_reference
from api.services import audit
from api.services.context import Ctx

# A nominee change or an erasure is done at once: no case, its only status is this one.
NOMINEE_STATUS = "recorded"
MAX_ALSO = 5
FEEDBACK_PREFIX = REFERENCE_PREFIXES[ReferenceKind.FEEDBACK]


def not_found() -> DomainError:
    return DomainError("not_found", "No request with this reference.", field="reference")


def read_query(reference: str) -> ReferenceQuery:
    query = normalise_reference(reference)
    if query is None:
        raise DomainError("invalid_input", "Not a reference number.", field="reference")
    return query


def _own_cases(session: Session, worker: Worker) -> list[Case]:
    """Cases of the worker, and call-backs asked for from the worker's registered number."""
    links: list[Any] = [Case.worker_id == worker.id]
    if worker.phone:
        by_phone = select(CallbackRequest.case_id).where(CallbackRequest.phone == worker.phone)
        links.append(Case.id.in_(by_phone))
    return list(
        session.execute(select(Case).where(or_(*links)).order_by(Case.created_at.desc()))
        .scalars()
        .all()
    )


Record = Case | NomineeChange | ErasureRecord | HandoffTicket


def _own_records(session: Session, worker: Worker) -> list[Record]:
    """Everything with a reference the worker was given: cases, then what has no case."""
    found: list[Record] = list(_own_cases(session, worker))
    found += session.execute(
        select(NomineeChange).where(NomineeChange.worker_id == worker.id)
    ).scalars()
    found += session.execute(
        select(ErasureRecord).where(ErasureRecord.worker_id == worker.id)
    ).scalars()
    found += session.execute(
        select(HandoffTicket).where(HandoffTicket.worker_id == worker.id)
    ).scalars()
    return found


def _timeline(session: Session, case: Case) -> list[dict[str, Any]]:
    """What the worker may see of each step: when, the new status, and the decision's facts
    (never who decided, nor an officer's internal note)."""
    events = session.execute(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).scalars()
    return [
        {
            "at": e.at,
            "status": e.to_status,
            "reason": e.reason,
            "amount": e.amount,
            "paid_on": e.paid_on,
            "documents": list(e.documents or []),
        }
        for e in events
    ]


def _details(session: Session, case: Case) -> dict[str, Any]:
    if case.kind == rules.CaseKind.CLAIM:
        claim = session.execute(select(Claim).where(Claim.case_id == case.id)).scalar_one()
        pending = session.execute(
            select(ClaimDocument.code)
            .where(ClaimDocument.claim_id == claim.id, ClaimDocument.status == "pending")
            .order_by(ClaimDocument.id)
        ).scalars()
        return {
            "claim_type": claim.claim_type,
            "amount_claimed": claim.amount_claimed,
            "amount_approved": claim.amount_approved,
            "amount_paid": claim.amount_paid,
            "paid_on": claim.paid_on,
            "documents_pending": list(pending),
        }
    if case.kind == rules.CaseKind.RENEWAL:
        scheme = session.execute(
            select(RenewalRequest.scheme_code).where(RenewalRequest.case_id == case.id)
        ).scalar_one_or_none()
        return {"scheme": scheme}
    if case.kind == rules.CaseKind.COMPLAINT:
        category = session.execute(
            select(Feedback.category).where(Feedback.case_id == case.id)
        ).scalar_one_or_none()
        return {"category": category}
    if case.kind == rules.CaseKind.CORRECTION:
        field = session.execute(
            select(CorrectionRequest.field).where(CorrectionRequest.case_id == case.id)
        ).scalar_one_or_none()
        return {"field": field}
    return {"scheme": case.scheme} if case.scheme else {}


def case_view(session: Session, case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "open": case.is_open,
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "due_at": case.due_at if case.is_open else None,
        "timeline": _timeline(session, case),
        "details": _details(session, case),
    }


def _step(at: Any, status: str) -> dict[str, Any]:
    return {"at": at, "status": status, "reason": None, "amount": None, "paid_on": None}


def _done_view(reference: str, kind: str, at: Any, details: dict[str, Any]) -> dict[str, Any]:
    """A request done the moment it was made (a nominee change, an erasure)."""
    return {
        "reference": reference,
        "kind": kind,
        "status": NOMINEE_STATUS,
        "open": False,
        "created_at": at,
        "updated_at": at,
        "due_at": None,
        "timeline": [{**_step(at, NOMINEE_STATUS), "documents": []}],
        "details": details,
    }


def _handoff_view(ticket: HandoffTicket) -> dict[str, Any]:
    """A hand-over to an officer: waiting, taken, or closed (never who took it)."""
    steps = [_step(ticket.created_at, "open")]
    if ticket.closed_at is not None:
        steps.append(_step(ticket.closed_at, "closed"))
    return {
        "reference": ticket.reference,
        "kind": "handoff",
        "status": ticket.status,
        "open": ticket.status != "closed",
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "due_at": None,
        "timeline": [{**s, "documents": []} for s in steps],
        "details": {},
    }


def _view(session: Session, record: Record) -> dict[str, Any]:
    if isinstance(record, Case):
        return case_view(session, record)
    if isinstance(record, NomineeChange):
        details = {"name": record.new_name, "relation": record.new_relation}
        return _done_view(record.reference, "nominee", record.at, details)
    if isinstance(record, ErasureRecord):
        return _done_view(record.reference, "erasure", record.at, {})
    return _handoff_view(record)


def _created(record: Record) -> Any:
    return record.at if isinstance(record, NomineeChange | ErasureRecord) else record.created_at


def track_for_worker(session: Session, ctx: Ctx, worker: Worker, reference: str) -> dict[str, Any]:
    """The worker's own request the reference names (newest first when only a number was
    given and several fit; the others are listed in `also`), audited as a personal read."""
    query = read_query(reference)
    found = [r for r in _own_records(session, worker) if query.matches(r.reference)]
    if not found:
        audit.record(
            session, ctx, "request.track", worker_id=worker.id, purpose="track", outcome="none"
        )
        raise not_found()
    found.sort(key=_created, reverse=True)
    view = _view(session, found[0])
    view["also"] = [r.reference for r in found[1 : 1 + MAX_ALSO]]
    audit.record(session, ctx, "request.track", worker_id=worker.id, purpose="track")
    return view


def track_complaint(session: Session, reference: str) -> dict[str, Any]:
    """A complaint's status before verification: nothing personal (no text, no worker).

    The reference must name the year and number (the FDB prefix may be left out): a bare
    number would let anyone walk through every complaint's status.
    """
    query = read_query(reference)
    if query.year is None or query.prefix not in (None, FEEDBACK_PREFIX):
        raise not_found()
    full = ReferenceQuery(query.number, FEEDBACK_PREFIX, query.year).canonical()
    case = session.execute(
        select(Case).where(Case.reference == full, Case.kind == rules.CaseKind.COMPLAINT)
    ).scalar_one_or_none()
    if case is None:
        raise not_found()
    return {
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "open": case.is_open,
        "updated_at": case.updated_at,
    }
