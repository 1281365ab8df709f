"""Where a worker's money is: the one claim "has my money come?" is about, and what to say of it.

Why a rule of its own: a worker asking about money means the claim that was approved or paid
most recently, not the newest request of any kind; and the date they may expect it comes from
the office's own targets (settings: CASE_DUE_DAYS for a decision, PAYMENT_DUE_DAYS from approval
to payment), never from a number written into an answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# Claim states in which money is owed or was sent, newest of these wins over any other claim.
MONEY_STATES = frozenset({"approved", "paid"})
# Still being decided: the decision's due date is what the worker may expect.
DECIDING_STATES = frozenset({"submitted", "under_review", "documents_pending"})


@dataclass(frozen=True)
class ClaimMoney:
    """What the rule needs of one claim (newest first in the list given to `payment_of`)."""

    reference: str
    claim_type: str
    status: str
    amount_approved: int | None
    amount_paid: int | None
    paid_on: date | None
    approved_on: date | None  # the day its case became `approved`
    decision_due: date | None  # its case's due date (CASE_DUE_DAYS after filing)
    account_last4: str | None


def chosen_claim(claims: Sequence[ClaimMoney]) -> ClaimMoney | None:
    """The newest approved or paid claim; with none, the newest claim; None without claims."""
    for claim in claims:
        if claim.status in MONEY_STATES:
            return claim
    return claims[0] if claims else None


def payment_of(
    claims: Sequence[ClaimMoney], *, payment_days: int, today: date
) -> dict[str, Any] | None:
    """`payment` of GET /me/status (docs/contracts.md): amount, the day it was paid or is due,
    the account's last 4 digits only, and whether the office is past its own date."""
    claim = chosen_claim(claims)
    if claim is None:
        return None
    expected_by: date | None = None
    amount: int | None = None
    if claim.status == "paid":
        amount = claim.amount_paid
    elif claim.status == "approved":
        amount = claim.amount_approved
        if claim.approved_on is not None:
            expected_by = claim.approved_on + timedelta(days=payment_days)
    elif claim.status in DECIDING_STATES:
        expected_by = claim.decision_due
    last4 = claim.account_last4 if claim.account_last4 and len(claim.account_last4) == 4 else None
    return {
        "reference": claim.reference,
        "claim_type": claim.claim_type,
        "state": claim.status,
        "amount": amount,
        "paid_on": claim.paid_on if claim.status == "paid" else None,
        "expected_by": expected_by,
        "overdue": expected_by is not None and expected_by < today,
        "account_last4": last4,
    }
