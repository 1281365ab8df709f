"""Self-service a worker needs without an officer: follow a request by its reference, and have
a lost UAN texted to the registered phone (docs/contracts.md, "Self-service")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse

from api.db.session import session_scope
from api.services import idempotency, lost_uan, tracking, verification
from api.services.context import Ctx
from api.web.deps import idempotency_key, require_service, service_ctx, verification_token
from api.web.routes.worker import created_or_replayed
from api.web.schemas_selfservice import (
    ComplaintStatusOut,
    TrackedRequestOut,
    UanRecoverIn,
    UanRecoverOut,
)

router = APIRouter(prefix="/api/v1", tags=["self-service"], dependencies=[Depends(require_service)])
Reference = Path(min_length=1, max_length=60)


@router.get("/me/requests/{reference}", response_model=TrackedRequestOut)
def me_request(
    reference: str = Reference,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
) -> dict[str, Any]:
    """One of the worker's own requests, any kind; someone else's is 404 like an unknown one."""
    with session_scope() as s:
        worker = verification.require_worker(s, token)
        try:
            return tracking.track_for_worker(s, ctx, worker, reference)
        finally:
            s.commit()  # keep the audit row of a search that found nothing too


@router.get("/complaints/{reference}", response_model=ComplaintStatusOut)
def complaint_status(reference: str = Reference) -> dict[str, Any]:
    """A complaint's status before verification (complaints may be anonymous): status only."""
    with session_scope() as s:
        return tracking.track_complaint(s, reference)


@router.post("/uan/recover", response_model=UanRecoverOut)
def recover_uan(
    body: UanRecoverIn, ctx: Ctx = Depends(service_ctx), key: str | None = Depends(idempotency_key)
) -> JSONResponse:
    """Always `{accepted: true}`: an SMS goes to the registered phone only if the details match."""
    phone = lost_uan.read_phone(body.phone)
    result = idempotency.run(
        key=key,
        endpoint="uan_recover",
        payload=body.model_dump(mode="json"),
        scope=lambda s: lost_uan.phone_key(phone),
        work=lambda s: lost_uan.recover(
            s,
            ctx,
            phone=phone,
            date_of_birth=body.date_of_birth,
            language=body.language,
        ),
    )
    return created_or_replayed(result, 200)
