"""Changes that move money or rights need a code sent to the REGISTERED phone; reads do not.

The code is never readable in the database: not in the session, not in the outbox row before
or after sending.
"""

from __future__ import annotations

import re

from sqlalchemy import select, update

from api.db.models import OutboundMessage, Worker
from api.db.session import session_scope
from tests.api.conftest import SERVICE_HEADERS as H
from tests.factory import RINA
from tests.security.helpers import database_dump, send_outbox, token_headers, verify

CLAIM = {
    "claim_type": "medical",
    "incident_date": "2026-11-01",
    "description": "fever",
    "bank_account_last4": "3307",
}
NOMINEE = {"name": "Mitali Das", "relation": "daughter"}


def _send(client, token: str, **extra: str):
    return client.post(
        "/api/v1/verify/otp/send", json={"verification_token": token, **extra}, headers=H
    )


def _type(client, token: str, code: str):
    return client.post(
        "/api/v1/verify/otp", json={"verification_token": token, "code": code}, headers=H
    )


def test_basic_reads_but_only_the_code_changes_nominee_or_files_a_claim(client) -> None:
    answer = verify(client)
    assert answer.status_code == 200 and answer.json()["level"] == "basic"
    token = answer.json()["verification_token"]
    headers = token_headers(token)
    assert client.get("/api/v1/me/status", headers=headers).status_code == 200
    for refused in (
        client.put("/api/v1/me/nominee", json=NOMINEE, headers=headers),
        client.post("/api/v1/me/claims", json=CLAIM, headers=headers),
    ):
        assert refused.status_code == 401, refused.text
        assert refused.json()["error"]["code"] == "otp_required"

    sent = _send(client, token, phone="+919811111111")  # a number the caller gives is ignored
    assert sent.status_code == 200, sent.text
    assert sent.json()["phone_last2"] == "01"
    with session_scope() as s:
        row = s.execute(select(OutboundMessage)).scalar_one()
        assert row.to_address == "+919800000001" and row.reason == "otp"
        assert not re.search(r"\d{6}", row.body), "the stored body carries no code"

    texted = send_outbox()
    assert [m["to"] for m in texted] == ["+919800000001"]
    code = re.findall(r"\d{6}", texted[0]["body"])[0]
    assert code not in database_dump(), "a database dump shows no usable code"
    with session_scope() as s:
        assert s.execute(select(OutboundMessage)).scalar_one().template_params is None

    strong = _type(client, token, code)
    assert strong.status_code == 200 and strong.json()["level"] == "strong"
    assert client.put("/api/v1/me/nominee", json=NOMINEE, headers=headers).status_code == 200
    assert client.post("/api/v1/me/claims", json=CLAIM, headers=headers).status_code == 201


def test_caller_id_proves_nothing_on_the_phone_or_by_sms(client) -> None:
    for actor in ("rasa:sms:+919800000001", "rasa:voice:CA0001"):
        token = verify(client, actor=actor).json()["verification_token"]
        refused = client.put(
            "/api/v1/me/nominee", json=NOMINEE, headers=token_headers(token, actor)
        )
        assert refused.json()["error"]["code"] == "otp_required", actor


def test_a_wrong_or_stale_code_does_not_upgrade(client) -> None:
    token = verify(client).json()["verification_token"]
    early = _type(client, token, "123456")
    assert early.status_code == 401 and early.json()["error"]["code"] == "otp_expired"
    assert _send(client, token).status_code == 200
    code = re.findall(r"\d{6}", send_outbox()[0]["body"])[0]
    wrong = _type(client, token, "000000" if code != "000000" else "111111")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "wrong_otp"
    assert wrong.json()["error"]["attempts_left"] == 2
    refused = client.post("/api/v1/me/claims", json=CLAIM, headers=token_headers(token))
    assert refused.json()["error"]["code"] == "otp_required"


