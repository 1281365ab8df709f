"""Rasa as docker-compose runs it: conversations in PostgreSQL, locks in Redis.

A conversation started on one Rasa process is finished on a fresh one (a restart or another
replica), which is what lets docker-compose run several Rasa replicas behind the gateway.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import psycopg
import pytest
import yaml

from scripts.stack import BOT_PYTHON, ROOT, Service
from tests.e2e.conftest import RunningStack
from tests.factory import RINA
from tests.services import require_service

pytestmark = pytest.mark.e2e
RASA_PORT = 15105


def _endpoints(tmp_path: Path, database: str) -> Path:
    config = yaml.safe_load((ROOT / "bot" / "endpoints.yml").read_text())
    config["tracker_store"] = {
        "type": "SQL",
        "dialect": "postgresql",
        "url": "127.0.0.1",
        "port": 5432,
        "username": "postgres",
        "db": database,
        "login_db": "postgres",  # Rasa creates `db` through this one when it is missing
    }
    config["lock_store"] = {"type": "redis", "url": "127.0.0.1", "port": 6379, "db": 3}
    # keep ${...} unquoted so Rasa expands them from the environment
    text = yaml.safe_dump(config).replace("'${", "${").replace("}'", "}")
    path = tmp_path / "endpoints.yml"
    path.write_text(text)
    return path


def _rasa(stack: RunningStack, endpoints: Path, log: Path) -> Service:
    command = [
        str(BOT_PYTHON),
        str(ROOT / "bot" / "launch.py"),
        "run",
        "--model",
        str(stack.stack.model),
        "--enable-api",
        "--interface",
        "127.0.0.1",
        "--port",
        str(RASA_PORT),
        "--credentials",
        str(ROOT / "bot" / "credentials.yml"),
        "--endpoints",
        str(endpoints),
    ]
    env = dict(stack.stack.service("rasa").env)  # RASA_TOKEN: bot/launch.py demands one
    # /version needs no token and answers once the model is loaded (as in scripts/stack.py)
    return Service("rasa-pg", command, f"http://127.0.0.1:{RASA_PORT}/version", env, log)


def _wait(service: Service, timeout: float = 180) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not service.healthy():
        assert service.alive(), service.log_tail()
        assert time.monotonic() < deadline, "Rasa did not start"
        time.sleep(0.5)


def test_conversation_survives_a_restart_on_postgres_and_redis(
    running_stack: RunningStack, tmp_path: Path
) -> None:
    require_service("postgres")
    require_service("redis")
    database = f"rasa_e2e_{uuid.uuid4().hex[:8]}"
    endpoints = _endpoints(tmp_path, database)
    url = f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook"
    sender = f"replica-{uuid.uuid4().hex[:6]}"
    first = _rasa(running_stack, endpoints, tmp_path / "rasa-1.log")
    first.start()
    try:
        _wait(first)
        for text in ("hello", "1", RINA.uan):
            assert httpx.post(url, json={"sender": sender, "message": text}, timeout=30).json()
    finally:
        first.stop()
    second = _rasa(running_stack, endpoints, tmp_path / "rasa-2.log")
    second.start()
    try:
        _wait(second)
        reply = httpx.post(url, json={"sender": sender, "message": RINA.dob_typed}, timeout=30)
        assert "CLM-2026-000101" in reply.text, reply.text
    finally:
        second.stop()
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as admin:
            admin.autocommit = True
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
