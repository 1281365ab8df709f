"""Family claims: filed to the nominee's account, the family pension a share of the last pension
(data per scheme), one per death, tracked by reference by the family only."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import Claim
from api.db.session import session_scope
from tests.api.conftest import SERVICE_HEADERS, verify
from tests.factory import RINA
from tests.family.conftest import (
    CALLER,
    family_verify,
    file_family_claim,
    make_deceased,
    strong_family,
)


def test_a_basic_family_session_cannot_file(client: TestClient) -> None:
    who = make_deceased()
    token = family_verify(client, who).json()["verification_token"]
    r = file_family_claim(client, {**SERVICE_HEADERS, "X-Verification-Token": token})
    assert r.status_code == 401 and r.json()["error"]["code"] == "otp_required"


def test_a_death_claim_pays_the_nominee_and_names_the_claimant(client: TestClient) -> None:
    who = make_deceased()
    headers = strong_family(client, who)
    r = file_family_claim(client, headers, bank_account_last4="4321")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["claim_type"] == "death_funeral" and body["scheme"] == "bocw_welfare"
    assert body["documents_required"] == ["death_certificate", "nominee_bank_passbook"]
    with session_scope() as s:
        claim = s.execute(select(Claim).where(Claim.reference == body["reference"])).scalar_one()
        assert (claim.filed_by, claim.claimant_phone, claim.bank_last4) == (
            "family",
            CALLER,
            "4321",  # the nominee's, not the worker's 1111: no mismatch refusal
        )
    again = file_family_claim(client, headers, incident_date="2026-11-21")
    assert again.status_code == 409
    assert again.json()["error"]["existing_reference"] == body["reference"]


def test_family_pension_is_the_schemes_share_of_the_last_pension(client: TestClient) -> None:
    who = make_deceased(pension=("pm_sym", 3000))
    headers = strong_family(client, who)
    r = file_family_claim(client, headers, claim_type="family_pension")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["monthly_amount"] == 1500 and body["scheme"] == "pm_sym"
    assert "relationship_proof" in body["documents_required"]
    with session_scope() as s:
        amount = s.execute(
            select(Claim.amount_claimed).where(Claim.reference == body["reference"])
        ).scalar_one()
    assert amount == 1500


def test_a_scheme_with_no_published_share_leaves_the_amount_to_the_office(
    client: TestClient,
) -> None:
    who = make_deceased(pension=("bocw_welfare", 3000))
    r = file_family_claim(client, strong_family(client, who), claim_type="family_pension")
    assert r.status_code == 201, r.text
    assert r.json()["monthly_amount"] is None


def test_no_pension_record_no_family_pension(client: TestClient) -> None:
    who = make_deceased(pension=None)
    assert family_verify(client, who).json()["claim_types"] == ["death_funeral", "accident_death"]
    r = file_family_claim(client, strong_family(client, who), claim_type="family_pension")
    assert r.status_code == 404 and r.json()["error"]["code"] == "no_pension"


@pytest.mark.parametrize("claim_type", ["family_pension", "death_funeral", "accident_death"])
def test_a_worker_cannot_file_a_family_claim(client: TestClient, claim_type: str) -> None:
    """A worker's own session never files for their own death: the family does
    (POST /family/claims, the nominee's account)."""
    r = client.post(
        "/api/v1/me/claims",
        json={
            "claim_type": claim_type,
            "incident_date": "2026-11-01",
            "description": "x",
            "bank_account_last4": RINA.bank_last4,
        },
        headers=verify(client, strong=True),
    )
    assert r.status_code == 422 and r.json()["error"]["field"] == "claim_type"


def test_the_family_tracks_its_claim_and_nothing_else(client: TestClient) -> None:
    who = make_deceased(pension=("pm_sym", 3000))
    headers = strong_family(client, who)
    reference = file_family_claim(client, headers, claim_type="family_pension").json()["reference"]
    number = reference.rsplit("-", 1)[1]
    r = client.get(f"/api/v1/family/requests/{number}", headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["reference"] == reference and r.json()["status"] == "submitted"
    assert r.json()["details"]["claim_type"] == "family_pension"
    # a claim of a demo worker is not found, exactly like an unknown reference
    other = client.get("/api/v1/family/requests/CLM-2026-000101", headers=headers)
    unknown = client.get("/api/v1/family/requests/CLM-2026-999999", headers=headers)
    assert other.status_code == unknown.status_code == 404
    assert other.json() == unknown.json()


def test_the_workers_status_shows_nothing_of_the_claimant(client: TestClient) -> None:
    """Whoever knows the worker's UAN and date of birth must not learn the nominee's account
    or the claimant's phone from the family's claim (docs/contracts.md "Family claims")."""
    who = make_deceased()
    filed = file_family_claim(client, strong_family(client, who), bank_account_last4="4321")
    assert filed.status_code == 201, filed.text
    r = client.get("/api/v1/me/status", headers=verify(client, who.uan, who.dob))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["reference"] for c in body["claims"]] == [filed.json()["reference"]]
    assert body["payment"]["reference"] == filed.json()["reference"]
    assert body["payment"]["account_last4"] is None  # neither the nominee's nor the worker's
    assert "4321" not in r.text and CALLER[-10:] not in r.text
