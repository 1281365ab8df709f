"""A family claim is decided like any claim; the decision goes to the family member's phone,
never the dead worker's, even after someone reads the worker's status on another channel."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import OutboundMessage
from api.db.session import session_scope
from tests.api.conftest import SERVICE_HEADERS
from tests.casework.conftest import decide
from tests.family.conftest import (
    CALLER,
    WORKER_PHONE,
    file_family_claim,
    make_deceased,
    sent_to,
    strong_family,
)


def test_the_decision_goes_to_the_family_member(client: TestClient, officer: TestClient) -> None:
    who = make_deceased(pension=("pm_sym", 3000))
    reference = file_family_claim(
        client, strong_family(client, who), claim_type="family_pension"
    ).json()["reference"]
    # someone holding the worker's UAN and date of birth reads the status on WhatsApp
    elsewhere = {**SERVICE_HEADERS, "X-Conversation-ID": "rasa:whatsapp:+919812355555"}
    token = client.post(
        "/api/v1/verify",
        json={"uan": who.uan, "date_of_birth": who.dob, "channel": "whatsapp"},
        headers=elsewhere,
    ).json()["verification_token"]
    seen = client.get("/api/v1/me/status", headers={**elsewhere, "X-Verification-Token": token})
    assert seen.status_code == 200, seen.text
    assert decide(officer, reference, status="under_review").status_code == 200
    r = decide(officer, reference, status="approved", amount=1500)
    assert r.status_code == 200, r.text
    decisions = sent_to("case_decision")
    assert decisions and set(decisions) == {CALLER}
    assert WORKER_PHONE not in decisions
    with session_scope() as s:
        channels = set(
            s.execute(
                select(OutboundMessage.channel).where(OutboundMessage.reason == "case_decision")
            ).scalars()
        )
    assert channels == {"sms"}  # filed in web chat: SMS; the WhatsApp status read moved nothing
