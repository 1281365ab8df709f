"""One error type for every business refusal, carrying what the HTTP layer and adapters need.

The machine `code` is what adapters translate (locales); `message` is English for developers.
"""

from __future__ import annotations

from typing import Any

# Code -> HTTP status, fixed by docs/contracts.md.
STATUS_BY_CODE: dict[str, int] = {
    "invalid_input": 422,
    "invalid_uan": 422,
    "invalid_date": 422,
    "missing_field": 422,
    "idempotency_conflict": 422,
    "not_verified": 401,
    "locked_out": 423,
    "otp_required": 401,
    "wrong_otp": 401,
    "otp_expired": 401,
    "no_registered_phone": 409,
    "rate_limited": 429,
    "verification_required": 401,
    "not_renewable": 409,
    "nothing_to_renew": 409,
    "duplicate_claim": 409,
    "duplicate_correction": 409,
    "same_as_record": 409,
    "bank_account_mismatch": 409,
    "scheme_required": 409,
    "scheme_not_held": 409,
    "no_pension": 404,
    "pension_active": 409,
    "pension_not_due": 409,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "ticket_closed": 409,
    "invalid_transition": 409,
    "stale": 409,
    "no_officer_phone": 409,
    "call_failed": 502,
    "kb_unavailable": 503,
}


class DomainError(Exception):
    """A refusal with a machine code; `extra` adds fields such as `retry_after_s`."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        status: int | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status or STATUS_BY_CODE.get(code, 400)
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        body.update(self.extra)
        return body

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, status={self.status})"
