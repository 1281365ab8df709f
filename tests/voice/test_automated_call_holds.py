"""The webhooks outside the call menu (a decision or a reminder read aloud, how an officer's
<Dial> ended) say "one moment" when their step is slow, come back for it, and after
VOICE_MAX_HOLDS say sorry with a way to a person: never silence (issue 22).

What makes the step slow: another connection holding SQLite's write lock (tests/voice/
test_answer_deadline.py) for the steps that write; for the reads (SQLite's WAL lets them pass the
lock), the service's read waits until the same moment the lock would have ended.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.db.models import CallbackRequest, ReminderPreference
from api.db.session import session_scope
from api.services import notices, reminders
from api.settings import get_settings
from locales import translate
from tests.factory import RINA
from tests.voice.conftest import KNOWN_BN, post_signed, simulator
from tests.voice.test_answer_deadline import LOCKED_S, database_locked
from tests.voice.test_casework_calls import _notice_for_rina
from tests.voice.test_reminder_call import _reminder_for_rina

LINE = "+15005550006"
SID = "CA" + "7" * 32


@contextmanager
def slow_reads(monkeypatch: pytest.MonkeyPatch, seconds: float) -> Iterator[None]:
    """Reading a notice or a reminder takes until `seconds` from now (then at once again)."""
    until = time.monotonic() + seconds

    def late(read: Callable[[int], Any]) -> Callable[[int], Any]:
        def slow(row_id: int) -> Any:
            time.sleep(max(0.0, until - time.monotonic()))
            return read(row_id)

        return slow

    monkeypatch.setattr(notices, "for_call", late(notices.for_call))
    monkeypatch.setattr(reminders, "for_call", late(reminders.for_call))
    yield


def _worker_call(app_client: TestClient):  # type: ignore[no-untyped-def]
    sim = simulator(app_client, LINE)  # an outbound call: from the line, to the worker
    sim.line = RINA.phone
    return sim


def test_a_slow_notice_read_holds_then_reads(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = _notice_for_rina()
    sim = _worker_call(app_client)
    with slow_reads(monkeypatch, LOCKED_S):
        heard = sim.start(f"/voice/notice?notice={notice}&lang=bn")
    assert heard[0] == translate("voice.one_moment", "bn")  # in her language, not in each
    assert translate("casework.notice_intro", "bn") in heard
    assert "CLM-2026-000101" in " ".join(heard) and sim.gather is not None


def test_the_hold_redirect_carries_the_key_pressed(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Twilio's redirect has no Digits of its own: 0 (an officer) must survive the hold."""
    notice = _notice_for_rina()
    call = {"CallSid": SID, "From": LINE, "To": RINA.phone, "Digits": "0"}
    with slow_reads(monkeypatch, LOCKED_S):
        answer = post_signed(app_client, f"/voice/notice/key?notice={notice}&lang=bn", call)
    redirect = ET.fromstring(answer.text).find("Redirect")  # noqa: S314
    assert redirect is not None
    url = redirect.text or ""
    assert "/voice/notice/key" in url and "digits=0" in url and "hop=1" in url


def test_out_of_hours_0_after_a_hold_books_one_call_back(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OFFICE_DAYS", "")
    get_settings.cache_clear()
    notice = _notice_for_rina()
    sim = _worker_call(app_client)
    sim.start(f"/voice/notice?notice={notice}&lang=bn")
    with slow_reads(monkeypatch, LOCKED_S):
        heard = sim.press("0")
    assert heard[0] == translate("voice.one_moment", "bn")
    assert sim.ended
    with session_scope() as s:
        rows = s.execute(select(CallbackRequest)).scalars().all()
    assert len(rows) == 1  # the step ran twice (held, then redirected): one call-back


def test_a_reminder_stop_after_a_hold_still_stops(
    app_client: TestClient, env: dict[str, str]
) -> None:
    reminder = _reminder_for_rina()
    sim = _worker_call(app_client)
    sim.start(f"/voice/reminder?reminder={reminder}&lang=bn")
    with database_locked(env["DATABASE_URL"], LOCKED_S):
        heard = sim.press("9")
    assert heard[0] == translate("voice.one_moment", "bn")
    assert heard[-1] == translate("reminder.stopped_call", "bn") and sim.ended
    with session_scope() as s:
        assert s.execute(select(ReminderPreference.enabled)).scalar_one() is False


def test_after_the_last_hold_the_caller_hears_sorry_and_a_person(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOICE_MAX_HOLDS", "0")
    get_settings.cache_clear()
    notice = _notice_for_rina()
    sim = _worker_call(app_client)
    with slow_reads(monkeypatch, LOCKED_S):
        heard = sim.start(f"/voice/notice?notice={notice}&lang=bn")
    assert heard[0] == translate("voice.assistant_down", "bn")
    assert sim.dialled == ["+913312345678"]  # the officers' line (tests' STAFF_NUMBER)


def test_a_dial_status_while_the_database_is_locked_keeps_the_dial_outcome(
    app_client: TestClient, env: dict[str, str]
) -> None:
    sim = simulator(app_client, KNOWN_BN)
    sim.start()  # the call exists: its hand-over's outcome is written to it
    call = {"CallSid": sim.call_sid, "From": KNOWN_BN, "To": LINE, "DialCallStatus": "no-answer"}
    with database_locked(env["DATABASE_URL"], LOCKED_S):
        answer = post_signed(app_client, "/voice/dial-status?lang=hi", call)
    root = ET.fromstring(answer.text)  # noqa: S314
    said = [(n.text or "").strip() for n in root.iter() if n.tag in ("Say", "Play")]
    redirect = root.find("Redirect")
    assert redirect is not None and "status=no-answer" in (redirect.text or "")
    assert "hop=1" in (redirect.text or "") and "lang=hi" in (redirect.text or "")
    assert said and all(said)
