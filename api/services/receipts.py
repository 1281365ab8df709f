"""Webhooks handled once: Twilio retries a webhook it thinks failed, and the answer must be the
same (a message answered twice would file twice). The first delivery claims the key."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.db.models import WebhookReceipt
from api.db.session import session_scope


@dataclass(frozen=True)
class Receipt:
    key: str
    response: str | None  # None while the first delivery is still being answered


def claim(key: str) -> Receipt | None:
    """None if `key` is new (now claimed), else what the earlier delivery stored."""
    try:
        with session_scope() as s:
            s.add(WebhookReceipt(key=key))
    except IntegrityError:
        with session_scope() as s:
            row = s.execute(
                select(WebhookReceipt).where(WebhookReceipt.key == key)
            ).scalar_one_or_none()
            return Receipt(key, row.response if row is not None else None)
    return None


def remember(key: str, response: str) -> None:
    """Store the answer given to `key`, for a repeated delivery."""
    with session_scope() as s:
        row = s.execute(
            select(WebhookReceipt).where(WebhookReceipt.key == key)
        ).scalar_one_or_none()
        if row is not None:
            row.response = response
