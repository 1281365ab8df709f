"""An officer's own second factor (TOTP): whether it is on, set it up (the password again, then
the app's first code), turn it off (a current code). Supervisors reset another officer's in
routes/officers.py. Every step is audited by the service (api/services/officers.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.db.session import session_scope
from api.logging_setup import current_request_id
from api.services import officers, staff_auth, staff_totp
from api.services.context import Ctx
from api.web.case_schemas import (
    PasswordIn,
    TotpCodeIn,
    TotpConfirmIn,
    TotpSetupOut,
    TotpStateOut,
)
from api.web.deps import staff_token

router = APIRouter(prefix="/api/v1/staff/me/totp", tags=["staff"])


def _ctx(username: str) -> Ctx:
    return Ctx(actor=f"staff:{username}", request_id=current_request_id(), channel="staff")


@router.get("", response_model=TotpStateOut)
def state(token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        return {"enabled": staff_totp.enabled(staff_auth.user_for_token(s, token))}


@router.post("/start", response_model=TotpSetupOut)
def start(body: PasswordIn, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        pending = officers.totp_start(s, _ctx(user.username), user, body.password)
    return {
        "secret": pending.secret,
        "secret_groups": pending.grouped,
        "uri": pending.uri,
        "ticket": pending.ticket,
        "expires_in_s": staff_totp.PENDING_MINUTES * 60,
    }


@router.post("/confirm", response_model=TotpStateOut)
def confirm(body: TotpConfirmIn, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        officers.totp_confirm(s, _ctx(user.username), user, body.ticket, body.code)
        return {"enabled": True}


@router.post("/disable", response_model=TotpStateOut)
def disable(body: TotpCodeIn, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        officers.totp_turn_off(s, _ctx(user.username), user, body.code)
        return {"enabled": False}
