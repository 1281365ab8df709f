"""Officers' casework endpoints (staff session cookie): the work queue, one case, decisions,
calling a worker back, the supervisors' dashboard (JSON and CSV). Each parses, calls one
service, renders; the rules live in api/domain/casework.py and api/services/."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api.db.models import StaffUser
from api.db.session import session_scope
from api.domain import casework
from api.domain.errors import DomainError
from api.logging_setup import current_request_id
from api.messaging import recovery
from api.services import callbacks, cases, dashboard, decisions, officers, staff_auth
from api.services.context import Ctx
from api.web.case_schemas import (
    CallIn,
    CallOut,
    CaseDetailOut,
    CaseKind,
    CaseQueueOut,
    DashboardOut,
    DecisionIn,
    FailedOutboxOut,
)
from api.web.deps import staff_token
from api.web.schemas import Lang

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api/v1/staff", tags=["casework"])


def _ctx(user: StaffUser) -> Ctx:
    return Ctx(actor=f"staff:{user.username}", request_id=current_request_id(), channel="staff")


@router.get("/cases", response_model=CaseQueueOut)
def list_cases(
    kind: CaseKind | None = Query(default=None),
    status: str | None = Query(default=None, max_length=20),
    language: Lang | None = Query(default=None),
    district: str | None = Query(default=None, max_length=60),
    limit: int = Query(default=50, ge=1, le=cases.QUEUE_LIMIT),
    offset: int = Query(default=0, ge=0, le=1_000_000),
    token: str | None = Depends(staff_token),
) -> dict[str, Any]:
    """The work queue, oldest first; without `status`, the open cases."""
    if status is not None and status not in casework.ALL_STATUSES:
        raise DomainError("invalid_input", "Unknown status.", field="status")
    with session_scope() as s:
        staff_auth.user_for_token(s, token)
        return cases.queue(
            s,
            kind=kind,
            status=status,
            language=language,
            district=district,
            limit=limit,
            offset=offset,
        )


@router.get("/cases/{reference}", response_model=CaseDetailOut)
def get_case(reference: str, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        return cases.detail(s, _ctx(user), user, reference[:40])


@router.post("/cases/{reference}/decisions", response_model=CaseDetailOut)
def decide(
    reference: str, body: DecisionIn, token: str | None = Depends(staff_token)
) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        return decisions.decide(s, _ctx(user), user, reference[:40], body.decision())


@router.post("/cases/{reference}/call", response_model=CaseDetailOut | CallOut)
def call(reference: str, body: CallIn, token: str | None = Depends(staff_token)) -> Any:
    """No `outcome`: ring the officer's phone and bridge it to the worker. With `outcome`
    (reached, no_answer, wrong_number): record how the call went."""
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        ctx = _ctx(user)
        if body.outcome is not None:
            return callbacks.record_outcome(
                s, ctx, user, reference[:40], body.outcome, body.version, body.note
            )
        s.expunge(user)
    return callbacks.place_call(ctx, user, reference[:40], body.version)


def _supervisor(token: str | None) -> None:
    with session_scope() as s:
        officers.require_supervisor(staff_auth.user_for_token(s, token))


@router.get("/dashboard", response_model=DashboardOut)
def get_dashboard(
    days: int = Query(default=30, ge=1, le=366), token: str | None = Depends(staff_token)
) -> dict[str, Any]:
    with session_scope() as s:
        staff_auth.user_for_token(s, token)
        return dashboard.summary(s, days)


@router.get("/outbox/failed", response_model=FailedOutboxOut)
def failed_outbox(
    limit: int = Query(default=50, ge=1, le=200), token: str | None = Depends(staff_token)
) -> dict[str, Any]:
    """Supervisors only: texts and calls that failed their last try (numbers masked)."""
    _supervisor(token)
    with session_scope() as s:
        return recovery.failed(s, limit)


@router.get("/dashboard.csv", response_class=Response)
def get_dashboard_csv(
    days: int = Query(default=30, ge=1, le=366), token: str | None = Depends(staff_token)
) -> Response:
    """Supervisors only: the same figures as a spreadsheet."""
    _supervisor(token)
    with session_scope() as s:
        text = dashboard.to_csv(dashboard.summary(s, days))
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="dashboard.csv"'},
    )
