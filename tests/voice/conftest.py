"""Fixtures: the real API app (backend + gateway) on a migrated temp SQLite database, and real
loopback HTTP servers standing in for the two things we do not run here: Rasa (scripted replies,
optionally slow) and Twilio's REST API (records what the twilio client sends).

Every webhook is signed like Twilio signs it, over a PUBLIC_BASE_URL with a path prefix, as
behind a reverse proxy.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from fastapi.testclient import TestClient
from twilio.request_validator import RequestValidator

from api.db.migrate import upgrade
from api.db.session import dispose_engines, session_scope
from api.seed import seed_demo
from api.settings import get_settings

PUBLIC = "https://helpline.example.org/twilio"
TOKEN = "test-twilio-token"
KNOWN_BN = "+919800000001"  # demo worker, preferred language bn
UNKNOWN = "+919811111111"


class _Server(ThreadingHTTPServer):
    daemon_threads = True


@dataclass
class RasaStandIn:
    """Answers /webhooks/rest/webhook from `reply(payload)`; `delay_s` makes it slow."""

    reply: Callable[[dict[str, Any]], list[dict[str, Any]]] = lambda p: [{"text": "ok"}]
    delay_s: float = 0.0
    status: int = 200
    received: list[dict[str, Any]] = field(default_factory=list)

    def start(self) -> str:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                stand_in.received.append(payload)
                if stand_in.delay_s:
                    time.sleep(stand_in.delay_s)
                body = json.dumps(stand_in.reply(payload)).encode()
                try:
                    self.send_response(stand_in.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class TwilioStandIn:
    """Twilio's REST API on loopback: records requests; the first `fail_first` answer 500."""

    fail_first: int = 0
    fail_status: int = 500
    requests: list[dict[str, Any]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    def start(self) -> str:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                stand_in.requests.append({"path": self.path, "form": form})
                stand_in.times.append(time.monotonic())
                n = len(stand_in.requests)
                if n <= stand_in.fail_first:
                    status, body = stand_in.fail_status, {"code": 20500, "message": "try later"}
                else:
                    prefix = "CA" if self.path.endswith("/Calls.json") else "SM"
                    status, body = 201, {"sid": f"{prefix}{n:032d}", "status": "queued"}
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


ENV = {
    "DEMO_MODE": "true",
    "PUBLIC_BASE_URL": PUBLIC,
    "TWILIO_AUTH_TOKEN": TOKEN,
    "TTS_ENGINE_ORDER": "espeak,say",
    "STAFF_NUMBER": "+913312345678",
    "OFFICE_HOURS": "00:00-23:59",
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
    from api.messaging import models as _messaging_models  # noqa: F401
    from voice import models as _voice_models  # noqa: F401  (tables on the shared Base)

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
    from api.web.app import create_app

    with TestClient(create_app(configure_logs=False)) as client:
        yield client


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
