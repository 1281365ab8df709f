"""Officer endpoints: log in (cookie), who is logged in, list hand-off tickets, reply, close."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Response

from api.db.models import StaffUser
from api.db.session import session_scope
from api.logging_setup import current_request_id
from api.services import handoff, staff_auth
from api.services.context import Ctx
from api.settings import get_settings
from api.web.deps import STAFF_COOKIE, staff_token
from api.web.schemas import Lang, LoginIn, StaffOut, StaffReplyIn, TicketOut

router = APIRouter(prefix="/api/v1/staff", tags=["staff"])


def _staff_view(user: StaffUser) -> dict[str, Any]:
    return {
        "username": user.username,
        "name": user.name,
        "languages": [x for x in user.languages.split(",") if x],
        "role": user.role,
        "district": user.district,
        "phone": user.phone,
    }


def _ctx(user: StaffUser) -> Ctx:
    return Ctx(actor=f"staff:{user.username}", request_id=current_request_id(), channel="staff")


@router.post("/login", response_model=StaffOut)
def login(body: LoginIn, response: Response) -> dict[str, Any]:
    with session_scope() as s:
        ctx = Ctx(
            actor=f"staff:{body.username}"[:200],
            request_id=current_request_id(),
            channel="staff",
        )
        token, user = staff_auth.login(s, ctx, body.username, body.password, body.code)
        view = _staff_view(user)
    response.set_cookie(
        STAFF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=get_settings().public_base_url.startswith("https://"),
        max_age=staff_auth.SESSION_HOURS * 3600,
        path="/",
    )
    return view


@router.post("/logout", status_code=204)
def logout(response: Response, token: str | None = Depends(staff_token)) -> Response:
    with session_scope() as s:
        staff_auth.logout(s, token)
    response.delete_cookie(STAFF_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me", response_model=StaffOut)
def me(token: str | None = Depends(staff_token)) -> dict[str, Any]:
    """The officer this session belongs to (the console asks on load: log-in form or queue)."""
    with session_scope() as s:
        return _staff_view(staff_auth.user_for_token(s, token))


@router.get("/handoffs", response_model=list[TicketOut])
def list_handoffs(
    status: str | None = Query(default=None, pattern="^(open|assigned|closed)$"),
    language: Lang | None = Query(default=None),
    limit: int = Query(default=handoff.QUEUE_LIMIT, ge=1, le=handoff.QUEUE_LIMIT),
    token: str | None = Depends(staff_token),
) -> list[dict[str, Any]]:
    with session_scope() as s:
        staff_auth.user_for_token(s, token)
        return handoff.list_tickets(s, status, language, limit)


@router.get("/handoffs/{ticket_id}", response_model=TicketOut)
def get_handoff(ticket_id: int, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        return handoff.get_ticket(s, _ctx(user), ticket_id)


@router.post("/handoffs/{ticket_id}/reply", response_model=TicketOut)
def reply(
    ticket_id: int, body: StaffReplyIn, token: str | None = Depends(staff_token)
) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        return handoff.reply(s, _ctx(user), ticket_id, user, body.text)


@router.post("/handoffs/{ticket_id}/close", response_model=TicketOut)
def close(ticket_id: int, token: str | None = Depends(staff_token)) -> dict[str, Any]:
    with session_scope() as s:
        user = staff_auth.user_for_token(s, token)
        return handoff.close(s, _ctx(user), ticket_id, user)
