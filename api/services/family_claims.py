"""Claims a family member files for a worker who died, and their tracking (docs/contracts.md,
"Family claims").

Why apart from the worker's claims (api/services/claims.py): the payout goes to the nominee's
account (not checked against the worker's), decisions go to the claimant's phone, the family
pension's amount comes from the pension record, and a death is claimed once.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Case, Claim, PensionAccount, VerificationSession, Worker
from api.domain import claims as claim_rules
from api.domain import family as rules
from api.domain.digits import ascii_digits
from api.domain.errors import DomainError
from api.domain.masking import mask_numbers
from api.domain.parsing import parse_date
from api.services import audit, cases, scheme_benefits, tracking
from api.services.claims import add_with_documents, held_schemes
from api.services.context import Ctx, local_today
from api.services.references import next_reference

SHARES_FILE = Path(__file__).resolve().parent.parent / "data" / "family_pension.yaml"


@lru_cache(maxsize=1)
def family_pension_shares() -> dict[str, Fraction]:
    """The share of the last pension per scheme, with sources: api/data/family_pension.yaml, and
    for a welfare scheme whose figures are in api/data/scheme_benefits.yaml, its own there (one
    place per figure)."""
    raw = yaml.safe_load(SHARES_FILE.read_text(encoding="utf-8"))
    shares = {code: Fraction(str(entry["share"])) for code, entry in raw["schemes"].items()}
    for code, published in scheme_benefits.all_benefits().items():
        if published.family_pension_percent is not None:
            shares.setdefault(code, Fraction(published.family_pension_percent, 100))
    return shares


def _refuse(session: Session, ctx: Ctx, worker: Worker, code: str, message: str, **kw: Any) -> Any:
    audit.record(
        session, ctx, "claim.create", worker_id=worker.id, purpose="family claim", outcome=code
    )
    raise DomainError(code, message, **kw)


def file_claim(
    session: Session,
    ctx: Ctx,
    vs: VerificationSession,
    worker: Worker,
    *,
    claim_type: str,
    incident_date: str,
    description: str,
    bank_account_last4: str,
    scheme: str | None = None,
) -> dict[str, Any]:
    """File a death, funeral or family-pension claim paid to the nominee's account."""
    if claim_type not in rules.FAMILY_CLAIM_TYPES:
        raise DomainError("invalid_input", "Not a claim a family files.", field="claim_type")
    today = local_today()
    died = parse_date((incident_date or "").strip(), today=today)
    if died is None or claim_rules.incident_date_problem(died, today):
        raise DomainError("invalid_date", "Give the date of death.", field="incident_date")
    last4 = re.sub(r"[\s\-]", "", ascii_digits(bank_account_last4 or ""))
    if not re.fullmatch(r"\d{4}", last4):
        raise DomainError(
            "invalid_input",
            "Give the last 4 digits of the nominee's bank account.",
            field="bank_account_last4",
        )
    pension = session.execute(
        select(PensionAccount).where(PensionAccount.worker_id == worker.id)
    ).scalar_one_or_none()
    if claim_type == rules.FAMILY_PENSION and pension is None:
        _refuse(session, ctx, worker, "no_pension", "The worker had no pension on record.")
    existing = session.execute(
        select(Claim.reference, Claim.claim_type, Case.status)
        .join(Case, Case.id == Claim.case_id)
        .where(Claim.worker_id == worker.id, Claim.claim_type == claim_type)
    ).all()
    same = rules.duplicate(claim_type, [(r[0], r[1], r[2]) for r in existing])
    if same is not None:
        _refuse(
            session,
            ctx,
            worker,
            "duplicate_claim",
            "A claim for this death already exists.",
            existing_reference=same,
        )
    amount: int | None = None
    if claim_type == rules.FAMILY_PENSION and pension is not None:
        scheme_code: str | None = pension.scheme_code
        amount = rules.family_pension_amount(
            pension.monthly_amount, scheme_code, family_pension_shares()
        )
    else:
        held = held_schemes(session, worker, today)
        wanted = (scheme or "").strip() or None
        scheme_code = wanted if wanted in held else (held[0] if len(held) == 1 else None)
    reference = next_reference(session, "claim")
    case = cases.open_case(
        session,
        ctx,
        kind="claim",
        reference=reference,
        worker=worker,
        language=vs.caller_language or worker.preferred_language,
        scheme=scheme_code,
    )
    claim = Claim(
        reference=reference,
        case_id=case.id,
        worker_id=worker.id,
        claim_type=claim_type,
        scheme_code=scheme_code,
        incident_date=died,
        description=mask_numbers((description or "").strip()),
        bank_last4=last4,
        submitted_on=today,
        amount_claimed=amount,
        channel=ctx.channel,
        filed_by="family",
        claimant_phone=vs.caller_phone,
    )
    docs = add_with_documents(session, claim)
    audit.record(session, ctx, "claim.create", worker_id=worker.id, purpose="family claim")
    return {
        "reference": reference,
        "claim_type": claim_type,
        "scheme": scheme_code,
        "status": case.status,
        "documents_required": docs,
        "monthly_amount": amount,
    }


def track(session: Session, ctx: Ctx, worker: Worker, reference: str) -> dict[str, Any]:
    """A claim the family filed for this worker, by its reference; anything else is not found."""
    query = tracking.read_query(reference)
    found = [
        case
        for case in session.execute(
            select(Case)
            .join(Claim, Claim.case_id == Case.id)
            .where(Claim.worker_id == worker.id, Claim.filed_by == "family")
            .order_by(Case.created_at.desc())
        ).scalars()
        if query.matches(case.reference)
    ]
    if not found:
        audit.record(
            session,
            ctx,
            "request.track",
            worker_id=worker.id,
            purpose="family track",
            outcome="none",
        )
        raise tracking.not_found()
    cases.touch_channel(found[0], ctx)
    view = tracking.case_view(session, found[0])
    view["also"] = [c.reference for c in found[1 : 1 + tracking.MAX_ALSO]]
    audit.record(session, ctx, "request.track", worker_id=worker.id, purpose="family track")
    return view
