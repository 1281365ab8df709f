"""Identity check and everything a verified worker can see or ask for (/api/v1/verify, /me/*)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse

from api.db.models import Worker
from api.db.session import session_scope
from api.services import (
    claims,
    corrections,
    decisions,
    erasure,
    idempotency,
    nominee,
    notices,
    otp,
    pension,
    renewal,
    status,
    verification,
)
from api.services.context import Ctx
from api.web.case_schemas import (
    CallPreferenceIn,
    CallPreferenceOut,
    NoticeOut,
    NoticesReadIn,
    WithdrawOut,
)
from api.web.deps import idempotency_key, require_service, service_ctx, verification_token
from api.web.schemas import (
    ClaimIn,
    ClaimOut,
    CorrectionIn,
    CorrectionOut,
    LanguageOut,
    NomineeIn,
    NomineeOut,
    OtpIn,
    OtpOut,
    OtpSendIn,
    OtpSendOut,
    PensionOut,
    RenewalIn,
    RenewalOut,
    RestartIn,
    RestartOut,
    StatusOut,
    VerifyIn,
    VerifyOut,
)
from api.web.schemas_privacy import ErasureOut

router = APIRouter(prefix="/api/v1", tags=["worker"], dependencies=[Depends(require_service)])


@router.post("/verify", response_model=VerifyOut)
def verify(body: VerifyIn, ctx: Ctx = Depends(service_ctx)) -> dict[str, Any]:
    ctx = Ctx(actor=ctx.actor, request_id=ctx.request_id, channel=body.channel)
    with session_scope() as s:
        return verification.verify(
            s, ctx, uan=body.uan, date_of_birth=body.date_of_birth, channel=body.channel
        )


@router.post("/verify/otp/send", response_model=OtpSendOut)
def send_otp(body: OtpSendIn, ctx: Ctx = Depends(service_ctx)) -> dict[str, Any]:
    """Text a code to the worker's registered phone (never to a number the caller gives)."""
    with session_scope() as s:
        return otp.send(s, ctx, verification_token=body.verification_token)


@router.post("/verify/otp", response_model=OtpOut)
def verify_otp(body: OtpIn, ctx: Ctx = Depends(service_ctx)) -> dict[str, Any]:
    with session_scope() as s:
        return otp.verify_code(s, ctx, verification_token=body.verification_token, code=body.code)


@router.get("/me/status", response_model=StatusOut)
def me_status(
    ctx: Ctx = Depends(service_ctx), token: str | None = Depends(verification_token)
) -> dict[str, Any]:
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        return status.status(s, ctx, worker)


@router.get(
    "/me/pension", response_model=PensionOut, responses={404: {"description": "no_pension"}}
)
def me_pension(
    ctx: Ctx = Depends(service_ctx), token: str | None = Depends(verification_token)
) -> dict[str, Any]:
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        try:
            return status.pension(s, ctx, worker)
        finally:
            s.commit()  # keep the audit row of a refused read too


# Changes that move money or rights: a code sent to the registered phone must have been typed.
STRONG_ENDPOINTS = frozenset({"claims", "nominee"})


def _idempotent(
    endpoint: str, key: str | None, token: str | None, payload: dict[str, Any], action: Any
) -> JSONResponse:
    holder: dict[str, Worker] = {}

    def scope(s: Any) -> str:
        holder["worker"] = verification.require_worker(
            s, token, strong=endpoint in STRONG_ENDPOINTS
        )
        return f"worker:{holder['worker'].id}"

    result = idempotency.run(
        key=key,
        endpoint=endpoint,
        payload=payload,
        scope=scope,
        work=lambda s: action(s, holder["worker"]),
    )
    return created_or_replayed(result, 200 if endpoint == "nominee" else 201)


def created_or_replayed(result: dict[str, Any], status_code: int = 201) -> JSONResponse:
    """A replayed answer is 200 (contract); a new one keeps the route's status."""
    return JSONResponse(
        jsonable_encoder(result), status_code=200 if result.get("replayed") else status_code
    )


@router.post("/me/renewals", response_model=RenewalOut, status_code=201)
def me_renewal(
    body: RenewalIn | None = None,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
    key: str | None = Depends(idempotency_key),
) -> JSONResponse:
    body = body or RenewalIn()
    return _idempotent(
        "renewals",
        key,
        token,
        body.model_dump(),
        lambda s, w: renewal.request_renewal(s, ctx, w, body.scheme),
    )


