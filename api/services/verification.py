"""Identity check by UAN + date of birth, giving a `basic` session; tries per UAN and caller.

Nothing personal is returned before this succeeds; afterwards callers hold a short-lived token
(only its hash is stored). An unknown UAN and a wrong date answer exactly alike (`not_verified`,
same fields, same work done), so the line cannot be used to learn which UANs exist. Tries are
counted before they are judged (api/services/lockout.py) and committed at once, so neither a
refusal's rollback nor parallel requests can win extra tries. Changes that move money or rights
need the `strong` level that a code sent to the registered phone gives (api/services/otp.py).
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.db.models import VerificationAttempt, VerificationSession, Worker, utcnow
from api.domain.errors import DomainError
from api.domain.masking import token_hash
from api.domain.parsing import parse_date, parse_uan
from api.services import audit, lockout, webchat_sessions
from api.services.callers import Key, caller_keys, uan_key
from api.services.context import Ctx
from api.settings import get_settings

BASIC = "basic"
STRONG = "strong"
# compared with when the UAN is unknown, so both answers cost the same work
_NOBODY_BORN = date(1900, 1, 1)


def take_tries(session: Session, ctx: Ctx, uan: str) -> list[lockout.Take]:
    """One try on the caller's keys, then on the UAN's, committed before anything is judged."""
    settings = get_settings()
    window = timedelta(minutes=settings.verification_lockout_minutes)
    keys: list[Key] = [*caller_keys(session, ctx), uan_key(uan)]
    takes = [lockout.take(session, k.key, k.limit, window) for k in keys]
    session.commit()
    return takes


def refuse_if_locked(
    session: Session, ctx: Ctx, takes: list[lockout.Take], worker: Worker | None, action: str
) -> None:
    now = utcnow()
    refused = [t for t in takes if t.refused(now)]
    if not refused:
        return
    audit.record(
        session,
        ctx,
        action,
        worker_id=worker.id if worker else None,
        purpose="identity check",
        outcome="locked_out",
    )
    session.commit()
    minutes = get_settings().verification_lockout_minutes
    raise DomainError(
        "locked_out",
        "Too many failed attempts; try later or ask for an officer.",
        retry_after_s=lockout.retry_after_s(refused, now, minutes),
    )


def record_failure(
    session: Session,
    ctx: Ctx,
    takes: list[lockout.Take],
    worker: Worker | None,
    kind: str,
) -> NoReturn:
    """Keep the failed try, lock the keys that ran out, commit, then raise."""
    settings = get_settings()
    session.add(
        VerificationAttempt(
            worker_id=worker.id if worker else None,
            success=False,
            kind=kind,
            channel=ctx.channel[:20],
            actor=ctx.actor[:200],
        )
    )
    spent = [t for t in takes if t.number >= t.limit]
    for take in spent:
        lockout.lock(session, take.key, settings.verification_lockout_minutes)
    action = "verify_otp" if kind == "otp" else "verify"
    audit.record(
        session,
        ctx,
        action,
        worker_id=worker.id if worker else None,
        purpose="identity check",
        outcome="locked_out" if spent else f"wrong_{kind}",
    )
    if spent and worker is not None:
        end_weak_sessions(session, worker.id)
    session.commit()
    if spent:
        raise DomainError(
            "locked_out",
            "Too many failed attempts; try later or ask for an officer.",
            retry_after_s=settings.verification_lockout_minutes * 60,
        )
    left = min(t.left_after_failure() for t in takes)
    if kind == "otp":
        raise DomainError("wrong_otp", "The code does not match.", field="code", attempts_left=left)
    raise DomainError(
        "not_verified",
        "The UAN and date of birth do not match our records.",
        attempts_left=left,
    )


def give_back(session: Session, takes: list[lockout.Take], uan: str) -> None:
    """A success: the UAN's failures are forgotten, the caller's try is returned."""
    own = uan_key(uan).key
    for take in takes:
        lockout.release(session, take.key, reset=take.key == own)


def end_weak_sessions(session: Session, worker_id: int) -> None:
    """A lock ends the worker's sessions that are not strong (a code being guessed)."""
    session.execute(
        update(VerificationSession)
        .where(VerificationSession.worker_id == worker_id, VerificationSession.level != STRONG)
        .values(expires_at=utcnow())
    )


