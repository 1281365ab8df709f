"""What the backend answers, as the actions read it: two exceptions and one frozen record per
kind of answer (docs/contracts.md). Kept apart from the client so the shapes read at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class BackendUnavailable(Exception):
    """The backend did not answer in time, could not be reached, or failed (5xx)."""


class BackendError(Exception):
    """The backend refused the request: `code` is the machine code from the contract."""

    def __init__(
        self, code: str, status: int, message: str = "", detail: dict[str, Any] | None = None
    ):
        super().__init__(f"{status} {code}: {message}")
        self.code = code
        self.status = status
        self.detail = detail or {}


@dataclass(frozen=True)
class Verification:
    token: str
    expires_at: str
    otp_required: bool
    preferred_language: str | None
    first_name: dict[str, str]
    level: str = "basic"  # "strong" once the texted code was typed
    phone_last2: str | None = None  # OTP_REQUIRED: /verify already texted the code here


@dataclass(frozen=True)
class Status:
    worker: dict[str, Any]
    enrollments: list[dict[str, Any]]
    renewals: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    pension: dict[str, Any] | None
    nominee: dict[str, Any] | None
    payment: dict[str, Any] | None = None  # the claim "has my money come?" is about


@dataclass(frozen=True)
class Written:
    """Answer of a write: the reference plus the rest of the body."""

    reference: str
    body: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: list[str]
    monthly_contribution: float | None
    government_contribution: float | None
    pension_at_60: float | None
    spouse_rules: list[str]
    decided: bool = True
    alternatives: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Handoff:
    ticket_id: str
    reference: str
    status: str
    officer_available: bool
    wait_minutes: int = 0


@dataclass(frozen=True)
class HandoffState:
    active: bool
    ticket_id: str | None
    replies: list[dict[str, Any]]
    reference: str = ""
    taken: bool = False  # an officer has it (assigned): the assistant stays quiet
    wait_minutes: int = 0
    officer_available: bool = True  # in office hours: else the wait is until the office opens


@dataclass(frozen=True)
class KbAnswer:
    id: str
    title: str
    text: str
    score: float
    scheme_name: str = ""  # the source scheme, in the asked language
    scheme: str = ""  # its code
    follow_up: str | None = None  # the step the answer invites ("eligibility_age", "claim")
    follow_values: dict[str, str] = field(default_factory=dict)  # e.g. {"claim_type": "medical"}
    personal: bool = False  # the real answer is in the worker's own record
