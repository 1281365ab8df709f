"""Messages and calls the helpline sends (stored before sending), and what it knows per number
(last inbound WhatsApp for the 24-hour window, the last numbered choices, the language)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from api.db.models.base import Base, UTCDateTime, utcnow


class OutboundMessage(Base):
    """Messages to workers (SMS/WhatsApp), stored before sending; owned by api/messaging."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    to_address: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(10))  # sms | whatsapp
    body: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(60), default="")
    # A body rendered only when sent (api/messaging/templates.py): `body` then holds the text
    # with the secret blanked, `template_params` its input until sent or abandoned.
    template: Mapped[str | None] = mapped_column(String(40))
    template_params: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    language: Mapped[str | None] = mapped_column(String(2))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    # queued | sending | unsure (no clear answer: Twilio is asked) | sent | delivered | failed
    # | undelivered
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider_sid: Mapped[str | None] = mapped_column(String(64), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class MessagingContact(Base):
    """Per phone number: last inbound WhatsApp (24-hour window), the last numbered choices, and
    how the number likes to be spoken to (language, slow speech), for callers the line does not
    know by name. Deleted RETENTION_CONVERSATION_DAYS after it last changed."""

    __tablename__ = "messaging_contacts"

    address: Mapped[str] = mapped_column(String(40), primary_key=True)  # +91...
    # the number's pseudonym in its SMS/WhatsApp conversation id (api/domain/pseudonyms.py): how
    # a conversation id finds its number; set when the number writes, cleared by erasure
    pseudonym: Mapped[str | None] = mapped_column(String(40), unique=True, index=True)
    language: Mapped[str | None] = mapped_column(String(2))
    script: Mapped[str | None] = mapped_column(String(6))  # native | latin (romanised writers)
    slow: Mapped[bool | None] = mapped_column(Boolean)  # the phone line's speed; None = not chosen
    last_whatsapp_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sms_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    choices: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OutboundCall(Base):
    """A call the line places itself (missed-call call-back, a decision read aloud), stored
    before it is placed."""

    __tablename__ = "outbound_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    to_address: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(60), default="")
    path: Mapped[str | None] = mapped_column(String(300))  # what the call runs; None = the menu
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    # queued | sending | unsure | sent (placed) | failed, then Twilio's call statuses
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider_sid: Mapped[str | None] = mapped_column(String(64), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
