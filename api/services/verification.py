"""Identity check by UAN + date of birth (optionally an SMS code), with lockout.

Nothing personal is returned before this succeeds; afterwards callers hold a short-lived token
(only its hash is stored). Failures are committed even though the request is refused, otherwise
the lockout could be bypassed by the very error that reports it.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import (
    VerificationAttempt,
    VerificationLockout,
    VerificationSession,
    Worker,
    utcnow,
)
from api.domain.errors import DomainError
from api.domain.masking import token_hash
from api.domain.parsing import parse_date, parse_uan
from api.messaging.outbound import enqueue
from api.services import audit
from api.services.context import Ctx
from api.settings import get_settings
from locales import translate

OTP_DIGITS = 6


def _lockout(session: Session, worker_id: int) -> VerificationLockout:
    lock = session.get(VerificationLockout, worker_id)
    if lock is None:
        lock = VerificationLockout(worker_id=worker_id, failures=0)
        session.add(lock)
        session.flush()
    return lock


def _refuse_locked(session: Session, ctx: Ctx, worker: Worker, retry_after_s: int) -> None:
    """Audit the refused attempt, keep the lock (commit), then refuse."""
    audit.record(
        session, ctx, "verify", worker_id=worker.id, purpose="identity check", outcome="locked_out"
    )
    session.commit()
    raise DomainError(
        "locked_out", "Too many failed attempts; try later.", retry_after_s=retry_after_s
    )


def _check_locked(session: Session, ctx: Ctx, worker: Worker, lock: VerificationLockout) -> None:
    now = utcnow()
    if lock.locked_until and lock.locked_until > now:
        _refuse_locked(session, ctx, worker, int((lock.locked_until - now).total_seconds()) + 1)
    if lock.locked_until and lock.locked_until <= now:
        lock.locked_until = None
        lock.failures = 0


def _fail(session: Session, ctx: Ctx, worker: Worker, lock: VerificationLockout, kind: str) -> None:
    """Count a failure, lock when the limit is reached, commit, then raise."""
    settings = get_settings()
    lock.failures += 1
    session.add(
        VerificationAttempt(
            worker_id=worker.id,
            success=False,
            kind=kind,
            channel=ctx.channel,
            actor=ctx.actor[:200],
        )
    )
    if lock.failures >= settings.verification_max_failures:
        lock.locked_until = utcnow() + timedelta(minutes=settings.verification_lockout_minutes)
        session.execute(
            VerificationSession.__table__.update()
            .where(
                VerificationSession.worker_id == worker.id,
                VerificationSession.otp_verified.is_(False),
            )
            .values(expires_at=utcnow())
        )
        _refuse_locked(session, ctx, worker, settings.verification_lockout_minutes * 60)
    audit.record(
        session,
        ctx,
        "verify",
        worker_id=worker.id,
        purpose="identity check",
        outcome=f"wrong_{kind}",
    )
    session.commit()
    left = settings.verification_max_failures - lock.failures
    if kind == "otp":
        raise DomainError("wrong_otp", "The code does not match.", field="code", attempts_left=left)
    raise DomainError(
        "wrong_date_of_birth",
        "The date of birth does not match our records.",
        field="date_of_birth",
        attempts_left=left,
    )


def verify(session: Session, ctx: Ctx, *, uan: str, date_of_birth: str, channel: str) -> dict:
    uan_clean = parse_uan(uan)
    if uan_clean is None:
        raise DomainError("invalid_uan", "A UAN has exactly 12 digits.", field="uan")
    dob = parse_date(date_of_birth)
    if dob is None:
        raise DomainError(
            "invalid_date", "Date of birth is not a valid date.", field="date_of_birth"
        )
    worker = session.execute(select(Worker).where(Worker.uan == uan_clean)).scalar_one_or_none()
    if worker is None:
        raise DomainError("unknown_worker", "No worker with this UAN.", field="uan")
    lock = _lockout(session, worker.id)
    _check_locked(session, ctx, worker, lock)
    if dob != worker.date_of_birth:
        _fail(session, ctx, worker, lock, "dob")
    settings = get_settings()
    lock.failures = 0
    lock.locked_until = None
    session.add(
        VerificationAttempt(
            worker_id=worker.id, success=True, kind="dob", channel=channel, actor=ctx.actor[:200]
        )
    )
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(minutes=settings.verification_ttl_minutes)
    otp_needed = bool(settings.otp_required and worker.phone)
    vs = VerificationSession(
        token_hash=token_hash(token),
        worker_id=worker.id,
        channel=channel,
        actor=ctx.actor[:200],
        expires_at=expires,
        otp_verified=not otp_needed,
    )
    if otp_needed:
        code = f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"
        vs.otp_hash = token_hash(code)
        session.add(vs)
        session.flush()
        body = translate("api.otp_sms", worker.preferred_language, code=code)
        enqueue(
            session,
            to=worker.phone or "",
            body=body,
            channel="sms",
            reason="otp",
            dedupe_key=f"otp:{vs.id}",
        )
    else:
        session.add(vs)
    audit.record(
        session,
        ctx,
        "verify",
        worker_id=worker.id,
        purpose="identity check",
        outcome="otp_sent" if otp_needed else "ok",
    )
    return {
        "verification_token": token,
        "expires_at": expires,
        "otp_required": otp_needed,
        "preferred_language": worker.preferred_language,
        "first_name": worker.first_names(),
    }


def _session_for(session: Session, token: str | None) -> VerificationSession | None:
    if not token or len(token) > 200:
        return None
    vs = session.execute(
        select(VerificationSession).where(VerificationSession.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if vs is None or vs.expires_at <= utcnow():
        return None
    return vs


def verify_otp(session: Session, ctx: Ctx, *, verification_token: str, code: str) -> dict:
    vs = _session_for(session, verification_token)
    if vs is None:
        raise DomainError(
            "verification_required",
            "Verification expired; start again.",
            field="verification_token",
        )
    worker = session.get(Worker, vs.worker_id)
    assert worker is not None
    if vs.otp_verified:
        return {"verification_token": verification_token, "expires_at": vs.expires_at}
    lock = _lockout(session, worker.id)
    _check_locked(session, ctx, worker, lock)
    digits = "".join(ch for ch in code if ch.isdigit())
    if not vs.otp_hash or not hmac.compare_digest(vs.otp_hash, token_hash(digits)):
        vs.otp_failures += 1
        _fail(session, ctx, worker, lock, "otp")
    vs.otp_verified = True
    vs.otp_hash = None
    lock.failures = 0
    session.add(
        VerificationAttempt(
            worker_id=worker.id, success=True, kind="otp", channel=vs.channel, actor=ctx.actor[:200]
        )
    )
    audit.record(session, ctx, "verify_otp", worker_id=worker.id, purpose="identity check")
    return {"verification_token": verification_token, "expires_at": vs.expires_at}


def require_worker(session: Session, token: str | None) -> Worker:
    """The verified worker behind a token, or 401 verification_required / otp_required."""
    vs = _session_for(session, token)
    if vs is None:
        raise DomainError(
            "verification_required", "Verify identity first.", field="X-Verification-Token"
        )
    if not vs.otp_verified:
        raise DomainError("otp_required", "Enter the code sent by SMS first.", field="code")
    worker = session.get(Worker, vs.worker_id)
    if worker is None:
        raise DomainError("verification_required", "Verify identity first.")
    return worker


def optional_worker(session: Session, token: str | None) -> Worker | None:
    """The worker if a valid token was given; no token is fine (anonymous feedback/hand-off)."""
    if not token:
        return None
    return require_worker(session, token)


def is_expired(at: datetime) -> bool:
    return at <= utcnow()
