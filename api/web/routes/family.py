"""A family member files for a worker who died: the family check, family claims and their
tracking (/api/v1/family/*; docs/contracts.md, "Family claims")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse

from api.db.models import VerificationSession, Worker
from api.db.session import session_scope
from api.services import family, family_claims, idempotency
from api.services.context import Ctx
from api.web.deps import idempotency_key, require_service, service_ctx, verification_token
from api.web.routes.worker import created_or_replayed
from api.web.schemas_family import FamilyClaimIn, FamilyClaimOut, FamilyVerifyIn, FamilyVerifyOut
from api.web.schemas_selfservice import TrackedRequestOut

router = APIRouter(prefix="/api/v1", tags=["family"], dependencies=[Depends(require_service)])


@router.post("/family/verify", response_model=FamilyVerifyOut)
def family_verify(body: FamilyVerifyIn, ctx: Ctx = Depends(service_ctx)) -> dict[str, Any]:
    """UAN + date of birth + the nominee's name; the code goes to the caller's phone."""
    ctx = Ctx(actor=ctx.actor, request_id=ctx.request_id, channel=body.channel)
    with session_scope() as s:
        return family.verify(
            s,
            ctx,
            uan=body.uan,
            date_of_birth=body.date_of_birth,
            nominee_name=body.nominee_name,
            phone=body.phone,
            channel=body.channel,
            language=body.language,
        )


@router.post("/family/claims", response_model=FamilyClaimOut, status_code=201)
def family_claim(
    body: FamilyClaimIn,
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
    key: str | None = Depends(idempotency_key),
) -> JSONResponse:
    holder: dict[str, tuple[VerificationSession, Worker]] = {}

    def scope(s: Any) -> str:
        holder["who"] = family.require_family(s, token, strong=True)
        return f"family:{holder['who'][0].id}"

    def work(s: Any) -> dict[str, Any]:
        vs, worker = holder["who"]
        return family_claims.file_claim(
            s,
            ctx,
            vs,
            worker,
            claim_type=body.claim_type,
            incident_date=body.incident_date,
            description=body.description,
            bank_account_last4=body.bank_account_last4,
            scheme=body.scheme,
        )

    result = idempotency.run(
        key=key, endpoint="family_claims", payload=body.model_dump(), scope=scope, work=work
    )
    return created_or_replayed(result)


@router.get("/family/requests/{reference}", response_model=TrackedRequestOut)
def family_request(
    reference: str = Path(min_length=1, max_length=60),
    ctx: Ctx = Depends(service_ctx),
    token: str | None = Depends(verification_token),
) -> dict[str, Any]:
    """A claim the family filed for this worker; anything else is 404 like an unknown one."""
    with session_scope() as s:
        _, worker = family.require_family(s, token)
        try:
            return family_claims.track(s, ctx, worker, reference)
        finally:
            s.commit()  # keep the audit row of a search that found nothing too
