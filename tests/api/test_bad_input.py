"""Bad input to every endpoint gets a clear 4xx `{"error": ...}` and writes nothing."""

from __future__ import annotations

import pytest

from tests.api.conftest import SERVICE_HEADERS as H
from tests.api.conftest import count_rows, verify
from tests.factory import RINA

LONG = "x" * 10_000
SQL = "'; DROP TABLE workers; --"

# (method, path, needs_verified_worker, bad body or query, expected codes)
CASES: list[tuple[str, str, bool, dict, set[str]]] = [
    ("POST", "/api/v1/verify", False, {}, {"missing_field"}),
    (
        "POST",
        "/api/v1/verify",
        False,
        {"uan": 100000000001, "date_of_birth": RINA.dob},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/verify",
        False,
        {"uan": "12345", "date_of_birth": RINA.dob},
        {"invalid_uan"},
    ),
    ("POST", "/api/v1/verify", False, {"uan": SQL, "date_of_birth": RINA.dob}, {"invalid_uan"}),
    (
        "POST",
        "/api/v1/verify",
        False,
        {"uan": LONG, "date_of_birth": RINA.dob},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/verify",
        False,
        {"uan": "১০০০০০০০০০০১", "date_of_birth": "৩১/০২/১৯৮৮"},
        {"invalid_date"},
    ),
    (
        "POST",
        "/api/v1/verify",
        False,
        {"uan": RINA.uan, "date_of_birth": RINA.dob, "channel": "fax"},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/verify/otp",
        False,
        {"verification_token": "nope", "code": "123456"},
        {"verification_required"},
    ),
    (
        "POST",
        "/api/v1/verify/otp",
        False,
        {"verification_token": LONG, "code": "1"},
        {"invalid_input"},
    ),
    ("POST", "/api/v1/me/claims", True, {}, {"missing_field"}),
    (
        "POST",
        "/api/v1/me/claims",
        True,
        {
            "claim_type": "lottery",
            "incident_date": "2026-11-01",
            "description": "x",
            "bank_account_last4": "3307",
        },
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/me/claims",
        True,
        {
            "claim_type": "medical",
            "incident_date": "yesterday-ish",
            "description": "x",
            "bank_account_last4": "3307",
        },
        {"invalid_date"},
    ),
    (
        "POST",
        "/api/v1/me/claims",
        True,
        {
            "claim_type": "medical",
            "incident_date": "२०२६-११-०१",
            "description": LONG,
            "bank_account_last4": "3307",
        },
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/me/claims",
        True,
        {
            "claim_type": "medical",
            "incident_date": "2026-11-01",
            "description": "",
            "bank_account_last4": "3307",
        },
        {"missing_field"},
    ),
    (
        "POST",
        "/api/v1/me/claims",
        True,
        {
            "claim_type": "medical",
            "incident_date": "2026-11-01",
            "description": "x",
            "bank_account_last4": SQL,
        },
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/me/claims",
        True,
        {
            "claim_type": ["medical"],
            "incident_date": 5,
            "description": None,
            "bank_account_last4": 3307,
        },
        {"invalid_input"},
    ),
    ("POST", "/api/v1/me/renewals", True, {"scheme": "lottery"}, {"invalid_input"}),
    ("PUT", "/api/v1/me/nominee", True, {"name": "Tapas", "relation": "cousin"}, {"invalid_input"}),
    ("PUT", "/api/v1/me/nominee", True, {"name": LONG, "relation": "wife"}, {"invalid_input"}),
    ("PUT", "/api/v1/me/nominee", True, {"name": "১২৩৪", "relation": "wife"}, {"invalid_input"}),
    ("PUT", "/api/v1/me/nominee", True, {"relation": "wife"}, {"missing_field"}),
    ("POST", "/api/v1/me/pension/restart-requests", True, {"note": LONG}, {"invalid_input"}),
    (
        "POST",
        "/api/v1/eligibility/pm-sym",
        False,
        {"age": "old", "monthly_income": 100},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/eligibility/pm-sym",
        False,
        {"age": 30, "monthly_income": -5},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/eligibility/pm-sym",
        False,
        {"age": 30, "monthly_income": 100, "epf_member": "maybe"},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/eligibility/pm-sym",
        False,
        {"age": LONG, "monthly_income": 100},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/feedback",
        False,
        {"category": "praise", "text": "x", "channel": "sms", "language": "bn"},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/feedback",
        False,
        {"category": "complaint", "text": LONG, "channel": "sms", "language": "bn"},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/feedback",
        False,
        {"category": "complaint", "text": "  ", "channel": "sms", "language": "bn"},
        {"missing_field"},
    ),
    (
        "POST",
        "/api/v1/feedback",
        False,
        {"category": "complaint", "text": SQL, "channel": "sms", "language": "fr"},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/feedback",
        False,
        {
            "category": "complaint",
            "text": "x",
            "channel": "sms",
            "language": "bn",
            "verification_token": "bad",
        },
        {"verification_required"},
    ),
    (
        "POST",
        "/api/v1/handoffs",
        False,
        {"conversation_id": "", "channel": "web", "language": "bn"},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/handoffs",
        False,
        {"conversation_id": LONG, "channel": "web", "language": "bn"},
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/handoffs",
        False,
        {
            "conversation_id": "c",
            "channel": "web",
            "language": "bn",
            "transcript": [{"sender": "admin", "text": "x"}],
        },
        {"invalid_input"},
    ),
    (
        "POST",
        "/api/v1/handoffs",
        False,
        {"conversation_id": "c", "channel": "web", "language": "bn", "transcript": "hello"},
        {"invalid_input"},
    ),
    ("POST", "/api/v1/kb/search", False, {"question": LONG, "language": "bn"}, {"invalid_input"}),
    ("POST", "/api/v1/kb/search", False, {"question": "", "language": "bn"}, {"invalid_input"}),
    ("POST", "/api/v1/staff/login", False, {"username": SQL, "password": SQL}, {"unauthorized"}),
    ("POST", "/api/v1/staff/login", False, {"username": LONG, "password": "x"}, {"invalid_input"}),
    ("POST", "/api/v1/staff/handoffs/1/reply", False, {"text": "x"}, {"unauthorized"}),
    ("POST", "/api/v1/staff/handoffs/1/close", False, {}, {"unauthorized"}),
]


