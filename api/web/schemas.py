"""Typed request/response bodies of /api/v1 (docs/contracts.md is the source of truth).

Strings have hard length limits so a 10 kB paste is a clear 422, not a stored blob. Numbers may
arrive as text in any digit script ("৩২") and are normalised before validation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from api.domain import codes
from api.domain.digits import ascii_digits
from api.domain.parsing import parse_age, parse_amount

# The code lists of api/domain/codes.py, under the names the routes use.
Lang = codes.Language
Channel = codes.Channel
SchemeCode = codes.Scheme
ClaimType = codes.ClaimType
Relation = codes.Relation
FeedbackCategory = codes.FeedbackCategory

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
    channel: Channel = Channel.WEB


class VerifyOut(BaseModel):
    verification_token: str
    expires_at: datetime
    level: Literal["basic", "strong"] = "basic"
    otp_required: bool
    phone_last2: str | None = None  # set when OTP_REQUIRED already texted the code
    preferred_language: str
    first_name: dict[str, str]


class OtpIn(Body):
    verification_token: Token
    code: Short


class OtpOut(BaseModel):
    verification_token: str
    expires_at: datetime
    level: Literal["basic", "strong"] = "strong"


class OtpSendIn(Body):
    verification_token: Token


class OtpSendOut(BaseModel):
    sent: bool
    code_expires_at: datetime
    phone_last2: str


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
    scheme: str | None = None
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
    restart_possible: bool


class NomineeLine(BaseModel):
    name: str
    relation: str


class PaymentOut(BaseModel):
    """Where the worker's money is: the claim it is about (api/domain/payments.py)."""

    reference: str
    claim_type: str
    state: str
    amount: int | None
    paid_on: date | None
    expected_by: date | None
    overdue: bool
    account_last4: str | None


class StatusOut(BaseModel):
    worker: WorkerOut
    enrollments: list[EnrollmentOut]
    renewals: list[RenewalLine]
    claims: list[ClaimLine]
    pension: PensionOut | None
    nominee: NomineeLine | None
    payment: PaymentOut | None


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
    scheme: SchemeCode | None = None


class ClaimOut(BaseModel):
    reference: str
    claim_type: str
    scheme: str | None = None
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


class CorrectionIn(Body):
    field: codes.CorrectionField
    value: Annotated[str, StringConstraints(max_length=600, strip_whitespace=True)]


class CorrectionOut(BaseModel):
    reference: str
    field: str
    status: str
    documents: list[list[str]]
    replayed: bool = False


class RestartIn(Body):
    note: Text | None = None


class RestartOut(BaseModel):
    reference: str
    status: str
    restart_steps: list[str]
    replayed: bool = False


class EligibilityIn(Body):
    """What is known so far: an unknown answer is left out (null), not guessed."""

    age: Age | None = None
    monthly_income: Amount | None = None
    epf_member: bool | None = None
    nps_member: bool | None = None
    esic_member: bool | None = None
    income_tax_payer: bool | None = None


class EligibilityOut(BaseModel):
    eligible: bool
    decided: bool
    next_question: str | None
    reasons: list[str]
    alternatives: list[str]
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
    wait_minutes: int = 0


class Reply(BaseModel):
    text: str
    at: datetime


class ActiveOut(BaseModel):
    active: bool
    ticket_id: int | None = None
    reference: str | None = None
    status: str | None = None  # open (waiting) | assigned (an officer has it)
    officer_available: bool | None = None
    wait_minutes: int | None = None
    replies: list[Reply] = Field(default_factory=list)


class KbIn(Body):
    question: Annotated[
        str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)
    ]
    language: Lang


class KbFollowUp(BaseModel):
    step: str
    values: dict[str, str] | None = None


class KbAnswer(BaseModel):
    id: str
    title: str
    text: str
    score: float
    confidence: float
    scheme: str | None
    scheme_name: str | None
    source: str
    follow_up: KbFollowUp | None
    personal: bool


class KbOut(BaseModel):
    answers: list[KbAnswer]
    method: Literal["embedding", "keyword"]
    reason: (
        Literal["below_threshold", "not_covered", "empty_question", "uncalibrated", "fact_not_held"]
        | None
    )
    threshold: float | None


class HealthOut(BaseModel):
    status: str
    database: str


class LoginIn(Body):
    username: Short
    password: Annotated[str, StringConstraints(max_length=200)]
    # the 6-digit code of an officer's authenticator app, when they have a second factor
    code: Annotated[str, StringConstraints(max_length=12)] | None = None


class StaffOut(BaseModel):
    username: str
    name: str
    languages: list[str]
    role: str = "officer"
    district: str = ""
    phone: str | None = None


class StaffReplyIn(Body):
    text: Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]


class MessageOut(BaseModel):
    sender: str
    text: str
    at: datetime


class TicketOut(BaseModel):
    """A ticket as officers see it: its reference, never the conversation id (the assistant's
    sender; on the web, the key to a visitor's conversation)."""

    id: int
    reference: str
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
