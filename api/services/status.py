"""Everything a verified worker may see about themselves, in one answer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import (
    Case,
    CaseEvent,
    Claim,
    ClaimDocument,
    Enrollment,
    Nominee,
    PensionAccount,
    RenewalRequest,
    Worker,
)
from api.domain.claims import next_step
from api.domain.errors import DomainError
from api.domain.payments import ClaimMoney, payment_of
from api.domain.pension import can_request_restart, restart_steps
from api.domain.phones import normalise_phone
from api.domain.renewal import is_renewable
from api.services import audit, cases, language
from api.services.context import Ctx, local_today, local_zone
from api.settings import get_settings


def enrollments(session: Session, worker: Worker) -> list[dict[str, Any]]:
    today = local_today()
    rows = session.execute(
        select(Enrollment).where(Enrollment.worker_id == worker.id).order_by(Enrollment.id)
    ).scalars()
    return [
        {
            "scheme": e.scheme_code,
            "member_id": e.member_id,
            "status": e.status,
            "valid_until": e.valid_until,
            "renewable": is_renewable(
                scheme=e.scheme_code,
                status=e.status,
                valid_until=e.valid_until,
                renewable_flag=e.renewable,
                today=today,
            ),
        }
        for e in rows
    ]


def claim_view(session: Session, claim: Claim, status: str) -> dict[str, Any]:
    """A claim as the worker sees it; `status` is its case's (the one place it is kept)."""
    pending = list(
        session.execute(
            select(ClaimDocument.code)
            .where(ClaimDocument.claim_id == claim.id, ClaimDocument.status == "pending")
            .order_by(ClaimDocument.id)
        ).scalars()
    )
    return {
        "reference": claim.reference,
        "type": claim.claim_type,
        "scheme": claim.scheme_code,
        "status": status,
        "submitted_on": claim.submitted_on,
        "amount_claimed": claim.amount_claimed,
        "amount_paid": claim.amount_paid,
        "paid_on": claim.paid_on,
        "documents_pending": pending,
        "next_step": next_step(status, pending),
    }


def pension_view(account: PensionAccount) -> dict[str, Any]:
    return {
        "scheme": account.scheme_code,
        "monthly_amount": account.monthly_amount,
        "status": account.status,
        "stop_reason": account.stop_reason,
        "stopped_on": account.stopped_on,
        "last_paid_on": account.last_paid_on,
        "restart_steps": restart_steps(account.status, account.stop_reason),
        "restart_possible": can_request_restart(account.status),
    }


def payment(
    session: Session, worker: Worker, claims: list[tuple[Claim, Case]]
) -> dict[str, Any] | None:
    """Where the worker's money is (api/domain/payments.py); `claims` newest first."""
    case_ids = [case.id for _, case in claims]
    approved: dict[int, Any] = {}
    if case_ids:
        rows = session.execute(
            select(CaseEvent.case_id, func.min(CaseEvent.at))
            .where(CaseEvent.case_id.in_(case_ids), CaseEvent.to_status == "approved")
            .group_by(CaseEvent.case_id)
        ).all()
        approved = {case_id: at for case_id, at in rows}
    money = [
        ClaimMoney(
            reference=c.reference,
            claim_type=c.claim_type,
            status=case.status,
            amount_approved=c.amount_approved,
            amount_paid=c.amount_paid,
            paid_on=c.paid_on,
            approved_on=_local_date(approved.get(case.id)),
            decision_due=_local_date(case.due_at),
            account_last4=_account_shown(c, worker),
        )
        for c, case in claims
    ]
    days = get_settings().payment_due_days
    return payment_of(money, payment_days=days, today=local_today())


def _account_shown(claim: Claim, worker: Worker) -> str | None:
    """The family's claim pays the nominee's account: whoever knows the worker's UAN and date
    of birth must not learn it (nor is the worker's own the one paid)."""
    if claim.filed_by == "family":
        return None
    return claim.bank_last4 or worker.bank_last4


def _local_date(at: datetime | None) -> date | None:
    """A stored instant as the helpline's local date (due dates are said as days)."""
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(local_zone()).date()


def status(session: Session, ctx: Ctx, worker: Worker) -> dict[str, Any]:
    claims = session.execute(
        select(Claim, Case)
        .join(Case, Case.id == Claim.case_id)
        .where(Claim.worker_id == worker.id)
        .order_by(Claim.submitted_on.desc(), Claim.id.desc())
    ).all()
    renewals = session.execute(
        select(RenewalRequest, Case.status)
        .join(Case, Case.id == RenewalRequest.case_id)
        .where(RenewalRequest.worker_id == worker.id)
        .order_by(RenewalRequest.id.desc())
    ).all()
    account = session.execute(
        select(PensionAccount).where(PensionAccount.worker_id == worker.id)
    ).scalar_one_or_none()
    nominee = session.execute(
        select(Nominee).where(Nominee.worker_id == worker.id)
    ).scalar_one_or_none()
    audit.record(
        session, ctx, "status.read", worker_id=worker.id, purpose="worker asked for status"
    )
    cases.worker_came_by(session, ctx, worker.id)
    return {
        "worker": {
            "first_name": worker.first_names(),
            "preferred_language": worker.preferred_language,
            "bank_account_last4": worker.bank_last4,
        },
        "enrollments": enrollments(session, worker),
        "renewals": [
            {
                "reference": r.reference,
                "scheme": r.scheme_code,
                "status": state,
                "created_at": r.created_at,
            }
            for r, state in renewals
        ],
        "claims": [claim_view(session, c, case.status) for c, case in claims],
        "payment": payment(session, worker, [(c, case) for c, case in claims]),
        "pension": pension_view(account) if account else None,
        "nominee": {"name": nominee.name, "relation": nominee.relation} if nominee else None,
    }


def pension(session: Session, ctx: Ctx, worker: Worker) -> dict[str, Any]:
    account = session.execute(
        select(PensionAccount).where(PensionAccount.worker_id == worker.id)
    ).scalar_one_or_none()
    audit.record(
        session,
        ctx,
        "pension.read",
        worker_id=worker.id,
        purpose="worker asked about pension",
        outcome="ok" if account else "no_pension",
    )
    cases.worker_came_by(session, ctx, worker.id)
    if account is None:
        raise DomainError("no_pension", "This worker has no pension account.")
    return pension_view(account)


def lookup_language(session: Session, ctx: Ctx, phone: str) -> dict[str, Any]:
    """Preferred language for a caller's number, so the first prompt is in their language."""
    if normalise_phone(phone) is None:
        raise DomainError("invalid_input", "Not a phone number.", field="phone")
    found = language.remembered(session, phone, ctx)
    if found is None:
        raise DomainError("not_found", "Unknown number.")
    return {"preferred_language": found}
