"""Filing claims: validation, duplicate detection and the documents the office needs."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Case, Claim, ClaimDocument, Enrollment, Worker
from api.domain import claims as rules
from api.domain.digits import ascii_digits
from api.domain.errors import DomainError
from api.domain.family import FAMILY_CLAIM_TYPES
from api.domain.masking import mask_numbers
from api.domain.parsing import parse_date
from api.services import audit, cases, scheme_benefits
from api.services.context import Ctx, local_today
from api.services.references import next_reference
from api.settings import get_settings


def file_claim(
    session: Session,
    ctx: Ctx,
    worker: Worker,
    *,
    claim_type: str | None,
    incident_date: str | None,
    description: str | None,
    bank_account_last4: str | None,
    scheme: str | None = None,
) -> dict[str, Any]:
    values = {
        "claim_type": claim_type,
        "incident_date": (incident_date or "").strip(),
        "description": (description or "").strip(),
        "bank_account_last4": (bank_account_last4 or "").strip(),
    }
    missing = rules.missing_fields(claim_type, values)
    if missing:
        raise DomainError(
            "missing_field", f"{missing[0]} is required.", field=missing[0], missing=missing
        )
    if claim_type not in rules.CLAIM_TYPES:
        raise DomainError("invalid_input", "Unknown claim type.", field="claim_type")
    if claim_type in FAMILY_CLAIM_TYPES:  # a worker never files for their own death
        raise DomainError(
            "invalid_input", "The family files this (POST /family/claims).", field="claim_type"
        )
    today = local_today()
    incident = parse_date(values["incident_date"], today=today)
    if incident is None:
        raise DomainError(
            "invalid_date", "Incident date is not a valid date.", field="incident_date"
        )
    days = get_settings().claim_deadline_days
    problem = rules.incident_date_problem(incident, today, timedelta(days=days) if days else None)
    if problem:
        raise DomainError(
            "invalid_date", problem.replace("_", " ") + ".", field="incident_date", reason=problem
        )
    last4 = re.sub(r"[\s\-]", "", ascii_digits(values["bank_account_last4"] or ""))
    if not re.fullmatch(r"\d{4}", last4):
        raise DomainError(
            "invalid_input",
            "Give the last 4 digits of the bank account.",
            field="bank_account_last4",
        )
    if worker.bank_last4 and last4 != worker.bank_last4:
        _refuse(
            session,
            ctx,
            worker,
            "bank_account_mismatch",
            "The bank account does not match the one on record.",
            field="bank_account_last4",
        )
    existing = session.execute(
        select(Claim.reference, Claim.claim_type, Claim.incident_date, Case.status)
        .join(Case, Case.id == Claim.case_id)
        .where(Claim.worker_id == worker.id, Claim.claim_type == claim_type)
    ).all()
    dup = rules.is_duplicate(
        claim_type, incident, [(c.claim_type, c.incident_date, c.status) for c in existing]
    )
    if dup is not None:
        _refuse(
            session,
            ctx,
            worker,
            "duplicate_claim",
            "An open claim for this event already exists.",
            existing_reference=existing[dup].reference,
        )
    scheme_code = _scheme(session, ctx, worker, scheme, today)
    if claim_type == "pension":
        _refuse_pension_not_due(session, ctx, worker, scheme_code, today)
    reference = next_reference(session, "claim")
    case = cases.open_case(
        session, ctx, kind="claim", reference=reference, worker=worker, scheme=scheme_code
    )
    claim = Claim(
        reference=reference,
        case_id=case.id,
        worker_id=worker.id,
        claim_type=claim_type,
        scheme_code=scheme_code,
        incident_date=incident,
        description=mask_numbers(values["description"] or ""),
        bank_last4=last4,
        submitted_on=today,
        channel=ctx.channel,
    )
    docs = add_with_documents(session, claim)
    audit.record(session, ctx, "claim.create", worker_id=worker.id, purpose="file claim")
    return {
        "reference": claim.reference,
        "claim_type": claim_type,
        "scheme": scheme_code,
        "status": case.status,
        "documents_required": docs,
    }


def _scheme(
    session: Session, ctx: Ctx, worker: Worker, wanted: str | None, today: date
) -> str | None:
    """The membership the claim is filed under, or a refusal naming the ones it may be."""
    held = held_schemes(session, worker, today)
    chosen, refusal = rules.choose_scheme((wanted or "").strip() or None, held)
    if refusal == "scheme_required":
        _refuse(
            session,
            ctx,
            worker,
            refusal,
            "Choose the membership the claim is filed under.",
            field="scheme",
            schemes=held,
        )
    if refusal:
        _refuse(
            session,
            ctx,
            worker,
            refusal,
            "The worker holds no active membership of that scheme.",
            field="scheme",
            schemes=held,
        )
    return chosen


def held_schemes(session: Session, worker: Worker, today: date) -> list[str]:
    """The worker's memberships a claim can be filed under, in enrollment order."""
    rows = session.execute(
        select(Enrollment.scheme_code, Enrollment.status, Enrollment.valid_until)
        .where(Enrollment.worker_id == worker.id)
        .order_by(Enrollment.id)
    ).all()
    return rules.claim_schemes([(r[0], r[1], r[2]) for r in rows], today)


def _refuse_pension_not_due(
    session: Session, ctx: Ctx, worker: Worker, scheme: str | None, today: date
) -> None:
    """A scheme's pension claimed before its rule makes it due is refused now, with the day,
    not left for the officer to turn down (the officer's limit applies the same rule)."""
    registered_on = session.execute(
        select(Enrollment.registered_on).where(
            Enrollment.worker_id == worker.id, Enrollment.scheme_code == scheme
        )
    ).scalar_one_or_none()
    due = scheme_benefits.pension_due_later(
        scheme, born=worker.date_of_birth, registered_on=registered_on, today=today
    )
    if due is not None:
        _refuse(
            session,
            ctx,
            worker,
            "pension_not_due",
            "The scheme's pension is not due yet.",
            field="claim_type",
            due_on=due.isoformat(),
            scheme=scheme,
        )


def _refuse(
    session: Session, ctx: Ctx, worker: Worker, code: str, message: str, **detail: Any
) -> NoReturn:
    """A claim refused after the worker's data was read: audit the read, then raise."""
    audit.record(
        session, ctx, "claim.create", worker_id=worker.id, purpose="file claim", outcome=code
    )
    raise DomainError(code, message, **detail)


def add_with_documents(session: Session, claim: Claim) -> list[str]:
    """Store a new claim with each document its type needs marked pending (a worker's claim
    and a family's alike); the codes, for the answer."""
    session.add(claim)
    session.flush()
    docs = rules.documents_required(claim.claim_type)
    for code in docs:
        session.add(ClaimDocument(claim_id=claim.id, code=code, status="pending"))
    return docs
