"""What a case's request says (claim, renewal, restart, complaint, call-back) and the worker's
record as an officer sees it: numbers masked to their last 4 digits, except a call-back's phone
number, which is the one thing the officer needs to ring."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import (
    CallbackRequest,
    Case,
    Claim,
    ClaimDocument,
    CorrectionRequest,
    Enrollment,
    Feedback,
    PensionAccount,
    PensionRestartRequest,
    RenewalRequest,
    Worker,
)
from api.domain import casework as rules
from api.domain.claims import documents_required
from api.services.corrections import officer_view

MASK = "XXXX"


def _masked(number: str | None) -> str | None:
    digits = "".join(ch for ch in (number or "") if ch.isdigit())
    return f"{MASK}{digits[-4:]}" if digits else None


def worker_record(worker: Worker | None) -> dict[str, Any] | None:
    if worker is None:
        return None
    return {
        "name": {"bn": worker.name("bn"), "hi": worker.name("hi"), "en": worker.name("en")},
        "uan": _masked(worker.uan),
        "phone": _masked(worker.phone),
        "aadhaar": f"{MASK}{worker.aadhaar_last4}" if worker.aadhaar_last4 else None,
        "bank_account": f"{MASK}{worker.bank_last4}" if worker.bank_last4 else None,
        "address": worker.address,
        "district": worker.district,
        "state": worker.state,
        "occupation": worker.occupation,
        "preferred_language": worker.preferred_language,
        "notify_by_call": worker.notify_by_call,
    }


def _claim(session: Session, case: Case) -> dict[str, Any]:
    claim = session.execute(select(Claim).where(Claim.case_id == case.id)).scalar_one()
    documents = session.execute(
        select(ClaimDocument).where(ClaimDocument.claim_id == claim.id).order_by(ClaimDocument.id)
    ).scalars()
    return {
        "claim_type": claim.claim_type,
        "scheme": claim.scheme_code,
        "incident_date": claim.incident_date,
        "description": claim.description,
        "bank_account": f"{MASK}{claim.bank_last4}" if claim.bank_last4 else None,
        "submitted_on": claim.submitted_on,
        "amount_claimed": claim.amount_claimed,
        "amount_approved": claim.amount_approved,
        "amount_paid": claim.amount_paid,
        "paid_on": claim.paid_on,
        "documents": [{"code": d.code, "status": d.status} for d in documents],
        "document_codes": documents_required(claim.claim_type),
    }


def _renewal(session: Session, case: Case) -> dict[str, Any]:
    request = session.execute(
        select(RenewalRequest).where(RenewalRequest.case_id == case.id)
    ).scalar_one()
    enrollment = session.get(Enrollment, request.enrollment_id)
    return {
        "scheme": request.scheme_code,
        "member_id": enrollment.member_id if enrollment else None,
        "membership_status": enrollment.status if enrollment else None,
        "valid_until": enrollment.valid_until if enrollment else None,
        "decided_at": request.decided_at,
    }


def _restart(session: Session, case: Case) -> dict[str, Any]:
    request = session.execute(
        select(PensionRestartRequest).where(PensionRestartRequest.case_id == case.id)
    ).scalar_one()
    account = session.get(PensionAccount, request.pension_account_id)
    return {
        "note": request.note,
        "scheme": account.scheme_code if account else None,
        "monthly_amount": account.monthly_amount if account else None,
        "pension_status": account.status if account else None,
        "stop_reason": account.stop_reason if account else None,
        "stopped_on": account.stopped_on if account else None,
        "restarted_on": account.restarted_on if account else None,
    }


def _complaint(session: Session, case: Case) -> dict[str, Any]:
    item = session.execute(select(Feedback).where(Feedback.case_id == case.id)).scalar_one()
    return {"category": item.category, "text": item.text, "anonymous": item.worker_id is None}


def _callback(session: Session, case: Case) -> dict[str, Any]:
    request = session.execute(
        select(CallbackRequest).where(CallbackRequest.case_id == case.id)
    ).scalar_one()
    return {
        "phone": request.phone,
        "source": request.source,
        "reason": request.reason,
        "transcript": list(request.transcript or []),
        "attempts": request.attempts,
        "max_attempts": rules.MAX_CALL_ATTEMPTS,
        "last_outcome": request.last_outcome,
        "handoff_ticket_id": request.handoff_ticket_id,
    }


def _correction(session: Session, case: Case) -> dict[str, Any]:
    request = session.execute(
        select(CorrectionRequest).where(CorrectionRequest.case_id == case.id)
    ).scalar_one()
    return officer_view(request)


_READERS = {
    rules.CaseKind.CLAIM: _claim,
    rules.CaseKind.RENEWAL: _renewal,
    rules.CaseKind.RESTART: _restart,
    rules.CaseKind.COMPLAINT: _complaint,
    rules.CaseKind.CALLBACK: _callback,
    rules.CaseKind.CORRECTION: _correction,
}


def request(session: Session, case: Case) -> dict[str, Any]:
    return _READERS[rules.CaseKind(case.kind)](session, case)
