"""Corrections of a worker's record (SQLite and PostgreSQL, through the real app): filed as a case
with the documents it needs, decided by an officer, applied to the record only on approval,
audited, told to the worker, tracked by its reference; the code is needed except for the phone
number; a whole bank account number is kept nowhere."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from api.db.models import AuditLog, Base, CaseNotice, Worker
from api.db.session import session_scope
from api.domain.masking import pii_hash
from api.settings import get_settings
from tests.casework.conftest import case_row, decide, messages, verify
from tests.factory import RINA

NEW_ACCOUNT = "102938475601"  # 12 digits: never stored whole


def _file(http: Any, field: str, value: str, *, strong: bool = True, **headers: str) -> Any:
    auth = verify(http, strong=strong)
    return http.post(
        "/api/v1/me/corrections",
        json={"field": field, "value": value},
        headers={**auth, "X-Channel": "whatsapp", **headers},
    )


def _rina() -> dict[str, Any]:
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        return {c.name: getattr(worker, c.name) for c in Worker.__table__.columns}


def _review_and_approve(officer: Any, reference: str) -> Any:
    assert decide(officer, reference, status="under_review").status_code == 200
    return decide(officer, reference, status="approved")


def test_a_name_correction_needs_the_code_then_an_officer_changes_the_record(officer) -> None:
    refused = _file(officer, "name", "রীনা দাস", strong=False)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "otp_required"

    filed = _file(officer, "name", "রীনা দাস")
    assert filed.status_code == 201, filed.text
    body = filed.json()
    reference = body["reference"]
    assert reference.startswith("COR-") and body["status"] == "submitted"
    assert body["documents"] == [["aadhaar_card"]]
    assert _rina()["name_bn"] == RINA.names["bn"]  # nothing changes before the decision

    queue = officer.get("/api/v1/staff/cases", params={"kind": "correction"}).json()
    assert [c["reference"] for c in queue["items"]] == [reference]
    case = officer.get(f"/api/v1/staff/cases/{reference}").json()
    assert case["request"]["field"] == "name" and case["request"]["requested"] == "রীনা দাস"
    assert case["request"]["current"] == RINA.names["bn"]  # the name in the same script
    assert case["allowed"] == ["under_review", "documents_pending", "rejected"]

    approved = _review_and_approve(officer, reference)
    assert approved.status_code == 200, approved.text
    assert approved.json()["request"]["applied_at"] is not None
    row = _rina()
    assert row["name_bn"] == "রীনা দাস" and row["name_en"] == RINA.names["en"]
    with session_scope() as s:
        audited = s.execute(select(AuditLog).where(AuditLog.action == "worker.correct")).scalars()
        assert [a.worker_id for a in audited] == [row["id"]]
        notice = s.execute(select(CaseNotice).where(CaseNotice.reference == reference)).scalars()
        bodies = [(n.language, n.status, n.body) for n in notice]
    assert bodies[-1][:2] == ("bn", "approved") and "নাম" in bodies[-1][2]
    sent = [m for m in messages("case_decision") if reference in m["body"]]
    assert sent[-1]["to_address"] == RINA.phone and sent[-1]["channel"] == "whatsapp"


def test_a_correction_is_tracked_like_any_other_reference(officer) -> None:
    reference = _file(officer, "address", "12 Rail Colony, Howrah 711101").json()["reference"]
    headers = verify(officer)
    tail = reference[-6:]
    tracked = officer.get(f"/api/v1/me/requests/{tail}", headers=headers).json()
    assert (tracked["reference"], tracked["kind"], tracked["status"]) == (
        reference,
        "correction",
        "submitted",
    )
    assert tracked["details"] == {"field": "address"}
    decide(officer, reference, status="rejected", reason="details_do_not_match")
    tracked = officer.get(f"/api/v1/me/requests/{reference}", headers=headers).json()
    assert tracked["status"] == "rejected" and not tracked["open"]
    assert tracked["timeline"][-1]["reason"] == "details_do_not_match"
    assert _rina()["address"] is None  # a refused correction changes nothing


def test_a_phone_correction_goes_through_an_officer_without_the_code(officer) -> None:
    filed = _file(officer, "phone", "98300 12345", strong=False)
    assert filed.status_code == 201, filed.text
    reference = filed.json()["reference"]
    assert filed.json()["documents"] == [["aadhaar_card"], ["sim_ownership_proof"]]
    alert = messages("correction_alert")  # the number on record hears of it at once
    assert [(m["to_address"], reference in m["body"]) for m in alert] == [(RINA.phone, True)]
    case = officer.get(f"/api/v1/staff/cases/{reference}").json()
    assert case["request"]["current"] == "…0001" and case["request"]["requested"] == "+919830012345"

    pending = decide(
        officer, reference, status="documents_pending", documents=["death_certificate"]
    )
    assert pending.status_code == 422 and pending.json()["error"]["field"] == "documents"
    pending = decide(officer, reference, status="documents_pending", documents=["aadhaar_card"])
    assert pending.status_code == 200, pending.text
    assert decide(officer, reference, status="under_review").status_code == 200
    assert decide(officer, reference, status="approved").status_code == 200
    assert _rina()["phone"] == "+919830012345"
    told = [m for m in messages("case_decision") if reference in m["body"]]
    assert told[0]["to_address"] == RINA.phone  # documents asked for: the number on record then
    assert told[-1]["to_address"] == "+919830012345"  # approved: the new number


def _all_stored_text() -> str:
    """Every value of every row, as text (to prove a number is stored nowhere)."""
    parts: list[str] = []
    with session_scope() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)).all():
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_a_bank_account_is_kept_as_last4_and_hash_only(officer) -> None:
    filed = _file(officer, "bank_account", "1029 3847 5601", **{"Idempotency-Key": "k1"})
    assert filed.status_code == 201, filed.text
    reference = filed.json()["reference"]
    assert filed.json()["documents"] == [["new_bank_passbook", "cancelled_cheque"]]
    case = officer.get(f"/api/v1/staff/cases/{reference}").json()
    assert case["request"]["requested"] == "XXXX5601" and case["request"]["current"] == "XXXX3307"
    assert NEW_ACCOUNT not in _all_stored_text()

    assert _review_and_approve(officer, reference).status_code == 200
    row = _rina()
    assert row["bank_last4"] == "5601"
    assert row["bank_hash"] == pii_hash(NEW_ACCOUNT, get_settings().pii_salt)
    assert NEW_ACCOUNT not in _all_stored_text()


def test_one_open_correction_per_field_and_nothing_that_is_already_so(officer) -> None:
    first = _file(officer, "date_of_birth", "15 March 1988")
    assert first.status_code == 201
    again = _file(officer, "date_of_birth", "16-03-1988")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_correction"
    assert again.json()["error"]["existing_reference"] == first.json()["reference"]
    same = _file(officer, "name", RINA.names["en"])
    assert same.status_code == 409 and same.json()["error"]["code"] == "same_as_record"
    short = _file(officer, "address", "x")
    assert short.status_code == 422 and short.json()["error"]["field"] == "value"

    assert _review_and_approve(officer, first.json()["reference"]).status_code == 200
    assert _rina()["date_of_birth"] == date(1988, 3, 15)
    assert case_row(first.json()["reference"])["is_open"] is False


def test_the_worker_withdraws_an_open_correction(officer) -> None:
    reference = _file(officer, "address", "Ward 7, Bally, Howrah district").json()["reference"]
    r = officer.post(f"/api/v1/me/cases/{reference}/withdraw", headers=verify(officer, strong=True))
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    assert _rina()["address"] is None
