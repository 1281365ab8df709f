"""A verified worker reads and changes how they are told (decision calls, reminders), on SQLite
and PostgreSQL; every change is audited and the reminder scheduler reads the same choice."""

from __future__ import annotations

from sqlalchemy import select

from api.db.models import AuditLog, ReminderPreference, Worker
from api.db.session import session_scope
from api.services import reminders
from tests.api.conftest import SERVICE_HEADERS, count_rows, database, db, verify  # noqa: F401
from tests.factory import RINA

ROUTE = "/api/v1/me/notify-settings"
ALL_ON = {"renewal": True, "documents": True, "life_certificate": True, "contribution": True}


def _rina() -> Worker:
    with session_scope() as s:
        worker = s.execute(select(Worker).where(Worker.uan == RINA.uan)).scalar_one()
        s.expunge(worker)
        return worker


def test_settings_need_a_verified_worker(client) -> None:
    assert client.get(ROUTE, headers=SERVICE_HEADERS).status_code == 401
    refused = client.put(ROUTE, json={"decision_calls": True}, headers=SERVICE_HEADERS)
    assert refused.status_code == 401 and not _rina().notify_by_call


def test_nothing_chosen_yet_means_reminders_on_and_no_calls(client) -> None:
    got = client.get(ROUTE, headers=verify(client))
    assert got.status_code == 200
    assert got.json() == {
        "chosen": False,
        "decision_calls": False,
        "reminders_all": True,
        "reminders": ALL_ON,
    }


def test_a_worker_turns_on_calls_and_one_kind_off_and_it_is_audited(client) -> None:
    headers = verify(client)
    changed = client.put(
        ROUTE, json={"decision_calls": True, "reminders": {"documents": False}}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "chosen": True,
        "decision_calls": True,
        "reminders_all": True,
        "reminders": {**ALL_ON, "documents": False},
    }
    assert _rina().notify_by_call
    with session_scope() as s:
        row = s.get(ReminderPreference, (_rina().id, "documents"))
        assert row is not None and not row.enabled and row.source == "worker"
        audited = s.execute(
            select(AuditLog).where(
                AuditLog.action == "worker.preference", AuditLog.purpose == "notify settings"
            )
        ).scalar_one()
        assert audited.worker_id == _rina().id and audited.actor == "rasa:test"
    assert client.get(ROUTE, headers=headers).json()["reminders"]["documents"] is False


def test_all_reminders_off_then_on_again(client) -> None:
    headers = verify(client)
    off = client.put(ROUTE, json={"reminders_all": False}, headers=headers)
    assert off.json()["reminders_all"] is False
    with session_scope() as s:
        row = s.get(ReminderPreference, (_rina().id, "all"))
        assert row is not None and not row.enabled
    on = client.put(ROUTE, json={"reminders_all": True, "decision_calls": False}, headers=headers)
    assert on.json() == {
        "chosen": True,
        "decision_calls": False,
        "reminders_all": True,
        "reminders": ALL_ON,
    }


def test_stop_by_sms_shows_in_the_settings(client) -> None:
    headers = verify(client)
    assert reminders.keyword(RINA.phone, "STOP", "en") is not None
    assert client.get(ROUTE, headers=headers).json()["reminders_all"] is False


def test_an_unknown_kind_changes_nothing(client) -> None:
    headers = verify(client)
    before = count_rows()
    refused = client.put(
        ROUTE, json={"decision_calls": True, "reminders": {"lottery": False}}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "invalid_input"
    assert count_rows() == before and not _rina().notify_by_call


def test_a_choice_by_the_older_call_preference_route_counts_as_chosen(client) -> None:
    headers = verify(client)
    put = client.put("/api/v1/me/call-preference", json={"notify_by_call": False}, headers=headers)
    assert put.status_code == 200
    assert client.get(ROUTE, headers=headers).json()["chosen"] is True
