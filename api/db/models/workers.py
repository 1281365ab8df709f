"""Workers, the schemes they belong to, their nominee and pension account."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db.models.base import Base, UTCDateTime, utcnow


class Worker(Base):
    __tablename__ = "workers"

    id: Mapped[int] = mapped_column(primary_key=True)
    uan: Mapped[str] = mapped_column(String(12), unique=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_bn: Mapped[str] = mapped_column(String(120), default="")
    name_hi: Mapped[str] = mapped_column(String(120), default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(16), default="")
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    state: Mapped[str] = mapped_column(String(60), default="")
    district: Mapped[str] = mapped_column(String(60), default="")
    address: Mapped[str | None] = mapped_column(String(300))  # as corrected by the worker
    occupation: Mapped[str] = mapped_column(String(80), default="")
    preferred_language: Mapped[str] = mapped_column(String(2), default="en")
    preferred_script: Mapped[str | None] = mapped_column(String(6))  # native | latin
    aadhaar_last4: Mapped[str | None] = mapped_column(String(4))
    aadhaar_hash: Mapped[str | None] = mapped_column(String(64))
    bank_last4: Mapped[str | None] = mapped_column(String(4))
    bank_hash: Mapped[str | None] = mapped_column(String(64))
    # wants an automated call reading each decision (besides the SMS), for those who cannot read
    notify_by_call: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    enrollments: Mapped[list[Enrollment]] = relationship(back_populates="worker")

    def name(self, lang: str) -> str:
        return getattr(self, f"name_{lang}", "") or self.name_en

    def first_names(self) -> dict[str, str]:
        return {lang: (self.name(lang).split() or [""])[0] for lang in ("bn", "hi", "en")}


class Scheme(Base):
    __tablename__ = "schemes"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(120))
    name_bn: Mapped[str] = mapped_column(String(160), default="")
    name_hi: Mapped[str] = mapped_column(String(160), default="")
    kind: Mapped[str] = mapped_column(String(20), default="welfare")


class Enrollment(Base):
    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("worker_id", "scheme_code", name="uq_enrollments_worker_scheme"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    scheme_code: Mapped[str] = mapped_column(ForeignKey("schemes.code"))
    member_id: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))  # active | lapsed | closed
    valid_until: Mapped[date | None] = mapped_column(Date)
    renewable: Mapped[bool] = mapped_column(Boolean, default=False)
    entry_age: Mapped[int | None] = mapped_column(Integer)
    monthly_contribution: Mapped[int | None] = mapped_column(Integer)
    # PM-SYM: contributions are paid up to this day (a later day unpaid is a missed contribution)
    contribution_paid_until: Mapped[date | None] = mapped_column(Date)
    # the day the worker registered with the scheme (its years count for a pension); null: unknown
    registered_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    worker: Mapped[Worker] = relationship(back_populates="enrollments")


class Nominee(Base):
    __tablename__ = "nominees"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(120))
    relation: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PensionAccount(Base):
    __tablename__ = "pension_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), unique=True
    )
    scheme_code: Mapped[str] = mapped_column(ForeignKey("schemes.code"))
    monthly_amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # active | stopped
    stop_reason: Mapped[str | None] = mapped_column(String(40))
    stopped_on: Mapped[date | None] = mapped_column(Date)
    last_paid_on: Mapped[date | None] = mapped_column(Date)
    restarted_on: Mapped[date | None] = mapped_column(Date)
    # the yearly life certificate is due by this day, or the pension stops
    life_certificate_due_on: Mapped[date | None] = mapped_column(Date)
