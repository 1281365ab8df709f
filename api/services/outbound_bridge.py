"""Queue a message to a worker through api.messaging (another team's module) when it exists.

Until api/messaging/outbound.py is in place the row is stored directly in outbound_messages with
status "queued", which is exactly what its enqueue() does first, so nothing is lost.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import OutboundMessage

log = logging.getLogger(__name__)


def enqueue(
    session: Session, *, to: str, body: str, channel: str, reason: str, dedupe_key: str
) -> Any:
    try:
        module = importlib.import_module("api.messaging.outbound")
        enqueue_fn = module.enqueue
    except (ImportError, AttributeError):
        enqueue_fn = None
    if enqueue_fn is not None:
        return enqueue_fn(
            session, to=to, body=body, channel=channel, reason=reason, dedupe_key=dedupe_key
        )
    log.info(
        "api.messaging.outbound not available; storing message as queued", extra={"reason": reason}
    )
    existing = session.execute(
        select(OutboundMessage).where(OutboundMessage.dedupe_key == dedupe_key)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    message = OutboundMessage(
        to_address=to, channel=channel, body=body, reason=reason, dedupe_key=dedupe_key
    )
    session.add(message)
    session.flush()
    return message


def localised(msgid: str, lang: str, fallback: str, **params: object) -> str:
    """Text from locales when the catalog has the id, else the English fallback."""
    try:
        from locales import has_message, translate

        if has_message(msgid, lang) or has_message(msgid, "en"):
            return translate(msgid, lang, **params)
    except Exception:  # catalogs are another module; never fail a verification over wording
        log.warning("locales unavailable for %s", msgid)
    return fallback.format(**params)
