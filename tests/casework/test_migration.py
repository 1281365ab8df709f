"""0004_casework on a database with requests in it (SQLite and PostgreSQL): every request gets a
case with its status and timeline, the old status columns go, and the way back restores them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text

from api.db.migrate import alembic_config, upgrade
from tests.services import POSTGRES_ADMIN_URL, require_service

OLD_ROWS = [
    "INSERT INTO workers (id, uan, name_en, name_bn, name_hi, date_of_birth, gender, phone, state,"
    " district, occupation, preferred_language, created_at, updated_at) VALUES (1,"
    " '100000000001', 'Rina', '', '', '1988-03-14', '', '+919800000001', '', 'Kolkata', '', 'bn',"
    " '2026-01-01', '2026-01-01')",
    "INSERT INTO schemes (code, name_en, name_bn, name_hi, kind) VALUES ('bocw_welfare', 'B', '',"
    " '', 'welfare')",
    "INSERT INTO enrollments (id, worker_id, scheme_code, status, renewable, created_at) VALUES"
    " (1, 1, 'bocw_welfare', 'lapsed', true, '2026-01-01')",
    "INSERT INTO pension_accounts (id, worker_id, scheme_code, monthly_amount, status) VALUES"
    " (1, 1, 'bocw_welfare', 3000, 'stopped')",
    "INSERT INTO claims (id, reference, worker_id, claim_type, description, status, submitted_on,"
    " channel, created_at, updated_at) VALUES (1, 'CLM-2026-000001', 1, 'medical', 'x', 'paid',"
    " '2026-01-01', 'web', '2026-01-02', '2026-01-02')",
    "INSERT INTO claim_events (claim_id, at, status, actor, note) VALUES (1, '2026-01-02',"
    " 'submitted', 'rasa:web:a', ''), (1, '2026-01-09', 'paid', 'office', 'paid by cheque')",
    "INSERT INTO renewal_requests (id, reference, worker_id, enrollment_id, scheme_code, status,"
    " channel, created_at) VALUES (1, 'REN-2026-000001', 1, 1, 'bocw_welfare', 'submitted',"
    " 'sms', '2026-02-01')",
    "INSERT INTO pension_restart_requests (id, reference, worker_id, pension_account_id, status,"
    " note, created_at) VALUES (1, 'PRR-2026-000001', 1, 1, 'submitted', '', '2026-03-01')",
    "INSERT INTO feedback (id, reference, category, text, channel, language, status, created_at)"
    " VALUES (1, 'FDB-2026-000001', 'bribery', 't', 'voice', 'hi', 'received', '2026-04-01')",
]


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'm.db'}"
        return
    require_service("postgres")
    name = f"shramik_mig_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_requests_become_cases_and_come_back(url: str) -> None:
    upgrade(url, "0003_staff_login_lockout")
    engine = create_engine(url)
    with engine.begin() as conn:
        for sql in OLD_ROWS:
            conn.execute(text(sql))
    upgrade(url)
    cases = _rows(
        engine, "SELECT reference, kind, status, language, district FROM cases ORDER BY id"
    )
    assert [c[:3] for c in cases] == [
        ("CLM-2026-000001", "claim", "paid"),
        ("REN-2026-000001", "renewal", "submitted"),
        ("PRR-2026-000001", "restart", "submitted"),
        ("FDB-2026-000001", "complaint", "received"),
    ]
    assert cases[0][3:] == ("bn", "Kolkata") and cases[3][3] == "hi"
    opened = _rows(engine, "SELECT reference FROM cases WHERE is_open ORDER BY id")
    assert [o[0] for o in opened] == ["REN-2026-000001", "PRR-2026-000001", "FDB-2026-000001"]
    events = _rows(
        engine,
        "SELECT e.to_status, e.actor, e.note FROM case_events e JOIN cases c ON c.id = e.case_id"
        " WHERE c.kind = 'claim' ORDER BY e.id",
    )
    assert events == [("submitted", "rasa:web:a", ""), ("paid", "office", "paid by cheque")]
    for table in ("claims", "renewal_requests", "pension_restart_requests", "feedback"):
        columns = {c["name"] for c in inspect(engine).get_columns(table)}
        assert "status" not in columns and "case_id" in columns
    assert "claim_events" not in inspect(engine).get_table_names()
    engine.dispose()
    command.downgrade(alembic_config(url), "0003_staff_login_lockout")
    engine = create_engine(url)
    assert _rows(engine, "SELECT status FROM claims") == [("paid",)]
    assert _rows(engine, "SELECT status FROM feedback") == [("received",)]
    assert len(_rows(engine, "SELECT * FROM claim_events")) == 2
    assert "cases" not in inspect(engine).get_table_names()
    engine.dispose()
    upgrade(url)