@router.post("/me/claims", response_model=ClaimOut, status_code=201)
def me_claim(
    body: ClaimIn,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
    key: str | None = Depends(idempotency_key),
) -> JSONResponse:
    return _idempotent(
        "claims",
        key,
        token,
        body.model_dump(),
        lambda s, w: claims.file_claim(
            s,
            ctx,
            w,
            claim_type=body.claim_type,
            incident_date=body.incident_date,
            description=body.description,
            bank_account_last4=body.bank_account_last4,
            scheme=body.scheme,
        ),
    )


@router.put("/me/nominee", response_model=NomineeOut)
def me_nominee(
    body: NomineeIn,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
    key: str | None = Depends(idempotency_key),
) -> JSONResponse:
    return _idempotent(
        "nominee",
        key,
        token,
        body.model_dump(),
        lambda s, w: nominee.update_nominee(s, ctx, w, name=body.name, relation=body.relation),
    )


@router.post("/me/corrections", response_model=CorrectionOut, status_code=201)
def me_correction(
    body: CorrectionIn,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
    key: str | None = Depends(idempotency_key),
) -> JSONResponse:
    """My record is wrong: filed for an officer. Every field but the phone number needs the
    texted code; a phone number is corrected through an officer (the old number may be lost)."""
    holder: dict[str, Worker] = {}

    def scope(s: Any) -> str:
        strong = corrections.needs_code(body.field)
        holder["worker"] = verification.require_worker(s, token, strong=strong)
        return f"worker:{holder['worker'].id}"

    result = idempotency.run(
        key=key,
        endpoint="corrections",
        payload=corrections.fingerprint(body.field, body.value),
        scope=scope,
        work=lambda s: corrections.request_correction(
            s, ctx, holder["worker"], field=body.field, value=body.value
        ),
    )
    return created_or_replayed(result)


@router.post("/me/pension/restart-requests", response_model=RestartOut, status_code=201)
def me_pension_restart(
    body: RestartIn | None = None,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
    key: str | None = Depends(idempotency_key),
) -> JSONResponse:
    body = body or RestartIn()
    return _idempotent(
        "pension_restart",
        key,
        token,
        body.model_dump(),
        lambda s, w: pension.request_restart(s, ctx, w, body.note),
    )


@router.get("/workers/lookup-language", response_model=LanguageOut)
def lookup_language(
    phone: str = Query(max_length=40), ctx: Ctx = Depends(service_ctx)
) -> dict[str, Any]:
    with session_scope() as s:
        return status.lookup_language(s, ctx, phone)


@router.post("/me/cases/{reference}/withdraw", response_model=WithdrawOut)
def me_withdraw(
    reference: str,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
) -> dict[str, Any]:
    """The worker withdraws their own claim (the only move a worker makes on a case).

    Needs the texted code, like filing: whoever knows UAN + date of birth (a housemate) must not
    be able to give up the worker's claim for them."""
    with session_scope() as s:
        worker = verification.require_worker(s, token, strong=True)
        return decisions.withdraw(s, ctx, worker, reference[:40])


@router.get("/me/notices", response_model=list[NoticeOut])
def me_notices(token: str | None = Depends(verification_token)) -> list[dict[str, Any]]:
    """Decisions on the worker's cases, newest first (the assistant reads them out)."""
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        return notices.for_worker(s, worker)


@router.post("/me/notices/read", status_code=204)
def me_notices_read(
    body: NoticesReadIn, token: str | None = Depends(verification_token)
) -> JSONResponse:
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        notices.mark_read(s, worker, body.ids)
    return JSONResponse(None, status_code=204)


@router.put("/me/call-preference", response_model=CallPreferenceOut)
def me_call_preference(
    body: CallPreferenceIn,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
) -> dict[str, Any]:
    """Also read each decision aloud by an automated call (for those who cannot read SMS)."""
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        return {"notify_by_call": notices.set_call_preference(s, ctx, worker, body.notify_by_call)}


@router.post("/me/erasure", response_model=ErasureOut, status_code=201)
def me_erasure(
    ctx: Ctx = Depends(service_ctx), token: str | None = Depends(verification_token)
) -> dict[str, Any]:
    """The worker asks, after verification, for their conversations to be erased."""
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        return erasure.erase_worker(s, ctx, worker)
