"""0020_helper_consents goes up and down on SQLite and PostgreSQL (the audit trail and the cases
keep their rows both ways)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import create_engine, inspect, text

from api.db.migrate import alembic_config, upgrade
from tests.casework.test_migration import url  # noqa: F401


def test_the_helper_tables_come_and_go(url: str) -> None:  # noqa: F811
    upgrade(url)
    engine = create_engine(url)
    try:
        found = inspect(engine)
        assert "helper_consents" in found.get_table_names()
        assert "helper_consent_id" in {c["name"] for c in found.get_columns("audit_log")}
        assert "helper_consent_id" in {c["name"] for c in found.get_columns("cases")}
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_log (at, actor, action, subject, purpose, outcome,"
                    " request_id) VALUES ('2026-01-01', 'rasa:web:a', 'verify', '', 'p', 'ok', '')"
                )
            )
        command.downgrade(alembic_config(url), "0019_sender_pseudonyms")
        back = inspect(engine)
        assert "helper_consents" not in back.get_table_names()
        assert "helper_consent_id" not in {c["name"] for c in back.get_columns("audit_log")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 1
        upgrade(url)
        assert "helper_consents" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
