"""Bodies of the self-service routes: track a request by its reference, recover a lost UAN."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from api.web.schemas import Body, Lang, Short


class TimelineStep(BaseModel):
    at: datetime
    status: str
    reason: str | None = None
    amount: int | None = None
    paid_on: date | None = None
    documents: list[str] = []


class TrackedRequestOut(BaseModel):
    reference: str
    kind: str  # claim | renewal | restart | complaint | callback | nominee | erasure | handoff
    status: str
    open: bool
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None = None
    timeline: list[TimelineStep]
    details: dict[str, Any]
    also: list[str] = []  # other own requests the same bare number fits, newest first


class ComplaintStatusOut(BaseModel):
    reference: str
    kind: str
    status: str
    open: bool
    updated_at: datetime


class UanRecoverIn(Body):
    phone: Short
    date_of_birth: Short
    language: Lang | None = None


class UanRecoverOut(BaseModel):
    accepted: bool
    replayed: bool = False
