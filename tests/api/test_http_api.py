"""The /api/v1 endpoints end to end through FastAPI, on SQLite and PostgreSQL."""

from __future__ import annotations

import os

from sqlalchemy import select

from api.db.models import (
    AuditLog,
    Claim,
    OutboundMessage,
    StaffLoginLockout,
    VerificationSession,
    utcnow,
)
from api.db.session import session_scope
from api.settings import get_settings
from tests.api.conftest import SERVICE_HEADERS as H
from tests.api.conftest import count_rows, texted_code, verify
from tests.factory import ANWAR, RAMESH, RINA, SUNITA
from tests.secrets import SERVICE_TOKEN, STAFF_PASSWORD

CLAIM = {
    "claim_type": "medical",
    "incident_date": "2026-11-01",
    "description": "fever",
    "bank_account_last4": "3307",
}


def _audit(action: str) -> list[AuditLog]:
    with session_scope() as s:
        return list(s.execute(select(AuditLog).where(AuditLog.action == action)).scalars())


def test_health_and_openapi(client) -> None:
    assert client.get("/health").json() == {"status": "ok", "database": "ok"}
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/v1/me/claims" in paths and "/api/v1/kb/search" in paths


def test_service_token_required(client) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": f"Basic {SERVICE_TOKEN}"},
    ):
        r = client.post(
            "/api/v1/verify",
            json={"uan": RINA.uan, "date_of_birth": RINA.dob},
            headers=headers,
        )
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"


def test_verify_and_status_of_rina(client) -> None:
    r = client.post(
        "/api/v1/verify",
        json={"uan": "১০০০ ০০০০ ০০০১", "date_of_birth": "১৪/০৩/১৯৮৮", "channel": "whatsapp"},
        headers={**H, "X-Request-ID": "req-rina-1"},
    )
    assert r.status_code == 200 and r.headers["x-request-id"] == "req-rina-1"
    body = r.json()
    assert (
        body["first_name"] == {"bn": "রিনা", "hi": "रीना", "en": "Rina"}
        and body["otp_required"] is False
    )
    with session_scope() as s:  # only the hash of the token is stored
        stored = s.execute(select(VerificationSession)).scalar_one()
        assert stored.token_hash != body["verification_token"]
    status = client.get(
        "/api/v1/me/status", headers={**H, "X-Verification-Token": body["verification_token"]}
    ).json()
    assert status["worker"]["bank_account_last4"] == "3307"
    claim = status["claims"][0]
    assert claim["reference"] == "CLM-2026-000101" and claim["status"] == "under_review"
    assert claim["documents_pending"] == ["hospital_discharge_certificate"]
    assert {e["scheme"] for e in status["enrollments"]} == {"bocw_welfare", "eshram"}
    assert status["pension"] is None and status["nominee"]["relation"] == "husband"
    rows = _audit("status.read")
    assert len(rows) == 1 and rows[0].actor == "rasa:test" and rows[0].request_id != ""


