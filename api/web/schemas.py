"""Typed request/response bodies of /api/v1 (docs/contracts.md is the source of truth).

Strings have hard length limits so a 10 kB paste is a clear 422, not a stored blob. Numbers may
arrive as text in any digit script ("৩২") and are normalised before validation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from api.domain.digits import ascii_digits
from api.domain.parsing import parse_age, parse_amount

Lang = Literal["bn", "hi", "en"]
Channel = Literal["voice", "whatsapp", "sms", "web", "console", "office"]
SchemeCode = Literal["eshram", "pm_sym", "bocw_welfare", "state_social_security"]
ClaimType = Literal[
    "accident_death",
    "accident_disability",
    "death_funeral",
    "medical",
    "maternity",
    "education",
    "pension",
]
Relation = Literal[
    "husband", "wife", "son", "daughter", "mother", "father", "brother", "sister", "other"
]
FeedbackCategory = Literal["complaint", "suggestion", "bribery", "no_response", "other"]

Short = Annotated[str, StringConstraints(max_length=64, strip_whitespace=True)]
Name = Annotated[str, StringConstraints(max_length=120, strip_whitespace=True)]
Text = Annotated[str, StringConstraints(max_length=2000, strip_whitespace=True)]
Token = Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)]


def _number(parser: Any) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, str):
            if len(value) > 64:
                return value  # let validation reject it as not an integer
            parsed = parser(ascii_digits(value))
            return parsed if parsed is not None else value
        return value

    return BeforeValidator(convert)


Age = Annotated[int, _number(parse_age), Field(ge=0, le=120)]
Amount = Annotated[int, _number(parse_amount), Field(ge=0, le=100_000_000)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class VerifyIn(Body):
    uan: Short
    date_of_birth: Short
    channel: Channel = "web"


class VerifyOut(BaseModel):
    verification_token: str
    expires_at: datetime
    otp_required: bool
    preferred_language: str
    first_name: dict[str, str]


class OtpIn(Body):
    verification_token: Token
    code: Short


class OtpOut(BaseModel):
    verification_token: str
    expires_at: datetime


class WorkerOut(BaseModel):
    first_name: dict[str, str]
    preferred_language: str
    bank_account_last4: str | None


class EnrollmentOut(BaseModel):
    scheme: str
    member_id: str | None
    status: str
    valid_until: date | None
    renewable: bool


class RenewalLine(BaseModel):
    reference: str
    scheme: str
    status: str
    created_at: datetime


class ClaimLine(BaseModel):
    reference: str
    type: str
    status: str
    submitted_on: date
    amount_claimed: int | None
    amount_paid: int | None
    paid_on: date | None
    documents_pending: list[str]
    next_step: str


class PensionOut(BaseModel):
    scheme: str
    monthly_amount: int
    status: str
    stop_reason: str | None
    stopped_on: date | None
    last_paid_on: date | None
    restart_steps: list[str]


class NomineeLine(BaseModel):
    name: str
    relation: str


class StatusOut(BaseModel):
    worker: WorkerOut
    enrollments: list[EnrollmentOut]
    renewals: list[RenewalLine]
    claims: list[ClaimLine]
    pension: PensionOut | None
    nominee: NomineeLine | None


class RenewalIn(Body):
    scheme: SchemeCode | None = None


class RenewalOut(BaseModel):
    reference: str
    scheme: str
    status: str
    next_steps: list[str]
    replayed: bool = False


class ClaimIn(Body):
    claim_type: ClaimType
    incident_date: Short
    description: Text
    bank_account_last4: Short


class ClaimOut(BaseModel):
    reference: str
    claim_type: str
    status: str
    documents_required: list[str]
    replayed: bool = False


class NomineeIn(Body):
    name: Name
    relation: Relation


class NomineeOut(BaseModel):
    name: str
    relation: str
    reference: str
    replayed: bool = False


class RestartIn(Body):
    note: Text | None = None


class RestartOut(BaseModel):
    reference: str
    status: str
    restart_steps: list[str]
    replayed: bool = False


class EligibilityIn(Body):
    age: Age
    monthly_income: Amount
    epf_member: bool = False
    nps_member: bool = False
    esic_member: bool = False
    income_tax_payer: bool = False


class EligibilityOut(BaseModel):
    eligible: bool
    reasons: list[str]
    monthly_contribution: int | None
    government_contribution: int | None
    pension_at_60: int
    spouse_rules: list[str]


class LanguageOut(BaseModel):
    preferred_language: str


class FeedbackIn(Body):
    category: FeedbackCategory
    text: Text
    channel: Channel
    language: Lang
    verification_token: Token | None = None


class FeedbackOut(BaseModel):
    reference: str
    category: str
    status: str
    replayed: bool = False


class TranscriptLine(Body):
    sender: Literal["user", "bot"]
    text: Text
    at: datetime | None = None


class HandoffIn(Body):
    conversation_id: Annotated[
        str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)
    ]
    channel: Channel
    language: Lang
    reason: Text = ""
    transcript: list[TranscriptLine] = Field(default_factory=list, max_length=200)
    verification_token: Token | None = None


class RelayIn(Body):
    conversation_id: Annotated[
        str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)
    ]
    text: Text = ""


class HandoffOut(BaseModel):
    ticket_id: int
    reference: str
    status: str
    officer_available: bool


class Reply(BaseModel):
    text: str
    at: datetime


class ActiveOut(BaseModel):
    active: bool
    ticket_id: int | None = None
    replies: list[Reply] = Field(default_factory=list)


class KbIn(Body):
    question: Annotated[
        str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)
    ]
    language: Lang


class KbAnswer(BaseModel):
    id: str
    title: str
    text: str
    score: float


class KbOut(BaseModel):
    answers: list[KbAnswer]
    method: str


class HealthOut(BaseModel):
    status: str
    database: str


class LoginIn(Body):
    username: Short
    password: Annotated[str, StringConstraints(max_length=200)]


class StaffOut(BaseModel):
    username: str
    name: str
    languages: list[str]


class StaffReplyIn(Body):
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]


class MessageOut(BaseModel):
    sender: str
    text: str
    at: datetime


class TicketOut(BaseModel):
    id: int
    reference: str
    conversation_id: str
    channel: str
    language: str
    reason: str
    status: str
    verified_worker: bool
    assigned_to: int | None
    assigned_name: str | None = None  # the officer handling it, so two do not answer at once
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    messages: list[MessageOut] | None = None


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorOut(BaseModel):
    error: ErrorBody
