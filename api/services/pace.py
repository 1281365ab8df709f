"""How slowly the phone line speaks to a number: a caller who pressed star is spoken to slowly
on their next call too, and in the line's own calls to them (decisions, reminders).

Why by number and in `messaging_contacts`: the line knows most callers only by their number
(registered workers have a record, many callers never verify). The row is the one that already
keeps the number's language, so the choice adds one column, no new personal data, and goes with
that row's retention (RETENTION_CONVERSATION_DAYS after it last changed) and erasure.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from api.db.models import MessagingContact
from api.db.session import session_scope
from api.domain.phones import normalise_phone

log = logging.getLogger(__name__)


def remembered_slow(session: Session, address: str | None) -> bool:
    """Did this number choose slow speech (and not undo it)?"""
    number = normalise_phone(address)
    if number is None:
        return False
    contact = session.get(MessagingContact, number)
    return bool(contact is not None and contact.slow)


def remember_slow(session: Session, address: str | None, slow: bool) -> None:
    """Keep the number's choice; a hidden or malformed number keeps nothing."""
    number = normalise_phone(address)
    if number is None:
        return
    contact = session.get(MessagingContact, number)
    if contact is None:
        contact = MessagingContact(address=number, choices=[])
        session.add(contact)
    contact.slow = slow
    session.flush()


def remembered_slow_for(address: str | None) -> bool:
    """`remembered_slow` in its own transaction, for adapters; a failure means normal speed."""
    if normalise_phone(address) is None:
        return False
    try:
        with session_scope() as s:
            return remembered_slow(s, address)
    except Exception:  # the database down must not cost the caller the call
        log.warning("remembered speed unavailable", exc_info=True)
        return False


def remember_slow_for(address: str | None, slow: bool) -> None:
    """`remember_slow` in its own transaction, for adapters; a failure costs only the memory."""
    if normalise_phone(address) is None:
        return
    try:
        with session_scope() as s:
            remember_slow(s, address, slow)
    except Exception:
        log.warning("speed not remembered", exc_info=True)