# A refused log-in is still counted towards the lock-out and audited; nothing else is written.
COUNTED_FAILURES = {"/api/v1/staff/login": {"staff_login_lockouts", "audit_log"}}


@pytest.mark.parametrize(
    ("method", "path", "verified", "body", "codes"),
    CASES,
    ids=[f"{c[1]}#{i}" for i, c in enumerate(CASES)],
)
def test_bad_body_is_refused_and_writes_nothing(
    client, method, path, verified, body, codes
) -> None:
    headers = verify(client, strong=True) if verified else dict(H)
    before = count_rows()
    r = client.request(method, path, json=body, headers=headers)
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    error = r.json()["error"]
    assert error["code"] in codes and error["message"]
    assert LONG not in r.text  # bad input is not echoed back
    counted = COUNTED_FAILURES.get(path, set()) if error["code"] == "unauthorized" else set()
    after = count_rows()
    assert {t: n for t, n in after.items() if t not in counted} == {
        t: n for t, n in before.items() if t not in counted
    }
    assert all(after[t] - before[t] <= 1 for t in counted)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/workers/lookup-language", {"phone": "abc"}),
        ("/api/v1/workers/lookup-language", {"phone": "৯৮০০"}),
        ("/api/v1/workers/lookup-language", {"phone": LONG}),
        ("/api/v1/workers/lookup-language", {}),
        ("/api/v1/handoffs/active", {"conversation_id": LONG}),
        ("/api/v1/handoffs/active", {}),
        ("/api/v1/staff/handoffs", {"status": "weird"}),
        ("/api/v1/nope", {}),
    ],
)
def test_bad_query_is_refused(client, path, params) -> None:
    before = count_rows()
    r = client.get(path, params=params, headers=H)
    assert 400 <= r.status_code < 500 and "error" in r.json()
    assert count_rows() == before


def test_malformed_json_and_huge_body(client) -> None:
    r = client.post(
        "/api/v1/verify", content=b"{not json", headers={**H, "Content-Type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"
    r = client.post(
        "/api/v1/feedback",
        content=b"x" * 100_000,
        headers={**H, "Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "invalid_input"


def test_bengali_and_devanagari_digits_are_understood(client) -> None:
    headers = verify(client, "১০০০০০০০০০০১", "১৪-০৩-১৯৮৮", strong=True)
    r = client.post(
        "/api/v1/me/claims",
        json={
            "claim_type": "medical",
            "incident_date": "२०२६-११-०१",
            "description": "fever",
            "bank_account_last4": "৩৩০৭",
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
