"""How a verified worker is told (decision calls, reminders): read and change their choices."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.db.session import session_scope
from api.services import notify_settings, verification
from api.services.context import Ctx
from api.web.deps import require_service, service_ctx, verification_token
from api.web.schemas_notify import NotifySettingsIn, NotifySettingsOut

router = APIRouter(prefix="/api/v1", tags=["worker"], dependencies=[Depends(require_service)])


@router.get("/me/notify-settings", response_model=NotifySettingsOut)
def me_notify_settings(token: str | None = Depends(verification_token)) -> dict[str, Any]:
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        return notify_settings.settings_of(s, worker)


@router.put("/me/notify-settings", response_model=NotifySettingsOut)
def me_change_notify_settings(
    body: NotifySettingsIn,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
) -> dict[str, Any]:
    """Decision calls on or off, all reminders on or off, or one kind at a time."""
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        return notify_settings.change(
            s,
            ctx,
            worker,
            decision_calls=body.decision_calls,
            reminders_all=body.reminders_all,
            kinds=body.reminders,
        )
