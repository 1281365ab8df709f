"""A family member's identity check for a worker who died (docs/contracts.md, "Family claims").

Why not the worker's check: its code goes to the worker's registered phone, which a dead worker
does not answer. Here the caller proves what the rightful claimant knows (the worker's UAN and
date of birth and the nominee's name as registered) and holds the phone the code is sent to (the
number the conversation comes from; in web chat, the number typed). Every wrong part gives the
same `not_verified`, counted on the same lock-out keys as the worker's check. The session that
results is scoped: it files and tracks family claims, and reads nothing else of the worker.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.db.models import (
    Nominee,
    PensionAccount,
    VerificationSession,
    Worker,
)
from api.domain import family as rules
from api.domain.errors import DomainError
from api.domain.phones import normalise_phone
from api.messaging import outbound
from api.services import audit, otp
from api.services.callers import conversation_number
from api.services.context import Ctx
from api.services.verification import (
    BASIC,
    STRONG,
    give_back,
    open_session,
    parse_identity,
    record_failure,
    refuse_if_locked,
    session_for,
    take_tries,
)

FAMILY = "family"
_NOBODY = "\x00"  # compared with when there is no nominee: never matches a name said
WORKER = "worker"


def caller_phone(session: Session, ctx: Ctx, typed: str | None) -> str:
    """Where the code goes: the conversation's own number when it has one (a number typed in
    WhatsApp cannot redirect it), else the number the family member typed (web chat)."""
    number = conversation_number(session, ctx) or normalise_phone(typed)
    if number is None or not outbound.serves(number):
        raise DomainError("invalid_input", "Give a mobile number the line can text.", field="phone")
    return number


def verify(
    session: Session,
    ctx: Ctx,
    *,
    uan: str,
    date_of_birth: str,
    nominee_name: str,
    phone: str | None,
    channel: str,
    language: str | None = None,
) -> dict[str, Any]:
    """UAN + date of birth + the nominee's name: a `basic` family session, code sent."""
    uan_clean, dob = parse_identity(uan, date_of_birth)
    ctx = Ctx(actor=ctx.actor, request_id=ctx.request_id, channel=channel)
    number = caller_phone(session, ctx, phone)
    takes = take_tries(session, ctx, uan_clean)
    worker = session.execute(select(Worker).where(Worker.uan == uan_clean)).scalar_one_or_none()
    refuse_if_locked(session, ctx, takes, worker, "verify")
    # every part is judged, and an unknown UAN costs the same queries, so the time taken
    # tells no more than the answer does
    nominee = session.execute(
        select(Nominee.name).where(Nominee.worker_id == (worker.id if worker else -1))
    ).scalar_one_or_none()
    name_ok = rules.name_matches(nominee_name, nominee or _NOBODY)
    if worker is None or worker.date_of_birth != dob or not name_ok:
        record_failure(session, ctx, takes, worker, "family")
    give_back(session, takes, uan_clean)
    token, expires, vs = open_session(
        session,
        ctx,
        worker,
        channel=channel,
        kind="family",
        scope=FAMILY,
        caller_phone=number,
        caller_language=language if language in ("bn", "hi", "en") else None,
    )
    audit.record(session, ctx, "verify.family", worker_id=worker.id, purpose="identity check")
    sent = otp.send_code(session, ctx, vs, worker)
    return {
        "verification_token": token,
        "expires_at": expires,
        "level": BASIC,
        "scope": FAMILY,
        "phone_last2": sent["phone_last2"],
        "claim_types": rules.claim_types_open(has_pension(session, worker)),
    }


def has_pension(session: Session, worker: Worker) -> bool:
    return (
        session.execute(
            select(PensionAccount.id).where(PensionAccount.worker_id == worker.id)
        ).first()
        is not None
    )


def require_family(
    session: Session, token: str | None, *, strong: bool = False
) -> tuple[VerificationSession, Worker]:
    """The family session behind a token and the worker it is for, or 401/403."""
    vs = session_for(session, token)
    worker = session.get(Worker, vs.worker_id) if vs is not None else None
    if vs is None or worker is None:
        raise DomainError(
            "verification_required", "Verify identity first.", field="X-Verification-Token"
        )
    if vs.scope != FAMILY:
        raise DomainError("forbidden", "This is for a family member filing for a worker.")
    if strong and vs.level != STRONG:
        raise DomainError("otp_required", "Enter the code sent to your phone first.", field="code")
    return vs, worker
