"""What the line remembers per phone number between messages: the last numbered choices (SMS
cannot tap buttons), when the worker last wrote (WhatsApp's 24-hour window), the pseudonym that
names their conversation (api/services/senders.py), and whether an officer has it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.db.models import MessagingContact
from api.db.session import session_scope
from api.domain.phones import normalise_phone
from api.messaging import outbound
from api.services import handoff, senders
from api.services import language as language_service


@dataclass(frozen=True)
class Contact:
    number: str
    language: str | None
    choices: list[Any] = field(default_factory=list)
    script: str | None = None
    sender: str = ""  # Rasa's sender (`sms:<pseudonym>`), never the number


def sender_for(channel: str, number: str) -> str:
    """Rasa's sender for a text from `number`, also when its contact could not be recorded."""
    return senders.sender_for(channel, number)


def note_inbound(address: str, channel: str) -> Contact | None:
    """Record that the worker wrote now; their remembered language and last choices."""
    number = normalise_phone(address)
    if number is None:
        return None
    with session_scope() as s:
        contact = outbound.note_inbound(s, number, channel)
        senders.remember(s, number)
        remembered = language_service.remembered(s, number)
        script = language_service.remembered_script(s, number)
        sender = senders.sender_for(channel, number)
        return Contact(number, remembered, list(contact.choices or []), script, sender)


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
