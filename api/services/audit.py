"""The audit trail: every read or write of a worker's personal data leaves one row."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.db.models import AuditLog
from api.services.context import Ctx


def record(
    session: Session,
    ctx: Ctx,
    action: str,
    *,
    worker_id: int | None,
    purpose: str,
    outcome: str = "ok",
    subject: str = "",
) -> None:
    """Add an audit row in the caller's transaction (it commits or rolls back with the data).

    `subject` names what was touched when no worker is known yet ("ticket:HND-2026-000001").
    """
    session.add(
        AuditLog(
            actor=ctx.actor[:200],
            action=action,
            worker_id=worker_id,
            subject=subject[:200],
            purpose=purpose[:200],
            outcome=outcome,
            request_id=ctx.request_id[:100],
            helper_consent_id=ctx.helper_consent_id,
        )
    )
