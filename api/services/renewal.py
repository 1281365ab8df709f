"""Renewal requests for lapsed or soon-expiring scheme memberships."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Case, Enrollment, RenewalRequest, Worker
from api.domain.errors import DomainError
from api.domain.renewal import is_renewable, next_steps
from api.services import audit, cases
from api.services.context import Ctx, local_today
from api.services.references import next_reference


def _view(request: RenewalRequest, status: str) -> dict[str, Any]:
    return {
        "reference": request.reference,
        "scheme": request.scheme_code,
        "status": status,
        "next_steps": next_steps(),
    }


def request_renewal(
    session: Session, ctx: Ctx, worker: Worker, scheme: str | None
) -> dict[str, Any]:
    today = local_today()
    rows = list(
        session.execute(select(Enrollment).where(Enrollment.worker_id == worker.id)).scalars()
    )
    renewable = [
        e
        for e in rows
        if is_renewable(
            scheme=e.scheme_code,
            status=e.status,
            valid_until=e.valid_until,
            renewable_flag=e.renewable,
            today=today,
        )
    ]
    if scheme:
        chosen = next((e for e in renewable if e.scheme_code == scheme), None)
        if chosen is None:
            audit.record(
                session,
                ctx,
                "renewal.request",
                worker_id=worker.id,
                purpose="renewal request",
                outcome="not_renewable",
            )
            raise DomainError(
                "not_renewable", f"The {scheme} membership cannot be renewed now.", field="scheme"
            )
    elif not renewable:
        raise DomainError("nothing_to_renew", "No membership needs renewal.")
    elif len(renewable) > 1:
        raise DomainError(
            "missing_field",
            "Several memberships can be renewed; choose one.",
            field="scheme",
            options=[e.scheme_code for e in renewable],
        )
    else:
        chosen = renewable[0]
    existing = session.execute(
        select(RenewalRequest, Case)
        .join(Case, Case.id == RenewalRequest.case_id)
        .where(RenewalRequest.enrollment_id == chosen.id, Case.is_open.is_(True))
    ).first()
    if existing is not None:  # one open request per membership; asking again returns it
        cases.touch_channel(existing[1], ctx)
        audit.record(session, ctx, "renewal.read", worker_id=worker.id, purpose="renewal request")
        return _view(existing[0], existing[1].status)
    reference = next_reference(session, "renewal")
    case = cases.open_case(
        session,
        ctx,
        kind="renewal",
        reference=reference,
        worker=worker,
        scheme=chosen.scheme_code,
    )
    request = RenewalRequest(
        reference=reference,
        case_id=case.id,
        worker_id=worker.id,
        enrollment_id=chosen.id,
        scheme_code=chosen.scheme_code,
        channel=ctx.channel,
    )
    session.add(request)
    session.flush()
    audit.record(session, ctx, "renewal.create", worker_id=worker.id, purpose="renewal request")
    return _view(request, case.status)
