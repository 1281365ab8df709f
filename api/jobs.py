"""Every periodic job the API runs, in one list, run by api/scheduling.py (once per tick across
all API processes). `python -m api.retention` and `python -m api.reminders` run a pass by hand."""

from __future__ import annotations

from api import scheduling
from api.messaging import outbound
from api.scheduling import Job
from api.services import callbacks, reminders, retention
from api.settings import get_settings

HANDOVER_SWEEP_S = 60.0  # hand-overs left waiting too long become call-backs
OUTBOX_POLL_S = 1.0  # the outbound sender's pass over due rows
OUTBOX_RECOVERY_S = 60.0  # rows left 'sending' by a crashed process


def periodic_jobs() -> list[Job]:
    """The jobs this configuration runs (an interval of 0 minutes switches a pass off)."""
    settings = get_settings()
    jobs = [
        Job("handover-sweep", HANDOVER_SWEEP_S, callbacks.sweep_waiting_handoffs, HANDOVER_SWEEP_S)
    ]
    if settings.retention_interval_minutes > 0:
        jobs.append(
            Job("retention", settings.retention_interval_minutes * 60.0, retention.run_pass, 60.0)
        )
    if settings.reminder_interval_minutes > 0:
        jobs.append(
            Job("reminders", settings.reminder_interval_minutes * 60.0, reminders.run_once, 90.0)
        )
    if outbound.sender_enabled():
        sender = outbound.Sender()
        jobs += [
            Job("outbox-recovery", OUTBOX_RECOVERY_S, sender.recover),
            Job("outbox", OUTBOX_POLL_S, sender.run_once),
        ]
    return jobs


router = scheduling.router(periodic_jobs)
