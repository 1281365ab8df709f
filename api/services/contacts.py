"""What the line remembers per phone number between messages: the last numbered choices (SMS
cannot tap buttons), when the worker last wrote (WhatsApp's 24-hour window), and whether an
officer has their conversation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.db.models import MessagingContact
from api.db.session import session_scope
from api.domain.phones import normalise_phone
from api.messaging import outbound
from api.services import handoff
from api.services import language as language_service


@dataclass(frozen=True)
class Contact:
    number: str
    language: str | None
    choices: list[Any] = field(default_factory=list)
    script: str | None = None


def note_inbound(address: str, channel: str) -> Contact | None:
    """Record that the worker wrote now; their remembered language and last choices."""
    number = normalise_phone(address)
    if number is None:
        return None
    with session_scope() as s:
        contact = outbound.note_inbound(s, number, channel)
        remembered = language_service.remembered(s, number)
        script = language_service.remembered_script(s, number)
        return Contact(number, remembered, list(contact.choices or []), script)


def after_reply(
    number: str,
    choices: list[Any],
    language: str,
    *,
    chosen: bool = False,
    script: str | None = None,
) -> None:
    """Remember what was just sent: the numbered choices (a reply "2" means the second) and the
    language; a language or script the worker chose also becomes their preference."""
    with session_scope() as s:
        contact = s.get(MessagingContact, number)
        if contact is not None:
            contact.choices = list(choices)
        language_service.remember(
            s, language=language, address=number, chosen=chosen or bool(script), script=script
        )


def officer_has_conversation(conversation_id: str) -> bool:
    """An officer's ticket is open on this conversation (their replies go by outbound message)."""
    try:
        with session_scope() as s:
            return bool(handoff.active(s, conversation_id)["active"])
    except Exception:
        return False
