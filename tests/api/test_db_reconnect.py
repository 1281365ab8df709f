"""A PostgreSQL restart makes the API slower, not failed; an unreachable database answers 503.

Why: the cluster's fault test restarts PostgreSQL under load (tests/cluster/test_faults.py).
Pooled connections are tested before use, a refused connection is tried again for a few seconds
(api/db/session.py), and what still fails is a 503, which the web chat page and the action
server send again, never a 500, which they take as the answer (api/web/errors.py).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from api.db.session import make_engine
from api.settings import DB_WAIT_MARGIN_S, Settings, get_settings
from api.web import errors
from tests.cluster.servers import PrivatePostgres, postgres_bindir


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[PrivatePostgres]:
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl); `make system-deps`")
    with socket.socket() as probe:  # a free port: never the machine's shared server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = PrivatePostgres(bindir, port, tmp_path / "postgres.log")
    server.init()
    server.start()
    yield server
    server.destroy()


def test_a_query_during_a_short_restart_waits_for_the_server(postgres: PrivatePostgres) -> None:
    engine = make_engine(postgres.admin_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar() == 1
        postgres.stop()  # the pooled connection is now dead, and the server refuses new ones
        threading.Thread(target=lambda: (time.sleep(1.5), postgres.start()), daemon=True).start()
        started = time.monotonic()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 2")).scalar() == 2
        assert time.monotonic() - started >= 1.0  # it waited for the restart
    finally:
        engine.dispose()


def test_a_database_that_stays_down_is_given_up_before_the_action_server_gives_up() -> None:
    """The API's wait for the database ends, with room for the request's work, before the
    action server stops waiting for the API (BACKEND_TIMEOUT_S): it then hears the API's 503
    and resends a safe call, instead of apologising to the worker for a request still running.
    (The wait was 5 s against a 4 s backend timeout.)"""
    with socket.socket() as probe:  # a port nothing listens on: every connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    settings = get_settings()
    started = time.monotonic()
    try:
        with pytest.raises(OperationalError), engine.connect():
            pass
    finally:
        engine.dispose()
    waited = time.monotonic() - started
    assert waited >= settings.db_connect_wait_s - 0.5  # it did wait for a restart
    assert waited <= settings.backend_timeout_s - DB_WAIT_MARGIN_S + 0.5


def test_a_database_wait_as_long_as_the_backend_timeout_is_refused() -> None:
    with pytest.raises(ValueError, match="DB_CONNECT_WAIT_S"):
        Settings(demo_mode=True, backend_timeout_s=4.0, db_connect_wait_s=3.5)
    assert Settings(
        demo_mode=True, backend_timeout_s=10.0, db_connect_wait_s=5.0, rasa_action_timeout_s=11.0
    )


def _app(error: Exception) -> TestClient:
    app = FastAPI()
    errors.install(app)

    @app.get("/boom")
    def boom() -> None:
        raise error

    return TestClient(app, raise_server_exceptions=False)


def test_an_unreachable_database_is_a_503_to_send_again() -> None:
    down = OperationalError("SELECT 1", {}, Exception("connection refused"))
    answer = _app(down).get("/boom")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "database_unavailable"
    assert answer.headers["Retry-After"] == "2"


def test_other_database_errors_stay_500() -> None:
    clash = IntegrityError("INSERT", {}, Exception("duplicate key"))
    answer = _app(clash).get("/boom")
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal_error"
