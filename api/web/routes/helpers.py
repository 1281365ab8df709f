"""A helper asks to act for a worker (/api/v1/helpers/consent; docs/contracts.md, "A helper acts
for a worker"). The code goes to the worker's registered phone; /verify/otp grants the consent."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from api.db.session import session_scope
from api.services import helpers
from api.services.context import Ctx
from api.web.deps import require_service, service_ctx
from api.web.schemas_helpers import HelperConsentIn, HelperConsentOut

router = APIRouter(prefix="/api/v1", tags=["helpers"], dependencies=[Depends(require_service)])


@router.post("/helpers/consent", response_model=HelperConsentOut)
def ask_consent(body: HelperConsentIn, ctx: Ctx = Depends(service_ctx)) -> dict[str, Any]:
    with session_scope() as s:
        return helpers.ask(
            s,
            ctx,
            verification_token=body.verification_token,
            helper_name=body.helper_name,
            relation=body.relation,
        )
