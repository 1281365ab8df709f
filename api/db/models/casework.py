"""Cases: the one place where the status of every request lives, its timeline, the notices sent
to the worker, and the call-backs officers make.

Why one table: the officers' work queue and the dashboard read 100 000 requests of five kinds in
one indexed query; the request rows (claims, renewals, ...) keep their own details and point at
their case, so a status is never stored twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.db.models.base import Base, UTCDateTime, utcnow


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_kind_status_created", "kind", "status", "created_at", "id"),
        Index("ix_cases_open_kind_created", "is_open", "kind", "created_at", "id"),
        Index("ix_cases_open_created", "is_open", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # claim|renewal|restart|complaint|callback
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)  # derived from status, same UPDATE
    version: Mapped[int] = mapped_column(Integer, default=1)
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(2), default="en")
    channel: Mapped[str] = mapped_column(String(20), default="")  # last used by the worker
    conversation_id: Mapped[str | None] = mapped_column(String(200), index=True)
    district: Mapped[str] = mapped_column(String(60), default="")
    scheme: Mapped[str | None] = mapped_column(String(40))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    assigned_to: Mapped[int | None] = mapped_column(
        ForeignKey("staff_users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # filed by a helper acting for the worker with the worker's consent (null: by the worker)
    helper_consent_id: Mapped[int | None] = mapped_column(
        ForeignKey("helper_consents.id", ondelete="SET NULL")
    )


class CaseEvent(Base):
    """The timeline: every transition (who, when, from, to, why), and notes on the case."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(12), default="")
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str | None] = mapped_column(String(40))
    amount: Mapped[int | None] = mapped_column(Integer)
    paid_on: Mapped[date | None] = mapped_column(Date)
    documents: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class CaseNotice(Base):
    """What the worker was told about a decision, in their language: the web chat and the
    assistant poll these, and the automated call reads one aloud."""

    __tablename__ = "case_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id", ondelete="SET NULL"), index=True
    )
    conversation_id: Mapped[str | None] = mapped_column(String(200), index=True)
    reference: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)
    spoken: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CallbackRequest(Base):
    """A "call me back": the number officers ring (the one thing they need), why, what the
    assistant knew (masked), and the attempts so far."""

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))  # missed_call|ivr|queue|handoff|web|...
    reason: Mapped[str] = mapped_column(String(500), default="")
    transcript: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_outcome: Mapped[str | None] = mapped_column(String(20))
    last_call_sid: Mapped[str | None] = mapped_column(String(64))
    handoff_ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("handoff_tickets.id", ondelete="SET NULL"), index=True
    )
