"""With OTP_REQUIRED on, POST /verify texts the worker a plain code at once; a helper's consent
asked right after it takes that code's place (one consent SMS, sent at once) instead of waiting
OTP_RESEND_SECONDS, while a second consent request still waits and the plain code stops working.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.db.models import AuditLog, HelperConsent, OutboundMessage
from api.db.session import session_scope
from api.settings import get_settings
from tests.api.conftest import texted_code
from tests.factory import RINA
from tests.helper.conftest import HELPER_HEADERS, ask_consent, code_in, consent_sms


@pytest.fixture
def otp_required(client: TestClient) -> Iterator[TestClient]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OTP_REQUIRED", "true")
        get_settings.cache_clear()
        yield client
    get_settings.cache_clear()


def _type(http: TestClient, token: str, code: str) -> dict:
    body = {"verification_token": token, "code": code}
    r = http.post("/api/v1/verify/otp", json=body, headers=HELPER_HEADERS)
    return {"status": r.status_code, **r.json()}


def _sms_count(reason: str) -> int:
    with session_scope() as s:
        counted = s.execute(
            select(func.count())
            .select_from(OutboundMessage)
            .where(OutboundMessage.reason == reason)
        ).scalar_one()
    return int(counted)


def test_the_consent_takes_the_place_of_the_code_verify_sent(otp_required: TestClient) -> None:
    http = otp_required
    verified = http.post("/api/v1/verify", json=RINA.verify_body(), headers=HELPER_HEADERS)
    assert verified.status_code == 200 and verified.json()["otp_required"] is True
    token = verified.json()["verification_token"]
    plain = texted_code()  # /verify texted it already

    asked = ask_consent(http, token)
    assert asked.status_code == 200, asked.text  # at once, no OTP_RESEND_SECONDS wait
    assert _sms_count("helper_consent") == 1
    consent = code_in(consent_sms()[1])

    again = ask_consent(http, token, name="Sohel Das", relation="son")
    assert again.status_code == 429 and again.json()["error"]["code"] == "rate_limited"
    assert _sms_count("helper_consent") == 1

    if plain != consent:  # the plain code was superseded: it grants nothing
        wrong = _type(http, token, plain)
        assert wrong["status"] == 401 and wrong["error"]["code"] == "wrong_otp"
    typed = _type(http, token, consent)
    assert typed["status"] == 200 and typed["level"] == "strong", typed

    headers = {**HELPER_HEADERS, "X-Verification-Token": token}
    assert http.get("/api/v1/me/status", headers=headers).status_code == 200
    with session_scope() as s:
        granted = s.execute(select(HelperConsent)).scalar_one()
        assert granted.granted_at is not None
        named = set(
            s.execute(
                select(AuditLog.action).where(AuditLog.helper_consent_id == granted.id)
            ).scalars()
        )
    assert {"helper.consent", "verify_otp"} <= named


def test_a_code_asked_for_after_verify_still_waits(otp_required: TestClient) -> None:
    """Only the code /verify sent itself is superseded: once the worker asked for another,
    the consent waits like any new code."""
    http = otp_required
    verified = http.post("/api/v1/verify", json=RINA.verify_body(), headers=HELPER_HEADERS)
    token = verified.json()["verification_token"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OTP_RESEND_SECONDS", "0")
        get_settings.cache_clear()
        body = {"verification_token": token}
        resent = http.post("/api/v1/verify/otp/send", json=body, headers=HELPER_HEADERS)
        assert resent.status_code == 200, resent.text
    get_settings.cache_clear()
    refused = ask_consent(http, token)
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert _sms_count("helper_consent") == 0


def test_the_session_send_limit_still_counts_the_code_verify_sent(
    otp_required: TestClient,
) -> None:
    http = otp_required
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OTP_MAX_SENDS", "1")
        get_settings.cache_clear()
        verified = http.post("/api/v1/verify", json=RINA.verify_body(), headers=HELPER_HEADERS)
        refused = ask_consent(http, verified.json()["verification_token"])
    get_settings.cache_clear()
    assert refused.status_code == 429 and refused.json()["error"]["code"] == "rate_limited"
    assert _sms_count("helper_consent") == 0