def test_status_needs_verification(client) -> None:
    for token in (None, "made-up-token"):
        headers = {**H, **({"X-Verification-Token": token} if token else {})}
        r = client.get("/api/v1/me/status", headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "verification_required"


def test_unknown_worker_and_lockout(client) -> None:
    r = client.post(
        "/api/v1/verify", json={"uan": "199999999999", "date_of_birth": RINA.dob}, headers=H
    )
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_verified"
    bad = {"uan": RAMESH.uan, "date_of_birth": RAMESH.wrong_dob}
    r1 = client.post("/api/v1/verify", json=bad, headers=H)
    assert r1.status_code == 401 and r1.json()["error"]["code"] == "not_verified"
    assert r1.json()["error"]["attempts_left"] == 2
    client.post("/api/v1/verify", json=bad, headers=H)
    r3 = client.post("/api/v1/verify", json=bad, headers=H)
    assert r3.status_code == 423 and r3.json()["error"]["retry_after_s"] > 0
    # even the right date is refused while locked
    r4 = client.post("/api/v1/verify", json={**bad, "date_of_birth": RAMESH.dob}, headers=H)
    assert r4.status_code == 423 and r4.json()["error"]["code"] == "locked_out"
    assert {a.outcome for a in _audit("verify")} >= {"wrong_dob", "locked_out"}


def test_otp_flow(client) -> None:
    os.environ["OTP_REQUIRED"] = "true"
    get_settings.cache_clear()
    try:
        r = client.post(
            "/api/v1/verify", json={"uan": RINA.uan, "date_of_birth": RINA.dob}, headers=H
        )
        assert r.json()["otp_required"] is True
        token = r.json()["verification_token"]
        blocked = client.get("/api/v1/me/status", headers={**H, "X-Verification-Token": token})
        assert blocked.json()["error"]["code"] == "otp_required"
        with session_scope() as s:
            sms = s.execute(select(OutboundMessage)).scalar_one()
            assert sms.to_address == RINA.phone and sms.reason == "otp"
        code = texted_code()
        assert code not in sms.body
        wrong = client.post(
            "/api/v1/verify/otp",
            json={"verification_token": token, "code": "000000" if code != "000000" else "111111"},
            headers=H,
        )
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "wrong_otp"
        ok = client.post(
            "/api/v1/verify/otp", json={"verification_token": token, "code": code}, headers=H
        )
        assert ok.status_code == 200
        assert (
            client.get(
                "/api/v1/me/status", headers={**H, "X-Verification-Token": token}
            ).status_code
            == 200
        )
    finally:
        os.environ.pop("OTP_REQUIRED", None)
        get_settings.cache_clear()


def test_claim_idempotency_and_duplicates(client) -> None:
    headers = verify(client, strong=True)
    first = client.post(
        "/api/v1/me/claims", json=CLAIM, headers={**headers, "Idempotency-Key": "rasa:test:claim:1"}
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["reference"].startswith("CLM-2026-") and body["replayed"] is False
    assert body["documents_required"] == [
        "hospital_discharge_certificate",
        "medical_bills",
        "bank_passbook",
    ]
    before = count_rows()
    again = client.post(
        "/api/v1/me/claims", json=CLAIM, headers={**headers, "Idempotency-Key": "rasa:test:claim:1"}
    )
    assert again.status_code == 200 and again.json() == {**body, "replayed": True}
    assert {k: v for k, v in count_rows().items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }
    conflict = client.post(
        "/api/v1/me/claims",
        json={**CLAIM, "description": "other"},
        headers={**headers, "Idempotency-Key": "rasa:test:claim:1"},
    )
    assert (
        conflict.status_code == 422 and conflict.json()["error"]["code"] == "idempotency_conflict"
    )
    dup = client.post(
        "/api/v1/me/claims", json=CLAIM, headers={**headers, "Idempotency-Key": "rasa:test:claim:2"}
    )
    assert dup.status_code == 409 and dup.json()["error"]["existing_reference"] == body["reference"]
    mismatch = client.post(
        "/api/v1/me/claims", json={**CLAIM, "bank_account_last4": "9999"}, headers=headers
    )
    assert (
        mismatch.status_code == 409 and mismatch.json()["error"]["code"] == "bank_account_mismatch"
    )
    future = client.post(
        "/api/v1/me/claims", json={**CLAIM, "incident_date": "2099-01-01"}, headers=headers
    )
    assert (
        future.status_code == 422 and future.json()["error"]["reason"] == "incident_date_in_future"
    )
    with session_scope() as s:
        assert (
            s.execute(select(Claim).where(Claim.reference == body["reference"]))
            .scalar_one()
            .incident_date.isoformat()
            == "2026-11-01"
        )
    assert len([a for a in _audit("claim.create") if a.outcome == "ok"]) == 1


def test_claim_deadline_only_when_a_notice_sets_one(client) -> None:
    """No scheme states a claim deadline: an old event is taken unless a deployment sets one."""
    headers = verify(client, strong=True)
    old = {**CLAIM, "incident_date": "2024-06-01"}
    taken = client.post("/api/v1/me/claims", json=old, headers=headers)
    assert taken.status_code == 201, taken.text
    os.environ["CLAIM_DEADLINE_DAYS"] = "365"
    os.environ["CLAIM_DEADLINE_SOURCE"] = "board notice 12/2026 (test)"
    get_settings.cache_clear()
    try:
        late = client.post(
            "/api/v1/me/claims",
            json={**old, "claim_type": "maternity", "incident_date": "2024-07-01"},
            headers=headers,
        )
        assert late.status_code == 422
        assert late.json()["error"]["reason"] == "incident_date_too_old"
    finally:
        os.environ.pop("CLAIM_DEADLINE_DAYS", None)
        os.environ.pop("CLAIM_DEADLINE_SOURCE", None)
        get_settings.cache_clear()


def test_claim_description_numbers_masked(client) -> None:
    headers = verify(client, strong=True)
    r = client.post(
        "/api/v1/me/claims",
        json={**CLAIM, "description": "my aadhaar ১২৩৪ ৫৬৭৮ ৯০১২"},
        headers=headers,
    )
    assert r.status_code == 201
    with session_scope() as s:
        claim = s.execute(
            select(Claim).where(Claim.reference == r.json()["reference"])
        ).scalar_one()
        assert "৫৬৭৮" not in claim.description and claim.description.endswith("৯০১২")


def test_renewal_for_ramesh(client) -> None:
    headers = verify(client, RAMESH.uan, RAMESH.dob_typed)
    status = client.get("/api/v1/me/status", headers=headers).json()
    assert {e["scheme"]: e["renewable"] for e in status["enrollments"]} == {
        "pm_sym": False,
        "state_social_security": True,
    }
    refused = client.post("/api/v1/me/renewals", json={"scheme": "pm_sym"}, headers=headers)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "not_renewable"
    r = client.post("/api/v1/me/renewals", json={}, headers=headers)
    assert r.status_code == 201 and r.json()["scheme"] == "state_social_security"
    assert r.json()["reference"].startswith("REN-") and r.json()["next_steps"]
    again = client.post("/api/v1/me/renewals", json={}, headers=headers)  # open request is returned
    assert again.json()["reference"] == r.json()["reference"]
    rina = verify(client)
    assert (
        client.post("/api/v1/me/renewals", headers=rina).json()["error"]["code"]
        == "nothing_to_renew"
    )


def test_pension_for_anwar(client) -> None:
    headers = verify(client, ANWAR.uan, "15-01-1960")
    p = client.get("/api/v1/me/pension", headers=headers).json()
    assert p["status"] == "stopped" and p["stop_reason"] == "life_certificate_not_submitted"
    assert p["restart_steps"][0] == "submit_life_certificate"
    r = client.post(
        "/api/v1/me/pension/restart-requests", json={"note": "I am alive"}, headers=headers
    )
    assert r.status_code == 201 and r.json()["reference"].startswith("PRR-")
    rina = verify(client)
    assert client.get("/api/v1/me/pension", headers=rina).json()["error"]["code"] == "no_pension"
    assert client.post("/api/v1/me/pension/restart-requests", headers=rina).status_code == 404
    assert [a.outcome for a in _audit("pension.read")] == ["ok", "no_pension"]


def test_sunita_paid_maternity(client) -> None:
    headers = verify(client, SUNITA.uan, "20 November 1995")
    claim = client.get("/api/v1/me/status", headers=headers).json()["claims"][0]
    assert (claim["type"], claim["status"], claim["amount_paid"], claim["paid_on"]) == (
        "maternity",
        "paid",
        5000,
        "2026-10-05",
    )


def test_nominee_change_keeps_history(client) -> None:
    headers = verify(client, strong=True)
    r = client.put(
        "/api/v1/me/nominee",
        json={"name": "  Mitali   Das ", "relation": "daughter"},
        headers=headers,
    )
    assert (
        r.status_code == 200
        and r.json()["name"] == "Mitali Das"
        and r.json()["reference"].startswith("NOM-")
    )
    assert client.get("/api/v1/me/status", headers=headers).json()["nominee"] == {
        "name": "Mitali Das",
        "relation": "daughter",
    }
    assert count_rows()["nominee_changes"] == 1 and len(_audit("nominee.update")) == 1


def test_eligibility(client) -> None:
    none = {"epf_member": False, "nps_member": False, "esic_member": False}
    r = client.post(
        "/api/v1/eligibility/pm-sym",
        json={"age": "৩২", "monthly_income": "১২,০০০", **none, "income_tax_payer": False},
        headers=H,
    )
    assert r.status_code == 200 and r.json()["monthly_contribution"] == 120 and r.json()["eligible"]
    r = client.post("/api/v1/eligibility/pm-sym", json={"age": 32}, headers=H)
    assert r.json()["decided"] is False and r.json()["next_question"] == "monthly_income"
    r = client.post("/api/v1/eligibility/pm-sym", json={"age": 52}, headers=H)
    assert r.json()["decided"] and r.json()["reasons"] == ["age_above_maximum"]
    r = client.post(
        "/api/v1/eligibility/pm-sym",
        json={"age": 45, "monthly_income": 20000, "epf_member": True},
        headers=H,
    )
    assert r.json()["reasons"] == ["age_above_maximum", "income_above_limit", "epf_member"]


def test_lookup_language(client) -> None:
    r = client.get("/api/v1/workers/lookup-language", params={"phone": RAMESH.phone}, headers=H)
    assert r.json() == {"preferred_language": "hi"}
    r = client.get("/api/v1/workers/lookup-language", params={"phone": "+919811111111"}, headers=H)
    assert r.status_code == 404 and set(r.json()) == {"error"}


def test_feedback_anonymous_and_verified(client) -> None:
    body = {
        "category": "bribery",
        "text": "agent asked for money, my phone 9800000001",
        "channel": "sms",
        "language": "bn",
    }
    r = client.post("/api/v1/feedback", json=body, headers={**H, "Idempotency-Key": "fb-1"})
    assert r.status_code == 201 and r.json()["reference"].startswith("FDB-")
    assert (
        client.post("/api/v1/feedback", json=body, headers={**H, "Idempotency-Key": "fb-1"}).json()[
            "replayed"
        ]
        is True
    )
    assert count_rows()["feedback"] == 1
    headers = verify(client)
    r = client.post(
        "/api/v1/feedback",
        json={**body, "verification_token": headers["X-Verification-Token"]},
        headers=H,
    )
    assert r.status_code == 201 and len(_audit("feedback.create")) == 1


def test_handoff_staff_flow(client) -> None:
    from api.services import senders

    with session_scope() as s:  # the gateway keeps the pseudonym when the number writes
        senders.remember(s, RINA.phone)
    conversation = f"rasa:{senders.sender_for('whatsapp', RINA.phone)}"
    body = {
        "conversation_id": conversation,
        "channel": "whatsapp",
        "language": "bn",
        "reason": "complex case",
        "transcript": [
            {"sender": "user", "text": "আমার দাবি আটকে আছে"},
            {"sender": "bot", "text": "..."},
        ],
    }
    first = client.post("/api/v1/handoffs", json=body, headers=H)
    assert first.status_code == 201 and first.json()["reference"].startswith("HND-")
    second = client.post("/api/v1/handoffs", json=body, headers=H)
    assert second.json()["ticket_id"] == first.json()["ticket_id"]
    tid = first.json()["ticket_id"]
    assert client.get("/api/v1/staff/handoffs").status_code == 401
    bad = client.post("/api/v1/staff/login", json={"username": "officer1", "password": "nope"})
    assert bad.status_code == 401
    ok = client.post(
        "/api/v1/staff/login", json={"username": "officer1", "password": STAFF_PASSWORD}
    )
    assert ok.status_code == 200 and "httponly" in ok.headers["set-cookie"].lower()
    tickets = client.get("/api/v1/staff/handoffs", params={"status": "open"}).json()
    assert [t["id"] for t in tickets] == [tid]
    assert len(client.get(f"/api/v1/staff/handoffs/{tid}").json()["messages"]) == 2
    reply = client.post(f"/api/v1/staff/handoffs/{tid}/reply", json={"text": "আমি দেখছি"})
    assert reply.status_code == 200 and reply.json()["status"] == "assigned"
    assert reply.json()["assigned_name"] == "Demo Officer"
    listed = client.get("/api/v1/staff/handoffs", params={"status": "assigned"}).json()
    assert [(t["id"], t["assigned_name"]) for t in listed] == [(tid, "Demo Officer")]
    active = client.get(
        "/api/v1/handoffs/active", params={"conversation_id": conversation}, headers=H
    ).json()
    assert active["active"] and active["replies"][0]["text"] == "আমি দেখছি"
    relayed = client.post(
        "/api/v1/handoffs/relay",
        json={"conversation_id": conversation, "text": "আধার ২৩৪৫ ৬৭৮৯ ০১২৩ দিলাম"},
        headers=H,
    )
    assert relayed.status_code == 200 and relayed.json()["active"] is True
    filed = client.get(f"/api/v1/staff/handoffs/{tid}").json()["messages"][-1]
    assert filed["sender"] == "user" and "৬৭৮৯" not in filed["text"], "numbers are masked"
    with session_scope() as s:
        out = s.execute(select(OutboundMessage)).scalar_one()
        assert (out.to_address, out.channel, out.reason) == (
            RINA.phone,
            "whatsapp",
            "handoff_reply",
        )
    assert client.post(f"/api/v1/staff/handoffs/{tid}/close").json()["status"] == "closed"
    closed = client.post(f"/api/v1/staff/handoffs/{tid}/reply", json={"text": "late"})
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "ticket_closed"
    assert (
        client.get(
            "/api/v1/handoffs/active", params={"conversation_id": RINA.phone}, headers=H
        ).json()["active"]
        is False
    )
    assert (
        client.post("/api/v1/handoffs", json=body, headers=H).json()["ticket_id"] != tid
    )  # new ticket after close
    assert client.post("/api/v1/staff/handoffs/9999/close").status_code == 404


def _login(client, username: str, password: str):
    return client.post("/api/v1/staff/login", json={"username": username, "password": password})


def test_officer_log_in_locks_after_repeated_failures(client) -> None:
    limit = get_settings().staff_login_max_failures
    for _ in range(limit - 1):
        assert _login(client, "officer1", "guess").status_code == 401
    assert _login(client, "officer1", STAFF_PASSWORD).status_code == 200  # resets the count
    for _ in range(limit):
        assert _login(client, "officer1", "guess").status_code == 401
    locked = _login(client, "officer1", STAFF_PASSWORD)
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "locked_out"
    assert (
        0
        < locked.json()["error"]["retry_after_s"]
        <= get_settings().staff_login_lockout_minutes * 60
    )
    # a name that does not exist locks the same way: the lock tells a guesser nothing
    for _ in range(limit):
        assert _login(client, "nobody", "guess").status_code == 401
    assert _login(client, "nobody", "guess").status_code == 423
    outcomes = [row.outcome for row in _audit("staff_login")]
    assert outcomes.count("ok") == 1 and outcomes.count("locked_out") == 2
    assert outcomes.count("failed") == 3 * limit - 1
    with session_scope() as s:  # the lock runs out
        s.execute(StaffLoginLockout.__table__.update().values(locked_until=utcnow()))
    assert _login(client, "officer1", STAFF_PASSWORD).status_code == 200
