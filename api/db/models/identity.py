"""Identity checks of workers: attempts, lock-out counters and verified sessions.

Tokens are stored hashed; one-time codes are never stored at all (a session keeps a random nonce,
the code is an HMAC of it under a server secret). Counters are keyed by salted hashes of the UAN
or the caller, so a dump shows neither, and unknown UANs are counted like known ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.db.models.base import Base, UTCDateTime, utcnow


class VerificationAttempt(Base):
    __tablename__ = "verification_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int | None] = mapped_column(
        ForeignKey("workers.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    kind: Mapped[str] = mapped_column(String(10), default="dob")  # dob | otp
    channel: Mapped[str] = mapped_column(String(20), default="")
    actor: Mapped[str] = mapped_column(String(200), default="")


class VerificationCounter(Base):
    """Tries per key ("uan:<hash>", "caller:<hash>", "net:<hash>"), counted atomically.

    `failures` is bumped BEFORE a try is judged (api/services/lockout.py), so parallel tries
    can never get more than the allowed number judged; `locked_until` is set when they ran out.
    """

    __tablename__ = "verification_counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VerificationSession(Base):
    __tablename__ = "verification_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    level: Mapped[str] = mapped_column(String(10), default="basic")  # basic | strong
    otp_nonce: Mapped[str | None] = mapped_column(String(64))
    otp_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    otp_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    otp_sends: Mapped[int] = mapped_column(Integer, default=0)
    otp_failures: Mapped[int] = mapped_column(Integer, default=0)
    # worker: the worker's own check; family: a family member filing for a worker who died,
    # whose code goes to the caller's phone and who may only file and track family claims
    scope: Mapped[str] = mapped_column(String(10), default="worker", server_default="worker")
    caller_phone: Mapped[str | None] = mapped_column(String(20))
    caller_language: Mapped[str | None] = mapped_column(String(2))


class HelperConsent(Base):
    """A worker's consent that a helper acts for them in one verification session.

    Why its own row: the audit trail and the cases point at it, so an officer sees who acted
    and in which relation long after the session is gone (docs/contracts.md, "A helper acts for
    a worker"). Granted once the code texted to the WORKER's phone is typed back.
    """

    __tablename__ = "helper_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("workers.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("verification_sessions.id", ondelete="SET NULL"), unique=True
    )
    helper_name: Mapped[str] = mapped_column(String(80), default="")
    relation: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20), default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
