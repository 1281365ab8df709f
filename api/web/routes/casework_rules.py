"""The casework rules as data, for the officers' console (read-only, any officer).

The console draws a decision's fields from here (what each move needs), the queue's status tabs
(the statuses of each kind) and the document picker (the documents of each claim type), so the
page holds no rule of its own: everything comes from api/domain/casework.py and the claim limits.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from api.db.session import session_scope
from api.domain import casework
from api.domain.claims import DOCUMENTS_BY_TYPE
from api.services import decisions, staff_auth
from api.web.deps import staff_token

router = APIRouter(prefix="/api/v1/staff/casework", tags=["casework"])


class MoveOut(BaseModel):
    source: str
    target: str
    roles: list[str]
    needs: list[str]


class KindOut(BaseModel):
    statuses: list[str]
    initial: str
    open: list[str]
    moves: list[MoveOut]
    reasons: list[str]


class RulesOut(BaseModel):
    kinds: dict[str, KindOut]
    claim_documents: dict[str, list[str]]
    claim_limits: dict[str, int]
    call_outcomes: list[str]
    max_call_attempts: int


def rules_view() -> dict[str, Any]:
    kinds = {
        kind: {
            "statuses": list(casework.STATUSES[kind]),
            "initial": casework.INITIAL_STATUS[kind],
            "open": [s for s in casework.STATUSES[kind] if casework.is_open(kind, s)],
            "moves": [
                {
                    "source": rule.source,
                    "target": rule.target,
                    "roles": sorted(str(role) for role in rule.roles),
                    "needs": sorted(str(need) for need in rule.needs),
                }
                for rule in casework.RULES[kind]
            ],
            "reasons": list(casework.REJECTION_REASONS.get(kind, ())),
        }
        for kind in casework.KINDS
    }
    return {
        "kinds": kinds,
        "claim_documents": {k: list(v) for k, v in DOCUMENTS_BY_TYPE.items()},
        "claim_limits": decisions.claim_limits(),
        "call_outcomes": list(casework.CALL_OUTCOMES),
        "max_call_attempts": casework.MAX_CALL_ATTEMPTS,
    }


@router.get("/rules", response_model=RulesOut)
def casework_rules(token: str | None = Depends(staff_token)) -> dict[str, Any]:
    """Each kind's statuses (open ones too), its moves (from, to, who, what each needs) and
    rejection reasons; the documents and the highest amount of each claim type."""
    with session_scope() as s:
        staff_auth.user_for_token(s, token)
    return rules_view()
