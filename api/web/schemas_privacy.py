"""Bodies of the erasure endpoints (docs/contracts.md: `POST /me/erasure`, `/staff/erasures`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, StringConstraints, model_validator

from api.web.schemas import Body


class ErasureCounts(BaseModel):
    conversations: int
    handoff_messages: int
    calls: int
    outbound_messages: int


class ErasureOut(BaseModel):
    reference: str
    erased: ErasureCounts


class StaffErasureIn(Body):
    """Whose conversations: a ticket's caller, or a worker by UAN; and how the officer knew."""

    ticket_id: int | None = None
    uan: Annotated[str, StringConstraints(max_length=32, strip_whitespace=True)] | None = None
    note: Annotated[str, StringConstraints(min_length=3, max_length=500, strip_whitespace=True)]

    @model_validator(mode="after")
    def _one_subject(self) -> StaffErasureIn:
        if (self.ticket_id is None) == (self.uan is None):
            raise ValueError("give exactly one of ticket_id or uan")
        return self
