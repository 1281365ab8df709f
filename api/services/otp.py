"""The `strong` level: a 6-digit code texted to the worker's REGISTERED phone, typed back.

Why: UAN and date of birth are printed on cards and known to family; a nominee or bank change
made with them alone is how benefits are stolen. The code goes only to the number on record
(never one the caller gives; caller ID proves nothing), sending is limited per session and per
worker, and the code itself is never stored (api/domain/otp.py).
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from api.db.models import VerificationAttempt, VerificationSession, Worker, utcnow
from api.domain.errors import DomainError
from api.domain.otp import code_matches, derive_key, new_nonce
from api.messaging import outbound
from api.services import audit, helper_consents, lockout, webchat_sessions
from api.services.context import Ctx
from api.services.verification import (
    STRONG,
    give_back,
    record_failure,
    refuse_if_locked,
    session_for,
    take_tries,
)
from api.settings import get_settings

SEND_WINDOW = timedelta(hours=1)


def otp_key() -> bytes:
    return derive_key(get_settings().session_secret)


def _expired() -> DomainError:
    return DomainError(
        "verification_required", "Verification expired; start again.", field="verification_token"
    )


def worker_of(session: Session, vs: VerificationSession) -> Worker:
    worker = session.get(Worker, vs.worker_id)
    if worker is None:
        raise _expired()
    return worker


def _session_or_401(session: Session, token: str) -> tuple[VerificationSession, Worker]:
    vs = session_for(session, token)
    if vs is None:
        raise _expired()
    return vs, worker_of(session, vs)


def _rate_limited(retry_after_s: int) -> DomainError:
    return DomainError(
        "rate_limited", "Too many codes asked for; wait a little.", retry_after_s=retry_after_s
    )


def only_verify_sent(vs: VerificationSession) -> bool:
    """Whether the one code this session has had is the one POST /verify texted by itself
    (OTP_REQUIRED): a helper's consent asked next takes its place without the resend wait."""
    return get_settings().otp_required and vs.otp_sends == 1 and vs.level != STRONG


def send_code(
    session: Session,
    ctx: Ctx,
    vs: VerificationSession,
    worker: Worker,
    *,
    supersede: bool = False,
) -> dict[str, Any]:
    """Text a new code to the registered phone (the previous code stops working); a family
    session's code goes to the caller's phone instead (api/services/family.py); a session whose
    helper awaits the worker's consent sends the consent SMS naming them (api/services/helpers).

    `supersede`: the code out is the one /verify sent unasked (only_verify_sent), so the resend
    wait does not apply; the session's and the worker's send limits still do."""
    settings = get_settings()
    family = vs.scope == "family"
    consent = None if family else helper_consents.pending(session, vs)
    if consent is not None:
        ctx = dataclasses.replace(ctx, helper_consent_id=consent.id)
    phone = (vs.caller_phone if family else worker.phone) or ""
    if not phone or not outbound.serves(phone):
        audit.record(
            session,
            ctx,
            "otp.send",
            worker_id=worker.id,
            purpose="identity check",
            outcome="no_registered_phone",
        )
        session.commit()
        raise DomainError(
            "no_registered_phone", "No phone on record can receive the code; an officer can help."
        )
    now = utcnow()
    if vs.otp_sends >= settings.otp_max_sends:
        raise _rate_limited(max(1, int((vs.expires_at - now).total_seconds())))
    if vs.otp_sent_at is not None and not supersede:
        wait = vs.otp_sent_at + timedelta(seconds=settings.otp_resend_seconds) - now
        if wait.total_seconds() > 0:
            raise _rate_limited(int(wait.total_seconds()) + 1)
    per_worker = lockout.take(
        session, lockout.counter_key("otpsend", worker.uan), settings.otp_max_sends * 2, SEND_WINDOW
    )
    if per_worker.refused(now):
        session.commit()
        raise _rate_limited(int(SEND_WINDOW.total_seconds()))
    nonce = new_nonce()
    vs.otp_nonce = nonce
    vs.otp_sent_at = now
    vs.otp_expires_at = now + timedelta(minutes=settings.otp_ttl_minutes)
    vs.otp_sends += 1
    session.flush()
    params: dict[str, Any] = {"nonce": nonce, "expires_at": vs.otp_expires_at.isoformat()}
    if consent is not None:
        params |= {"helper": consent.helper_name, "relation": consent.relation}
    template = "otp" if consent is None else "helper_consent"
    outbound.enqueue_template(
        session,
        to=phone,
        template=template,
        params=params,
        language=(vs.caller_language if family else None) or worker.preferred_language,
        reason=template,
        dedupe_key=f"otp:{vs.id}:{vs.otp_sends}",
    )
    purpose = "identity check" if consent is None else "helper consent"
    audit.record(session, ctx, "otp.send", worker_id=worker.id, purpose=purpose)
    return {"sent": True, "code_expires_at": vs.otp_expires_at, "phone_last2": phone[-2:]}


def send(session: Session, ctx: Ctx, *, verification_token: str) -> dict[str, Any]:
    vs, worker = _session_or_401(session, verification_token)
    return send_code(session, ctx, vs, worker)


def verify_code(
    session: Session, ctx: Ctx, *, verification_token: str, code: str
) -> dict[str, Any]:
    """The code typed back: the session becomes `strong` (tries counted like dates of birth)."""
    vs, worker = _session_or_401(session, verification_token)
    if vs.level == STRONG:
        return {
            "verification_token": verification_token,
            "expires_at": vs.expires_at,
            "level": STRONG,
        }
    now = utcnow()
    if not vs.otp_nonce or vs.otp_expires_at is None or vs.otp_expires_at <= now:
        raise DomainError("otp_expired", "No code is active; ask for a new one.", field="code")
    consent = helper_consents.pending(session, vs)
    ctx = dataclasses.replace(
        ctx,
        channel=vs.channel,
        helper_consent_id=consent.id if consent is not None else ctx.helper_consent_id,
    )
    takes = take_tries(session, ctx, worker.uan)
    refuse_if_locked(session, ctx, takes, worker, "verify_otp")
    if not code_matches(otp_key(), vs.otp_nonce, code):
        vs.otp_failures += 1
        record_failure(session, ctx, takes, worker, "otp")
    give_back(session, takes, worker.uan)
    vs.level = STRONG
    vs.otp_nonce = None
    vs.otp_expires_at = None
    session.add(
        VerificationAttempt(
            worker_id=worker.id, success=True, kind="otp", channel=vs.channel, actor=ctx.actor[:200]
        )
    )
    webchat_sessions.note_verified(session, ctx.actor)
    audit.record(session, ctx, "verify_otp", worker_id=worker.id, purpose="identity check")
    if consent is not None:  # the worker gave the helper the code: they agree
        helper_consents.grant(consent)
        audit.record(session, ctx, "helper.consent", worker_id=worker.id, purpose="helper acts")
    return {"verification_token": verification_token, "expires_at": vs.expires_at, "level": STRONG}