def test_sending_codes_is_limited(client) -> None:
    token = verify(client).json()["verification_token"]
    assert _send(client, token).status_code == 200
    again = _send(client, token)
    assert again.status_code == 429 and again.json()["error"]["code"] == "rate_limited"
    assert again.json()["error"]["retry_after_s"] > 0
    with session_scope() as s:
        assert len(list(s.execute(select(OutboundMessage)).scalars())) == 1


def test_one_worker_gets_at_most_twice_the_session_cap_of_codes_an_hour(client) -> None:
    """New sessions do not reset the count: someone holding the card cannot flood the phone."""
    statuses = [
        _send(client, verify(client).json()["verification_token"]).status_code for _ in range(7)
    ]
    assert statuses == [200] * 6 + [429]


def test_a_worker_without_a_phone_is_told_apart_so_an_officer_can_help(client) -> None:
    with session_scope() as s:
        s.execute(update(Worker).where(Worker.uan == RINA.uan).values(phone=None))
    token = verify(client).json()["verification_token"]
    refused = _send(client, token)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "no_registered_phone"
    with session_scope() as s:
        assert s.execute(select(OutboundMessage)).first() is None


def test_an_expired_code_is_never_sent(client) -> None:
    token = verify(client).json()["verification_token"]
    assert _send(client, token).status_code == 200
    with session_scope() as s:
        row = s.execute(select(OutboundMessage)).scalar_one()
        row.template_params = {
            **(row.template_params or {}),
            "expires_at": "2000-01-01T00:00:00+00:00",
        }
    assert send_outbox() == []
    with session_scope() as s:
        row = s.execute(select(OutboundMessage)).scalar_one()
        assert row.status == "failed" and row.template_params is None


def test_with_otp_required_a_worker_without_a_phone_still_gets_a_session(
    client, monkeypatch
) -> None:
    from api.settings import get_settings

    monkeypatch.setenv("OTP_REQUIRED", "true")
    get_settings.cache_clear()
    with session_scope() as s:
        s.execute(update(Worker).where(Worker.uan == RINA.uan).values(phone="+19005550123"))
    answer = verify(client)
    get_settings.cache_clear()
    assert answer.status_code == 200 and answer.json()["otp_required"] is True
    refused = _send(client, answer.json()["verification_token"])
    assert refused.json()["error"]["code"] == "no_registered_phone", "a premium number is no phone"


def test_no_log_line_shows_a_code_even_at_debug(client, caplog) -> None:
    """Sent, typed wrong and typed right with every logger at DEBUG: the code is in no record."""
    import logging

    caplog.set_level(logging.DEBUG)
    token = verify(client).json()["verification_token"]
    assert _send(client, token).status_code == 200
    code = re.findall(r"\d{6}", send_outbox()[0]["body"])[0]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert _type(client, token, wrong).status_code != 200
    assert _type(client, token, code).json()["level"] == "strong"
    said = "\n".join(
        [r.getMessage() for r in caplog.records] + [str(vars(r)) for r in caplog.records]
    )
    assert caplog.records and code not in said and wrong not in said


def test_withdrawing_a_claim_needs_the_code_like_filing_it(client) -> None:
    """UAN + date of birth alone (a housemate) cannot give up the worker's claim."""
    token = verify(client).json()["verification_token"]
    assert _send(client, token).status_code == 200
    code = re.findall(r"\d{6}", send_outbox()[0]["body"])[0]
    assert _type(client, token, code).status_code == 200
    filed = client.post("/api/v1/me/claims", json=CLAIM, headers=token_headers(token))
    assert filed.status_code == 201, filed.text
    reference = filed.json()["reference"]

    basic = token_headers(verify(client).json()["verification_token"])
    refused = client.post(f"/api/v1/me/cases/{reference}/withdraw", headers=basic)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "otp_required"
    done = client.post(f"/api/v1/me/cases/{reference}/withdraw", headers=token_headers(token))
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
