"""The phone line's part in casework, through signed webhooks: a missed call becomes a call-back
case, the wait is announced with a key for a call-back, no officers' line means a call-back at
once, and a decision is read aloud with "1 again, 0 an officer"."""

from __future__ import annotations

from sqlalchemy import select

from api.db.models import CallbackRequest, Case, CaseNotice, OutboundCall
from api.db.session import session_scope
from api.domain import casework
from api.services import decisions, handoff
from api.services.context import Ctx
from api.services.staff_auth import create_user, login
from api.settings import get_settings
from locales import translate
from tests.factory import RINA
from tests.secrets import STAFF_PASSWORD
from tests.voice.conftest import UNKNOWN, outbound_rows, post_signed, simulator

LINE = "+15005550006"


def _callbacks() -> list[tuple[str, str, str]]:
    with session_scope() as s:
        rows = s.execute(
            select(CallbackRequest.phone, CallbackRequest.source, Case.reference).join(
                Case, Case.id == CallbackRequest.case_id
            )
        ).all()
        return [(r[0], r[1], r[2]) for r in rows]


def test_a_missed_call_opens_a_call_back_case_and_still_rings_back(app_client) -> None:
    params = {"CallSid": "CA" + "8" * 32, "From": RINA.phone, "To": LINE}
    assert "<Reject" in post_signed(app_client, "/voice/missed-call", params).text
    post_signed(app_client, "/voice/missed-call", params)  # delivered twice: one case
    ((phone, source, reference),) = _callbacks()
    assert (phone, source) == (RINA.phone, "missed_call") and reference.startswith("CBK-")
    with session_scope() as s:
        case = s.execute(select(Case).where(Case.reference == reference)).scalar_one()
        assert case.language == "bn" and case.worker_id is not None  # Rina's number
        assert s.execute(select(OutboundCall.to_address)).scalar_one() == RINA.phone


def test_the_wait_is_announced_and_1_books_a_call_back(app_client) -> None:
    with session_scope() as s:
        for n in range(3):  # three hand-overs ahead, one officer logged in
            handoff.create(
                s,
                Ctx(),
                conversation_id=f"rasa:web:ahead-{n}",
                channel="web",
                language="en",
                reason="asked",
                transcript=[],
                worker=None,
            )
        login(s, Ctx(), "officer1", STAFF_PASSWORD)
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    told = sim.press("0")
    minutes = str(3 * get_settings().officer_minutes_per_ticket)
    assert told[-1] == translate("casework.wait_estimate", "en", minutes=minutes)
    heard = sim.press("1")
    assert heard[0] == translate("voice.callback_booked", "en") and sim.ended
    assert sim.dialled == []
    ((phone, source, reference),) = _callbacks()
    assert (phone, source) == (UNKNOWN, "ivr")
    bodies = [r["body"] for r in outbound_rows()]
    assert translate("voice.sms_callback", "en", reference=reference) in bodies


def test_no_officers_line_offers_a_call_back_at_once(app_client, monkeypatch) -> None:
    monkeypatch.setenv("STAFF_NUMBER", "")
    get_settings.cache_clear()
    sim = simulator(app_client, UNKNOWN)
    sim.start()
    sim.press("3")
    heard = sim.press("0")
    assert heard[-1] == translate("casework.callback_offer_now", "en")
    assert "No officer can take calls" in heard[-2] and sim.waiting_for("callback")
    assert not [e for e in sim.events if e.kind == "enqueue"]
    sim.press("1")
    assert [source for _, source, _ in _callbacks()] == ["ivr"]


def _notice_for_rina() -> int:
    with session_scope() as s:
        case = s.execute(select(Case).where(Case.reference == "CLM-2026-000101")).scalar_one()
        decision = casework.Decision(status="approved", version=1, amount=100000)
        decisions.apply(s, Ctx(actor="staff:test"), case, decision, casework.Role.OFFICER)
        return int(s.execute(select(CaseNotice.id)).scalar_one())


def _worker_call(app_client):
    sim = simulator(app_client, LINE)  # an outbound call: from the line, to the worker
    sim.line = RINA.phone
    return sim


def test_a_decision_is_read_aloud_1_repeats_0_reaches_the_officer(app_client) -> None:
    notice = _notice_for_rina()
    sim = _worker_call(app_client)
    heard = sim.start(f"/voice/notice?notice={notice}")
    assert heard[0] == translate("casework.notice_intro", "bn")
    assert "CLM-2026-000101" in heard[1] and "১,০০,০০০ টাকা" in heard[1]  # money said aloud
    assert heard[2] == translate("casework.notice_keys", "bn")
    assert sim.press("1")[1] == heard[1]
    sim.press("0")
    assert sim.dialled == ["+913312345678"]


def test_out_of_hours_0_books_a_call_back_on_the_number_rung(app_client, monkeypatch) -> None:
    monkeypatch.setenv("OFFICE_DAYS", "")
    get_settings.cache_clear()
    notice = _notice_for_rina()
    sim = _worker_call(app_client)
    sim.start(f"/voice/notice?notice={notice}")
    heard = sim.press("0")
    ((phone, source, reference),) = _callbacks()
    assert (phone, source) == (RINA.phone, "notice")
    assert heard[0] == translate("casework.callback_booked", "bn", reference=reference)
    assert sim.ended


def test_silence_or_another_key_says_goodbye(app_client) -> None:
    notice = _notice_for_rina()
    sim = _worker_call(app_client)
    sim.start(f"/voice/notice?notice={notice}")
    assert sim.silence() == [translate("voice.goodbye", "bn")] and sim.ended


def test_unsigned_notice_requests_are_refused(app_client) -> None:
    assert app_client.post("/voice/notice?notice=1", data={"CallSid": "x"}).status_code == 403


def test_staff_sessions_count_as_officers_on_duty(env) -> None:
    with session_scope() as s:
        create_user(s, "second", "a long enough secret")
        login(s, Ctx(), "officer1", STAFF_PASSWORD)
        login(s, Ctx(), "second", "a long enough secret")
        for n in range(4):
            handoff.create(
                s,
                Ctx(),
                conversation_id=f"rasa:web:w{n}",
                channel="web",
                language="en",
                reason="asked",
                transcript=[],
                worker=None,
            )
        assert handoff.expected_wait(s, "rasa:web:w3") == 9  # 3 ahead, 2 officers, 6 min each
        assert handoff.expected_wait(s, "rasa:web:new") == 12
