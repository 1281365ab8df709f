"""api/domain/payments.py: which claim a money question is about and the date to expect."""

from __future__ import annotations

from datetime import date

from api.domain.payments import ClaimMoney, payment_of

TODAY = date(2026, 12, 6)


def _claim(reference: str, status: str, **kw: object) -> ClaimMoney:
    values: dict = {
        "reference": reference,
        "claim_type": "medical",
        "status": status,
        "amount_approved": None,
        "amount_paid": None,
        "paid_on": None,
        "approved_on": None,
        "decision_due": None,
        "account_last4": "3307",
    }
    values.update(kw)
    return ClaimMoney(**values)


def test_no_claims_no_payment() -> None:
    assert payment_of([], payment_days=15, today=TODAY) is None


def test_the_newest_approved_or_paid_claim_wins_over_a_newer_open_one() -> None:
    claims = [
        _claim("CLM-3", "submitted", decision_due=date(2027, 1, 1)),
        _claim("CLM-2", "approved", amount_approved=900, approved_on=date(2026, 11, 10)),
        _claim("CLM-1", "paid", amount_paid=500, paid_on=date(2026, 10, 1)),
    ]
    payment = payment_of(claims, payment_days=15, today=TODAY)
    assert payment is not None
    assert (payment["reference"], payment["amount"], payment["expected_by"]) == (
        "CLM-2",
        900,
        date(2026, 11, 25),
    )
    assert payment["overdue"] is True  # 25 November has passed on 6 December


def test_paid_has_its_date_and_no_expected_date() -> None:
    claim = _claim("CLM-1", "paid", amount_paid=500, paid_on=date(2026, 10, 1))
    payment = payment_of([claim], payment_days=15, today=TODAY)
    assert payment is not None
    assert (payment["paid_on"], payment["expected_by"], payment["overdue"]) == (
        date(2026, 10, 1),
        None,
        False,
    )


def test_an_open_claim_is_due_by_its_decision_date_and_a_rejected_one_by_none() -> None:
    open_claim = _claim("CLM-1", "documents_pending", decision_due=date(2026, 12, 20))
    payment = payment_of([open_claim], payment_days=15, today=TODAY)
    assert payment is not None and payment["expected_by"] == date(2026, 12, 20)
    rejected = payment_of([_claim("CLM-1", "rejected")], payment_days=15, today=TODAY)
    assert rejected is not None and rejected["expected_by"] is None and rejected["amount"] is None


def test_never_more_than_four_digits_of_an_account() -> None:
    claim = _claim("CLM-1", "paid", account_last4="123456789012")
    payment = payment_of([claim], payment_days=15, today=TODAY)
    assert payment is not None and payment["account_last4"] is None
