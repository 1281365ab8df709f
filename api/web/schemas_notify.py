"""Bodies of the notification settings route (docs/contracts.md, "Notification settings")."""

from __future__ import annotations

from pydantic import BaseModel

from api.web.schemas import Body


class NotifySettingsIn(Body):
    decision_calls: bool | None = None
    reminders_all: bool | None = None
    reminders: dict[str, bool] | None = None


class NotifySettingsOut(BaseModel):
    chosen: bool
    decision_calls: bool
    reminders_all: bool
    reminders: dict[str, bool]
