"""0002_voice applies and reverts cleanly on PostgreSQL (SQLite is covered by every other test)."""

from __future__ import annotations

import secrets

from alembic import command
from sqlalchemy import create_engine, inspect, text

from api.db.migrate import alembic_config, upgrade
from tests.services import POSTGRES_ADMIN_URL, require_service

TABLES = {
    "voice_calls",
    "voice_turns",
    "webhook_receipts",
    "call_status_events",
    "messaging_contacts",
    "outbound_calls",
    "menu_choices",
}


def test_voice_migration_up_and_down_on_postgres() -> None:
    require_service("postgres")
    name = f"shramik_voice_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        upgrade(url)
        engine = create_engine(url)
        assert set(inspect(engine).get_table_names()) >= TABLES
        command.downgrade(alembic_config(url), "0001_initial")
        assert not TABLES & set(inspect(engine).get_table_names())
        upgrade(url)
        assert set(inspect(engine).get_table_names()) >= TABLES
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
