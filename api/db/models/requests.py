"""What workers ask for: renewals, claims (with their documents), nominee changes, pension
restarts, feedback and corrections of their record. Their status and timeline live on the
linked case (models/casework.py), the one place an officer's decision is written."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db.models.base import Base, UTCDateTime, utcnow


class RenewalRequest(Base):
    __tablename__ = "renewal_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id", ondelete="CASCADE"))
    scheme_code: Mapped[str] = mapped_column(ForeignKey("schemes.code"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), unique=True)
    channel: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Claim(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    claim_type: Mapped[str] = mapped_column(String(30))
    # the membership the claim is filed under; null for imported claims and workers with none
    scheme_code: Mapped[str | None] = mapped_column(ForeignKey("schemes.code"))
    incident_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")
    bank_last4: Mapped[str | None] = mapped_column(String(4))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), unique=True)
    submitted_on: Mapped[date] = mapped_column(Date)
    amount_claimed: Mapped[int | None] = mapped_column(Integer)
    amount_approved: Mapped[int | None] = mapped_column(Integer)
    amount_paid: Mapped[int | None] = mapped_column(Integer)
    paid_on: Mapped[date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(20), default="")
    # worker | family (a nominee or family member filing for a worker who died: bank_last4 is
    # the nominee's account and decisions go to claimant_phone, never to the worker's)
    filed_by: Mapped[str] = mapped_column(String(10), default="worker", server_default="worker")
    claimant_phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    documents: Mapped[list[ClaimDocument]] = relationship(order_by="ClaimDocument.id")


class ClaimDocument(Base):
    __tablename__ = "claim_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | received


class NomineeChange(Base):
    __tablename__ = "nominee_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    old_name: Mapped[str | None] = mapped_column(String(120))
    old_relation: Mapped[str | None] = mapped_column(String(20))
    new_name: Mapped[str] = mapped_column(String(120))
    new_relation: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(120), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PensionRestartRequest(Base):
    __tablename__ = "pension_restart_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    pension_account_id: Mapped[int] = mapped_column(
        ForeignKey("pension_accounts.id", ondelete="CASCADE")
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), unique=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("workers.id", ondelete="SET NULL"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CorrectionRequest(Base):
    """A worker's "my record is wrong": which detail, what the record said (masked) and the new
    value, decided on its case. A bank account keeps only its last 4 digits and salted hash."""

    __tablename__ = "correction_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), unique=True)
    field: Mapped[str] = mapped_column(String(20))
    current_shown: Mapped[str] = mapped_column(String(300), default="")  # masked for numbers
    new_value: Mapped[str | None] = mapped_column(String(300))  # never a bank account number
    new_last4: Mapped[str | None] = mapped_column(String(4))
    new_hash: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
