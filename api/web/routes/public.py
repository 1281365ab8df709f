"""Anonymous-capable services: PM-SYM eligibility, feedback, hand-off to an officer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from api.db.session import session_scope
from api.services import callbacks, eligibility, feedback, handoff, idempotency, verification
from api.services.context import Ctx
from api.web.case_schemas import CallbackIn, CallbackOut
from api.web.deps import idempotency_key, require_service, service_ctx, with_body_token
from api.web.routes.worker import created_or_replayed
from api.web.schemas import (
    ActiveOut,
    EligibilityIn,
    EligibilityOut,
    FeedbackIn,
    FeedbackOut,
    HandoffIn,
    HandoffOut,
    RelayIn,
)

router = APIRouter(prefix="/api/v1", tags=["public"], dependencies=[Depends(require_service)])


@router.post("/eligibility/pm-sym", response_model=EligibilityOut)
def pm_sym(body: EligibilityIn) -> dict[str, Any]:
    return eligibility.pm_sym(**body.model_dump())


@router.post("/feedback", response_model=FeedbackOut, status_code=201)
def submit_feedback(
    body: FeedbackIn, ctx: Ctx = Depends(service_ctx), key: str | None = Depends(idempotency_key)
) -> JSONResponse:
    ctx = with_body_token(ctx, body.verification_token)
    holder: dict[str, Any] = {}

    def scope(s: Any) -> str:
        holder["worker"] = verification.optional_worker(s, body.verification_token)
        return f"worker:{holder['worker'].id}" if holder["worker"] else "anonymous"

    payload = body.model_dump(exclude={"verification_token"})
    result = idempotency.run(
        key=key,
        endpoint="feedback",
        payload=payload,
        scope=scope,
        work=lambda s: feedback.submit(
            s,
            ctx,
            category=body.category,
            text=body.text,
            channel=body.channel,
            language=body.language,
            worker=holder["worker"],
        ),
    )
    return created_or_replayed(result)


@router.post("/handoffs", response_model=HandoffOut, status_code=201)
def create_handoff(body: HandoffIn, ctx: Ctx = Depends(service_ctx)) -> dict[str, Any]:
    ctx = with_body_token(ctx, body.verification_token)
    with session_scope() as s:
        worker = verification.optional_worker(s, body.verification_token)
        return handoff.create(
            s,
            ctx,
            conversation_id=body.conversation_id,
            channel=body.channel,
            language=body.language,
            reason=body.reason,
            transcript=[line.model_dump() for line in body.transcript],
            worker=worker,
        )


@router.get("/handoffs/active", response_model=ActiveOut)
def active_handoff(conversation_id: str = Query(min_length=1, max_length=200)) -> dict[str, Any]:
    with session_scope() as s:
        return handoff.active(s, conversation_id)


@router.post("/handoffs/relay", response_model=ActiveOut)
def relay_handoff(body: RelayIn) -> dict[str, Any]:
    """While an officer has the conversation: file what the worker wrote, return the replies."""
    with session_scope() as s:
        return handoff.relay(s, body.conversation_id, body.text)


@router.post("/handoffs/withdraw", response_model=ActiveOut)
def withdraw_handoff(body: RelayIn, ctx: Ctx = Depends(service_ctx)) -> dict[str, Any]:
    """The worker cancels a hand-over no officer has taken yet (the assistant serves them on)."""
    with session_scope() as s:
        return handoff.withdraw(s, ctx, body.conversation_id)


@router.post("/callbacks", response_model=CallbackOut, status_code=201)
def request_callback(
    body: CallbackIn, ctx: Ctx = Depends(service_ctx), key: str | None = Depends(idempotency_key)
) -> JSONResponse:
    """The assistant asks for an officer to ring the worker (web, WhatsApp, SMS): a call-back
    case on the given number, the conversation's number, or the verified worker's phone."""
    ctx = with_body_token(ctx, body.verification_token)
    holder: dict[str, Any] = {}

    def scope(s: Any) -> str:
        holder["worker"] = verification.optional_worker(s, body.verification_token)
        return f"worker:{holder['worker'].id}" if holder["worker"] else "anonymous"

    result = idempotency.run(
        key=key,
        endpoint="callbacks",
        payload=body.model_dump(exclude={"verification_token"}, mode="json"),
        scope=scope,
        work=lambda s: callbacks.request(
            s,
            ctx,
            conversation_id=body.conversation_id,
            channel=body.channel,
            language=body.language,
            phone=body.phone,
            reason=body.reason,
            transcript=[line.model_dump() for line in body.transcript],
            worker=holder["worker"],
        ),
    )
    return created_or_replayed(result)
