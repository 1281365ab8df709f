"""Engine and sessions, built lazily from settings (nothing connects at import time).

SQLite (the default, one file under var/) gets foreign keys switched on, which SQLite leaves off
unless asked, and WAL, so that readers never wait for the writer. SQLite still refuses at once
("database is locked", no waiting) a transaction that read and then wants to write while another
wrote meanwhile: 10 concurrent conversations hit it (make bench). SQLite is the embedded,
one-process default, so the API's sessions on it take turns on a re-entrant process lock.
(`BEGIN IMMEDIATE` was tried and rejected: a request that opens a second session while its
first holds the write lock would wait on itself.) PostgreSQL needs none of this.
PostgreSQL is used via `postgresql+psycopg://`. Its pooled connections are tested before use
(a restarted server closed them), and a new connection the server refuses is tried again for up
to DB_CONNECT_WAIT_S (3 s, a second under the action server's BACKEND_TIMEOUT_S, so it hears
the answer): a restart or fail-over of a few seconds makes requests slower, not failed
(tests/api/test_db_reconnect.py; tests/cluster/test_faults.py restarts it under load).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from api.settings import get_settings

CONNECT_PAUSE_S = 0.25
_lock = threading.Lock()
_sqlite_turns = threading.RLock()
_engines: dict[str, Engine] = {}
_makers: dict[str, sessionmaker[Session]] = {}


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_savepoint(conn: Any, _name: Any) -> None:
    """pysqlite starts no transaction before a SAVEPOINT, so SQLite took `begin_nested()` for
    the whole transaction and its release committed at once (an outer rollback undid nothing).
    Begin the real transaction first. Only here: an early BEGIN everywhere (SQLAlchemy's recipe)
    makes two sessions that read before writing refuse each other ("database is locked")."""
    if not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    """A new engine for `url` (used by get_engine, migrations and tests)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_savepoint)
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    event.listen(engine, "do_connect", _connect_waiting)
    return engine


def _connect_waiting(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Connect, trying again while the server refuses (down, starting, shutting down) for up to
    DB_CONNECT_WAIT_S; then the error goes on (the API answers 503, api/web/errors.py)."""
    deadline = time.monotonic() + get_settings().db_connect_wait_s
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(CONNECT_PAUSE_S)


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot be reached now (down, restarting, a connection
    cut): worth sending again, unlike a refused statement."""
    if not isinstance(error, DBAPIError):
        return False
    return isinstance(error, OperationalError) or error.connection_invalidated


def get_engine() -> Engine:
    """The process-wide engine for the configured DATABASE_URL (one per distinct URL)."""
    url = get_settings().database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = make_engine(url)
            _engines[url] = engine
            _makers[url] = sessionmaker(bind=engine, expire_on_commit=False)
        return engine


def get_sessionmaker() -> sessionmaker[Session]:
    get_engine()
    return _makers[get_settings().database_url]


@contextmanager
def session_scope() -> Iterator[Session]:
    """`with session_scope() as s:` commits on success, rolls back on any error."""
    maker = get_sessionmaker()
    turn = _sqlite_turns if maker.kw["bind"].dialect.name == "sqlite" else nullcontext()
    with turn:
        session = maker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def database_reachable() -> None:
    """Raise when the database does not answer a trivial query (the health probe)."""
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))


def dispose_engines() -> None:
    """Close every pooled connection (tests, before dropping a database)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _makers.clear()
