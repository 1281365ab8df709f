"""An officer erases a caller's conversations on their request (the caller asked by phone, in
person, or cannot verify here); audited with the officer as actor and the note as purpose.

The officer on a hand-over may erase that caller's conversation; erasing everything under a UAN
reaches conversations the officer never saw, so only a supervisor may (it cannot be undone)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.db.session import session_scope
from api.domain.errors import DomainError
from api.domain.masking import mask_numbers
from api.domain.parsing import parse_uan
from api.logging_setup import current_request_id
from api.services import audit, erasure, officers, staff_auth
from api.services.context import Ctx
from api.web.deps import staff_token
from api.web.schemas_privacy import ErasureOut, StaffErasureIn

router = APIRouter(prefix="/api/v1/staff", tags=["staff"])


@router.post("/erasures", response_model=ErasureOut, status_code=201)
def erase(body: StaffErasureIn, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        ctx = Ctx(actor=f"staff:{user.username}", request_id=current_request_id(), channel="staff")
        audit.record(
            s,
            ctx,
            "erasure.request",
            worker_id=None,
            purpose=mask_numbers(body.note),
            subject=f"ticket:{body.ticket_id}" if body.ticket_id is not None else "uan",
        )
        if body.ticket_id is not None:
            return erasure.erase_ticket_caller(s, ctx, body.ticket_id)
        officers.require_supervisor(user)
        uan = parse_uan(body.uan or "")
        if uan is None:
            raise DomainError("invalid_uan", "A UAN has exactly 12 digits.", field="uan")
        return erasure.erase_by_uan(s, ctx, uan)
