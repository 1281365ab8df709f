"""Requests to restart a stopped pension."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Case, PensionAccount, PensionRestartRequest, Worker
from api.domain.errors import DomainError
from api.domain.masking import mask_numbers
from api.domain.pension import can_request_restart, restart_steps
from api.services import audit, cases
from api.services.context import Ctx
from api.services.references import next_reference


def request_restart(session: Session, ctx: Ctx, worker: Worker, note: str | None) -> dict[str, Any]:
    account = session.execute(
        select(PensionAccount).where(PensionAccount.worker_id == worker.id)
    ).scalar_one_or_none()
    if account is None:
        raise DomainError("no_pension", "This worker has no pension account.")
    if not can_request_restart(account.status):
        raise DomainError("pension_active", "The pension is being paid; nothing to restart.")
    steps = restart_steps(account.status, account.stop_reason)
    existing = session.execute(
        select(PensionRestartRequest.reference, Case)
        .join(Case, Case.id == PensionRestartRequest.case_id)
        .where(PensionRestartRequest.pension_account_id == account.id, Case.is_open.is_(True))
    ).first()
    if existing is not None:
        cases.touch_channel(existing[1], ctx)
        audit.record(
            session,
            ctx,
            "pension.restart.read",
            worker_id=worker.id,
            purpose="pension restart request",
        )
        return {"reference": existing[0], "status": existing[1].status, "restart_steps": steps}
    reference = next_reference(session, "pension_restart")
    case = cases.open_case(
        session,
        ctx,
        kind="restart",
        reference=reference,
        worker=worker,
        scheme=account.scheme_code,
    )
    request = PensionRestartRequest(
        reference=reference,
        case_id=case.id,
        worker_id=worker.id,
        pension_account_id=account.id,
        note=mask_numbers((note or "").strip())[:500],
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        ctx,
        "pension.restart.create",
        worker_id=worker.id,
        purpose="pension restart request",
    )
    return {"reference": request.reference, "status": case.status, "restart_steps": steps}
