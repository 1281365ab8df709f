"""Bodies of the family endpoints (/api/v1/family/*; docs/contracts.md, "Family claims")."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from api.web.schemas import Body, Channel, Lang, Name, SchemeCode, Short, Text

FamilyClaimType = Literal["death_funeral", "accident_death", "family_pension"]


class FamilyVerifyIn(Body):
    uan: Short
    date_of_birth: Short
    nominee_name: Name
    phone: Short | None = None  # web chat: the number typed; else the conversation's own
    channel: Channel = Channel.WEB
    language: Lang | None = None


class FamilyVerifyOut(BaseModel):
    verification_token: str
    expires_at: datetime
    level: Literal["basic", "strong"] = "basic"
    scope: Literal["family"] = "family"
    phone_last2: str
    claim_types: list[str]


class FamilyClaimIn(Body):
    claim_type: FamilyClaimType
    incident_date: Short
    description: Text
    bank_account_last4: Short
    scheme: SchemeCode | None = None


class FamilyClaimOut(BaseModel):
    reference: str
    claim_type: str
    scheme: str | None = None
    status: str
    documents_required: list[str]
    monthly_amount: int | None = None
    replayed: bool = False
