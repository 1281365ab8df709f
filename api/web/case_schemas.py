"""Typed bodies of the casework endpoints: the officers' queue, a case, decisions, call-backs,
the dashboard, officer accounts, and the worker's notices (docs/contracts.md, "Casework")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, field_validator

from api.domain import casework
from api.web.schemas import Body, Channel, Lang, Short, Text, Token, TranscriptLine

CaseKind = casework.CaseKind
Code = Annotated[str, StringConstraints(max_length=60, strip_whitespace=True)]
Note = Annotated[str, StringConstraints(max_length=2000, strip_whitespace=True)]


class CaseLine(BaseModel):
    reference: str
    kind: str
    status: str
    open: bool
    version: int
    language: str
    channel: str
    district: str
    scheme: str | None
    assigned_to: int | None
    created_at: datetime
    updated_at: datetime
    due_at: datetime | None
    overdue: bool
    closed_at: datetime | None


class CaseQueueOut(BaseModel):
    items: list[CaseLine]
    total: int
    counts: dict[str, int]
    limit: int
    offset: int


class TimelineEvent(BaseModel):
    at: datetime
    actor: str
    role: str
    from_: str | None = Field(default=None, alias="from", serialization_alias="from")
    to: str
    version: int
    reason: str | None
    amount: int | None
    paid_on: date | None
    documents: list[str]
    note: str

    model_config = {"populate_by_name": True}


class HandoffLink(BaseModel):
    id: int
    reference: str
    channel: str
    language: str
    status: str
    created_at: datetime


class HelperActed(BaseModel):
    at: datetime
    action: str
    outcome: str


class HelperOut(BaseModel):
    name: str
    relation: str
    granted_at: datetime | None
    audit: list[HelperActed]


class CaseDetailOut(CaseLine):
    timeline: list[TimelineEvent]
    request: dict[str, Any]
    worker: dict[str, Any] | None
    handoffs: list[HandoffLink]
    allowed: list[str]
    reason_codes: list[str]
    helper: HelperOut | None = None  # filed by a helper acting for the worker, with consent


class DecisionIn(Body):
    status: Code
    version: int = Field(ge=1)
    reason: Code | None = None
    amount: int | None = Field(default=None, ge=-100_000_000, le=100_000_000)
    documents: list[Code] = Field(default_factory=list, max_length=20)
    note: Note = ""
    paid_on: date | None = None

    @field_validator("status")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in casework.ALL_STATUSES:
            raise ValueError(f"unknown status; one of {', '.join(casework.ALL_STATUSES)}")
        return value

    def decision(self) -> casework.Decision:
        return casework.Decision(
            status=self.status,
            version=self.version,
            reason=self.reason or None,
            amount=self.amount,
            documents=tuple(self.documents),
            note=self.note,
            paid_on=self.paid_on,
        )


class CallIn(Body):
    version: int = Field(ge=1)
    outcome: Literal["reached", "no_answer", "wrong_number"] | None = None
    note: Note = ""


class CallOut(BaseModel):
    reference: str
    call_sid: str
    to: str


class CallbackIn(Body):
    conversation_id: Annotated[
        str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)
    ]
    channel: Channel
    language: Lang
    phone: Short | None = None
    reason: Text = ""
    transcript: list[TranscriptLine] = Field(default_factory=list, max_length=200)
    verification_token: Token | None = None


class CallbackOut(BaseModel):
    reference: str
    status: str
    due_at: datetime | None
    replayed: bool = False


class OpenCasesOut(BaseModel):
    total: int
    by: dict[str, dict[str, int]]
    oldest_created_at: datetime | None
    oldest_age_days: float | None
    past_due: int
    callbacks_waiting: int


class ConversationRow(BaseModel):
    channel: str
    language: str
    conversations: int | None
    handed_over: int
    without_person_share: float | None


class DashboardOut(BaseModel):
    generated_at: datetime
    period_days: int
    open_cases: OpenCasesOut
    conversations: list[ConversationRow]
    without_person_share: float | None
    outbox_failed: int


class FailedOutboxItem(BaseModel):
    kind: Literal["message", "call"]
    id: int
    to: str  # the last four digits only
    channel: str
    reason: str
    attempts: int
    last_error: str
    failed_at: datetime


class FailedOutboxOut(BaseModel):
    total: int
    items: list[FailedOutboxItem]


class OfficerIn(Body):
    username: Short
    password: Annotated[str, StringConstraints(max_length=200)]
    name: Annotated[str, StringConstraints(max_length=120, strip_whitespace=True)] = ""
    role: Literal["officer", "supervisor"] = "officer"
    languages: list[Lang] = Field(default_factory=lambda: list(Lang), max_length=3)
    district: Annotated[str, StringConstraints(max_length=60, strip_whitespace=True)] = ""
    phone: Short | None = None


class OfficerOut(BaseModel):
    username: str
    name: str
    role: str
    languages: list[str]
    district: str
    phone: str | None
    active: bool
    totp: bool = False  # has an authenticator-app second factor
    created_at: datetime


class PasswordIn(Body):
    password: Annotated[str, StringConstraints(max_length=200)]


TotpCode = Annotated[str, StringConstraints(max_length=12)]


class TotpCodeIn(Body):
    code: TotpCode


class TotpConfirmIn(Body):
    ticket: Annotated[str, StringConstraints(max_length=400)]
    code: TotpCode


class TotpStateOut(BaseModel):
    enabled: bool


class TotpSetupOut(BaseModel):
    """Shown once: the secret (whole and in groups of four) and the otpauth:// link."""

    secret: str
    secret_groups: str
    uri: str
    ticket: str  # sent back with the app's first code; the secret sealed for this officer
    expires_in_s: int


class NoticeOut(BaseModel):
    id: int
    reference: str
    status: str
    language: str
    text: str
    at: datetime
    read: bool


class NoticesReadIn(Body):
    ids: list[int] = Field(min_length=1, max_length=100)


class WithdrawOut(BaseModel):
    reference: str
    status: str
    version: int


class CallPreferenceIn(Body):
    notify_by_call: bool


class CallPreferenceOut(BaseModel):
    notify_by_call: bool
