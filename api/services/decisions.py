"""Deciding a case: the rules of api/domain/casework.py applied, the status moved by one
compare-and-set UPDATE (so of two officers deciding at once exactly one wins), the request's own
effects (money, membership, pension), the timeline, the audit row and the worker's notice, all in
the caller's transaction."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.db.models import (
    Case,
    CaseEvent,
    Claim,
    ClaimDocument,
    Enrollment,
    PensionAccount,
    PensionRestartRequest,
    RenewalRequest,
    StaffUser,
    Worker,
    utcnow,
)
from api.domain import casework as rules
from api.domain.errors import DomainError
from api.services import audit, cases, corrections, notices, scheme_benefits
from api.services.context import Ctx, local_today

LIMITS_FILE = Path(__file__).resolve().parent.parent / "data" / "claim_limits.yaml"
NOTE_LIMIT = 2000


@lru_cache(maxsize=1)
def claim_limits() -> dict[str, int]:
    """Highest amount per claim type (api/data/claim_limits.yaml, with each figure's source)."""
    data = yaml.safe_load(LIMITS_FILE.read_text(encoding="utf-8"))
    return {str(k): int(v["max"]) for k, v in data["claim_types"].items()}


def _claim(session: Session, case: Case) -> Claim | None:
    if case.kind != rules.CaseKind.CLAIM:
        return None
    return session.execute(select(Claim).where(Claim.case_id == case.id)).scalar_one()


def _amount_max(session: Session, claim: Claim) -> int | None:
    """The most this claim may be approved or paid for: the scheme's own published figure when
    it was filed under one that publishes it (a pension: the member's amount by the rule), else
    the type's maximum."""
    worker = session.get(Worker, claim.worker_id)
    registered_on = session.execute(
        select(Enrollment.registered_on).where(
            Enrollment.worker_id == claim.worker_id, Enrollment.scheme_code == claim.scheme_code
        )
    ).scalar_one_or_none()
    own = (
        scheme_benefits.claim_limit(
            claim.scheme_code,
            claim.claim_type,
            born=worker.date_of_birth,
            registered_on=registered_on,
            today=local_today(),
        )
        if worker is not None and claim.scheme_code
        else None
    )
    return own if own is not None else claim_limits().get(claim.claim_type)


def _facts(case: Case, claim: Claim | None, field: str | None) -> rules.CaseFacts:
    return rules.CaseFacts(
        kind=case.kind,
        status=case.status,
        version=case.version,
        claim_type=claim.claim_type if claim else None,
        approved_amount=claim.amount_approved if claim else None,
        submitted_on=claim.submitted_on if claim else None,
        correction_field=field,
    )


def compare_and_set(session: Session, case: Case, target: str, staff: StaffUser | None) -> int:
    """Move the case in one UPDATE guarded by the version it was read at; the new version."""
    now = utcnow()
    still_open = rules.is_open(case.kind, target)
    values: dict[str, Any] = {
        "status": target,
        "version": Case.version + 1,
        "is_open": still_open,
        "updated_at": now,
        "closed_at": None if still_open else now,
    }
    if staff is not None:
        values["assigned_to"] = staff.id
    result = session.execute(
        update(Case)
        .where(Case.id == case.id, Case.version == case.version, Case.status == case.status)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]  # an UPDATE: a CursorResult
        session.expire(case)
        raise DomainError(
            "stale",
            "Someone else decided this case first; reload it.",
            field="version",
            current_version=case.version,
        )
    session.refresh(case)
    return case.version


def _claim_effects(session: Session, claim: Claim, decision: rules.Decision) -> None:
    documents = list(
        session.execute(select(ClaimDocument).where(ClaimDocument.claim_id == claim.id)).scalars()
    )
    if decision.status == "documents_pending":
        wanted = set(decision.documents)
        for row in documents:
            row.status = "pending" if row.code in wanted else "received"
        for code in sorted(wanted - {row.code for row in documents}):
            session.add(ClaimDocument(claim_id=claim.id, code=code, status="pending"))
    elif decision.status == "under_review":
        for row in documents:
            row.status = "received"
    elif decision.status == "approved":
        claim.amount_approved = decision.amount
    elif decision.status == "paid":
        claim.amount_paid = decision.amount
        claim.paid_on = decision.paid_on


def _renewal_effects(session: Session, case: Case, decision: rules.Decision) -> None:
    request = session.execute(
        select(RenewalRequest).where(RenewalRequest.case_id == case.id)
    ).scalar_one()
    request.decided_at = utcnow()
    if decision.status != "approved":
        return
    enrollment = session.get(Enrollment, request.enrollment_id)
    if enrollment is not None:
        today = local_today()
        start = max(enrollment.valid_until or today, today)
        enrollment.valid_until = _one_year_after(start)
        enrollment.status = "active"
        enrollment.renewable = False


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + timedelta(days=365)


def _restart_effects(session: Session, case: Case, decision: rules.Decision) -> None:
    if decision.status != "approved":
        return
    request = session.execute(
        select(PensionRestartRequest).where(PensionRestartRequest.case_id == case.id)
    ).scalar_one()
    account = session.get(PensionAccount, request.pension_account_id)
    if account is not None:
        account.status = "active"
        account.stop_reason = None
        account.restarted_on = local_today()


def apply(
    session: Session,
    ctx: Ctx,
    case: Case,
    decision: rules.Decision,
    role: rules.Role,
    *,
    staff: StaffUser | None = None,
) -> CaseEvent:
    """Check `decision` against the rules, move the case, record and notify; the new event."""
    claim = _claim(session, case)
    correction = corrections.of_case(session, case)
    amount_max = _amount_max(session, claim) if claim else None
    source = case.status
    facts = _facts(case, claim, correction.field if correction else None)
    rules.check_decision(facts, decision, role, amount_max=amount_max, today=local_today())
    version = compare_and_set(session, case, decision.status, staff)
    if claim is not None:
        _claim_effects(session, claim, decision)
    elif case.kind == rules.CaseKind.RENEWAL:
        _renewal_effects(session, case, decision)
    elif case.kind == rules.CaseKind.RESTART:
        _restart_effects(session, case, decision)
    elif correction is not None and decision.status == "approved":
        corrections.apply_approved(session, ctx, case, correction)
    event = CaseEvent(
        case_id=case.id,
        actor=ctx.actor[:120],
        role=str(role),
        from_status=source,
        to_status=decision.status,
        version=version,
        reason=decision.reason,
        amount=decision.amount,
        paid_on=decision.paid_on,
        documents=list(decision.documents),
        note=decision.note.strip()[:NOTE_LIMIT],
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        ctx,
        "case.decide",
        worker_id=case.worker_id,
        purpose=f"{case.kind} {source} -> {decision.status}",
    )
    worker = session.get(Worker, case.worker_id) if case.worker_id else None
    notices.notify(session, case, worker, event)
    return event


def decide(
    session: Session, ctx: Ctx, staff: StaffUser, reference: str, decision: rules.Decision
) -> dict[str, Any]:
    """An officer's or supervisor's decision (staff API)."""
    case = cases.find(session, reference)
    apply(session, ctx, case, decision, rules.Role(staff.role), staff=staff)
    return cases.detail(session, ctx, staff, case.reference)


def withdraw(session: Session, ctx: Ctx, worker: Worker, reference: str) -> dict[str, Any]:
    """The worker withdraws their own claim (worker API); someone else's case is not found."""
    case = cases.find(session, reference)
    if case.worker_id != worker.id:
        raise DomainError("not_found", "No case with this reference.", field="reference")
    cases.touch_channel(case, ctx)
    decision = rules.Decision(status="withdrawn", version=case.version)
    apply(session, ctx, case, decision, rules.Role.WORKER)
    return {"reference": case.reference, "status": case.status, "version": case.version}
