"""A claim names the membership it is filed under (docs/contracts.md, POST /me/claims): one
welfare membership is used, two need the worker's choice, one not held is refused; through the
real app on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import Enrollment, Worker
from api.db.session import session_scope
from tests.casework.conftest import SERVICE_HEADERS, case_row, file_claim, verify
from tests.factory import RINA, SUNITA

BODY = {
    "claim_type": "accident_disability",  # a death claim is the family's
    "incident_date": "2026-11-01",
    "description": "I fell from the scaffold on the site",
    "bank_account_last4": "3307",
}


def _second_membership(status: str = "active", valid_until: date | None = None) -> None:
    """Rina (BOCW, e-Shram) also joins the state social security scheme."""
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        s.add(
            Enrollment(
                worker_id=worker.id,
                scheme_code="state_social_security",
                member_id="WB-SSS-000101",
                status=status,
                valid_until=valid_until or date(2099, 3, 31),
            )
        )


def _post(http: TestClient, **extra: str) -> tuple[int, dict]:
    headers = verify(http, strong=True)
    r = http.post("/api/v1/me/claims", json={**BODY, **extra}, headers=headers)
    return r.status_code, r.json()


def test_one_welfare_membership_is_used_and_shown_everywhere(officer: TestClient) -> None:
    ref = file_claim(officer)  # Rina: BOCW active, e-Shram carries no claim
    assert case_row(ref)["scheme"] == "bocw_welfare"
    status = officer.get("/api/v1/me/status", headers=verify(officer)).json()
    line = next(c for c in status["claims"] if c["reference"] == ref)
    assert line["scheme"] == "bocw_welfare"
    imported = next(c for c in status["claims"] if c["reference"] == "CLM-2026-000101")
    assert imported["scheme"] is None  # legacy claims keep no scheme
    detail = officer.get(f"/api/v1/staff/cases/{ref}").json()
    assert detail["request"]["scheme"] == "bocw_welfare"


def test_two_memberships_need_a_choice_listing_both(client: TestClient) -> None:
    _second_membership()
    code, body = _post(client)
    assert code == 409
    assert body["error"]["code"] == "scheme_required" and body["error"]["field"] == "scheme"
    assert body["error"]["schemes"] == ["bocw_welfare", "state_social_security"]
    code, body = _post(client, scheme="state_social_security")
    assert code == 201, body
    assert body["scheme"] == "state_social_security"
    assert case_row(body["reference"])["scheme"] == "state_social_security"


def test_a_scheme_not_held_is_refused(client: TestClient) -> None:
    code, body = _post(client, scheme="state_social_security")
    assert code == 409
    assert body["error"]["code"] == "scheme_not_held"
    assert body["error"]["schemes"] == ["bocw_welfare"]


def test_a_lapsed_second_membership_needs_no_choice(client: TestClient) -> None:
    _second_membership(status="lapsed")
    code, body = _post(client)
    assert code == 201 and body["scheme"] == "bocw_welfare"


def test_a_worker_without_welfare_membership_files_with_none(client: TestClient) -> None:
    headers = verify(client, SUNITA.uan, "20 November 1995", strong=True)
    body = {**BODY, "claim_type": "medical", "bank_account_last4": "2275"}
    r = client.post("/api/v1/me/claims", json=body, headers=headers)
    assert r.status_code == 201, r.text
    assert r.json()["scheme"] is None


__all__ = ["SERVICE_HEADERS"]
