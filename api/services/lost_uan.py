"""A lost UAN, sent by SMS to the registered phone when a phone number and date of birth match.

Why this shape: the UAN is the key to the worker's record, so it is never said or shown to
whoever asks; it goes only to the registered number, through the durable outbox, rendered at
the moment of sending (api/messaging/templates.py) so no readable UAN sits in the outbox. The
answer is the same whether or not a registration matches, and every try counts against the
phone number (api/services/lockout.py), matched or not, so the line cannot be used to learn
which numbers are registered or to flood a worker's phone.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import Worker, utcnow
from api.domain.errors import DomainError
from api.domain.parsing import parse_date
from api.domain.phones import normalise_phone
from api.messaging.outbound import NotServed, enqueue_template
from api.services import audit, lockout
from api.services.context import Ctx
from api.settings import get_settings
from locales import normalise_language

log = logging.getLogger(__name__)
TEMPLATE = "uan"
ACCEPTED: dict[str, Any] = {"accepted": True}


def phone_key(phone: str) -> str:
    return lockout.counter_key("uan_recovery", phone)


def read_phone(phone: str) -> str:
    e164 = normalise_phone(phone)
    if e164 is None:
        raise DomainError("invalid_input", "Not a phone number.", field="phone")
    return e164


def recover(
    session: Session, ctx: Ctx, *, phone: str, date_of_birth: str, language: str | None = None
) -> dict[str, Any]:
    """Queue the UAN to the registered phone of each worker with this phone and birth date.

    Always `{"accepted": true}` (423 `locked_out` past the tries of this number). The try is
    committed before anything is judged, so a refusal's rollback gives no try back.
    """
    e164 = read_phone(phone)
    dob = parse_date(date_of_birth)
    if dob is None:
        raise DomainError("invalid_date", "Not a date.", field="date_of_birth")
    settings = get_settings()
    window = timedelta(minutes=settings.uan_recovery_lockout_minutes)
    take = lockout.take(session, phone_key(e164), settings.uan_recovery_max_tries, window)
    session.commit()
    now = utcnow()
    if take.refused(now):
        raise DomainError(
            "locked_out",
            "Too many requests for this number; try later or ask for an officer.",
            retry_after_s=lockout.retry_after_s([take], now, settings.uan_recovery_lockout_minutes),
        )
    if take.number >= take.limit:
        lockout.lock(session, take.key, settings.uan_recovery_lockout_minutes)
    workers = session.execute(
        select(Worker).where(Worker.phone == e164, Worker.date_of_birth == dob).order_by(Worker.id)
    ).scalars()
    for worker in workers:
        _send(session, ctx, worker, language)
    return dict(ACCEPTED)


def _send(session: Session, ctx: Ctx, worker: Worker, language: str | None) -> None:
    """One SMS a worker an hour at most (a retried request or a repeated ask sends nothing new)."""
    if not worker.phone:
        return
    hour = utcnow().strftime("%Y%m%d%H")
    try:
        enqueue_template(
            session,
            to=worker.phone,
            template=TEMPLATE,
            params={"uan": worker.uan},
            language=normalise_language(language or worker.preferred_language),
            reason="uan_recovery",
            dedupe_key=f"uan_recovery:{worker.id}:{hour}",
        )
    except NotServed:
        log.info("lost UAN: registered number not served")
        return
    audit.record(session, ctx, "uan.recover", worker_id=worker.id, purpose="lost UAN by SMS")
