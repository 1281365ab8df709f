"""Tables of the calls service (api/services/calls.py): call state, one row per IVR turn,
and Twilio's call status events.

Why in the database: a webhook may reach any API process (or the same one twice), and a call
must survive a restart of the process that started a slow assistant turn.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from api.db.models.base import Base, UTCDateTime, utcnow


class VoiceCall(Base):
    """Where a call is in the menu tree, what was said, which references were given."""

    __tablename__ = "voice_calls"

    call_sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    caller: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[str] = mapped_column(String(20), default="inbound")
    language: Mapped[str | None] = mapped_column(String(2))
    slow: Mapped[bool] = mapped_column(Boolean, default=False)
    turn: Mapped[int] = mapped_column(Integer, default=0)
    mode: Mapped[str] = mapped_column(String(20), default="language")
    mode_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_prompt: Mapped[list[str]] = mapped_column(JSON, default=list)
    misses: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    transcript: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="in-progress")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VoiceTurn(Base):
    """One answered <Gather> (CallSid + turn): a duplicate delivery replays `twiml`."""

    __tablename__ = "voice_turns"
    __table_args__ = (UniqueConstraint("call_sid", "turn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    turn: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|done|failed
    twiml: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CallStatusEvent(Base):
    """Twilio's call status callbacks, as received (no personal data beyond the call id)."""

    __tablename__ = "call_status_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_sid: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(20), default="")
    duration_s: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MenuChoice(Base):
    """One keypad menu option chosen (a level and its entry): counted to order the menu by what
    callers choose. Nothing about who chose it: no call id, no number."""

    __tablename__ = "menu_choices"

    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    option: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(2), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
