"""Reminders with a fake clock, on SQLite and PostgreSQL: each kind is due on its day, quiet
hours wait for the morning, STOP opts out, and two scans at once queue each reminder once."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from api.db.models import (
    Case,
    Claim,
    Enrollment,
    OutboundCall,
    OutboundMessage,
    PensionAccount,
    Reminder,
    Worker,
)
from api.db.session import session_scope
from api.domain import reminders as rules
from api.services import reminders
from tests.api.conftest import database, db  # noqa: F401
from tests.factory import ANWAR, RAMESH, RINA

IST = ZoneInfo("Asia/Kolkata")
NOW = datetime(2027, 3, 1, 10, 0, tzinfo=IST)  # a weekday morning
TODAY = NOW.date()
WINDOW = (time(21, 0), time(8, 0))


# --- pure rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "stage_days"),
    [(31, None), (30, 30), (10, 30), (7, 7), (0, 7), (-1, None)],
)
def test_renewal_is_due_30_then_7_days_before(days_left: int, stage_days: int | None) -> None:
    ends = TODAY + timedelta(days=days_left)
    due = rules.renewal(5, scheme="bocw_welfare", status="active", valid_until=ends, today=TODAY)
    if stage_days is None:
        assert due is None
        return
    assert due is not None and due.due_on == ends - timedelta(days=stage_days)
    assert due.key() == f"reminder:renewal:5:{due.due_on.isoformat()}"


def test_renewal_only_for_renewable_schemes_still_active() -> None:
    ends = TODAY + timedelta(days=7)
    assert rules.renewal(1, scheme="pm_sym", status="active", valid_until=ends, today=TODAY) is None
    lapsed = rules.renewal(1, scheme="bocw_welfare", status="lapsed", valid_until=ends, today=TODAY)
    assert lapsed is None


def test_documents_after_a_week_of_waiting() -> None:
    since = TODAY - timedelta(days=6)
    assert rules.documents(3, pending=1, is_open=True, since=since, today=TODAY) is None
    due = rules.documents(3, pending=1, is_open=True, since=since, today=TODAY + timedelta(1))
    assert due is not None and due.due_on == since + timedelta(days=7)
    assert (
        rules.documents(3, pending=0, is_open=True, since=since, today=TODAY + timedelta(9)) is None
    )
    assert (
        rules.documents(3, pending=2, is_open=False, since=since, today=TODAY + timedelta(9))
        is None
    )


def test_life_certificate_and_contribution() -> None:
    by = TODAY + timedelta(days=20)
    due = rules.life_certificate(2, status="active", due_on=by, today=TODAY)
    assert due is not None and due.due_on == by - timedelta(days=30) and due.deadline == by
    assert rules.life_certificate(2, status="stopped", due_on=by, today=TODAY) is None
    paid = TODAY - timedelta(days=1)
    assert (
        rules.contribution(4, scheme="pm_sym", status="active", paid_until=paid, today=paid) is None
    )
    missed = rules.contribution(4, scheme="pm_sym", status="active", paid_until=paid, today=TODAY)
    assert missed is not None and missed.due_on == TODAY


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [(time(20, 59), False), (time(21, 0), True), (time(2, 0), True), (time(7, 59), True),
     (time(8, 0), False), (time(13, 0), False)],
)  # fmt: skip
def test_quiet_hours_wrap_midnight(clock: time, quiet: bool) -> None:
    local = datetime.combine(TODAY, clock, IST)
    assert rules.in_quiet_hours(local, WINDOW) is quiet
    later = rules.quiet_until(local, WINDOW)
    assert (later > local) is quiet and not rules.in_quiet_hours(later, WINDOW)
    assert rules.parse_window("21:00-08:00") == WINDOW and rules.parse_window("") is None


@pytest.mark.parametrize("text", ["STOP", " stop! ", "বন্ধ", "Bondho", "रोको", "roko", "Band Karo"])
def test_stop_words(text: str) -> None:
    assert rules.is_stop(text) and not rules.is_start(text)


@pytest.mark.parametrize("text", ["my pension stopped", "pension bondho", "stop stop", "1"])
def test_only_a_whole_stop_message_stops(text: str) -> None:
    assert not rules.is_stop(text)


# --- the service on a database --------------------------------------------------------------


def _worker_id(uan: str) -> int:
    with session_scope() as s:
        return int(s.execute(select(Worker.id).where(Worker.uan == uan)).scalar_one())


@pytest.fixture
def due_world(db: str) -> dict[str, str]:  # noqa: F811
    """One reminder of each kind due on NOW; their expected once-only keys."""
    rina, ramesh, anwar = _worker_id(RINA.uan), _worker_id(RAMESH.uan), _worker_id(ANWAR.uan)
    moved = datetime(2027, 2, 20, 6, 0, tzinfo=UTC)
    with session_scope() as s:
        s.execute(update(Enrollment).values(contribution_paid_until=None))
        renew = s.execute(
            select(Enrollment).where(
                Enrollment.worker_id == rina, Enrollment.scheme_code == "bocw_welfare"
            )
        ).scalar_one()
        renew.status, renew.valid_until = "active", TODAY + timedelta(days=30)
        sym = s.execute(
            select(Enrollment).where(
                Enrollment.worker_id == ramesh, Enrollment.scheme_code == "pm_sym"
            )
        ).scalar_one()
        sym.contribution_paid_until = TODAY - timedelta(days=14)
        pension = s.execute(
            select(PensionAccount).where(PensionAccount.worker_id == anwar)
        ).scalar_one()
        pension.status, pension.life_certificate_due_on = "active", TODAY + timedelta(days=7)
        claim = s.execute(select(Claim).where(Claim.worker_id == rina)).scalars().first()
        assert claim is not None
        s.execute(update(Case).values(updated_at=NOW.astimezone(UTC)))  # nothing else waits
        s.execute(update(Case).where(Case.id == claim.case_id).values(updated_at=moved))
        return {
            "renewal": f"reminder:renewal:{renew.id}:{TODAY.isoformat()}",
            "contribution": f"reminder:contribution:{sym.id}:{(TODAY - timedelta(13)).isoformat()}",
            "life_certificate": f"reminder:life_certificate:{pension.id}:{TODAY.isoformat()}",
            "documents": f"reminder:documents:{claim.id}:2027-02-27",
        }


def _queued() -> dict[str, OutboundMessage]:
    with session_scope() as s:
        rows = s.execute(select(OutboundMessage).where(OutboundMessage.reason == "reminder"))
        found = {m.dedupe_key: m for m in rows.scalars()}
        s.expunge_all()
        return found


def test_each_kind_is_queued_once_in_the_workers_language(due_world: dict[str, str]) -> None:
    report = reminders.run_once(NOW)
    assert report.queued == 4 and report.deferred == 0, report
    queued = _queued()
    assert set(queued) == set(due_world.values())
    renewal = queued[due_world["renewal"]]
    assert "৩১ মার্চ, ২০২৭" in renewal.body and "৩০" in renewal.body  # Rina reads Bengali
    assert renewal.body.endswith("STOP লিখে পাঠান।")
    contribution = queued[due_world["contribution"]].body
    assert "₹100" in contribution and "16 फ़रवरी 2027" in contribution  # Ramesh reads Hindi
    again = reminders.run_once(NOW + timedelta(hours=2))
    assert again.queued == 0 and again.already == 4
    assert set(_queued()) == set(due_world.values())


def test_quiet_hours_wait_for_the_morning(due_world: dict[str, str]) -> None:
    night = datetime.combine(TODAY, time(22, 30), IST)
    deferred = reminders.run_once(night)
    assert deferred.deferred == 4 and deferred.queued == 0 and _queued() == {}
    morning = datetime.combine(TODAY + timedelta(days=1), time(8, 5), IST)
    assert rules.quiet_until(night, WINDOW) < morning
    assert reminders.run_once(morning).queued == 4


def test_stop_by_sms_opts_out_and_start_opts_in(due_world: dict[str, str]) -> None:
    from voice import sms

    answer = asyncio.run(sms._answer(RINA.phone, "sms", "বন্ধ", 0))
    assert "START" in answer and "শ্রমিক সহায়ক" in answer
    report = reminders.run_once(NOW)
    assert report.opted_out == 2 and report.queued == 2  # Rina's renewal and documents
    assert due_world["renewal"] not in _queued()
    assert reminders.keyword(RINA.phone, "start", "en") is not None
    assert reminders.run_once(NOW).queued == 2


def test_one_kind_off_keeps_the_others(due_world: dict[str, str]) -> None:
    with session_scope() as s:
        reminders.set_preference(s, _worker_id(RINA.uan), "documents", False, "staff")
    report = reminders.run_once(NOW)
    assert report.opted_out == 1 and due_world["renewal"] in _queued()


def test_a_worker_who_chose_calls_gets_a_call_that_reads_it(due_world: dict[str, str]) -> None:
    rina = _worker_id(RINA.uan)
    with session_scope() as s:
        worker = s.get(Worker, rina)
        assert worker is not None
        worker.notify_by_call = True
        s.execute(update(Case).where(Case.worker_id == rina).values(channel="voice"))
    assert reminders.run_once(NOW).calls == 2  # her renewal and her claim's documents
    with session_scope() as s:
        key = due_world["renewal"]
        call = s.execute(
            select(OutboundCall).where(OutboundCall.dedupe_key == f"{key}:call")
        ).scalar_one()
        row = s.execute(select(Reminder).where(Reminder.dedupe_key == key)).scalar_one()
        assert call.path == f"/voice/reminder?reminder={row.id}&lang=bn"
    read = reminders.for_call(row.id)
    assert read is not None and read["language"] == "bn" and "STOP" not in read["text"]
    assert reminders.stop_from_call(row.id)
    assert reminders.run_once(NOW + timedelta(days=7)).opted_out == 2  # the 7-day stage


def test_two_scans_at_once_queue_each_reminder_once(due_world: dict[str, str]) -> None:
    """Both processes plan before either queues (a barrier), then both queue everything."""
    barrier = threading.Barrier(2, timeout=30)
    reports: list[reminders.Report] = []
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            with session_scope() as s:
                items = reminders.plan(s, TODAY)
            barrier.wait()
            reports.append(reminders.send(items))
        except BaseException as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert sum(r.queued for r in reports) == 4
    assert sum(r.already for r in reports) == 4
    assert set(_queued()) == set(due_world.values())
    with session_scope() as s:
        assert len(s.execute(select(Reminder.id)).all()) == 4


def test_cli_runs_one_pass(due_world: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    from api.reminders import main

    assert main(["--once", "--now", NOW.isoformat()]) == 0
    assert '"queued": 4' in capsys.readouterr().out


def test_nothing_due_before_the_first_stage(db: str) -> None:  # noqa: F811
    with session_scope() as s:
        s.execute(update(Case).values(updated_at=NOW.astimezone(UTC)))
        s.execute(update(Enrollment).values(contribution_paid_until=None))
        items = reminders.plan(s, date(2026, 1, 5))
    assert [i.due.kind for i in items if i.due.kind != rules.Kind.RENEWAL] == []
