"""How a worker is told: decision calls and reminders, read and changed in one place.

Why one service: the assistant (chat and phone menu) and the API route both let a worker choose,
and each change must be audited the same way; the reminder scheduler reads the same rows
(`reminder_preferences`, no row = on) and the decision notices the same flag
(`workers.notify_by_call`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import AuditLog, ReminderPreference, Worker
from api.domain import reminders as rules
from api.domain.errors import DomainError
from api.services import audit, reminders
from api.services.context import Ctx

SOURCE = "worker"  # reminder_preferences.source of a worker's own choice
ACTION = "worker.preference"  # the audit action of every change the worker makes


def settings_of(session: Session, worker: Worker) -> dict[str, Any]:
    """The worker's current choices; a reminder kind with no row is on."""
    rows = session.execute(
        select(ReminderPreference.kind, ReminderPreference.enabled).where(
            ReminderPreference.worker_id == worker.id
        )
    ).all()
    chosen = {kind: bool(enabled) for kind, enabled in rows}
    # Has the worker ever chosen (here or by PUT /me/call-preference)? The audit trail is the
    # record of their own choices, so a phone filing offers decision calls only until then.
    ever = session.execute(
        select(AuditLog.id)
        .where(AuditLog.worker_id == worker.id, AuditLog.action == ACTION)
        .limit(1)
    ).first()
    return {
        "chosen": ever is not None,
        "decision_calls": bool(worker.notify_by_call),
        "reminders_all": chosen.get(rules.ALL, True),
        "reminders": {kind: chosen.get(kind, True) for kind in rules.KINDS},
    }


def change(
    session: Session,
    ctx: Ctx,
    worker: Worker,
    *,
    decision_calls: bool | None = None,
    reminders_all: bool | None = None,
    kinds: Mapping[str, bool] | None = None,
) -> dict[str, Any]:
    """Apply what the worker chose (None: unchanged) and audit it; the settings after.

    An unknown reminder kind is refused (`invalid_input`) before anything is changed.
    """
    unknown = [kind for kind in (kinds or {}) if kind not in rules.KINDS]
    if unknown:
        raise DomainError(
            "invalid_input", f"unknown reminder kind {unknown[0]!r}", field="reminders"
        )
    if decision_calls is not None:
        worker.notify_by_call = decision_calls
    if reminders_all is not None:
        reminders.set_preference(session, worker.id, rules.ALL, reminders_all, SOURCE)
    for kind, enabled in (kinds or {}).items():
        reminders.set_preference(session, worker.id, kind, enabled, SOURCE)
    audit.record(session, ctx, ACTION, worker_id=worker.id, purpose="notify settings")
    session.flush()
    return settings_of(session, worker)
