"""Tables of api.messaging besides `outbound_messages` (which lives in api.db.models)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db.models import Base, UTCDateTime, utcnow


class MessagingContact(Base):
    """Per phone number: last inbound WhatsApp (24-hour window) and the last numbered choices."""

    __tablename__ = "messaging_contacts"

    address: Mapped[str] = mapped_column(String(40), primary_key=True)  # +91...
    language: Mapped[str | None] = mapped_column(String(2))
    last_whatsapp_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sms_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    choices: Mapped[list[Any]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class OutboundCall(Base):
    """A call the line places itself (missed-call call-back), stored before it is placed."""

    __tablename__ = "outbound_calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    to_address: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(60), default="")
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    # queued | sending | sent (placed) | failed, then Twilio's call statuses
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
    provider_sid: Mapped[str | None] = mapped_column(String(64), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
