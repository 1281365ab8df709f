"""A reminder read aloud through signed webhooks: "1 again, 9 no more reminders"."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.db.models import Case, Enrollment, Reminder, ReminderPreference, Worker
from api.db.session import session_scope
from api.services import reminders
from locales import translate
from tests.factory import RINA
from tests.voice.conftest import simulator

LINE = "+15005550006"
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def _reminder_for_rina() -> int:
    """Rina chose calls and last came by phone; her membership ends in 30 days."""
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        worker.notify_by_call = True
        s.execute(update(Case).where(Case.worker_id == worker.id).values(channel="voice"))
        s.execute(
            update(Enrollment)
            .where(Enrollment.worker_id == worker.id, Enrollment.scheme_code == "bocw_welfare")
            .values(status="active", valid_until=date(2027, 3, 31))
        )
    assert reminders.run_once(NOW).calls >= 1
    with session_scope() as s:
        return int(s.execute(select(Reminder.id).where(Reminder.kind == "renewal")).scalar_one())


def test_a_reminder_is_read_aloud_1_repeats_9_stops(app_client: TestClient) -> None:
    reminder = _reminder_for_rina()
    sim = simulator(app_client, LINE)
    sim.line = RINA.phone
    heard = sim.start(f"/voice/reminder?reminder={reminder}")
    assert heard[0] == translate("reminder.call_intro", "bn")
    assert "৩১ মার্চ, ২০২৭" in heard[1]
    assert heard[2] == translate("reminder.call_keys", "bn")
    assert sim.press("1")[1] == heard[1]
    assert sim.press("9") == [translate("reminder.stopped_call", "bn")] and sim.ended
    with session_scope() as s:
        row = s.execute(select(ReminderPreference)).scalar_one()
        assert (row.kind, row.enabled, row.source) == ("all", False, "call_key")


def test_unsigned_reminder_requests_are_refused(app_client: TestClient) -> None:
    assert app_client.post("/voice/reminder?reminder=1", data={"CallSid": "x"}).status_code == 403
