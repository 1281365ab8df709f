"""`payment` in GET /me/status: the claim "has my money come?" is about, through the real app
(SQLite and PostgreSQL), from filing to approval to payment; dates from the settings."""

from __future__ import annotations

from datetime import timedelta

from api.services.context import local_today
from api.settings import get_settings
from tests.casework.conftest import RINA_CLAIM, case_row, decide, file_claim, verify
from tests.factory import SUNITA


def _payment(http) -> dict:
    return http.get("/api/v1/me/status", headers=verify(http)).json()["payment"]


def test_a_claim_being_decided_is_due_by_its_case_date(officer) -> None:
    payment = _payment(officer)
    due = case_row(RINA_CLAIM)["due_at"]
    assert payment["reference"] == RINA_CLAIM and payment["state"] == "under_review"
    assert payment["amount"] is None and payment["paid_on"] is None
    assert payment["expected_by"] == (due + timedelta(hours=5, minutes=30)).date().isoformat()


def test_approved_then_paid_names_the_amount_date_and_last_4_digits_only(officer) -> None:
    ref = file_claim(officer)  # Rina's account ends 3307
    decide(officer, ref, status="under_review")
    decide(officer, ref, status="approved", amount=150000)
    approved = _payment(officer)  # an approved claim wins over the newer-looking open one
    expected = local_today() + timedelta(days=get_settings().payment_due_days)
    assert (approved["reference"], approved["state"], approved["amount"]) == (
        ref,
        "approved",
        150000,
    )
    assert approved["expected_by"] == expected.isoformat() and not approved["overdue"]
    assert approved["account_last4"] == "3307"
    paid_on = local_today().isoformat()
    decide(officer, ref, status="paid", amount=150000, paid_on=paid_on)
    paid = _payment(officer)
    assert (paid["state"], paid["amount"], paid["paid_on"], paid["expected_by"]) == (
        "paid",
        150000,
        paid_on,
        None,
    )


def test_the_payment_date_follows_the_setting(officer, monkeypatch) -> None:
    ref = file_claim(officer)
    decide(officer, ref, status="under_review")
    decide(officer, ref, status="approved", amount=1000)
    monkeypatch.setattr(get_settings(), "payment_due_days", 3)
    assert _payment(officer)["expected_by"] == (local_today() + timedelta(days=3)).isoformat()


def test_sunitas_paid_maternity_claim(client) -> None:
    headers = verify(client, SUNITA.uan, "20 November 1995")
    payment = client.get("/api/v1/me/status", headers=headers).json()["payment"]
    assert (payment["state"], payment["amount"], payment["paid_on"]) == ("paid", 5000, "2026-10-05")
    assert payment["account_last4"] and len(payment["account_last4"]) == 4
