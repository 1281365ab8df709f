"""Conversation ids of SMS and WhatsApp workers, and the number behind one.

Why a service: the gateway names a text conversation by a pseudonym of the number
(`sms:<pseudonym>`, api/domain/pseudonyms.py), so nothing the assistant stores or the audit trail
keeps shows the number; the backend, which must still text an officer's reply or a decision,
finds the number through the messaging contact that holds the pseudonym (docs/contracts.md,
"Conversation ids"). Ids from before pseudonyms (`sms:+91...`) are still read, until retention
removes them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import MessagingContact
from api.domain.phones import normalise_phone
from api.domain.pseudonyms import (
    TEXT_CHANNELS,
    is_legacy_number,
    pseudonym,
    split_conversation,
    text_sender,
)
from api.settings import get_settings


def pseudonym_of(number: str) -> str:
    return pseudonym(number, get_settings().sender_key)


def sender_for(channel: str, number: str) -> str:
    """Rasa's sender for a text from `number` on `channel` (sms | whatsapp)."""
    return text_sender(channel, number, get_settings().sender_key)


def conversations_of_number(number: str) -> set[str]:
    """Every backend conversation id a number's texts may have had (`rasa:sms:<pseudonym>`, and
    the number itself from before pseudonyms)."""
    return {
        f"rasa:{channel}:{name}"
        for channel in TEXT_CHANNELS
        for name in (pseudonym_of(number), number)
    }


def remember(session: Session, number: str) -> str:
    """Keep the number's pseudonym on its contact row (made if missing); the pseudonym."""
    name = pseudonym_of(number)
    contact = session.get(MessagingContact, number)
    if contact is None:
        contact = MessagingContact(address=number, choices=[])
        session.add(contact)
    if contact.pseudonym != name:
        contact.pseudonym = name
    return name


def number_of(session: Session, conversation_id: str) -> str | None:
    """The number behind an SMS/WhatsApp conversation id, None for any other (or when its
    contact row has gone: retention or erasure removed the mapping)."""
    channel, rest = split_conversation(conversation_id)
    if channel not in TEXT_CHANNELS:
        return None
    if is_legacy_number(rest):
        return normalise_phone(rest)
    found = session.execute(
        select(MessagingContact.address).where(MessagingContact.pseudonym == rest)
    ).scalar_one_or_none()
    return normalise_phone(found)
