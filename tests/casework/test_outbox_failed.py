"""Texts and calls that failed their last try are shown to supervisors: a list (numbers masked)
and a figure on the dashboard; officers cannot list them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.db.session import session_scope
from api.messaging import outbound
from tests.stand_ins import TwilioStandIn

WORKER = "+919800000123"


def _fails_for_good(twilio: TwilioStandIn) -> None:
    twilio.fail_first, twilio.fail_status = 1, 400  # Twilio refuses it: no retry
    with session_scope() as s:
        outbound.enqueue(s, to=WORKER, body="Your claim is approved", reason="decision")
    outbound.Sender().run_once()


def test_supervisors_see_what_failed_and_officers_cannot(
    twilio: TwilioStandIn, supervisor: TestClient, officer: TestClient
) -> None:
    before = supervisor.get("/api/v1/staff/dashboard").json()["outbox_failed"]
    _fails_for_good(twilio)
    listed = supervisor.get("/api/v1/staff/outbox/failed")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 1
    assert body["items"][0]["to"] == "…0123" and WORKER not in listed.text
    assert body["items"][0]["reason"] == "decision"
    assert supervisor.get("/api/v1/staff/dashboard").json()["outbox_failed"] == before + 1
    assert "outbox_failed,all,1" in supervisor.get("/api/v1/staff/dashboard.csv").text
    assert officer.get("/api/v1/staff/outbox/failed").status_code == 403
