"""A helper acts for a worker: the consent code goes to the WORKER's registered phone in the
worker's language naming the helper, the code typed back makes the session strong, and every
audit row and case written with that session names the helper, which officers see."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import AuditLog, Case, HelperConsent
from api.db.session import session_scope
from api.settings import get_settings
from tests.api.conftest import SERVICE_HEADERS, verify
from tests.factory import RAMESH, RINA
from tests.family.conftest import family_verify, make_deceased
from tests.helper.conftest import (
    HELPER_HEADERS,
    ask_consent,
    code_in,
    consent_sms,
    helper_session,
)


def test_the_consent_code_goes_to_the_workers_phone_in_their_language_naming_the_helper(
    client: TestClient,
) -> None:
    token = verify(client, RINA.uan, RINA.dob)["X-Verification-Token"]
    r = ask_consent(client, token, name="Sohel Das", relation="son")
    assert r.status_code == 200, r.text
    assert r.json()["phone_last2"] == RINA.phone[-2:] and r.json()["sent"] is True
    row, text = consent_sms()
    assert row.to_address == RINA.phone and row.language == "bn"
    assert "Sohel Das" in text and "আপনার ছেলে" in text
    assert code_in(text) not in row.body  # the stored body has the code blanked
    with session_scope() as s:
        consent = s.get(HelperConsent, r.json()["consent_id"])
        assert consent is not None and consent.granted_at is None
        assert (consent.helper_name, consent.relation) == ("Sohel Das", "son")


def test_the_code_typed_back_grants_the_consent_and_the_session_acts_for_the_worker(
    client: TestClient,
) -> None:
    headers = helper_session(client, RAMESH, name="Meena Kumari", relation="neighbour")
    _, text = consent_sms()
    assert "Meena Kumari" in text and "एक पड़ोसी" in text  # Ramesh reads Hindi
    renewal = client.post("/api/v1/me/renewals", json={}, headers=headers)
    assert renewal.status_code == 201, renewal.text
    with session_scope() as s:
        consent = s.execute(select(HelperConsent)).scalar_one()
        assert consent.granted_at is not None
        case = s.execute(
            select(Case).where(Case.reference == renewal.json()["reference"])
        ).scalar_one()
        assert case.helper_consent_id == consent.id
        named = set(
            s.execute(
                select(AuditLog.action).where(AuditLog.helper_consent_id == consent.id)
            ).scalars()
        )
    assert {"otp.send", "verify_otp", "helper.consent", "renewal.create"} <= named


def test_officers_see_on_the_case_who_acted_and_what_they_did(
    client: TestClient, officer: TestClient
) -> None:
    headers = helper_session(client, RAMESH, name="Meena Kumari", relation="neighbour")
    reference = client.post("/api/v1/me/renewals", json={}, headers=headers).json()["reference"]
    seen = officer.get(f"/api/v1/staff/cases/{reference}")
    assert seen.status_code == 200, seen.text
    helper = seen.json()["helper"]
    assert (helper["name"], helper["relation"]) == ("Meena Kumari", "neighbour")
    assert helper["granted_at"]
    assert [a["action"] for a in helper["audit"]][-1] == "renewal.create"
    assert "helper.consent" in [a["action"] for a in helper["audit"]]


def test_the_workers_own_session_names_no_helper(client: TestClient, officer: TestClient) -> None:
    headers = verify(client, RAMESH.uan, RAMESH.dob)
    reference = client.post("/api/v1/me/renewals", json={}, headers=headers).json()["reference"]
    assert officer.get(f"/api/v1/staff/cases/{reference}").json()["helper"] is None
    with session_scope() as s:
        assert (
            s.execute(select(AuditLog.id).where(AuditLog.helper_consent_id.isnot(None))).first()
            is None
        )


def test_a_resend_is_the_consent_sms_again_and_the_old_code_stops_working(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = verify(client, RINA.uan, RINA.dob)["X-Verification-Token"]
    assert ask_consent(client, token).status_code == 200
    first = code_in(consent_sms()[1])
    monkeypatch.setenv("OTP_RESEND_SECONDS", "0")
    get_settings.cache_clear()
    again = client.post(
        "/api/v1/verify/otp/send", json={"verification_token": token}, headers=HELPER_HEADERS
    )
    assert again.status_code == 200, again.text
    row, text = consent_sms()
    assert row.dedupe_key.endswith(":2") and "Sohel Das" in text
    second = code_in(text)
    if first != second:
        wrong = client.post(
            "/api/v1/verify/otp",
            json={"verification_token": token, "code": first},
            headers=HELPER_HEADERS,
        )
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "wrong_otp"
    ok = client.post(
        "/api/v1/verify/otp",
        json={"verification_token": token, "code": second},
        headers=HELPER_HEADERS,
    )
    assert ok.status_code == 200 and ok.json()["level"] == "strong"


def test_refusals(client: TestClient) -> None:
    token = verify(client, RINA.uan, RINA.dob)["X-Verification-Token"]
    for name, relation, field in (
        ("Sohel Das", "uncle", "relation"),
        ("123412341234", "son", "helper_name"),
        ("", "son", "helper_name"),  # only the phone keypad may leave the name out
    ):
        r = ask_consent(client, token, name=name, relation=relation)
        assert r.status_code == 422 and r.json()["error"]["field"] == field, r.text
    missing = ask_consent(client, "no-such-token")
    assert missing.status_code == 401
    strong = verify(client, RINA.uan, RINA.dob, strong=True)["X-Verification-Token"]
    late = ask_consent(client, strong)
    assert late.status_code == 409 and late.json()["error"]["code"] == "invalid_transition"
    family = family_verify(client, make_deceased()).json()["verification_token"]
    assert ask_consent(client, family).status_code == 403


def test_on_the_phone_keypad_the_name_may_be_left_out(client: TestClient) -> None:
    r = client.post(
        "/api/v1/verify", json=RINA.verify_body("voice"), headers=SERVICE_HEADERS
    ).json()
    asked = ask_consent(client, r["verification_token"], name="", relation="daughter")
    assert asked.status_code == 200, asked.text
    _, text = consent_sms()
    assert text.startswith("শ্রমিক সহায়ক: একজন (আপনার মেয়ে)")
