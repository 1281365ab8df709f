"""Two officers decide the same case at once, on PostgreSQL with real connections: exactly one
wins, the other gets `stale`.

The order is forced, not hoped for: the first officer's UPDATE holds the row until the second
officer's UPDATE is seen waiting for that lock (pg_stat_activity), then the first commits.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select, text

from api.db.models import CaseEvent, OutboundMessage, StaffUser
from api.db.session import session_scope
from api.domain import casework
from api.domain.errors import DomainError
from api.services import decisions
from api.services.context import Ctx
from tests.casework.conftest import RINA_CLAIM, case_row


def _officer(s: Any) -> StaffUser:
    return s.execute(select(StaffUser).where(StaffUser.username == "officer1")).scalar_one()


def _waiting_for_a_lock() -> int:
    with session_scope() as s:
        return int(
            s.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                )
            ).scalar_one()
        )


def test_two_officers_at_once_exactly_one_wins(db: str) -> None:
    if not db.startswith("postgresql"):
        pytest.skip("row locks: PostgreSQL (SQLite serialises every writer)")
    first_updated = threading.Event()
    let_first_commit = threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        with session_scope() as s:
            decision = casework.Decision(status="approved", version=1, amount=50000)
            decisions.decide(s, Ctx(actor="staff:a"), _officer(s), RINA_CLAIM, decision)
            first_updated.set()
            assert let_first_commit.wait(30)
        outcomes["first"] = "won"

    def second() -> None:
        try:
            with session_scope() as s:
                decision = casework.Decision(
                    status="rejected", version=1, reason="details_do_not_match"
                )
                decisions.decide(s, Ctx(actor="staff:b"), _officer(s), RINA_CLAIM, decision)
            outcomes["second"] = "won"
        except DomainError as error:
            outcomes["second"] = error.code

    a = threading.Thread(target=first)
    a.start()
    assert first_updated.wait(30)
    b = threading.Thread(target=second)
    b.start()
    for _ in range(600):  # the second officer's UPDATE is now blocked on the first's row lock
        if _waiting_for_a_lock() or not b.is_alive():
            break
        threading.Event().wait(0.05)
    let_first_commit.set()
    a.join(30)
    b.join(30)
    assert outcomes == {"first": "won", "second": "stale"}
    row = case_row(RINA_CLAIM)
    assert (row["status"], row["version"]) == ("approved", 2)
    with session_scope() as s:
        decided = s.execute(
            select(CaseEvent.to_status).where(CaseEvent.actor.in_(["staff:a", "staff:b"]))
        ).all()
        assert [d[0] for d in decided] == ["approved"]
        assert len(s.execute(select(OutboundMessage)).scalars().all()) == 1


def test_many_officers_at_once_one_wins_the_rest_are_stale(db: str) -> None:
    """Eight threads, same version, no forced order: one decision, seven `stale` answers."""
    start = threading.Barrier(8)
    results: list[str] = []
    lock = threading.Lock()

    def officer(n: int) -> None:
        start.wait(10)
        try:
            with session_scope() as s:
                decision = casework.Decision(
                    status="documents_pending", version=1, documents=("bank_passbook",)
                )
                decisions.decide(s, Ctx(actor=f"staff:{n}"), _officer(s), RINA_CLAIM, decision)
            outcome = "won"
        except DomainError as error:
            outcome = error.code
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["stale"] * 7 + ["won"]
    assert case_row(RINA_CLAIM)["version"] == 2
