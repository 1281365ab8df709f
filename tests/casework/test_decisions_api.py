"""Officers decide cases through the staff API (SQLite and PostgreSQL): the queue, one case,
each kind's transitions, bad input, roles, and the worker seeing the decision at once."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from api.db.models import AuditLog, CaseEvent, Enrollment, PensionAccount, Worker
from api.db.session import session_scope
from api.services.context import local_today
from tests.casework.conftest import (
    RINA_CLAIM,
    SERVICE_HEADERS,
    case_row,
    decide,
    file_claim,
    messages,
    verify,
)
from tests.factory import ANWAR, RAMESH, RINA


def _error(r, status: int, code: str, field: str | None = None) -> None:
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code, error
    if field is not None:
        assert error.get("field") == field, error


def test_the_casework_endpoints_are_documented(client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/staff/cases",
        "/api/v1/staff/cases/{reference}",
        "/api/v1/staff/cases/{reference}/decisions",
        "/api/v1/staff/cases/{reference}/call",
        "/api/v1/staff/dashboard",
        "/api/v1/staff/dashboard.csv",
        "/api/v1/staff/officers",
        "/api/v1/callbacks",
        "/api/v1/me/notices",
    ):
        assert path in paths, path


def test_staff_cases_need_a_session(client) -> None:
    _error(client.get("/api/v1/staff/cases"), 401, "unauthorized")
    _error(client.get(f"/api/v1/staff/cases/{RINA_CLAIM}"), 401, "unauthorized")
    r = client.post(f"/api/v1/staff/cases/{RINA_CLAIM}/decisions", json={"status": "approved"})
    assert r.status_code in (401, 422)


def test_queue_lists_open_cases_oldest_first_with_counts(officer) -> None:
    newer = file_claim(officer)
    page = officer.get("/api/v1/staff/cases", params={"kind": "claim"}).json()
    refs = [c["reference"] for c in page["items"]]
    assert refs == [RINA_CLAIM, newer]  # the paid demo claim is closed, so not listed
    assert page["counts"] == {"paid": 1, "submitted": 1, "under_review": 1}
    assert page["total"] == 2
    paid = officer.get("/api/v1/staff/cases", params={"kind": "claim", "status": "paid"}).json()
    assert [c["reference"] for c in paid["items"]] == ["CLM-2026-000104"]
    only_bn = officer.get("/api/v1/staff/cases", params={"language": "bn"}).json()
    assert {c["language"] for c in only_bn["items"]} == {"bn"}
    gaya = officer.get("/api/v1/staff/cases", params={"district": "Gaya", "status": "paid"})
    assert [c["reference"] for c in gaya.json()["items"]] == ["CLM-2026-000104"]
    _error(officer.get("/api/v1/staff/cases", params={"kind": "loan"}), 422, "invalid_input")
    _error(officer.get("/api/v1/staff/cases", params={"status": "won"}), 422, "invalid_input")
    _error(officer.get("/api/v1/staff/cases", params={"limit": 999}), 422, "invalid_input")


def test_one_case_shows_timeline_masked_worker_and_is_audited(officer) -> None:
    r = officer.get(f"/api/v1/staff/cases/{RINA_CLAIM.lower()}")
    assert r.status_code == 200, r.text
    case = r.json()
    assert case["kind"] == "claim" and case["status"] == "under_review" and case["version"] == 1
    assert case["worker"]["uan"] == "XXXX0001" and case["worker"]["bank_account"] == "XXXX3307"
    assert case["worker"]["phone"] == "XXXX0001" and "4821" in case["worker"]["aadhaar"]
    assert RINA.uan not in r.text and RINA.phone not in r.text
    assert case["request"]["documents"] == [
        {"code": "hospital_discharge_certificate", "status": "pending"}
    ]
    assert [e["to"] for e in case["timeline"]] == ["submitted", "under_review"]
    assert set(case["allowed"]) == {"documents_pending", "approved", "rejected"}
    with session_scope() as s:
        rows = s.execute(select(AuditLog).where(AuditLog.action == "case.read")).scalars().all()
        assert [(a.actor, a.worker_id is not None) for a in rows] == [("staff:officer1", True)]
    _error(officer.get("/api/v1/staff/cases/CLM-2026-999999"), 404, "not_found")
    _error(officer.get("/api/v1/staff/cases/nonsense"), 404, "not_found")


def test_a_claim_from_review_to_payment(officer) -> None:
    ref = file_claim(officer)
    assert decide(officer, ref, status="under_review").json()["version"] == 2
    docs = decide(
        officer, ref, status="documents_pending", documents=["disability_certificate", "fir_copy"]
    )
    assert docs.status_code == 200, docs.text
    pending = {d["code"]: d["status"] for d in docs.json()["request"]["documents"]}
    assert pending["disability_certificate"] == "pending"
    assert pending["hospital_discharge_certificate"] == "received"
    assert decide(officer, ref, status="under_review").json()["status"] == "under_review"
    approved = decide(officer, ref, status="approved", amount=200000, note="<b>ok</b> checked")
    assert approved.json()["request"]["amount_approved"] == 200000
    paid_on = local_today().isoformat()
    paid = decide(officer, ref, status="paid", amount=200000, paid_on=paid_on)
    body = paid.json()
    assert body["status"] == "paid" and not body["open"] and body["closed_at"]
    assert [e["to"] for e in body["timeline"]] == [
        "submitted",
        "under_review",
        "documents_pending",
        "under_review",
        "approved",
        "paid",
    ]
    approval = body["timeline"][4]
    assert approval["role"] == "officer" and approval["actor"] == "staff:officer1"
    assert approval["note"] == "<b>ok</b> checked"  # kept as plain text, shown as text
    status = officer.get("/api/v1/me/status", headers=verify(officer)).json()
    mine = next(c for c in status["claims"] if c["reference"] == ref)
    assert (mine["status"], mine["amount_paid"], mine["paid_on"]) == ("paid", 200000, paid_on)
    late = decide(officer, ref, status="rejected", reason="not_a_member")
    _error(late, 409, "invalid_transition")


def test_every_decision_is_shown_to_the_worker_at_once(officer) -> None:
    headers = verify(officer)
    decide(officer, RINA_CLAIM, status="documents_pending", documents=["bank_passbook"])
    claim = next(
        c
        for c in officer.get("/api/v1/me/status", headers=headers).json()["claims"]
        if c["reference"] == RINA_CLAIM
    )
    assert claim["status"] == "documents_pending" and claim["documents_pending"] == [
        "bank_passbook"
    ]
    assert claim["next_step"] == "submit_pending_documents"


def test_bad_decisions_are_refused_with_the_field_named(officer) -> None:
    ref = file_claim(officer, claim_type="maternity")
    decide(officer, ref, status="under_review")
    unknown = decide(officer, "CLM-2026-999999", status="approved", amount=1, version=1)
    _error(unknown, 404, "not_found")
    _error(decide(officer, ref, status="approved", amount=-5), 422, "invalid_input", "amount")
    too_much = decide(officer, ref, status="approved", amount=6001)
    _error(too_much, 422, "invalid_input", "amount")
    assert too_much.json()["error"]["maximum"] == 6000
    _error(decide(officer, ref, status="approved"), 422, "missing_field", "amount")
    _error(decide(officer, ref, status="rejected", reason="bribe"), 422, "invalid_input", "reason")
    _error(decide(officer, ref, status="rejected"), 422, "missing_field", "reason")
    _error(
        decide(officer, ref, status="documents_pending", documents=["fir_copy"]),
        422,
        "invalid_input",
        "documents",
    )
    _error(decide(officer, ref, status="won"), 422, "invalid_input", "status")
    _error(decide(officer, ref, status="paid", amount=10), 409, "invalid_transition", "status")
    _error(decide(officer, ref, status="approved", amount=5000, version=1), 409, "stale")
    assert case_row(ref)["status"] == "under_review"  # nothing changed by any refusal
    with session_scope() as s:
        events = s.execute(select(CaseEvent)).scalars().all()
        assert not [e for e in events if e.to_status in ("approved", "rejected")]


def test_paid_needs_a_date_from_filing_to_today_and_at_most_the_approved_amount(officer) -> None:
    ref = file_claim(officer, claim_type="medical")
    decide(officer, ref, status="under_review")
    decide(officer, ref, status="approved", amount=10000)
    future = (local_today() + timedelta(days=1)).isoformat()
    _error(decide(officer, ref, status="paid", amount=10000), 422, "missing_field", "paid_on")
    _error(
        decide(officer, ref, status="paid", amount=10000, paid_on=future),
        422,
        "invalid_date",
        "paid_on",
    )
    _error(
        decide(officer, ref, status="paid", amount=10001, paid_on=local_today().isoformat()),
        422,
        "invalid_input",
        "amount",
    )
    bad_day = decide(officer, ref, status="paid", amount=1, paid_on="2026-02-30")
    _error(bad_day, 422, "invalid_input")


def test_only_a_supervisor_rejects_an_approved_claim(officer, supervisor) -> None:
    ref = file_claim(officer)
    decide(officer, ref, status="under_review")
    decide(officer, ref, status="approved", amount=100000)
    _error(decide(officer, ref, status="rejected", reason="event_not_covered"), 403, "forbidden")
    r = decide(supervisor, ref, status="rejected", reason="event_not_covered")
    assert r.status_code == 200 and r.json()["timeline"][-1]["role"] == "supervisor"


def test_the_worker_withdraws_their_own_claim_and_nobody_else_can(officer) -> None:
    ref = file_claim(officer)
    _error(decide(officer, ref, status="withdrawn"), 403, "forbidden")
    ramesh = verify(officer, RAMESH.uan, RAMESH.dob, strong=True)
    other = officer.post(f"/api/v1/me/cases/{ref}/withdraw", headers=ramesh)
    _error(other, 404, "not_found")
    rina = verify(officer, strong=True)
    r = officer.post(f"/api/v1/me/cases/{ref}/withdraw", headers=rina)
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    twice = officer.post(f"/api/v1/me/cases/{ref}/withdraw", headers=rina)
    _error(twice, 409, "invalid_transition")
    assert case_row(ref)["is_open"] is False


def test_renewal_approval_moves_valid_until_a_year_on(officer) -> None:
    ramesh = verify(officer, RAMESH.uan, RAMESH.dob)
    ref = officer.post("/api/v1/me/renewals", json={}, headers=ramesh).json()["reference"]
    r = decide(officer, ref, status="approved")
    assert r.status_code == 200, r.text
    with session_scope() as s:
        membership = s.execute(
            select(Enrollment)
            .join(Worker, Worker.id == Enrollment.worker_id)
            .where(Worker.uan == RAMESH.uan, Enrollment.scheme_code == "state_social_security")
        ).scalar_one()
        today = local_today()
        assert membership.status == "active"
        assert membership.valid_until == date(today.year + 1, today.month, today.day)
    status = officer.get("/api/v1/me/status", headers=ramesh).json()
    assert [r["status"] for r in status["renewals"]] == ["approved"]
    again = officer.post("/api/v1/me/renewals", json={}, headers=ramesh)
    assert again.json()["error"]["code"] == "nothing_to_renew"


def test_renewal_rejection_leaves_the_membership(officer) -> None:
    ramesh = verify(officer, RAMESH.uan, RAMESH.dob)
    ref = officer.post("/api/v1/me/renewals", json={}, headers=ramesh).json()["reference"]
    claims_only = decide(officer, ref, status="rejected", reason="event_not_covered")
    _error(claims_only, 422, "invalid_input")
    assert decide(officer, ref, status="rejected", reason="no_longer_eligible").status_code == 200
    with session_scope() as s:
        membership = s.execute(
            select(Enrollment)
            .join(Worker, Worker.id == Enrollment.worker_id)
            .where(Worker.uan == RAMESH.uan, Enrollment.scheme_code == "state_social_security")
        ).scalar_one()
        assert membership.status == "lapsed"


def test_restart_approval_reactivates_the_pension(officer) -> None:
    anwar = verify(officer, ANWAR.uan, ANWAR.dob)
    ref = officer.post("/api/v1/me/pension/restart-requests", json={}, headers=anwar).json()[
        "reference"
    ]
    assert ref.startswith("PRR-")
    assert decide(officer, ref, status="approved").status_code == 200
    with session_scope() as s:
        account = s.execute(
            select(PensionAccount)
            .join(Worker, Worker.id == PensionAccount.worker_id)
            .where(Worker.uan == ANWAR.uan)
        ).scalar_one()
        assert account.status == "active" and account.restarted_on == local_today()
        assert account.stop_reason is None
    pension = officer.get("/api/v1/me/pension", headers=anwar).json()
    assert pension["status"] == "active" and pension["restart_possible"] is False


def test_complaints_are_worked_and_resolved_closing_is_for_supervisors(officer, supervisor) -> None:
    body = {"category": "bribery", "text": "the clerk asked for money", "channel": "sms"}
    ref = officer.post(
        "/api/v1/feedback", json={**body, "language": "hi"}, headers=SERVICE_HEADERS
    ).json()["reference"]
    row = case_row(ref)
    assert row["kind"] == "complaint" and row["status"] == "received" and row["due_at"]
    assert (row["due_at"] - row["created_at"]).days == 3  # bribery: 3 days (settings)
    _error(decide(officer, ref, status="resolved", note="done"), 409, "invalid_transition")
    _error(decide(officer, ref, status="closed", note="spam"), 403, "forbidden")
    assert decide(officer, ref, status="in_progress").status_code == 200
    _error(decide(officer, ref, status="resolved"), 422, "missing_field", "note")
    ok = decide(officer, ref, status="resolved", note="The clerk was suspended.")
    assert ok.status_code == 200 and ok.json()["request"]["anonymous"] is True
    other = officer.post(
        "/api/v1/feedback", json={**body, "language": "bn"}, headers=SERVICE_HEADERS
    ).json()["reference"]
    assert decide(supervisor, other, status="closed", note="same as before").status_code == 200


def test_decisions_queue_one_message_per_transition_in_the_workers_language(officer) -> None:
    decide(officer, RINA_CLAIM, status="approved", amount=100000)
    sent = messages("case_decision")
    assert len(sent) == 1
    (message,) = sent
    assert message["to_address"] == RINA.phone and message["channel"] == "sms"
    assert RINA_CLAIM in message["body"] and "₹১,০০,০০০" in message["body"]
    assert "মঞ্জুর" in message["body"]  # Bengali, Rina's language
    assert message["dedupe_key"].endswith(":v2")
    decide(officer, RINA_CLAIM, status="rejected", reason="details_do_not_match")
    assert len(messages("case_decision")) == 1  # an officer may not reject an approved claim
