"""Fixtures: the real API app (backend + gateway) on a migrated temp SQLite database, and real
loopback HTTP servers standing in for the two things we do not run here: Rasa (scripted replies,
optionally slow) and Twilio's REST API (records what the twilio client sends).

Every webhook is signed like Twilio signs it, over a PUBLIC_BASE_URL with a path prefix, as
behind a reverse proxy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from actions import expect
from api.db.migrate import upgrade
from api.db.session import dispose_engines, session_scope
from api.seed import seed_demo
from api.settings import get_settings
from locales import translate
from tests.factory import RINA
from tests.stand_ins import RasaStandIn

PUBLIC = "https://helpline.example.org/twilio"
TOKEN = "test-twilio-token"
KNOWN_BN = RINA.phone  # demo worker, preferred language bn
UNKNOWN = "+919811111111"


ENV = {
    "DEMO_MODE": "true",
    "PUBLIC_BASE_URL": PUBLIC,
    "TWILIO_AUTH_TOKEN": TOKEN,
    "TTS_ENGINE_ORDER": "espeak,say",
    "STAFF_NUMBER": "+913312345678",
    "OFFICE_HOURS": "00:00-24:00",
    "OFFICE_DAYS": "0,1,2,3,4,5,6",
    "RASA_TIMEOUT_S": "8",
    "LOG_JSON": "false",
}


@pytest.fixture(scope="session")
def migrated_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('voicedb') / 'voice.db'}"
    upgrade(url)
    return url


@pytest.fixture
def env(
    migrated_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """Settings for one test: fresh tables (demo data), own TTS cache, proxy-style public URL."""
    values = {**ENV, "DATABASE_URL": migrated_db, "VAR_DIR": str(tmp_path / "var")}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    from api.db.models import Base

    with session_scope() as s:
        for table in reversed(Base.metadata.sorted_tables):
            s.execute(table.delete())
        seed_demo(s)
    yield values
    dispose_engines()
    get_settings.cache_clear()


@pytest.fixture
def rasa(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[RasaStandIn]:
    stand_in = RasaStandIn()
    monkeypatch.setenv("RASA_URL", stand_in.start())
    get_settings.cache_clear()
    yield stand_in
    stand_in.stop()


@pytest.fixture
def app_client(rasa: RasaStandIn) -> Iterator[TestClient]:
    from asgi import create_app

    with TestClient(create_app(configure_logs=False)) as client:
        yield client


def ask_uan(payload: object) -> list[dict[str, object]]:
    """The assistant's reply asking for the UAN, as Rasa's REST channel sends it: the question
    and its machine-readable part (a number on the keypad)."""
    return [{"text": translate("verify.ask_uan", "bn")}, {"custom": expect.number("uan")}]


def sign(url: str, params: dict[str, str], token: str = TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def post_signed(client: TestClient, path: str, params: dict[str, str], public: str = PUBLIC) -> Any:
    return client.post(
        path, data=params, headers={"X-Twilio-Signature": sign(public + path, params)}
    )


def simulator(client: TestClient, caller: str = UNKNOWN) -> Any:
    from voice.simulate import CallSimulator

    return CallSimulator(
        base_url="http://testserver", client=client, caller=caller, public_base_url=PUBLIC
    )


def outbound_rows() -> list[dict[str, Any]]:
    from api.db.models import OutboundMessage

    with session_scope() as s:
        return [
            {c.name: getattr(m, c.name) for c in OutboundMessage.__table__.columns}
            for m in s.query(OutboundMessage).order_by(OutboundMessage.id)
        ]
