"""Fixtures: the same tests run against SQLite (temp file) and PostgreSQL (fresh database).

Each backend is migrated once per session with the real Alembic migrations; each test starts
from the demo dataset (tables emptied, `seed_demo` run again).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from api.db.migrate import upgrade
from api.db.models import Base
from api.db.session import dispose_engines, session_scope
from api.seed import seed_demo
from api.settings import get_settings
from tests.factory import RINA
from tests.secrets import SERVICE_TOKEN
from tests.services import POSTGRES_ADMIN_URL, require_service

SERVICE_HEADERS = {"Authorization": f"Bearer {SERVICE_TOKEN}", "X-Conversation-ID": "rasa:test"}


def _use(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEMO_MODE"] = "true"
    get_settings.cache_clear()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """URL of a migrated, empty database of the given kind."""
    old = os.environ.get("DATABASE_URL")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        admin = None
    else:
        require_service("postgres")
        name = f"shramik_test_{secrets.token_hex(4)}"
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    _use(url)
    upgrade(url)
    try:
        yield url
    finally:
        dispose_engines()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        if old is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = old
        get_settings.cache_clear()


def empty_all_tables() -> None:
    with session_scope() as s:
        for table in reversed(Base.metadata.sorted_tables):
            s.execute(table.delete())


@pytest.fixture
def db(database: str) -> Iterator[str]:
    """A database holding exactly the demo dataset."""
    _use(database)
    empty_all_tables()
    with session_scope() as s:
        seed_demo(s)
    yield database
    _use(database)


@pytest.fixture
def client(db: str) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from asgi import create_app

    with TestClient(create_app(configure_logs=False)) as c:
        yield c


def count_rows() -> dict[str, int]:
    """Rows per table (to prove a refused request wrote nothing)."""
    with session_scope() as s:
        return {
            t.name: s.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }


def verify(
    client, uan: str = RINA.uan, dob: str = RINA.dob, *, strong: bool = False
) -> dict[str, str]:
    """Headers of a verified session; `strong`: also type the code texted to the worker."""
    r = client.post(
        "/api/v1/verify",
        json={"uan": uan, "date_of_birth": dob, "channel": "web"},
        headers=SERVICE_HEADERS,
    )
    assert r.status_code == 200, r.text
    token = r.json()["verification_token"]
    if strong:
        sent = client.post(
            "/api/v1/verify/otp/send", json={"verification_token": token}, headers=SERVICE_HEADERS
        )
        assert sent.status_code == 200, sent.text
        code = texted_code()
        typed = client.post(
            "/api/v1/verify/otp",
            json={"verification_token": token, "code": code},
            headers=SERVICE_HEADERS,
        )
        assert typed.status_code == 200, typed.text
    return {**SERVICE_HEADERS, "X-Verification-Token": token}


def texted_code() -> str:
    """The code in the last SMS the outbox would send (rendered as the sender renders it)."""
    import re

    from api.db.models import OutboundMessage
    from api.messaging import templates

    with session_scope() as s:
        row = (
            s.execute(
                select(OutboundMessage)
                .where(OutboundMessage.reason == "otp")
                .order_by(OutboundMessage.id.desc())
            )
            .scalars()
            .first()
        )
        assert row is not None and row.template is not None
        body = templates.render(row.template, row.template_params, row.language or "en")
    assert body is not None
    return re.findall(r"\d{6}", body)[0]


DATA = Path(__file__).parent / "data"
