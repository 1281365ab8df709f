"""Supervisors manage officer accounts (the same service as `python -m api.admin officers`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.db.models import StaffUser
from api.db.session import session_scope
from api.logging_setup import current_request_id
from api.services import officers, staff_auth
from api.services.context import Ctx
from api.web.case_schemas import OfficerIn, OfficerOut, PasswordIn
from api.web.deps import staff_token

router = APIRouter(prefix="/api/v1/staff/officers", tags=["officer accounts"])


def _ctx(user: StaffUser) -> Ctx:
    return Ctx(actor=f"staff:{user.username}", request_id=current_request_id(), channel="staff")


def _supervisor(s: Any, token: str | None) -> StaffUser:
    user = staff_auth.user_for_token(s, token)
    officers.require_supervisor(user)
    return user


@router.get("", response_model=list[OfficerOut])
def list_officers(token: str | None = Depends(staff_token)) -> list[dict[str, Any]]:
    with session_scope() as s:
        _supervisor(s, token)
        return officers.list_all(s)


@router.post("", response_model=OfficerOut, status_code=201)
def add_officer(body: OfficerIn, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = _supervisor(s, token)
        return officers.add(
            s,
            _ctx(user),
            username=body.username,
            password=body.password,
            name=body.name,
            role=body.role,
            languages=[str(x) for x in body.languages],
            district=body.district,
            phone=body.phone,
        )


@router.post("/{username}/disable", response_model=OfficerOut)
def disable_officer(username: str, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = _supervisor(s, token)
        return officers.disable(s, _ctx(user), username[:60])


@router.post("/{username}/reset-totp", response_model=OfficerOut)
def reset_totp(username: str, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    """A lost phone: the officer's second factor goes, their sessions end (audited)."""
    with session_scope() as s:
        user = _supervisor(s, token)
        return officers.totp_reset(s, _ctx(user), username[:60])


@router.post("/{username}/reset-password", response_model=OfficerOut)
def reset_password(
    username: str, body: PasswordIn, token: str | None = Depends(staff_token)
) -> dict[str, Any]:
    with session_scope() as s:
        user = _supervisor(s, token)
        return officers.reset_password(s, _ctx(user), username[:60], body.password)