def parse_identity(uan: str, date_of_birth: str) -> tuple[str, date]:
    """The UAN and date of birth as typed, checked for shape before any try is counted (the
    worker's check and the family's alike)."""
    uan_clean = parse_uan(uan)
    if uan_clean is None:
        raise DomainError("invalid_uan", "A UAN has exactly 12 digits.", field="uan")
    dob = parse_date(date_of_birth)
    if dob is None:
        raise DomainError(
            "invalid_date", "Date of birth is not a valid date.", field="date_of_birth"
        )
    return uan_clean, dob


def open_session(
    session: Session, ctx: Ctx, worker: Worker, *, channel: str, kind: str, **extra: Any
) -> tuple[str, datetime, VerificationSession]:
    """A check passed: keep the successful try, open a `basic` session (only the token's hash
    is stored; `extra`: the family's scope and caller) and return its token and expiry."""
    session.add(
        VerificationAttempt(
            worker_id=worker.id, success=True, kind=kind, channel=channel, actor=ctx.actor[:200]
        )
    )
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(minutes=get_settings().verification_ttl_minutes)
    vs = VerificationSession(
        token_hash=token_hash(token),
        worker_id=worker.id,
        channel=channel,
        actor=ctx.actor[:200],
        expires_at=expires,
        level=BASIC,
        **extra,
    )
    session.add(vs)
    session.flush()
    return token, expires, vs


def verify(
    session: Session, ctx: Ctx, *, uan: str, date_of_birth: str, channel: str
) -> dict[str, Any]:
    uan_clean, dob = parse_identity(uan, date_of_birth)
    ctx = Ctx(actor=ctx.actor, request_id=ctx.request_id, channel=channel)
    takes = take_tries(session, ctx, uan_clean)
    worker = session.execute(select(Worker).where(Worker.uan == uan_clean)).scalar_one_or_none()
    refuse_if_locked(session, ctx, takes, worker, "verify")
    born = worker.date_of_birth if worker is not None else _NOBODY_BORN
    if worker is None or born != dob:
        record_failure(session, ctx, takes, worker, "dob")
    give_back(session, takes, uan_clean)
    token, expires, vs = open_session(session, ctx, worker, channel=channel, kind="dob")
    settings = get_settings()
    webchat_sessions.note_verified(session, ctx.actor)
    audit.record(session, ctx, "verify", worker_id=worker.id, purpose="identity check")
    phone_last2 = None
    if settings.otp_required:
        from api.services import otp  # otp builds on this module

        # no phone to text: the assistant's own send call hears no_registered_phone
        with contextlib.suppress(DomainError):
            phone_last2 = otp.send_code(session, ctx, vs, worker)["phone_last2"]
    return {
        "verification_token": token,
        "expires_at": expires,
        "level": BASIC,
        "otp_required": settings.otp_required,
        "phone_last2": phone_last2,
        "preferred_language": worker.preferred_language,
        "first_name": worker.first_names(),
    }


def session_for(session: Session, token: str | None) -> VerificationSession | None:
    if not token or len(token) > 200:
        return None
    vs = session.execute(
        select(VerificationSession).where(VerificationSession.token_hash == token_hash(token))
    ).scalar_one_or_none()
    if vs is None or vs.expires_at <= utcnow():
        return None
    return vs


def require_worker(session: Session, token: str | None, *, strong: bool = False) -> Worker:
    """The verified worker behind a token, or 401 verification_required / otp_required.

    `strong`: the request moves money or rights (nominee, claim, bank, correction); with
    OTP_REQUIRED every request needs it.
    """
    vs = session_for(session, token)
    if vs is None:
        raise DomainError(
            "verification_required", "Verify identity first.", field="X-Verification-Token"
        )
    if vs.scope != "worker":  # a family member filing for a worker who died sees nothing else
        raise DomainError("forbidden", "Not available to a family member's session.")
    if (strong or get_settings().otp_required) and vs.level != STRONG:
        raise DomainError(
            "otp_required", "Enter the code sent to the registered phone first.", field="code"
        )
    worker = session.get(Worker, vs.worker_id)
    if worker is None:
        raise DomainError("verification_required", "Verify identity first.")
    return worker


def optional_worker(session: Session, token: str | None) -> Worker | None:
    """The worker if a valid token was given; no token is fine (anonymous feedback/hand-off)."""
    if not token:
        return None
    vs = session_for(session, token)
    if vs is None:
        raise DomainError("verification_required", "Verify identity first.")
    if vs.scope != "worker":
        return None  # a family member: the worker's record is not theirs to attach
    return session.get(Worker, vs.worker_id)


def is_expired(at: datetime) -> bool:
    return at <= utcnow()
